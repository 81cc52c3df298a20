//! The fake's files API for Qwen-Long (`qwen chat --doc`, `qwen files`): uploads with
//! `purpose=file-extract` (kept in memory), `processing` on the first status poll and
//! `processed` after, the list (one page), deletion, and a chat answer for a `fileid://`
//! system message that names the documents it read.

use std::collections::BTreeMap;
use std::sync::Mutex;

use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

/// One uploaded file.
struct File {
    name: String,
    purpose: String,
    bytes: usize,
    created: u64,
    /// The first characters of its text, for the model's answer.
    start: String,
    /// Status polls so far (the first answers `processing`).
    polls: usize,
}

/// The uploaded files.
#[derive(Default)]
pub struct Files {
    files: Mutex<BTreeMap<String, File>>,
    next: Mutex<usize>,
}

fn object(id: &str, f: &File, status: &str) -> Value {
    json!({"id": id, "object": "file", "bytes": f.bytes, "created_at": f.created,
           "filename": f.name, "purpose": f.purpose, "status": status, "status_details": null})
}

/// The value of a multipart field (`name="…"`) and the file part's name and bytes.
fn multipart(body: &[u8]) -> (Option<String>, Option<(String, Vec<u8>)>) {
    let text = String::from_utf8_lossy(body);
    let boundary = text.lines().next().unwrap_or("").trim().to_owned();
    let (mut purpose, mut file) = (None, None);
    let mut rest = body;
    let sep = format!("\r\n{boundary}");
    while let Some(start) = find(rest, b"\r\n\r\n") {
        let head = String::from_utf8_lossy(&rest[..start]).into_owned();
        let data = &rest[start + 4..];
        let end = find(data, sep.as_bytes()).unwrap_or(data.len());
        let value = &data[..end];
        if head.contains("name=\"purpose\"") {
            purpose = Some(String::from_utf8_lossy(value).into_owned());
        } else if let Some(at) = head.find("filename=\"") {
            let name = head[at + 10..]
                .split('"')
                .next()
                .unwrap_or("file")
                .to_owned();
            file = Some((name, value.to_vec()));
        }
        rest = &data[(end + sep.len()).min(data.len())..];
    }
    (purpose, file)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

impl Files {
    /// Answers a files request (`…/files`, `…/files/{id}`), or `None` for another path.
    pub fn handle(&self, method: &str, path: &str, body: &[u8]) -> Option<(u16, String)> {
        let (route, query) = path.split_once('?').unwrap_or((path, ""));
        let at = route.find("/files")?;
        let rest = &route[at + "/files".len()..];
        let mut files = self.files.lock().unwrap();
        let not_found = || {
            (
                404,
                json!({"error": {"message": "file not found", "code": "not_found"}}).to_string(),
            )
        };
        match (method, rest.trim_start_matches('/')) {
            ("POST", "") => {
                let (purpose, file) = multipart(body);
                let Some((name, bytes)) = file else {
                    return Some((400, r#"{"error":{"message":"no file part"}}"#.into()));
                };
                let mut next = self.next.lock().unwrap();
                *next += 1;
                let purpose = purpose.unwrap_or_else(|| "file-extract".into());
                let kind = if purpose == "batch" { "batch" } else { "fe" };
                let id = format!("file-{kind}-{:06}", *next);
                let created = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs());
                let start: String = String::from_utf8_lossy(&bytes).chars().take(80).collect();
                let f = File {
                    name,
                    purpose,
                    bytes: bytes.len(),
                    created,
                    start,
                    polls: 0,
                };
                let status = if f.purpose == "file-extract" {
                    "processing"
                } else {
                    "processed"
                };
                let answer = object(&id, &f, status).to_string();
                files.insert(id, f);
                Some((200, answer))
            }
            ("GET", "") => {
                let wanted = query
                    .split('&')
                    .find_map(|kv| kv.strip_prefix("purpose="))
                    .map(str::to_owned);
                let data: Vec<Value> = files
                    .iter()
                    .filter(|(_, f)| wanted.as_ref().is_none_or(|p| *p == f.purpose))
                    .map(|(id, f)| object(id, f, "processed"))
                    .collect();
                Some((
                    200,
                    json!({"object": "list", "has_more": false, "data": data}).to_string(),
                ))
            }
            ("GET", id) if !id.contains('/') => Some(match files.get_mut(id) {
                Some(f) => {
                    f.polls += 1;
                    let status = if f.polls == 1 {
                        "processing"
                    } else {
                        "processed"
                    };
                    (200, object(id, f, status).to_string())
                }
                None => not_found(),
            }),
            ("DELETE", id) => Some(match files.remove(id) {
                Some(_) => (
                    200,
                    json!({"object": "file", "deleted": true, "id": id}).to_string(),
                ),
                None => not_found(),
            }),
            _ => None,
        }
    }

    /// What the model says to a chat body with a `fileid://` system message: which
    /// documents it read and how each begins; `None` without one.
    pub fn answer(&self, body: &str) -> Option<String> {
        if !body.contains("fileid://") {
            return None;
        }
        let body: Value = serde_json::from_str(body).ok()?;
        let reference = body["messages"].as_array()?.iter().find_map(|m| {
            let text = m["content"].as_str()?;
            (m["role"] == "system" && text.starts_with("fileid://")).then(|| text.to_owned())
        })?;
        let files = self.files.lock().unwrap();
        let read: Vec<String> = reference
            .split(',')
            .map(|r| r.trim().trim_start_matches("fileid://"))
            .map(|id| match files.get(id) {
                Some(f) => format!(
                    "`{}` ({} bytes), which begins: {:?}",
                    f.name, f.bytes, f.start
                ),
                None => format!("nothing for `{id}` (no such file)"),
            })
            .collect();
        Some(format!("(fake Qwen-Long) I read {}.", read.join("; ")))
    }
}

/// Writes `text` as one streamed reply (`stream`) or one JSON reply, in the compat shape.
pub async fn write_reply(socket: &mut TcpStream, text: &str, stream: bool) -> std::io::Result<()> {
    let id = "chatcmpl-00000000-0000-0000-0000-000000000001";
    let usage = json!({"prompt_tokens": 1000, "completion_tokens": text.len() / 4,
                       "total_tokens": 1000 + text.len() / 4});
    let (kind, body) = if stream {
        let chunk = |delta: Value, finish: Value, usage: Value| {
            let choices = if usage.is_null() {
                json!([{"delta": delta, "finish_reason": finish, "index": 0}])
            } else {
                json!([])
            };
            let v = json!({"id": id, "object": "chat.completion.chunk", "model": "qwen-long",
                           "choices": choices, "usage": usage});
            format!("data: {v}\n\n")
        };
        let body = [
            chunk(
                json!({"role": "assistant", "content": text}),
                Value::Null,
                Value::Null,
            ),
            chunk(json!({"content": ""}), json!("stop"), Value::Null),
            chunk(Value::Null, Value::Null, usage),
            "data: [DONE]\n\n".to_owned(),
        ]
        .concat();
        ("text/event-stream", body)
    } else {
        let v = json!({"id": id, "object": "chat.completion", "model": "qwen-long", "usage": usage,
                       "choices": [{"index": 0, "finish_reason": "stop",
                                    "message": {"role": "assistant", "content": text}}]});
        ("application/json", v.to_string())
    };
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: {kind}\r\nx-request-id: 00000000-0000-0000-0000-000000000001\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    socket.write_all(response.as_bytes()).await
}
