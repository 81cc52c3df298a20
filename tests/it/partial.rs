//! Partial mode (`chat --prefix`, `complete` on chat models): the request shape on both
//! protocols, the output with and without the prefix in every format, the refusals with
//! thinking, and the saved conversation.

use serde_json::{Value, json};
use wiremock::MockServer;
use wiremock::matchers::{method, path};

use crate::common::*;

fn last_message(body: &Value) -> &Value {
    body["messages"].as_array().unwrap().last().unwrap()
}

#[tokio::test]
async fn the_prefix_goes_last_as_a_partial_message_and_is_printed_before_the_continuation() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&["(n):\n", "    return n"]))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args([
        "chat",
        "-m",
        "qwen-plus",
        "write fib",
        "--prefix",
        "def fib",
    ]))
    .success();
    assert_eq!(stdout(&a), "def fib(n):\n    return n\n");
    let body = &bodies(&server).await[0];
    assert_eq!(
        last_message(body),
        &json!({"role": "assistant", "content": "def fib", "partial": true})
    );
    assert_eq!(
        body["messages"][0],
        json!({"role": "user", "content": "write fib"})
    );
    assert_eq!(
        body["enable_thinking"], false,
        "hybrid models get thinking off"
    );

    let a = run(qwen(&server.uri(), dir.path()).args([
        "chat",
        "write fib",
        "--prefix",
        "def fib",
        "--no-echo-prefix",
    ]))
    .success();
    assert_eq!(stdout(&a), "(n):\n    return n\n");
}

#[tokio::test]
async fn jsonl_shows_the_prefix_as_a_first_text_event_and_json_in_text() {
    let server = MockServer::start().await;
    chat().respond_with(stream(&["lo"])).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("prefix.txt");
    std::fs::write(&prefix, "Hel").unwrap();
    let a = run(qwen(&server.uri(), dir.path())
        .args(["--format", "jsonl", "chat", "greet", "--prefix-file"])
        .arg(&prefix))
    .success();
    let lines = jsonl(&a);
    assert_eq!(
        lines[0],
        json!({"v": 1, "type": "text", "text": "Hel", "prefix": true})
    );
    assert_eq!(lines[1], json!({"v": 1, "type": "text", "text": "lo"}));
    let a = run(qwen(&server.uri(), dir.path())
        .args(["--format", "json", "chat", "greet", "--prefix", "Hel"]))
    .success();
    assert_eq!(jsonl(&a)[0]["text"], "Hello");
    let a = run(qwen(&server.uri(), dir.path()).args([
        "--format",
        "json",
        "chat",
        "greet",
        "--prefix",
        "Hel",
        "--no-echo-prefix",
    ]))
    .success();
    assert_eq!(jsonl(&a)[0]["text"], "lo");
}

#[tokio::test]
async fn thinking_is_refused_before_anything_is_sent() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&["x"]))
        .expect(0)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "q", "--prefix", "p", "--think"]))
        .code(2);
    assert!(
        stderr(&a).contains("`--think` cannot be used in partial mode"),
        "{}",
        stderr(&a)
    );
    let a =
        run(qwen(&server.uri(), dir.path()).args(["chat", "-m", "qwq-plus", "q", "--prefix", "p"]))
            .code(2);
    assert!(
        stderr(&a).contains("`qwq-plus` always thinks"),
        "{}",
        stderr(&a)
    );
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "q", "--no-echo-prefix"])).code(2);
    assert!(stderr(&a).contains("--prefix"), "{}", stderr(&a));
}

#[tokio::test]
async fn the_saved_conversation_holds_prefix_and_continuation() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&[" world"]))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args([
        "chat",
        "greet",
        "--prefix",
        "Hello",
        "--no-echo-prefix",
    ]))
    .success();
    run(qwen(&server.uri(), dir.path()).args(["chat", "-c", "again"])).success();
    let body = &bodies(&server).await[1];
    assert_eq!(
        body["messages"],
        json!([{"role": "user", "content": "greet"},
               {"role": "assistant", "content": "Hello world"},
               {"role": "user", "content": "again"}])
    );
}

#[tokio::test]
async fn native_partial_messages_keep_string_content_on_the_multimodal_path() {
    let server = MockServer::start().await;
    wiremock::Mock::given(method("POST"))
        .and(path(NATIVE_MULTIMODAL_PATH))
        .respond_with(sse_response(native_sse(&["!"])))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&native_base(&server.uri()), dir.path()).args([
        "--api",
        "native",
        "chat",
        "-m",
        "qwen3.5-plus",
        "hi",
        "--prefix",
        "Hey",
    ]))
    .success();
    assert_eq!(stdout(&a), "Hey!\n");
    let body = &bodies(&server).await[0];
    let messages = body["input"]["messages"].as_array().unwrap();
    assert_eq!(
        messages.last().unwrap(),
        &json!({"role": "assistant", "content": "Hey", "partial": true})
    );
    assert_eq!(messages[0]["content"], json!([{"text": "hi"}]));
    assert_eq!(body["parameters"]["enable_thinking"], false);
}

#[tokio::test]
async fn complete_continues_a_chat_model_in_partial_mode() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&["    return n"]))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a =
        run(qwen(&server.uri(), dir.path()).args(["complete", "-m", "qwen-plus", "def fib(n):\n"]))
            .success();
    assert_eq!(stdout(&a), "    return n\n", "the prompt is not repeated");
    let body = &bodies(&server).await[0];
    assert_eq!(
        body["messages"],
        json!([{"role": "user", "content": "Continue the text."},
               {"role": "assistant", "content": "def fib(n):\n", "partial": true}])
    );
    assert_eq!(body["enable_thinking"], false);
    let a =
        run(qwen(&server.uri(), dir.path()).args(["complete", "--partial", "--suffix", "x", "a"]))
            .code(2);
    assert!(stderr(&a).contains("--suffix"), "{}", stderr(&a));
}

#[tokio::test]
async fn complete_prefix_forces_partial_mode_for_any_model() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&[" world"]))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args([
        "complete",
        "-m",
        "my-local-model",
        "--prefix",
        "hello",
    ]))
    .success();
    assert_eq!(stdout(&a), " world\n");
    let body = &bodies(&server).await[0];
    assert_eq!(
        body["messages"][1],
        json!({"role": "assistant", "content": "hello", "partial": true})
    );
}
