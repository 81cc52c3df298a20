//! Tests of prices and costs against the published figures.

use super::*;

const INTL_HOST: Option<&str> = Some("dashscope-intl.aliyuncs.com");
const CN_HOST: Option<&str> = Some("dashscope.aliyuncs.com");

fn usage(prompt: u64, completion: u64) -> Usage {
    Usage {
        prompt_tokens: prompt,
        completion_tokens: completion,
        total_tokens: prompt + completion,
        ..Default::default()
    }
}

fn amount(model: &str, host: Option<&str>, u: Usage, thinking: bool, batch: bool) -> f64 {
    let c = cost(&PriceTable::default(), model, host, &u, thinking, batch).unwrap();
    c.amount
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

#[test]
fn flat_price_per_million() {
    // 1,000 × $0.4 + 500 × $1.2, per 1M tokens.
    assert!(close(
        amount("qwen-plus", INTL_HOST, usage(1000, 500), false, false),
        0.001
    ));
    let c = cost(
        &PriceTable::default(),
        "qwen-plus",
        CN_HOST,
        &usage(1000, 500),
        false,
        false,
    )
    .unwrap();
    // 1,000 × ¥0.8 + 500 × ¥2.
    assert_eq!(c.currency, Currency::Cny);
    assert!(close(c.amount, 0.0018));
}

#[test]
fn the_whole_request_is_billed_at_the_tier_its_input_selects() {
    // qwen3-max: ≤32K $1.2/$6; ≤128K $2.4/$12.
    assert!(close(
        amount("qwen3-max", INTL_HOST, usage(32_768, 1000), false, false),
        0.0453216
    ));
    // 40,000 × 2.4 + 1,000 × 12 = 108,000 per 1M.
    assert!(close(
        amount("qwen3-max", INTL_HOST, usage(40_000, 1000), false, false),
        0.108
    ));
    // Above every published tier: unknown.
    let big = usage(200_000, 10);
    assert_eq!(
        cost(
            &PriceTable::default(),
            "qwen3.6-max-preview",
            INTL_HOST,
            &big,
            false,
            false
        ),
        None
    );
}

#[test]
fn thinking_cache_and_batch() {
    // Thinking output $4: 1,000 × 0.4 + 500 × 4.
    assert!(close(
        amount("qwen-plus", INTL_HOST, usage(1000, 500), true, false),
        0.0024
    ));
    // A model without a separate thinking price bills thinking as output.
    assert!(close(
        amount("qwen-max", INTL_HOST, usage(1000, 0), true, false),
        0.0016
    ));
    // 600 of 1,000 input tokens cached at 20 %: 400 × 0.4 + 600 × 0.08 = 208.
    let mut u = usage(1000, 0);
    u.cached_tokens = 600;
    assert!(close(
        amount("qwen-plus", INTL_HOST, u, false, false),
        0.000208
    ));
    // Batch: half price, and no cache discount.
    assert!(close(
        amount("qwen-plus", INTL_HOST, u, false, true),
        0.0002
    ));
    // A thinking price nobody published is unknown.
    let t = PriceTable::default();
    assert!(cost(&t, "qwen3-235b-a22b", CN_HOST, &usage(10, 10), true, false).is_none());
    assert!(cost(&t, "qwen3-235b-a22b", CN_HOST, &usage(10, 10), false, false).is_some());
}

#[test]
fn unknown_models_and_hosts_have_no_cost() {
    let t = PriceTable::default();
    let u = usage(10, 10);
    assert_eq!(cost(&t, "llama-3-8b", INTL_HOST, &u, false, false), None);
    assert_eq!(
        cost(&t, "qwen-plus", Some("127.0.0.1"), &u, false, false),
        None
    );
    assert_eq!(cost(&t, "qwen-plus", None, &u, false, false), None);
    assert_eq!(cost(&t, "qwen-plusplus", INTL_HOST, &u, false, false), None);
    // Not sold per token there.
    assert_eq!(
        cost(
            &t,
            "qwen-plus",
            Some("coding-intl.dashscope.aliyuncs.com"),
            &u,
            false,
            false
        ),
        None
    );
    // qwen-long is not offered internationally.
    assert_eq!(cost(&t, "qwen-long", INTL_HOST, &u, false, false), None);
    assert!(cost(&t, "qwen-long", CN_HOST, &u, false, false).is_some());
}

#[test]
fn snapshots_use_their_family_price() {
    let a = amount(
        "qwen-plus-2025-07-28",
        INTL_HOST,
        usage(1000, 500),
        false,
        false,
    );
    assert!(close(a, 0.001));
    // The longest matching name wins: qwen3-max-preview is priced as qwen3-max.
    let a = amount("qwen3-max-preview", INTL_HOST, usage(1000, 0), false, false);
    assert!(close(a, 0.0012));
}

#[test]
fn hosts_pick_the_market() {
    assert_eq!(
        Market::of_host("dashscope.aliyuncs.com"),
        Some(Market::Mainland)
    );
    assert_eq!(
        Market::of_host("ws1.cn-beijing.maas.aliyuncs.com"),
        Some(Market::Mainland)
    );
    assert_eq!(
        Market::of_host("dashscope-us.aliyuncs.com"),
        Some(Market::International)
    );
    assert_eq!(
        Market::of_host("cn-hongkong.dashscope.aliyuncs.com"),
        Some(Market::International)
    );
    assert_eq!(
        Market::of_host("ws1.ap-southeast-1.maas.aliyuncs.com"),
        Some(Market::International)
    );
    assert_eq!(
        Market::of_host("token-plan.cn-beijing.maas.aliyuncs.com"),
        None
    );
    assert_eq!(Market::of_host("localhost"), None);
    assert_eq!(Market::of_host("oss.aliyuncs.com"), None);
}

fn table(toml_text: &str) -> Result<PriceTable, String> {
    let map: BTreeMap<String, PriceConfig> = toml::from_str(toml_text).unwrap();
    PriceTable::from_config(&map)
}

#[test]
fn config_overrides_and_adds() {
    let t = table(
        r#"
        [qwen-plus]
        input = 1.0
        output = 2.0
        [my-model]
        currency = "cny"
        tiers = [{ up_to = 1000, input = 1.0, output = 1.0 }, { input = 10.0, output = 10.0, thinking_output = 20.0 }]
        "#,
    )
    .unwrap();
    let u = usage(1000, 1000);
    // The override wins over the built-in price, on any host.
    let c = cost(&t, "qwen-plus", INTL_HOST, &u, false, false).unwrap();
    assert!(close(c.amount, 0.003));
    let c = cost(&t, "qwen-plus", Some("127.0.0.1"), &u, false, false).unwrap();
    assert_eq!(c.currency, Currency::Usd);
    // Without `currency`, an override takes the host's.
    assert_eq!(
        cost(&t, "qwen-plus", CN_HOST, &u, false, false)
            .unwrap()
            .currency,
        Currency::Cny
    );
    let c = cost(&t, "my-model", None, &usage(1001, 1000), true, false).unwrap();
    assert_eq!(c.currency, Currency::Cny);
    assert!(close(c.amount, 0.03001));
    // Built-in entries the config does not name still apply.
    assert!(cost(&t, "qwen-max", INTL_HOST, &u, false, false).is_some());
}

#[test]
fn bad_config_entries_are_named() {
    let err = table("[m]\ninput = 1.0\n").unwrap_err();
    assert!(
        err.contains("`prices.\"m\"`") && err.contains("output"),
        "{err}"
    );
    let err = table("[m]\ninput = 1.0\noutput = 1.0\ncurrency = \"EUR\"\n").unwrap_err();
    assert!(err.contains("EUR"), "{err}");
    let err = table(
        "[m]\ntiers = [{ input = 1.0, output = 1.0 }, { up_to = 5, input = 1.0, output = 1.0 }]\n",
    )
    .unwrap_err();
    assert!(err.contains("ascending"), "{err}");
    let err = table("[m]\ninput = -1.0\noutput = 1.0\n").unwrap_err();
    assert!(err.contains("not a price"), "{err}");
}

#[test]
fn amounts_show_three_significant_digits() {
    assert_eq!(format_amount(0.0), "0.00");
    assert_eq!(format_amount(0.00123456), "0.00123");
    assert_eq!(format_amount(0.5), "0.500");
    assert_eq!(format_amount(12.346), "12.35");
    let c = Cost {
        amount: 4.5,
        currency: Currency::Cny,
    };
    assert_eq!(c.to_string(), "¥4.50");
}

#[test]
fn rerank_bills_its_total_as_input() {
    // 79 tokens × $0.1 per 1M (Singapore); × ¥0.5 per 1M (Beijing).
    assert!(close(
        amount("qwen3-rerank", INTL_HOST, usage(79, 0), false, false),
        79e-7
    ));
    assert!(close(
        amount("qwen3-rerank", CN_HOST, usage(79, 0), false, false),
        79.0 * 0.5e-6
    ));
    assert!(close(
        amount("gte-rerank-v2", CN_HOST, usage(1_000_000, 0), false, false),
        0.8
    ));
}

#[test]
fn explicit_cache_writes_and_hits_are_priced_apart_from_implicit_hits() {
    // qwen-plus, Singapore: $0.4 input per 1M. 10,000 input tokens, no output.
    let mut u = usage(10_000, 0);
    u.cache_write_tokens = 8_000;
    u.explicit_cache = true;
    // Write: 2,000 × 0.4 + 8,000 × 0.5 (125 %) = 4,800 per 1M.
    assert!(close(
        amount("qwen-plus", INTL_HOST, u, false, false),
        0.0048
    ));
    let saved = cache_saving(&PriceTable::default(), "qwen-plus", INTL_HOST, &u, false).unwrap();
    // The write cost 8,000 × 0.1 more than plain input: saved −0.0008.
    assert!(close(saved.amount, -0.0008), "{saved:?}");
    // Explicit hit: 2,000 × 0.4 + 8,000 × 0.04 (10 %) = 1,120.
    u.cache_write_tokens = 0;
    u.cached_tokens = 8_000;
    assert!(close(
        amount("qwen-plus", INTL_HOST, u, false, false),
        0.00112
    ));
    let saved = cache_saving(&PriceTable::default(), "qwen-plus", INTL_HOST, &u, false).unwrap();
    assert!(close(saved.amount, 0.00288), "8,000 × 0.36: {saved:?}");
    // The same hit from the implicit cache: 8,000 × 0.08 (20 %) = 640 + 800.
    u.explicit_cache = false;
    assert!(close(
        amount("qwen-plus", INTL_HOST, u, false, false),
        0.00144
    ));
    // Beijing, in CNY: ¥0.8 input. Write 1,000 of 1,000: 1,000 × 1.0 = ¥0.001.
    let mut cn = usage(1_000, 0);
    cn.cache_write_tokens = 1_000;
    cn.explicit_cache = true;
    let c = cost(
        &PriceTable::default(),
        "qwen-plus",
        CN_HOST,
        &cn,
        false,
        false,
    )
    .unwrap();
    assert_eq!(c.currency, Currency::Cny);
    assert!(close(c.amount, 0.001));
    cn.cache_write_tokens = 0;
    cn.cached_tokens = 1_000;
    assert!(close(
        amount("qwen-plus", CN_HOST, cn, false, false),
        0.00008
    ));
    let saved = cache_saving(&PriceTable::default(), "qwen-plus", CN_HOST, &cn, false).unwrap();
    assert!(close(saved.amount, 0.00072));
    // A batch job gets no cache discount: every input token at the (halved) input price.
    assert!(close(amount("qwen-plus", CN_HOST, cn, false, true), 0.0004));
    // qwen3.6-plus has published cache prices: read 0.05, write 0.625.
    let mut q = usage(2_000, 0);
    q.cache_write_tokens = 1_000;
    q.cached_tokens = 1_000;
    q.explicit_cache = true;
    assert!(close(
        amount("qwen3.6-plus", INTL_HOST, q, false, false),
        0.000675
    ));
}

#[test]
fn config_prices_name_their_cache_prices() {
    let entry = PriceConfig {
        input: Some(1.0),
        output: Some(2.0),
        cache_write: Some(1.5),
        explicit_cached_input: Some(0.05),
        currency: Some("USD".into()),
        ..Default::default()
    };
    let table = PriceTable::from_config(&[("m".to_owned(), entry)].into_iter().collect()).unwrap();
    let mut u = usage(1_000_000, 0);
    u.cache_write_tokens = 500_000;
    u.explicit_cache = true;
    let c = cost(&table, "m", None, &u, false, false).unwrap();
    assert!(close(c.amount, 0.5 + 0.75));
    u.cache_write_tokens = 0;
    u.cached_tokens = 500_000;
    let c = cost(&table, "m", None, &u, false, false).unwrap();
    assert!(close(c.amount, 0.5 + 0.025));
}

#[test]
fn omni_spoken_output_has_its_own_price_and_qwen_long_is_priced_in_beijing() {
    // 1,000 × $0.43 + 20 text × $1.66 + 80 audio × $15.11, per 1M tokens.
    let u = Usage {
        output_audio_tokens: 80,
        ..usage(1000, 100)
    };
    let expected = (1000.0 * 0.43 + 20.0 * 1.66 + 80.0 * 15.11) / 1e6;
    assert!(close(
        amount("qwen3-omni-flash", INTL_HOST, u, false, false),
        expected
    ));
    // A model without an audio price bills every output token at its output price.
    assert!(close(
        amount("qwen-plus", INTL_HOST, u, false, false),
        amount("qwen-plus", INTL_HOST, usage(1000, 100), false, false)
    ));
    // ¥0.5 in, ¥2 out per 1M.
    assert!(close(
        amount("qwen-long", CN_HOST, usage(1_000_000, 1000), false, false),
        0.5 + 0.002
    ));
}
