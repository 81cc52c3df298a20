//! Input streams that fail or wait: an unreadable stream, named pipes, duplicate JSONL ids,
//! and a rejected key that stops the run.

use super::*;

#[test]
fn an_input_stream_that_cannot_be_read_fails_once_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("folder");
    std::fs::create_dir(&folder).unwrap();
    let server = FaultServer::ok_after(Duration::ZERO);

    // `--input DIR` read `Is a directory` forever, one `read_error` line at a time.
    let assert = run(qwen(&server.uri(), dir.path())
        .args(["batch", "--input"])
        .arg(&folder))
    .code(2);
    assert!(assert.get_output().stdout.is_empty());
    let err = stderr(&assert);
    assert_eq!(err.matches("qwen: error:").count(), 1, "{err}");
    assert!(
        err.contains("qwen: error: cannot read line 1 of `") && err.contains("Is a directory"),
        "{err}"
    );

    // The same from standard input, as JSONL and as a list of paths (which exited 0).
    for args in [&["batch", "--input", "-"][..], &["batch", "-"][..]] {
        let mut child = std_qwen(&server.uri(), dir.path())
            .args(args)
            .stdin(std::fs::File::open(&folder).unwrap())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let status = wait_for(&mut child, Duration::from_secs(10));
        let out = child.wait_with_output().unwrap();
        assert_no_key(&out);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(status.code(), Some(2), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(
            err.contains("standard input") && err.contains("Is a directory"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(server.requests(), 0);
}

#[test]
fn a_named_pipe_found_by_the_walk_is_skipped_not_opened() {
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 1);
    mkfifo(&docs.join("pipe.md"));
    let server = FaultServer::ok_after(Duration::ZERO);
    // Opening the pipe waited for a writer on the runtime's thread: the batch froze.
    let assert = run(qwen(&server.uri(), dir.path())
        .arg("batch")
        .arg(&docs)
        .arg("--ordered"))
    .code(3);
    let lines = jsonl(&assert);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0]["status"], "ok");
    assert!(lines[1]["id"].as_str().unwrap().ends_with("pipe.md"));
    assert_eq!(lines[1]["status"], "skipped");
    let reason = lines[1]["reason"].as_str().unwrap();
    assert!(reason.contains("named pipe"), "{reason}");
    assert_eq!(server.requests(), 1);
}

#[test]
fn a_named_pipe_given_by_name_is_read_and_ctrl_c_ends_the_wait_for_it() {
    let dir = tempfile::tempdir().unwrap();
    let server = FaultServer::ok_after(Duration::ZERO);

    // A pipe the user names is read: `qwen batch <(cmd)` is legitimate.
    let fed = dir.path().join("fed");
    mkfifo(&fed);
    let writer = {
        let fed = fed.clone();
        std::thread::spawn(move || {
            let mut pipe = std::fs::OpenOptions::new().write(true).open(fed).unwrap();
            pipe.write_all(b"doc from a pipe").unwrap();
        })
    };
    let assert = run(qwen(&server.uri(), dir.path()).arg("batch").arg(&fed)).success();
    writer.join().unwrap();
    assert_eq!(jsonl(&assert)[0]["output"], "re: doc from a pipe");

    // One nobody writes to must not freeze the run: Ctrl-C stops it.
    let silent = dir.path().join("silent");
    mkfifo(&silent);
    let docs = docs(dir.path(), 1);
    let mut child = std_qwen(&server.uri(), dir.path())
        .arg("batch")
        .arg(docs.join("f00.md"))
        .arg(&silent)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Once a request is out, the run is waiting for Ctrl-C.
    wait_for_requests(&server, 2);
    std::thread::sleep(Duration::from_millis(100));
    sigint(&child);
    let status = wait_for(&mut child, Duration::from_secs(5));
    let out = child.wait_with_output().unwrap();
    assert_no_key(&out);
    assert_eq!(
        status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = lines_of(&out.stdout);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["status"], "ok");
}

#[test]
fn a_duplicate_jsonl_id_exits_2_naming_both_lines_and_is_never_sent() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(
        &input,
        concat!(
            r#"{"id": "a", "prompt": "first"}"#,
            "\n",
            r#"{"id": "b", "prompt": "second"}"#,
            "\n",
            r#"{"custom_id": "a", "prompt": "third"}"#,
            "\n",
        ),
    )
    .unwrap();
    let server = FaultServer::ok_after(Duration::ZERO);
    let assert = run(qwen(&server.uri(), dir.path())
        .args(["batch", "--input"])
        .arg(&input))
    .code(2);
    let err = stderr(&assert);
    assert!(
        err.contains("qwen: error: duplicate id `a` on lines 1 and 3 of `"),
        "{err}"
    );
    assert!(server.arrivals("third").is_empty());

    // Found after items started (the lines arrive slowly on stdin): the lines before it
    // ran and are written once each; it is never sent.
    let mut child = std_qwen(&server.uri(), dir.path())
        .args(["batch", "--input", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let before = server.requests();
    stdin
        .write_all(
            b"{\"id\": \"x\", \"prompt\": \"early 1\"}\n{\"id\": 7, \"prompt\": \"early 2\"}\n",
        )
        .unwrap();
    stdin.flush().unwrap();
    wait_for_requests(&server, before + 2);
    stdin
        .write_all(
            b"{\"id\": \"7\", \"prompt\": \"late\"}\n{\"id\": \"y\", \"prompt\": \"after\"}\n",
        )
        .unwrap();
    drop(stdin);
    let status = wait_for(&mut child, Duration::from_secs(10));
    let out = child.wait_with_output().unwrap();
    assert_no_key(&out);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(status.code(), Some(2), "{err}");
    assert!(
        err.contains("duplicate id `7` on lines 2 and 3 of standard input"),
        "{err}"
    );
    let mut ids: Vec<String> = lines_of(&out.stdout)
        .iter()
        .map(|l| {
            assert_eq!(l["status"], "ok");
            l["id"].as_str().unwrap().to_owned()
        })
        .collect();
    ids.sort();
    assert_eq!(ids, ["7", "x"]);
    assert!(server.arrivals("late").is_empty());
    assert!(server.arrivals("after").is_empty());
}

#[test]
fn a_rejected_key_stops_the_run_with_exit_4() {
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 30);
    let server = FaultServer::start(|_, _| {
        let body = r#"{"error":{"message":"Incorrect API key provided.","type":"invalid_request_error","code":"invalid_api_key"}}"#;
        (
            Duration::from_millis(20),
            Reply::Error {
                status: 401,
                body: body.into(),
                retry_after: None,
            },
        )
    });
    let assert = run(qwen(&server.uri(), dir.path())
        .arg("batch")
        .arg(&docs)
        .args(["-j", "2"]))
    .code(4);
    assert!(
        server.requests() < 10,
        "it kept going: {} requests",
        server.requests()
    );
    let err = stderr(&assert);
    assert!(
        err.contains("stopping the run") && err.contains("the API key was rejected"),
        "{err}"
    );
    for line in jsonl(&assert) {
        assert_eq!(line["error"]["status"], 401);
    }
}
