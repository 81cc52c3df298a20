//! `qwen chat` against a mock server: streamed and whole replies, request parameters,
//! reasoning routing and the three output formats.

use serde_json::{Value, json};
use wiremock::MockServer;
use wiremock::matchers::{body_partial_json, header};

use crate::common::*;

#[tokio::test]
async fn streamed_reply_is_printed_exactly_with_one_final_newline() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&["Hel", "lo"]))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "hi"]));
    a.success().stdout("Hello\n").stderr("");
}

#[tokio::test]
async fn reply_ending_in_a_newline_gets_no_second_one() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&["line one\n", "line two\n"]))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args(["chat", "hi"]))
        .success()
        .stdout("line one\nline two\n");
}

#[tokio::test]
async fn streaming_request_asks_for_a_stream_with_usage() {
    let server = MockServer::start().await;
    chat()
        .and(body_partial_json(json!({
            "model": "qwen-plus",
            "messages": [{"role": "user", "content": "hi"}],
            "stream": true,
            "stream_options": {"include_usage": true}
        })))
        .and(header("accept", "text/event-stream"))
        .and(header("content-type", "application/json"))
        .respond_with(stream(&["ok"]))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).success();
}

#[tokio::test]
async fn no_stream_sends_no_stream_key_and_prints_the_whole_reply() {
    let server = MockServer::start().await;
    chat()
        .respond_with(whole("Whole answer."))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args(["chat", "--no-stream", "hi"]))
        .success()
        .stdout("Whole answer.\n");
    let body = &bodies(&server).await[0];
    assert!(body.get("stream").is_none(), "{body}");
    assert!(body.get("stream_options").is_none(), "{body}");
}

#[tokio::test]
async fn no_stream_reasoning_stays_off_stdout() {
    let server = MockServer::start().await;
    chat()
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(json!({
            "choices": [{"message": {"role": "assistant", "content": "Answer",
                                     "reasoning_content": "Let me think."},
                         "finish_reason": "stop", "index": 0}],
            "object": "chat.completion", "model": "qwen-plus", "id": CHUNK_ID,
            "usage": {"prompt_tokens": 3, "completion_tokens": 5, "total_tokens": 8,
                      "completion_tokens_details": {"reasoning_tokens": 3}}
        })))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args(["chat", "--no-stream", "hi"]))
        .success()
        .stdout("Answer\n")
        .stderr("");
    let a = run(qwen(&server.uri(), dir.path()).args([
        "chat",
        "--no-stream",
        "--format",
        "jsonl",
        "hi",
    ]))
    .success();
    let lines = jsonl(&a);
    assert_eq!(
        lines[0],
        json!({"v": 1, "type": "reasoning", "text": "Let me think."})
    );
    assert_eq!(lines[1], json!({"v": 1, "type": "text", "text": "Answer"}));
    assert_eq!(lines[2]["reasoning_tokens"], 3);
}

#[tokio::test]
async fn llama_cpp_stream_capture_is_printed() {
    let server = MockServer::start().await;
    chat()
        .respond_with(
            wiremock::ResponseTemplate::new(200)
                .set_body_raw(fixture("llama-chat-stream.sse"), "text/event-stream"),
        )
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args(["chat", "hi"]))
        .success()
        .stdout("Say hello.\n");
}

#[tokio::test]
async fn llama_cpp_whole_reply_capture_is_printed_with_its_usage() {
    let server = MockServer::start().await;
    chat()
        .respond_with(
            wiremock::ResponseTemplate::new(200)
                .set_body_raw(fixture("llama-chat.json"), "application/json"),
        )
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args([
        "chat",
        "--no-stream",
        "--format",
        "json",
        "hi",
    ]))
    .success();
    let v = &jsonl(&a)[0];
    assert_eq!(v["text"], "Say hello.");
    assert_eq!(v["usage"]["prompt_tokens"], 56);
    assert_eq!(v["usage"]["cached_tokens"], 30);
    // llama.cpp makes up its `chatcmpl-…` id and sends no request id (#12).
    assert_eq!(v["request_id"], serde_json::Value::Null);
}

#[tokio::test]
async fn every_parameter_flag_maps_to_its_body_field() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&["{\"ok\": true}"]))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args([
        "chat",
        "-m",
        "qwen-max",
        "--temperature",
        "0.7",
        "--top-p",
        "0.8",
        "--top-k",
        "20",
        "--max-tokens",
        "256",
        "--seed",
        "42",
        "--stop",
        "END",
        "--stop",
        "STOP",
        "--presence-penalty",
        "-0.5",
        "--repetition-penalty",
        "1.05",
        "--think",
        "--thinking-budget",
        "1024",
        "--search",
        "--json",
        "--extra",
        "n=2",
        "--extra",
        "user=\"me\"",
        "reply in json",
    ]))
    .success();
    let body = &bodies(&server).await[0];
    let expected = json!({
        "model": "qwen-max",
        "temperature": 0.7,
        "top_p": 0.8,
        "top_k": 20,
        "max_tokens": 256,
        "seed": 42,
        "stop": ["END", "STOP"],
        "presence_penalty": -0.5,
        "repetition_penalty": 1.05,
        "enable_thinking": true,
        "thinking_budget": 1024,
        "enable_search": true,
        "response_format": {"type": "json_object"},
        "n": 2,
        "user": "me",
    });
    for (key, value) in expected.as_object().unwrap() {
        assert_eq!(&body[key], value, "field `{key}` in {body}");
    }
}

#[tokio::test]
async fn no_parameter_flags_means_no_parameter_fields() {
    let server = MockServer::start().await;
    chat().respond_with(stream(&["ok"])).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).success();
    let body = &bodies(&server).await[0];
    let keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        ["model", "messages", "stream", "stream_options"],
        "{body}"
    );
}

#[tokio::test]
async fn no_think_sends_enable_thinking_false() {
    let server = MockServer::start().await;
    chat()
        .and(body_partial_json(json!({"enable_thinking": false})))
        .respond_with(stream(&["ok"]))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args(["chat", "--no-think", "hi"])).success();
}

#[tokio::test]
async fn last_of_think_and_no_think_wins() {
    let server = MockServer::start().await;
    chat().respond_with(stream(&["ok"])).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args(["chat", "--no-think", "--think", "hi"])).success();
    run(qwen(&server.uri(), dir.path()).args(["chat", "--think", "--no-think", "hi"])).success();
    let bodies = bodies(&server).await;
    assert_eq!(bodies[0]["enable_thinking"], true);
    assert_eq!(bodies[1]["enable_thinking"], false);
}

#[tokio::test]
async fn reasoning_never_reaches_stdout_and_is_hidden_when_stderr_is_not_a_terminal() {
    let server = MockServer::start().await;
    chat()
        .respond_with(sse_response(sse_thinking(
            &["Let me", " think."],
            &["Answer"],
        )))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args(["chat", "hi"]))
        .success()
        .stdout("Answer\n")
        .stderr("");
}

#[tokio::test]
async fn show_thinking_puts_reasoning_on_stderr_only() {
    let server = MockServer::start().await;
    chat()
        .respond_with(sse_response(sse_thinking(
            &["Let me", " think."],
            &["Answer"],
        )))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args(["chat", "--show-thinking", "hi"]))
        .success()
        .stdout("Answer\n")
        .stderr("Let me think.\n");
}

#[tokio::test]
async fn hide_thinking_after_show_thinking_hides_it() {
    let server = MockServer::start().await;
    chat()
        .respond_with(sse_response(sse_thinking(&["Let me think."], &["Answer"])))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args(["chat", "--show-thinking", "--hide-thinking", "hi"]))
        .success()
        .stdout("Answer\n")
        .stderr("");
}

#[tokio::test]
async fn jsonl_events_are_versioned_typed_and_end_with_done() {
    let server = MockServer::start().await;
    chat()
        .respond_with(
            sse_response(sse_thinking(&["Let me think."], &["Hel", "lo"]))
                .insert_header("x-request-id", "req-from-header"),
        )
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "--format", "jsonl", "hi"]))
        .success()
        .stderr("");
    let lines = jsonl(&a);
    let allowed = ["text", "reasoning", "tool_call", "usage", "done", "error"];
    for line in &lines {
        assert_eq!(line["v"], 1, "{line}");
        let kind = line["type"].as_str().unwrap_or_default();
        assert!(allowed.contains(&kind), "{line}");
    }
    let types: Vec<&str> = lines.iter().map(|l| l["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["reasoning", "text", "text", "usage", "done"]);
    assert_eq!(lines[0]["text"], "Let me think.");
    assert_eq!(lines[1]["text"], "Hel");
    assert_eq!(lines[2]["text"], "lo");
    assert_eq!(lines[3]["prompt_tokens"], USAGE.0);
    assert_eq!(lines[3]["completion_tokens"], USAGE.1);
    assert_eq!(lines[3]["total_tokens"], USAGE.2);
    let done = &lines[4];
    assert_eq!(done["finish_reason"], "stop");
    assert_eq!(done["model"], "qwen-plus");
    assert_eq!(done["request_id"], "req-from-header");
    assert_eq!(done["attempts"], 1);
    assert!(done["latency_ms"].is_u64(), "{done}");
    assert!(done.get("fallback_from").is_none(), "{done}");
}

#[tokio::test]
async fn jsonl_request_id_is_the_header_not_the_chunk_id() {
    let server = MockServer::start().await;
    chat().respond_with(stream(&["ok"])).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let a =
        run(qwen(&server.uri(), dir.path()).args(["chat", "--format", "jsonl", "hi"])).success();
    let lines = jsonl(&a);
    // `chatcmpl-…` names the completion; the request id is the header's (#12).
    assert_eq!(lines.last().unwrap()["request_id"], REQUEST_ID);
}

#[tokio::test]
async fn jsonl_reports_streamed_tool_calls_from_llama_cpp() {
    let server = MockServer::start().await;
    chat()
        .respond_with(
            wiremock::ResponseTemplate::new(200)
                .set_body_raw(fixture("llama-tool-call-stream.sse"), "text/event-stream"),
        )
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "--format", "jsonl", "weather?"]))
        .success();
    let lines = jsonl(&a);
    let call = lines
        .iter()
        .find(|l| l["type"] == "tool_call")
        .expect("a tool_call line");
    assert_eq!(call["v"], 1);
    assert_eq!(call["id"], "dsP4ZNKgrPfW0sEeXuKWq2OBGymFAKNZ");
    assert_eq!(call["name"], "get_weather");
    assert_eq!(call["arguments"], "{\"city\": \"Rome\"}");
    let done = lines.last().unwrap();
    assert_eq!(done["type"], "done");
    assert_eq!(done["finish_reason"], "length");
    let usage = lines.iter().find(|l| l["type"] == "usage").unwrap();
    assert_eq!(usage["prompt_tokens"], 403);
}

#[tokio::test]
async fn json_format_prints_exactly_one_object() {
    let server = MockServer::start().await;
    chat()
        .respond_with(sse_response(sse_thinking(&["Hmm."], &["Hel", "lo"])))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "--format", "json", "hi"])).success();
    let out = stdout(&a);
    assert_eq!(out.lines().count(), 1, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["v"], 1);
    assert_eq!(v["text"], "Hello");
    assert_eq!(v["reasoning"], "Hmm.");
    assert_eq!(v["model"], "qwen-plus");
    assert_eq!(v["finish_reason"], "stop");
    assert_eq!(v["usage"]["total_tokens"], USAGE.2);
}

#[tokio::test]
async fn format_can_come_from_the_config_file() {
    let server = MockServer::start().await;
    chat().respond_with(stream(&["ok"])).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), "format = \"jsonl\"\n");
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).success();
    assert_eq!(jsonl(&a).last().unwrap()["type"], "done");
}

#[tokio::test]
async fn usage_flag_prints_token_counts_on_stderr() {
    let server = MockServer::start().await;
    chat().respond_with(stream(&["ok"])).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "-u", "hi"]))
        .success()
        .stdout("ok\n");
    let err = stderr(&a);
    assert!(
        err.starts_with("qwen: usage: 22 input + 17 output tokens = 39"),
        "{err}"
    );
}

#[test]
fn completions_bash_prints_a_script_for_qwen() {
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen("http://127.0.0.1:9", dir.path()).args(["completions", "bash"])).success();
    let script = stdout(&a);
    assert!(script.contains("_qwen()"), "{script}");
    assert!(script.contains("complete -F _qwen"), "{script}");
}
