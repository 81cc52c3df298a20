//! `qwen batch` against the fault-injecting server: concurrency, retries, resume, inputs.

use std::collections::HashMap;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::{jsonl, qwen, run, std_qwen, stderr, wait_for};
use crate::fault::{FaultServer, Reply};

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
fn retry_after_is_honoured_per_item() {
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 3);
    // f01's first try is throttled with Retry-After: 1; everything else succeeds.
    let server = FaultServer::start(|prompt, before| {
        if prompt.contains("doc 1") && before == 0 {
            let body = r#"{"error":{"message":"Requests rate limit exceeded","code":"Throttling.RateQuota"}}"#;
            (
                Duration::ZERO,
                Reply::Error {
                    status: 429,
                    body: body.into(),
                    retry_after: Some(1),
                },
            )
        } else {
            (Duration::ZERO, Reply::Ok("fine".into()))
        }
    });
    let assert = run(qwen(&server.uri(), dir.path()).arg("batch").arg(&docs)).success();
    let lines = jsonl(&assert);
    let ids = by_id(&lines);
    let f01 = ids.iter().find(|(k, _)| k.ends_with("f01.md")).unwrap().1[0];
    assert_eq!(f01["attempts"], 2);
    assert_eq!(f01["status"], "ok");
    let times = server.arrivals("doc 1");
    assert_eq!(times.len(), 2);
    let gap = times[1] - times[0];
    assert!(gap >= Duration::from_millis(950), "retried after {gap:?}");
    assert_eq!(server.requests(), 4);
}

#[test]
fn transient_errors_are_retried_and_permanent_ones_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 5);
    let server = FaultServer::start(|prompt, before| {
        let err = |status: u16, code: &str| Reply::Error {
            status,
            body: format!(r#"{{"code":"{code}","message":"{code} happened"}}"#),
            retry_after: None,
        };
        let reply = match (prompt, before) {
            ("doc 0", 0) => err(503, "ServiceUnavailable"),
            ("doc 0", 1) => err(500, "InternalError"),
            ("doc 1", 0) => err(429, "Throttling"),
            ("doc 2", 0) => Reply::Drop,
            ("doc 3", _) => err(400, "InvalidParameter"),
            ("doc 4", _) => Reply::Malformed,
            _ => Reply::Ok("fine".into()),
        };
        (Duration::ZERO, reply)
    });
    let assert = run(qwen(&server.uri(), dir.path()).arg("batch").arg(&docs)).code(3);
    let lines = jsonl(&assert);
    assert_eq!(lines.len(), 5);
    let get = |name: &str| {
        lines
            .iter()
            .find(|l| l["id"].as_str().unwrap().ends_with(name))
            .unwrap()
    };
    assert_eq!(
        (
            get("f00.md")["status"].as_str(),
            get("f00.md")["attempts"].as_u64()
        ),
        (Some("ok"), Some(3))
    );
    assert_eq!(get("f01.md")["attempts"], 2);
    assert_eq!(get("f02.md")["attempts"], 2);
    let bad = get("f03.md");
    assert_eq!(
        (bad["status"].as_str(), bad["attempts"].as_u64()),
        (Some("failed"), Some(1))
    );
    assert_eq!(bad["error"]["code"], "InvalidParameter");
    assert_eq!(bad["error"]["status"], 400);
    let malformed = get("f04.md");
    assert_eq!(malformed["status"], "failed");
    assert_eq!(malformed["error"]["code"], "malformed_reply");
    assert_eq!(malformed["attempts"], 1);
    assert_eq!(server.requests(), 3 + 2 + 2 + 1 + 1);
}

#[test]
fn retries_give_up_after_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 1);
    let server = FaultServer::start(|_, _| {
        (
            Duration::ZERO,
            Reply::Error {
                status: 500,
                body: "{}".into(),
                retry_after: None,
            },
        )
    });
    let assert = run(qwen(&server.uri(), dir.path())
        .arg("batch")
        .arg(&docs)
        .args(["--retries", "2"]))
    .code(3);
    let lines = jsonl(&assert);
    assert_eq!(lines[0]["attempts"], 3);
    assert_eq!(server.requests(), 3);
}

#[test]
fn slow_replies_time_out_and_fail() {
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 2);
    let server = FaultServer::start(|prompt, _| {
        let delay = if prompt == "doc 0" {
            Duration::from_secs(5)
        } else {
            Duration::ZERO
        };
        (delay, Reply::Ok("fine".into()))
    });
    let started = Instant::now();
    let assert = run(qwen(&server.uri(), dir.path())
        .arg("batch")
        .arg(&docs)
        .args(["--first-token-timeout", "300ms", "--retries", "1"]))
    .code(3);
    assert!(started.elapsed() < Duration::from_secs(4));
    let lines = jsonl(&assert);
    let slow = lines
        .iter()
        .find(|l| l["id"].as_str().unwrap().ends_with("f00.md"))
        .unwrap();
    assert_eq!(slow["error"]["code"], "timeout");
    assert_eq!(slow["attempts"], 2);
}

#[test]
fn billing_errors_stop_the_whole_run() {
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 30);
    let server = FaultServer::start(|_, _| {
        let body = r#"{"error":{"message":"Access denied, please make sure your account is in good standing.","type":"Arrearage","code":"Arrearage"}}"#;
        (
            Duration::from_millis(20),
            Reply::Error {
                status: 400,
                body: body.into(),
                retry_after: None,
            },
        )
    });
    let assert = run(qwen(&server.uri(), dir.path())
        .arg("batch")
        .arg(&docs)
        .args(["-j", "2"]))
    .code(5);
    assert!(
        server.requests() < 10,
        "it kept going: {} requests",
        server.requests()
    );
    assert!(stderr(&assert).contains("stopping the run"));
    for line in jsonl(&assert) {
        assert_eq!(line["error"]["code"], "Arrearage");
    }
}

#[test]
fn fail_fast_stops_launching() {
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 20);
    let server = FaultServer::start(|_, _| {
        (
            Duration::from_millis(10),
            Reply::Error {
                status: 400,
                body: r#"{"code":"InvalidParameter","message":"no"}"#.into(),
                retry_after: None,
            },
        )
    });
    run(qwen(&server.uri(), dir.path())
        .arg("batch")
        .arg(&docs)
        .args(["-j", "1", "--fail-fast"]))
    .code(3);
    assert!(server.requests() <= 2, "{} requests", server.requests());
}

#[test]
fn inputs_that_cannot_be_sent_are_skipped_or_failed_never_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(docs.join("ok.md"), "fine").unwrap();
    std::fs::write(docs.join("bin.dat"), b"ab\0cd").unwrap();
    std::fs::write(docs.join("latin1.txt"), b"caf\xe9").unwrap();
    std::fs::write(docs.join("big.md"), "x".repeat(5000)).unwrap();
    std::os::unix::fs::symlink(docs.join("missing"), docs.join("dangling.md")).unwrap();
    std::fs::write(docs.join("ignored.md"), "secret").unwrap();
    std::fs::write(docs.join(".gitignore"), "ignored.md\n").unwrap();
    std::fs::write(docs.join(".hidden.md"), "hidden").unwrap();
    let server = FaultServer::ok_after(Duration::ZERO);
    let assert = run(qwen(&server.uri(), dir.path())
        .arg("batch")
        .arg(&docs)
        .args(["--max-bytes", "1KB", "--ordered"]))
    .code(3);
    let lines = jsonl(&assert);
    let status: HashMap<String, (String, Value)> = lines
        .iter()
        .map(|l| {
            let name = Path::new(l["id"].as_str().unwrap())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (name, (l["status"].as_str().unwrap().to_owned(), l.clone()))
        })
        .collect();
    assert_eq!(status.len(), 5, "{status:?}");
    assert_eq!(status["ok.md"].0, "ok");
    assert_eq!(status["bin.dat"].0, "skipped");
    assert!(
        status["bin.dat"].1["reason"]
            .as_str()
            .unwrap()
            .contains("binary")
    );
    assert_eq!(status["latin1.txt"].0, "skipped");
    assert!(
        status["big.md"].1["reason"]
            .as_str()
            .unwrap()
            .contains("--max-bytes")
    );
    assert_eq!(status["dangling.md"].0, "failed");
    assert!(
        status["dangling.md"].1["error"]["message"]
            .as_str()
            .unwrap()
            .contains("No such file")
    );
    assert!(!status.contains_key("ignored.md") && !status.contains_key(".hidden.md"));
    assert_eq!(server.requests(), 1);

    // --lossy and --truncate let the same files through.
    let server = FaultServer::ok_after(Duration::ZERO);
    run(qwen(&server.uri(), dir.path())
        .arg("batch")
        .arg(docs.join("latin1.txt"))
        .arg(docs.join("big.md"))
        .args(["--max-bytes", "1KB", "--lossy", "--truncate"]))
    .success();
    assert_eq!(server.requests(), 2);
}

#[test]
fn jsonl_input_in_both_shapes() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(
        &input,
        concat!(
            r#"{"id":"a","prompt":"first","temperature":0.2}"#, "\n",
            r#"{"custom_id":"b","method":"POST","url":"/v1/chat/completions","body":{"model":"qwen-max","messages":[{"role":"user","content":"second"}]}}"#, "\n",
            "\n",
            r#"{"id":"c"}"#, "\n",
        ),
    )
    .unwrap();
    let server = FaultServer::ok_after(Duration::ZERO);
    let assert = run(qwen(&server.uri(), dir.path())
        .args(["batch", "--ordered", "--input"])
        .arg(&input))
    .code(3);
    let lines = jsonl(&assert);
    let ids: Vec<&str> = lines.iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["a", "b", "c"]);
    assert_eq!(lines[0]["output"], "re: first");
    assert_eq!(lines[1]["output"], "re: second");
    assert_eq!(lines[2]["status"], "failed");
    assert_eq!(lines[2]["error"]["code"], "invalid_input");
    assert_eq!(server.requests(), 2);
}

#[test]
fn paths_from_stdin_and_out_dir_files() {
    let dir = tempfile::tempdir().unwrap();
    docs(dir.path(), 3);
    let server = FaultServer::ok_after(Duration::ZERO);
    let out = dir.path().join("out");
    let assert = run(qwen(&server.uri(), dir.path())
        .current_dir(dir.path())
        .args(["batch", "-", "--out-dir", "out"])
        .write_stdin("docs/f00.md\ndocs/f02.md\n"))
    .success();
    let lines = jsonl(&assert);
    assert_eq!(lines.len(), 2);
    assert_eq!(
        std::fs::read_to_string(out.join("docs/f00.md.md")).unwrap(),
        "re: doc 0"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("docs/f02.md.md")).unwrap(),
        "re: doc 2"
    );
    assert!(!out.join("docs/f01.md.md").exists());
    assert!(
        lines
            .iter()
            .all(|l| l.get("output").is_none() && l["file"].is_string())
    );
}

#[test]
fn paths_piped_in_slowly_start_without_waiting_for_the_end_of_the_list() {
    // With one slot and a slow server, the engine stops pulling paths while the list is
    // still open; the ones already read must still go out before more lines come.
    let dir = tempfile::tempdir().unwrap();
    docs(dir.path(), 5);
    let server = FaultServer::ok_after(Duration::from_millis(50));
    let mut child = std_qwen(&server.uri(), dir.path())
        .current_dir(dir.path())
        .args(["batch", "-", "-j", "1"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    use std::io::Write as _;
    stdin
        .write_all(b"docs/f00.md\ndocs/f01.md\ndocs/f02.md\ndocs/f03.md\ndocs/f04.md\n")
        .unwrap();
    stdin.flush().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.requests() < 5 {
        assert!(
            Instant::now() < deadline,
            "only {} of 5 paths sent while the list stayed open",
            server.requests()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    drop(stdin);
    let status = wait_for(&mut child, Duration::from_secs(10));
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 5);
}

#[test]
fn latency_counts_the_request_not_the_wait_for_a_slot() {
    // One slot, two items, 300 ms replies: the second waits ~300 ms for the slot, and its
    // latency must not include that wait (it used to read ~600).
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 2);
    let server = FaultServer::ok_after(Duration::from_millis(300));
    let assert = run(qwen(&server.uri(), dir.path())
        .arg("batch")
        .arg(&docs)
        .args(["-j", "1", "--ordered"]))
    .success();
    let lines = jsonl(&assert);
    assert_eq!(lines.len(), 2);
    for line in &lines {
        let ms = line["latency_ms"].as_u64().unwrap();
        assert!((300..500).contains(&ms), "latency_ms {ms}: {line}");
    }
}

#[test]
fn resume_skips_done_items_and_retries_failed_ones() {
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 6);
    let results = dir.path().join("results.jsonl");
    let flaky = FaultServer::start(|prompt, _| {
        let reply = if prompt == "doc 3" {
            Reply::Error {
                status: 400,
                body: r#"{"code":"InvalidParameter","message":"no"}"#.into(),
                retry_after: None,
            }
        } else {
            Reply::Ok("fine".into())
        };
        (Duration::ZERO, reply)
    });
    run(qwen(&flaky.uri(), dir.path())
        .arg("batch")
        .arg(&docs)
        .arg("-o")
        .arg(&results))
    .code(3);
    assert_eq!(flaky.requests(), 6);

    let healthy = FaultServer::ok_after(Duration::ZERO);
    run(qwen(&healthy.uri(), dir.path())
        .arg("batch")
        .arg(&docs)
        .arg("-o")
        .arg(&results)
        .arg("--resume"))
    .success();
    assert_eq!(
        healthy.requests(),
        1,
        "only the failed item is requested again"
    );
    let text = std::fs::read_to_string(&results).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ok: Vec<_> = lines.iter().filter(|l| l["status"] == "ok").collect();
    assert_eq!(ok.len(), 6);
    assert_eq!(by_id(&ok.into_iter().cloned().collect::<Vec<_>>()).len(), 6);

    // Editing the prompt changes every item's identity, so they all run again.
    let again = FaultServer::ok_after(Duration::ZERO);
    run(qwen(&again.uri(), dir.path())
        .arg("batch")
        .arg(&docs)
        .args(["--prompt", "New: {content}", "--resume", "-o"])
        .arg(&results))
    .success();
    assert_eq!(again.requests(), 6);
}

#[test]
fn killed_mid_run_then_resumed_ends_with_exactly_one_ok_line_per_item() {
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 40);
    let results = dir.path().join("results.jsonl");
    let server = FaultServer::ok_after(Duration::from_millis(30));
    let mut child = std_qwen(&server.uri(), dir.path())
        .arg("batch")
        .arg(&docs)
        .args(["-j", "4", "-o"])
        .arg(&results)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::fs::read_to_string(&results).map_or(0, |t| t.lines().count()) < 10 {
        assert!(Instant::now() < deadline, "no progress");
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL: no chance to clean up
    child.wait().unwrap();
    let first_run = server.requests();
    let written = std::fs::read_to_string(&results).unwrap();
    let done_before = written
        .lines()
        .filter(|l| l.contains(r#""status":"ok""#))
        .count();
    assert!(done_before < 40);

    run(qwen(&server.uri(), dir.path())
        .arg("batch")
        .arg(&docs)
        .arg("-o")
        .arg(&results)
        .arg("--resume"))
    .success();
    let second_run = server.requests() - first_run;
    assert_eq!(
        second_run,
        40 - done_before,
        "completed items were requested again"
    );
    let text = std::fs::read_to_string(&results).unwrap();
    let ok: Vec<Value> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|l| l["status"] == "ok")
        .collect();
    assert_eq!(ok.len(), 40);
    assert_eq!(by_id(&ok).len(), 40, "an item has two ok lines");
}

#[test]
fn ctrl_c_lets_in_flight_items_finish_and_exits_130() {
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 30);
    let server = FaultServer::ok_after(Duration::from_millis(300));
    let mut child = std_qwen(&server.uri(), dir.path())
        .arg("batch")
        .arg(&docs)
        .args(["-j", "3"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while server.requests() < 3 {
        assert!(Instant::now() < deadline);
        std::thread::sleep(Duration::from_millis(5));
    }
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let status = wait_for(&mut child, Duration::from_secs(5));
    let out = child.wait_with_output().unwrap();
    assert_eq!(status.code(), Some(130));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        lines.len() >= 3,
        "in-flight items finished: {}",
        lines.len()
    );
    assert!(lines.len() < 30);
    assert!(lines.iter().all(|l| l["status"] == "ok"));
    assert_eq!(
        server.requests(),
        lines.len(),
        "nothing launched after Ctrl-C was dropped"
    );
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
fn ordered_output_follows_input_order() {
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 8);
    // Earlier files answer slower, so completion order is the reverse of input order.
    let server = FaultServer::start(|prompt, _| {
        let n: u64 = prompt.trim_start_matches("doc ").parse().unwrap_or(0);
        (
            Duration::from_millis(80 - n * 10),
            Reply::Ok(prompt.to_owned()),
        )
    });
    let assert = run(qwen(&server.uri(), dir.path())
        .arg("batch")
        .arg(&docs)
        .args(["--ordered", "-j", "8"]))
    .success();
    let outputs: Vec<String> = jsonl(&assert)
        .iter()
        .map(|l| l["output"].as_str().unwrap().to_owned())
        .collect();
    let expected: Vec<String> = (0..8).map(|i| format!("doc {i}")).collect();
    assert_eq!(outputs, expected);
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

#[test]
fn rpm_spreads_requests_over_time() {
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 5);
    let server = FaultServer::ok_after(Duration::ZERO);
    let started = Instant::now();
    // 120 requests a minute = 2 a second: a burst of two, then one every half second.
    run(qwen(&server.uri(), dir.path())
        .arg("batch")
        .arg(&docs)
        .args(["-j", "8", "--rpm", "120"]))
    .success();
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(1400),
        "5 requests took {elapsed:?}"
    );
    let times = server.arrivals("doc");
    assert_eq!(times.len(), 5);
    // GCRA: beyond the burst of two, each request waits for its half second.
    for three in times.windows(3) {
        let span = three[2] - three[0];
        assert!(
            span >= Duration::from_millis(450),
            "3 requests within {span:?}"
        );
    }
}

#[test]
fn retries_count_against_rpm() {
    // One item failing twice before it succeeds, with zero backoff: its three requests
    // must still keep to 120 a minute (a burst of two, then one each half second).
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 1);
    let server = FaultServer::start(|_, before| {
        let reply = if before < 2 {
            Reply::Error {
                status: 503,
                body: r#"{"code":"ServiceUnavailable","message":"busy"}"#.into(),
                retry_after: None,
            }
        } else {
            Reply::Ok("fine".into())
        };
        (Duration::ZERO, reply)
    });
    let assert = run(qwen(&server.uri(), dir.path())
        .arg("batch")
        .arg(&docs)
        .args(["--rpm", "120"]))
    .success();
    assert_eq!(jsonl(&assert)[0]["attempts"], 3);
    let times = server.arrivals("doc");
    assert_eq!(times.len(), 3);
    let span = times[2] - times[0];
    assert!(
        span >= Duration::from_millis(450),
        "3 requests within {span:?}"
    );
}

#[test]
fn tpm_holds_back_requests_beyond_the_token_budget() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    for i in 0..3 {
        // About 250 estimated tokens each.
        std::fs::write(
            docs.join(format!("f{i}.md")),
            format!("doc {i} ").repeat(200),
        )
        .unwrap();
    }
    let server = FaultServer::ok_after(Duration::ZERO);
    let started = Instant::now();
    // 30,000 tokens a minute = a 500-token bucket refilled at 500 a second. Each file is
    // estimated at ~304 tokens: the first fits, the second waits ~0.2 s, the third ~0.6 s
    // more (~0.82 s in all); without the limit the three take a few milliseconds.
    run(qwen(&server.uri(), dir.path())
        .arg("batch")
        .arg(&docs)
        .args(["-j", "8", "--tpm", "30000"]))
    .success();
    assert!(
        started.elapsed() >= Duration::from_millis(700),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.requests(), 3);
}

#[test]
fn jsonl_requests_on_stdin_with_dash() {
    let dir = tempfile::tempdir().unwrap();
    let server = FaultServer::ok_after(Duration::ZERO);
    let assert = run(qwen(&server.uri(), dir.path())
        .args(["batch", "-", "--input-format", "jsonl", "--ordered", "--max-items", "2"])
        .write_stdin("{\"id\":\"x\",\"prompt\":\"one\"}\n{\"id\":\"y\",\"prompt\":\"two\"}\n{\"id\":\"z\",\"prompt\":\"three\"}\n"))
    .success();
    let lines = jsonl(&assert);
    let ids: Vec<&str> = lines.iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["x", "y"], "--max-items stops after two");
    assert_eq!(server.requests(), 2);
}

#[test]
fn odd_paths_are_sent_not_dropped() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("d");
    std::fs::create_dir_all(&d).unwrap();
    let bad = std::ffi::OsStr::from_bytes(b"bad\xffname.md");
    for name in [
        std::ffi::OsStr::new("a.md"),
        bad,
        std::ffi::OsStr::new("c.md"),
    ] {
        std::fs::write(d.join(name), "x").unwrap();
    }
    let server = FaultServer::ok_after(Duration::ZERO);
    let mut list = b"d/a.md\nd/".to_vec();
    list.extend_from_slice(bad.as_bytes());
    list.extend_from_slice(b"\nd/c.md\n");
    let assert = run(qwen(&server.uri(), dir.path())
        .current_dir(dir.path())
        .args(["batch", "-"])
        .write_stdin(list))
    .success();
    assert_eq!(
        jsonl(&assert).len(),
        3,
        "a non-UTF-8 name does not end the list"
    );

    // A file named on the command line is matched by its name.
    let assert = run(qwen(&server.uri(), dir.path())
        .current_dir(dir.path())
        .args(["batch", "d/a.md", "-g", "*.md"]))
    .success();
    assert_eq!(jsonl(&assert).len(), 1);
}

#[test]
fn the_runs_own_outputs_are_never_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("same.jsonl");
    std::fs::write(&input, "{\"id\":\"a\",\"prompt\":\"x\"}\n").unwrap();
    let server = FaultServer::ok_after(Duration::ZERO);
    run(qwen(&server.uri(), dir.path())
        .args(["batch", "--input"])
        .arg(&input)
        .arg("-o")
        .arg(&input))
    .code(2);
    assert_eq!(
        std::fs::read_to_string(&input).unwrap().lines().count(),
        1,
        "the input survived"
    );

    // --out-dir and -o inside the walked tree: a rerun does not send its own results.
    let w = docs(dir.path(), 2);
    let out = w.join("out");
    let results = w.join("results.jsonl");
    for _ in 0..2 {
        run(qwen(&server.uri(), dir.path())
            .arg("batch")
            .arg(&w)
            .arg("--out-dir")
            .arg(&out)
            .arg("-o")
            .arg(&results)
            .arg("--resume"))
        .success();
    }
    assert_eq!(
        server.requests(),
        2,
        "only the two documents were ever sent"
    );
}

#[test]
fn out_dir_names_never_collide() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, "{\"id\":\"..\",\"prompt\":\"one\"}\n{\"id\":\"\",\"prompt\":\"two\"}\n{\"id\":\"x/y\",\"prompt\":\"three\"}\n{\"id\":\"x_y\",\"prompt\":\"four\"}\n").unwrap();
    let server = FaultServer::ok_after(Duration::ZERO);
    let out = dir.path().join("out");
    let assert = run(qwen(&server.uri(), dir.path())
        .args(["batch", "--ordered", "--input"])
        .arg(&input)
        .arg("--out-dir")
        .arg(&out))
    .success();
    let files: std::collections::HashSet<String> = jsonl(&assert)
        .iter()
        .map(|l| l["file"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(files.len(), 4, "{files:?}");
    let mut texts: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();
    texts.sort();
    assert_eq!(texts, ["re: four", "re: one", "re: three", "re: two"]);
}

#[test]
fn max_cost_stops_launching_and_the_summary_shows_the_cost() {
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 10);
    // $1,000 per 1M tokens either way. Each reply bills 15 tokens ($0.015); before it starts
    // an item is estimated at ~6 input + 5 output tokens ($0.011). With a $0.05 limit the
    // fourth item would take the run to 0.045 + 0.011: it is not started.
    crate::common::write_config(
        dir.path(),
        "[prices.\"qwen-plus\"]\ninput = 1000.0\noutput = 1000.0\n",
    );
    let server = FaultServer::ok_after(Duration::ZERO);
    let assert = run(qwen(&server.uri(), dir.path())
        .arg("batch")
        .arg(&docs)
        .args(["-j", "1", "--max-tokens", "5", "--max-cost", "0.05"]))
    .code(7);
    assert_eq!(server.requests(), 3);
    let err = stderr(&assert);
    assert!(err.contains("--max-cost 0.0500"), "{err}");
    assert!(err.contains("cost 0.0450 USD"), "{err}");

    // Without a price the limit cannot be kept: nothing is sent.
    let other = tempfile::tempdir().unwrap();
    let other_docs = docs_at(other.path());
    let server = FaultServer::ok_after(Duration::ZERO);
    let assert = run(qwen(&server.uri(), other.path())
        .arg("batch")
        .arg(&other_docs)
        .args(["--max-cost", "5"]))
    .code(7);
    assert_eq!(server.requests(), 0);
    assert!(stderr(&assert).contains("needs a price"));
}

/// Two documents under `dir` (for tests whose `docs` name is already taken).
fn docs_at(dir: &Path) -> std::path::PathBuf {
    docs(dir, 2)
}
