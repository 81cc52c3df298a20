//! Shared test helpers: the hermetic `qwen` command, DashScope-shaped SSE bodies, and a raw
//! TCP server for what wiremock cannot do (drip-fed streams, stalls, broken connections).
//!
//! Every server here listens on 127.0.0.1; no test sends anything anywhere else.

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, ExitStatus, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use assert_cmd::assert::Assert;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{method, path};
use wiremock::{MockBuilder, MockServer, ResponseTemplate};

mod native;
mod raw;

pub use native::*;
pub use raw::*;

/// The API key every test command gets; it must never be printed.
pub const KEY: &str = "sk-test-SECRET-1234";

/// The id of every chunk [`sse`] builds (compat ids are `chatcmpl-<request id>`).
pub const CHUNK_ID: &str = "chatcmpl-6b9f079d-c440-9fc5-bb6a-963ad8387e02";

/// The request id of [`stream`] and [`whole`] replies (their `x-request-id` header) and of
/// native replies (their body's `request_id`), as DashScope sends it (§1.5).
pub const REQUEST_ID: &str = "6b9f079d-c440-9fc5-bb6a-963ad8387e02";

/// Token counts of the usage chunk [`sse`] ends with: prompt, completion, total.
pub const USAGE: (u64, u64, u64) = (22, 17, 39);

/// A plain `std::process::Command` for `qwen` that sees only `base_url` and `dir`.
///
/// The environment is cleared (no inherited key, region, model, profile, proxy or colour
/// setting); `HOME`, the config dir and the data dir all live in `dir`.
pub fn std_qwen(base_url: &str, dir: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin!("qwen"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir)
        .env("DASHSCOPE_BASE_URL", base_url)
        .env("DASHSCOPE_API_KEY", KEY)
        .env("QWEN_CONFIG_DIR", dir.join("config"))
        .env("QWEN_DATA_DIR", dir.join("data"))
        .env("QWEN_TEST_NO_RETRY_DELAY", "1")
        .stdin(Stdio::null());
    cmd
}

/// A `qwen` command that sees only the server at `base_url` and a throwaway `dir`.
pub fn qwen(base_url: &str, dir: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::from_std(std_qwen(base_url, dir));
    cmd.timeout(Duration::from_secs(20));
    cmd
}

/// Runs `cmd` and checks that the API key appears in neither stdout nor stderr.
pub fn run(cmd: &mut assert_cmd::Command) -> Assert {
    let assert = cmd.assert();
    assert_no_key(assert.get_output());
    assert
}

/// Fails when the test key shows up in a command's output.
pub fn assert_no_key(output: &Output) {
    for (name, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains(KEY), "the API key leaked to {name}:\n{text}");
        assert!(
            !text.contains("SECRET-1234"),
            "part of the API key leaked to {name}:\n{text}"
        );
    }
}

/// Returns stdout as text.
pub fn stdout(assert: &Assert) -> String {
    String::from_utf8(assert.get_output().stdout.clone()).expect("stdout is UTF-8")
}

/// Returns stderr as text.
pub fn stderr(assert: &Assert) -> String {
    String::from_utf8(assert.get_output().stderr.clone()).expect("stderr is UTF-8")
}

/// Parses every stdout line as JSON.
pub fn jsonl(assert: &Assert) -> Vec<Value> {
    stdout(assert)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line:?}")))
        .collect()
}

/// A mock for `POST /chat/completions`.
pub fn chat() -> MockBuilder {
    wiremock::Mock::given(method("POST")).and(path("/chat/completions"))
}

/// A 200 SSE response streaming `texts` (see [`sse`]), as DashScope answers: its chunks name
/// the model the request asked for, and it has an `x-request-id` header ([`REQUEST_ID`]).
pub fn stream(texts: &[&str]) -> Answer {
    Answer::new(sse(texts), "text/event-stream")
}

/// A reply that names the model its request asked for, as a real server does (the bodies
/// here say `qwen-plus`; the answer says whatever `model` the request body gave), with an
/// `x-request-id` header.
#[derive(Debug, Clone)]
pub struct Answer {
    body: String,
    content_type: &'static str,
    delay: Option<Duration>,
}

impl Answer {
    fn new(body: String, content_type: &'static str) -> Self {
        Self {
            body,
            content_type,
            delay: None,
        }
    }

    /// A 200 SSE response with this body (frames as [`frame`] makes them).
    pub fn from_sse(body: String) -> Self {
        Self::new(body, "text/event-stream")
    }

    /// Answers only after `delay`.
    pub fn set_delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }
}

impl wiremock::Respond for Answer {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let model = request
            .body_json::<Value>()
            .ok()
            .and_then(|v| v["model"].as_str().map(str::to_owned));
        let body = match model {
            Some(model) => self.body.replace(
                "\"model\":\"qwen-plus\"",
                &format!("\"model\":{}", json!(model)),
            ),
            None => self.body.clone(),
        };
        let template = ResponseTemplate::new(200)
            .set_body_raw(body, self.content_type)
            .insert_header("x-request-id", REQUEST_ID);
        match self.delay {
            Some(delay) => template.set_delay(delay),
            None => template,
        }
    }
}

/// A 200 response with an SSE body and DashScope's `x-request-id` header ([`REQUEST_ID`]).
pub fn sse_response(body: String) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_raw(body, "text/event-stream")
        .insert_header("x-request-id", REQUEST_ID)
}

/// A 200 non-stream chat completion with `text` (shape of dashscope-protocol.md §2.3),
/// naming the model asked for, with an `x-request-id` header (see [`Answer`]).
pub fn whole(text: &str) -> Answer {
    let body = json!({
        "choices": [{
            "message": {"role": "assistant", "content": text},
            "finish_reason": "stop", "index": 0, "logprobs": null
        }],
        "object": "chat.completion",
        "usage": {"prompt_tokens": USAGE.0, "completion_tokens": USAGE.1, "total_tokens": USAGE.2},
        "created": 1_735_120_033,
        "system_fingerprint": null,
        "model": "qwen-plus",
        "id": CHUNK_ID
    });
    Answer::new(body.to_string(), "application/json")
}

/// An error response with a JSON body.
pub fn error(status: u16, body: Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/json")
}

/// The JSON bodies of every request the server received, in order.
pub async fn bodies(server: &MockServer) -> Vec<Value> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
        .iter()
        .map(|r| r.body_json().expect("request body is JSON"))
        .collect()
}

/// The content of the last message of a request body (the prompt).
pub fn prompt(body: &Value) -> &str {
    let messages = body["messages"].as_array().expect("messages is an array");
    messages.last().expect("a message")["content"]
        .as_str()
        .expect("content is a string")
}

/// One piece of a streamed reply.
#[derive(Debug, Clone, Copy)]
pub enum Piece<'a> {
    /// A `reasoning_content` delta.
    Think(&'a str),
    /// A `content` delta.
    Text(&'a str),
}

/// One compat chunk with a single choice, as DashScope sends it (§2.4).
pub fn chunk(delta: Value, finish_reason: Option<&str>) -> Value {
    json!({
        "choices": [{"delta": delta, "finish_reason": finish_reason, "index": 0, "logprobs": null}],
        "object": "chat.completion.chunk", "usage": null, "created": 1_770_343_950,
        "system_fingerprint": null, "model": "qwen-plus", "id": CHUNK_ID
    })
}

/// One `data: {json}` frame.
pub fn frame(value: &Value) -> String {
    format!("data: {value}\n\n")
}

/// The frame of a `content` delta.
pub fn text_frame(text: &str) -> String {
    frame(&chunk(
        json!({"content": text, "reasoning_content": null}),
        None,
    ))
}

/// The frames that end a stream: the finish chunk, the usage chunk and `[DONE]`.
pub fn tail_frames() -> Vec<String> {
    let usage = json!({
        "choices": [], "object": "chat.completion.chunk",
        "usage": {"prompt_tokens": USAGE.0, "completion_tokens": USAGE.1, "total_tokens": USAGE.2},
        "created": 1_770_343_950, "system_fingerprint": null, "model": "qwen-plus", "id": CHUNK_ID
    });
    vec![
        frame(&chunk(
            json!({"content": "", "reasoning_content": null}),
            Some("stop"),
        )),
        frame(&usage),
        "data: [DONE]\n\n".to_owned(),
    ]
}

/// The frames of a whole reply: role chunk, the pieces, finish, usage, `[DONE]`.
pub fn sse_frames(pieces: &[Piece<'_>]) -> Vec<String> {
    let thinks = pieces.iter().any(|p| matches!(p, Piece::Think(_)));
    let first = if thinks {
        json!({"content": null, "reasoning_content": "", "role": "assistant"})
    } else {
        json!({"content": "", "role": "assistant"})
    };
    let mut frames = vec![frame(&chunk(first, None))];
    for piece in pieces {
        frames.push(match piece {
            Piece::Think(t) => frame(&chunk(
                json!({"content": null, "reasoning_content": t}),
                None,
            )),
            Piece::Text(t) => text_frame(t),
        });
    }
    frames.extend(tail_frames());
    frames
}

/// A DashScope-shaped SSE body streaming `texts`, with usage [`USAGE`].
pub fn sse(texts: &[&str]) -> String {
    let pieces: Vec<Piece<'_>> = texts.iter().map(|t| Piece::Text(t)).collect();
    sse_frames(&pieces).concat()
}

/// An SSE body with reasoning deltas first, then the answer.
pub fn sse_thinking(reasoning: &[&str], texts: &[&str]) -> String {
    let pieces: Vec<Piece<'_>> = reasoning
        .iter()
        .map(|t| Piece::Think(t))
        .chain(texts.iter().map(|t| Piece::Text(t)))
        .collect();
    sse_frames(&pieces).concat()
}

/// Reads a fixture from `tests/fixtures`, byte for byte.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Writes `<dir>/config/config.toml`.
pub fn write_config(dir: &Path, toml: &str) {
    let config = dir.join("config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), toml).unwrap();
}

/// Waits for `child` to exit, killing it and failing the test after `limit`.
pub fn wait_for(child: &mut Child, limit: Duration) -> ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("qwen did not exit within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}
