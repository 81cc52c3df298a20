//! `--api native`: the key chat scenarios run against a compat and a native loopback server
//! must print exactly the same; plus what only the native protocol has (error events, errors
//! in 200 bodies, no `[DONE]`, the multimodal path, roots from a region).

use std::process::Output;

use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::*;

mod errors;
mod routes;

/// Drops what differs between any two runs (timings), so outputs can be compared.
fn normalize(bytes: &[u8]) -> String {
    let text = String::from_utf8(bytes.to_vec()).expect("UTF-8");
    text.lines()
        .map(|line| match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(mut map)) => {
                map.remove("latency_ms");
                map.remove("ttft_ms");
                Value::Object(map).to_string()
            }
            _ => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Drops the elapsed time that ends `qwen batch`'s summary line on stderr.
fn normalize_stderr(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .lines()
        .map(|line| match line.strip_prefix("qwen: batch: ") {
            Some(rest) => rest.rsplit_once("; ").map_or(line, |(head, _)| head),
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// One server per protocol, each answering with its own shape of the same reply.
struct Pair {
    compat: MockServer,
    native: MockServer,
}

impl Pair {
    async fn new(compat: impl wiremock::Respond + 'static, native: ResponseTemplate) -> Self {
        let pair = Self {
            compat: MockServer::start().await,
            native: MockServer::start().await,
        };
        chat().respond_with(compat).mount(&pair.compat).await;
        native_chat().respond_with(native).mount(&pair.native).await;
        pair
    }

    /// Runs `args` against both and checks that stdout, stderr and the status agree.
    fn same(&self, args: &[&str]) -> Output {
        let dir = tempfile::tempdir().unwrap();
        let compat = qwen(&self.compat.uri(), dir.path())
            .args(args)
            .output()
            .unwrap();
        let native = qwen(&native_base(&self.native.uri()), dir.path())
            .arg("--api=native")
            .args(args)
            .output()
            .unwrap();
        assert_no_key(&compat);
        assert_no_key(&native);
        assert_eq!(
            normalize(&native.stdout),
            normalize(&compat.stdout),
            "stdout of {args:?}"
        );
        assert_eq!(
            normalize_stderr(&native.stderr),
            normalize_stderr(&compat.stderr),
            "stderr of {args:?}"
        );
        assert_eq!(native.status.code(), compat.status.code(), "{args:?}");
        native
    }
}

#[tokio::test]
async fn streamed_text_is_identical() {
    let pair = Pair::new(stream(&["Hel", "lo"]), native_stream(&["Hel", "lo"])).await;
    let out = pair.same(&["chat", "hi"]);
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "Hello\n");
    assert!(out.status.success());
    pair.same(&["chat", "--format", "jsonl", "hi"]);
    pair.same(&["chat", "--format", "json", "hi"]);
}

#[tokio::test]
async fn whole_reply_is_identical() {
    let pair = Pair::new(whole("Whole answer."), native_whole("Whole answer.")).await;
    let out = pair.same(&["chat", "--no-stream", "hi"]);
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "Whole answer.\n");
    pair.same(&["chat", "--no-stream", "--format", "json", "hi"]);
    let body = &bodies(&pair.native).await[0];
    assert!(body.get("stream").is_none(), "{body}");
    assert_eq!(body["parameters"], json!({"result_format": "message"}));
    let requests = pair.native.received_requests().await.unwrap();
    assert!(requests[0].headers.get("x-dashscope-sse").is_none());
}

#[tokio::test]
async fn reasoning_is_routed_the_same_way() {
    let pair = Pair::new(
        sse_response(sse_thinking(&["Let me ", "think."], &["Ans", "wer"])),
        sse_response(native_sse_thinking(&["Let me ", "think."], &["Ans", "wer"])),
    )
    .await;
    let out = pair.same(&["chat", "hi"]);
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "Answer\n");
    assert!(out.stderr.is_empty(), "reasoning is hidden off a terminal");
    let out = pair.same(&["chat", "--show-thinking", "hi"]);
    assert_eq!(String::from_utf8(out.stderr).unwrap(), "Let me think.\n");
    let out = pair.same(&["chat", "--format", "jsonl", "hi"]);
    let types: Vec<String> = normalize(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["type"].to_string())
        .collect();
    assert_eq!(
        types,
        [
            "\"reasoning\"",
            "\"reasoning\"",
            "\"text\"",
            "\"text\"",
            "\"usage\"",
            "\"done\""
        ]
    );
    pair.same(&["chat", "--format", "json", "hi"]);
}

#[test]
fn batch_output_is_identical_over_both_protocols() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let pair = rt.block_on(Pair::new(
        stream(&["Hi ", "all"]),
        native_stream(&["Hi ", "all"]),
    ));
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(
        &input,
        "{\"id\":\"a\",\"prompt\":\"one\"}\n{\"id\":\"b\",\"prompt\":\"two\"}\n",
    )
    .unwrap();
    let input = input.to_str().unwrap();
    let out = pair.same(&["batch", "--ordered", "--input", input]);
    let lines: Vec<Value> = normalize(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert!(lines.iter().all(|l| l["output"] == "Hi all"), "{lines:?}");
}

#[tokio::test]
async fn tool_calls_are_assembled_the_same_way() {
    let calls = [
        ("call_a", "get_weather", r#"{"city": "Paris"}"#),
        ("call_b", "get_time", r#"{"zone": "CET"}"#),
    ];
    // The compat twin of `native_calls_sse`: first fragments, then `"id": ""` continuations.
    let mut frames = vec![frame(&chunk(
        json!({"content": null, "role": "assistant"}),
        None,
    ))];
    for (index, (id, name, args)) in calls.iter().enumerate() {
        frames.push(frame(&chunk(
            json!({"content": null, "tool_calls": [{"index": index, "id": id, "type": "function",
                "function": {"name": name, "arguments": &args[..args.len() / 2]}}]}),
            None,
        )));
    }
    for (index, (_, _, args)) in calls.iter().enumerate() {
        frames.push(frame(&chunk(
            json!({"tool_calls": [{"index": index, "id": "", "type": "function",
                "function": {"arguments": &args[args.len() / 2..]}}]}),
            None,
        )));
    }
    frames.push(frame(&chunk(json!({}), Some("tool_calls"))));
    frames.extend(tail_frames().into_iter().skip(1));
    let pair = Pair::new(
        sse_response(frames.concat()),
        sse_response(native_calls_sse(&calls)),
    )
    .await;
    let out = pair.same(&["chat", "--format", "jsonl", "hi"]);
    let lines: Vec<Value> = normalize(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["type"], "tool_call");
    assert_eq!(lines[0]["arguments"], r#"{"city": "Paris"}"#);
    assert_eq!(lines[1]["name"], "get_time");
    assert_eq!(lines[3]["finish_reason"], "tool_calls");
    pair.same(&["chat", "--format", "json", "hi"]);
}
