//! Compat mapping tests: request bodies, stream chunks, whole responses and usage.

use super::*;
use crate::api::types::{Completion, Params, Role};

fn req() -> ChatRequest {
    ChatRequest {
        model: "qwen-plus".into(),
        messages: vec![Message::new(Role::User, "hi")],
        params: Params::default(),
        tools: vec![],
        stream: true,
        prompt: None,
    }
}

#[test]
fn stream_body_always_asks_for_usage() {
    let body = chat_body(&req());
    assert_eq!(body["stream"], json!(true));
    assert_eq!(body["stream_options"], json!({"include_usage": true}));
    assert!(body.get("temperature").is_none());
}

#[test]
fn a_cache_marker_turns_content_into_text_parts() {
    let mut r = req();
    r.messages.insert(0, Message::new(Role::System, "sys"));
    r.messages[0].cache_at = Some(3);
    r.messages[1].content = "FILES\n\nq".into();
    r.messages[1].cache_at = Some(7);
    let body = chat_body(&r);
    assert_eq!(
        body["messages"][0]["content"],
        json!([{"type": "text", "text": "sys", "cache_control": {"type": "ephemeral"}}])
    );
    assert_eq!(
        body["messages"][1]["content"],
        json!([{"type": "text", "text": "FILES\n\n", "cache_control": {"type": "ephemeral"}},
               {"type": "text", "text": "q"}])
    );
    r.messages[0].cache_at = None;
    assert_eq!(chat_body(&r)["messages"][0]["content"], json!("sys"));
}

#[test]
fn explicit_cache_usage_is_read() {
    let create = r#"{"choices":[{"message":{"content":"x"},"finish_reason":"stop"}],"usage":{"prompt_tokens":18628,"completion_tokens":344,"total_tokens":18972,"prompt_tokens_details":{"text_tokens":18628,"cache_creation_input_tokens":18613,"cache_type":"ephemeral","cached_tokens":0}}}"#;
    let hit = r#"{"choices":[{"message":{"content":"x"},"finish_reason":"stop"}],"usage":{"prompt_tokens":18628,"completion_tokens":344,"total_tokens":18972,"prompt_tokens_details":{"cache_creation":{"ephemeral_5m_input_tokens":0},"cache_type":"ephemeral","cached_tokens":18613}}}"#;
    let implicit = r#"{"choices":[{"message":{"content":"x"},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":1,"total_tokens":11,"prompt_tokens_details":{"cache_type":"implicit","cached_tokens":8}}}"#;
    let usage = |body: &str| {
        response_events(body)
            .unwrap()
            .into_iter()
            .find_map(|e| match e {
                Event::Usage(u) => Some(u),
                _ => None,
            })
            .unwrap()
    };
    let u = usage(create);
    assert_eq!(
        (u.cache_write_tokens, u.cached_tokens, u.explicit_cache),
        (18613, 0, true)
    );
    let u = usage(hit);
    assert_eq!(
        (u.cache_write_tokens, u.cached_tokens, u.explicit_cache),
        (0, 18613, true)
    );
    let u = usage(implicit);
    assert_eq!(
        (u.cache_write_tokens, u.cached_tokens, u.explicit_cache),
        (0, 8, false)
    );
}

#[test]
fn extra_fields_override_and_pass_through() {
    let mut r = req();
    r.params.temperature = Some(0.5);
    r.params.extra.insert("temperature".into(), json!(0.1));
    r.params.extra.insert("n".into(), json!(2));
    let body = chat_body(&r);
    assert_eq!(body["temperature"], json!(0.1));
    assert_eq!(body["n"], json!(2));
}

#[test]
fn spec_stream_with_thinking_and_tool_call() {
    let lines = [
        r#"{"choices":[{"delta":{"content":null,"reasoning_content":"","role":"assistant"},"index":0,"logprobs":null,"finish_reason":null}],"object":"chat.completion.chunk","usage":null,"created":1,"system_fingerprint":null,"model":"qwen-plus","id":"chatcmpl-6b9f"}"#,
        r#"{"choices":[{"finish_reason":null,"logprobs":null,"delta":{"content":null,"reasoning_content":"The user"},"index":0}],"object":"chat.completion.chunk","usage":null,"created":1,"model":"qwen-plus","id":"chatcmpl-6b9f"}"#,
        r#"{"choices":[{"delta":{"content":null,"tool_calls":[{"index":0,"id":"call_0b","type":"function","function":{"name":"get_current_weather","arguments":"{\"location\":"}}]},"finish_reason":null,"index":0}],"model":"qwen-plus","id":"chatcmpl-6b9f"}"#,
        r#"{"choices":[{"delta":{"tool_calls":[{"function":{"arguments":" \"Hangzhou\"}"},"index":0,"id":"","type":"function"}]},"index":0}],"model":"qwen-plus","id":"chatcmpl-6b9f"}"#,
        r#"{"choices":[{"finish_reason":"tool_calls","delta":{},"index":0,"logprobs":null}],"model":"qwen-plus","id":"chatcmpl-6b9f"}"#,
        r#"{"choices":[],"usage":{"prompt_tokens":230,"completion_tokens":61,"total_tokens":291,"completion_tokens_details":{"reasoning_tokens":38}},"model":"qwen-plus","id":"chatcmpl-6b9f"}"#,
    ];
    let mut events = Vec::new();
    for line in lines {
        chunk_events(line, &mut events).unwrap();
    }
    let mut c = Completion::default();
    let mut partial = Vec::new();
    for e in &events {
        c.absorb(e, &mut partial);
    }
    c.finish_tool_calls(partial);
    assert_eq!(c.reasoning, "The user");
    assert_eq!(c.text, "");
    assert_eq!(c.model, "qwen-plus");
    assert_eq!(c.finish_reason.as_deref(), Some("tool_calls"));
    assert_eq!(c.tool_calls[0].arguments, "{\"location\": \"Hangzhou\"}");
    let u = c.usage.unwrap();
    assert_eq!((u.prompt_tokens, u.reasoning_tokens), (230, 38));
}

#[test]
fn whole_response_and_llama_capture() {
    let body = include_str!("../../../tests/fixtures/llama-chat.json");
    let events = response_events(body).unwrap();
    assert!(events.contains(&Event::Text("Say hello.".into())));
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::Usage(u) if u.cached_tokens == 30))
    );
}

#[test]
fn malformed_chunk_is_a_stream_error() {
    let mut events = Vec::new();
    let err = chunk_events("{not json", &mut events).unwrap_err();
    assert!(matches!(err, ApiError::Stream(_)), "{err:?}");
}

#[test]
fn error_object_in_stream_is_an_api_error() {
    let mut events = Vec::new();
    let err = chunk_events(
        r#"{"error":{"message":"boom","code":"InternalError"}}"#,
        &mut events,
    )
    .unwrap_err();
    assert_eq!(err.code(), Some("InternalError"));
}

#[test]
fn snippets_collapse_white_space_and_escape_the_rest() {
    assert_eq!(
        snippet("<html>\r\n  <body>bad\tgateway</body>\r\n</html>\r\n"),
        "<html> <body>bad gateway</body> </html>"
    );
    assert_eq!(snippet("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
}
