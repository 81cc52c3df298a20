//! Reports over a seeded ledger: splits by day and model, filters that must be typed, the
//! Prometheus format, and a fresh machine.

use super::*;

/// Writes ledger rows with chosen times and latencies, as if several days of calls ran.
fn seed(dir: &Path) {
    const DAY: u64 = 86_400_000;
    let nov1 = 20_758 * DAY; // 2026-11-01T00:00:00Z
    let row = |ts: u64, model: &str, command: &str, latency: u64, cost: Option<f64>| CallRow {
        ts: Some(UNIX_EPOCH + Duration::from_millis(ts)),
        command: command.into(),
        model: model.into(),
        attempt: 1,
        status: Some(200),
        prompt_tokens: Some(100),
        completion_tokens: Some(10),
        reasoning_tokens: Some(0),
        cached_tokens: Some(0),
        ttft: Some(Duration::from_millis(latency / 2)),
        latency: Duration::from_millis(latency),
        cost,
        currency: cost.map(|_| "USD".into()),
        ..Default::default()
    };
    let mut rows = Vec::new();
    // 2026-11-01, qwen-plus: latencies 10..=100 ms (ten calls), each $0.01.
    for i in 1..=10 {
        rows.push(row(
            nov1 + i * 1000,
            "qwen-plus",
            "chat",
            i * 10,
            Some(0.01),
        ));
    }
    // 2026-11-01, qwen-max: one failed attempt (no tokens) and one success of unknown price.
    let mut failed = row(nov1 + 50_000, "qwen-max", "chat", 5_000, None);
    (failed.status, failed.error_code) = (Some(429), Some("limit_requests".into()));
    (failed.prompt_tokens, failed.completion_tokens) = (None, None);
    rows.push(failed);
    rows.push(row(nov1 + 60_000, "qwen-max", "batch", 400, None));
    // 2026-11-02, qwen-plus: two calls.
    rows.push(row(nov1 + DAY + 1, "qwen-plus", "batch", 300, Some(0.5)));
    rows.push(row(nov1 + DAY + 2, "qwen-plus", "chat", 100, Some(0.25)));
    // 2026-11-03: outside the window below.
    rows.push(row(nov1 + 2 * DAY, "qwen-plus", "chat", 1, Some(1.0)));
    Store::open(dir).unwrap().record_calls(&rows).unwrap();
}

#[test]
fn report_by_day_and_model_matches_hand_computed_csv() {
    let dir = tempfile::tempdir().unwrap();
    seed(&dir.path().join("data"));
    let a = run(qwen("http://127.0.0.1:9", dir.path()).args([
        "usage",
        "--since",
        "2026-11-01",
        "--until",
        "2026-11-03",
        "--by",
        "day,model",
        "--format",
        "csv",
    ]));
    // qwen-plus on the 1st: p50 = 5th of 10 = 50, p95 = p99 = 10th = 100; TTFT p50 = 25.
    // qwen-max on the 1st: 1 error of 2; the success (400 ms) is the only latency; it is
    // unpriced, the failed attempt reported no tokens and was not billed.
    // qwen-plus on the 2nd: p50 of [100, 300] = 1st = 100.
    let expected = "\
day,model,requests,errors,error_rate,input_tokens,output_tokens,reasoning_tokens,cached_tokens,cost_usd,cost_cny,unpriced_requests,latency_p50_ms,latency_p95_ms,latency_p99_ms,ttft_p50_ms,cache_hits,saved_tokens,cache_write_tokens,cache_explicit_hit_tokens,cache_saved_usd,cache_saved_cny
2026-11-01,qwen-max,2,1,0.5,100,10,0,0,,,1,400,400,400,200,0,0,0,0,,
2026-11-01,qwen-plus,10,0,0,1000,100,0,0,0.1,,0,50,100,100,25,0,0,0,0,,
2026-11-02,qwen-plus,2,0,0,200,20,0,0,0.75,,0,100,300,300,50,0,0,0,0,,
";
    assert_eq!(stdout(&a.success()), expected);
    // Filters: one command, comma-separated keys in another order.
    let a = run(qwen("http://127.0.0.1:9", dir.path()).args([
        "usage",
        "--command",
        "batch",
        "--by",
        "model",
        "--by",
        "day",
        "--format",
        "csv",
    ]));
    let text = stdout(&a.success());
    let rows: Vec<String> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').take(3).collect::<Vec<_>>().join(","))
        .collect();
    assert_eq!(rows, ["qwen-max,2026-11-01,1", "qwen-plus,2026-11-02,1"]);
}

#[test]
fn environment_model_and_profile_do_not_filter_reports() {
    let dir = tempfile::tempdir().unwrap();
    seed(&dir.path().join("data"));
    let mut cmd = qwen("http://127.0.0.1:9", dir.path());
    cmd.env("QWEN_MODEL", "qwen-max")
        .env("QWEN_PROFILE", "nowhere");
    let a = run(cmd.args(["usage", "--format", "json"]));
    let v: Value = serde_json::from_str(&stdout(&a.success())).unwrap();
    assert_eq!(v["total"]["requests"], 15);
    // Typed, they do; and a profile that is not in config.toml is just a name.
    let total = totals("http://127.0.0.1:9", dir.path(), &["-m", "qwen-max"]);
    assert_eq!(total["requests"], 2);
    let total = totals("http://127.0.0.1:9", dir.path(), &["--profile", "nowhere"]);
    assert_eq!(total["requests"], 0);
    let a =
        run(qwen("http://127.0.0.1:9", dir.path()).args(["usage", "log", "--model", "qwen-max"]));
    assert_eq!(stdout(&a.success()).lines().count(), 3); // header and two calls
}

#[test]
fn prometheus_output_is_the_text_exposition_format() {
    let dir = tempfile::tempdir().unwrap();
    seed(&dir.path().join("data"));
    let a = run(qwen("http://127.0.0.1:9", dir.path()).args([
        "usage",
        "--by",
        "model",
        "--format",
        "prometheus",
    ]));
    let text = stdout(&a.success());
    assert!(
        text.contains(
            "# TYPE qwen_requests_total counter\nqwen_requests_total{model=\"qwen-max\"} 2\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("qwen_cost_total{model=\"qwen-plus\",currency=\"USD\"} 1.85\n"),
        "{text}"
    );
    assert!(
        text.contains("# TYPE qwen_request_duration_seconds summary\n"),
        "{text}"
    );
    assert!(
        text.contains("qwen_request_duration_seconds{model=\"qwen-max\",quantile=\"0.99\"} 0.4\n"),
        "{text}"
    );
    let a = run(qwen("http://127.0.0.1:9", dir.path()).args([
        "usage",
        "--by",
        "day",
        "--format",
        "prometheus",
    ]));
    a.code(2);
}

#[test]
fn usage_on_a_fresh_machine_reports_nothing_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen("http://127.0.0.1:9", dir.path()).args(["usage", "--format", "jsonl"]));
    let lines = jsonl(&a.success());
    assert_eq!(lines.len(), 1);
    assert_eq!(
        (lines[0]["type"].clone(), lines[0]["requests"].clone()),
        (json!("total"), json!(0))
    );
    assert!(!dir.path().join("data").exists());
    let a = run(qwen("http://127.0.0.1:9", dir.path()).args(["usage", "--since", "soon"])).code(2);
    assert!(stderr(&a).contains("`--since soon`"), "{}", stderr(&a));
}

#[tokio::test]
async fn the_table_fits_80_columns_even_with_long_model_names() {
    let server = MockServer::start().await;
    chat().respond_with(stream(&["ok"])).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let uri = server.uri();
    let long = "qwen3-coder-480b-a35b-instruct-fine-tuned-for-a-very-long-name-2026-11-30";
    for model in [long, "qwen-plus"] {
        run(qwen(&uri, dir.path()).args(["chat", "-m", model, "hi"])).success();
    }
    for by in ["model", "day,model,command", "day,model,command,profile"] {
        let a = run(qwen(&uri, dir.path()).args(["usage", "--by", by]));
        let table = stdout(&a.success());
        for line in table.lines() {
            assert!(line.chars().count() <= 80, "--by {by}: {line:?}\n{table}");
        }
        assert!(
            table.contains("REQUESTS") && table.contains("COST"),
            "{table}"
        );
        assert!(!table.contains("P99"), "{table}");
        assert!(table.contains("qwen3-coder-4"), "{table}");
        assert!(table.contains("qwen-plus"), "{table}");
        if by.starts_with("day") {
            // Days are never cut.
            let day = table
                .lines()
                .nth(1)
                .unwrap()
                .split_whitespace()
                .next()
                .unwrap();
            assert_eq!(day.len(), 10, "{table}");
        }
    }
    let a = run(qwen(&uri, dir.path()).args(["usage", "--by", "model", "--wide"]));
    let wide = stdout(&a.success());
    assert!(
        wide.contains("P99") && wide.contains("SAVED") && wide.contains(long),
        "{wide}"
    );
    // The machine formats keep every field whatever the width.
    let a = run(qwen(&uri, dir.path()).args(["usage", "--by", "model", "--format", "csv"]));
    let csv = stdout(&a.success());
    assert!(
        csv.contains(long) && csv.contains("latency_p99_ms"),
        "{csv}"
    );
    run(qwen(&uri, dir.path()).args(["usage", "--wide", "log"])).code(2);
}
