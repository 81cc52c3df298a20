//! Native mapping tests: request bodies, and captured-shape streams (dashscope-protocol.md
//! §4.4) fed through the real SSE parser and [`Reply`] at every byte boundary.

use futures_util::{StreamExt, stream};
use serde_json::json;

use super::*;
use crate::api::types::{Completion, Message, Params, ResponseFormat, Role, ToolSpec, Usage};
use crate::api::{Endpoint, Protocol, Reply, prepare_chat, sse};

#[derive(Debug)]
struct Never;
impl From<Never> for ApiError {
    fn from(_: Never) -> Self {
        unreachable!()
    }
}

/// Feeds `pieces` to the SSE parser and a native [`Reply`]; returns the assembled reply and
/// how reading it ended.
fn replay(pieces: Vec<Vec<u8>>) -> (Completion, Result<(), ApiError>) {
    let body = stream::iter(pieces.into_iter().map(Ok::<_, Never>));
    let events = sse::events(body, sse::DEFAULT_MAX_EVENT_SIZE).boxed_local();
    let mut reply = Reply::from_sse(events, Protocol::Native);
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut completion = Completion::default();
        let mut partial = Vec::new();
        loop {
            match reply.next().await {
                Ok(Some(event)) => completion.absorb(&event, &mut partial),
                Ok(None) => break,
                Err(err) => return (completion, Err(err)),
            }
        }
        completion.finish_tool_calls(partial);
        (completion, Ok(()))
    })
}

/// Checks that every two-piece split of `body` reads the same as the whole body.
fn same_at_every_cut(body: &[u8]) -> (Completion, Result<(), ApiError>) {
    let (whole, result) = replay(vec![body.to_vec()]);
    for cut in 1..body.len() {
        let (got, got_result) = replay(vec![body[..cut].to_vec(), body[cut..].to_vec()]);
        assert_eq!(got, whole, "cut at {cut}");
        assert_eq!(
            got_result.as_ref().map_err(ToString::to_string),
            result.as_ref().map_err(ToString::to_string),
            "cut at {cut}"
        );
    }
    (whole, result)
}

/// The thinking → answer stream of §4.4, verbatim.
const THINKING: &str = "id:1
event:result
:HTTP_STATUS/200
data:{\"output\":{\"choices\":[{\"message\":{\"content\":\"\",\"reasoning_content\":\"The user\",\"role\":\"assistant\"},\"finish_reason\":\"null\"}]},\"usage\":{\"total_tokens\":31,\"output_tokens\":2,\"input_tokens\":29,\"output_tokens_details\":{\"reasoning_tokens\":2}},\"request_id\":\"5f0a…\"}

id:2
event:result
:HTTP_STATUS/200
data:{\"output\":{\"choices\":[{\"message\":{\"content\":\"\",\"reasoning_content\":\" greets me.\",\"role\":\"assistant\"},\"finish_reason\":\"null\"}]},\"usage\":{\"total_tokens\":35,\"output_tokens\":6,\"input_tokens\":29,\"output_tokens_details\":{\"reasoning_tokens\":6}},\"request_id\":\"5f0a…\"}

id:3
event:result
:HTTP_STATUS/200
data:{\"output\":{\"choices\":[{\"message\":{\"content\":\"Hello!\",\"reasoning_content\":\"\",\"role\":\"assistant\"},\"finish_reason\":\"null\"}]},\"usage\":{\"total_tokens\":37,\"output_tokens\":8,\"input_tokens\":29,\"output_tokens_details\":{\"reasoning_tokens\":6}},\"request_id\":\"5f0a…\"}

id:4
event:result
:HTTP_STATUS/200
data:{\"output\":{\"choices\":[{\"message\":{\"content\":\"\",\"reasoning_content\":\"\",\"role\":\"assistant\"},\"finish_reason\":\"stop\"}]},\"usage\":{\"total_tokens\":37,\"output_tokens\":8,\"input_tokens\":29,\"output_tokens_details\":{\"reasoning_tokens\":6}},\"request_id\":\"5f0a…\"}

";

#[test]
fn spec_thinking_stream_reads_the_same_at_every_byte_boundary() {
    let (c, result) = same_at_every_cut(THINKING.as_bytes());
    result.unwrap();
    assert_eq!(c.reasoning, "The user greets me.");
    assert_eq!(c.text, "Hello!");
    assert_eq!(c.finish_reason.as_deref(), Some("stop"));
    assert_eq!(c.request_id.as_deref(), Some("5f0a…"));
    // Usage is cumulative on every event: the last one wins, nothing is summed.
    assert_eq!(
        c.usage,
        Some(Usage {
            prompt_tokens: 29,
            completion_tokens: 8,
            total_tokens: 37,
            reasoning_tokens: 6,
            cached_tokens: 0,
            ..Default::default()
        })
    );
}

/// An incremental tool-call stream (§4.4: the same fragments as compat, `"null"` finish
/// reasons mid-stream, `tool_calls` at the end).
const TOOL_CALL: &str = "id:1
event:result
:HTTP_STATUS/200
data:{\"output\":{\"choices\":[{\"message\":{\"content\":\"\",\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,\"id\":\"call_0bdc\",\"type\":\"function\",\"function\":{\"name\":\"get_current_weather\",\"arguments\":\"{\\\"location\\\":\"}}]},\"finish_reason\":\"null\"}]},\"usage\":{\"total_tokens\":240,\"output_tokens\":10,\"input_tokens\":230},\"request_id\":\"9c1e\"}

id:2
event:result
:HTTP_STATUS/200
data:{\"output\":{\"choices\":[{\"message\":{\"content\":\"\",\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,\"id\":\"\",\"type\":\"function\",\"function\":{\"arguments\":\" \\\"Hangzhou\\\"}\"}}]},\"finish_reason\":\"null\"}]},\"usage\":{\"total_tokens\":251,\"output_tokens\":21,\"input_tokens\":230},\"request_id\":\"9c1e\"}

id:3
event:result
:HTTP_STATUS/200
data:{\"output\":{\"choices\":[{\"message\":{\"content\":\"\",\"role\":\"assistant\"},\"finish_reason\":\"tool_calls\"}]},\"usage\":{\"total_tokens\":251,\"output_tokens\":21,\"input_tokens\":230},\"request_id\":\"9c1e\"}
";

#[test]
fn tool_call_stream_assembles_at_every_byte_boundary() {
    // No blank line after the last event: the connection closed right after it.
    let (c, result) = same_at_every_cut(TOOL_CALL.as_bytes());
    result.unwrap();
    assert_eq!(c.finish_reason.as_deref(), Some("tool_calls"));
    assert_eq!(c.tool_calls.len(), 1);
    assert_eq!(c.tool_calls[0].id, "call_0bdc");
    assert_eq!(c.tool_calls[0].name, "get_current_weather");
    assert_eq!(c.tool_calls[0].arguments, "{\"location\": \"Hangzhou\"}");
    assert_eq!(c.usage.unwrap().completion_tokens, 21);
    assert_eq!(c.text, "");
}

#[test]
fn error_event_mid_stream_is_an_api_error_at_every_byte_boundary() {
    let first = THINKING.split("\n\n").nth(2).unwrap(); // the "Hello!" event
    let body = format!(
        "{first}\n\nid:2\nevent:error\n:HTTP_STATUS/400\ndata:{{\"code\":\"InvalidParameter\",\
         \"message\":\"<400> InternalError.Algo.InvalidParameter: Range of input length should be [1, 983616]\",\
         \"request_id\":\"bd41\"}}\n\n"
    );
    let (c, result) = same_at_every_cut(body.as_bytes());
    assert_eq!(c.text, "Hello!");
    let err = result.unwrap_err();
    assert_eq!(err.code(), Some("InvalidParameter"));
    assert_eq!(err.status(), Some(400));
    assert!(!err.is_retryable());
    assert!(err.hint().unwrap().contains("983616"), "{:?}", err.hint());
}

#[test]
fn throttling_error_event_is_retryable() {
    let body = "id:1\nevent:error\n:HTTP_STATUS/429\ndata:{\"code\":\"Throttling.RateQuota\",\
                \"message\":\"Requests rate limit exceeded\",\"request_id\":\"x\"}\n\n";
    let (_, result) = replay(vec![body.as_bytes().to_vec()]);
    let err = result.unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert!(err.is_retryable());
}

#[test]
fn a_stream_cut_before_its_finish_reason_is_reported() {
    // No `[DONE]` in native streams: only a finish reason makes the end expected.
    let events: Vec<&str> = THINKING.split_inclusive("\n\n").collect();
    for keep in 0..events.len() {
        let body = events[..keep].concat();
        let (_, result) = replay(vec![body.into_bytes()]);
        let err = result.unwrap_err();
        assert!(err.to_string().contains("ended before"), "{keep}: {err}");
    }
    let body = events.concat();
    for cut in 1..body.len() - 2 {
        let (_, result) = replay(vec![body.as_bytes()[..cut].to_vec()]);
        assert!(result.is_err(), "truncated at {cut} should fail");
    }
}

#[test]
fn an_error_object_in_a_result_event_is_an_error() {
    let body = "id:1\nevent:result\n:HTTP_STATUS/200\ndata:{\"code\":\"InvalidParameter\",\
                \"message\":\"url error, please check url\",\"request_id\":\"u1\"}\n\n";
    let (_, result) = replay(vec![body.as_bytes().to_vec()]);
    let err = result.unwrap_err();
    assert!(err.to_string().contains("url error"), "{err}");
}

#[test]
fn whole_responses_in_both_shapes() {
    let message = r#"{"output":{"choices":[{"finish_reason":"stop","message":{"role":"assistant",
        "content":"I am Qwen.","reasoning_content":"Who am I?"}}]},
        "usage":{"input_tokens":22,"output_tokens":17,"total_tokens":39,
        "prompt_tokens_details":{"cached_tokens":8}},"request_id":"87f7"}"#;
    let events = response_events(message).unwrap();
    assert_eq!(
        events,
        vec![
            Event::Meta {
                model: None,
                request_id: Some("87f7".into())
            },
            Event::Reasoning("Who am I?".into()),
            Event::Text("I am Qwen.".into()),
            Event::Finish("stop".into()),
            Event::Usage(Usage {
                prompt_tokens: 22,
                completion_tokens: 17,
                total_tokens: 39,
                reasoning_tokens: 0,
                cached_tokens: 8,
                ..Default::default()
            }),
        ]
    );
    let text = r#"{"output":{"finish_reason":"stop","text":"I am Qwen …"},
        "usage":{"input_tokens":22,"output_tokens":17},"request_id":"902f"}"#;
    let events = response_events(text).unwrap();
    assert!(events.contains(&Event::Text("I am Qwen …".into())));
    assert!(events.contains(&Event::Finish("stop".into())));
    // `total_tokens` is optional in native usage: it is the sum then.
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::Usage(u) if u.total_tokens == 39))
    );
    let parts = r#"{"output":{"choices":[{"finish_reason":"stop","message":{"role":"assistant",
        "content":[{"text":"Hi"},{"text":" there"}]}}]},"request_id":"m"}"#;
    assert!(
        response_events(parts)
            .unwrap()
            .contains(&Event::Text("Hi there".into()))
    );
}

#[test]
fn errors_in_whole_bodies() {
    let err = response_events(
        r#"{"code":"InvalidApiKey","message":"Invalid API-key provided.","request_id":"824f"}"#,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "401 InvalidApiKey: Invalid API-key provided. (request id 824f)"
    );
    assert!(response_events(r#"{"request_id":"x"}"#).is_err());
    assert!(response_events("not json").is_err());
    // An empty `code` is no error (some relays print one on success).
    assert!(
        response_events(r#"{"code":"","output":{"text":"ok","finish_reason":"stop"}}"#).is_ok()
    );
}

fn request(model: &str, stream: bool) -> ChatRequest {
    ChatRequest {
        model: model.into(),
        messages: vec![
            Message::new(Role::System, "Be brief."),
            Message::new(Role::User, "Who are you?"),
        ],
        params: Params::default(),
        tools: vec![],
        stream,
        prompt: None,
    }
}

#[test]
fn body_maps_every_parameter_into_parameters() {
    let mut req = request("qwen-plus", true);
    req.params = Params {
        temperature: Some(0.7),
        top_p: Some(0.8),
        top_k: Some(20),
        max_tokens: Some(1024),
        seed: Some(42),
        stop: vec!["END".into()],
        presence_penalty: Some(-0.5),
        repetition_penalty: Some(1.05),
        enable_thinking: Some(true),
        thinking_budget: Some(2048),
        enable_search: Some(true),
        search_options: None,
        response_format: Some(ResponseFormat::JsonObject),
        extra: [("n".to_owned(), json!(2)), ("top_k".to_owned(), json!(5))]
            .into_iter()
            .collect(),
    };
    req.tools = vec![ToolSpec {
        name: "get_time".into(),
        description: "Tells the time.".into(),
        parameters: json!({"type": "object"}),
    }];
    let body = generation_body(&req);
    assert_eq!(
        body,
        json!({
            "model": "qwen-plus",
            "input": {"messages": [
                {"role": "system", "content": "Be brief."},
                {"role": "user", "content": "Who are you?"}
            ]},
            "parameters": {
                "result_format": "message", "incremental_output": true,
                "temperature": 0.7, "top_p": 0.8, "top_k": 5, "max_tokens": 1024,
                "seed": 42, "stop": ["END"], "presence_penalty": -0.5,
                "repetition_penalty": 1.05, "enable_thinking": true,
                "thinking_budget": 2048, "enable_search": true,
                "response_format": {"type": "json_object"},
                "tools": [{"type": "function", "function": {"name": "get_time",
                    "description": "Tells the time.", "parameters": {"type": "object"}}}],
                "parallel_tool_calls": true,
                "n": 2
            }
        })
    );
    assert!(body.get("stream").is_none());
}

#[test]
fn whole_requests_ask_for_no_incremental_output() {
    let body = generation_body(&request("qwen-plus", false));
    assert_eq!(body["parameters"], json!({"result_format": "message"}));
}

#[test]
fn multimodal_models_get_content_parts_and_their_own_path() {
    let body = generation_body(&request("qwen3.6-plus", true));
    assert_eq!(
        body["input"]["messages"][1],
        json!({"role": "user", "content": [{"text": "Who are you?"}]})
    );
    for model in [
        "qwen3.5-plus",
        "qwen3.6-flash",
        "qwen3.7-max",
        "qwen3.8-omni-flash",
        "qwen3.10-plus",
        "qwen-vl-max",
        "qwen3-vl-plus",
        "qvq-max",
        "qwen-omni-turbo",
        "qwen2-audio-instruct",
    ] {
        assert_eq!(
            generation_path(model),
            MULTIMODAL_GENERATION_PATH,
            "{model}"
        );
    }
    for model in [
        "qwen-plus",
        "qwen3-max",
        "qwen3-235b-a22b",
        "qwen3-coder-plus",
        "qwq-plus",
        "qwen2.5-coder-7b-instruct",
        "qwen3.1-plus",
    ] {
        assert_eq!(generation_path(model), TEXT_GENERATION_PATH, "{model}");
    }
}

#[test]
fn raw_prompts_go_in_input_prompt() {
    let mut req = request("qwen-coder-turbo", true);
    req.prompt = Some("<|fim_prefix|>def f():<|fim_suffix|>".into());
    req.tools = vec![ToolSpec {
        name: "x".into(),
        description: String::new(),
        parameters: json!({}),
    }];
    let body = generation_body(&req);
    assert_eq!(
        body["input"],
        json!({"prompt": "<|fim_prefix|>def f():<|fim_suffix|>"})
    );
    assert!(body["parameters"].get("tools").is_none());
}

#[test]
fn prepared_native_stream_request() {
    let endpoint = Endpoint {
        base_url: "https://dashscope-intl.aliyuncs.com/api/v1".into(),
        key: None,
        workspace: Some("ws-1".into()),
        protocol: Protocol::Native,
        allow_insecure_http: false,
        max_event_size: crate::api::sse::DEFAULT_MAX_EVENT_SIZE,
        routes: None,
    };
    let p = prepare_chat(&endpoint, &request("qwen-plus", true));
    assert_eq!(
        p.url,
        "https://dashscope-intl.aliyuncs.com/api/v1/services/aigc/text-generation/generation"
    );
    let has = |name: &str, value: &str| p.headers.iter().any(|(n, v)| n == name && v == value);
    assert!(has("X-DashScope-SSE", "enable"));
    assert!(has("Accept", "text/event-stream"));
    assert!(has("X-DashScope-WorkSpace", "ws-1"));
    let p = prepare_chat(&endpoint, &request("qwen-plus", false));
    assert!(!p.headers.iter().any(|(n, _)| n == "X-DashScope-SSE"));
}

#[test]
fn cache_markers_on_both_native_paths() {
    let mut req = request("qwen-plus", false);
    req.messages[0].cache_at = Some(9);
    let body = generation_body(&req);
    assert_eq!(
        body["input"]["messages"][0]["content"],
        json!([{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}])
    );
    assert_eq!(
        body["input"]["messages"][1]["content"],
        json!("Who are you?")
    );
    req.model = "qwen3.6-plus".into();
    req.messages[1].cache_at = Some(4);
    let body = generation_body(&req);
    assert_eq!(
        body["input"]["messages"][1]["content"],
        json!([{"text": "Who ", "cache_control": {"type": "ephemeral"}}, {"text": "are you?"}])
    );
    // Usage: the same keys as compat.
    let hit = r#"{"output":{"choices":[{"message":{"role":"assistant","content":"x"},"finish_reason":"stop"}]},"usage":{"input_tokens":2000,"output_tokens":3,"total_tokens":2003,"prompt_tokens_details":{"cache_type":"ephemeral","cached_tokens":1900,"cache_creation_input_tokens":0}},"request_id":"r"}"#;
    let usage = response_events(hit)
        .unwrap()
        .into_iter()
        .find_map(|e| match e {
            Event::Usage(u) => Some(u),
            _ => None,
        })
        .unwrap();
    assert_eq!((usage.cached_tokens, usage.explicit_cache), (1900, true));
}

#[test]
fn media_tokens_come_from_either_protocols_details() {
    // Native multimodal (qwen-vl-max doc example, research-wire.md §8).
    let data = r#"{"output":{"choices":[{"message":{"role":"assistant","content":[{"text":"ok"}]},"finish_reason":"stop"}]},"usage":{"input_tokens":1292,"output_tokens":87,"total_tokens":1379,"input_tokens_details":{"text_tokens":43,"image_tokens":1249},"output_tokens_details":{"text_tokens":87},"image_tokens":1249,"cached_tokens":1152},"request_id":"r"}"#;
    let mut events = Vec::new();
    chunk_events(data, &mut events).unwrap();
    let usage = events.iter().find_map(|e| match e {
        Event::Usage(u) => Some(*u),
        _ => None,
    });
    let u = usage.unwrap();
    assert_eq!(
        (u.prompt_tokens, u.image_tokens, u.cached_tokens),
        (1292, 1249, 1152)
    );
    // Compat (§11.1): `prompt_tokens_details`.
    let chunk = r#"{"choices":[],"usage":{"prompt_tokens":900,"completion_tokens":5,"total_tokens":905,"prompt_tokens_details":{"audio_tokens":300,"video_tokens":500,"image_tokens":40}}}"#;
    let mut events = Vec::new();
    crate::api::compat::chunk_events(chunk, &mut events).unwrap();
    let Some(Event::Usage(u)) = events.last() else {
        panic!("{events:?}")
    };
    assert_eq!(
        (u.image_tokens, u.audio_tokens, u.video_tokens),
        (40, 300, 500)
    );
}

mod sources;
