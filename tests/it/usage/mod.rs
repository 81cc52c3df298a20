//! The usage ledger, `qwen usage`, prices, budgets and the response cache, driven through the
//! real binary against loopback servers.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant, UNIX_EPOCH};

use serde_json::{Value, json};
use wiremock::MockServer;

use qwen::store::{CallRow, Store};

use crate::common::*;

mod reports;
mod store;

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
