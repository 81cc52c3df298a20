//! `qwen batch` against the fault-injecting server: concurrency, retries, resume, inputs.

use std::collections::HashMap;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::{jsonl, qwen, run, std_qwen, stderr, wait_for};
use crate::fault::{FaultServer, Reply};

mod inputs;
mod pace;
mod resume;

/// Writes `n` small files `docs/f00.md`… and returns the docs dir.
fn docs(dir: &Path, n: usize) -> std::path::PathBuf {
    let docs = dir.join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    for i in 0..n {
        std::fs::write(docs.join(format!("f{i:02}.md")), format!("doc {i}")).unwrap();
    }
    docs
}

fn by_id(lines: &[Value]) -> HashMap<String, Vec<&Value>> {
    let mut map: HashMap<String, Vec<&Value>> = HashMap::new();
    for line in lines {
        map.entry(line["id"].as_str().unwrap().to_owned())
            .or_default()
            .push(line);
    }
    map
}

#[test]
fn every_file_gets_exactly_one_line_and_in_flight_stays_under_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 24);
    let server = FaultServer::ok_after(Duration::from_millis(40));
    let assert = run(qwen(&server.uri(), dir.path())
        .arg("batch")
        .arg(&docs)
        .args(["-j", "4", "--prompt", "Summarise {name}"]))
    .success();
    let lines = jsonl(&assert);
    assert_eq!(lines.len(), 24);
    let ids = by_id(&lines);
    assert_eq!(ids.len(), 24, "one line per item");
    assert!(lines.iter().all(|l| l["status"] == "ok" && l["v"] == 1));
    assert!(
        lines[0]["output"]
            .as_str()
            .unwrap()
            .starts_with("re: Summarise f")
    );
    assert_eq!(lines[0]["usage"]["total_tokens"], 15);
    assert_eq!(server.requests(), 24);
    assert!(
        server.max_in_flight() <= 4,
        "max in flight {}",
        server.max_in_flight()
    );
    assert!(server.max_in_flight() >= 2, "it ran in parallel at all");
    assert!(stderr(&assert).contains("24 item(s): 24 ok"));
}

#[test]
fn dry_run_lists_items_and_sends_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 3);
    let server = FaultServer::ok_after(Duration::ZERO);
    let assert = run(qwen(&server.uri(), dir.path())
        .arg("batch")
        .arg(&docs)
        .arg("--dry-run"))
    .success();
    let lines = jsonl(&assert);
    assert_eq!(lines.len(), 3);
    assert!(
        lines
            .iter()
            .all(|l| l["status"] == "would_send" && l["estimated_tokens"].as_u64() > Some(0))
    );
    assert_eq!(server.requests(), 0);
}

#[test]
fn ledger_rows_carry_batch_and_item_ids() {
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 2);
    let server = FaultServer::start(|prompt, before| {
        if prompt == "doc 0" && before == 0 {
            (
                Duration::ZERO,
                Reply::Error {
                    status: 503,
                    body: "{}".into(),
                    retry_after: None,
                },
            )
        } else {
            (Duration::ZERO, Reply::Ok("fine".into()))
        }
    });
    run(qwen(&server.uri(), dir.path()).arg("batch").arg(&docs)).success();
    let db = rusqlite::Connection::open(dir.path().join("data/qwen.db")).unwrap();
    let mut stmt = db
        .prepare("SELECT item_id, attempt, status, batch_id FROM calls WHERE command = 'batch' ORDER BY id")
        .unwrap();
    let rows: Vec<(String, i64, Option<i64>, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows.len(), 3);
    let f00: Vec<_> = rows.iter().filter(|r| r.0.ends_with("f00.md")).collect();
    assert_eq!(
        f00.iter().map(|r| (r.1, r.2)).collect::<Vec<_>>(),
        [(1, Some(503)), (2, Some(200))]
    );
    assert!(
        rows.iter()
            .all(|r| r.3 == rows[0].3 && r.3.starts_with("local-"))
    );
}

/// Two documents under `dir` (for tests whose `docs` name is already taken).
fn docs_at(dir: &Path) -> std::path::PathBuf {
    docs(dir, 2)
}
