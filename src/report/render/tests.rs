//! Tests of the report formats against hand-written fixtures.

use super::*;

fn report() -> Finished {
    let mut a = Totals {
        requests: 4,
        errors: 1,
        input_tokens: 30,
        output_tokens: 15,
        latencies_ms: vec![100.0, 150.0, 200.0],
        ttfts_ms: vec![50.0],
        ..Default::default()
    };
    a.cost.insert(Currency::Usd, 0.1 + 0.2);
    let mut b = Totals {
        requests: 1,
        unpriced: 1,
        ..Default::default()
    };
    let mut total = a.clone();
    total.merge(&b);
    for t in [&mut a, &mut b, &mut total] {
        t.summarize();
    }
    Finished {
        keys: vec![UsageKey::Day, UsageKey::Model],
        groups: vec![
            (
                vec![
                    KeyValue::Day(20_758),
                    KeyValue::Name(Some("qwen-plus".into())),
                ],
                a,
            ),
            (
                vec![
                    KeyValue::Day(20_758),
                    KeyValue::Name(Some("my \"model\", v2".into())),
                ],
                b,
            ),
        ],
        total,
    }
}

fn render(format: ReportFormat) -> String {
    let mut out = Vec::new();
    write(&mut out, format, &report(), &CallFilter::default(), true).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn csv_matches_a_hand_written_fixture() {
    let expected = "\
day,model,requests,errors,error_rate,input_tokens,output_tokens,reasoning_tokens,cached_tokens,cost_usd,cost_cny,unpriced_requests,latency_p50_ms,latency_p95_ms,latency_p99_ms,ttft_p50_ms,cache_hits,saved_tokens,cache_write_tokens,cache_explicit_hit_tokens,cache_saved_usd,cache_saved_cny
2026-11-01,qwen-plus,4,1,0.25,30,15,0,0,0.3,,0,150,200,200,50,0,0,0,0,,
2026-11-01,\"my \"\"model\"\", v2\",1,0,0,0,0,0,0,,,1,,,,,0,0,0,0,,
";
    assert_eq!(render(ReportFormat::Csv), expected);
}

#[test]
fn table_is_aligned_with_a_total_row() {
    let text = render(ReportFormat::Table);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(lines[0].starts_with("DAY         MODEL"), "{text}");
    assert!(lines[3].starts_with("total"), "{text}");
    // Right-aligned numbers end in the same column.
    let end = |l: &str, word: &str| l.find(word).map(|i| i + word.len());
    assert_eq!(end(lines[0], "REQUESTS"), end(lines[1], " 4"));
    assert!(lines[1].contains("$0.300"), "{text}");
    assert!(lines[2].contains(" ? "), "{text}");
}

#[test]
fn json_and_jsonl_are_versioned() {
    let v: Value = serde_json::from_str(&render(ReportFormat::Json)).unwrap();
    assert_eq!(v["v"], 1);
    assert_eq!(v["by"], json!(["day", "model"]));
    assert_eq!(v["groups"][0]["cost"]["USD"], 0.3);
    assert_eq!(v["groups"][0]["latency_ms"]["p95"], 200.0);
    assert_eq!(v["total"]["unpriced_requests"], 1);
    let lines: Vec<Value> = render(ReportFormat::Jsonl)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let types: Vec<&str> = lines.iter().map(|l| l["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["group", "group", "total"]);
    assert!(lines.iter().all(|l| l["v"] == 1));
}

#[test]
fn prometheus_text_format() {
    let mut r = report();
    r.keys = vec![UsageKey::Model];
    for g in &mut r.groups {
        g.0.remove(0);
    }
    let mut out = Vec::new();
    write(
        &mut out,
        ReportFormat::Prometheus,
        &r,
        &CallFilter::default(),
        false,
    )
    .unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("# TYPE qwen_requests_total counter\n"),
        "{text}"
    );
    assert!(
        text.contains("qwen_requests_total{model=\"qwen-plus\"} 4\n"),
        "{text}"
    );
    assert!(
        text.contains("qwen_tokens_total{model=\"qwen-plus\",kind=\"input\"} 30\n"),
        "{text}"
    );
    assert!(
        text.contains("qwen_cost_total{model=\"qwen-plus\",currency=\"USD\"} 0.3\n"),
        "{text}"
    );
    assert!(text.contains("model=\"my \\\"model\\\", v2\""), "{text}");
    assert!(
        text.contains("qwen_request_duration_seconds{model=\"qwen-plus\",quantile=\"0.95\"} 0.2\n"),
        "{text}"
    );
    assert!(
        text.contains("qwen_request_duration_seconds_sum{model=\"qwen-plus\"} 0.45\n"),
        "{text}"
    );
    assert!(
        text.contains("qwen_request_duration_seconds_count{model=\"qwen-plus\"} 3\n"),
        "{text}"
    );
    assert!(text.contains("quantile=\"0.5\"} NaN\n"), "{text}");
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let (_, value) = line.rsplit_once(' ').unwrap();
        assert!(value == "NaN" || value.parse::<f64>().is_ok(), "{line}");
    }
}

#[test]
fn compact_numbers_and_durations() {
    assert_eq!(compact(9_999), "9999");
    assert_eq!(compact(12_345), "12.3k");
    assert_eq!(compact(1_234_567), "1.23M");
    assert_eq!(duration(Some(340.4)), "340ms");
    assert_eq!(duration(Some(1_234.0)), "1.23s");
    assert_eq!(duration(None), "-");
}
