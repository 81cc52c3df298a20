//! The OpenAI-compatible wire mapping: request bodies, stream chunks, whole responses.
//!
//! DashScope's `/compatible-mode/v1` and local servers (llama.cpp, vLLM, Ollama) speak this.
//! Parsing is lenient where the spec says servers differ: key order, missing
//! `finish_reason`, `"id": ""` on tool-call continuations, `null` everywhere.

use serde::Deserialize;
use serde_json::{Map, Value, json};

mod usage;

use super::ApiError;
use super::media::{Item, Kind};
use super::types::{ChatRequest, Event, Message, Params, ResponseFormat, ToolCallDelta};
pub(crate) use usage::WireUsage;

/// Path of the chat endpoint, relative to the compat base URL.
pub const CHAT_PATH: &str = "/chat/completions";

/// Path of the legacy (raw prompt) completions endpoint, relative to the compat base URL.
pub const COMPLETIONS_PATH: &str = "/completions";

/// Returns the path a request goes to: chat, or completions for a raw prompt.
pub fn path(req: &ChatRequest) -> &'static str {
    if req.prompt.is_some() {
        COMPLETIONS_PATH
    } else {
        CHAT_PATH
    }
}

/// Builds the JSON body of a chat request (or of a completions request, for a raw prompt).
pub fn chat_body(req: &ChatRequest) -> Value {
    let mut body = Map::new();
    body.insert("model".into(), json!(req.model));
    match &req.prompt {
        // `/completions` has no `suffix`: fill-in-the-middle is encoded in the prompt (§3).
        Some(prompt) => body.insert("prompt".into(), json!(prompt)),
        None => body.insert(
            "messages".into(),
            Value::Array(req.messages.iter().map(message).collect()),
        ),
    };
    if req.stream {
        body.insert("stream".into(), json!(true));
        body.insert("stream_options".into(), json!({"include_usage": true}));
    }
    param_fields(&req.params, &mut body);
    if !req.tools.is_empty() && req.prompt.is_none() {
        body.insert("tools".into(), tools(req));
        // DashScope defaults this to false (§2.1); the tool loop runs calls in parallel.
        body.insert("parallel_tool_calls".into(), json!(true));
    }
    for (key, value) in &req.params.extra {
        body.insert(key.clone(), value.clone());
    }
    Value::Object(body)
}

/// Adds the parameters both protocols spell the same way (compat at the top level of the
/// body, native inside `parameters`, dashscope-protocol.md §2.1 and §4.2).
pub(crate) fn param_fields(p: &Params, body: &mut Map<String, Value>) {
    let mut put = |key: &str, value: Option<Value>| {
        if let Some(value) = value {
            body.insert(key.into(), value);
        }
    };
    put("temperature", p.temperature.map(Value::from));
    put("top_p", p.top_p.map(Value::from));
    put("top_k", p.top_k.map(Value::from));
    put("max_tokens", p.max_tokens.map(Value::from));
    put("seed", p.seed.map(Value::from));
    put(
        "stop",
        (!p.stop.is_empty()).then(|| Value::from(p.stop.clone())),
    );
    put("presence_penalty", p.presence_penalty.map(Value::from));
    put("repetition_penalty", p.repetition_penalty.map(Value::from));
    put("enable_thinking", p.enable_thinking.map(Value::from));
    put("thinking_budget", p.thinking_budget.map(Value::from));
    put("enable_search", p.enable_search.map(Value::from));
    put(
        "search_options",
        p.search_options.as_ref().map(|o| json!(o)),
    );
    put(
        "response_format",
        p.response_format.as_ref().map(|f| match f {
            ResponseFormat::JsonObject => json!({"type": "json_object"}),
            ResponseFormat::JsonSchema { name, schema } => json!({
                "type": "json_schema",
                "json_schema": {"name": name, "schema": schema, "strict": true},
            }),
        }),
    );
}

/// The `tools` array: OpenAI function tools, the same in both protocols.
pub(crate) fn tools(req: &ChatRequest) -> Value {
    req.tools
        .iter()
        .map(|t| {
            json!({"type": "function", "function": {
                "name": t.name, "description": t.description, "parameters": t.parameters,
            }})
        })
        .collect()
}

/// One message as both protocols send it (native's multimodal path then wraps `content`).
pub(crate) fn message(m: &Message) -> Value {
    let mut out = Map::new();
    out.insert("role".into(), json!(m.role.as_str()));
    out.insert("content".into(), content(m));
    if !m.tool_calls.is_empty() {
        let calls: Vec<Value> = m
            .tool_calls
            .iter()
            .map(|c| {
                json!({"id": c.id, "type": "function",
                       "function": {"name": c.name, "arguments": c.arguments}})
            })
            .collect();
        out.insert("tool_calls".into(), Value::Array(calls));
        // Qwen wants the reasoning echoed on assistant tool-call turns in thinking mode
        // (dashscope-protocol.md §2.6); elsewhere it would only re-bill the trace.
        if let Some(reasoning) = &m.reasoning {
            out.insert("reasoning_content".into(), json!(reasoning));
        }
    }
    if let Some(id) = &m.tool_call_id {
        out.insert("tool_call_id".into(), json!(id));
    }
    if m.partial {
        out.insert("partial".into(), json!(true));
    }
    Value::Object(out)
}

/// The marker of the explicit prompt cache (dashscope-protocol.md §11.5).
pub(crate) fn cache_control() -> Value {
    json!({"type": "ephemeral"})
}

/// A message's text as parts when it carries an explicit-cache marker, which a string cannot
/// hold: the text up to the marker as one marked part, the rest (if any) as a second part
/// (research-wire.md §4). `typed` parts carry `"type":"text"` (compat, and native's text path,
/// as the SDK sends them); native's multimodal path leaves `type` out. `None` when unmarked.
pub(crate) fn marked_text(m: &Message, typed: bool) -> Option<Vec<Value>> {
    let at = m.cache_at.filter(|at| m.content.is_char_boundary(*at))?;
    let part = |text: &str| {
        let mut part = Map::new();
        if typed {
            part.insert("type".into(), json!("text"));
        }
        part.insert("text".into(), json!(text));
        part
    };
    let (head, tail) = m.content.split_at(at);
    let mut marked = part(head);
    marked.insert("cache_control".into(), cache_control());
    let mut parts = vec![Value::Object(marked)];
    if !tail.is_empty() {
        parts.push(Value::Object(part(tail)));
    }
    Some(parts)
}

/// A message's `content`: the text as a plain string, or an array of OpenAI content parts
/// when it needs one: the text first (split at an explicit-cache marker), then the media
/// parts in order (dashscope-protocol.md §11.1). The one place compat content is built.
pub(crate) fn content(m: &Message) -> Value {
    let marked = marked_text(m, true);
    if marked.is_none() && m.parts.is_empty() {
        return json!(m.content);
    }
    let mut parts = marked.unwrap_or_default();
    if parts.is_empty() && !m.content.is_empty() {
        parts.push(json!({"type": "text", "text": m.content}));
    }
    for part in &m.parts {
        let first = || part.items.first().map(Item::wire).unwrap_or_default();
        parts.push(match part.kind {
            Kind::Image => json!({"type": "image_url", "image_url": {"url": first()}}),
            Kind::Video if part.frames => {
                let frames: Vec<String> = part.items.iter().map(Item::wire).collect();
                json!({"type": "video", "video": frames})
            }
            Kind::Video => json!({"type": "video_url", "video_url": {"url": first()}}),
            Kind::Audio => json!({"type": "input_audio",
                                  "input_audio": {"data": first(), "format": part.format}}),
        });
    }
    Value::Array(parts)
}

#[derive(Deserialize)]
struct Chunk {
    #[serde(default)]
    request_id: Option<String>,
    #[serde(default)]
    model: Option<String>,
    #[serde(default)]
    choices: Vec<Choice>,
    #[serde(default)]
    usage: Option<WireUsage>,
    #[serde(default)]
    error: Option<Value>,
}

/// One choice of a chunk or response (native `output.choices[]` has the same shape).
#[derive(Deserialize)]
pub(crate) struct Choice {
    #[serde(default)]
    delta: Option<WireMessage>,
    #[serde(default)]
    message: Option<WireMessage>,
    /// `/completions` (`text_completion`) choices carry text instead of a message.
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    finish_reason: Option<String>,
}

#[derive(Deserialize, Default)]
struct WireMessage {
    #[serde(default)]
    content: Option<Value>,
    #[serde(default)]
    reasoning_content: Option<String>,
    /// Ollama and some vLLM builds name it `reasoning`.
    #[serde(default)]
    reasoning: Option<String>,
    #[serde(default)]
    tool_calls: Option<Vec<WireToolCall>>,
    /// Omni speech (`modalities: ["text","audio"]`): every key optional.
    #[serde(default)]
    audio: Option<WireAudio>,
}

#[derive(Deserialize, Default)]
struct WireAudio {
    /// Base64 of raw PCM (s16le, 24 kHz, mono); each chunk decodes on its own.
    #[serde(default)]
    data: Option<String>,
    /// What is being said, sent by some deltas instead of text.
    #[serde(default)]
    transcript: Option<String>,
}

#[derive(Deserialize)]
struct WireToolCall {
    #[serde(default)]
    index: Option<usize>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    function: Option<WireFunction>,
}

#[derive(Deserialize)]
struct WireFunction {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    arguments: Option<Value>,
}

/// Maps one stream chunk (`data:` JSON) to events, appending them to `out`.
pub fn chunk_events(data: &str, out: &mut Vec<Event>) -> Result<(), ApiError> {
    let chunk: Chunk = serde_json::from_str(data).map_err(|e| {
        ApiError::Stream(format!(
            "malformed chunk in response stream ({e}): {}",
            snippet(data)
        ))
    })?;
    if chunk.error.is_some() {
        // Not documented for compat streams; the SDK treats an `error` object as one. The
        // whole chunk is the error body: its top-level `request_id` is the request's id.
        return Err(super::error_from_body(None, data, None));
    }
    push_chunk(chunk, out)
}

fn push_chunk(chunk: Chunk, out: &mut Vec<Event>) -> Result<(), ApiError> {
    if chunk.model.is_some() || chunk.request_id.is_some() {
        out.push(Event::Meta {
            model: chunk.model.map(server_name),
            // The `x-request-id` header, when present, was recorded first and wins. The
            // chunk's `id` (`chatcmpl-…`) is the completion's id, not the request's: a
            // local server makes one up, so it is never reported as one.
            request_id: chunk.request_id.map(server_name),
        });
    }
    for choice in chunk.choices {
        push_choice(choice, out)?;
    }
    if let Some(usage) = chunk.usage {
        out.push(Event::Usage(usage.to_usage()));
    }
    Ok(())
}

/// Maps one choice to events: reasoning, text, tool-call pieces, then the finish reason.
pub(crate) fn push_choice(choice: Choice, out: &mut Vec<Event>) -> Result<(), ApiError> {
    if let Some(msg) = choice.delta.or(choice.message) {
        push_message(msg, out)?;
    }
    if let Some(text) = choice.text.filter(|t| !t.is_empty()) {
        out.push(Event::Text(text));
    }
    push_finish(choice.finish_reason, out);
    Ok(())
}

/// Adds a finish reason; the native protocol sends the string `"null"` mid-stream.
pub(crate) fn push_finish(reason: Option<String>, out: &mut Vec<Event>) {
    if let Some(reason) = reason.filter(|r| !r.is_empty() && r != "null") {
        out.push(Event::Finish(server_name(reason)));
    }
}

/// A short string the server names something with (model, finish reason, request id), as
/// it may be shown, printed and stored: keys redacted, control characters (line breaks
/// too) escaped, so that no later printer can forge a line or drive a terminal with it.
pub(crate) fn server_name(text: String) -> String {
    let text = crate::secret::scrub(text);
    match crate::term::printable(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(clean) => clean,
    }
}

fn push_message(msg: WireMessage, out: &mut Vec<Event>) -> Result<(), ApiError> {
    if let Some(reasoning) = msg.reasoning_content.or(msg.reasoning)
        && !reasoning.is_empty()
    {
        out.push(Event::Reasoning(reasoning));
    }
    let text = msg.content.as_ref().and_then(content_text);
    if let Some(text) = text.as_ref().filter(|t| !t.is_empty()) {
        out.push(Event::Text(text.clone()));
    }
    if let Some(audio) = msg.audio {
        // A transcript is the text only where the delta carries none of its own.
        if let Some(said) = audio.transcript.filter(|t| !t.is_empty())
            && text.as_deref().is_none_or(str::is_empty)
        {
            out.push(Event::Text(said));
        }
        if let Some(data) = audio.data.filter(|d| !d.is_empty()) {
            use base64::Engine as _;
            let pcm = base64::engine::general_purpose::STANDARD
                .decode(data.as_bytes())
                .map_err(|e| ApiError::Stream(format!("audio data is not base64: {e}")))?;
            out.push(Event::Audio(pcm));
        }
    }
    for (position, call) in msg.tool_calls.into_iter().flatten().enumerate() {
        let function = call.function;
        out.push(Event::ToolCall(ToolCallDelta {
            index: call.index.unwrap_or(position),
            id: call.id,
            name: function.as_ref().and_then(|f| f.name.clone()),
            arguments: function.and_then(|f| match f.arguments {
                Some(Value::String(s)) => Some(s),
                Some(Value::Null) | None => None,
                // A server that sends arguments as an object rather than JSON text.
                Some(other) => Some(other.to_string()),
            }),
        }));
    }
    Ok(())
}

/// Content is a string, or (multimodal) a list of parts with `text`.
pub(crate) fn content_text(content: &Value) -> Option<String> {
    match content {
        Value::String(s) => Some(s.clone()),
        Value::Array(parts) => Some(
            parts
                .iter()
                .filter_map(|p| p.get("text").and_then(Value::as_str))
                .collect(),
        ),
        _ => None,
    }
}

/// Maps a whole (non-stream) response body to the same events a stream would produce.
pub fn response_events(body: &str) -> Result<Vec<Event>, ApiError> {
    let chunk: Chunk = serde_json::from_str(body).map_err(|e| {
        ApiError::Stream(format!("malformed response body ({e}): {}", snippet(body)))
    })?;
    if chunk.error.is_some() {
        // An error object in a 200 body: the same shape as a non-2xx one, `request_id` too.
        return Err(super::error_from_body(None, body, None));
    }
    if chunk.choices.is_empty() {
        return Err(ApiError::Stream(format!(
            "response has no choices: {}",
            snippet(body)
        )));
    }
    let mut out = Vec::new();
    push_chunk(chunk, &mut out)?;
    Ok(out)
}

/// The first 200 characters of a body, for error messages: scrubbed of keys, on one line
/// and without terminal controls.
pub(crate) fn snippet(text: &str) -> String {
    // Runs of white space (a body's `\r\n` and indentation) read as one space, not as
    // escaped `\u{d}\u{a}`.
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = crate::secret::redact(&text);
    let text = match text.char_indices().nth(200) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.into_owned(),
    };
    crate::term::printable(&text).into_owned()
}

#[cfg(test)]
mod tests;
