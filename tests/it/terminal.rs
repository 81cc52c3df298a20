//! The terminal layer through the real binary: replies rendered as Markdown when stdout is
//! a terminal (`tests/fixtures/pty_screen.py`), and byte for byte as they came everywhere
//! else.

use std::path::Path;
use std::time::Duration;

use serde_json::Value;
use wiremock::MockServer;

use crate::common::*;

/// A reply with a heading, emphasis, a list and a code block, cut at awkward points: inside
/// `**`, inside the opening fence, mid-line in the code.
const REPLY: &[&str] = &[
    "# Sor",
    "ting\n\nUse *",
    "*sorted*",
    "* for a list:\n\n- one\n- tw",
    "o\n\n`",
    "``py",
    "thon\nxs = sor",
    "ted(xs)\n``",
    "`\nDone.",
];

/// Runs `qwen ARGS` with stdout (and stderr with `mode` `both`) on a 24×`cols` terminal;
/// returns `pty_screen.py`'s report.
pub fn on_a_terminal(
    server: &str,
    dir: &Path,
    mode: &str,
    cols: u16,
    env: &[(&str, &str)],
    args: &[&str],
) -> Value {
    let base = std_qwen(server, dir);
    let mut cmd = std::process::Command::new("python3");
    cmd.env_clear();
    for (name, value) in base.get_envs() {
        if let Some(value) = value {
            cmd.env(name, value);
        }
    }
    for (name, value) in env {
        cmd.env(name, value);
    }
    cmd.arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pty_screen.py"))
        .args([mode, &cols.to_string(), "--"])
        .arg(base.get_program())
        .args(args);
    let output = cmd.output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(
        !report["terminal"].as_str().unwrap().contains(KEY),
        "the key reached the terminal"
    );
    report
}

fn shown(text: &str) -> String {
    text.replace('\u{1b}', "␛")
}

/// A tool for `tools run` to offer (the model here never calls it).
fn write_tools(dir: &Path) {
    let toml = "[[tool]]\nname = \"noop\"\ndescription = \"Does nothing\"\ncommand = [\"true\"]\n";
    std::fs::create_dir_all(dir.join("config")).unwrap();
    std::fs::write(dir.join("config/tools.toml"), toml).unwrap();
}

async fn server_with(answer: impl wiremock::Respond + 'static) -> MockServer {
    let server = MockServer::start().await;
    chat().respond_with(answer).mount(&server).await;
    server
}

#[tokio::test]
async fn a_streamed_reply_is_rendered_on_a_terminal() {
    let server = server_with(stream(REPLY)).await;
    let dir = tempfile::tempdir().unwrap();
    let report = on_a_terminal(
        &server.uri(),
        dir.path(),
        "stdout",
        80,
        &[("TERM", "xterm-256color")],
        &["chat", "hi"],
    );
    assert_eq!(report["code"], 0, "{report}");
    assert_eq!(report["stderr"], "");
    insta::assert_snapshot!(shown(report["terminal"].as_str().unwrap()));
}

#[tokio::test]
async fn no_color_keeps_the_layout_without_escapes() {
    let server = server_with(stream(REPLY)).await;
    let dir = tempfile::tempdir().unwrap();
    let report = on_a_terminal(
        &server.uri(),
        dir.path(),
        "stdout",
        80,
        &[("NO_COLOR", "1")],
        &["chat", "hi"],
    );
    let terminal = report["terminal"].as_str().unwrap();
    assert!(!terminal.contains('\u{1b}'), "{terminal:?}");
    insta::assert_snapshot!(terminal);
}

#[tokio::test]
async fn whole_replies_and_cache_replays_render_like_streamed_ones() {
    let dir = tempfile::tempdir().unwrap();
    let streamed = server_with(stream(REPLY)).await;
    let first = on_a_terminal(
        &streamed.uri(),
        dir.path(),
        "stdout",
        80,
        &[],
        &["chat", "--cache", "hi"],
    );
    let whole_server = server_with(whole(&REPLY.concat())).await;
    let no_stream = on_a_terminal(
        &whole_server.uri(),
        dir.path(),
        "stdout",
        80,
        &[],
        &["chat", "--no-stream", "hi"],
    );
    // The same request again: answered from the cache, not the server.
    let replay = on_a_terminal(
        &streamed.uri(),
        dir.path(),
        "stdout",
        80,
        &[],
        &["chat", "--cache", "hi"],
    );
    assert!(
        replay["stderr"]
            .as_str()
            .unwrap()
            .contains("response cache")
    );
    assert_eq!(streamed.received_requests().await.unwrap().len(), 1);
    assert!(first["terminal"].as_str().unwrap().contains("\u{1b}["));
    assert_eq!(first["terminal"], no_stream["terminal"]);
    assert_eq!(first["terminal"], replay["terminal"]);
}

#[tokio::test]
async fn render_never_and_machine_formats_stay_raw_on_a_terminal() {
    let server = server_with(stream(REPLY)).await;
    let dir = tempfile::tempdir().unwrap();
    let never = on_a_terminal(
        &server.uri(),
        dir.path(),
        "stdout",
        80,
        &[],
        &["chat", "--render", "never", "hi"],
    );
    assert_eq!(never["terminal"], format!("{}\n", REPLY.concat()));
    let jsonl = on_a_terminal(
        &server.uri(),
        dir.path(),
        "stdout",
        80,
        &[],
        &["chat", "--format", "jsonl", "--render", "always", "hi"],
    );
    let text: String = jsonl["terminal"]
        .as_str()
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v["type"] == "text")
        .map(|v| v["text"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(text, REPLY.concat());
}

#[tokio::test]
async fn config_render_never_is_honoured_and_the_flag_overrides_it() {
    let server = server_with(stream(REPLY)).await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), "render = \"never\"\n");
    let never = on_a_terminal(
        &server.uri(),
        dir.path(),
        "stdout",
        80,
        &[],
        &["chat", "hi"],
    );
    assert_eq!(never["terminal"], format!("{}\n", REPLY.concat()));
    let auto = on_a_terminal(
        &server.uri(),
        dir.path(),
        "stdout",
        80,
        &[],
        &["chat", "--render", "auto", "hi"],
    );
    assert!(auto["terminal"].as_str().unwrap().contains("\u{1b}[1m"));
}

#[tokio::test]
async fn a_bad_render_value_in_the_config_is_a_config_error() {
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), "render = \"sometimes\"\n");
    let a = run(qwen("http://127.0.0.1:9", dir.path()).args(["chat", "hi"]));
    let err = stderr(&a);
    a.code(2);
    assert!(err.contains("render = \"sometimes\""), "{err}");
}

#[tokio::test]
async fn piped_output_is_byte_identical_with_and_without_render_auto() {
    let server = server_with(stream(REPLY)).await;
    let dir = tempfile::tempdir().unwrap();
    let plain = run(qwen(&server.uri(), dir.path()).args(["chat", "hi"]));
    let plain = plain.success().get_output().stdout.clone();
    assert_eq!(plain, format!("{}\n", REPLY.concat()).into_bytes());
    for mode in ["auto", "never"] {
        let a = run(qwen(&server.uri(), dir.path()).args(["chat", "--render", mode, "hi"]));
        assert_eq!(a.success().get_output().stdout, plain, "--render {mode}");
    }
    write_tools(dir.path());
    let a = run(qwen(&server.uri(), dir.path()).args(["tools", "run", "--render", "auto", "hi"]));
    assert_eq!(a.success().get_output().stdout, plain, "tools run");
}

#[tokio::test]
async fn render_always_into_a_pipe_renders_at_80_columns_or_columns() {
    let server = server_with(stream(REPLY)).await;
    let dir = tempfile::tempdir().unwrap();
    let on_pty = on_a_terminal(
        &server.uri(),
        dir.path(),
        "stdout",
        80,
        &[],
        &["chat", "hi"],
    );
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "--render", "always", "hi"]));
    let piped = String::from_utf8(a.success().get_output().stdout.clone()).unwrap();
    assert_eq!(piped, on_pty["terminal"].as_str().unwrap());
    let a = run(qwen(&server.uri(), dir.path())
        .args(["chat", "--render", "always", "hi"])
        .env("NO_COLOR", "1"));
    let plain = String::from_utf8(a.success().get_output().stdout.clone()).unwrap();
    assert!(!plain.contains('\u{1b}'));
    assert!(
        plain.contains("• one") || plain.contains("- one"),
        "{plain}"
    );
}

#[tokio::test]
async fn tools_run_renders_its_answer_on_a_terminal() {
    let server = server_with(stream(REPLY)).await;
    let dir = tempfile::tempdir().unwrap();
    write_tools(dir.path());
    let chat = on_a_terminal(
        &server.uri(),
        dir.path(),
        "stdout",
        80,
        &[],
        &["chat", "hi"],
    );
    let tools = on_a_terminal(
        &server.uri(),
        dir.path(),
        "stdout",
        80,
        &[],
        &["tools", "run", "hi"],
    );
    assert_eq!(tools["code"], 0, "{tools}");
    assert_eq!(tools["terminal"], chat["terminal"]);
}

#[tokio::test]
async fn complete_is_never_rendered() {
    let server = MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .and(wiremock::matchers::path("/completions"))
        .respond_with(sse_response(
            String::from_utf8(fixture("llama-completions-stream.sse")).unwrap(),
        ))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let piped = run(qwen(&server.uri(), dir.path()).args(["complete", "def f("]));
    let piped = String::from_utf8(piped.success().get_output().stdout.clone()).unwrap();
    let pty = on_a_terminal(
        &server.uri(),
        dir.path(),
        "stdout",
        80,
        &[],
        &["complete", "def f("],
    );
    assert_eq!(pty["terminal"], piped);
}

/// Runs `qwen chat hi` with stdout and stderr on one terminal, the server answering after
/// `delay`; returns what the terminal showed.
async fn spinner_screen(delay: Duration, extra: &[&str]) -> String {
    let server = server_with(stream(&["Hello", " there"]).set_delay(delay)).await;
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["chat"];
    args.extend(extra);
    args.push("hi");
    let term = [("TERM", "xterm-256color")];
    let report = on_a_terminal(&server.uri(), dir.path(), "both", 80, &term, &args);
    assert_eq!(report["code"], 0, "{report}");
    report["terminal"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_spinner_shows_until_the_first_token_and_is_gone_before_it() {
    let screen = spinner_screen(Duration::from_millis(500), &["--render", "never"]).await;
    let reply = screen.find("Hello there").expect("the reply is shown");
    let (before, after) = screen.split_at(reply);
    // The model's name and the time waited, on stderr, before the reply...
    assert!(before.contains("qwen-plus · "), "{screen:?}");
    // ...and the line it was on cleared before the first byte of the reply.
    let last_frame = before.rfind("qwen-plus · ").unwrap();
    assert!(
        before[last_frame..].contains("\r\u{1b}[2K") || before[last_frame..].contains("\u{1b}[2K"),
        "the spinner is not cleared: {screen:?}"
    );
    assert!(!after.contains("qwen-plus"), "{screen:?}");
    assert_eq!(after, "Hello there\n");
}

#[tokio::test]
async fn no_spinner_with_quiet_or_when_stderr_is_not_a_terminal() {
    let screen = spinner_screen(Duration::from_millis(300), &["-q", "--render", "never"]).await;
    assert_eq!(screen, "Hello there\n");
    // stdout on the terminal, stderr a pipe: not a byte of it on stderr.
    let server = server_with(stream(&["Hello"]).set_delay(Duration::from_millis(300))).await;
    let dir = tempfile::tempdir().unwrap();
    let term = [("TERM", "xterm-256color")];
    let report = on_a_terminal(
        &server.uri(),
        dir.path(),
        "stdout",
        80,
        &term,
        &["chat", "hi"],
    );
    assert_eq!(report["stderr"], "");
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "hi"]));
    a.success().stdout("Hello\n").stderr("");
}

#[tokio::test]
async fn reasoning_lines_are_marked_on_a_terminal_without_colours() {
    let body = sse_thinking(&["Let me", " think.\nSo"], &["Answer."]);
    let server = server_with(sse_response(body)).await;
    let dir = tempfile::tempdir().unwrap();
    let args = ["chat", "--render", "never", "hi"];
    let report = on_a_terminal(
        &server.uri(),
        dir.path(),
        "both",
        80,
        &[("NO_COLOR", "1")],
        &args,
    );
    assert_eq!(report["terminal"], "› Let me think.\n› So\nAnswer.\n");
    // With colours, dim tells them apart: no marks.
    let report = on_a_terminal(&server.uri(), dir.path(), "both", 80, &[], &args);
    assert_eq!(
        report["terminal"],
        "\u{1b}[2mLet me\u{1b}[0m\u{1b}[2m think.\nSo\u{1b}[0m\nAnswer.\n"
    );
}
