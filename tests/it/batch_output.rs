//! `qwen batch` outputs: what `-o`, `--out-dir`, the journal and `--resume` must never lose,
//! overwrite or send twice.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::{assert_no_key, jsonl, qwen, run, std_qwen, stderr};
use crate::fault::{FaultServer, Reply};

/// Writes `docs/f0.md`… with `doc N` in each and returns the docs dir.
fn docs(dir: &Path, n: usize) -> PathBuf {
    let docs = dir.join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    for i in 0..n {
        std::fs::write(docs.join(format!("f{i}.md")), format!("doc {i}")).unwrap();
    }
    docs
}

/// Writes a JSONL input with one `{"id", "prompt"}` line per pair.
fn requests(dir: &Path, items: &[(&str, &str)]) -> PathBuf {
    let path = dir.join("in.jsonl");
    let text: String = items
        .iter()
        .map(|(id, prompt)| format!("{}\n", serde_json::json!({"id": id, "prompt": prompt})))
        .collect();
    std::fs::write(&path, text).unwrap();
    path
}

fn lines_of(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// A child process killed when the test ends, even by a failed assertion: a `qwen` left
/// behind would hold its server's connections and any file descriptor it inherited.
struct Reaped(std::process::Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Result lines by id.
fn by_id(lines: &[Value]) -> HashMap<String, Vec<Value>> {
    let mut map: HashMap<String, Vec<Value>> = HashMap::new();
    for line in lines {
        map.entry(line["id"].as_str().unwrap().to_owned())
            .or_default()
            .push(line.clone());
    }
    map
}

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
    drop(first);
    assert_eq!(server.requests(), 2, "the refused runs sent nothing");
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

fn walk_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk_files(&path));
        } else {
            files.push(path);
        }
    }
    files
}
