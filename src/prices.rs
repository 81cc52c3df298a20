//! Prices of the Qwen models and the estimated cost of one request.
//!
//! Built-in table: dashscope-protocol.md §8 and §6.1, which collects (as of 2026-07-02):
//! - International (Singapore), USD per 1M tokens: LiteLLM `model_prices_and_context_window`
//!   (`dashscope/*` entries, citing alibabacloud.com/help/en/model-studio/models), models.dev
//!   `providers/alibaba` (accessed 2026-06-25), and Alibaba's billing page (Apr 2025) for
//!   qwen-max/plus/turbo.
//! - Mainland China (Beijing), CNY per 1M tokens: help.aliyun.com "AI PaaS billing rules"
//!   (qwen-plus, qwen3-235b-a22b), the Qwen-Coder page (qwen3-coder-*), a parse of the
//!   Beijing console (qwen3-max, qwen-flash), and models.dev `alibaba-cn` (qwen-max, qwq-plus,
//!   qwen-long; marked unverified there).
//!
//! Rules from the same sources: a tiered model bills the *whole* request at the tier its input
//! size selects; an implicit-cache hit costs 20 % of the input price; the Batch API costs 50 %
//! and gives no cache discount. Tier bounds are in K = 1,024 tokens, as in Alibaba's tables
//! (qwen3-max's top tier ends at 252K = its 258,048-token input limit); LiteLLM writes them as
//! multiples of 1,000, which differs only within 2.4 % of a bound. Where sources conflict, the
//! choice is noted at the entry. Prices a source leaves out (qwen-turbo's Beijing output
//! price, thinking output of qwen3-235b-a22b in Beijing, qwen3.6-max-preview above 128K) stay
//! unknown: an unknown cost is `None`, never 0. `[prices."MODEL"]` in config.toml overrides
//! or adds entries (see [`PriceConfig`]).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;

use crate::api::types::Usage;

/// A currency prices are given in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Currency {
    /// US dollars (international deployments).
    Usd,
    /// Chinese yuan (mainland China, Beijing).
    Cny,
}

impl Currency {
    /// Returns the ISO 4217 code.
    pub fn code(self) -> &'static str {
        match self {
            Currency::Usd => "USD",
            Currency::Cny => "CNY",
        }
    }

    /// Parses an ISO code, ignoring case.
    pub fn parse(code: &str) -> Option<Self> {
        // Called once per ledger row by reports: no allocation.
        let code = code.trim();
        if code.eq_ignore_ascii_case("USD") {
            Some(Currency::Usd)
        } else if code.eq_ignore_ascii_case("CNY") || code.eq_ignore_ascii_case("RMB") {
            Some(Currency::Cny)
        } else {
            None
        }
    }

    fn symbol(self) -> &'static str {
        match self {
            Currency::Usd => "$",
            Currency::Cny => "¥",
        }
    }
}

/// An estimated amount of money.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cost {
    /// The amount, in `currency`.
    pub amount: f64,
    /// The currency.
    pub currency: Currency,
}

impl fmt::Display for Cost {
    /// Shows about three significant digits: `$0.00123`, `¥4.50`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}",
            self.currency.symbol(),
            format_amount(self.amount)
        )
    }
}

/// Formats an amount with about three significant digits (at least two decimals).
pub fn format_amount(amount: f64) -> String {
    if amount == 0.0 || !amount.is_finite() {
        return format!("{amount:.2}");
    }
    let decimals = (2 - amount.abs().log10().floor() as i32).clamp(2, 8) as usize;
    format!("{amount:.decimals$}")
}

/// What thinking-mode output costs, per 1M tokens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ThinkingPrice {
    /// The same as ordinary output.
    SameAsOutput,
    /// Its own price.
    Per1M(f64),
    /// Not published: a thinking request's cost is unknown.
    Unknown,
}

/// One input-size tier of a price; prices are per 1M tokens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tier {
    /// The largest input (prompt) size in tokens this tier covers; `None`: no bound.
    pub up_to: Option<u64>,
    /// Input tokens.
    pub input: f64,
    /// Output tokens (reasoning included).
    pub output: f64,
    /// Output tokens when thinking is on.
    pub thinking_output: ThinkingPrice,
    /// Input tokens served from the implicit cache; `None`: 20 % of `input`.
    pub cached_input: Option<f64>,
}

/// The price of one model.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelPrice {
    /// The currency; `None` (config entries without `currency`): the host's.
    pub currency: Option<Currency>,
    /// Tiers by ascending `up_to`.
    pub tiers: Cow<'static, [Tier]>,
}

const K: u64 = 1024;
const OPEN: Option<u64> = None;

const fn k(n: u64) -> Option<u64> {
    Some(n * K)
}

const fn tier(up_to: Option<u64>, input: f64, output: f64) -> Tier {
    Tier {
        up_to,
        input,
        output,
        thinking_output: ThinkingPrice::SameAsOutput,
        cached_input: None,
    }
}

const fn thinking(mut t: Tier, price: ThinkingPrice) -> Tier {
    t.thinking_output = price;
    t
}

use ThinkingPrice::{Per1M, Unknown};

/// International (Singapore and other non-mainland hosts), USD per 1M tokens.
const INTL: &[(&str, &[Tier])] = &[
    ("qwen-max", &[tier(OPEN, 1.6, 6.4)]),
    (
        "qwen3-max",
        &[
            tier(k(32), 1.2, 6.0),
            tier(k(128), 2.4, 12.0),
            tier(OPEN, 3.0, 15.0),
        ],
    ),
    (
        "qwen-plus",
        &[
            thinking(tier(k(256), 0.4, 1.2), Per1M(4.0)),
            thinking(tier(OPEN, 1.2, 3.6), Per1M(12.0)),
        ],
    ),
    ("qwen-turbo", &[thinking(tier(OPEN, 0.05, 0.2), Per1M(0.5))]),
    (
        "qwen-flash",
        &[tier(k(256), 0.05, 0.4), tier(OPEN, 0.25, 2.0)],
    ),
    (
        "qwen3-coder-plus",
        &[
            tier(k(32), 1.0, 5.0),
            tier(k(128), 1.8, 9.0),
            tier(k(256), 3.0, 15.0),
            tier(OPEN, 6.0, 60.0),
        ],
    ),
    (
        "qwen3-coder-flash",
        &[
            tier(k(32), 0.3, 1.5),
            tier(k(128), 0.5, 2.5),
            tier(k(256), 0.8, 4.0),
            tier(OPEN, 1.6, 9.6),
        ],
    ),
    ("qwq-plus", &[tier(OPEN, 0.8, 2.4)]),
    // Conflict: LiteLLM 0.15/1.2 (used), models.dev 0.5/2 (instruct) and 0.5/6 (thinking).
    ("qwen3-next-80b-a3b-instruct", &[tier(OPEN, 0.15, 1.2)]),
    ("qwen3-next-80b-a3b-thinking", &[tier(OPEN, 0.15, 1.2)]),
    (
        "qwen3-235b-a22b",
        &[thinking(tier(OPEN, 0.7, 2.8), Per1M(8.4))],
    ),
    (
        "qwen3.5-plus",
        &[tier(k(256), 0.4, 2.4), tier(OPEN, 0.5, 3.0)],
    ),
    (
        "qwen3.6-plus",
        &[tier(k(256), 0.5, 3.0), tier(OPEN, 2.0, 6.0)],
    ),
    ("qwen3.6-flash", &[tier(OPEN, 0.1875, 1.125)]),
    // Only the tier below 128K is published.
    ("qwen3.6-max-preview", &[tier(k(128), 1.3, 7.8)]),
    // Conflict: the tier bound is 256K internationally, 128K in a Beijing record.
    (
        "qwen3.7-plus",
        &[tier(k(256), 0.5, 3.0), tier(OPEN, 2.0, 6.0)],
    ),
    ("qwen3.7-max", &[tier(OPEN, 2.5, 7.5)]),
];

/// Mainland China (Beijing), CNY per 1M tokens.
const MAINLAND: &[(&str, &[Tier])] = &[
    ("qwen-max", &[tier(OPEN, 2.4, 9.6)]),
    (
        "qwen3-max",
        &[
            tier(k(32), 2.5, 10.0),
            tier(k(128), 4.0, 16.0),
            tier(OPEN, 7.0, 28.0),
        ],
    ),
    (
        "qwen-plus",
        &[
            thinking(tier(k(128), 0.8, 2.0), Per1M(8.0)),
            thinking(tier(k(256), 2.4, 20.0), Per1M(24.0)),
            thinking(tier(OPEN, 4.8, 48.0), Per1M(64.0)),
        ],
    ),
    // Conflict below 128K: ¥0.15 input in the console (used), ¥0.2 on the AI PaaS page.
    (
        "qwen-flash",
        &[
            tier(k(128), 0.15, 1.5),
            tier(k(256), 0.6, 6.0),
            tier(OPEN, 1.2, 12.0),
        ],
    ),
    (
        "qwen3-coder-plus",
        &[
            tier(k(32), 4.0, 16.0),
            tier(k(128), 6.0, 24.0),
            tier(k(256), 10.0, 40.0),
            tier(OPEN, 20.0, 200.0),
        ],
    ),
    (
        "qwen3-coder-flash",
        &[
            tier(k(32), 1.0, 4.0),
            tier(k(128), 1.5, 6.0),
            tier(k(256), 2.5, 10.0),
            tier(OPEN, 5.0, 25.0),
        ],
    ),
    ("qwq-plus", &[tier(OPEN, 1.6, 4.0)]),
    ("qwen-long", &[tier(OPEN, 0.5, 2.0)]),
    (
        "qwen3-235b-a22b",
        &[thinking(tier(OPEN, 2.0, 8.0), Unknown)],
    ),
];

/// Which built-in table a host's prices come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Market {
    /// International deployments, in USD.
    International,
    /// Mainland China (Beijing), in CNY.
    Mainland,
}

impl Market {
    /// Picks the table for an API host: Beijing hosts are mainland, other DashScope hosts
    /// international. Loopback, custom hosts and the Coding/Token Plan hosts (subscriptions,
    /// not billed per token) have no built-in prices.
    pub fn of_host(host: &str) -> Option<Market> {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        let plan = host.starts_with("coding.")
            || host.starts_with("coding-intl.")
            || host.starts_with("token-plan.");
        if plan || !host.ends_with(".aliyuncs.com") {
            return None;
        }
        if matches!(
            host.as_str(),
            "dashscope.aliyuncs.com" | "batch.dashscope.aliyuncs.com"
        ) || host.ends_with(".cn-beijing.maas.aliyuncs.com")
        {
            Some(Market::Mainland)
        } else if host.contains("dashscope") || host.ends_with(".maas.aliyuncs.com") {
            Some(Market::International)
        } else {
            None
        }
    }

    /// The currency of the market's table.
    pub fn currency(self) -> Currency {
        match self {
            Market::International => Currency::Usd,
            Market::Mainland => Currency::Cny,
        }
    }

    fn table(self) -> &'static [(&'static str, &'static [Tier])] {
        match self {
            Market::International => INTL,
            Market::Mainland => MAINLAND,
        }
    }
}

/// `[prices."MODEL"]` in config.toml: prices per 1M tokens.
///
/// Either `input` and `output` (one price for every input size), or `tiers`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
pub struct PriceConfig {
    /// Input tokens.
    pub input: Option<f64>,
    /// Output tokens.
    pub output: Option<f64>,
    /// Output tokens in thinking mode (default: `output`).
    pub thinking_output: Option<f64>,
    /// Cached input tokens (default: 20 % of `input`).
    pub cached_input: Option<f64>,
    /// `USD` or `CNY` (default: the host's currency; USD off DashScope).
    pub currency: Option<String>,
    /// Tiers by input size, ascending.
    pub tiers: Option<Vec<TierConfig>>,
}

/// One tier of a `[prices."MODEL"]` entry.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
pub struct TierConfig {
    /// The largest input size in tokens this tier covers; omit on the last tier.
    pub up_to: Option<u64>,
    /// Input tokens.
    pub input: f64,
    /// Output tokens.
    pub output: f64,
    /// Output tokens in thinking mode (default: `output`).
    pub thinking_output: Option<f64>,
    /// Cached input tokens (default: 20 % of `input`).
    pub cached_input: Option<f64>,
}

/// The built-in prices with the config file's overrides on top.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PriceTable {
    overrides: BTreeMap<String, ModelPrice>,
}

impl PriceTable {
    /// Checks the config file's `[prices]` entries; the error names the bad entry.
    pub fn from_config(entries: &BTreeMap<String, PriceConfig>) -> Result<Self, String> {
        let mut overrides = BTreeMap::new();
        for (model, entry) in entries {
            let price = model_price(entry).map_err(|e| format!("`prices.\"{model}\"`: {e}"))?;
            overrides.insert(model.clone(), price);
        }
        Ok(Self { overrides })
    }

    /// Finds the price of `model` on `host`: an exact name first, then the longest name that
    /// `model` extends with `-…` (a dated snapshot such as `qwen-plus-2025-07-28`); config
    /// entries win over built-in ones of the same name. Returns the price and its currency.
    pub fn lookup(&self, model: &str, host: Option<&str>) -> Option<(Cow<'_, [Tier]>, Currency)> {
        let market = host.and_then(Market::of_host);
        let default_currency = market.map_or(Currency::Usd, Market::currency);
        let builtin = market.map_or(&[][..], Market::table);
        let extends = |name: &str| {
            model
                .strip_prefix(name)
                .is_some_and(|rest| rest.starts_with('-'))
        };
        // Candidates as (name, tiers, currency, is_override); exact names beat prefixes,
        // longer prefixes beat shorter, overrides beat built-ins.
        let candidates = self
            .overrides
            .iter()
            .map(|(name, p)| {
                let currency = p.currency.unwrap_or(default_currency);
                (name.as_str(), Cow::Borrowed(&*p.tiers), currency, true)
            })
            .chain(
                builtin
                    .iter()
                    .map(|(name, tiers)| (*name, Cow::Borrowed(*tiers), default_currency, false)),
            );
        candidates
            .filter(|(name, ..)| *name == model || extends(name))
            .max_by_key(|(name, _, _, is_override)| (*name == model, name.len(), *is_override))
            .map(|(_, tiers, currency, _)| (tiers, currency))
    }
}

fn model_price(entry: &PriceConfig) -> Result<ModelPrice, String> {
    let currency = match &entry.currency {
        Some(code) => Some(
            Currency::parse(code)
                .ok_or_else(|| format!("unknown currency `{code}` (use USD or CNY)"))?,
        ),
        None => None,
    };
    let tiers: Vec<Tier> = match (&entry.tiers, entry.input, entry.output) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
            return Err("give either `input` and `output`, or `tiers`, not both".into());
        }
        (Some(tiers), None, None) => tiers
            .iter()
            .map(|t| {
                config_tier(
                    t.up_to,
                    t.input,
                    t.output,
                    t.thinking_output,
                    t.cached_input,
                )
            })
            .collect(),
        (None, Some(input), Some(output)) => vec![config_tier(
            None,
            input,
            output,
            entry.thinking_output,
            entry.cached_input,
        )],
        (None, ..) => return Err("needs `input` and `output` (or `tiers`)".into()),
    };
    if tiers.is_empty() {
        return Err("`tiers` is empty".into());
    }
    for t in &tiers {
        let prices =
            [t.input, t.output]
                .into_iter()
                .chain(t.cached_input)
                .chain(match t.thinking_output {
                    ThinkingPrice::Per1M(p) => Some(p),
                    _ => None,
                });
        for p in prices {
            if !p.is_finite() || p < 0.0 {
                return Err(format!("`{p}` is not a price"));
            }
        }
    }
    for pair in tiers.windows(2) {
        match (pair[0].up_to, pair[1].up_to) {
            (Some(a), Some(b)) if a < b => {}
            (Some(_), None) => {}
            _ => {
                return Err(
                    "tiers need ascending `up_to`, and only the last may leave it out".into(),
                );
            }
        }
    }
    Ok(ModelPrice {
        currency,
        tiers: Cow::Owned(tiers),
    })
}

fn config_tier(
    up_to: Option<u64>,
    input: f64,
    output: f64,
    thinking_output: Option<f64>,
    cached_input: Option<f64>,
) -> Tier {
    Tier {
        up_to,
        input,
        output,
        thinking_output: thinking_output.map_or(ThinkingPrice::SameAsOutput, ThinkingPrice::Per1M),
        cached_input,
    }
}

/// Estimates what one request cost.
///
/// `host` is the API host (it picks the built-in table: CNY for Beijing, USD elsewhere on
/// DashScope, nothing for other hosts unless configured); `thinking` is whether thinking mode
/// was on (`usage.reasoning_tokens > 0` is a good test); `batch` applies the Batch API's 50 %
/// (which has no cache discount). Returns `None` when the price is not known.
pub fn cost(
    table: &PriceTable,
    model: &str,
    host: Option<&str>,
    usage: &Usage,
    thinking: bool,
    batch: bool,
) -> Option<Cost> {
    let (tiers, currency) = table.lookup(model, host)?;
    let tier = tiers
        .iter()
        .find(|t| t.up_to.is_none_or(|max| usage.prompt_tokens <= max))?;
    let output_price = if thinking {
        match tier.thinking_output {
            ThinkingPrice::SameAsOutput => tier.output,
            ThinkingPrice::Per1M(p) => p,
            ThinkingPrice::Unknown => return None,
        }
    } else {
        tier.output
    };
    let cached = if batch {
        0
    } else {
        usage.cached_tokens.min(usage.prompt_tokens)
    };
    let cached_price = tier.cached_input.unwrap_or(tier.input * 0.2);
    let per_million = (usage.prompt_tokens - cached) as f64 * tier.input
        + cached as f64 * cached_price
        + usage.completion_tokens as f64 * output_price;
    let discount = if batch { 0.5 } else { 1.0 };
    Some(Cost {
        amount: per_million / 1e6 * discount,
        currency,
    })
}

#[cfg(test)]
mod tests {
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
        let err = table("[m]\ntiers = [{ input = 1.0, output = 1.0 }, { up_to = 5, input = 1.0, output = 1.0 }]\n")
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
}
