//! The same scenarios over the native protocol (issue #6): one script, sent in either
//! protocol's shape, must give the same runs.

use super::*;

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
