//! The ledger under load and under trouble: many processes at once, and a store that
//! cannot be written.

use super::*;

/// 16 processes × 50 calls at once: every call is recorded, none fails on a locked store.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixteen_processes_times_fifty_calls_give_exactly_800_rows() {
    let server = MockServer::start().await;
    chat().respond_with(whole("ok")).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let uri = server.uri();
    let template = std_qwen(&uri, dir.path());
    let qwen_bin = template.get_program().to_owned();
    let started = Instant::now();
    let mut children = Vec::new();
    for slot in 0..16 {
        let mut sh = std::process::Command::new("sh");
        sh.env_clear();
        for (key, value) in template.get_envs() {
            if let Some(value) = value {
                sh.env(key, value);
            }
        }
        sh.env("QWEN", &qwen_bin)
            .arg("-c")
            .arg(format!(
                "i=0; while [ $i -lt 50 ]; do i=$((i+1)); \
                 \"$QWEN\" chat --no-stream \"slot {slot} call $i\" >/dev/null || exit 1; done"
            ))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        children.push(sh.spawn().unwrap());
    }
    for child in children {
        let out = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
            .await
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "a process failed: {err}");
        assert!(err.is_empty(), "unexpected stderr: {err}");
    }
    let elapsed = started.elapsed();
    let total = totals(&uri, dir.path(), &["--command", "chat"]);
    assert_eq!(total["requests"], 800, "{total}");
    assert_eq!(total["errors"], 0);
    assert_eq!(server.received_requests().await.unwrap().len(), 800);
    assert!(elapsed < Duration::from_secs(60), "took {elapsed:?}");
}

fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// The data directory cannot be created (its parent is a regular file, which stops root
/// too): the reply still arrives, and stderr has exactly one warning.
#[tokio::test]
async fn an_unwritable_store_warns_once_and_the_command_still_works() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&["still here"]))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("file"), "not a directory").unwrap();
    let mut cmd = qwen(&server.uri(), dir.path());
    cmd.env("QWEN_DATA_DIR", dir.path().join("file").join("data"));
    let a = run(cmd.args(["chat", "--cache", "hi"]))
        .success()
        .stdout("still here\n");
    let err = stderr(&a);
    assert_eq!(
        err.lines()
            .filter(|l| l.starts_with("qwen: warning:"))
            .count(),
        1,
        "{err}"
    );
    assert!(err.contains("continuing without it"), "{err}");
}

/// The same with a read-only directory. `chmod` does not stop root (CI runs as root), so
/// there the assertion is skipped; the test above covers that case.
#[tokio::test]
async fn a_read_only_data_dir_warns_once_when_not_root() {
    if is_root() {
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let server = MockServer::start().await;
    chat().respond_with(stream(&["ok"])).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o555)).unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "hi"]))
        .success()
        .stdout("ok\n");
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    let err = stderr(&a);
    assert_eq!(
        err.lines()
            .filter(|l| l.starts_with("qwen: warning:"))
            .count(),
        1,
        "{err}"
    );
}
