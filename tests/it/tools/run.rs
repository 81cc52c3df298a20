//! The tool loop: calls run and their results go back, in order; steps, the audit trail,
//! reasoning, Ctrl-C, and what ends a run.

use super::*;

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
