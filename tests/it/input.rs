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
    let a = a.code(2);
    assert!(stderr(&a).contains("no-such-file.txt"), "{}", stderr(&a));
}

/// Runs `qwen ARGS` with `stdin` as standard input; it must end within 10 seconds.
fn run_with_stdin(
    server: &str,
    dir: &std::path::Path,
    stdin: std::fs::File,
    args: &[&str],
) -> (Option<i32>, String) {
    let mut child = std_qwen(server, dir)
        .args(args)
        .stdin(stdin)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let status = wait_for(&mut child, std::time::Duration::from_secs(10));
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert!(!err.contains(KEY));
    (status.code(), err)
}

#[tokio::test]
async fn endless_inputs_are_refused_at_once_with_exit_2() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&["ok"]))
        .expect(0)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let zero = || std::fs::File::open("/dev/zero").unwrap();
    let uri = server.uri();
    for args in [&["chat"][..], &["embed"], &["complete"], &["tools", "run"]] {
        let (code, err) = run_with_stdin(&uri, dir.path(), zero(), args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(
            err.contains("standard input looks binary (it contains NUL bytes)"),
            "{args:?}: {err}"
        );
    }
    // With --lossy NUL bytes are text: the size limit stops it.
    let (code, err) = run_with_stdin(
        &uri,
        dir.path(),
        zero(),
        &["--max-input", "1MiB", "chat", "--lossy"],
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("standard input is larger than 1 MiB"), "{err}");
    assert!(err.contains("hint: raise `--max-input`"), "{err}");
    let null = || std::fs::File::open("/dev/null").unwrap();
    for args in [
        &["chat", "hi", "-f", "/dev/zero"][..],
        &["chat", "hi", "--system-file", "/dev/zero"],
        &["chat", "hi", "--schema", "/dev/zero"],
        &["complete", "hi", "--suffix-file", "/dev/zero"],
        &["complete", "-f", "/dev/zero"],
        &["embed", "-f", "/dev/zero"],
        &["tools", "run", "hi", "--system-file", "/dev/zero"],
        &["batch", "--prompt-file", "/dev/zero", "/dev/null"],
        &["batch", "--system-file", "/dev/zero", "/dev/null"],
    ] {
        let (code, err) = run_with_stdin(&uri, dir.path(), null(), args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(
            err.contains("`/dev/zero` looks binary (it contains NUL bytes)"),
            "{args:?}: {err}"
        );
    }
}

#[tokio::test]
async fn max_input_limits_each_input_from_the_flag_or_the_config_file() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&["ok"]))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "a".repeat(3000)).unwrap();
    let a = run(qwen(&server.uri(), dir.path())
        .args(["--max-input", "2KB", "chat", "hi", "-f"])
        .arg(&notes))
    .code(2);
    assert!(
        stderr(&a).contains("notes.txt` is larger than 2000 bytes"),
        "{}",
        stderr(&a)
    );
    write_config(dir.path(), "max_input = 2048\n");
    run(qwen(&server.uri(), dir.path())
        .args(["chat", "hi", "-f"])
        .arg(&notes))
    .code(2);
    run(qwen(&server.uri(), dir.path())
        .args(["--max-input", "4KiB", "chat", "hi", "-f"])
        .arg(&notes))
    .success();
    write_config(dir.path(), "max_input = \"lots\"\n");
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).code(2);
    assert!(stderr(&a).contains("invalid `max_input`"), "{}", stderr(&a));
}

#[test]
fn a_max_input_of_zero_is_refused_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen("http://127.0.0.1:9", dir.path())
        .args(["--max-input", "0", "chat", "--dry-run", "-"])
        .write_stdin("hi"))
    .code(2);
    let err = stderr(&a);
    assert!(
        err.contains("invalid `--max-input`: `0`: the limit must be at least 1 byte"),
        "{err}"
    );
    assert!(!err.contains("1 bytes"), "{err}");
    write_config(dir.path(), "max_input = 0\n");
    let a = run(qwen("http://127.0.0.1:9", dir.path()).args(["chat", "--dry-run", "hi"])).code(2);
    assert!(stderr(&a).contains("invalid `max_input`"), "{}", stderr(&a));
}
