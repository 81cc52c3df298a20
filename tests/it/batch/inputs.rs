//! What a run reads: files that cannot be sent, JSONL in both shapes, paths on stdin (piped
//! in slowly too), odd names, and never its own outputs.

use super::*;

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
