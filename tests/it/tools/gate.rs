//! Whether a call may run: definitions, `--allow`, and the person at the terminal, who sees
//! the arguments the tool will receive.

use super::*;

#[tokio::test]
async fn without_a_terminal_a_tool_that_is_not_allowed_is_refused() {
    let s = weather_setup(UNALLOWED);
    let server = model(vec![
        calls_sse(&[("c1", "get_weather", r#"{"city": "Paris"}"#)]),
        sse(&["I may not check."]),
    ])
    .await;
    let a = run(s.qwen(&server).args(["--format", "jsonl", "Weather?"]));
    let a = a.success();
    assert!(s.marker("ran").is_empty(), "a refused tool must not run");
    let second = messages(&server, 1).await;
    assert_eq!(
        second[2]["content"],
        "error: the user did not allow running `get_weather`, so it was not run"
    );
    let events = jsonl(&a);
    let result = events.iter().find(|e| e["type"] == "tool_result").unwrap();
    assert_eq!(result["status"], "refused");
    assert_eq!(result["permission"], "refused");
    let err = stderr(&a);
    assert!(
        err.contains("hint: allow it with `--allow get_weather`"),
        "{err}"
    );
}

#[tokio::test]
async fn allow_flags_let_a_tool_run() {
    for flags in [&["--allow", "get_weather"][..], &["--allow-all"][..]] {
        let s = weather_setup(UNALLOWED);
        let server = model(vec![
            calls_sse(&[("c1", "get_weather", r#"{"city": "Oslo"}"#)]),
            sse(&["Snow."]),
        ])
        .await;
        let a = run(s
            .qwen(&server)
            .args(flags)
            .args(["--format", "jsonl", "Weather?"]));
        let events = jsonl(&a.success());
        assert_eq!(s.marker("ran").len(), 1, "{flags:?}");
        let result = events.iter().find(|e| e["type"] == "tool_result").unwrap();
        let expected = if flags.len() == 2 {
            "flag"
        } else {
            "allow_all"
        };
        assert_eq!(result["permission"], expected);
    }
}

/// The question for `get_weather` with `{"city": "Oslo"}`, as a terminal shows it.
const ASK_OSLO: &str = "qwen: run tool `get_weather` with these arguments?\r\n  {\r\n    \"city\": \"Oslo\"\r\n  }\r\n[y]es / [n]o / [a]lways: ";

#[tokio::test]
async fn at_a_terminal_the_user_answers_no_then_always() {
    let s = weather_setup(UNALLOWED);
    let call = |id: &'static str| calls_sse(&[(id, "get_weather", r#"{"city": "Oslo"}"#)]);
    let server = model(vec![call("c1"), call("c2"), call("c3"), sse(&["Done."])]).await;
    let report = at_a_terminal(&s, &server, "tty", "n,always", "Weather?");
    let terminal = report["terminal"].as_str().unwrap();
    assert_eq!(report["code"], 0, "{terminal}");
    assert_eq!(report["stdout"], "Done.\n");
    assert_eq!(
        terminal.matches(ASK_OSLO).count(),
        2,
        "asked twice, not after `always`: {terminal:?}"
    );
    assert_eq!(s.marker("ran").len(), 2, "refused once, then run twice");
    let last = messages(&server, 3).await;
    assert!(
        last[2]["content"]
            .as_str()
            .unwrap()
            .contains("did not allow")
    );
    assert!(last[4]["content"].as_str().unwrap().starts_with("sunny"));
    assert!(last[6]["content"].as_str().unwrap().starts_with("sunny"));
}

/// Runs `echo STDIN | qwen tools run ARGS` with stderr on a pseudo-terminal (see
/// `tests/fixtures/pty_run.py`), typing `answer` at each question; returns its report.
fn at_a_terminal(s: &Setup, server: &MockServer, mode: &str, answer: &str, stdin: &str) -> Value {
    let base = std_qwen(&server.uri(), s.dir.path());
    let mut cmd = std::process::Command::new("python3");
    cmd.env_clear();
    for (name, value) in base.get_envs() {
        if let Some(value) = value {
            cmd.env(name, value);
        }
    }
    cmd.arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pty_run.py"))
        .args([mode, answer, stdin, "--"])
        .arg(base.get_program())
        .args(["tools", "run", "--tools"])
        .arg(s.path("defs/tools.toml"));
    let output = cmd.output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[tokio::test]
async fn with_the_prompt_on_stdin_the_person_at_the_terminal_is_asked() {
    let s = weather_setup(UNALLOWED);
    let server = model(vec![
        calls_sse(&[("c1", "get_weather", r#"{"city": "Oslo"}"#)]),
        sse(&["Snow."]),
    ])
    .await;
    let report = at_a_terminal(&s, &server, "tty", "y", "Weather in Oslo?");
    let terminal = report["terminal"].as_str().unwrap();
    assert_eq!(report["code"], 0, "{terminal}");
    assert_eq!(report["stdout"], "Snow.\n");
    assert!(terminal.contains(ASK_OSLO), "{terminal:?}");
    assert_eq!(s.marker("ran").len(), 1, "the person said yes");
    let first = messages(&server, 0).await;
    assert_eq!(first.last().unwrap()["content"], "Weather in Oslo?");
    let second = messages(&server, 1).await;
    assert!(second[2]["content"].as_str().unwrap().starts_with("sunny"));
}

#[tokio::test]
async fn a_terminal_on_stderr_without_a_controlling_terminal_is_nobody_to_ask() {
    let s = weather_setup(UNALLOWED);
    let server = model(vec![
        calls_sse(&[("c1", "get_weather", r#"{"city": "Oslo"}"#)]),
        sse(&["I may not check."]),
    ])
    .await;
    let report = at_a_terminal(&s, &server, "no-ctty", "y", "Weather in Oslo?");
    let terminal = report["terminal"].as_str().unwrap();
    assert_eq!(report["code"], 0, "{terminal}");
    assert!(
        !terminal.contains("[a]lways"),
        "nobody can answer: {terminal}"
    );
    assert!(
        terminal.contains("there is no terminal to ask"),
        "{terminal}"
    );
    assert!(s.marker("ran").is_empty());
}

#[tokio::test]
async fn a_test_switch_cannot_stand_in_for_a_terminal() {
    // `QWEN_TEST_TTY=1` once made `qwen` read answers from stdin with no terminal at all.
    let s = weather_setup(UNALLOWED);
    let server = model(vec![
        calls_sse(&[("c1", "get_weather", r#"{"city": "Oslo"}"#)]),
        sse(&["I may not check."]),
    ])
    .await;
    let a = run(s
        .qwen(&server)
        .env("QWEN_TEST_TTY", "1")
        .args(["--no-stdin", "--format", "jsonl", "Weather?"])
        .write_stdin("y\ny\n"));
    let events = jsonl(&a.success());
    assert!(s.marker("ran").is_empty(), "nobody at a terminal said yes");
    let result = events.iter().find(|e| e["type"] == "tool_result").unwrap();
    assert_eq!(result["status"], "refused");
}

#[tokio::test]
async fn arguments_with_a_repeated_key_are_refused_at_any_depth() {
    let s = weather_setup(WEATHER);
    let server = model(vec![
        calls_sse(&[
            ("c1", "get_weather", r#"{"city": "Oslo", "city": "Paris"}"#),
            (
                "c2",
                "get_weather",
                r#"{"city": "Oslo", "opts": [{"unit": "C", "unit": "F"}]}"#,
            ),
        ]),
        sse(&["Sorry."]),
    ])
    .await;
    let a = run(s
        .qwen(&server)
        .args(["--allow-all", "--format", "jsonl", "go"]));
    let events = jsonl(&a.success());
    assert!(s.marker("ran").is_empty(), "neither call ran");
    let second = messages(&server, 1).await;
    assert_eq!(
        second[2]["content"],
        "error: invalid arguments for `get_weather`, so it was not run: the key `city` appears twice in the arguments (at `/`); send every key once"
    );
    assert_eq!(
        second[3]["content"],
        "error: invalid arguments for `get_weather`, so it was not run: the key `unit` appears twice in the arguments (at `/opts/0`); send every key once"
    );
    let statuses: Vec<&str> = events
        .iter()
        .filter(|e| e["type"] == "tool_result")
        .map(|e| e["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["invalid_arguments", "invalid_arguments"]);

    // `tools call` refuses them too (exit 2).
    let a = run(qwen("http://127.0.0.1:9", s.dir.path())
        .args(["tools", "call", "--tools"])
        .arg(s.path("defs/tools.toml"))
        .args(["get_weather", r#"{"city": "Oslo", "city": "Rome"}"#]));
    let err = stderr(&a.code(2));
    assert!(err.contains("the key `city` appears twice"), "{err}");
    assert!(s.marker("ran").is_empty());
}

#[tokio::test]
async fn the_question_shows_every_key_of_the_parsed_arguments() {
    // Raw text cut at 200 characters once hid what came after a long value.
    let s = weather_setup(UNALLOWED);
    let padding = "p".repeat(4_300);
    let args = json!({"city": "Oslo", "padding": padding, "cmd": "rm -rf ~\u{1b}]0;owned\u{7}"})
        .to_string();
    let server = model(vec![
        calls_sse(&[("c1", "get_weather", &args)]),
        sse(&["Not run."]),
    ])
    .await;
    let report = at_a_terminal(&s, &server, "tty", "n", "Weather in Oslo?");
    let terminal = report["terminal"].as_str().unwrap();
    assert_eq!(report["code"], 0, "{terminal}");
    assert!(s.marker("ran").is_empty(), "the person said no");
    assert!(
        terminal.contains(r#""cmd": "rm -rf ~\u001b]0;owned\u0007""#),
        "every key, escaped: {terminal}"
    );
    assert!(!terminal.contains('\u{1b}'), "{terminal:?}");
    assert!(terminal.contains(r#""city": "Oslo""#), "{terminal}");
    assert!(
        terminal.contains("… [4,140 bytes elided] …"),
        "the middle of a long value is elided, and says so: {terminal}"
    );
    assert!(terminal.len() < 2_000, "{terminal}");
}

#[tokio::test]
async fn elided_arguments_can_be_seen_in_full_before_answering() {
    let s = weather_setup(UNALLOWED);
    let hidden = format!("{}HIDDEN-MIDDLE{}", "a".repeat(500), "b".repeat(500));
    let args = json!({"city": hidden}).to_string();
    let server = model(vec![
        calls_sse(&[("c1", "get_weather", &args)]),
        sse(&["Not run."]),
    ])
    .await;
    let report = at_a_terminal(&s, &server, "tty", "v,n", "Weather?");
    let terminal = report["terminal"].as_str().unwrap();
    assert_eq!(report["code"], 0, "{terminal}");
    assert!(terminal.contains("[v]iew all"), "{terminal}");
    assert!(
        terminal.contains(&hidden),
        "shown in full on request: {terminal}"
    );
    assert_eq!(terminal.matches("[a]lways: ").count(), 2, "{terminal}");
    assert!(s.marker("ran").is_empty());
}
