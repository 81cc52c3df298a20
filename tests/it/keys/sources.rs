//! Where the key comes from: files, commands (bounded, stopped with their children, and
//! Ctrl-C at a terminal), the environment, and the hint that names the source in use.

use super::*;

#[tokio::test]
async fn api_key_file_from_config_is_sent() {
    let server = MockServer::start().await;
    chat()
        .and(header("authorization", "Bearer sk-from-file"))
        .respond_with(stream(&["ok"]))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("key.txt");
    std::fs::write(&key_file, "sk-from-file\n").unwrap();
    write_config(
        dir.path(),
        &format!("api_key_file = '{}'\n", key_file.display()),
    );
    let a = run(qwen(&server.uri(), dir.path())
        .env_remove("DASHSCOPE_API_KEY")
        .args(["chat", "hi"]))
    .success();
    assert!(!stdout(&a).contains("sk-from-file") && !stderr(&a).contains("sk-from-file"));
}

#[tokio::test]
async fn api_key_command_from_config_is_sent() {
    let server = MockServer::start().await;
    chat()
        .and(header("authorization", "Bearer sk-from-cmd"))
        .respond_with(stream(&["ok"]))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write_config(
        dir.path(),
        "api_key_command = [\"/bin/echo\", \"sk-from-cmd\"]\n",
    );
    let a = run(qwen(&server.uri(), dir.path())
        .env_remove("DASHSCOPE_API_KEY")
        .args(["chat", "--verbose", "hi"]))
    .success();
    assert!(!stdout(&a).contains("sk-from-cmd") && !stderr(&a).contains("sk-from-cmd"));
}

#[tokio::test]
async fn environment_key_beats_the_config_file() {
    let server = MockServer::start().await;
    chat()
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .respond_with(stream(&["ok"]))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write_config(
        dir.path(),
        "api_key_command = [\"/bin/echo\", \"sk-from-cmd\"]\n",
    );
    run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).success();
}

#[tokio::test]
async fn dashscope_api_key_file_path_env_is_read() {
    let server = MockServer::start().await;
    chat()
        .and(header("authorization", "Bearer sk-env-file"))
        .respond_with(stream(&["ok"]))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("key");
    std::fs::write(&key_file, "  sk-env-file\n").unwrap();
    run(qwen(&server.uri(), dir.path())
        .env_remove("DASHSCOPE_API_KEY")
        .env("DASHSCOPE_API_KEY_FILE_PATH", &key_file)
        .args(["chat", "hi"]))
    .success();
}

#[tokio::test]
async fn failing_key_command_is_an_error_and_sends_nothing() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&["ok"]))
        .expect(0)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), "api_key_command = [\"/bin/false\"]\n");
    let a = run(qwen(&server.uri(), dir.path())
        .env_remove("DASHSCOPE_API_KEY")
        .args(["chat", "hi"]))
    .code(4);
    assert!(stderr(&a).contains("api_key_command"), "{}", stderr(&a));
}

#[tokio::test]
async fn every_key_command_failure_exits_4_naming_the_command() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&["ok"]))
        .expect(0)
        .mount(&server)
        .await;
    for (argv, expect) in [
        (
            r#"["/no/such/keytool"]"#,
            "cannot run `api_key_command` `/no/such/keytool`",
        ),
        (
            r#"["sh", "-c", "exit 7"]"#,
            "`api_key_command` `sh` failed (exit status: 7)",
        ),
        (r#"["true"]"#, "`api_key_command` `true` gave an empty key"),
        (
            r#"["printf", "sk-1\nsk-2\n"]"#,
            "`api_key_command` `printf` gave 2 lines",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        write_config(dir.path(), &format!("api_key_command = {argv}\n"));
        let a = run(qwen(&server.uri(), dir.path())
            .env_remove("DASHSCOPE_API_KEY")
            .args(["chat", "hi"]))
        .code(4);
        let err = stderr(&a);
        assert!(err.contains(expect), "{argv}: {err}");
        assert!(
            !err.contains("request"),
            "{argv}: nothing was requested: {err}"
        );
    }
}

#[tokio::test]
async fn a_key_command_that_never_ends_is_stopped_at_its_timeout_with_its_children() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&["ok"]))
        .expect(0)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("sleep.pid");
    write_config(
        dir.path(),
        &format!(
            "api_key_command = [\"sh\", \"-c\", \"sleep 60 & echo $! > '{}'; wait\"]\n\
             api_key_command_timeout = \"500ms\"\n",
            pid_file.display()
        ),
    );
    let started = std::time::Instant::now();
    let a = run(qwen(&server.uri(), dir.path())
        .env_remove("DASHSCOPE_API_KEY")
        .args(["chat", "hi"]))
    .code(4);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    let err = stderr(&a);
    assert!(
        err.contains("`api_key_command` `sh` did not finish within 0.5s and was stopped"),
        "{err}"
    );
    assert!(err.contains("api_key_command_timeout"), "{err}");
    assert!(gone(&pid_file), "the command's child still runs");
}

#[test]
fn ctrl_c_at_a_terminal_stops_the_key_command_and_everything_it_started() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("sleep.pid");
    // The pid file appears a moment after the start, once `qwen` has lent the terminal;
    // the background `sleep` ignores SIGINT, as a non-interactive shell's jobs do.
    write_config(
        dir.path(),
        &format!(
            "api_key_command = [\"sh\", \"-c\", \"sleep 60 & p=$!; sleep 0.3; echo $p > '{}'; wait\"]\n",
            pid_file.display()
        ),
    );
    let mut cmd = std::process::Command::new("python3");
    cmd.arg(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pty_ctrl_c.py"))
        .arg(&pid_file)
        .arg("--")
        .arg(assert_cmd::cargo::cargo_bin!("qwen"))
        .args(["chat", "--no-stdin", "hi"]);
    let base = std_qwen("http://127.0.0.1:9/v1", dir.path());
    cmd.env_clear();
    for (k, v) in base.get_envs() {
        if let (Some(v), false) = (v, k == "DASHSCOPE_API_KEY") {
            cmd.env(k, v);
        }
    }
    let out = cmd.output().expect("python3 runs");
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(report["timed_out"], false, "{report}");
    assert_eq!(report["code"], 130, "{report}");
    assert!(report["seconds"].as_f64().unwrap() < 3.0, "{report}");
    assert!(
        report["terminal"]
            .as_str()
            .unwrap()
            .contains("`api_key_command` `sh` was interrupted"),
        "{report}"
    );
    assert!(gone(&pid_file), "the command's child survived Ctrl-C");
}

#[test]
fn a_signal_without_a_terminal_stops_the_key_command_and_everything_it_started() {
    use std::os::unix::process::CommandExt as _;
    use std::time::{Duration, Instant};

    for signal in ["INT", "TERM"] {
        let dir = tempfile::tempdir().unwrap();
        let pid_file = dir.path().join("sleep.pid");
        write_config(
            dir.path(),
            &format!(
                "api_key_command = [\"sh\", \"-c\", \"sleep 20 & echo $! > '{}'; wait\"]\n",
                pid_file.display()
            ),
        );
        // A group of its own: no terminal's foreground, as under cron, CI or `nohup`.
        let mut child = std_qwen("http://127.0.0.1:9/v1", dir.path())
            .env_remove("DASHSCOPE_API_KEY")
            .args(["chat", "--no-stdin", "hi"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .process_group(0)
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(5);
        while std::fs::read_to_string(&pid_file).map_or(true, |p| !p.ends_with('\n')) {
            assert!(Instant::now() < deadline, "the key command did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        let started = Instant::now();
        let killed = std::process::Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(child.id().to_string())
            .status()
            .unwrap();
        assert!(killed.success());
        let status = wait_for(&mut child, Duration::from_secs(5));
        let mut err = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
        assert_eq!(status.code(), Some(130), "SIG{signal}: {status:?} {err}");
        assert!(started.elapsed() < Duration::from_secs(3), "SIG{signal}");
        assert!(
            err.contains("`api_key_command` `sh` was interrupted"),
            "SIG{signal}: {err}"
        );
        assert!(gone(&pid_file), "the command's child survived SIG{signal}");
    }
}

/// True when the process whose pid is in `pid_file` has ended (a zombie awaiting its reaper
/// counts), within two seconds.
fn gone(pid_file: &std::path::Path) -> bool {
    let pid = std::fs::read_to_string(pid_file).expect("the command wrote its child's pid");
    let stat = format!("/proc/{}/stat", pid.trim());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    loop {
        match std::fs::read_to_string(&stat) {
            Err(_) => return true,
            Ok(s)
                if s.rsplit(')')
                    .next()
                    .is_some_and(|t| t.trim_start().starts_with('Z')) =>
            {
                return true;
            }
            Ok(_) if std::time::Instant::now() > deadline => return false,
            Ok(_) => std::thread::sleep(std::time::Duration::from_millis(20)),
        }
    }
}

#[tokio::test]
async fn an_endless_api_key_file_is_refused_with_exit_4() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&["ok"]))
        .expect(0)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), "api_key_file = \"/dev/zero\"\n");
    let a = run(qwen(&server.uri(), dir.path())
        .env_remove("DASHSCOPE_API_KEY")
        .args(["chat", "hi"]))
    .code(4);
    assert!(
        stderr(&a).contains("the API key file `/dev/zero` looks binary"),
        "{}",
        stderr(&a)
    );
    write_config(dir.path(), "api_key_file = \"/no/such/key\"\n");
    let a = run(qwen(&server.uri(), dir.path())
        .env_remove("DASHSCOPE_API_KEY")
        .args(["chat", "hi"]))
    .code(4);
    assert!(stderr(&a).contains("`/no/such/key`"), "{}", stderr(&a));
}

#[tokio::test]
async fn an_unset_api_key_env_variable_is_a_warning_on_loopback() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&["ok"]))
        .expect(2)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), "api_key_env = \"MY_QWEN_KEY\"\n");
    let a = run(qwen(&server.uri(), dir.path())
        .env_remove("DASHSCOPE_API_KEY")
        .args(["chat", "hi"]))
    .success()
    .stdout("ok\n");
    assert!(
        stderr(&a)
            .contains("warning: no API key: `MY_QWEN_KEY` (named by `api_key_env`) is not set"),
        "{}",
        stderr(&a)
    );
    // Nothing configured: a local server without a key is normal, and nothing is said.
    let plain = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), plain.path())
        .env_remove("DASHSCOPE_API_KEY")
        .args(["chat", "hi"]))
    .success();
    assert_eq!(stderr(&a), "");
}

#[tokio::test]
async fn a_401_hint_names_the_key_source_in_use() {
    let server = MockServer::start().await;
    chat()
        .respond_with(error(
            401,
            serde_json::json!({"error": {"message": "Incorrect API key provided.",
                                         "code": "invalid_api_key"}}),
        ))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write_config(
        dir.path(),
        "api_key_command = [\"/bin/echo\", \"sk-from-cmd\"]\n",
    );
    let a = run(qwen(&server.uri(), dir.path())
        .env_remove("DASHSCOPE_API_KEY")
        .args(["chat", "hi"]))
    .code(4);
    let err = stderr(&a);
    assert!(
        err.contains("hint: ")
            && err.contains("the key printed by `api_key_command` (`/bin/echo`)"),
        "{err}"
    );
    assert!(!err.contains("DASHSCOPE_API_KEY"), "{err}");

    write_config(dir.path(), "api_key_env = \"MY_QWEN_KEY\"\n");
    let a = run(qwen(&server.uri(), dir.path())
        .env_remove("DASHSCOPE_API_KEY")
        .env("MY_QWEN_KEY", "sk-other-key")
        .args(["chat", "hi"]))
    .code(4);
    assert!(
        stderr(&a).contains("the key in `MY_QWEN_KEY` (named by `api_key_env`)"),
        "{}",
        stderr(&a)
    );
    assert!(!stderr(&a).contains("sk-other-key"));

    let a = run(qwen(&server.uri(), dir.path())
        .env_remove("DASHSCOPE_API_KEY")
        .args(["--quiet", "chat", "hi"]))
    .code(4);
    assert!(
        stderr(&a).contains(
            "hint: no API key was sent: `MY_QWEN_KEY` (named by `api_key_env`) is not set"
        ),
        "{}",
        stderr(&a)
    );
}
