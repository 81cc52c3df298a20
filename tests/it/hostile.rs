//! A hostile or broken server: keys echoed back in ids and codes, terminal control
//! sequences in messages and reasoning, huge events, HTML pages, streams closed early.

use std::path::Path;

use serde_json::{Value, json};
use wiremock::{MockServer, ResponseTemplate};

use crate::common::*;

/// Fails when `secret` is anywhere in the SQLite store (database or WAL).
fn assert_not_stored(dir: &Path, secret: &str) {
    for name in ["qwen.db", "qwen.db-wal"] {
        let file = dir.join("data").join(name);
        let Ok(bytes) = std::fs::read(&file) else {
            continue;
        };
        let found = bytes.windows(secret.len()).any(|w| w == secret.as_bytes());
        assert!(!found, "the key is stored in {}", file.display());
    }
}

/// The ledger as `qwen usage log --format jsonl` prints it.
fn usage_log(dir: &Path) -> Vec<Value> {
    jsonl(
        &run(qwen("http://127.0.0.1:9", dir).args(["usage", "log", "--format", "jsonl"])).success(),
    )
}

#[tokio::test]
async fn a_key_echoed_in_ids_and_codes_reaches_no_output_and_no_store() {
    let server = MockServer::start().await;
    // A reply whose header, body request id and model all quote the key back.
    let echoed = sse(&["Hi"]).replace("\"model\":\"qwen-plus\"", &format!("\"model\":\"{KEY}\""));
    chat()
        .respond_with(sse_response(echoed).insert_header("x-request-id", KEY))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let error =
        json!({"error": {"code": KEY, "message": format!("bad key {KEY}")}, "request_id": KEY});
    chat()
        .respond_with(error_with_header(400, error))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a =
        run(qwen(&server.uri(), dir.path()).args(["chat", "--format", "jsonl", "hi"])).success();
    let done = jsonl(&a).pop().unwrap();
    assert_eq!(done["request_id"], "<redacted>", "{done}");
    assert_eq!(done["model"], "<redacted>", "{done}");
    for format in ["json", "jsonl"] {
        let a =
            run(qwen(&server.uri(), dir.path()).args(["chat", "--format", format, "hi"])).code(1);
        let out = stdout(&a);
        assert!(out.contains("<redacted>"), "{out}");
    }
    std::fs::write(dir.path().join("a.txt"), "hi\n").unwrap();
    let a = run(qwen(&server.uri(), dir.path())
        .current_dir(dir.path())
        .args(["--retries", "0", "batch", "a.txt"]))
    .code(3);
    assert!(stdout(&a).contains("<redacted>"), "{}", stdout(&a));
    let rows = usage_log(dir.path());
    assert!(rows.len() >= 4, "{rows:?}");
    assert!(
        rows.iter()
            .any(|r| r["error_code"] == "<redacted>" && r["request_id"] == "<redacted>"),
        "{rows:?}"
    );
    assert_not_stored(dir.path(), KEY);
}

/// A 400 whose `x-request-id` header quotes the key too.
fn error_with_header(status: u16, body: Value) -> ResponseTemplate {
    error(status, body).insert_header("x-request-id", KEY)
}

#[tokio::test]
async fn a_short_key_is_redacted_too() {
    let short = "k3y9";
    let server = MockServer::start().await;
    chat()
        .respond_with(error(
            401,
            json!({"error": {"code": "invalid_api_key", "message": format!("key {short} is wrong")},
                   "request_id": short}),
        ))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path())
        .env("DASHSCOPE_API_KEY", short)
        .args(["chat", "--format", "json", "hi"]))
    .code(4);
    let all = format!("{}{}", stdout(&a), stderr(&a));
    assert!(!all.contains(short), "{all}");
    assert!(all.contains("key <redacted> is wrong"), "{all}");
    assert_not_stored(dir.path(), short);
}

#[tokio::test]
async fn terminal_controls_from_the_server_are_escaped_on_stderr() {
    let server = MockServer::start().await;
    let nasty = "\u{1b}]0;pwned\u{7}\u{1b}[2J\nqwen: error: all good\u{9b}31m";
    // A retry note, then an error line, each carrying the sequences.
    chat()
        .respond_with(error(
            503,
            json!({"error": {"code": "busy", "message": nasty}}),
        ))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    chat()
        .respond_with(error(
            400,
            json!({"error": {"code": "bad\u{1b}[5m", "message": nasty}}),
        ))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "--retries", "1", "hi"])).code(1);
    let err = stderr(&a);
    assert!(
        !err.contains('\u{1b}') && !err.contains('\u{7}') && !err.contains('\u{9b}'),
        "{err:?}"
    );
    assert!(err.contains("\\u{1b}]0;pwned"), "{err}");
    // Every line is ours: the embedded newline did not start a fake one.
    let fake = err
        .lines()
        .filter(|l| l.starts_with("qwen: error: all good"))
        .count();
    assert_eq!(fake, 0, "{err}");
    assert!(err.lines().any(|l| l.starts_with("qwen: retry: ")), "{err}");
}

#[tokio::test]
async fn reasoning_shown_on_stderr_cannot_drive_the_terminal() {
    let server = MockServer::start().await;
    chat()
        .respond_with(sse_response(sse_thinking(
            &["think \u{1b}]0;pwned\u{7}", "\u{1b}[2Jmore\n"],
            &["Answer"],
        )))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "--show-thinking", "hi"]))
        .success()
        .stdout("Answer\n");
    let err = stderr(&a);
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    assert!(
        err.contains("think \\u{1b}]0;pwned\\u{7}\\u{1b}[2Jmore\n"),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_event_over_max_event_size_is_a_clear_error() {
    let server = MockServer::start().await;
    let huge = "x".repeat(300 * 1024);
    chat()
        .respond_with(stream(&["Hi", &huge]))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), "max_event_size = \"256KiB\"\n");
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).code(1);
    let err = stderr(&a);
    assert!(
        err.contains("larger than 256 KiB, the `max_event_size` limit"),
        "{err}"
    );
    assert_eq!(stdout(&a), "Hi\n");
    // Under the limit, the same reply is fine.
    write_config(dir.path(), "max_event_size = \"1MiB\"\n");
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).success();
    assert_eq!(stdout(&a).len(), "Hi".len() + huge.len() + 1);
    write_config(dir.path(), "max_event_size = \"lots\"\n");
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).code(2);
    assert!(stderr(&a).contains("max_event_size"), "{}", stderr(&a));
}

#[tokio::test]
async fn an_html_page_is_named_as_such() {
    let server = MockServer::start().await;
    let page = "<!doctype html><html><body>Router login</body></html>";
    chat()
        .respond_with(ResponseTemplate::new(200).set_body_raw(page, "text/html; charset=utf-8"))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    for args in [&["chat", "hi"][..], &["chat", "--no-stream", "hi"][..]] {
        let a = run(qwen(&server.uri(), dir.path()).args(args)).code(1);
        let err = stderr(&a);
        assert!(
            err.contains("the server answered HTML, not an API response: check the URL"),
            "{err}"
        );
        assert!(!err.contains("ended before"), "{err}");
    }
    // Not retried: another try would get the same page.
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_stream_closed_cleanly_before_any_content_is_retried() {
    let server = MockServer::start().await;
    // The role chunk only, then a clean end: no text, no finish reason, no [DONE].
    let cut = frame(&chunk(json!({"content": "", "role": "assistant"}), None));
    chat()
        .respond_with(sse_response(cut))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    chat().respond_with(stream(&["ok"])).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "hi"]))
        .success()
        .stdout("ok\n");
    assert!(
        stderr(&a).contains("ended before the reply was complete; retrying"),
        "{}",
        stderr(&a)
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_stream_cut_after_output_is_still_not_retried() {
    let server = MockServer::start().await;
    chat()
        .respond_with(sse_response(text_frame("Partial")))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "--format", "jsonl", "hi"])).code(1);
    let last = jsonl(&a).pop().unwrap();
    assert_eq!(last["code"], "incomplete_reply", "{last}");
}

#[tokio::test]
async fn a_hostile_finish_reason_is_scrubbed_everywhere() {
    let server = MockServer::start().await;
    // The key and a screen clear with a forged line, as the finish reason.
    let reason = format!("stop {KEY}\\u001b[2J\\nqwen: error: forged");
    let body = sse(&["Hi"]).replace(
        "\"finish_reason\":\"stop\"",
        &format!("\"finish_reason\":\"{reason}\""),
    );
    assert!(body.contains(KEY));
    chat().respond_with(sse_response(body)).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let clean = |text: &str| {
        assert!(!text.contains(KEY), "{text}");
        assert!(!text.contains('\u{1b}'), "{text:?}");
    };
    let a =
        run(qwen(&server.uri(), dir.path()).args(["chat", "--format", "jsonl", "--cache", "hi"]))
            .success();
    let done = jsonl(&a).pop().unwrap();
    let got = done["finish_reason"].as_str().unwrap();
    clean(got);
    assert!(!got.contains('\n'), "{got:?}");
    assert!(got.contains("<redacted>"), "{got}");
    // The cached reply replays the same scrubbed reason, and the cache holds no key.
    let a =
        run(qwen(&server.uri(), dir.path()).args(["chat", "--format", "json", "--cache", "hi"]))
            .success();
    clean(&stdout(&a));
    assert_eq!(jsonl(&a)[0]["finish_reason"], got);
    assert_not_stored(dir.path(), KEY);
    // The `done` line of `tools run` and its transcript.
    let tools = dir.path().join("tools.toml");
    std::fs::write(
        &tools,
        "[[tool]]\nname = \"noop\"\ndescription = \"Nothing\"\ncommand = [\"true\"]\n",
    )
    .unwrap();
    let transcript = dir.path().join("transcript.jsonl");
    let a = run(qwen(&server.uri(), dir.path())
        .args(["tools", "run", "--format", "jsonl", "--tools"])
        .arg(&tools)
        .arg("--transcript")
        .arg(&transcript)
        .arg("hi"))
    .success();
    let out = stdout(&a);
    clean(&out);
    assert!(out.contains("<redacted>"), "{out}");
    let transcript = std::fs::read_to_string(&transcript).unwrap();
    clean(&transcript);
    assert!(transcript.contains("<redacted>"), "{transcript}");
    assert_not_stored(dir.path(), KEY);
}

#[tokio::test]
async fn a_hostile_model_name_forges_no_line_in_notes_or_doctor() {
    let server = MockServer::start().await;
    let name = "qwen-plus\\nqwen: error: forged\\u001b]0;pwned\\u0007";
    let body = sse(&["OK"]).replace("\"model\":\"qwen-plus\"", &format!("\"model\":\"{name}\""));
    chat().respond_with(sse_response(body)).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let forged = |text: &str| {
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{text:?}"
        );
        assert!(
            !text.lines().any(|l| l.starts_with("qwen: error: forged")),
            "{text}"
        );
    };
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "--usage", "hi"])).success();
    let err = stderr(&a);
    forged(&err);
    assert!(err.contains("qwen-plus\\u{a}qwen: error: forged"), "{err}");
    // The fallback note names the model that answered, escaped too.
    let failing = MockServer::start().await;
    chat()
        .and(wiremock::matchers::body_partial_json(
            json!({"model": "qwen-max"}),
        ))
        .respond_with(error(
            404,
            json!({"error": {"code": "model_not_found", "message": "no"}}),
        ))
        .mount(&failing)
        .await;
    chat()
        .respond_with(sse_response(
            sse(&["OK"]).replace("\"model\":\"qwen-plus\"", &format!("\"model\":\"{name}\"")),
        ))
        .mount(&failing)
        .await;
    let a = run(qwen(&failing.uri(), dir.path()).args([
        "chat",
        "-m",
        "qwen-max",
        "--fallback-model",
        "qwen-plus",
        "hi",
    ]))
    .success();
    let err = stderr(&a);
    forged(&err);
    assert!(err.contains("(fallback)"), "{err}");
    let a = run(qwen(&server.uri(), dir.path()).args(["doctor"]));
    let all = format!("{}{}", stdout(&a), stderr(&a));
    forged(&all);
    assert!(all.contains("qwen-plus\\u{a}qwen: error: forged"), "{all}");
}

#[tokio::test]
async fn a_whole_reply_over_max_event_size_is_a_clear_error() {
    let server = MockServer::start().await;
    let big = "x".repeat(4096);
    chat()
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "choices": [{"message": {"role": "assistant", "content": big}, "finish_reason": "stop"}],
            "model": "qwen-plus"
        })))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), "max_event_size = \"1KiB\"\n");
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "--no-stream", "hi"])).code(1);
    let err = stderr(&a);
    assert!(
        err.contains("larger than 1 KiB, the `max_event_size` limit"),
        "{err}"
    );
    // A Batch API answer too (the upload's).
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .and(wiremock::matchers::path("/files"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "file-big", "object": "file", "purpose": "batch", "padding": "x".repeat(4096)
        })))
        .mount(&server)
        .await;
    std::fs::write(dir.path().join("a.txt"), "hi\n").unwrap();
    let a = run(qwen(&server.uri(), dir.path())
        .current_dir(dir.path())
        .args(["batch", "--remote", "a.txt", "-o", "r.jsonl"]))
    .code(1);
    let err = stderr(&a);
    assert!(
        err.contains("larger than 1 KiB, the `max_event_size` limit"),
        "{err}"
    );
}

#[test]
fn an_endless_error_body_is_cut_and_the_error_reported() {
    use std::io::{Read, Write};
    use std::time::{Duration, Instant};

    // A 500 whose chunked body never ends: qwen reads its first 64 KiB and reports it.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().unwrap();
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") && socket.read(&mut byte).unwrap_or(0) == 1 {
            head.push(byte[0]);
        }
        let _ = socket.write_all(
            b"HTTP/1.1 500 Internal Server Error\r\ncontent-type: text/plain\r\n\
              transfer-encoding: chunked\r\n\r\n",
        );
        let chunk = format!("4000\r\n{}boom\r\n", "boom ".repeat(0x4000 / 5));
        let started = Instant::now();
        let mut sent = 0usize;
        // Until the client goes away (or a bound, so a failing test still ends).
        while started.elapsed() < Duration::from_secs(20)
            && socket.write_all(chunk.as_bytes()).is_ok()
        {
            sent += 0x4000;
        }
        sent
    });
    let dir = tempfile::tempdir().unwrap();
    let mut child = std_qwen(&format!("http://{addr}"), dir.path())
        .args(["--retries", "0", "chat", "hi"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let status = wait_for(&mut child, Duration::from_secs(10));
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(status.code(), Some(1), "{err}");
    assert!(err.contains("500 boom boom"), "{err}");
    let sent = server.join().unwrap();
    assert!(sent < 64 << 20, "the server sent {sent} bytes");
}
