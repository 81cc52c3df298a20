//! `--api native`: the key chat scenarios run against a compat and a native loopback server
//! must print exactly the same; plus what only the native protocol has (error events, errors
//! in 200 bodies, no `[DONE]`, the multimodal path, roots from a region).

use std::process::Output;

use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::*;

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

#[tokio::test]
async fn errors_of_either_shape_are_reported_identically() {
    let compat_401 = json!({"error": {"message": "Incorrect API key provided.",
        "type": "invalid_request_error", "param": null, "code": "invalid_api_key"},
        "request_id": "b02e"});
    let native_401 = json!({"code": "InvalidApiKey", "message": "Invalid API-key provided.", "request_id": "824f"});
    for body in [compat_401, native_401] {
        let pair = Pair::new(error(401, body.clone()), error(401, body)).await;
        let out = pair.same(&["chat", "hi"]);
        assert_eq!(out.status.code(), Some(4));
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.contains("hint: DashScope keys are issued per region"),
            "{err}"
        );
        let out = pair.same(&["chat", "--format", "jsonl", "hi"]);
        let line: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(line["type"], "error");
        assert_eq!(line["status"], 401);
    }
    let throttled = json!({"code": "Throttling.RateQuota",
        "message": "Requests rate limit exceeded, please try again later.", "request_id": "t"});
    let pair = Pair::new(error(429, throttled.clone()), error(429, throttled)).await;
    let out = pair.same(&["chat", "--retries", "1", "hi"]);
    assert_eq!(out.status.code(), Some(5));
    assert_eq!(pair.compat.received_requests().await.unwrap().len(), 2);
    assert_eq!(pair.native.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_503_then_success_is_retried_the_same_way() {
    let unavailable = || {
        error(
            503,
            json!({"code": "ServiceUnavailable", "message": "Model is unavailable.", "request_id": "r"}),
        )
    };
    let pair = Pair {
        compat: MockServer::start().await,
        native: MockServer::start().await,
    };
    chat()
        .respond_with(unavailable())
        .up_to_n_times(1)
        .mount(&pair.compat)
        .await;
    chat()
        .respond_with(stream(&["Hello"]))
        .mount(&pair.compat)
        .await;
    native_chat()
        .respond_with(unavailable())
        .up_to_n_times(1)
        .mount(&pair.native)
        .await;
    native_chat()
        .respond_with(native_stream(&["Hello"]))
        .mount(&pair.native)
        .await;
    let out = pair.same(&["chat", "hi"]);
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "Hello\n");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("qwen: retry: 503 ServiceUnavailable"), "{err}");
    let native = bodies(&pair.native).await;
    assert_eq!(native.len(), 2);
    assert_eq!(native[0], native[1], "a retry sends the same body");
}

#[tokio::test]
async fn native_requests_carry_the_native_body_and_headers() {
    let server = MockServer::start().await;
    native_chat()
        .and(header("x-dashscope-sse", "enable"))
        .and(header("accept", "text/event-stream"))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(body_partial_json(json!({
            "model": "qwen-plus",
            "input": {"messages": [{"role": "system", "content": "Be brief."},
                                   {"role": "user", "content": "hi"}]},
            "parameters": {"result_format": "message", "incremental_output": true,
                           "max_tokens": 5, "enable_thinking": false, "n": 2}
        })))
        .respond_with(native_stream(&["ok"]))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&native_base(&server.uri()), dir.path()).args([
        "--api",
        "native",
        "chat",
        "-s",
        "Be brief.",
        "--max-tokens",
        "5",
        "--no-think",
        "--extra",
        "n=2",
        "hi",
    ]))
    .success()
    .stdout("ok\n");
}

#[tokio::test]
async fn an_error_event_after_some_text_ends_the_reply_without_a_retry() {
    let server = MockServer::start().await;
    let body = format!(
        "{}id:2\nevent:error\n:HTTP_STATUS/500\ndata:{{\"code\":\"InternalError\",\
         \"message\":\"An internal error has occured.\",\"request_id\":\"e1\"}}\n\n",
        native_event(
            1,
            &native_chunk(
                json!({"content": "Hel", "role": "assistant"}),
                "null",
                (22, 1)
            )
        )
    );
    native_chat()
        .respond_with(sse_response(body))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a =
        run(qwen(&native_base(&server.uri()), dir.path()).args(["--api", "native", "chat", "hi"]))
            .code(1)
            .stdout("Hel\n");
    let err = stderr(&a);
    // The `x-request-id` header names the request; the event's own id is the fallback (#12).
    assert!(
        err.contains(&format!(
            "500 InternalError: An internal error has occured. (request id {REQUEST_ID})"
        )),
        "{err}"
    );
}

#[tokio::test]
async fn an_error_event_before_any_text_is_retried() {
    let server = MockServer::start().await;
    let body = "id:1\nevent:error\n:HTTP_STATUS/429\ndata:{\"code\":\"Throttling\",\
                \"message\":\"Requests throttling triggered.\",\"request_id\":\"t1\"}\n\n";
    native_chat()
        .respond_with(sse_response(body.to_owned()))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    native_chat()
        .respond_with(native_stream(&["Hello"]))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&native_base(&server.uri()), dir.path()).args(["--api", "native", "chat", "hi"]))
        .success()
        .stdout("Hello\n");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn an_error_in_a_200_body_is_an_error() {
    let server = MockServer::start().await;
    native_chat()
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"code": "InvalidApiKey", "message": "Invalid API-key provided.", "request_id": "k"}),
        ))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&native_base(&server.uri()), dir.path()).args([
        "--api",
        "native",
        "chat",
        "--no-stream",
        "hi",
    ]))
    .code(4);
    assert!(stderr(&a).contains("InvalidApiKey: Invalid API-key provided."));
}

#[tokio::test]
async fn a_stream_that_ends_without_a_finish_reason_was_cut() {
    let server = MockServer::start().await;
    let body = native_event(
        1,
        &native_chunk(
            json!({"content": "Hel", "role": "assistant"}),
            "null",
            (22, 1),
        ),
    );
    native_chat()
        .respond_with(sse_response(body))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a =
        run(qwen(&native_base(&server.uri()), dir.path()).args(["--api", "native", "chat", "hi"]))
            .code(1)
            .stdout("Hel\n");
    assert!(stderr(&a).contains("ended before the reply was complete"));
}

#[tokio::test]
async fn qwen3_5_and_later_use_the_multimodal_path_with_content_parts() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(NATIVE_MULTIMODAL_PATH))
        .and(body_partial_json(json!({
            "input": {"messages": [{"role": "user", "content": [{"text": "hi"}]}]}
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "output": {"choices": [{"finish_reason": "stop", "message": {"role": "assistant",
                "content": [{"text": "Hi "}, {"text": "there"}]}}]},
            "usage": {"input_tokens": 3, "output_tokens": 2}, "request_id": "mm"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&native_base(&server.uri()), dir.path()).args([
        "--api",
        "native",
        "-m",
        "qwen3.6-plus",
        "chat",
        "--no-stream",
        "hi",
    ]))
    .success()
    .stdout("Hi there\n");
}

#[tokio::test]
async fn a_profile_can_choose_the_native_api() {
    let server = MockServer::start().await;
    native_chat()
        .respond_with(native_stream(&["from native"]))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write_config(
        dir.path(),
        &format!(
            "profile = \"n\"\n[profiles.n]\napi = \"native\"\nbase_url = \"{}\"\n",
            native_base(&server.uri())
        ),
    );
    run(qwen(&server.uri(), dir.path())
        .env_remove("DASHSCOPE_BASE_URL")
        .args(["chat", "hi"]))
    .success()
    .stdout("from native\n");
    write_config(dir.path(), "api = \"grpc\"\n");
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).code(2);
    assert!(
        stderr(&a).contains("use compat or native"),
        "{}",
        stderr(&a)
    );
}

#[test]
fn a_region_gives_the_native_root() {
    let dir = tempfile::tempdir().unwrap();
    let trap = Trap::new();
    for (region, url) in [
        (
            "cn",
            "https://dashscope.aliyuncs.com/api/v1/services/aigc/text-generation/generation",
        ),
        (
            "intl",
            "https://dashscope-intl.aliyuncs.com/api/v1/services/aigc/text-generation/generation",
        ),
    ] {
        let mut cmd = qwen("unused", dir.path());
        cmd.env_remove("DASHSCOPE_BASE_URL").args([
            "--api",
            "native",
            "--region",
            region,
            "chat",
            "--dry-run",
            "--format",
            "json",
            "hi",
        ]);
        trap.arm(&mut cmd);
        let a = run(&mut cmd).success();
        let v = &jsonl(&a)[0];
        assert_eq!(v["url"], url);
        assert_eq!(v["headers"]["X-DashScope-SSE"], "enable");
        assert_eq!(v["body"]["input"]["messages"][0]["content"], "hi");
    }
    let mut cmd = qwen("unused", dir.path());
    cmd.env_remove("DASHSCOPE_BASE_URL").args([
        "--region",
        "us",
        "chat",
        "--dry-run",
        "--format",
        "json",
        "hi",
    ]);
    let a = run(&mut cmd).success();
    assert_eq!(
        jsonl(&a)[0]["url"],
        "https://dashscope-us.aliyuncs.com/compatible-mode/v1/chat/completions"
    );
    assert_eq!(trap.connections(), 0);
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
