//! Base URLs and the API key: "is this loopback" is decided on the URL as the HTTP client
//! parses it (WHATWG: `\` is `/`, `127.1` is `127.0.0.1`, IDN and percent-encoded hosts are
//! decoded), never on the text, for every command that sends the key.
//!
//! The hostile URLs name 10.9.9.9 and friends, so every run that could send anything there
//! happens under `unshare -n` (a network namespace with nothing in it, not even an up
//! loopback): even a regression can reach nothing. Runs that really connect use a wiremock
//! server on 127.0.0.1.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use wiremock::MockServer;
use wiremock::matchers::header;

use crate::common::*;

/// Where the base URL comes from.
#[derive(Clone, Copy, Debug)]
enum Source {
    Env,
    Flag,
    Config,
}

// A skip must be visible in the test log, not silent.
#[allow(clippy::print_stderr)]
fn unshare_works() -> bool {
    let works = Command::new("unshare")
        .args(["-n", "true"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !works {
        eprintln!("skipped: `unshare -n` is not available (needs root and util-linux)");
    }
    works
}

/// Runs `qwen ARGS` in an empty network namespace, with `url` as the base URL from `source`.
fn isolated(url: &str, source: Source, dir: &Path, args: &[&str]) -> Output {
    let inner = std_qwen(url, dir);
    let mut cmd = Command::new("unshare");
    cmd.args(["-n", "--"]).arg(inner.get_program());
    cmd.env_clear();
    for (name, value) in inner.get_envs() {
        if let Some(value) = value {
            cmd.env(name, value);
        }
    }
    match source {
        Source::Env => {}
        Source::Flag => {
            cmd.env("DASHSCOPE_BASE_URL", "https://unused.invalid/v1")
                .args(["--base-url", url]);
        }
        Source::Config => {
            cmd.env_remove("DASHSCOPE_BASE_URL");
            let escaped = url.replace('\\', "\\\\");
            write_config(dir, &format!("base_url = \"{escaped}\"\n"));
        }
    }
    cmd.args(["--retries", "0"]).args(args);
    cmd.current_dir(dir).stdin(Stdio::null());
    let out = cmd.output().expect("unshare runs");
    assert_no_key(&out);
    out
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn refused(out: &Output, host: &str) -> bool {
    text(out).contains(&format!(
        "refusing to send the API key over plain http to `{host}`"
    ))
}

/// Hostile URLs whose request would go to a host that is not this machine: refused
/// (exit 4) before anything is sent, naming the host the client would really connect to.
const NOT_LOOPBACK: &[(&str, &str)] = &[
    ("http://10.9.9.9:18080\\@127.0.0.1/v1", "10.9.9.9"),
    ("http://10.9.9.9\\@localhost/v1", "10.9.9.9"),
    ("http://127.0.0.1@10.9.9.9/v1", "10.9.9.9"),
    ("http://user:pw@10.9.9.9/v1", "10.9.9.9"),
    ("HTTP://10.9.9.9/v1", "10.9.9.9"),
    ("http://%31%30.9.9.9/v1", "10.9.9.9"),
    ("http://0.0.0.0:18080/v1", "0.0.0.0"),
    ("http://[::]:18080/v1", "[::]"),
    ("http://localhost./v1", "localhost."),
    ("http://127.0.0.1.nip.io/v1", "127.0.0.1.nip.io"),
    (
        "http://\u{ff45}\u{ff58}\u{ff41}\u{ff4d}\u{ff50}\u{ff4c}\u{ff45}.com/v1",
        "example.com",
    ),
];

/// Spellings of this machine: accepted; in the empty namespace the connection then fails
/// (exit 1), which shows the key check let them through.
const LOOPBACK: &[&str] = &[
    "http://127.1:9/v1",
    "http://2130706433:9/v1",
    "HTTP://127.0.0.1:9/v1",
    "http://[::1]:9/v1",
    "http://\u{ff2c}\u{ff2f}\u{ff23}\u{ff21}\u{ff2c}\u{ff28}\u{ff2f}\u{ff33}\u{ff34}:9/v1",
    "http://%6c%6f%63%61%6c%68%6f%73%74:9/v1",
    "http://10.9.9.9@127.0.0.1:9/v1",
];

#[test]
fn tricky_urls_are_judged_by_the_host_the_client_connects_to() {
    if !unshare_works() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for (url, host) in NOT_LOOPBACK {
        let out = isolated(url, Source::Env, dir.path(), &["chat", "hi"]);
        assert_eq!(out.status.code(), Some(4), "{url}: {}", text(&out));
        assert!(refused(&out, host), "{url}: {}", text(&out));
    }
    for url in LOOPBACK {
        let out = isolated(url, Source::Env, dir.path(), &["chat", "hi"]);
        assert_eq!(out.status.code(), Some(1), "{url}: {}", text(&out));
        assert!(
            text(&out).contains("could not connect"),
            "{url}: {}",
            text(&out)
        );
    }
}

#[test]
fn the_backslash_url_is_refused_from_every_source_and_by_every_command() {
    if !unshare_works() {
        return;
    }
    let url = NOT_LOOPBACK[0].0;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "hi\n").unwrap();
    for source in [Source::Env, Source::Flag, Source::Config] {
        let out = isolated(url, source, dir.path(), &["chat", "hi"]);
        assert_eq!(out.status.code(), Some(4), "{source:?}: {}", text(&out));
        assert!(refused(&out, "10.9.9.9"), "{source:?}: {}", text(&out));
    }
    let commands: &[&[&str]] = &[
        &["complete", "def f():"],
        &["embed", "hello"],
        &["batch", "a.txt"],
        &["batch", "--remote", "a.txt"],
        &["tools", "run", "hi"],
        &["--api", "native", "chat", "hi"],
    ];
    for args in commands {
        let out = isolated(url, Source::Env, dir.path(), args);
        assert_eq!(out.status.code(), Some(4), "{args:?}: {}", text(&out));
        assert!(refused(&out, "10.9.9.9"), "{args:?}: {}", text(&out));
    }
    // `models` falls back to the catalogue and `doctor` reports the key check as failed;
    // both say why, and neither sends the key.
    for args in [&["models"][..], &["doctor"][..]] {
        let out = isolated(url, Source::Env, dir.path(), args);
        assert!(refused(&out, "10.9.9.9"), "{args:?}: {}", text(&out));
    }
}

#[tokio::test]
async fn other_spellings_of_loopback_do_get_the_key() {
    let server = MockServer::start().await;
    chat()
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .respond_with(stream(&["ok"]))
        .expect(3)
        .mount(&server)
        .await;
    let port = server.address().port();
    let dir = tempfile::tempdir().unwrap();
    for url in [
        format!("http://127.1:{port}"),
        format!("HTTP://127.0.0.1:{port}/"),
        // Fullwidth `localhost`: IDNA maps it to `localhost`, which the client pins to
        // 127.0.0.1 and ::1.
        format!(
            "http://\u{ff4c}\u{ff4f}\u{ff43}\u{ff41}\u{ff4c}\u{ff48}\u{ff4f}\u{ff53}\u{ff54}:{port}"
        ),
    ] {
        run(qwen(&url, dir.path()).args(["chat", "hi"]))
            .success()
            .stdout("ok\n");
    }
}

#[tokio::test]
async fn a_password_in_the_url_is_never_printed() {
    let server = MockServer::start().await;
    chat().respond_with(stream(&["ok"])).mount(&server).await;
    let port = server.address().port();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("http://me:pa55word-x@127.0.0.1:{port}");
    let no_password = |a: &assert_cmd::assert::Assert| {
        let all = format!("{}{}", stdout(a), stderr(a));
        assert!(!all.contains("pa55word-x"), "{all}");
        all
    };
    for format in ["text", "json"] {
        let a = run(qwen(&url, dir.path()).args(["chat", "--dry-run", "--format", format, "hi"]))
            .success();
        let all = no_password(&a);
        assert!(all.contains("me:<redacted>@127.0.0.1"), "{all}");
    }
    let a = run(qwen(&url, dir.path()).args(["chat", "-v", "hi"]));
    let all = no_password(&a);
    assert!(
        all.contains("> POST http://me:<redacted>@127.0.0.1"),
        "{all}"
    );
    // A connection error names the URL, without the password.
    let dead = "http://me:pa55word-x@127.0.0.1:9/v1";
    let a = run(qwen(dead, dir.path()).args(["chat", "--retries", "0", "hi"])).code(1);
    let all = no_password(&a);
    assert!(
        all.contains("could not connect to `http://me:<redacted>@127.0.0.1:9/v1"),
        "{all}"
    );
}
