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

/// What the raw server does after its response head.
#[derive(Debug, Clone)]
pub enum Step {
    /// Write these bytes as one HTTP chunk.
    Send(String),
    /// Wait.
    Pause(Duration),
}

/// How the raw server's response ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// The terminating zero-length chunk, then close.
    Finish,
    /// Close the socket in the middle of the chunked body.
    Break,
    /// Keep the connection open and send nothing more.
    Hang,
}

/// A one-script HTTP/1.1 server on 127.0.0.1 that streams a chunked SSE response exactly
/// as scripted, on its own thread and runtime. Every request gets the same script.
pub struct RawServer {
    addr: SocketAddr,
    requests: Arc<AtomicUsize>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl RawServer {
    /// Starts the server.
    pub fn start(steps: Vec<Step>, end: End) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(AtomicUsize::new(0));
        let count = Arc::clone(&requests);
        let steps = Arc::new(steps);
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                let accept = async {
                    loop {
                        if let Ok((socket, _)) = listener.accept().await {
                            let (steps, count) = (Arc::clone(&steps), Arc::clone(&count));
                            tokio::spawn(serve(socket, steps, end, count));
                        }
                    }
                };
                tokio::select! {
                    _ = accept => {}
                    _ = rx => {}
                }
            });
            // Dropping the runtime cancels connections still hanging.
        });
        Self {
            addr,
            requests,
            shutdown: Some(tx),
            thread: Some(thread),
        }
    }

    /// The base URL to give `qwen`.
    pub fn uri(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// How many chat requests arrived.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn serve(
    mut socket: tokio::net::TcpStream,
    steps: Arc<Vec<Step>>,
    end: End,
    count: Arc<AtomicUsize>,
) {
    let Some(request_line) = read_request(&mut socket).await else {
        return;
    };
    if !request_line.starts_with("POST /chat/completions ") {
        let _ = socket
            .write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
            .await;
        return;
    }
    count.fetch_add(1, Ordering::SeqCst);
    let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\
                transfer-encoding: chunked\r\nx-request-id: raw-request-1\r\n\r\n";
    if socket.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    for step in steps.iter() {
        match step {
            Step::Send(data) => {
                let chunk = format!("{:x}\r\n{data}\r\n", data.len());
                if socket.write_all(chunk.as_bytes()).await.is_err()
                    || socket.flush().await.is_err()
                {
                    return;
                }
            }
            Step::Pause(d) => tokio::time::sleep(*d).await,
        }
    }
    match end {
        End::Finish => {
            let _ = socket.write_all(b"0\r\n\r\n").await;
            let _ = socket.shutdown().await;
        }
        End::Break => drop(socket),
        End::Hang => std::future::pending::<()>().await,
    }
}

/// Reads one request (head, then `Content-Length` bytes of body); returns its request line.
async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut tmp = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = socket.read(&mut tmp).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&tmp[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = socket.read(&mut tmp).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&tmp[..n]);
    }
    head.lines().next().map(str::to_owned)
}

/// A loopback listener that counts connections and answers none of them: set it as every
/// proxy variable in tests that must not reach the network, then check it stayed at zero.
pub struct Trap {
    listener: std::net::TcpListener,
}

impl Trap {
    /// Starts listening.
    pub fn new() -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        Self { listener }
    }

    /// The proxy URL.
    pub fn url(&self) -> String {
        format!("http://{}", self.listener.local_addr().unwrap())
    }

    /// Routes all of `cmd`'s HTTP(S) traffic to the trap.
    pub fn arm(&self, cmd: &mut assert_cmd::Command) {
        for var in [
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "ALL_PROXY",
            "http_proxy",
            "https_proxy",
            "all_proxy",
        ] {
            cmd.env(var, self.url());
        }
    }

    /// How many connections arrived so far.
    pub fn connections(&self) -> usize {
        std::iter::from_fn(|| self.listener.accept().ok()).count()
    }
}

// --- DashScope native protocol (dashscope-protocol.md §4) -------------------------------

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
