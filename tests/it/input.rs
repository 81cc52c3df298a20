//! How the prompt is assembled from arguments, standard input, `--file` and system prompts,
//! and how bad input is refused before anything is sent.

use serde_json::json;
use wiremock::MockServer;

use crate::common::*;

/// A server that answers every chat request with "ok".
async fn ok_server() -> MockServer {
    let server = MockServer::start().await;
    chat().respond_with(stream(&["ok"])).mount(&server).await;
    server
}

#[tokio::test]
async fn arguments_come_before_piped_stdin() {
    let server = ok_server().await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path())
        .args(["chat", "Summarise"])
        .write_stdin("ctx\n"))
    .success();
    assert_eq!(prompt(&bodies(&server).await[0]), "Summarise\n\nctx");
}

#[tokio::test]
async fn arguments_are_joined_with_spaces() {
    let server = ok_server().await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args(["chat", "Say", "hello", "twice"])).success();
    assert_eq!(prompt(&bodies(&server).await[0]), "Say hello twice");
}

#[tokio::test]
async fn stdin_alone_is_the_prompt() {
    let server = ok_server().await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path())
        .arg("chat")
        .write_stdin("just stdin\n"))
    .success();
    assert_eq!(prompt(&bodies(&server).await[0]), "just stdin");
}

#[tokio::test]
async fn dash_marks_where_stdin_goes() {
    let server = ok_server().await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path())
        .args(["chat", "Translate", "-", "into French"])
        .write_stdin("hello\n"))
    .success();
    assert_eq!(
        prompt(&bodies(&server).await[0]),
        "Translate\n\nhello\n\ninto French"
    );
}

#[tokio::test]
async fn no_stdin_ignores_piped_input() {
    let server = ok_server().await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path())
        .args(["chat", "--no-stdin", "hi"])
        .write_stdin("must not be sent"))
    .success();
    assert_eq!(prompt(&bodies(&server).await[0]), "hi");
}

#[tokio::test]
async fn dash_with_no_stdin_is_a_usage_error() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&["ok"]))
        .expect(0)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "--no-stdin", "-"])).code(2);
    assert!(stderr(&a).contains("--no-stdin"), "{}", stderr(&a));
}

#[tokio::test]
async fn file_is_attached_with_its_path() {
    let server = ok_server().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "first line\nsecond line\n").unwrap();
    let file = file.to_str().unwrap();
    run(qwen(&server.uri(), dir.path()).args(["chat", "Review", "-f", file])).success();
    assert_eq!(
        prompt(&bodies(&server).await[0]),
        format!("Review\n\n<file path=\"{file}\">\nfirst line\nsecond line\n</file>")
    );
}

#[tokio::test]
async fn args_then_stdin_then_files() {
    let server = ok_server().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.rs");
    std::fs::write(&file, "fn a() {}").unwrap();
    let file = file.to_str().unwrap();
    run(qwen(&server.uri(), dir.path())
        .args(["chat", "Explain", "--file", file])
        .write_stdin("context"))
    .success();
    assert_eq!(
        prompt(&bodies(&server).await[0]),
        format!("Explain\n\ncontext\n\n<file path=\"{file}\">\nfn a() {{}}\n</file>")
    );
}

#[tokio::test]
async fn empty_stdin_and_no_arguments_is_a_usage_error_and_sends_nothing() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&["ok"]))
        .expect(0)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).arg("chat").write_stdin("")).code(2);
    let err = stderr(&a);
    assert!(err.starts_with("qwen: error: no prompt"), "{err}");
    assert!(err.contains("\nhint: "), "{err}");
}

#[tokio::test]
async fn whitespace_only_stdin_is_no_prompt() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&["ok"]))
        .expect(0)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path())
        .arg("chat")
        .write_stdin(" \n\n"))
    .code(2);
    assert!(stderr(&a).contains("no prompt"), "{}", stderr(&a));
}

#[tokio::test]
async fn binary_file_is_refused_with_a_hint_to_use_lossy() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&["ok"]))
        .expect(0)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("blob.bin");
    std::fs::write(&file, b"ab\0cd").unwrap();
    let a =
        run(qwen(&server.uri(), dir.path()).args(["chat", "look", "-f", file.to_str().unwrap()]))
            .code(2);
    let err = stderr(&a);
    assert!(err.contains("blob.bin"), "{err}");
    assert!(err.contains("binary"), "{err}");
    assert!(err.contains("--lossy"), "{err}");
}

#[tokio::test]
async fn non_utf8_stdin_is_refused() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&["ok"]))
        .expect(0)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path())
        .args(["chat", "fix"])
        .write_stdin(vec![b'a', 0xff, b'b']))
    .code(2);
    let err = stderr(&a);
    assert!(err.contains("standard input is not UTF-8"), "{err}");
    assert!(err.contains("--lossy"), "{err}");
}

#[tokio::test]
async fn lossy_replaces_invalid_bytes() {
    let server = ok_server().await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path())
        .args(["chat", "--lossy", "fix"])
        .write_stdin(vec![b'a', 0xff, b'b']))
    .success();
    assert_eq!(prompt(&bodies(&server).await[0]), "fix\n\na\u{fffd}b");
}

#[tokio::test]
async fn system_flag_adds_a_system_message_first() {
    let server = ok_server().await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args(["chat", "-s", "Be brief.", "hi"])).success();
    assert_eq!(
        bodies(&server).await[0]["messages"],
        json!([{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hi"}])
    );
}

#[tokio::test]
async fn system_file_adds_a_system_message_first() {
    let server = ok_server().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("system.md");
    std::fs::write(&file, "You are terse.").unwrap();
    run(qwen(&server.uri(), dir.path()).args([
        "chat",
        "--system-file",
        file.to_str().unwrap(),
        "hi",
    ]))
    .success();
    assert_eq!(
        bodies(&server).await[0]["messages"],
        json!([{"role": "system", "content": "You are terse."}, {"role": "user", "content": "hi"}])
    );
}

#[tokio::test]
async fn system_prompt_can_come_from_the_config_file() {
    let server = ok_server().await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), "system = \"From config.\"\n");
    run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).success();
    run(qwen(&server.uri(), dir.path()).args(["chat", "-s", "From flag.", "hi"])).success();
    let bodies = bodies(&server).await;
    assert_eq!(
        bodies[0]["messages"][0],
        json!({"role": "system", "content": "From config."})
    );
    assert_eq!(
        bodies[1]["messages"][0],
        json!({"role": "system", "content": "From flag."})
    );
}

#[tokio::test]
async fn missing_file_is_an_error_naming_it() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&["ok"]))
        .expect(0)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "hi", "-f", "no-such-file.txt"]));
    let a = a.failure();
    assert!(stderr(&a).contains("no-such-file.txt"), "{}", stderr(&a));
}
