//! Bodies in the DashScope native protocol (dashscope-protocol.md §4): the native root under
//! a mock server, chunks, streams and whole replies, tool calls.

use super::*;

/// The native root under a mock server: pass `native_base(&server.uri())` as the base URL
/// together with `--api native`.
pub fn native_base(uri: &str) -> String {
    format!("{uri}/api/v1")
}

/// Path of native text generation, as the mock server sees it.
pub const NATIVE_TEXT_PATH: &str = "/api/v1/services/aigc/text-generation/generation";

/// Path of native multimodal generation (Qwen3.5+ and VL/Omni models), as the server sees it.
pub const NATIVE_MULTIMODAL_PATH: &str = "/api/v1/services/aigc/multimodal-generation/generation";

/// A mock for `POST` native text generation.
pub fn native_chat() -> MockBuilder {
    wiremock::Mock::given(method("POST")).and(path(NATIVE_TEXT_PATH))
}

/// One native SSE event: `id:N`, `event:result`, the `:HTTP_STATUS/200` comment and
/// `data:{json}`, with no space after any colon (§4.4).
pub fn native_event(id: usize, data: &Value) -> String {
    format!("id:{id}\nevent:result\n:HTTP_STATUS/200\ndata:{data}\n\n")
}

/// The data of one native event: one choice with `message` and `finish_reason` (the string
/// `"null"` mid-stream), cumulative `usage`, and the request id ([`REQUEST_ID`], what a
/// compat [`stream`] sends as its header, so that a native run prints what the compat run
/// does).
pub fn native_chunk(message: Value, finish_reason: &str, usage: (u64, u64)) -> Value {
    json!({
        "output": {"choices": [{"message": message, "finish_reason": finish_reason}]},
        "usage": {"total_tokens": usage.0 + usage.1, "output_tokens": usage.1,
                  "input_tokens": usage.0},
        "request_id": REQUEST_ID
    })
}

/// The events of a whole native reply: one per piece (reasoning or text), each with running
/// usage totals, then a final event with `finish_reason: "stop"` and usage [`USAGE`].
pub fn native_sse_frames(pieces: &[Piece<'_>]) -> Vec<String> {
    let mut frames = Vec::new();
    for (n, piece) in pieces.iter().enumerate() {
        let message = match piece {
            Piece::Think(t) => {
                json!({"content": "", "reasoning_content": t, "role": "assistant"})
            }
            Piece::Text(t) => json!({"content": t, "reasoning_content": "", "role": "assistant"}),
        };
        let used = (n as u64 + 1).min(USAGE.1);
        frames.push(native_event(
            n + 1,
            &native_chunk(message, "null", (USAGE.0, used)),
        ));
    }
    let last = json!({"content": "", "reasoning_content": "", "role": "assistant"});
    frames.push(native_event(
        pieces.len() + 1,
        &native_chunk(last, "stop", (USAGE.0, USAGE.1)),
    ));
    frames
}

/// A native SSE body streaming `texts` (no `[DONE]`: the stream ends at connection close).
pub fn native_sse(texts: &[&str]) -> String {
    let pieces: Vec<Piece<'_>> = texts.iter().map(|t| Piece::Text(t)).collect();
    native_sse_frames(&pieces).concat()
}

/// A native SSE body with reasoning first, then the answer.
pub fn native_sse_thinking(reasoning: &[&str], texts: &[&str]) -> String {
    let pieces: Vec<Piece<'_>> = reasoning
        .iter()
        .map(|t| Piece::Think(t))
        .chain(texts.iter().map(|t| Piece::Text(t)))
        .collect();
    native_sse_frames(&pieces).concat()
}

/// A 200 native SSE response streaming `texts`.
pub fn native_stream(texts: &[&str]) -> ResponseTemplate {
    sse_response(native_sse(texts))
}

/// A 200 non-stream native reply with `text` (`result_format: "message"`, §4.3).
pub fn native_whole(text: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "output": {"choices": [{"finish_reason": "stop",
                                "message": {"role": "assistant", "content": text}}]},
        "usage": {"input_tokens": USAGE.0, "output_tokens": USAGE.1, "total_tokens": USAGE.2},
        "request_id": REQUEST_ID
    }))
}

/// A native stream asking for `calls` (id, name, arguments): each call's arguments arrive in
/// two fragments, the second with `"id": ""`, the fragments of different calls interleave,
/// and the last event finishes with `tool_calls` (§4.4; the compat shape's native twin).
pub fn native_calls_sse(calls: &[(&str, &str, &str)]) -> String {
    let mut events = Vec::new();
    for (index, (id, name, args)) in calls.iter().enumerate() {
        let cut = args.len() / 2;
        events.push(
            json!({"content": "", "role": "assistant", "tool_calls": [{"index": index,
            "id": id, "type": "function", "function": {"name": name, "arguments": &args[..cut]}}]}),
        );
    }
    for (index, (_, _, args)) in calls.iter().enumerate() {
        let cut = args.len() / 2;
        events.push(
            json!({"content": "", "role": "assistant", "tool_calls": [{"index": index,
            "id": "", "type": "function", "function": {"arguments": &args[cut..]}}]}),
        );
    }
    let mut frames: Vec<String> = events
        .into_iter()
        .enumerate()
        .map(|(n, message)| {
            let used = (n as u64 + 1).min(USAGE.1);
            native_event(n + 1, &native_chunk(message, "null", (USAGE.0, used)))
        })
        .collect();
    let last = json!({"content": "", "role": "assistant"});
    frames.push(native_event(
        frames.len() + 1,
        &native_chunk(last, "tool_calls", (USAGE.0, USAGE.1)),
    ));
    frames.concat()
}
