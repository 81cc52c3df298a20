//! What the service's cache usage becomes: the `-u` line, the JSONL `usage` event, ledger
//! rows priced apart from implicit hits, and every `qwen usage` format.

use serde_json::{Value, json};
use wiremock::{MockServer, ResponseTemplate};

use crate::common::*;

/// A whole reply whose usage reports explicit-cache tokens (research-wire.md §4).
fn reply(written: u64, hit: u64) -> ResponseTemplate {
    let body = json!({
        "choices": [{"message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop", "index": 0}],
        "object": "chat.completion",
        "usage": {"prompt_tokens": 2000, "completion_tokens": 17, "total_tokens": 2017,
                  "prompt_tokens_details": {"cache_creation_input_tokens": written,
                      "cache_type": "ephemeral", "cached_tokens": hit}},
        "model": "qwen-plus", "id": CHUNK_ID
    });
    ResponseTemplate::new(200).set_body_raw(body.to_string(), "application/json")
}

const PRICES: &str = "[prices.\"qwen-plus\"]\ninput = 0.4\noutput = 1.2\ncurrency = \"USD\"\n";

#[tokio::test]
async fn writes_and_hits_are_priced_and_reported_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), PRICES);
    let system = super::text_of(1600);
    let mut saved_lines = Vec::new();
    for (written, hit) in [(1500, 0), (0, 1500)] {
        let server = MockServer::start().await;
        chat()
            .respond_with(reply(written, hit))
            .mount(&server)
            .await;
        let a = run(qwen(&server.uri(), dir.path()).args([
            "chat",
            "--no-stream",
            "-u",
            "--cache-prompt",
            "-s",
            &system,
            "q",
        ]));
        let err = stderr(&a.success());
        saved_lines.push(
            err.lines()
                .find(|l| l.starts_with("qwen: usage:"))
                .unwrap()
                .to_owned(),
        );
    }
    // Write: 1,500 × (0.5 − 0.4) per 1M more than plain input. Hit: 1,500 × (0.4 − 0.04).
    assert!(
        saved_lines[0].ends_with(" · cache: wrote 1500, hit 0 tokens, saved -$0.000150 net"),
        "{saved_lines:?}"
    );
    assert!(
        saved_lines[1].ends_with(" · cache: wrote 0, hit 1500 tokens, saved $0.000540 net"),
        "{saved_lines:?}"
    );
    // Cost: 500 × 0.4 + 1,500 × 0.5 + 17 × 1.2 = 970.4; then 500 × 0.4 + 1,500 × 0.04 + 20.4.
    assert!(saved_lines[0].contains("~$0.000970"), "{saved_lines:?}");
    assert!(saved_lines[1].contains("~$0.000280"), "{saved_lines:?}");

    let usage = |format: &str| {
        let a = run(qwen("http://127.0.0.1:9/v1", dir.path()).args(["usage", "--format", format]));
        stdout(&a.success())
    };
    let v: Value = serde_json::from_str(usage("json").trim()).unwrap();
    let t = &v["total"];
    assert_eq!(t["cache_write_tokens"], 1500);
    assert_eq!(t["cache_explicit_hit_tokens"], 1500);
    assert_eq!(t["cached_tokens"], 1500);
    assert_eq!(t["cache_saved"], json!({"USD": 0.00039}));
    assert_eq!(t["cost"], json!({"USD": 0.0012508}));
    let last = usage("jsonl");
    let total: Value = serde_json::from_str(last.lines().last().unwrap()).unwrap();
    assert_eq!(total["cache_saved"], json!({"USD": 0.00039}));
    let csv = usage("csv");
    assert!(csv.lines().next().unwrap().ends_with(
        ",cache_write_tokens,cache_explicit_hit_tokens,cache_saved_usd,cache_saved_cny"
    ));
    assert!(
        csv.lines().nth(1).unwrap().ends_with(",1500,1500,0.00039,"),
        "{csv}"
    );
    let prom = usage("prometheus");
    assert!(
        prom.contains("qwen_tokens_total{kind=\"cache_write\"} 1500\n"),
        "{prom}"
    );
    assert!(
        prom.contains("qwen_tokens_total{kind=\"cache_explicit_hit\"} 1500\n"),
        "{prom}"
    );
    assert!(
        prom.contains("qwen_prompt_cache_saved_total{currency=\"USD\"} 0.00039\n"),
        "{prom}"
    );
    // Every row in the log: the write, then the explicit hit.
    let a =
        run(qwen("http://127.0.0.1:9/v1", dir.path()).args(["usage", "log", "--format", "jsonl"]));
    let rows = jsonl(&a.success());
    let fields = |r: &Value| {
        (
            r["cache_write_tokens"].clone(),
            r["cached_tokens"].clone(),
            r["cache_type"].clone(),
        )
    };
    assert_eq!(
        fields(&rows[0]),
        (json!(1500), json!(0), json!("ephemeral"))
    );
    assert_eq!(
        fields(&rows[1]),
        (json!(0), json!(1500), json!("ephemeral"))
    );
    assert_eq!(rows[1]["cache_saved"], json!(0.00054));
    // The cache columns are in the full table (`--wide`); the default one fits 80 columns.
    let wide = run(qwen("http://127.0.0.1:9/v1", dir.path()).args(["usage", "--wide"]));
    let table = stdout(&wide.success());
    assert!(
        table
            .lines()
            .next()
            .unwrap()
            .ends_with("CACHE WRITE  CACHE SAVED"),
        "{table}"
    );
    let cells: Vec<&str> = table.lines().nth(1).unwrap().split_whitespace().collect();
    assert_eq!(cells[cells.len() - 2..], ["1500", "$0.000390"], "{table}");
}

#[tokio::test]
async fn the_jsonl_usage_event_carries_cache_writes() {
    let server = MockServer::start().await;
    chat().respond_with(reply(1500, 0)).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args([
        "chat",
        "--no-stream",
        "--format",
        "jsonl",
        "q",
    ]));
    let events = jsonl(&a.success());
    let usage = events.iter().find(|e| e["type"] == "usage").unwrap();
    assert_eq!(usage["cache_write_tokens"], 1500);
    assert_eq!(usage["cached_tokens"], 0);
}
