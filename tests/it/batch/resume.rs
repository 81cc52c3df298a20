//! Runs that stop and go on: `--resume` after failures and kills, Ctrl-C, `--ordered`, and
//! `--out-dir` names that never collide.

use super::*;

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
