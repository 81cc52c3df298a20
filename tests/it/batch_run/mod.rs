//! `qwen batch` inputs and its run loop: input streams that cannot be read, pipes found in a
//! walk, duplicate ids, a rejected key, Ctrl-C and a closed output (and what the ledger keeps
//! of each), and the progress display on a terminal.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::{assert_no_key, jsonl, qwen, run, std_qwen, stderr, wait_for};
use crate::fault::{FaultServer, Reply};

mod stops;
mod streams;

/// Writes `n` small files `docs/f00.md`… (prompts `doc 0`…) and returns the docs dir.
fn docs(dir: &Path, n: usize) -> PathBuf {
    let docs = dir.join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    for i in 0..n {
        std::fs::write(docs.join(format!("f{i:02}.md")), format!("doc {i}")).unwrap();
    }
    docs
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

fn sigint(child: &Child) {
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// Waits until the server has seen `n` requests.
fn wait_for_requests(server: &FaultServer, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.requests() < n {
        assert!(
            Instant::now() < deadline,
            "only {} requests",
            server.requests()
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The batch rows of the ledger: item id, HTTP status, error code.
fn ledger(dir: &Path) -> Vec<(String, Option<i64>, Option<String>)> {
    let db = rusqlite::Connection::open(dir.join("data/qwen.db")).unwrap();
    let mut stmt = db
        .prepare(
            "SELECT item_id, status, error_code FROM calls WHERE command = 'batch' ORDER BY id",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn lines_of(bytes: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(bytes)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}
