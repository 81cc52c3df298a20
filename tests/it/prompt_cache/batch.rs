//! `qwen batch --cache-prompt`: the template's constant text and the system prompt are the
//! prefix, the first marked item warms the cache alone, and the summary says what the cache
//! did; `--remote` sends no markers.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use wiremock::{MockServer, Request, Respond, ResponseTemplate};

use crate::common::*;

/// Answers after `delay`, recording when each request arrived and its body; the first
/// request's usage writes the explicit cache, later ones hit it.
#[derive(Clone)]
struct Recorder {
    seen: Arc<Mutex<Vec<(Instant, Value)>>>,
    delay: Duration,
}

impl Respond for Recorder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut seen = self.seen.lock().unwrap();
        let first = seen.is_empty();
        seen.push((Instant::now(), request.body_json().unwrap()));
        let (written, hit) = if first { (1200, 0) } else { (0, 1200) };
        let body = json!({
            "choices": [{"message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop", "index": 0}],
            "usage": {"prompt_tokens": 1300, "completion_tokens": 2, "total_tokens": 1302,
                      "prompt_tokens_details": {"cache_creation_input_tokens": written,
                          "cache_type": "ephemeral", "cached_tokens": hit}},
            "model": "qwen-plus", "id": CHUNK_ID
        });
        ResponseTemplate::new(200)
            .set_body_raw(body.to_string(), "application/json")
            .set_delay(self.delay)
    }
}

async fn recorder(delay: Duration) -> (MockServer, Arc<Mutex<Vec<(Instant, Value)>>>) {
    let server = MockServer::start().await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    chat()
        .respond_with(Recorder {
            seen: Arc::clone(&seen),
            delay,
        })
        .mount(&server)
        .await;
    (server, seen)
}

fn docs(dir: &std::path::Path, n: usize) -> std::path::PathBuf {
    let docs = dir.join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    for i in 0..n {
        std::fs::write(docs.join(format!("f{i}.md")), format!("doc {i}")).unwrap();
    }
    docs
}

#[tokio::test]
async fn the_first_item_warms_the_cache_alone_and_the_template_head_is_marked() {
    let delay = Duration::from_millis(400);
    let (server, seen) = recorder(delay).await;
    let dir = tempfile::tempdir().unwrap();
    write_config(
        dir.path(),
        "[prices.\"qwen-plus\"]\ninput = 0.4\noutput = 1.2\ncurrency = \"USD\"\n",
    );
    let docs = docs(dir.path(), 4);
    let head = format!("{}\nSummarise: ", super::text_of(1100));
    let template = format!("{head}{{content}}");
    let uri = server.uri();
    let a = tokio::task::spawn_blocking(move || {
        run(qwen(&uri, dir.path())
            .args([
                "batch",
                "--no-stream",
                "-j",
                "4",
                "--cache-prompt",
                "--prompt",
                &template,
            ])
            .arg(&docs))
        .success()
        .get_output()
        .clone()
    })
    .await
    .unwrap();
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 4);
    let first = seen[0].0;
    for (at, _) in &seen[1..] {
        assert!(
            *at >= first + delay,
            "an item was sent {:?} after the first, before its reply",
            at.duration_since(first)
        );
    }
    for (_, body) in &seen {
        let parts = body["messages"][0]["content"]
            .as_array()
            .expect("array content");
        assert_eq!(
            parts[0],
            json!({"type": "text", "text": head, "cache_control": {"type": "ephemeral"}})
        );
        assert!(parts[1]["text"].as_str().unwrap().starts_with("doc "));
    }
    // 1,200 written at +25 %, then 3 × 1,200 hit at −90 %: (−0.1 × 1,200 + 0.36 × 3,600) / 1M.
    let err = String::from_utf8_lossy(&a.stderr).into_owned();
    assert!(
        err.contains("qwen: batch: cache: wrote 1200, hit 3600 tokens, saved $0.00118 net\n"),
        "{err}"
    );
}

#[tokio::test]
async fn without_markers_the_items_go_together() {
    let delay = Duration::from_millis(400);
    let (server, seen) = recorder(delay).await;
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 4);
    let uri = server.uri();
    tokio::task::spawn_blocking(move || {
        // Asked for, but the prefix is under the minimum: no marker, no warm-up, one note.
        let a = run(qwen(&uri, dir.path())
            .args([
                "batch",
                "--no-stream",
                "-j",
                "4",
                "--cache-prompt",
                "--prompt",
                "Summarise {content}",
            ])
            .arg(&docs))
        .success();
        let err = stderr(&a);
        assert_eq!(err.matches("prompt cache: no marker").count(), 1, "{err}");
    })
    .await
    .unwrap();
    let seen = seen.lock().unwrap().clone();
    let first = seen[0].0;
    assert!(
        seen.iter().all(|(at, _)| at.duration_since(first) < delay),
        "sent together"
    );
    assert!(
        seen.iter()
            .all(|(_, b)| b["messages"][0]["content"].is_string())
    );
}

#[tokio::test]
async fn jsonl_items_share_the_system_prompt_and_dry_run_counts_markers() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(
        &input,
        "{\"id\":\"a\",\"prompt\":\"one\"}\n{\"id\":\"b\",\"prompt\":\"two\"}\n",
    )
    .unwrap();
    let system = super::text_of(1100);
    let a = run(qwen("http://127.0.0.1:9/v1", dir.path())
        .args([
            "batch",
            "--cache-prompt",
            "--dry-run",
            "-s",
            &system,
            "--input",
        ])
        .arg(&input));
    let lines = jsonl(&a.success());
    assert_eq!(lines[0]["cache_markers"], 1);
    assert_eq!(lines[1]["cache_markers"], 1);
}

#[test]
fn remote_batches_are_sent_without_markers_and_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, "{\"id\":\"a\",\"prompt\":\"one\"}\n").unwrap();
    let system = super::text_of(1100);
    let a = run(qwen("http://127.0.0.1:9/v1", dir.path())
        .args([
            "batch",
            "--remote",
            "--cache-prompt",
            "--dry-run",
            "-s",
            &system,
            "--input",
        ])
        .arg(&input));
    let a = a.success();
    let err = stderr(&a);
    assert!(
        err.contains("prompt cache: the Batch API gives no cache discount; sent without markers"),
        "{err}"
    );
    assert!(jsonl(&a)[0].get("cache_markers").is_none());
}
