//! `qwen batch --remote` against the fake Batch API: splitting, both error-line shapes,
//! expiry, cancel, detach/fetch, and reattaching after a crash without uploading twice.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::batch_api::{BatchApi, statuses};
use crate::common::{jsonl, qwen, run, std_qwen, stderr, stdout};

mod recovery;

fn inputs(dir: &Path, prompts: &[&str]) -> std::path::PathBuf {
    let path = dir.join("in.jsonl");
    let text: String = prompts
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{{\"id\":\"item{i}\",\"prompt\":\"{p}\"}}\n"))
        .collect();
    std::fs::write(&path, text).unwrap();
    path
}

fn remote(api: &BatchApi, dir: &Path, input: &Path) -> assert_cmd::Command {
    let mut cmd = qwen(&api.uri(), dir);
    cmd.args(["batch", "--remote", "--poll-interval", "5ms", "--input"])
        .arg(input);
    cmd
}

#[test]
fn a_job_split_across_files_gives_one_line_per_item() {
    let dir = tempfile::tempdir().unwrap();
    let input = inputs(dir.path(), &["a", "b", "c", "d", "e"]);
    let api = BatchApi::start("completed");
    let assert = run(remote(&api, dir.path(), &input).args(["--max-file-lines", "2"])).success();
    assert_eq!(api.uploads(), 3);
    assert_eq!(api.creates(), 3);
    let lines = jsonl(&assert);
    let by = statuses(&lines);
    assert_eq!(by.len(), 5);
    assert!(by.values().all(|s| s == &["ok"]), "{by:?}");
    let a = lines.iter().find(|l| l["id"] == "item0").unwrap();
    assert_eq!(a["output"], "re: a");
    assert_eq!(a["usage"]["total_tokens"], 15);
    assert!(a["key"].is_string());
    // The uploaded lines are Batch API lines for the chat endpoint.
    let up = api.uploaded_lines();
    assert_eq!(up.len(), 5);
    assert!(
        up.iter()
            .all(|l| l["url"] == "/v1/chat/completions" && l["method"] == "POST")
    );
    assert!(stderr(&assert).contains("5 ok"));
}

#[test]
fn failed_lines_in_both_shapes_become_failed_items() {
    let dir = tempfile::tempdir().unwrap();
    let input = inputs(dir.path(), &["fine", "ERRBODY", "ERRTOP"]);
    let api = BatchApi::start("completed");
    let assert = run(&mut remote(&api, dir.path(), &input)).code(3);
    let lines = jsonl(&assert);
    let get = |id: &str| lines.iter().find(|l| l["id"] == id).unwrap();
    assert_eq!(get("item0")["status"], "ok");
    assert_eq!(get("item1")["error"]["code"], "invalid_parameter_error");
    assert_eq!(get("item1")["error"]["status"], 400);
    assert_eq!(get("item2")["error"]["code"], "InvalidParameter");
    assert_eq!(get("item2")["error"]["message"], "bad top");
    assert_eq!(lines.len(), 3);
}

#[test]
fn an_expired_batch_fails_the_lines_it_never_ran() {
    let dir = tempfile::tempdir().unwrap();
    let input = inputs(dir.path(), &["a", "b", "c", "d"]);
    let api = BatchApi::start("expired");
    let assert = run(&mut remote(&api, dir.path(), &input)).code(3);
    let lines = jsonl(&assert);
    assert_eq!(statuses(&lines).len(), 4);
    let ok = lines.iter().filter(|l| l["status"] == "ok").count();
    let expired: Vec<&Value> = lines
        .iter()
        .filter(|l| l["error"]["code"] == "batch_expired")
        .collect();
    assert_eq!((ok, expired.len()), (2, 2));
}

#[test]
fn detach_then_status_then_fetch() {
    let dir = tempfile::tempdir().unwrap();
    let input = inputs(dir.path(), &["a", "b", "c"]);
    let api = BatchApi::start("completed");
    let assert = run(remote(&api, dir.path(), &input).arg("--detach")).success();
    let job: Value = serde_json::from_str(
        assert
            .get_output()
            .stdout
            .split(|b| *b == b'\n')
            .next()
            .map(|l| std::str::from_utf8(l).unwrap())
            .unwrap(),
    )
    .unwrap();
    let id = job["job"].as_str().unwrap().to_owned();
    assert_eq!(job["batches"].as_array().unwrap().len(), 1);
    assert_eq!(job["items"], 3);

    let status =
        run(qwen(&api.uri(), dir.path()).args(["--format", "json", "batch", "status", &id]))
            .success();
    let status: Value = serde_json::from_slice(&status.get_output().stdout).unwrap();
    assert_eq!(status["job"], id.as_str());
    assert_eq!(status["batches"][0]["status"], "in_progress");

    let out = dir.path().join("results.jsonl");
    run(qwen(&api.uri(), dir.path())
        .args(["batch", "fetch", &id, "--poll-interval", "5ms", "-o"])
        .arg(&out))
    .success();
    let text = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(statuses(&lines).len(), 3);
    assert!(lines.iter().all(|l| l["status"] == "ok"));
    assert_eq!(api.uploads(), 1, "fetch uploads nothing");

    let list =
        run(qwen(&api.uri(), dir.path()).args(["--format", "jsonl", "batch", "list"])).success();
    let jobs = jsonl(&list);
    assert_eq!(jobs[0]["job"], id.as_str());
    assert_eq!(jobs[0]["state"], "fetched");
    // `json` is one document; `jsonl` one line per job.
    let list =
        run(qwen(&api.uri(), dir.path()).args(["--format", "json", "batch", "list"])).success();
    let doc: Value = serde_json::from_slice(&list.get_output().stdout).expect("one document");
    assert_eq!(doc["v"], 1);
    assert_eq!(doc["jobs"][0]["job"], id.as_str());
    assert!(doc["jobs"][0].get("v").is_none());
}

#[test]
fn cancel_keeps_finished_lines_and_fails_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let input = inputs(dir.path(), &["a", "b", "c", "d"]);
    let api = BatchApi::start("completed");
    let assert = run(remote(&api, dir.path(), &input).arg("--detach")).success();
    let job: Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    let id = job["job"].as_str().unwrap();
    run(qwen(&api.uri(), dir.path()).args(["batch", "cancel", id])).success();
    let assert =
        run(qwen(&api.uri(), dir.path()).args(["batch", "fetch", id, "--poll-interval", "5ms"]))
            .code(3);
    let lines = jsonl(&assert);
    assert_eq!(statuses(&lines).len(), 4);
    assert_eq!(
        lines
            .iter()
            .filter(|l| l["error"]["code"] == "batch_cancelled")
            .count(),
        2
    );
}

#[test]
fn too_large_lines_are_skipped_before_anything_is_uploaded() {
    let dir = tempfile::tempdir().unwrap();
    let big = "x".repeat(2000);
    let input = inputs(dir.path(), &["small", &big]);
    let api = BatchApi::start("completed");
    let assert = run(remote(&api, dir.path(), &input).args(["--max-line-bytes", "1KB"])).code(3);
    let lines = jsonl(&assert);
    let skipped = lines.iter().find(|l| l["id"] == "item1").unwrap();
    assert_eq!(skipped["status"], "skipped");
    assert!(
        skipped["reason"]
            .as_str()
            .unwrap()
            .contains("Batch API line")
    );
    assert_eq!(api.uploaded_lines().len(), 1);
}

#[test]
fn dry_run_counts_files_and_lines_and_uploads_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = inputs(dir.path(), &["a", "b", "c"]);
    let api = BatchApi::start("completed");
    let assert = run(remote(&api, dir.path(), &input).args(["--dry-run", "--max-file-lines", "2"]))
        .success();
    assert!(
        stderr(&assert).contains("2 file(s) with 3 line(s)"),
        "{}",
        stderr(&assert)
    );
    assert_eq!(api.uploads(), 0);
}

#[test]
fn ledger_rows_carry_the_job_id() {
    let dir = tempfile::tempdir().unwrap();
    let input = inputs(dir.path(), &["a", "b"]);
    let api = BatchApi::start("completed");
    run(&mut remote(&api, dir.path(), &input)).success();
    let db = rusqlite::Connection::open(dir.path().join("data/qwen.db")).unwrap();
    let rows: Vec<(String, String, i64)> = db
        .prepare("SELECT batch_id, item_id, prompt_tokens FROM calls WHERE command = 'batch'")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r.0.starts_with("job-") && r.2 == 10));
}

#[test]
fn lines_that_failed_remotely_are_retried_locally_with_resume() {
    let dir = tempfile::tempdir().unwrap();
    let input = inputs(dir.path(), &["a", "ERRTOP", "c"]);
    let out = dir.path().join("results.jsonl");
    let api = BatchApi::start("completed");
    run(remote(&api, dir.path(), &input).arg("-o").arg(&out)).code(3);
    let local = crate::fault::FaultServer::ok_after(Duration::ZERO);
    run(qwen(&local.uri(), dir.path())
        .args(["batch", "--resume", "-o"])
        .arg(&out)
        .arg("--input")
        .arg(&input))
    .success();
    assert_eq!(local.requests(), 1, "only the failed line runs again");
    let text = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ok: Vec<Value> = lines.into_iter().filter(|l| l["status"] == "ok").collect();
    assert_eq!(statuses(&ok).len(), 3);
}

#[test]
fn with_the_native_api_batch_calls_go_to_the_compat_root() {
    let dir = tempfile::tempdir().unwrap();
    let input = inputs(dir.path(), &["a"]);
    let api = BatchApi::start("completed");
    let native_root = api.uri().replace("/v1", "/api/v1");
    let assert = run(qwen(&native_root, dir.path())
        .args([
            "--api",
            "native",
            "batch",
            "--remote",
            "--poll-interval",
            "5ms",
            "--input",
        ])
        .arg(&input))
    .success();
    assert_eq!(jsonl(&assert)[0]["status"], "ok");
    assert_eq!(api.uploads(), 1);
}

#[test]
fn fetching_twice_writes_and_bills_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let input = inputs(dir.path(), &["a", "b"]);
    let api = BatchApi::start("completed");
    let assert = run(remote(&api, dir.path(), &input).arg("--detach")).success();
    let job: Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    let id = job["job"].as_str().unwrap();
    let out = dir.path().join("r.jsonl");
    for _ in 0..2 {
        run(qwen(&api.uri(), dir.path())
            .args(["batch", "fetch", id, "--poll-interval", "5ms", "-o"])
            .arg(&out))
        .success();
    }
    assert_eq!(std::fs::read_to_string(&out).unwrap().lines().count(), 2);
    let db = rusqlite::Connection::open(dir.path().join("data/qwen.db")).unwrap();
    let rows: i64 = db
        .query_row(
            "SELECT count(*) FROM calls WHERE command = 'batch'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(rows, 2);
}

#[test]
fn each_uploaded_file_holds_one_model() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, "{\"id\":\"a\",\"prompt\":\"x\"}\n{\"id\":\"b\",\"prompt\":\"y\",\"model\":\"qwen-max\"}\n{\"id\":\"c\",\"prompt\":\"z\"}\n").unwrap();
    let api = BatchApi::start("completed");
    run(&mut remote(&api, dir.path(), &input)).success();
    assert_eq!(api.uploads(), 2);
    let lines = api.uploaded_lines();
    let models: Vec<&str> = lines
        .iter()
        .map(|l| l["body"]["model"].as_str().unwrap())
        .collect();
    assert_eq!(models, ["qwen-plus", "qwen-plus", "qwen-max"]);
}

#[test]
fn a_window_outside_the_documented_range_sends_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = inputs(dir.path(), &["a"]);
    let api = BatchApi::start("completed");
    let out = dir.path().join("results.jsonl");
    for window in [
        "90m",
        "12h",
        "15d",
        "abc",
        "0h",
        "99999999h",
        "337h",
        "1.5d",
    ] {
        for dry_run in [false, true] {
            let mut cmd = remote(&api, dir.path(), &input);
            cmd.args(["--window", window, "-o"]).arg(&out);
            if dry_run {
                cmd.arg("--dry-run");
            }
            let assert = run(&mut cmd).code(2);
            let err = stderr(&assert);
            assert!(
                err.starts_with(&format!("qwen: error: invalid `--window`: `{window}`")),
                "{window}: {err}"
            );
            assert!(err.contains("`24h` to `336h`"), "{err}");
            assert!(stdout(&assert).is_empty());
        }
    }
    assert!(api.calls().is_empty(), "{:?}", api.calls());
    assert!(!out.exists(), "nothing was written either");
    for window in ["24h", "336h", "1d", "14d"] {
        run(remote(&api, dir.path(), &input).args(["--window", window, "--dry-run"])).success();
    }
}

#[test]
fn lines_with_docs_carry_the_reference_and_upload_each_document_once() {
    let dir = tempfile::tempdir().unwrap();
    // A JSON document, so that the fake (which keeps every upload) can read it as a line.
    let doc = dir.path().join("doc.json");
    std::fs::write(&doc, "{\"doc\":\"quarterly figures\"}\n").unwrap();
    let doc = doc.to_str().unwrap().to_owned();
    let input = dir.path().join("in.jsonl");
    let lines = [
        serde_json::json!({"id": "a", "prompt": "Summarise", "docs": [doc]}),
        serde_json::json!({"id": "b", "prompt": "Again", "docs": [doc]}),
    ];
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(&input, text).unwrap();
    let api = BatchApi::start("completed");
    run(&mut remote(&api, dir.path(), &input)).success();
    // The document once, then the batch file.
    assert_eq!(api.uploads(), 2);
    let sent: Vec<Value> = api
        .uploaded_lines()
        .into_iter()
        .filter(|l| l.get("body").is_some())
        .collect();
    assert_eq!(sent.len(), 2);
    for line in &sent {
        assert_eq!(line["body"]["model"], "qwen-long", "{line}");
        assert_eq!(
            line["body"]["messages"][0],
            serde_json::json!({"role": "system", "content": "fileid://file-batch-1"})
        );
    }
}
