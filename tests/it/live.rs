//! Streams as they happen on a real connection (the raw server): drip-fed chunks, breaks
//! after output started, stalls, a reader that goes away, and Ctrl-C.

use std::io::Read;
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::common::*;

/// The role chunk and the text frames, one [`Step::Send`] each, with `pause` between them.
fn drip(texts: &[&str], pause: Duration) -> Vec<Step> {
    let first = frame(&chunk(json!({"content": "", "role": "assistant"}), None));
    let mut steps = vec![Step::Send(first)];
    for text in texts {
        steps.push(Step::Send(text_frame(text)));
        steps.push(Step::Pause(pause));
    }
    steps
}

/// Reads from `out` until what was read contains `needle`; fails after a few seconds.
fn read_until(out: &mut impl Read, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut seen = Vec::new();
    let mut buf = [0u8; 256];
    while !String::from_utf8_lossy(&seen).contains(needle) {
        assert!(
            Instant::now() < deadline,
            "never saw {needle:?} in {seen:?}"
        );
        let n = out.read(&mut buf).unwrap();
        assert!(n > 0, "stdout closed before {needle:?} appeared: {seen:?}");
        seen.extend_from_slice(&buf[..n]);
    }
    String::from_utf8(seen).unwrap()
}

#[test]
fn drip_fed_stream_arrives_whole_and_in_order() {
    let mut steps = drip(&["one ", "two ", "three"], Duration::from_millis(20));
    steps.extend(tail_frames().into_iter().map(Step::Send));
    let server = RawServer::start(steps, End::Finish);
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args(["chat", "hi"]))
        .success()
        .stdout("one two three\n")
        .stderr("");
    assert_eq!(server.requests(), 1);
}

#[test]
fn frames_split_across_chunks_are_reassembled() {
    let whole = sse(&["Hel", "lo"]);
    let steps: Vec<Step> = whole
        .as_bytes()
        .chunks(7)
        .map(|c| Step::Send(String::from_utf8(c.to_vec()).unwrap()))
        .collect();
    let server = RawServer::start(steps, End::Finish);
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args(["chat", "hi"]))
        .success()
        .stdout("Hello\n");
}

#[test]
fn a_break_after_output_started_is_not_retried() {
    let server = RawServer::start(
        drip(&["Hello", " wor"], Duration::from_millis(10)),
        End::Break,
    );
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "--retries", "3", "hi"])).code(1);
    assert_eq!(server.requests(), 1, "a retry would print the text twice");
    let out = stdout(&a);
    assert_eq!(out, "Hello wor\n");
    let err = stderr(&a);
    assert!(err.contains("qwen: error: "), "{err}");
    assert!(err.contains("connection broke"), "{err}");
}

#[test]
fn a_break_before_any_output_is_retried() {
    let first = frame(&chunk(json!({"content": "", "role": "assistant"}), None));
    let server = RawServer::start(vec![Step::Send(first)], End::Break);
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "--retries", "2", "hi"]))
        .code(1)
        .stdout("");
    assert_eq!(server.requests(), 3);
    assert_eq!(
        stderr(&a).matches("qwen: retry: ").count(),
        2,
        "{}",
        stderr(&a)
    );
}

#[test]
fn ledger_records_a_broken_stream_as_a_failed_attempt() {
    let server = RawServer::start(drip(&["Hello"], Duration::ZERO), End::Break);
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).code(1);
    let db = rusqlite::Connection::open(dir.path().join("data/qwen.db")).unwrap();
    let (status, code): (Option<i64>, Option<String>) = db
        .query_row("SELECT status, error_code FROM calls", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(status, None);
    assert_eq!(code.as_deref(), Some("connection_lost"));
}

#[test]
fn idle_timeout_ends_a_stalled_stream_and_keeps_what_arrived() {
    let server = RawServer::start(drip(&["Hello"], Duration::ZERO), End::Hang);
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "--idle-timeout", "300ms", "hi"]))
        .code(1);
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_millis(2500), "took {elapsed:?}");
    assert_eq!(server.requests(), 1, "output had started: no retry");
    assert_eq!(stdout(&a), "Hello\n");
    let err = stderr(&a);
    assert!(
        err.contains("no further output from the server within 0.3s"),
        "{err}"
    );
}

#[test]
fn first_token_timeout_covers_a_stream_that_sends_only_its_head() {
    let server = RawServer::start(Vec::new(), End::Hang);
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args([
        "chat",
        "--retries",
        "1",
        "--first-token-timeout",
        "300ms",
        "hi",
    ]))
    .code(1)
    .stdout("");
    assert_eq!(
        server.requests(),
        2,
        "nothing was shown, so the timeout is retried"
    );
    assert!(
        stderr(&a).contains("no reply from the server within 0.3s"),
        "{}",
        stderr(&a)
    );
}

#[test]
fn closed_stdout_ends_quietly_with_success() {
    // A long reply, drip-fed, so that qwen is still writing when the reader goes away.
    let texts: Vec<String> = (0..150).map(|i| format!("token{i} ")).collect();
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let mut steps = drip(&texts, Duration::from_millis(10));
    steps.extend(tail_frames().into_iter().map(Step::Send));
    let server = RawServer::start(steps, End::Finish);
    let dir = tempfile::tempdir().unwrap();
    let mut child = std_qwen(&server.uri(), dir.path())
        .args(["chat", "hi"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    read_until(&mut out, "token0");
    drop(out); // like `| head -c 1`
    let started = Instant::now();
    let status = wait_for(&mut child, Duration::from_secs(5));
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(status.code(), Some(0), "stderr: {err}");
    assert_eq!(err, "");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "qwen kept reading after stdout closed"
    );
}

#[test]
fn ctrl_c_exits_130_and_keeps_the_text_so_far() {
    let server = RawServer::start(drip(&["Hel", "lo"], Duration::from_millis(10)), End::Hang);
    let dir = tempfile::tempdir().unwrap();
    let mut child = std_qwen(&server.uri(), dir.path())
        .args(["chat", "hi"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut seen = read_until(&mut out, "Hello");
    let kill = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = wait_for(&mut child, Duration::from_secs(5));
    out.read_to_string(&mut seen).unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(status.code(), Some(130), "stderr: {err}");
    assert_eq!(seen, "Hello\n");
    assert!(!err.contains(KEY));
    // The attempt Ctrl-C cut short is in the ledger too.
    let db = rusqlite::Connection::open(dir.path().join("data/qwen.db")).unwrap();
    let (status, code, latency): (Option<i64>, Option<String>, f64) = db
        .query_row(
            "SELECT status, error_code, latency_ms FROM calls",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(status, Some(200), "the reply had begun");
    assert_eq!(code.as_deref(), Some("interrupted"));
    assert!(latency > 0.0);
}

#[test]
fn ctrl_c_in_jsonl_ends_with_an_interrupted_event() {
    let server = RawServer::start(drip(&["Hel"], Duration::ZERO), End::Hang);
    let dir = tempfile::tempdir().unwrap();
    let mut child = std_qwen(&server.uri(), dir.path())
        .args(["chat", "--format", "jsonl", "hi"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut seen = read_until(&mut out, "\"Hel\"");
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let status = wait_for(&mut child, Duration::from_secs(5));
    out.read_to_string(&mut seen).unwrap();
    assert_eq!(status.code(), Some(130));
    let last: serde_json::Value = serde_json::from_str(seen.lines().last().unwrap()).unwrap();
    assert_eq!(last["type"], "error");
    assert_eq!(last["code"], "interrupted");
}

#[test]
fn silent_open_stdin_gets_a_note_and_is_still_read() {
    let mut steps = drip(&["ok"], Duration::ZERO);
    steps.extend(tail_frames().into_iter().map(Step::Send));
    let server = RawServer::start(steps, End::Finish);
    let dir = tempfile::tempdir().unwrap();
    let mut child = std_qwen(&server.uri(), dir.path())
        .args(["chat", "hi"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = child.stderr.take().unwrap();
    let mut seen = read_until(&mut err, "waiting for standard input");
    assert!(seen.contains("--no-stdin"), "{seen}");
    assert_eq!(server.requests(), 0, "nothing is sent before stdin ends");
    let mut stdin = child.stdin.take().unwrap();
    std::io::Write::write_all(&mut stdin, b"late context").unwrap();
    drop(stdin);
    let status = wait_for(&mut child, Duration::from_secs(5));
    err.read_to_string(&mut seen).unwrap();
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    assert_eq!(status.code(), Some(0), "{seen}");
    assert_eq!(out, "ok\n");
    assert_eq!(server.requests(), 1);
}

/// A burst that has already arrived is written in a few pieces, not one write per token
/// (xh's policy: flush when no more output is immediately available). Standard output is a
/// datagram socket here, so each `write` the client makes is one message the test counts.
#[test]
fn a_burst_already_received_is_written_in_a_few_pieces() {
    let texts: Vec<String> = (0..200).map(|i| format!("t{i} ")).collect();
    let words: Vec<&str> = texts.iter().map(String::as_str).collect();
    // Every frame its own HTTP chunk, all in one socket write: they arrive together.
    let mut frames: Vec<String> = drip(&words, Duration::ZERO)
        .into_iter()
        .filter_map(|s| match s {
            Step::Send(frame) => Some(frame),
            _ => None,
        })
        .collect();
    frames.extend(tail_frames());
    let server = RawServer::start(vec![Step::Burst(frames)], End::Finish);
    let dir = tempfile::tempdir().unwrap();
    let (ours, theirs) = std::os::unix::net::UnixDatagram::pair().unwrap();
    ours.set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let mut child = std_qwen(&server.uri(), dir.path())
        .args(["chat", "hi"])
        .stdin(Stdio::null())
        .stdout(Stdio::from(std::os::fd::OwnedFd::from(theirs)))
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (mut messages, mut text) = (0, Vec::new());
    let mut buf = vec![0u8; 1 << 16];
    let mut exited = None;
    loop {
        match ours.recv(&mut buf) {
            Ok(n) => {
                messages += 1;
                text.extend_from_slice(&buf[..n]);
            }
            Err(_) if exited.is_some() => break,
            Err(_) => exited = child.try_wait().unwrap(),
        }
        if exited.is_none() {
            exited = child.try_wait().unwrap();
        }
    }
    assert!(exited.unwrap().success());
    assert_eq!(
        String::from_utf8(text).unwrap(),
        format!("{}\n", words.concat())
    );
    assert!(messages <= 20, "{messages} writes for 200 tokens");
}
