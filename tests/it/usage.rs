//! The usage ledger, `qwen usage`, prices, budgets and the response cache, driven through the
//! real binary against loopback servers.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant, UNIX_EPOCH};

use serde_json::{Value, json};
use wiremock::MockServer;

use qwen::store::{CallRow, Store};

use crate::common::*;

/// Prices for the mock's model: loopback hosts have no built-in prices.
const PRICES: &str = "[prices.\"qwen-plus\"]\ninput = 0.4\noutput = 1.2\ncurrency = \"USD\"\n";

/// The cost of one [`USAGE`] reply at [`PRICES`]: 22 × 0.4 + 17 × 1.2 per 1M tokens.
const ONE_CALL: f64 = 29.2e-6;

/// The ledger rows, oldest first, as `qwen usage log --format jsonl` prints them.
fn ledger(server: &str, dir: &Path) -> Vec<Value> {
    let a = run(qwen(server, dir).args(["usage", "log", "-n", "10000", "--format", "jsonl"]));
    jsonl(&a.success())
}

/// The `total` object of `qwen usage --format json` with extra arguments.
fn totals(server: &str, dir: &Path, extra: &[&str]) -> Value {
    let a = run(qwen(server, dir)
        .args(["usage", "--format", "json"])
        .args(extra));
    let v: Value = serde_json::from_str(&stdout(&a.success())).unwrap();
    v["total"].clone()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

#[tokio::test]
async fn every_attempt_is_a_row_and_the_priced_one_has_a_cost() {
    let server = MockServer::start().await;
    chat()
        .respond_with(error(
            500,
            json!({"error": {"message": "boom", "code": "internal"}}),
        ))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    chat().respond_with(whole("Hi.")).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), PRICES);
    run(qwen(&server.uri(), dir.path()).args(["chat", "--no-stream", "hi"]))
        .success()
        .stdout("Hi.\n");
    let rows = ledger(&server.uri(), dir.path());
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(
        (rows[0]["status"].clone(), rows[0]["attempt"].clone()),
        (json!(500), json!(1))
    );
    assert_eq!(rows[0]["error_code"], "internal");
    assert_eq!(rows[0]["cost"], Value::Null);
    assert_eq!(
        (rows[1]["status"].clone(), rows[1]["attempt"].clone()),
        (json!(200), json!(2))
    );
    assert_eq!(
        (
            rows[1]["input_tokens"].clone(),
            rows[1]["output_tokens"].clone()
        ),
        (json!(22), json!(17))
    );
    assert!(
        close(rows[1]["cost"].as_f64().unwrap(), ONE_CALL),
        "{}",
        rows[1]
    );
    assert_eq!(rows[1]["currency"], "USD");
    assert_eq!(rows[1]["host"], "127.0.0.1");
    // No text unless the user opts in.
    assert!(
        rows.iter()
            .all(|r| r.get("prompt").is_none() && r.get("response").is_none())
    );
    let total = totals(&server.uri(), dir.path(), &[]);
    assert_eq!(
        (total["requests"].clone(), total["errors"].clone()),
        (json!(2), json!(1))
    );
    assert_eq!(total["error_rate"], 0.5);
    assert_eq!(total["unpriced_requests"], 0);
}

#[tokio::test]
async fn chat_usage_line_shows_the_cost_or_says_it_is_unknown() {
    let server = MockServer::start().await;
    chat().respond_with(stream(&["ok"])).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "-u", "hi"])).success();
    assert!(stderr(&a).contains("cost unknown"), "{}", stderr(&a));
    write_config(dir.path(), PRICES);
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "-u", "hi"])).success();
    assert!(stderr(&a).contains("~$0.0000292"), "{}", stderr(&a));
}

#[tokio::test]
async fn unpriced_models_count_as_unknown_never_as_zero() {
    let server = MockServer::start().await;
    chat().respond_with(whole("ok")).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), PRICES);
    let uri = server.uri();
    for model in ["qwen-plus", "qwen-plus", "mystery-model"] {
        run(qwen(&uri, dir.path()).args(["chat", "--no-stream", "-m", model, "hi"])).success();
    }
    let a = run(qwen(&uri, dir.path()).args(["usage", "--by", "model", "--format", "json"]));
    let v: Value = serde_json::from_str(&stdout(&a.success())).unwrap();
    let groups = v["groups"].as_array().unwrap();
    assert_eq!(groups[0]["model"], "mystery-model");
    assert_eq!(groups[0]["cost"], json!({}));
    assert_eq!(groups[0]["unpriced_requests"], 1);
    assert_eq!(groups[1]["model"], "qwen-plus");
    assert!(close(
        groups[1]["cost"]["USD"].as_f64().unwrap(),
        2.0 * ONE_CALL
    ));
    assert_eq!(v["total"]["unpriced_requests"], 1);
    // The table says unknown with `?`, not 0.
    let a = run(qwen(&uri, dir.path()).args(["usage", "--by", "model"]));
    let table = stdout(&a.success());
    let line = table
        .lines()
        .find(|l| l.starts_with("mystery-model"))
        .unwrap();
    assert!(line.contains(" ? "), "{table}");
}

#[tokio::test]
async fn budget_exits_7_when_the_window_spent_more() {
    let server = MockServer::start().await;
    chat().respond_with(whole("ok")).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), PRICES);
    let uri = server.uri();
    run(qwen(&uri, dir.path()).args(["chat", "--no-stream", "hi"])).success();
    let a = run(qwen(&uri, dir.path()).args(["usage", "--budget", "0.00002", "--since", "1d"]));
    let a = a.code(7);
    let err = stderr(&a);
    assert!(
        err.contains("spend $0.0000292 exceeds the budget of $0.0000200"),
        "{err}"
    );
    // The report is still on stdout.
    assert!(stdout(&a).contains("REQUESTS"));
    run(qwen(&uri, dir.path()).args(["usage", "--budget", "1usd", "--since", "1d"])).success();
    run(qwen(&uri, dir.path()).args(["usage", "--budget", "0.00001cny"])).success();
    // Outside the window nothing was spent.
    run(qwen(&uri, dir.path()).args(["usage", "--budget", "0", "--until", "2000-01-01"])).success();
    let a = run(qwen(&uri, dir.path()).args(["usage", "--budget", "lots"])).code(2);
    assert!(
        stderr(&a).contains("`--budget lots` is not an amount"),
        "{}",
        stderr(&a)
    );
}

#[tokio::test]
async fn the_cache_is_off_unless_asked_for() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&["fresh"]))
        .expect(2)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    for _ in 0..2 {
        run(qwen(&server.uri(), dir.path()).args(["chat", "hi"]))
            .success()
            .stdout("fresh\n");
    }
    let total = totals(&server.uri(), dir.path(), &[]);
    assert_eq!(total["cache_hits"], 0);
}

#[tokio::test]
async fn a_cache_hit_replays_the_reply_and_is_marked_everywhere() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&["Hel", "lo"]))
        .expect(2)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), PRICES);
    let uri = server.uri();
    run(qwen(&uri, dir.path()).args(["chat", "--cache", "hi"]))
        .success()
        .stdout("Hello\n");
    // Identical request (streaming or not): served from the cache, in every format.
    let a = run(qwen(&uri, dir.path()).args(["chat", "--cache", "--no-stream", "hi"])).success();
    assert_eq!(stdout(&a), "Hello\n");
    assert!(
        stderr(&a).contains("reply from the response cache"),
        "{}",
        stderr(&a)
    );
    let a = run(qwen(&uri, dir.path()).args(["chat", "--cache", "--format", "jsonl", "hi"]));
    let lines = jsonl(&a.success());
    let done = lines.last().unwrap();
    assert_eq!(
        (done["type"].clone(), done["cached"].clone()),
        (json!("done"), json!(true))
    );
    assert_eq!(lines[0]["text"], "Hello");
    let a = run(qwen(&uri, dir.path()).args(["chat", "--cache", "--format", "json", "hi"]));
    let v: Value = serde_json::from_str(&stdout(&a.success())).unwrap();
    assert_eq!(
        (v["text"].clone(), v["cached"].clone()),
        (json!("Hello"), json!(true))
    );
    // A different prompt is a different request.
    run(qwen(&uri, dir.path()).args(["chat", "--cache", "hi!"])).success();
    let rows = ledger(&uri, dir.path());
    let hits: Vec<&Value> = rows.iter().filter(|r| r["cache_hit"] == true).collect();
    assert_eq!(hits.len(), 3);
    assert!(
        hits.iter()
            .all(|r| r["input_tokens"] == 0 && r["saved_tokens"] == USAGE.2)
    );
    let total = totals(&uri, dir.path(), &[]);
    assert_eq!(
        (total["requests"].clone(), total["cache_hits"].clone()),
        (json!(2), json!(3))
    );
    assert_eq!(total["saved_tokens"], 3 * USAGE.2);
    assert!(close(
        total["cost"]["USD"].as_f64().unwrap(),
        2.0 * ONE_CALL
    ));
    let a = run(qwen(&uri, dir.path()).args(["cache", "--format", "json"]));
    let stats: Value = serde_json::from_str(&stdout(&a.success())).unwrap();
    assert_eq!(
        (stats["entries"].clone(), stats["hits"].clone()),
        (json!(2), json!(3))
    );
}

#[tokio::test]
async fn cache_clear_and_ttl_make_the_next_call_fresh() {
    let server = MockServer::start().await;
    chat().respond_with(stream(&["ok"])).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let uri = server.uri();
    write_config(dir.path(), "cache = true\n");
    run(qwen(&uri, dir.path()).args(["chat", "hi"])).success(); // 1: stored
    run(qwen(&uri, dir.path()).args(["chat", "hi"])).success(); // hit (profile turns it on)
    run(qwen(&uri, dir.path()).args(["chat", "--no-cache", "hi"])).success(); // 2
    let a = run(qwen(&uri, dir.path()).args(["cache", "clear"])).success();
    assert!(
        stderr(&a).contains("removed 1 cached replies"),
        "{}",
        stderr(&a)
    );
    run(qwen(&uri, dir.path()).args(["chat", "hi"])).success(); // 3: stored again
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
    std::thread::sleep(Duration::from_millis(20));
    // Younger than 10ms only: the stored reply is too old.
    server.reset().await;
    chat()
        .respond_with(stream(&["new"]))
        .expect(1)
        .mount(&server)
        .await;
    run(qwen(&uri, dir.path()).args(["chat", "--cache-ttl", "10ms", "hi"]))
        .success()
        .stdout("new\n");
    let a = run(qwen(&uri, dir.path()).args(["chat", "--cache-ttl", "soon", "hi"])).code(2);
    assert!(
        stderr(&a).contains("invalid `--cache-ttl`"),
        "{}",
        stderr(&a)
    );
}

#[tokio::test]
async fn log_content_keeps_prompt_and_reply_only_when_opted_in() {
    let server = MockServer::start().await;
    chat()
        .respond_with(whole("the answer"))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), "log_content = true\n");
    run(qwen(&server.uri(), dir.path()).args(["chat", "--no-stream", "the question"])).success();
    let rows = ledger(&server.uri(), dir.path());
    assert_eq!(rows[0]["prompt"], "the question");
    assert_eq!(rows[0]["response"], "the answer");
}

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
day,model,requests,errors,error_rate,input_tokens,output_tokens,reasoning_tokens,cached_tokens,cost_usd,cost_cny,unpriced_requests,latency_p50_ms,latency_p95_ms,latency_p99_ms,ttft_p50_ms,cache_hits,saved_tokens
2026-11-01,qwen-max,2,1,0.5,100,10,0,0,,,1,400,400,400,200,0,0
2026-11-01,qwen-plus,10,0,0,1000,100,0,0,0.1,,0,50,100,100,25,0,0
2026-11-02,qwen-plus,2,0,0,200,20,0,0,0.75,,0,100,300,300,50,0,0
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

/// 16 processes × 50 calls at once: every call is recorded, none fails on a locked store.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixteen_processes_times_fifty_calls_give_exactly_800_rows() {
    let server = MockServer::start().await;
    chat().respond_with(whole("ok")).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let uri = server.uri();
    let template = std_qwen(&uri, dir.path());
    let qwen_bin = template.get_program().to_owned();
    let started = Instant::now();
    let mut children = Vec::new();
    for slot in 0..16 {
        let mut sh = std::process::Command::new("sh");
        sh.env_clear();
        for (key, value) in template.get_envs() {
            if let Some(value) = value {
                sh.env(key, value);
            }
        }
        sh.env("QWEN", &qwen_bin)
            .arg("-c")
            .arg(format!(
                "i=0; while [ $i -lt 50 ]; do i=$((i+1)); \
                 \"$QWEN\" chat --no-stream \"slot {slot} call $i\" >/dev/null || exit 1; done"
            ))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        children.push(sh.spawn().unwrap());
    }
    for child in children {
        let out = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
            .await
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "a process failed: {err}");
        assert!(err.is_empty(), "unexpected stderr: {err}");
    }
    let elapsed = started.elapsed();
    let total = totals(&uri, dir.path(), &["--command", "chat"]);
    assert_eq!(total["requests"], 800, "{total}");
    assert_eq!(total["errors"], 0);
    assert_eq!(server.received_requests().await.unwrap().len(), 800);
    assert!(elapsed < Duration::from_secs(60), "took {elapsed:?}");
}

fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// The data directory cannot be created (its parent is a regular file, which stops root
/// too): the reply still arrives, and stderr has exactly one warning.
#[tokio::test]
async fn an_unwritable_store_warns_once_and_the_command_still_works() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&["still here"]))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("file"), "not a directory").unwrap();
    let mut cmd = qwen(&server.uri(), dir.path());
    cmd.env("QWEN_DATA_DIR", dir.path().join("file").join("data"));
    let a = run(cmd.args(["chat", "--cache", "hi"]))
        .success()
        .stdout("still here\n");
    let err = stderr(&a);
    assert_eq!(
        err.lines()
            .filter(|l| l.starts_with("qwen: warning:"))
            .count(),
        1,
        "{err}"
    );
    assert!(err.contains("continuing without it"), "{err}");
}

/// The same with a read-only directory. `chmod` does not stop root (CI runs as root), so
/// there the assertion is skipped; the test above covers that case.
#[tokio::test]
async fn a_read_only_data_dir_warns_once_when_not_root() {
    if is_root() {
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let server = MockServer::start().await;
    chat().respond_with(stream(&["ok"])).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o555)).unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "hi"]))
        .success()
        .stdout("ok\n");
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    let err = stderr(&a);
    assert_eq!(
        err.lines()
            .filter(|l| l.starts_with("qwen: warning:"))
            .count(),
        1,
        "{err}"
    );
}
