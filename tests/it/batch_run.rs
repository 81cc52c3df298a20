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

/// Starts `qwen batch` over six files against a server that never answers, and waits
/// until three requests (`-j 3`) are in flight.
fn hung_batch(dir: &Path, server: &FaultServer, extra: &[&str]) -> Child {
    let docs = docs(dir, 6);
    let child = std_qwen(&server.uri(), dir)
        .arg("batch")
        .arg(&docs)
        .args(["-j", "3"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_requests(server, 3);
    child
}

/// Checks the three abandoned items: an `interrupted` line each, and a ledger row each.
fn check_abandoned(dir: &Path, out: &std::process::Output) {
    let lines = lines_of(&out.stdout);
    assert_eq!(lines.len(), 3, "{lines:?}");
    for line in &lines {
        assert_eq!(line["status"], "interrupted", "{line}");
        assert_eq!(line["error"]["code"], "interrupted");
        assert_eq!(line["attempts"], 1);
    }
    let rows = ledger(dir);
    assert_eq!(rows.len(), 3, "{rows:?}");
    for (item, status, code) in &rows {
        assert!(lines.iter().any(|l| l["id"] == item.as_str()), "{item}");
        assert_eq!((*status, code.as_deref()), (None, Some("interrupted")));
    }
}

#[test]
fn the_first_ctrl_c_waits_only_the_drain_timeout_for_hung_requests() {
    let dir = tempfile::tempdir().unwrap();
    let server = FaultServer::ok_after(Duration::from_secs(120));
    let mut child = hung_batch(dir.path(), &server, &["--drain-timeout", "300ms"]);
    sigint(&child);
    let sent = Instant::now();
    let status = wait_for(&mut child, Duration::from_secs(5));
    assert!(
        sent.elapsed() < Duration::from_secs(3),
        "{:?}",
        sent.elapsed()
    );
    let out = child.wait_with_output().unwrap();
    assert_no_key(&out);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(status.code(), Some(130), "{err}");
    assert!(err.contains("`--drain-timeout` passed"), "{err}");
    assert!(err.contains("3 interrupted"), "{err}");
    check_abandoned(dir.path(), &out);
    assert_eq!(server.requests(), 3, "nothing started after Ctrl-C");
}

#[test]
fn a_second_ctrl_c_abandons_at_once_and_every_attempt_reaches_the_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let server = FaultServer::ok_after(Duration::from_secs(120));
    let mut child = hung_batch(dir.path(), &server, &[]);
    sigint(&child);
    std::thread::sleep(Duration::from_millis(300));
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
    check_abandoned(dir.path(), &out);
}

#[test]
fn a_bad_drain_timeout_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 1);
    let server = FaultServer::ok_after(Duration::ZERO);
    let assert = run(qwen(&server.uri(), dir.path())
        .arg("batch")
        .arg(&docs)
        .args(["--drain-timeout", "soon"]))
    .code(2);
    assert!(stderr(&assert).contains("invalid `--drain-timeout`"));
    assert_eq!(server.requests(), 0);
}

#[test]
fn a_closed_stdout_leaves_a_ledger_row_for_every_request_served() {
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 20);
    // The first item answers at once; the others take a while, so several are in flight
    // when the reader goes away (`qwen batch … | head -c 1`).
    let server = FaultServer::start(|prompt, _| {
        let delay = if prompt == "doc 0" { 0 } else { 400 };
        (
            Duration::from_millis(delay),
            Reply::Ok(format!("re: {prompt}")),
        )
    });
    let mut child = std_qwen(&server.uri(), dir.path())
        .arg("batch")
        .arg(&docs)
        .args(["-j", "4", "--ordered"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut byte = [0u8; 1];
    stdout.read_exact(&mut byte).unwrap();
    drop(stdout);
    let status = wait_for(&mut child, Duration::from_secs(10));
    let out = child.wait_with_output().unwrap();
    assert_no_key(&out);
    assert_eq!(
        status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = ledger(dir.path());
    let served = server.requests();
    assert!(served >= 4, "{served}");
    assert!(
        rows.len() >= served,
        "{served} requests served, {} ledger rows: {rows:?}",
        rows.len()
    );
    assert!(
        rows.iter()
            .any(|(_, _, code)| code.as_deref() == Some("output_closed")),
        "{rows:?}"
    );
}

/// Replays what a terminal was sent and returns the non-empty lines left on its screen:
/// enough of a terminal for indicatif's redraws (carriage return, erase in line, cursor
/// up and down).
fn screen(raw: &str) -> Vec<String> {
    let mut lines: Vec<Vec<char>> = vec![Vec::new()];
    let (mut row, mut col) = (0usize, 0usize);
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => col = 0,
            '\n' => {
                row += 1;
                if row == lines.len() {
                    lines.push(Vec::new());
                }
            }
            '\x1b' => {
                if chars.next() != Some('[') {
                    continue;
                }
                let mut param = String::new();
                let command = loop {
                    match chars.next() {
                        Some(c) if c.is_ascii_digit() || c == ';' || c == '?' => param.push(c),
                        Some(c) => break c,
                        None => break '\0',
                    }
                };
                let n = param.parse::<usize>().unwrap_or(1).max(1);
                match command {
                    'A' => row = row.saturating_sub(n),
                    'B' => {
                        row += n;
                        while lines.len() <= row {
                            lines.push(Vec::new());
                        }
                    }
                    'K' if param == "2" => lines[row].clear(),
                    'K' => lines[row].truncate(col),
                    'J' => {
                        lines[row].truncate(col);
                        lines.truncate(row + 1);
                    }
                    _ => {} // colours, cursor visibility
                }
            }
            c => {
                let line = &mut lines[row];
                while line.len() < col {
                    line.push(' ');
                }
                if col < line.len() {
                    line[col] = c;
                } else {
                    line.push(c);
                }
                col += 1;
            }
        }
    }
    lines
        .into_iter()
        .map(|l| l.into_iter().collect::<String>().trim_end().to_owned())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn the_terminal_shows_a_count_while_listing_then_a_bar_and_no_stale_lines() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    for (name, text) in [("a.md", "doc a"), ("b.md", "doc b"), ("c.md", "slow c")] {
        std::fs::write(docs.join(name), text).unwrap();
    }
    let server = FaultServer::start(|prompt, _| {
        let delay = if prompt.starts_with("slow") { 1500 } else { 0 };
        (
            Duration::from_millis(delay),
            Reply::Ok(format!("re: {prompt}")),
        )
    });
    let path = |name: &str| format!("{}\n", docs.join(name).display());
    // Two paths on stdin, then (once their lines are on the terminal) the third, slow one:
    // until stdin ends the total is unknown; after it, it is 3.
    let base = std_qwen(&server.uri(), dir.path());
    let mut cmd = std::process::Command::new("python3");
    cmd.env_clear();
    for (name, value) in base.get_envs() {
        if let Some(value) = value {
            cmd.env(name, value);
        }
    }
    let output = cmd
        .env("TERM", "xterm")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pty_progress.py"))
        .arg(path("a.md") + &path("b.md"))
        .arg(path("c.md"))
        .arg("--")
        .arg(base.get_program())
        .args(["batch", "-"])
        .output()
        .unwrap();
    assert_no_key(&output);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let before = report["before"].as_str().unwrap();
    let terminal = report["terminal"].as_str().unwrap();
    assert_eq!(report["code"], 0, "{terminal}");

    // While the list is still coming: a count out of `?`, no bar and no ETA.
    assert!(before.contains(" 2/? "), "{before:?}");
    assert!(
        !before.contains("ETA") && !before.contains("2/2"),
        "{before:?}"
    );
    // Once it has ended: the real total, with the bar and an ETA.
    let after = &terminal[before.len()..];
    assert!(
        after.contains(" 2/3 ") && after.contains("ETA"),
        "{after:?}"
    );

    // The screen holds the three result lines, whole, and the summary: no bar frame was
    // left behind between them.
    let shown = screen(terminal);
    let results: Vec<Value> = shown
        .iter()
        .filter(|l| !l.starts_with("qwen: batch:"))
        .map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("a stale line: {l:?}")))
        .collect();
    assert_eq!(results.len(), 3, "{shown:#?}");
    assert!(results.iter().all(|r| r["status"] == "ok"));
    assert!(
        shown
            .last()
            .unwrap()
            .starts_with("qwen: batch: 3 item(s): 3 ok")
    );
}
