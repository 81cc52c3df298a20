//! Outputs that would destroy inputs or earlier results are refused before anything is
//! written; a second run on the same results is refused naming the first.

use super::*;

#[test]
fn an_output_that_is_an_input_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let server = FaultServer::ok_after(Duration::ZERO);
    std::fs::write(d.join("notes.txt"), "my notes").unwrap();
    let req = requests(d, &[("a", "x")]);
    let req_text = std::fs::read_to_string(&req).unwrap();
    std::os::unix::fs::symlink(d.join("notes.txt"), d.join("link.txt")).unwrap();
    std::fs::hard_link(&req, d.join("hard.jsonl")).unwrap();

    let refused = |args: &[&str], stdin: Option<&Path>| {
        let mut cmd = std_qwen(&server.uri(), d);
        cmd.current_dir(d).arg("batch").args(args);
        if let Some(file) = stdin {
            // The file itself, not a pipe fed from it.
            cmd.stdin(std::fs::File::open(file).unwrap());
        }
        let output = cmd.output().unwrap();
        assert_no_key(&output);
        let err = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("an input of this run"), "{args:?}: {err}");
    };
    refused(&["notes.txt", "-o", "notes.txt"], None);
    refused(&["notes.txt", "-o", "link.txt"], None);
    refused(&["--input", "in.jsonl", "-o", "hard.jsonl"], None);
    refused(&["--input", "-", "-o", "in.jsonl"], Some(&req));
    refused(
        &["notes.txt", "--prompt-file", "in.jsonl", "-o", "hard.jsonl"],
        None,
    );
    assert_eq!(
        std::fs::read_to_string(d.join("notes.txt")).unwrap(),
        "my notes"
    );
    assert_eq!(std::fs::read_to_string(&req).unwrap(), req_text);

    // A reply file that would land on an input is refused too.
    let err = stderr(
        &run(qwen(&server.uri(), d).current_dir(d).args([
            "batch",
            "notes.txt",
            "--out-dir",
            ".",
            "--ext",
            "",
        ]))
        .code(2),
    );
    assert!(err.contains("over `notes.txt`"), "{err}");
    assert_eq!(
        std::fs::read_to_string(d.join("notes.txt")).unwrap(),
        "my notes"
    );
    assert_eq!(server.requests(), 0);

    // The results file found again in a walked directory under another name (a hard link
    // or a symlink) is not sent back.
    let docs = docs(d, 2);
    let results = d.join("results.jsonl");
    run(qwen(&server.uri(), d)
        .arg("batch")
        .arg(&docs)
        .arg("-o")
        .arg(&results))
    .success();
    std::fs::hard_link(&results, docs.join("copy.jsonl")).unwrap();
    std::os::unix::fs::symlink(&results, docs.join("link.jsonl")).unwrap();
    run(qwen(&server.uri(), d)
        .arg("batch")
        .arg(&docs)
        .args(["--resume", "-o"])
        .arg(&results))
    .success();
    assert_eq!(server.requests(), 2, "only the two documents were sent");
}

#[test]
fn a_second_run_on_the_same_results_is_refused_naming_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 2);
    let results = dir.path().join("results.jsonl");
    let out = dir.path().join("out");
    let server = FaultServer::ok_after(Duration::from_secs(30));
    let first = Reaped(
        std_qwen(&server.uri(), dir.path())
            .arg("batch")
            .arg(&docs)
            .arg("-o")
            .arg(&results)
            .arg("--out-dir")
            .arg(&out)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.requests() < 2 {
        assert!(Instant::now() < deadline, "the first run did not start");
        std::thread::sleep(Duration::from_millis(5));
    }
    let second = |args: &[&str]| {
        let mut cmd = qwen(&server.uri(), dir.path());
        cmd.arg("batch").arg(&docs).args(["--resume"]).args(args);
        stderr(&run(&mut cmd).code(2))
    };
    let pid = format!("pid {}", first.0.id());
    let results_arg = results.to_str().unwrap();
    let out_arg = out.to_str().unwrap();
    let err = second(&["-o", results_arg]);
    assert!(err.contains(&pid), "{err}");
    let err = second(&["--out-dir", out_arg]);
    assert!(err.contains(&pid), "{err}");
    // Another name of the same file (a hard link elsewhere) is the same results.
    std::fs::create_dir(dir.path().join("other")).unwrap();
    let hard = dir.path().join("other/hard.jsonl");
    std::fs::hard_link(&results, &hard).unwrap();
    let err = second(&["-o", hard.to_str().unwrap()]);
    assert!(
        err.contains("is being written by another `qwen` run"),
        "{err}"
    );
    drop(first);
    assert_eq!(server.requests(), 2, "the refused runs sent nothing");
}

#[test]
fn replies_written_inside_the_walked_dir_are_not_sent_again() {
    let dir = tempfile::tempdir().unwrap();
    docs(dir.path(), 2);
    let server = FaultServer::ok_after(Duration::ZERO);
    for resume in [false, true] {
        let mut cmd = qwen(&server.uri(), dir.path());
        cmd.current_dir(dir.path())
            .args(["batch", "docs", "--out-dir", "docs"]);
        if resume {
            cmd.arg("--resume");
        }
        run(&mut cmd).success();
    }
    assert_eq!(server.requests(), 2, "a reply file was sent as an input");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("docs/docs/f0.md.md")).unwrap(),
        "re: doc 0"
    );
    // Replies that would sit among the inputs themselves are refused.
    let err = stderr(
        &run(qwen(&server.uri(), dir.path())
            .current_dir(dir.path())
            .args(["batch", "docs", "--out-dir", ".", "--force"]))
        .code(2),
    );
    assert!(err.contains("among its files"), "{err}");
    assert_eq!(server.requests(), 2);
}

#[test]
fn earlier_results_are_kept_unless_resume_or_force() {
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 3);
    let results = dir.path().join("results.jsonl");
    let out = dir.path().join("out");
    // `doc 1` fails the first time.
    let server = FaultServer::start(|prompt, before| {
        let reply = if prompt == "doc 1" && before == 0 {
            Reply::Error {
                status: 400,
                body: r#"{"code":"InvalidParameter","message":"no"}"#.into(),
                retry_after: None,
            }
        } else {
            Reply::Ok(format!("re: {prompt}"))
        };
        (Duration::ZERO, reply)
    });
    let batch = |extra: &[&str]| {
        let mut cmd = qwen(&server.uri(), dir.path());
        cmd.arg("batch")
            .arg(&docs)
            .arg("-o")
            .arg(&results)
            .args(extra);
        cmd
    };
    run(&mut batch(&[])).code(3);
    let before = std::fs::read_to_string(&results).unwrap();
    let err = stderr(&run(&mut batch(&[])).code(2));
    assert!(err.contains("--resume") && err.contains("--force"), "{err}");
    assert_eq!(std::fs::read_to_string(&results).unwrap(), before);
    // The same for an --out-dir journal.
    run(qwen(&server.uri(), dir.path())
        .arg("batch")
        .arg(&docs)
        .arg("--out-dir")
        .arg(&out))
    .success();
    let err = stderr(
        &run(qwen(&server.uri(), dir.path())
            .arg("batch")
            .arg(&docs)
            .arg("--out-dir")
            .arg(&out))
        .code(2),
    );
    assert!(err.contains("earlier run"), "{err}");
    assert_eq!(server.requests(), 6);

    // --resume leaves one line per item: the failed line is gone.
    run(&mut batch(&["--resume"])).success();
    assert_eq!(server.requests(), 7);
    let lines = by_id(&lines_of(&results));
    assert_eq!(lines.len(), 3);
    assert!(
        lines
            .values()
            .all(|l| l.len() == 1 && l[0]["status"] == "ok"),
        "{lines:?}"
    );

    // --force starts over.
    run(&mut batch(&["--force"])).success();
    assert_eq!(server.requests(), 10);
    assert_eq!(lines_of(&results).len(), 3);
}

#[test]
fn an_output_that_is_not_a_results_file_is_refused_even_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("d")).unwrap();
    std::fs::write(d.join("d/a.txt"), "my notes\n").unwrap();
    std::fs::write(d.join("d/b.txt"), "other notes\n").unwrap();
    let server = FaultServer::ok_after(Duration::ZERO);
    for extra in [&[][..], &["--force"][..], &["--resume"][..]] {
        let mut cmd = qwen(&server.uri(), d);
        cmd.current_dir(d)
            .args(["batch", "d", "-o", "d/a.txt"])
            .args(extra);
        let err = stderr(&run(&mut cmd).code(2));
        assert!(
            err.contains("`-o d/a.txt` is not a results file"),
            "{extra:?}: {err}"
        );
        assert!(!err.contains("earlier run"), "{extra:?}: {err}");
    }
    assert_eq!(
        std::fs::read_to_string(d.join("d/a.txt")).unwrap(),
        "my notes\n"
    );
    assert_eq!(server.requests(), 0);
    // Results of an earlier run are still replaced with `--force`, and `-o` is never sent.
    let mut cmd = qwen(&server.uri(), d);
    cmd.current_dir(d).args(["batch", "d", "-o", "d/r.jsonl"]);
    run(&mut cmd).success();
    let mut cmd = qwen(&server.uri(), d);
    cmd.current_dir(d)
        .args(["batch", "d", "-o", "d/r.jsonl", "--force"]);
    run(&mut cmd).success();
    let lines = std::fs::read_to_string(d.join("d/r.jsonl")).unwrap();
    assert_eq!(lines.lines().count(), 2, "{lines}");
}
