//! `qwen tools` against a loopback fake model that scripts its side of the conversation: a
//! responder picks the reply from the number of assistant turns in the request, so every
//! test can check both what ran (tools write marker files) and what went back to the model
//! (the `messages` of the next request).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use wiremock::{MockServer, Request, Respond, ResponseTemplate};

use crate::common::*;

mod attach;
mod cache;
mod exec;
mod gate;
mod interactive;
mod mcp;
mod native;
mod run;
mod toml;

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

const UNALLOWED: &str = r#"
[[tool]]
name = "get_weather"
description = "Get the current weather for a city"
command = ["./weather.sh"]
parameters = { type = "object", properties = { city = { type = "string" } }, required = ["city"] }
"#;

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
