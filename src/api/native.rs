//! The DashScope native wire mapping: generation request bodies, native stream events, whole
//! responses and error events (dashscope-protocol.md §4 and §5).
//!
//! It mirrors `compat.rs`: the same neutral [`ChatRequest`] goes in, the same [`Event`]s come
//! out, so commands never know which protocol is in use. The choice objects inside
//! `output.choices` have the compat shape, so their parsing is shared with `compat.rs`.

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::compat::{self, Choice, WireUsage};
use super::media::{Item, Kind};
use super::types::{ChatRequest, Event, Message, Source};
use super::{ApiError, error_from_body};

/// Path of text generation, relative to the native root (`…/api/v1`).
pub const TEXT_GENERATION_PATH: &str = "/services/aigc/text-generation/generation";

/// Path of multimodal generation, relative to the native root.
pub const MULTIMODAL_GENERATION_PATH: &str = "/services/aigc/multimodal-generation/generation";

/// Returns true for models the gateway binds to the multimodal-generation path.
///
/// §4.1: VL, Omni and audio models, "and the Qwen3.5+ family (qwen3.5-plus, qwen3.6-*,
/// qwen3.7-*, qwen3.8-* …)": "The DashScope API for the Qwen3.5 series uses a multimodal
/// interface. [The text-generation] example returns a url error" [S:40]. Every other model
/// (qwen-max/plus/turbo/flash, qwen3-*, qwq, coders, qwen-long) is a text-generation model.
pub fn is_multimodal(model: &str) -> bool {
    let model = model.to_ascii_lowercase();
    let qwen3_5_or_later = model.strip_prefix("qwen3.").is_some_and(|rest| {
        let minor: String = rest.chars().take_while(char::is_ascii_digit).collect();
        minor.parse::<u32>().is_ok_and(|minor| minor >= 5)
    });
    qwen3_5_or_later
        || model.starts_with("qvq")
        || model.contains("-vl")
        || model.contains("omni")
        || model.contains("audio")
}

/// Returns the generation path for `model`.
pub fn generation_path(model: &str) -> &'static str {
    if is_multimodal(model) {
        MULTIMODAL_GENERATION_PATH
    } else {
        TEXT_GENERATION_PATH
    }
}

/// Returns the other generation path: where a model goes after `url error` on one.
pub fn other_path(path: &str) -> &'static str {
    if path == MULTIMODAL_GENERATION_PATH {
        TEXT_GENERATION_PATH
    } else {
        MULTIMODAL_GENERATION_PATH
    }
}

/// Returns the known path equal to `path` (a value read back from the store), if any.
pub fn known_path(path: &str) -> Option<&'static str> {
    [TEXT_GENERATION_PATH, MULTIMODAL_GENERATION_PATH]
        .into_iter()
        .find(|p| *p == path)
}

/// Returns true for the gateway's answer to a model sent to the wrong generation path
/// (§4.1): a 400 whose message says `url error, please check url`, as a status or as an
/// `event:error` on a 200 stream.
pub fn is_wrong_path(err: &ApiError) -> bool {
    match err {
        ApiError::Status {
            status, message, ..
        } => {
            matches!(status, Some(400) | None) && message.to_ascii_lowercase().contains("url error")
        }
        _ => false,
    }
}

/// Builds the JSON body of a generation request for the default path of its model.
pub fn generation_body(req: &ChatRequest) -> Value {
    generation_body_for(req, generation_path(&req.model))
}

/// Builds the JSON body of a generation request sent to `path`: `model`, `input` and
/// `parameters` (§4.2); the multimodal path takes content as a list of parts.
pub fn generation_body_for(req: &ChatRequest, path: &str) -> Value {
    let multimodal = path == MULTIMODAL_GENERATION_PATH || req.has_media();
    let input = match &req.prompt {
        Some(prompt) => json!({ "prompt": prompt }),
        None => {
            let messages = req.messages.iter().map(|m| {
                let mut message = compat::message(m);
                // The multimodal path takes content as a list of parts without `type` (§4.2);
                // a partial-mode prefix stays a plain string there too (research §6).
                if multimodal && !m.partial {
                    message["content"] = content(m);
                }
                message
            });
            json!({ "messages": messages.collect::<Vec<_>>() })
        }
    };
    let mut parameters = Map::new();
    // `message` is what tools and thinking need; newer models default to it anyway.
    parameters.insert("result_format".into(), json!("message"));
    if req.stream {
        // Deltas, like compat. Thinking mode rejects `false` with a 400 (§4.2).
        parameters.insert("incremental_output".into(), json!(true));
    }
    compat::param_fields(&req.params, &mut parameters);
    if !req.tools.is_empty() && req.prompt.is_none() {
        parameters.insert("tools".into(), compat::tools(req));
        parameters.insert("parallel_tool_calls".into(), json!(true));
    }
    for (key, value) in &req.params.extra {
        parameters.insert(key.clone(), value.clone());
    }
    json!({ "model": req.model, "input": input, "parameters": parameters })
}

/// A message's `content` on the multimodal path: a list of parts without `type`, the text
/// first, then `{"image"}`, `{"video"}` (a URL or a list of frames) and `{"audio"}`
/// (dashscope-protocol.md §11.2). The one place the list is built.
pub(crate) fn content(m: &Message) -> Value {
    // The text first, split at an explicit-cache marker (untyped, like every part here).
    let mut parts = compat::marked_text(m, false).unwrap_or_default();
    if parts.is_empty() && (!m.content.is_empty() || m.parts.is_empty()) {
        parts.push(json!({ "text": m.content }));
    }
    for part in &m.parts {
        let first = || part.items.first().map(Item::wire).unwrap_or_default();
        parts.push(match part.kind {
            Kind::Image => json!({ "image": first() }),
            Kind::Video if part.frames => {
                let frames: Vec<String> = part.items.iter().map(Item::wire).collect();
                json!({ "video": frames })
            }
            Kind::Video => json!({ "video": first() }),
            Kind::Audio => json!({ "audio": first() }),
        });
    }
    Value::Array(parts)
}

/// A native response body or stream event.
#[derive(Deserialize)]
struct Reply {
    #[serde(default)]
    output: Option<Output>,
    #[serde(default)]
    usage: Option<WireUsage>,
    #[serde(default)]
    request_id: Option<String>,
    /// Set only on errors (§4.5); the SDK treats a non-empty `code` in a 200 body as one.
    #[serde(default)]
    code: Option<Value>,
}

#[derive(Deserialize)]
struct Output {
    /// `result_format: "message"`.
    #[serde(default)]
    choices: Option<Vec<Choice>>,
    /// `result_format: "text"` (and older `input.prompt` models).
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    finish_reason: Option<String>,
    /// Web search results (`search_options.enable_source`, §11.7).
    #[serde(default)]
    search_info: Option<SearchInfo>,
}

#[derive(Deserialize)]
struct SearchInfo {
    #[serde(default)]
    search_results: Vec<WireSource>,
}

#[derive(Deserialize)]
struct WireSource {
    #[serde(default)]
    index: Option<u64>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    site_name: Option<String>,
}

/// The sources of one frame; only the first frame has any (later ones repeat `[]`).
fn sources(info: SearchInfo) -> Vec<Source> {
    info.search_results
        .into_iter()
        .enumerate()
        .map(|(n, s)| Source {
            index: s.index.unwrap_or(n as u64 + 1),
            title: s.title.unwrap_or_default(),
            url: s.url.unwrap_or_default(),
            site: s.site_name.unwrap_or_default(),
        })
        .collect()
}

/// Returns the HTTP status DashScope's SDK gives a native error code (§5.2), for errors that
/// arrive without one: an `event:error` (its status is only in a `:HTTP_STATUS/…` comment
/// line, which SSE parsers drop) or an error object in a 200 body. Retry and exit-status
/// decisions then follow the same table as real statuses.
pub fn status_of_code(code: &str) -> Option<u16> {
    let status = match code {
        "InvalidApiKey" => 401,
        "RequestTimeOut" => 408,
        "Arrearage" | "DataInspectionFailed" => 400,
        "ModelNotFound" | "Model.NotExist" | "WorkSpaceNotFound" => 404,
        "ServiceUnavailable" | "ModelUnavailable" => 503,
        "GatewayTimeout" => 504,
        "SystemError" | "ModelServiceFailed" => 500,
        c if c.starts_with("Throttling")
            || c.ends_with("BillOverdue")
            || c == "CommodityNotPurchased" =>
        {
            429
        }
        c if c.starts_with("InternalError") => 500,
        c if c.contains("AccessDenied") || c.starts_with("AllocationQuota") => 403,
        c if c.starts_with("InvalidParameter") || c.starts_with("BadRequest") => 400,
        _ => return None,
    };
    Some(status)
}

/// Builds the error of an `event:error` event or of a 200 body holding `{code, message}`.
pub fn error_event(data: &str) -> ApiError {
    let mut err = error_from_body(None, data, None);
    if let ApiError::Status { status, code, .. } = &mut err {
        *status = code.as_deref().and_then(status_of_code);
    }
    err
}

fn parse(data: &str, what: &str) -> Result<Reply, ApiError> {
    serde_json::from_str(data)
        .map_err(|e| ApiError::Stream(format!("malformed {what} ({e}): {}", compat::snippet(data))))
}

fn is_error(reply: &Reply) -> bool {
    match &reply.code {
        Some(Value::String(code)) => !code.is_empty(),
        Some(Value::Null) | None => false,
        Some(_) => true,
    }
}

fn push_reply(reply: Reply, out: &mut Vec<Event>) -> Result<(), ApiError> {
    if reply.request_id.is_some() {
        out.push(Event::Meta {
            model: None,
            request_id: reply.request_id.map(compat::server_name),
        });
    }
    if let Some(mut output) = reply.output {
        // Before the text of the same frame: the sources come first.
        let found = output.search_info.take().map(sources).unwrap_or_default();
        if !found.is_empty() {
            out.push(Event::Sources(found));
        }
        for choice in output.choices.into_iter().flatten() {
            compat::push_choice(choice, out)?;
        }
        if let Some(text) = output.text.filter(|t| !t.is_empty()) {
            out.push(Event::Text(text));
        }
        compat::push_finish(output.finish_reason, out);
    }
    // Native usage is a running total on every event; the last one wins (see `Event::Usage`).
    if let Some(usage) = reply.usage {
        out.push(Event::Usage(usage.to_usage()));
    }
    Ok(())
}

/// Maps one native stream event's `data:` JSON to events, appending them to `out`.
pub fn chunk_events(data: &str, out: &mut Vec<Event>) -> Result<(), ApiError> {
    let reply = parse(data, "event in response stream")?;
    if is_error(&reply) {
        return Err(error_event(data));
    }
    push_reply(reply, out)
}

/// Maps a whole (non-stream) native response body to events; `{code, message}` in a 200
/// body is an error (the SDK's "two-layer error model", §4.5).
pub fn response_events(body: &str) -> Result<Vec<Event>, ApiError> {
    let reply = parse(body, "response body")?;
    if is_error(&reply) {
        return Err(error_event(body));
    }
    let has_output = reply
        .output
        .as_ref()
        .is_some_and(|o| o.choices.as_ref().is_some_and(|c| !c.is_empty()) || o.text.is_some());
    if !has_output {
        return Err(ApiError::Stream(format!(
            "response has no output: {}",
            compat::snippet(body)
        )));
    }
    let mut out = Vec::new();
    push_reply(reply, &mut out)?;
    Ok(out)
}

#[cfg(test)]
mod tests;
