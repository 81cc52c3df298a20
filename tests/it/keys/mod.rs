//! The API key: where it comes from, where it may go, and that it is never printed.
//!
//! Tests that point `qwen` at a non-loopback URL arm a [`Trap`] as the proxy for every
//! scheme, so that even a regression in the key checks could only reach 127.0.0.1.

use serde_json::Value;
use wiremock::MockServer;
use wiremock::matchers::header;

use crate::common::*;

mod sources;

#[tokio::test]
async fn key_is_sent_as_a_bearer_token() {
    let server = MockServer::start().await;
    chat()
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .respond_with(stream(&["ok"]))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).success();
}

#[tokio::test]
async fn verbose_dumps_the_request_with_the_key_redacted() {
    let server = MockServer::start().await;
    chat()
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .respond_with(stream(&["ok"]))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "--verbose", "hi"]))
        .success()
        .stdout("ok\n");
    let err = stderr(&a);
    assert!(
        err.contains(&format!("> POST {}/chat/completions", server.uri())),
        "{err}"
    );
    assert!(err.contains("> Authorization: Bearer <redacted>"), "{err}");
    assert!(
        err.contains("\"messages\""),
        "the body is dumped too: {err}"
    );
    assert!(err.contains("< 200"), "{err}");
}

#[tokio::test]
async fn dry_run_prints_the_request_and_sends_nothing() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&["ok"]))
        .expect(0)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args([
        "chat",
        "--dry-run",
        "--temperature",
        "0.5",
        "hi",
    ]))
    .success();
    let out = stdout(&a);
    let (head, body) = out.split_once("\n\n").expect("headers, blank line, body");
    let mut lines = head.lines();
    assert_eq!(
        lines.next(),
        Some(format!("POST {}/chat/completions", server.uri()).as_str())
    );
    let headers: Vec<&str> = lines.collect();
    assert!(
        headers.contains(&"Authorization: Bearer <redacted>"),
        "{out}"
    );
    assert!(headers.contains(&"Content-Type: application/json"), "{out}");
    let body: Value = serde_json::from_str(body).unwrap();
    assert_eq!(body["model"], "qwen-plus");
    assert_eq!(body["temperature"], 0.5);
    assert_eq!(body["messages"][0]["content"], "hi");
    assert_eq!(body["stream"], true);
}

#[tokio::test]
async fn dry_run_in_jsonl_is_one_json_object() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&["ok"]))
        .expect(0)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a =
        run(qwen(&server.uri(), dir.path()).args(["chat", "--dry-run", "--format", "jsonl", "hi"]))
            .success();
    let lines = jsonl(&a);
    assert_eq!(lines.len(), 1);
    let v = &lines[0];
    assert_eq!(v["v"], 1);
    assert_eq!(v["method"], "POST");
    assert_eq!(v["url"], format!("{}/chat/completions", server.uri()));
    assert_eq!(v["headers"]["Authorization"], "Bearer <redacted>");
    assert_eq!(v["body"]["messages"][0]["content"], "hi");
}

#[tokio::test]
async fn dry_run_does_not_run_the_key_command() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&["ok"]))
        .expect(0)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("key-command-ran");
    write_config(
        dir.path(),
        &format!(
            "api_key_command = [\"/bin/sh\", \"-c\", \"touch '{}'; echo sk-from-cmd\"]\n",
            marker.display()
        ),
    );
    let a = run(qwen(&server.uri(), dir.path())
        .env_remove("DASHSCOPE_API_KEY")
        .args(["chat", "--dry-run", "hi"]))
    .success();
    assert!(
        stdout(&a).contains("Authorization: Bearer <redacted>"),
        "{}",
        stdout(&a)
    );
    assert!(!marker.exists(), "--dry-run ran api_key_command");
}

#[tokio::test]
async fn without_a_key_a_loopback_server_gets_no_authorization_header() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&["ok"]))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path())
        .env_remove("DASHSCOPE_API_KEY")
        .args(["chat", "hi"]))
    .success()
    .stdout("ok\n");
    let requests = server.received_requests().await.unwrap();
    assert!(
        requests[0].headers.get("authorization").is_none(),
        "{:?}",
        requests[0].headers
    );
}

#[test]
fn missing_key_for_a_remote_https_url_fails_before_connecting() {
    let trap = Trap::new();
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = qwen("https://10.255.255.1/compatible-mode/v1", dir.path());
    trap.arm(&mut cmd);
    cmd.env_remove("DASHSCOPE_API_KEY").args([
        "chat",
        "--retries",
        "0",
        "--first-token-timeout",
        "2s",
        "hi",
    ]);
    let a = run(&mut cmd).code(4);
    let err = stderr(&a);
    assert!(err.starts_with("qwen: error: no API key"), "{err}");
    assert!(err.contains("DASHSCOPE_API_KEY"), "{err}");
    assert!(err.contains("\nhint: "), "{err}");
    assert_eq!(trap.connections(), 0, "qwen tried to connect");
}

#[test]
fn key_is_not_sent_over_plain_http_to_a_remote_host() {
    let trap = Trap::new();
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = qwen("http://10.255.255.1/v1", dir.path());
    trap.arm(&mut cmd);
    cmd.args([
        "chat",
        "--retries",
        "0",
        "--first-token-timeout",
        "2s",
        "hi",
    ]);
    let a = run(&mut cmd).code(4);
    let err = stderr(&a);
    assert!(
        err.contains("refusing to send the API key over plain http to `10.255.255.1`"),
        "{err}"
    );
    assert!(err.contains("--allow-insecure-http"), "{err}");
    assert_eq!(trap.connections(), 0, "qwen tried to connect");
}

#[test]
fn allow_insecure_http_lets_the_key_go_over_plain_http() {
    // The positive control for the two tests above: the trap does see traffic that
    // `qwen` sends to a remote host, so their zero counts mean something.
    let trap = Trap::new();
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = qwen("http://10.255.255.1/v1", dir.path());
    trap.arm(&mut cmd);
    cmd.args([
        "chat",
        "--allow-insecure-http",
        "--retries",
        "0",
        "--first-token-timeout",
        "300ms",
        "hi",
    ]);
    let a = run(&mut cmd).code(1);
    assert!(!stderr(&a).contains("refusing"), "{}", stderr(&a));
    assert_eq!(trap.connections(), 1);
}

#[test]
fn dry_run_shows_the_documented_region_host_and_sends_nothing() {
    let trap = Trap::new();
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = qwen("unused", dir.path());
    trap.arm(&mut cmd);
    cmd.env_remove("DASHSCOPE_BASE_URL")
        .args(["chat", "--region", "cn", "--dry-run", "hi"]);
    let a = run(&mut cmd).success();
    assert!(
        stdout(&a).starts_with(
            "POST https://dashscope.aliyuncs.com/compatible-mode/v1/chat/completions\n"
        ),
        "{}",
        stdout(&a)
    );
    assert_eq!(trap.connections(), 0);
}

#[tokio::test]
async fn dry_run_without_a_key_shows_no_authorization_header() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&["ok"]))
        .expect(0)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path())
        .env_remove("DASHSCOPE_API_KEY")
        .args(["chat", "--dry-run", "hi"]))
    .success();
    assert!(!stdout(&a).contains("Authorization"), "{}", stdout(&a));
}

#[tokio::test]
async fn a_server_quoting_the_key_back_cannot_make_qwen_print_it() {
    let server = MockServer::start().await;
    let body = serde_json::json!({"error": {
        "message": format!("Incorrect API key provided: Bearer {KEY}."),
        "code": "invalid_api_key"}});
    chat().respond_with(error(401, body)).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    for format in ["text", "jsonl", "json"] {
        let assert =
            run(qwen(&server.uri(), dir.path()).args(["--format", format, "chat", "hi"])).code(4);
        assert!(
            stderr(&assert).contains("Bearer <redacted>"),
            "{}",
            stderr(&assert)
        );
    }
}
