//! Writing results: `--out-dir` files and their owners across resumes, failed writes that
//! lose no item, the journal, and the files' modes.

use super::*;

#[test]
fn resume_never_gives_an_out_dir_file_to_another_item() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let server = FaultServer::ok_after(Duration::ZERO);
    let first = requests(dir.path(), &[("x/y", "one")]);
    run(qwen(&server.uri(), dir.path())
        .args(["batch", "--input"])
        .arg(&first)
        .arg("--out-dir")
        .arg(&out))
    .success();
    assert_eq!(
        std::fs::read_to_string(out.join("x_y.md")).unwrap(),
        "re: one"
    );
    // `x_y` maps to the same name as `x/y`, which an earlier run wrote.
    let second = requests(dir.path(), &[("x/y", "one"), ("x_y", "two")]);
    let assert = run(qwen(&server.uri(), dir.path())
        .args(["batch", "--resume", "--input"])
        .arg(&second)
        .arg("--out-dir")
        .arg(&out))
    .success();
    assert_eq!(server.requests(), 2);
    assert_eq!(
        std::fs::read_to_string(out.join("x_y.md")).unwrap(),
        "re: one",
        "the earlier item's reply was overwritten"
    );
    let line = &jsonl(&assert)[0];
    assert_eq!(line["id"], "x_y");
    let file = line["file"].as_str().unwrap();
    assert_eq!(std::fs::read_to_string(file).unwrap(), "re: two");
}

#[test]
fn an_unwritable_out_dir_file_fails_only_its_item() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let long = "L".repeat(300);
    let input = requests(
        dir.path(),
        &[
            (&long, "long"),
            ("a\u{0}b", "nul"),
            ("blocked", "b"),
            ("fine", "f"),
        ],
    );
    // A directory where `blocked`'s reply file should go: the rename cannot replace it.
    std::fs::create_dir_all(out.join("blocked.md/x")).unwrap();
    let server = FaultServer::ok_after(Duration::ZERO);
    for _ in 0..2 {
        let assert = run(qwen(&server.uri(), dir.path())
            .args(["batch", "--resume", "--input"])
            .arg(&input)
            .arg("--out-dir")
            .arg(&out))
        .code(3);
        let lines = by_id(&jsonl(&assert));
        let blocked = &lines["blocked"][0];
        assert_eq!(blocked["status"], "failed", "{blocked}");
        assert_eq!(blocked["error"]["code"], "write_error");
        let message = blocked["error"]["message"].as_str().unwrap();
        assert!(message.contains("blocked.md"), "{message}");
    }
    // The others were written once, and the resumed run asked only for `blocked` again.
    assert_eq!(server.requests(), 5);
    let journal = lines_of(&out.join(".qwen-batch.jsonl"));
    let ok: Vec<&Value> = journal.iter().filter(|l| l["status"] == "ok").collect();
    assert_eq!(ok.len(), 3);
    for line in ok {
        let file = Path::new(line["file"].as_str().unwrap());
        assert!(file.file_name().unwrap().len() <= 255, "{}", file.display());
        assert!(std::fs::read_to_string(file).unwrap().starts_with("re: "));
    }
}

#[test]
fn a_failed_write_to_o_loses_no_item_from_it() {
    // `-o /dev/full`: every write fails with ENOSPC after the journal line was written.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let input = requests(dir.path(), &[("a", "one"), ("b", "two")]);
    let server = FaultServer::ok_after(Duration::ZERO);
    let err = stderr(
        &run(qwen(&server.uri(), dir.path())
            .args(["batch", "-j", "1", "--input"])
            .arg(&input)
            .arg("--out-dir")
            .arg(&out)
            .args(["-o", "/dev/full"]))
        .code(1),
    );
    assert!(err.contains("cannot write `/dev/full`"), "{err}");

    let results = dir.path().join("results.jsonl");
    run(qwen(&server.uri(), dir.path())
        .args(["batch", "--resume", "--input"])
        .arg(&input)
        .arg("--out-dir")
        .arg(&out)
        .arg("-o")
        .arg(&results))
    .success();
    let lines = by_id(&lines_of(&results));
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines
            .values()
            .all(|l| l.len() == 1 && l[0]["status"] == "ok")
    );
    // `a` finished before the write failed: it is not paid for twice.
    assert_eq!(server.arrivals("one").len(), 1);
}

#[test]
fn ordered_items_reach_the_journal_as_they_finish() {
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 6);
    let results = dir.path().join("results.jsonl");
    // The first document is slow the first time: the others finish and wait behind it.
    let server = FaultServer::start(|prompt, before| {
        let delay = if prompt == "doc 0" && before == 0 {
            Duration::from_secs(30)
        } else {
            Duration::ZERO
        };
        (delay, Reply::Ok(format!("re: {prompt}")))
    });
    let child = Reaped(
        std_qwen(&server.uri(), dir.path())
            .arg("batch")
            .arg(&docs)
            .args(["--ordered", "-j", "6", "-o"])
            .arg(&results)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.requests() < 6 {
        assert!(Instant::now() < deadline, "not every item was sent");
        std::thread::sleep(Duration::from_millis(5));
    }
    // The five answers reach the journal (beside `-o`, which holds nothing yet).
    let journal = dir.path().join(".results.jsonl.journal");
    while std::fs::read_to_string(&journal).map_or(0, |t| t.lines().count()) < 5 {
        assert!(
            Instant::now() < deadline,
            "finished items are not in a journal"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(std::fs::read_to_string(&results).unwrap(), "");
    drop(child); // SIGKILL

    run(qwen(&server.uri(), dir.path())
        .arg("batch")
        .arg(&docs)
        .args(["--ordered", "--resume", "-o"])
        .arg(&results))
    .success();
    assert_eq!(server.requests(), 7, "finished items were requested again");
    let lines = by_id(&lines_of(&results));
    assert_eq!(lines.len(), 6);
    assert!(
        lines
            .values()
            .all(|l| l.len() == 1 && l[0]["status"] == "ok")
    );
}

#[test]
fn resume_reads_back_only_regular_files() {
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 1);
    let server = FaultServer::ok_after(Duration::ZERO);
    // stdout is a pipe here: reading it back would wait for ever.
    let err = stderr(
        &run(qwen(&server.uri(), dir.path())
            .arg("batch")
            .arg(&docs)
            .args(["--resume", "-o", "/dev/stdout"]))
        .code(2),
    );
    assert!(err.contains("not a regular file"), "{err}");
    assert_eq!(server.requests(), 0);
    // Without --resume, a pipe is a fine place for results.
    let assert = run(qwen(&server.uri(), dir.path())
        .arg("batch")
        .arg(&docs)
        .args(["-o", "/dev/stdout"]))
    .success();
    assert_eq!(jsonl(&assert).len(), 1);
}

#[test]
fn out_dir_files_get_the_umask_like_any_new_file() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let input = requests(dir.path(), &[("a", "x")]);
    let out = dir.path().join("out");
    let server = FaultServer::ok_after(Duration::ZERO);
    let std = std_qwen(&server.uri(), dir.path());
    let mut cmd = std::process::Command::new("sh");
    cmd.env_clear();
    for (key, value) in std.get_envs() {
        if let Some(value) = value {
            cmd.env(key, value);
        }
    }
    let status = cmd
        .arg("-c")
        .arg("umask 027 && exec \"$@\"")
        .arg("sh")
        .arg(std.get_program())
        .args(["batch", "--input"])
        .arg(&input)
        .arg("--out-dir")
        .arg(&out)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let mode = std::fs::metadata(out.join("a.md"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o640, "{mode:o}");
}

#[test]
fn resume_remakes_a_reply_file_the_user_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 2);
    let out = dir.path().join("out");
    let server = FaultServer::ok_after(Duration::ZERO);
    for _ in 0..2 {
        run(qwen(&server.uri(), dir.path())
            .arg("batch")
            .arg(&docs)
            .arg("--resume")
            .arg("--out-dir")
            .arg(&out))
        .success();
    }
    assert_eq!(server.requests(), 2);
    let reply = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| !p.file_name().unwrap().to_str().unwrap().starts_with('.'))
        .unwrap();
    let file = walk_files(&reply)
        .into_iter()
        .find(|f| f.to_str().unwrap().ends_with("f1.md.md"))
        .unwrap();
    std::fs::remove_file(&file).unwrap();
    run(qwen(&server.uri(), dir.path())
        .arg("batch")
        .arg(&docs)
        .arg("--resume")
        .arg("--out-dir")
        .arg(&out))
    .success();
    assert_eq!(server.requests(), 3);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "re: doc 1");
}
