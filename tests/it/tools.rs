//! `qwen tools` against a loopback fake model that scripts its side of the conversation: a
//! responder picks the reply from the number of assistant turns in the request, so every
//! test can check both what ran (tools write marker files) and what went back to the model
//! (the `messages` of the next request).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use wiremock::{MockServer, Request, Respond, ResponseTemplate};

use crate::common::*;

/// Replies by step: the n-th reply answers a request with n assistant messages.
struct Script(Vec<String>);

impl Respond for Script {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = request.body_json().expect("a JSON body");
        let step = assistant_turns(&body);
        let reply = self
            .0
            .get(step)
            .cloned()
            .unwrap_or_else(|| sse(&["(the script has no more replies)"]));
        sse_response(reply)
    }
}

/// The conversation of a request: compat `messages`, or native `input.messages`.
fn conversation(body: &Value) -> &Vec<Value> {
    body.get("messages")
        .unwrap_or(&body["input"]["messages"])
        .as_array()
        .expect("messages")
}

fn assistant_turns(body: &Value) -> usize {
    conversation(body)
        .iter()
        .filter(|m| m["role"] == "assistant")
        .count()
}

async fn model(script: Vec<String>) -> MockServer {
    let server = MockServer::start().await;
    chat().respond_with(Script(script)).mount(&server).await;
    server
}

/// A streamed reply asking for `calls` (id, name, arguments). Each call's arguments arrive in
/// two fragments, the second with `"id": ""` as DashScope sends it, and the fragments of
/// different calls interleave.
fn calls_sse(calls: &[(&str, &str, &str)]) -> String {
    calls_sse_with_reasoning(calls, None)
}

fn calls_sse_with_reasoning(calls: &[(&str, &str, &str)], reasoning: Option<&str>) -> String {
    let mut frames = vec![frame(&chunk(
        json!({"content": null, "reasoning_content": "", "role": "assistant"}),
        None,
    ))];
    if let Some(text) = reasoning {
        frames.push(frame(&chunk(
            json!({"content": null, "reasoning_content": text}),
            None,
        )));
    }
    for (index, (id, name, args)) in calls.iter().enumerate() {
        let cut = args.len() / 2;
        frames.push(frame(&chunk(
            json!({"content": null, "tool_calls": [{"index": index, "id": id, "type": "function",
                "function": {"name": name, "arguments": &args[..cut]}}]}),
            None,
        )));
    }
    for (index, (_, _, args)) in calls.iter().enumerate() {
        let cut = args.len() / 2;
        frames.push(frame(&chunk(
            json!({"tool_calls": [{"index": index, "id": "", "type": "function",
                "function": {"arguments": &args[cut..]}}]}),
            None,
        )));
    }
    frames.push(frame(&chunk(json!({}), Some("tool_calls"))));
    let mut tail = tail_frames();
    tail.remove(0); // the `stop` finish chunk: this reply finished with `tool_calls`
    frames.extend(tail);
    frames.concat()
}

/// A test directory with a tool file; returns (dir, path of tools.toml).
struct Setup {
    dir: tempfile::TempDir,
}

impl Setup {
    fn new(tools_toml: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_str().unwrap().to_owned();
        std::fs::create_dir_all(dir.path().join("defs")).unwrap();
        std::fs::write(
            dir.path().join("defs/tools.toml"),
            tools_toml.replace("$DIR", &root),
        )
        .unwrap();
        Self { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes an executable script under `defs/`.
    fn script(&self, name: &str, body: &str) {
        use std::os::unix::fs::PermissionsExt as _;
        let root = self.dir.path().to_str().unwrap();
        let path = self.dir.path().join("defs").join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{}", body.replace("$DIR", root))).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    fn qwen(&self, server: &MockServer) -> assert_cmd::Command {
        let mut cmd = qwen(&server.uri(), self.dir.path());
        cmd.args(["tools", "run", "--tools"])
            .arg(self.dir.path().join("defs/tools.toml"));
        cmd
    }

    /// Lines of a marker file (empty when the file does not exist).
    fn marker(&self, name: &str) -> Vec<String> {
        std::fs::read_to_string(self.path(name))
            .map(|t| t.lines().map(str::to_owned).collect())
            .unwrap_or_default()
    }
}

/// The get_weather tool of the issue: it records its arguments (from stdin and from
/// `QWEN_TOOL_ARGS`) in `$DIR/ran` and answers from them.
const WEATHER: &str = r#"
[[tool]]
name = "get_weather"
description = "Get the current weather for a city"
command = ["./weather.sh"]
parameters = { type = "object", properties = { city = { type = "string" } }, required = ["city"] }
timeout = "10s"
allow = true
"#;

fn weather_setup(toml: &str) -> Setup {
    let s = Setup::new(toml);
    s.script(
        "weather.sh",
        r#"args=$(cat)
printf '%s|%s\n' "$args" "$QWEN_TOOL_ARGS" >> "$DIR/ran"
printf 'sunny, args %s' "$args"
"#,
    );
    s
}

/// The messages of the n-th request the model received.
async fn messages(server: &MockServer, n: usize) -> Vec<Value> {
    conversation(&bodies(server).await[n]).clone()
}

#[tokio::test]
async fn a_single_call_runs_and_its_result_goes_back() {
    let s = weather_setup(WEATHER);
    let server = model(vec![
        calls_sse(&[("call_a", "get_weather", r#"{"city": "Paris"}"#)]),
        sse(&["It is ", "sunny in Paris."]),
    ])
    .await;
    let a = run(s.qwen(&server).arg("Weather in Paris?"));
    let a = a.success().stdout("It is sunny in Paris.\n");
    let err = stderr(&a);
    assert!(
        err.contains(r#"qwen: tool get_weather {"city": "Paris"} → exit 0 in"#),
        "{err}"
    );

    assert_eq!(
        s.marker("ran"),
        [r#"{"city":"Paris"}|{"city":"Paris"}"#],
        "stdin and QWEN_TOOL_ARGS carry the arguments"
    );
    let first = &bodies(&server).await[0];
    assert_eq!(first["tools"][0]["function"]["name"], "get_weather");
    assert_eq!(
        first["tools"][0]["function"]["parameters"]["required"],
        json!(["city"])
    );
    let second = messages(&server, 1).await;
    assert_eq!(second.len(), 3, "{second:#?}");
    assert_eq!(second[0]["content"], "Weather in Paris?");
    assert_eq!(second[1]["role"], "assistant");
    assert_eq!(second[1]["tool_calls"][0]["id"], "call_a");
    assert_eq!(
        second[1]["tool_calls"][0]["function"]["arguments"], r#"{"city": "Paris"}"#,
        "the streamed fragments are joined"
    );
    assert!(second[1].get("reasoning_content").is_none());
    assert_eq!(second[2]["role"], "tool");
    assert_eq!(second[2]["tool_call_id"], "call_a");
    assert_eq!(second[2]["content"], r#"sunny, args {"city":"Paris"}"#);

    // One ledger row per model request, recorded as `tools`.
    let log = run(qwen(&server.uri(), s.dir.path()).args([
        "usage",
        "log",
        "--command",
        "tools",
        "--format",
        "jsonl",
    ]));
    assert_eq!(jsonl(&log.success()).len(), 2);
}

#[tokio::test]
async fn parallel_calls_run_at_the_same_time_and_answer_in_order() {
    // Each call waits until all three have started: run one after another, they would
    // all give up after 3 seconds and report `saw 1`, `saw 2`, `saw 3`.
    let s = Setup::new(
        r#"
[[tool]]
name = "meet"
command = ["./meet.sh"]
parameters = { type = "object", properties = { who = { type = "string" } } }
allow = true
"#,
    );
    s.script(
        "meet.sh",
        r#"echo "$QWEN_TOOL_ARGS" >> "$DIR/started"
i=0
while [ "$(wc -l < "$DIR/started")" -lt 3 ] && [ $i -lt 30 ]; do sleep 0.1; i=$((i+1)); done
printf 'saw %s' "$(wc -l < "$DIR/started" | tr -d ' ')"
"#,
    );
    let server = model(vec![
        calls_sse(&[
            ("c1", "meet", r#"{"who": "a"}"#),
            ("c2", "meet", r#"{"who": "b"}"#),
            ("c3", "meet", r#"{"who": "c"}"#),
        ]),
        sse(&["done"]),
    ])
    .await;
    run(s.qwen(&server).arg("meet")).success().stdout("done\n");
    assert_eq!(s.marker("started").len(), 3);
    let second = messages(&server, 1).await;
    let ids: Vec<&Value> = second[2..].iter().map(|m| &m["tool_call_id"]).collect();
    assert_eq!(ids, [&json!("c1"), &json!("c2"), &json!("c3")]);
    for m in &second[2..] {
        assert_eq!(m["content"], "saw 3");
    }
    assert_eq!(second[1]["tool_calls"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn the_llama_server_capture_is_assembled_and_run() {
    // Byte for byte what llama.cpp streamed for a get_weather call (argument fragments
    // without ids, `finish_reason: length`).
    let s = weather_setup(WEATHER);
    let server = model(vec![
        String::from_utf8(fixture("llama-tool-call-stream.sse")).unwrap(),
        sse(&["Rome is sunny."]),
    ])
    .await;
    run(s.qwen(&server).arg("What is the weather in Rome?"))
        .success()
        .stdout("Rome is sunny.\n");
    assert_eq!(s.marker("ran"), [r#"{"city":"Rome"}|{"city":"Rome"}"#]);
    let second = messages(&server, 1).await;
    assert_eq!(
        second[2]["tool_call_id"],
        "dsP4ZNKgrPfW0sEeXuKWq2OBGymFAKNZ"
    );
    assert_eq!(
        second[1]["tool_calls"][0]["function"]["arguments"],
        r#"{"city": "Rome"}"#
    );
}

#[tokio::test]
async fn invalid_arguments_and_unknown_tools_are_reported_not_run() {
    let s = weather_setup(WEATHER);
    let server = model(vec![
        calls_sse(&[
            ("c1", "get_weather", r#"{"city": 5}"#),
            ("c2", "get_weather", r#"{"town": "Paris"#),
            ("c3", "launch_missiles", r#"{}"#),
        ]),
        sse(&["Sorry."]),
    ])
    .await;
    let a = run(s.qwen(&server).arg("go"));
    let a = a.success().stdout("Sorry.\n");
    assert!(s.marker("ran").is_empty(), "nothing ran");
    let second = messages(&server, 1).await;
    let content = |i: usize| second[i]["content"].as_str().unwrap().to_owned();
    assert!(
        content(2).starts_with("error: invalid arguments for `get_weather`"),
        "{}",
        content(2)
    );
    assert!(content(2).contains("/city"), "{}", content(2));
    assert!(content(3).contains("not valid JSON"), "{}", content(3));
    assert!(
        content(4).contains("no tool named `launch_missiles`"),
        "{}",
        content(4)
    );
    assert!(
        content(4).contains("get_weather"),
        "the model learns what exists"
    );
    let err = stderr(&a);
    assert!(err.contains("→ not run: invalid arguments"), "{err}");
    assert!(err.contains("→ not run: no such tool"), "{err}");
}

#[tokio::test]
async fn a_failing_tool_is_an_error_result_with_its_stderr() {
    let s = Setup::new(
        r#"
[[tool]]
name = "fail"
command = ["./fail.sh"]
allow = true
"#,
    );
    s.script(
        "fail.sh",
        "echo ran >> \"$DIR/ran\"\necho boom >&2\necho partial\nexit 3\n",
    );
    let server = model(vec![calls_sse(&[("c1", "fail", "{}")]), sse(&["ok"])]).await;
    let a = run(s.qwen(&server).args(["--format", "jsonl", "go"]));
    let events = jsonl(&a.success());
    assert_eq!(s.marker("ran").len(), 1);
    let second = messages(&server, 1).await;
    assert_eq!(
        second[2]["content"],
        "error: `fail` exited with status 3\nstderr:\nboom\noutput:\npartial"
    );
    let result = events.iter().find(|e| e["type"] == "tool_result").unwrap();
    assert_eq!(result["status"], "error");
    assert_eq!(result["exit_code"], 3);
}

/// Returns true while process `pid` exists and is not a zombie.
fn alive(pid: &str) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => {
            let state = stat.rsplit(')').next().unwrap_or("").trim_start();
            !state.starts_with('Z')
        }
        Err(_) => false,
    }
}

#[tokio::test]
async fn a_timeout_kills_the_tool_and_its_children() {
    let s = Setup::new(
        r#"
[[tool]]
name = "hang"
command = ["./hang.sh"]
timeout = "2s"
allow = true
"#,
    );
    // A background child in the tool's group, and the tool itself, both sleep for long.
    s.script(
        "hang.sh",
        "sleep 60 &\necho $! > \"$DIR/child\"\necho $$ > \"$DIR/tool\"\nsleep 60\n",
    );
    let server = model(vec![calls_sse(&[("c1", "hang", "{}")]), sse(&["gave up"])]).await;
    let started = Instant::now();
    let a = run(s.qwen(&server).arg("go"));
    a.success().stdout("gave up\n");
    assert!(started.elapsed() < Duration::from_secs(15));
    let second = messages(&server, 1).await;
    assert_eq!(
        second[2]["content"],
        "error: `hang` timed out after 2s and was killed"
    );
    for file in ["child", "tool"] {
        let pid = s.marker(file).pop().expect("the tool wrote its pids");
        let deadline = Instant::now() + Duration::from_secs(5);
        while alive(&pid) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        assert!(
            !alive(&pid),
            "the {file} process {pid} survived the timeout"
        );
    }
}

#[tokio::test]
async fn a_flood_of_output_is_truncated_with_a_marker() {
    let s = Setup::new(
        r#"
[[tool]]
name = "flood"
command = ["yes", "flood"]
max_output_bytes = 1000
allow = true
"#,
    );
    let server = model(vec![calls_sse(&[("c1", "flood", "{}")]), sse(&["ok"])]).await;
    let a = run(s.qwen(&server).args(["--format", "jsonl", "go"]));
    let events = jsonl(&a.success());
    let second = messages(&server, 1).await;
    let content = second[2]["content"].as_str().unwrap();
    assert!(content.starts_with("flood\nflood\n"), "{content}");
    assert!(
        content.ends_with("\n[output truncated: the tool printed more than 1000 bytes]"),
        "{content}"
    );
    assert!(content.len() < 1100);
    let result = events.iter().find(|e| e["type"] == "tool_result").unwrap();
    assert_eq!(result["truncated"], true);
    assert_eq!(result["status"], "ok");
}

const UNALLOWED: &str = r#"
[[tool]]
name = "get_weather"
description = "Get the current weather for a city"
command = ["./weather.sh"]
parameters = { type = "object", properties = { city = { type = "string" } }, required = ["city"] }
"#;

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

#[tokio::test]
async fn max_steps_stops_the_loop_with_its_own_exit_code() {
    let s = weather_setup(WEATHER);
    let server = MockServer::start().await;
    chat()
        .respond_with(sse_response(calls_sse(&[(
            "c",
            "get_weather",
            r#"{"city": "Paris"}"#,
        )])))
        .mount(&server)
        .await;
    let a = run(s
        .qwen(&server)
        .args(["--max-steps", "2", "--format", "jsonl", "loop"]));
    let a = a.code(8);
    assert_eq!(bodies(&server).await.len(), 2, "two requests");
    assert_eq!(
        s.marker("ran").len(),
        1,
        "the last step's call does not run"
    );
    let events = jsonl(&a);
    let last = events.last().unwrap();
    assert_eq!(last["type"], "error");
    assert_eq!(last["code"], "max_steps");
    let err = stderr(&a);
    assert!(
        err.contains("qwen: error: the model still asked for tools after 2 requests"),
        "{err}"
    );
    assert!(err.contains("hint: raise `--max-steps`"), "{err}");
}

#[tokio::test]
async fn jsonl_is_the_audit_trail_and_transcript_keeps_it_in_any_format() {
    let s = weather_setup(WEATHER);
    let script = || {
        vec![
            calls_sse(&[("call_a", "get_weather", r#"{"city": "Paris"}"#)]),
            sse(&["Sunny."]),
        ]
    };
    let server = model(script()).await;
    let a = run(s.qwen(&server).args(["--format", "jsonl", "Weather?"]));
    let events = jsonl(&a.success());
    let types: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        [
            "start",
            "tool_call",
            "usage",
            "tool_result",
            "text",
            "usage",
            "done"
        ]
    );
    assert!(events.iter().all(|e| e["v"] == 1));
    assert_eq!(types.first(), Some(&"start"));
    assert_eq!(types.last(), Some(&"done"));
    let call = events.iter().find(|e| e["type"] == "tool_call").unwrap();
    assert_eq!(call["name"], "get_weather");
    assert_eq!(call["arguments"], r#"{"city": "Paris"}"#);
    assert_eq!(call["step"], 1);
    let result = events.iter().find(|e| e["type"] == "tool_result").unwrap();
    assert_eq!(result["exit_code"], 0);
    assert!(result["duration_ms"].is_u64());
    assert_eq!(result["truncated"], false);
    assert_eq!(result["permission"], "definition");
    let text = events.iter().find(|e| e["type"] == "text").unwrap();
    assert_eq!(
        (text["step"].as_u64(), text["text"].as_str()),
        (Some(2), Some("Sunny."))
    );
    let done = events.last().unwrap();
    assert_eq!(
        (done["steps"].as_u64(), done["tool_calls"].as_u64()),
        (Some(2), Some(1))
    );

    // JSON: one object with the answer, every call and the total usage.
    let server = model(script()).await;
    let a = run(s.qwen(&server).args(["--format", "json", "Weather?"]));
    let v: Value = serde_json::from_str(&stdout(&a.success())).unwrap();
    assert_eq!(v["text"], "Sunny.");
    assert_eq!(v["steps"], 2);
    assert_eq!(v["tool_calls"][0]["name"], "get_weather");
    assert_eq!(v["tool_calls"][0]["arguments"], r#"{"city": "Paris"}"#);
    assert_eq!(v["tool_calls"][0]["status"], "ok");
    assert_eq!(v["usage"]["total_tokens"], 2 * USAGE.2);

    // Text mode with --transcript: the answer on stdout, the same events in the file.
    let server = model(script()).await;
    let transcript = s.path("audit.jsonl");
    run(s
        .qwen(&server)
        .arg("--transcript")
        .arg(&transcript)
        .arg("Weather?"))
    .success()
    .stdout("Sunny.\n");
    let saved: Vec<Value> = std::fs::read_to_string(&transcript)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let saved_types: Vec<&str> = saved.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(saved_types, types);
}

#[tokio::test]
async fn reasoning_is_echoed_on_tool_call_turns() {
    let s = weather_setup(WEATHER);
    let server = model(vec![
        calls_sse_with_reasoning(
            &[("c1", "get_weather", r#"{"city": "Paris"}"#)],
            Some("I should check the weather."),
        ),
        sse_thinking(&["It is sunny."], &["Sunny."]),
    ])
    .await;
    let a = run(s
        .qwen(&server)
        .args(["--think", "--show-thinking", "Weather?"]));
    let a = a.success().stdout("Sunny.\n");
    assert!(stderr(&a).contains("I should check the weather."));
    let second = messages(&server, 1).await;
    assert_eq!(
        second[1]["reasoning_content"],
        "I should check the weather."
    );
    assert_eq!(bodies(&server).await[0]["enable_thinking"], true);
}

#[tokio::test]
async fn an_mcp_server_exposes_its_tools_under_its_name() {
    let s = Setup::new("");
    let marker = s.path("mcp-ran");
    let mcp = format!(
        "demo=python3 {} {}",
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/mcp_server.py")
            .display(),
        marker.display()
    );
    let server = model(vec![
        calls_sse(&[
            ("c1", "demo__echo", r#"{"text": "hello"}"#),
            ("c2", "demo__fail", "{}"),
            ("c3", "demo__add", r#"{"a": "x"}"#),
        ]),
        sse(&["ok"]),
    ])
    .await;
    let a = run(s.qwen(&server).args([
        "--mcp", &mcp, "--allow", "demo.*", "--format", "jsonl", "go",
    ]));
    let events = jsonl(&a.success());
    assert_eq!(s.marker("mcp-ran"), [r#"echo {"text": "hello"}"#]);
    let tools = &bodies(&server).await[0]["tools"];
    let names: Vec<&str> = tools
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["function"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["demo__echo", "demo__add", "demo__fail"]);
    assert_eq!(
        tools[1]["function"]["parameters"]["required"],
        json!(["a", "b"])
    );
    let second = messages(&server, 1).await;
    assert_eq!(second[2]["content"], "hello");
    assert_eq!(
        second[3]["content"],
        "error: `demo.fail` reported an error\noutput:\nit broke"
    );
    assert!(
        second[4]["content"]
            .as_str()
            .unwrap()
            .contains("invalid arguments")
    );
    let statuses: Vec<&str> = events
        .iter()
        .filter(|e| e["type"] == "tool_result")
        .map(|e| e["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.len(), 3);
    assert!(statuses.contains(&"ok") && statuses.contains(&"error"));
}

#[tokio::test]
async fn tools_list_shows_every_tool_and_its_source() {
    let s = weather_setup(WEATHER);
    let mcp = format!(
        "python3 {}",
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/mcp_server.py")
            .display()
    );
    let tools_file = s.path("defs/tools.toml");
    let a = run(qwen("http://127.0.0.1:9", s.dir.path())
        .args(["tools", "list", "--tools"])
        .arg(&tools_file)
        .args(["--mcp", &mcp]));
    let out = stdout(&a.success());
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("NAME"), "{out}");
    assert!(lines[1].starts_with("get_weather"), "{out}");
    assert!(lines[1].contains(tools_file.to_str().unwrap()), "{out}");
    assert!(lines[1].contains("Get the current weather"), "{out}");
    assert!(lines[2].starts_with("server.echo"), "{out}");
    assert!(lines[2].contains("mcp"), "{out}");

    let a = run(qwen("http://127.0.0.1:9", s.dir.path())
        .args(["tools", "list", "--format", "json", "--tools"])
        .arg(&tools_file));
    let v: Value = serde_json::from_str(&stdout(&a.success())).unwrap();
    let tool = &v["tools"][0];
    assert_eq!(tool["name"], "get_weather");
    assert_eq!(tool["kind"], "command");
    assert_eq!(tool["allow"], true);
    assert_eq!(tool["timeout_ms"], 10_000);
    assert_eq!(tool["source"], tools_file.to_str().unwrap());
}

#[tokio::test]
async fn tools_toml_in_the_config_dir_is_read_too() {
    let s = weather_setup(WEATHER);
    let config = s.dir.path().join("config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::copy(s.path("defs/tools.toml"), config.join("tools.toml")).unwrap();
    // Relative commands start from the file's own directory.
    std::fs::copy(s.path("defs/weather.sh"), config.join("weather.sh")).unwrap();
    let a = run(qwen("http://127.0.0.1:9", s.dir.path()).args([
        "tools",
        "call",
        "get_weather",
        r#"{"city":"Lima"}"#,
    ]));
    a.success().stdout(r#"sunny, args {"city":"Lima"}"#);
}

#[tokio::test]
async fn mcp_servers_from_config_toml_are_started_too() {
    let s = Setup::new("");
    let marker = s.path("mcp-ran");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mcp_server.py");
    write_config(
        s.dir.path(),
        &format!(
            "[[mcp]]\nname = \"cfg\"\ncommand = [\"python3\", {:?}, {:?}]\nallow = true\nfavourite = 1\n",
            fixture.display().to_string(),
            marker.display().to_string()
        ),
    );
    let a = run(qwen("http://127.0.0.1:9", s.dir.path()).args([
        "tools",
        "call",
        "cfg.echo",
        r#"{"text": "from config"}"#,
    ]));
    let a = a.success().stdout("from config\n");
    assert!(
        stderr(&a).contains("unknown key `mcp[0].favourite`"),
        "{}",
        stderr(&a)
    );
    assert_eq!(s.marker("mcp-ran"), [r#"echo {"text": "from config"}"#]);
    let a =
        run(qwen("http://127.0.0.1:9", s.dir.path()).args(["tools", "list", "--format", "jsonl"]));
    let rows = jsonl(&a.success());
    assert_eq!(rows.len(), 3);
    assert!(
        rows.iter()
            .all(|r| r["allow"] == true && r["kind"] == "mcp")
    );
}

#[tokio::test]
async fn tools_call_runs_one_tool_after_checking_its_arguments() {
    let s = weather_setup(UNALLOWED);
    let tools_file = s.path("defs/tools.toml");
    let call = |args: &[&str]| {
        let mut cmd = qwen("http://127.0.0.1:9", s.dir.path());
        cmd.args(["tools", "call", "--tools"])
            .arg(&tools_file)
            .args(args);
        run(&mut cmd)
    };
    call(&["get_weather", r#"{"city": "Kyiv"}"#])
        .success()
        .stdout(r#"sunny, args {"city":"Kyiv"}"#);
    let a = call(&["get_weather", r#"{"city": 1}"#]).code(2);
    let err = stderr(&a);
    assert!(
        err.starts_with("qwen: error: invalid arguments for `get_weather`"),
        "{err}"
    );
    let a = call(&["nope"]).code(2);
    assert!(stderr(&a).contains("no tool named `nope`"));
    assert_eq!(s.marker("ran").len(), 1);

    let a = call(&["--format", "json", "get_weather", r#"{"city": "Rome"}"#]);
    let v: Value = serde_json::from_str(&stdout(&a.success())).unwrap();
    assert_eq!(
        (v["status"].as_str(), v["exit_code"].as_i64()),
        (Some("ok"), Some(0))
    );
}

#[tokio::test]
async fn invalid_definitions_are_one_line_errors_naming_file_and_tool() {
    let s = Setup::new("[[tool]]\nname = \"get_weather\"\ncommand = \"./weather.sh --city\"\n");
    let tools_file = s.path("defs/tools.toml");
    let a = run(qwen("http://127.0.0.1:9", s.dir.path())
        .args(["tools", "list", "--tools"])
        .arg(&tools_file));
    let a = a.code(2);
    let err = stderr(&a);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("invalid tool `get_weather`"), "{err}");
    assert!(err.contains(tools_file.to_str().unwrap()), "{err}");
    assert!(
        err.contains(r#"command = ["./weather.sh","--city"]"#),
        "{err}"
    );

    let s = weather_setup(&format!("{WEATHER}{WEATHER}"));
    let a = run(qwen("http://127.0.0.1:9", s.dir.path())
        .args(["tools", "list", "--tools"])
        .arg(s.path("defs/tools.toml")));
    assert!(stderr(&a.code(2)).contains("duplicate tool `get_weather`"));

    let s = Setup::new("[[tool]]\nname = \"a\"\ncommand = [\"a\"]\ncolour = \"red\"\n");
    let a = run(qwen("http://127.0.0.1:9", s.dir.path())
        .args(["tools", "list", "--tools"])
        .arg(s.path("defs/tools.toml")));
    let err = stderr(&a.success());
    assert!(
        err.contains("warning: unknown key `colour` of tool `a`"),
        "{err}"
    );
}

#[tokio::test]
async fn ctrl_c_kills_running_tools_and_exits_130() {
    let s = Setup::new(
        r#"
[[tool]]
name = "hang"
command = ["./hang.sh"]
allow = true
"#,
    );
    s.script(
        "hang.sh",
        "sleep 60 &\necho $! > \"$DIR/child\"\necho $$ > \"$DIR/tool\"\nsleep 60\n",
    );
    let server = model(vec![calls_sse(&[("c1", "hang", "{}")]), sse(&["never"])]).await;
    let mut cmd = std_qwen(&server.uri(), s.dir.path());
    cmd.args(["tools", "run", "--format", "jsonl", "--tools"])
        .arg(s.path("defs/tools.toml"))
        .arg("go")
        .stdout(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    while s.marker("tool").is_empty() || s.marker("child").is_empty() {
        assert!(Instant::now() < deadline, "the tool never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let status = wait_for(&mut child, Duration::from_secs(10));
    assert_eq!(status.code(), Some(130));
    let mut out = String::new();
    std::io::Read::read_to_string(child.stdout.as_mut().unwrap(), &mut out).unwrap();
    let last: Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
    assert_eq!(last["code"], "interrupted");
    for file in ["child", "tool"] {
        let pid = s.marker(file).pop().unwrap();
        let deadline = Instant::now() + Duration::from_secs(5);
        while alive(&pid) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        assert!(!alive(&pid), "the {file} process {pid} survived Ctrl-C");
    }
}

#[tokio::test]
async fn no_tools_is_a_usage_error() {
    let s = Setup::new("");
    let server = model(vec![sse(&["hi"])]).await;
    let a = run(s.qwen(&server).arg("hello"));
    assert!(stderr(&a.code(2)).contains("no tools to offer the model"));
    assert!(bodies(&server).await.is_empty());
}

// --- The same scenarios over the native protocol (issue #6) ------------------------------

/// One reply of the model, written once and sent in either protocol's shape.
#[derive(Clone, Copy)]
enum Say<'a> {
    /// Tool calls: (id, name, arguments), arguments streamed in two fragments.
    Calls(&'a [(&'a str, &'a str, &'a str)]),
    /// A streamed answer.
    Text(&'a [&'a str]),
}

#[derive(Clone, Copy, Debug)]
enum Api {
    Compat,
    Native,
}

impl Api {
    fn body(self, say: Say<'_>) -> String {
        match (self, say) {
            (Api::Compat, Say::Calls(calls)) => calls_sse(calls),
            (Api::Compat, Say::Text(texts)) => sse(texts),
            (Api::Native, Say::Calls(calls)) => native_calls_sse(calls),
            (Api::Native, Say::Text(texts)) => native_sse(texts),
        }
    }

    /// A scripted model speaking this protocol (native: text generation for qwen-plus).
    async fn model(self, script: &[Say<'_>]) -> MockServer {
        let server = MockServer::start().await;
        let replies = Script(script.iter().map(|say| self.body(*say)).collect());
        match self {
            Api::Compat => chat(),
            Api::Native => native_chat(),
        }
        .respond_with(replies)
        .mount(&server)
        .await;
        server
    }
}

/// What one `tools run` did, as far as the tests can see.
struct Seen {
    stdout: String,
    stderr: String,
    code: Option<i32>,
    /// Lines of the marker file the tools write, sorted (parallel calls race).
    ran: Vec<String>,
    /// The request bodies the model received.
    bodies: Vec<Value>,
}

impl Seen {
    /// The conversation of every request.
    fn conversations(&self) -> Vec<&Vec<Value>> {
        self.bodies.iter().map(conversation).collect()
    }
}

/// Runs `tools run ARGS` against a scripted model speaking `api`, in a fresh setup.
async fn seen(
    api: Api,
    setup: fn() -> Setup,
    marker: &str,
    script: &[Say<'_>],
    args: &[&str],
) -> Seen {
    let s = setup();
    let server = api.model(script).await;
    let mut cmd = match api {
        Api::Compat => s.qwen(&server),
        Api::Native => {
            let mut cmd = qwen(&native_base(&server.uri()), s.dir.path());
            cmd.args(["--api", "native", "tools", "run", "--tools"])
                .arg(s.path("defs/tools.toml"));
            cmd
        }
    };
    let output = cmd.args(args).output().unwrap();
    assert_no_key(&output);
    let mut ran = s.marker(marker);
    ran.sort();
    Seen {
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
        code: output.status.code(),
        ran,
        bodies: bodies(&server).await,
    }
}

/// Drops what differs between two runs: durations (`12ms`, `"duration_ms": 12`), latency.
fn timeless(text: &str) -> String {
    text.lines()
        .map(|line| match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(mut map)) => {
                map.remove("duration_ms");
                map.remove("latency_ms");
                Value::Object(map).to_string()
            }
            _ => {
                let mut out = String::new();
                let mut digits = String::new();
                for c in line.chars() {
                    if c.is_ascii_digit() {
                        digits.push(c);
                        continue;
                    }
                    if !digits.is_empty() {
                        out.push_str(if c == 'm' { "N" } else { &digits });
                        digits.clear();
                    }
                    out.push(c);
                }
                out + &digits
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs a scenario over both protocols and checks that they agree on everything the user
/// and the model see: the tools that ran, every conversation sent, stdout, the lines of
/// stderr and the exit status. Returns the native run.
async fn both(setup: fn() -> Setup, marker: &str, script: &[Say<'_>], args: &[&str]) -> Seen {
    let compat = seen(Api::Compat, setup, marker, script, args).await;
    let native = seen(Api::Native, setup, marker, script, args).await;
    assert_eq!(
        native.code, compat.code,
        "exit status of {args:?}: {}",
        native.stderr
    );
    assert_eq!(native.ran, compat.ran, "tools run by {args:?}");
    assert_eq!(
        native.conversations(),
        compat.conversations(),
        "what {args:?} sent the model"
    );
    assert_eq!(
        timeless(&native.stdout),
        timeless(&compat.stdout),
        "stdout of {args:?}"
    );
    // Calls that run together log their lines as they finish, in any order.
    let lines = |text: &str| {
        let mut lines: Vec<String> = timeless(text).lines().map(str::to_owned).collect();
        lines.sort();
        lines
    };
    assert_eq!(
        lines(&native.stderr),
        lines(&compat.stderr),
        "stderr of {args:?}"
    );
    native
}

fn weather() -> Setup {
    weather_setup(WEATHER)
}

fn weather_unallowed() -> Setup {
    weather_setup(UNALLOWED)
}

#[tokio::test]
async fn native_a_single_call_runs_and_its_result_goes_back() {
    let script = [
        Say::Calls(&[("call_a", "get_weather", r#"{"city": "Paris"}"#)]),
        Say::Text(&["It is ", "sunny in Paris."]),
    ];
    let n = both(weather, "ran", &script, &["Weather in Paris?"]).await;
    assert_eq!(n.stdout, "It is sunny in Paris.\n");
    assert!(
        n.stderr
            .contains(r#"qwen: tool get_weather {"city": "Paris"} → exit 0 in"#),
        "{}",
        n.stderr
    );
    assert_eq!(n.ran, [r#"{"city":"Paris"}|{"city":"Paris"}"#]);
    let tools = &n.bodies[0]["parameters"]["tools"];
    assert_eq!(
        tools[0]["function"]["name"], "get_weather",
        "{}",
        n.bodies[0]
    );
    let second = n.conversations()[1];
    assert_eq!(second[1]["tool_calls"][0]["id"], "call_a");
    assert_eq!(
        second[1]["tool_calls"][0]["function"]["arguments"],
        r#"{"city": "Paris"}"#
    );
    assert_eq!(second[2]["role"], "tool");
    assert_eq!(second[2]["tool_call_id"], "call_a");
    assert_eq!(second[2]["content"], r#"sunny, args {"city":"Paris"}"#);

    let n = both(
        weather,
        "ran",
        &script,
        &["--format", "jsonl", "Weather in Paris?"],
    )
    .await;
    let types: Vec<String> = n
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["type"].to_string())
        .collect();
    assert_eq!(types.first().map(String::as_str), Some("\"start\""));
    assert_eq!(types.last().map(String::as_str), Some("\"done\""));
}

fn meet() -> Setup {
    let s = Setup::new(
        r#"
[[tool]]
name = "meet"
command = ["./meet.sh"]
parameters = { type = "object", properties = { who = { type = "string" } } }
allow = true
"#,
    );
    // As in the compat test: each call waits until all three have started.
    s.script(
        "meet.sh",
        r#"echo "$QWEN_TOOL_ARGS" >> "$DIR/started"
i=0
while [ "$(wc -l < "$DIR/started")" -lt 3 ] && [ $i -lt 30 ]; do sleep 0.1; i=$((i+1)); done
printf 'saw %s' "$(wc -l < "$DIR/started" | tr -d ' ')"
"#,
    );
    s
}

#[tokio::test]
async fn native_parallel_calls_run_together_and_answer_in_order() {
    let script = [
        Say::Calls(&[
            ("c1", "meet", r#"{"who": "a"}"#),
            ("c2", "meet", r#"{"who": "b"}"#),
            ("c3", "meet", r#"{"who": "c"}"#),
        ]),
        Say::Text(&["done"]),
    ];
    let n = both(meet, "started", &script, &["meet"]).await;
    assert_eq!(n.stdout, "done\n");
    assert_eq!(n.ran.len(), 3);
    let second = n.conversations()[1];
    let ids: Vec<&Value> = second[2..].iter().map(|m| &m["tool_call_id"]).collect();
    assert_eq!(ids, [&json!("c1"), &json!("c2"), &json!("c3")]);
    assert!(
        second[2..].iter().all(|m| m["content"] == "saw 3"),
        "{second:#?}"
    );
}

#[tokio::test]
async fn native_invalid_arguments_and_unknown_tools_are_reported_not_run() {
    let script = [
        Say::Calls(&[
            ("c1", "get_weather", r#"{"city": 5}"#),
            ("c2", "get_weather", r#"{"town": "Paris"#),
            ("c3", "launch_missiles", r#"{}"#),
        ]),
        Say::Text(&["Sorry."]),
    ];
    let n = both(weather, "ran", &script, &["go"]).await;
    assert_eq!(n.stdout, "Sorry.\n");
    assert!(n.ran.is_empty(), "nothing ran");
    let second = n.conversations()[1];
    let content = |i: usize| second[i]["content"].as_str().unwrap();
    assert!(content(2).contains("/city"), "{}", content(2));
    assert!(content(3).contains("not valid JSON"), "{}", content(3));
    assert!(
        content(4).contains("no tool named `launch_missiles`"),
        "{}",
        content(4)
    );
    assert!(n.stderr.contains("→ not run: no such tool"), "{}", n.stderr);
}

#[tokio::test]
async fn native_without_a_terminal_a_tool_that_is_not_allowed_is_refused() {
    let script = [
        Say::Calls(&[("c1", "get_weather", r#"{"city": "Paris"}"#)]),
        Say::Text(&["I may not check."]),
    ];
    let n = both(
        weather_unallowed,
        "ran",
        &script,
        &["--format", "jsonl", "Weather?"],
    )
    .await;
    assert_eq!(n.code, Some(0));
    assert!(n.ran.is_empty(), "a refused tool must not run");
    assert_eq!(
        n.conversations()[1][2]["content"],
        "error: the user did not allow running `get_weather`, so it was not run"
    );
    assert!(n.stdout.contains(r#""status":"refused""#), "{}", n.stdout);
    assert!(
        n.stderr
            .contains("hint: allow it with `--allow get_weather`"),
        "{}",
        n.stderr
    );
}

// --- Review fixes -----------------------------------------------------------------------

#[tokio::test]
async fn mcp_tools_with_names_no_model_api_takes_are_skipped_with_a_warning() {
    let s = Setup::new("");
    let mcp = format!(
        "demo=python3 {} --bad-names",
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/mcp_server.py")
            .display()
    );
    let a = run(qwen("http://127.0.0.1:9", s.dir.path())
        .args(["tools", "list", "--format", "jsonl", "--mcp", &mcp]));
    let a = a.success();
    let names: Vec<String> = jsonl(&a)
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        names,
        ["demo.echo", "demo.add", "demo.fail", "demo.issues.list"],
        "a dotted MCP name is fine"
    );
    let err = stderr(&a);
    let warnings: Vec<&str> = err.lines().filter(|l| l.contains("skipped")).collect();
    assert_eq!(warnings.len(), 4, "{err}");
    assert!(
        warnings[0].starts_with(
            "qwen: warning: MCP tool `demo.bad name with spaces` skipped: its name must be letters"
        ),
        "{err}"
    );
    assert!(warnings[1].contains(r"`demo.evil\u{1b}[2Jname`"), "{err}");
    assert!(warnings[2].contains("76 characters"), "{err}");
    assert!(
        warnings[3].contains("`demo.issues_list` skipped: the model would call it"),
        "{err}"
    );
    assert!(
        !err.contains('\x1b'),
        "no raw escape reaches the terminal: {err:?}"
    );

    let a = run(qwen("http://127.0.0.1:9", s.dir.path()).args([
        "tools",
        "call",
        "--mcp",
        &mcp,
        "demo.issues.list",
        "{}",
    ]));
    a.success().stdout("no issues\n");
}

#[tokio::test]
async fn a_python_tool_cut_at_the_cap_is_a_truncated_success() {
    let s = Setup::new(
        r#"
[[tool]]
name = "flood"
command = ["python3", "-c", "print('x' * 200000)"]
max_output_bytes = 100
"#,
    );
    let a = run(qwen("http://127.0.0.1:9", s.dir.path())
        .args(["tools", "call", "--tools"])
        .arg(s.path("defs/tools.toml"))
        .args(["flood", "{}"]));
    let a = a.success().stdout("x".repeat(100));
    let err = stderr(&a);
    assert_eq!(
        err, "qwen: note: output truncated at 100 bytes (`max_output_bytes`)\n",
        "the tool's BrokenPipeError is not passed on"
    );

    let server = model(vec![calls_sse(&[("c1", "flood", "{}")]), sse(&["ok"])]).await;
    let a = run(s
        .qwen(&server)
        .args(["--allow", "flood", "--format", "jsonl", "go"]));
    let events = jsonl(&a.success());
    let result = events.iter().find(|e| e["type"] == "tool_result").unwrap();
    assert_eq!(
        (result["status"].as_str(), result["truncated"].as_bool()),
        (Some("ok"), Some(true))
    );
    assert_eq!(
        messages(&server, 1).await[2]["content"],
        format!(
            "{}\n[output truncated: the tool printed more than 100 bytes]",
            "x".repeat(100)
        )
    );
}

#[tokio::test]
async fn escape_sequences_from_the_model_are_shown_not_obeyed() {
    let s = weather_setup(WEATHER);
    let server = model(vec![
        calls_sse(&[
            ("c1", "\x1b]0;pwned\x07launch", "{}"),
            ("c2", "get_weather", "{\"city\": \"\x1b[2J\x1b[31mParis"),
        ]),
        sse(&["Sorry."]),
    ])
    .await;
    let a = run(s.qwen(&server).arg("go"));
    let a = a.success().stdout("Sorry.\n");
    let err = stderr(&a);
    assert!(
        !err.contains(['\x1b', '\x07']),
        "raw control characters on stderr: {err:?}"
    );
    assert!(
        err.contains(r"qwen: tool \u{1b}]0;pwned\u{7}launch {} → not run: no such tool"),
        "{err}"
    );
    assert!(
        err.contains(r#"{"city": "\u{1b}[2J\u{1b}[31mParis"#),
        "{err}"
    );
    assert!(s.marker("ran").is_empty());
}

#[tokio::test]
async fn without_a_prompt_the_hint_shows_tools_run() {
    let s = weather_setup(WEATHER);
    let server = model(vec![sse(&["hi"])]).await;
    let a = run(&mut s.qwen(&server));
    let err = stderr(&a.code(2));
    assert!(err.starts_with("qwen: error: no prompt"), "{err}");
    assert!(err.contains("hint: example: `qwen tools run"), "{err}");
    assert!(!err.contains("qwen chat"), "{err}");
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

// --- Security, hangs and wire names (issues #11 and #12) ---------------------------------

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

/// A tool that starts a process which leaves its session (`setsid`) holding stdout, one
/// that also drops the environment, prints `done` and exits.
const ESCAPE: &str = r#"
[[tool]]
name = "escape"
command = ["./escape.sh"]
timeout = "8s"
allow = true
"#;

fn escape_setup() -> Setup {
    let s = Setup::new(ESCAPE);
    s.script(
        "escape.sh",
        r#"setsid sh -c 'echo $$ > "$DIR/escaped.tmp"; mv "$DIR/escaped.tmp" "$DIR/escaped"; exec sleep 60' &
setsid env -i sh -c 'echo $$ > "$DIR/scrubbed.tmp"; mv "$DIR/scrubbed.tmp" "$DIR/scrubbed"; exec sleep 60' &
while [ ! -s "$DIR/escaped" ] || [ ! -s "$DIR/scrubbed" ]; do sleep 0.02; done
echo done
"#,
    );
    s
}

fn assert_dead_soon(s: &Setup, file: &str, what: &str) {
    let pid = s.marker(file).pop().expect("the tool wrote its pid");
    let deadline = Instant::now() + Duration::from_secs(3);
    while alive(&pid) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!alive(&pid), "{what} {pid} survived");
}

#[tokio::test]
async fn a_process_that_leaves_the_session_neither_hangs_the_call_nor_survives_it() {
    let s = escape_setup();
    let started = Instant::now();
    let a = run(qwen("http://127.0.0.1:9", s.dir.path())
        .args(["tools", "call", "--tools"])
        .arg(s.path("defs/tools.toml"))
        .args(["escape", "{}"]));
    a.success().stdout("done\n");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "waited for the escaped processes: {:?}",
        started.elapsed()
    );
    assert_dead_soon(&s, "escaped", "the process that called setsid");
    assert_dead_soon(
        &s,
        "scrubbed",
        "the process that also dropped its environment",
    );

    // In the loop: an `ok` result, not a false timeout.
    let s = escape_setup();
    let server = model(vec![calls_sse(&[("c1", "escape", "{}")]), sse(&["ok"])]).await;
    let a = run(s.qwen(&server).args(["--format", "jsonl", "go"]));
    let events = jsonl(&a.success());
    let result = events.iter().find(|e| e["type"] == "tool_result").unwrap();
    assert_eq!(result["status"], "ok", "{result}");
    assert_eq!(result["content"], "done\n");
    assert!(result["duration_ms"].as_u64().unwrap() < 4_000, "{result}");
    assert_dead_soon(&s, "escaped", "the process that called setsid");
    assert_dead_soon(
        &s,
        "scrubbed",
        "the process that also dropped its environment",
    );
}

fn mcp_fixture(flags: &str) -> String {
    format!(
        "demo=python3 {} {flags}",
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/mcp_server.py")
            .display()
    )
}

#[tokio::test]
async fn mcp_tools_are_offered_under_model_safe_names_and_mapped_back() {
    let s = Setup::new("");
    let marker = s.path("mcp-ran");
    let mcp = mcp_fixture(&format!("{} --bad-names", marker.display()));
    let server = model(vec![
        calls_sse(&[
            ("c1", "demo__echo", r#"{"text": "hello"}"#),
            ("c2", "demo__issues_list", "{}"),
        ]),
        sse(&["ok"]),
    ])
    .await;
    let a = run(s
        .qwen(&server)
        .args([
            "--mcp",
            &mcp,
            "--allow",
            "demo.echo",
            "--allow",
            "demo.issues.list",
        ])
        .args(["--format", "jsonl", "go"]));
    let a = a.success();
    let events = jsonl(&a);
    let names: Vec<String> = bodies(&server).await[0]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["function"]["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        names,
        ["demo__echo", "demo__add", "demo__fail", "demo__issues_list"]
    );
    let valid = |n: &str| {
        (1..=64).contains(&n.len())
            && n.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    assert!(names.iter().all(|n| valid(n)), "{names:?}");
    let start = &events[0];
    assert_eq!(start["tools"][0], "demo__echo");
    assert_eq!(s.marker("mcp-ran"), [r#"echo {"text": "hello"}"#]);
    let second = messages(&server, 1).await;
    assert_eq!(second[2]["content"], "hello");
    assert_eq!(second[3]["content"], "no issues");

    // The colliding name is skipped with a warning naming both tools.
    let err = stderr(&a);
    assert!(
        err.contains(
            "MCP tool `demo.issues_list` skipped: the model would call it `demo__issues_list`, as `demo.issues.list`"
        ),
        "{err}"
    );
    assert!(
        err.contains("MCP tool `demo.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx` skipped: its name for the model"),
        "{err}"
    );
}

#[tokio::test]
async fn tools_call_takes_either_name_and_ends_mcp_text_with_a_newline() {
    let s = Setup::new("");
    let mcp = mcp_fixture("--bad-names");
    for name in ["demo.issues.list", "demo__issues_list"] {
        let a = run(qwen("http://127.0.0.1:9", s.dir.path())
            .args(["tools", "call", "--mcp", &mcp, name, "{}"]));
        a.success().stdout("no issues\n");
    }
    let a = run(qwen("http://127.0.0.1:9", s.dir.path())
        .args(["tools", "list", "--format", "jsonl", "--mcp", &mcp]));
    let rows = jsonl(&a.success());
    assert_eq!(rows[3]["name"], "demo.issues.list");
    assert_eq!(rows[3]["function"], "demo__issues_list");
}

#[tokio::test]
async fn mcp_tools_that_need_tasks_are_listed_but_not_offered() {
    let s = Setup::new("");
    let mcp = mcp_fixture("--task-tools");
    let server = model(vec![sse(&["ok"])]).await;
    let a = run(s
        .qwen(&server)
        .args(["--mcp", &mcp, "--allow", "demo.*", "go"]));
    let err = stderr(&a.success());
    let names: Vec<String> = bodies(&server).await[0]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["function"]["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        names,
        ["demo__echo", "demo__add", "demo__fail", "demo__maybe_task"],
        "a tool that must run as an MCP task is not offered"
    );
    assert!(
        err.contains(
            "note: MCP tool `demo.research` is not offered to the model: it must run as an MCP task"
        ),
        "{err}"
    );

    let a = run(qwen("http://127.0.0.1:9", s.dir.path())
        .args(["tools", "list", "--format", "jsonl", "--mcp", &mcp]));
    let rows = jsonl(&a.success());
    let research = rows.iter().find(|r| r["name"] == "demo.research").unwrap();
    assert_eq!(research["task_support"], "required");
    assert_eq!(research["offered"], false);
    let maybe = rows
        .iter()
        .find(|r| r["name"] == "demo.maybe_task")
        .unwrap();
    assert_eq!(maybe["offered"], true);
    let a = run(qwen("http://127.0.0.1:9", s.dir.path()).args(["tools", "list", "--mcp", &mcp]));
    let out = stdout(&a.success());
    let line = out
        .lines()
        .find(|l| l.starts_with("demo.research"))
        .unwrap();
    assert!(line.contains("mcp (task only)"), "{out}");

    let a = run(qwen("http://127.0.0.1:9", s.dir.path()).args([
        "tools",
        "call",
        "--mcp",
        &mcp,
        "demo.research",
        "{}",
    ]));
    let err = stderr(&a.code(2));
    assert!(
        err.contains("`demo.research` must run as an MCP task, which `qwen` does not support"),
        "{err}"
    );
}

#[tokio::test]
async fn a_rejected_key_mid_loop_stops_the_run_with_exit_4() {
    for status in [401, 403] {
        let s = weather_setup(WEATHER);
        let server = MockServer::start().await;
        let body = json!({"error": {"message": "Incorrect API key provided.", "type": "invalid_request_error", "code": "invalid_api_key"}});
        let replies = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let count = replies.clone();
        chat()
            .respond_with(move |_: &Request| {
                if count.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
                    sse_response(calls_sse(&[("c1", "get_weather", r#"{"city": "Oslo"}"#)]))
                } else {
                    error(status, body.clone())
                }
            })
            .mount(&server)
            .await;
        let a =
            run(s
                .qwen(&server)
                .args(["--fallback-model", "qwen-max", "--format", "jsonl", "go"]));
        let a = a.code(4);
        assert_eq!(
            bodies(&server).await.len(),
            2,
            "no retry and no fallback after a {status}"
        );
        assert_eq!(s.marker("ran").len(), 1);
        let last = jsonl(&a).pop().unwrap();
        assert_eq!(last["type"], "error", "{last}");
    }
}
