//! An input read and turned into its request: a file through the template, or a JSONL line
//! in either shape (simple, or the Batch API's); what cannot be sent becomes the item's
//! final outcome instead.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::media::{content_parts, file_request, line_attachments};
use super::{Defaults, ItemOptions, Outcome, failed};
#[cfg(test)]
use crate::api::compat;
use crate::api::types::{ChatRequest, Message, Role};
use crate::batch::inputs::{Input, Template};
use crate::input;
use crate::media::{Detected, Media};

/// An input read and turned into its request.
pub struct Plan {
    /// The item id.
    pub id: String,
    /// The file, for file items.
    pub path: Option<PathBuf>,
    /// The request, or the item's final outcome when it cannot be sent.
    pub request: Result<ChatRequest, Outcome>,
    /// The bytes at the start of the user message that every file item shares (the
    /// template's constant text), for the explicit prompt cache.
    pub head: Option<usize>,
}

/// Reads the input (now, as the item starts, and off the runtime's thread) and builds its
/// request.
pub async fn plan(
    defaults: &Defaults,
    template: &Template,
    options: &ItemOptions,
    input: Input,
) -> Plan {
    match input {
        Input::Broken { id, message } => Plan {
            id,
            path: None,
            request: Err(failed("read_error", message)),
            head: None,
        },
        Input::Skipped { path, reason } => Plan {
            id: path.display().to_string(),
            path: Some(path),
            request: Err(Outcome::Skipped(reason)),
            head: None,
        },
        Input::File { path } => {
            let request = read_off_thread(&path, options)
                .await
                .and_then(|read| match read {
                    FileRead::Text(content) => {
                        let mut req = request_for(defaults, None, template.render(&path, &content));
                        options.media.apply(&mut req, Vec::new())?;
                        Ok(req)
                    }
                    FileRead::Media(found, len) => {
                        file_request(defaults, template, &options.media, &path, found, len)
                    }
                });
            Plan {
                id: path.display().to_string(),
                path: Some(path),
                request,
                head: template.stable_head(),
            }
        }
        Input::Line { number, text } => {
            let mut id = format!("line {number}");
            let request = serde_json::from_str::<Map<String, Value>>(&text)
                .map_err(|e| {
                    failed(
                        "invalid_input",
                        format!("line {number} is not a JSON object: {e}"),
                    )
                })
                .and_then(|mut line| {
                    // An invalid line is still reported under its own id, if it has one.
                    if let Some(line_id) =
                        ["custom_id", "id"].iter().find_map(|k| id_of(line.get(*k)))
                    {
                        id = line_id;
                    }
                    let invalid =
                        |e: String| failed("invalid_input", format!("line {number}: {e}"));
                    let attached = line_attachments(line.remove("attachments"), &options.media)
                        .map_err(invalid)?;
                    let docs = crate::docs::from_line(line.remove("docs")).map_err(invalid)?;
                    let own_model = line.contains_key("model")
                        || line.get("body").is_some_and(|b| b.get("model").is_some());
                    let mut request = parse_line(defaults, line)
                        .map(|(_, r)| r)
                        .map_err(invalid)?;
                    if !docs.is_empty() {
                        // Without `-m` or a model of its own, a line with documents goes
                        // to `doc_model` (Qwen-Long reads `fileid://` references).
                        let settings = &options.media.settings;
                        let given = settings.model_given || own_model;
                        request.model = crate::docs::choose_model(settings, &request.model, given);
                        let pending = crate::docs::pending(&docs)
                            .map_err(|e| failed("read_error", e.message))?;
                        crate::docs::insert(&mut request.messages, &pending);
                    }
                    options.media.apply(&mut request, attached)?;
                    Ok(request)
                });
            Plan {
                id,
                path: None,
                request,
                head: None,
            }
        }
    }
}

/// Reads a file without blocking the runtime's thread, which drives every request: a
/// regular file on the blocking pool; anything else the user named (a named pipe, a
/// device) on a thread of its own, which may wait for a writer as long as it likes — the
/// item can still be stopped, and the process exits without waiting for that thread.
async fn read_off_thread(path: &Path, opts: &ItemOptions) -> Result<FileRead, Outcome> {
    let gone = || failed("read_error", format!("cannot read `{}`", path.display()));
    let (owned, options) = (path.to_path_buf(), opts.clone());
    let regular = tokio::task::spawn_blocking(move || {
        // `metadata` never blocks on a pipe; opening one may, until a writer comes.
        match std::fs::metadata(&owned) {
            Ok(meta) if !meta.is_file() && !meta.is_dir() => Err(Box::new((owned, options))),
            _ => Ok(read_file(&owned, &options)),
        }
    })
    .await
    .map_err(|_| gone())?;
    let (owned, options) = match regular {
        Ok(read) => return read,
        Err(special) => *special,
    };
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("qwen-read".into())
        .spawn(move || {
            let _ = tx.send(read_file(&owned, &options));
        })
        .map_err(|e| {
            failed(
                "read_error",
                format!("cannot read `{}`: {e}", path.display()),
            )
        })?;
    rx.await.map_err(|_| gone())?
}

/// A file as read for its item.
enum FileRead {
    /// Text, for the template.
    Text(String),
    /// An image, a video or a recording (not read further: it is sent as a part).
    Media(Media, u64),
}

fn read_file(path: &Path, opts: &ItemOptions) -> Result<FileRead, Outcome> {
    let os_error = |e: std::io::Error| {
        failed(
            "read_error",
            format!("cannot read `{}`: {e}", path.display()),
        )
    };
    let mut file = std::fs::File::open(path).map_err(os_error)?;
    let size = file.metadata().map_err(os_error)?.len();
    // The first bytes tell media from text; a media file is not read any further here.
    let mut head = Vec::with_capacity(crate::media::HEAD_LEN.min(size as usize));
    (&mut file)
        .take(crate::media::HEAD_LEN as u64)
        .read_to_end(&mut head)
        .map_err(os_error)?;
    if let Detected::Media(found) = crate::media::detect(&head, &path.to_string_lossy()) {
        return Ok(FileRead::Media(found, size));
    }
    let file = std::io::Cursor::new(head).chain(file);
    if size > opts.max_bytes && !opts.truncate {
        return Err(Outcome::Skipped(format!(
            "larger than --max-bytes ({size} > {} bytes); pass --truncate to send the start",
            opts.max_bytes
        )));
    }
    let mut bytes = Vec::with_capacity(size.min(opts.max_bytes) as usize);
    file.take(opts.max_bytes)
        .read_to_end(&mut bytes)
        .map_err(os_error)?;
    let truncated = size > opts.max_bytes;
    if truncated {
        // Cut at a character boundary: up to three bytes of a split UTF-8 sequence go.
        let valid = match std::str::from_utf8(&bytes) {
            Ok(_) => bytes.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(_) => bytes.len(),
        };
        bytes.truncate(valid);
    }
    let mut text = input::decode(bytes, "the file", opts.lossy)
        .map_err(|e| Outcome::Skipped(format!("{}; pass --lossy to send it anyway", e.message)))?;
    if truncated {
        text.push_str(&format!(
            "\n[… truncated at {} bytes of {size}]",
            opts.max_bytes
        ));
    }
    Ok(FileRead::Text(text))
}

pub(super) fn request_for(
    defaults: &Defaults,
    system: Option<String>,
    prompt: String,
) -> ChatRequest {
    let mut messages = Vec::new();
    if let Some(system) = system.or_else(|| defaults.system.clone()) {
        messages.push(Message::new(Role::System, system));
    }
    messages.push(Message::new(Role::User, prompt));
    ChatRequest {
        model: defaults.model.clone(),
        messages,
        params: defaults.params.clone(),
        tools: Vec::new(),
        stream: defaults.stream,
        prompt: None,
    }
}

/// Reads a JSONL request in either shape: `{"id","prompt","system","model",…params}` or
/// the Batch API's `{"custom_id","method","url","body":{…}}`. Other keys pass through to the
/// request body, over the command-line defaults.
pub fn parse_line(
    defaults: &Defaults,
    mut line: Map<String, Value>,
) -> Result<(Option<String>, ChatRequest), String> {
    if let Some(body) = line.remove("body") {
        let id = id_of(line.remove("custom_id").as_ref());
        if let Some(url) = line.get("url").and_then(Value::as_str)
            && !url.ends_with("/chat/completions")
        {
            return Err(format!("url `{url}` is not a chat completions endpoint"));
        }
        let Value::Object(mut body) = body else {
            return Err("`body` is not an object".into());
        };
        let messages = match body.remove("messages") {
            Some(Value::Array(list)) => list.iter().map(message_from).collect::<Result<_, _>>()?,
            _ => return Err("`body.messages` is missing".into()),
        };
        let mut req = request_for(defaults, None, String::new());
        req.messages = messages;
        take_model(&mut body, &mut req);
        body.remove("stream");
        body.remove("stream_options");
        req.params.extra.extend(body);
        return Ok((id, req));
    }
    let id = id_of(line.remove("id").as_ref()).or_else(|| id_of(line.remove("custom_id").as_ref()));
    let system = match line.remove("system") {
        Some(Value::String(s)) => Some(s),
        None | Some(Value::Null) => None,
        Some(_) => return Err("`system` is not a string".into()),
    };
    let mut req = match (line.remove("prompt"), line.remove("messages")) {
        (Some(Value::String(prompt)), None) => request_for(defaults, system, prompt),
        (None, Some(Value::Array(list))) => {
            let mut req = request_for(defaults, system, String::new());
            req.messages.pop();
            for m in &list {
                req.messages.push(message_from(m)?);
            }
            req
        }
        _ => return Err("needs a string `prompt` (or a `messages` array)".into()),
    };
    take_model(&mut line, &mut req);
    req.params.extra.extend(line);
    Ok((id, req))
}

/// A line's id: a string, or a number written as text.
fn id_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn take_model(map: &mut Map<String, Value>, req: &mut ChatRequest) {
    if let Some(Value::String(model)) = map.remove("model") {
        req.model = model;
    }
}

fn message_from(value: &Value) -> Result<Message, String> {
    let role = value
        .get("role")
        .and_then(Value::as_str)
        .and_then(Role::parse)
        .ok_or("a message has no valid `role`")?;
    let (content, parts) = match value.get("content") {
        Some(content) => content_parts(content)?,
        None => (String::new(), Vec::new()),
    };
    let mut message = Message::new(role, content);
    message.parts = parts;
    message.tool_call_id = value
        .get("tool_call_id")
        .and_then(Value::as_str)
        .map(str::to_owned);
    Ok(message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::types::Params;
    use crate::batch::item::request_key;
    use serde_json::json;

    fn defaults() -> Defaults {
        Defaults {
            model: "qwen-plus".into(),
            system: Some("Be brief.".into()),
            params: Params {
                temperature: Some(0.5),
                ..Default::default()
            },
            stream: true,
            prompt_cache: crate::prompt_cache::Ask::OFF,
        }
    }

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn simple_line_shape() {
        let (id, req) = parse_line(
            &defaults(),
            obj(json!({"id": 7, "prompt": "hi", "model": "qwen-max", "max_tokens": 5})),
        )
        .unwrap();
        assert_eq!(id.as_deref(), Some("7"));
        assert_eq!(req.model, "qwen-max");
        assert_eq!(req.messages.len(), 2);
        assert_eq!(req.messages[1].content, "hi");
        let body = compat::chat_body(&req);
        assert_eq!(body["max_tokens"], 5);
        assert_eq!(body["temperature"], 0.5);
    }

    #[test]
    fn batch_api_line_shape() {
        let line = json!({"custom_id": "a-1", "method": "POST", "url": "/v1/chat/completions",
            "body": {"model": "qwen-turbo", "messages": [{"role": "user", "content": "2+2?"}],
                     "enable_thinking": false}});
        let (id, req) = parse_line(&defaults(), obj(line)).unwrap();
        assert_eq!(id.as_deref(), Some("a-1"));
        assert_eq!(req.model, "qwen-turbo");
        assert_eq!(req.messages, vec![Message::new(Role::User, "2+2?")]);
        assert_eq!(compat::chat_body(&req)["enable_thinking"], false);
    }

    #[test]
    fn bad_lines_say_why() {
        assert!(
            parse_line(&defaults(), obj(json!({"id": 1})))
                .unwrap_err()
                .contains("prompt")
        );
        let line = json!({"custom_id": "x", "url": "/v1/embeddings", "body": {"messages": []}});
        assert!(
            parse_line(&defaults(), obj(line))
                .unwrap_err()
                .contains("embeddings")
        );
    }

    #[test]
    fn key_changes_with_the_prompt_not_with_streaming() {
        let (_, a) = parse_line(&defaults(), obj(json!({"prompt": "hi"}))).unwrap();
        let mut b = a.clone();
        b.stream = !b.stream;
        assert_eq!(request_key("x", &a), request_key("x", &b));
        b.messages[1].content = "hello".into();
        assert_ne!(request_key("x", &a), request_key("x", &b));
        assert_ne!(request_key("x", &a), request_key("y", &a));
    }
}
