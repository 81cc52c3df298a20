//! A fast fake DashScope (OpenAI-compatible) server on loopback, for benchmarks.
//!
//! ```text
//! cargo run --release --example fake_server -- [--port N] [--latency-ms N] [--tokens N] [--cache]
//! ```
//!
//! `POST …/chat/completions` answers with `--tokens` text chunks: streamed as SSE when the
//! body asks for `"stream":true`, else as one JSON reply. `POST …/rerank`, `…/reranks` and
//! the native `…/text-rerank/text-rerank` rank documents by the words they share with the
//! query (`qwen --base-url URL rerank 'red fruit' 'red apple' 'blue sky'`). The native
//! generation paths (`…/api/v1/services/aigc/…/generation`) answer in the native shape, with
//! two web sources in the first frame when `enable_source` is asked for (`qwen --base-url
//! http://HOST:PORT/compatible-mode/v1 chat --sources 'news?'` maps to the native root). `GET /stats` returns request
//! counts, the highest number of requests in flight and the mean time a request was held
//! (so a benchmark can show its yardstick is true). It prints its base URL on stdout.
//!
//! With `--cache`, usage reports `prompt_tokens` estimated from the messages' text (four
//! characters a token; otherwise always 12, to keep the other benchmarks' server as cheap
//! as it was) and answers explicit-cache markers as the service documents (dashscope-protocol.md
//! §11.5): the prefix up to the last `cache_control` part is written on its first request
//! (`cache_creation_input_tokens`) and hit by later ones within 5 minutes of the last use
//! (`cached_tokens`), with `cache_type: "ephemeral"`. Without markers nothing is cached (the
//! service's best-effort implicit cache is not modelled).
//!
//! Media (`qwen chat --attach`): chat bodies may carry image, video and audio parts; each
//! `image_url` part is reported as 258 `image_tokens`. DashScope's temporary storage is
//! faked too: `GET …/uploads?action=getPolicy` answers a policy whose `upload_host` is this
//! server's `/oss`, which takes the multipart upload (an empty 200). Point `native_base_url`
//! at the printed base URL for `qwen` to upload here.
//!
//! Speech (`qwen chat --audio-out reply.wav`): a streamed body asking for
//! `"modalities":["text","audio"]` gets, after each text chunk, a `delta.audio.data` chunk of
//! base64 PCM (s16le, 24 kHz, mono: a tenth of a second of a 440 Hz tone), as Qwen-Omni sends.
//!
//! Documents (`qwen chat --doc`, `qwen files`): `POST …/files` keeps uploads in memory, a
//! `file-extract` upload answers `processing` and so does its first `GET …/files/{id}` (then
//! `processed`); `GET …/files` lists them, `DELETE …/files/{id}` deletes one; a chat body with
//! a `fileid://` system message is answered with the names and first words of the documents
//! (`examples/fake_server/files.rs`).
//!
//! Hand-written on tokio rather than hyper: a benchmark fixture must be as cheap as possible
//! per request and write each SSE chunk as its own write, the way a generating model does;
//! both are a few lines here and a fight with a general-purpose server.

#![allow(clippy::print_stdout, clippy::print_stderr)] // a standalone fixture: stdout is its URL

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

#[path = "fake_server/files.rs"]
mod files;
#[path = "fake_server/native.rs"]
mod native;
use native::{native_frame, rerank_reply, write_native_stream};

struct Config {
    /// Where the policy sends uploads (`http://127.0.0.1:PORT/oss`).
    upload_host: String,
    latency: Duration,
    tokens: usize,
    delays: Delays,
    /// Explicit-cache entries: a hash of the marked prefix → when it expires.
    cache: Mutex<HashMap<u64, Instant>>,
    /// Model prompt sizes and the explicit cache (`--cache`).
    model_cache: bool,
    /// Documents uploaded for Qwen-Long.
    files: files::Files,
}

/// How long an explicit-cache entry lives after its last use.
const CACHE_TTL: Duration = Duration::from_secs(300);

/// The usage of a request: (prompt tokens, cache written, cache hit, explicit).
fn usage_of(body: &str, cache: &Mutex<HashMap<u64, Instant>>) -> (usize, usize, usize, bool) {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(body) else {
        return (12, 0, 0, false);
    };
    let messages = value["messages"].as_array().cloned().unwrap_or_default();
    let (mut text, mut prefix) = (String::new(), None);
    for message in &messages {
        match &message["content"] {
            serde_json::Value::String(s) => text.push_str(s),
            serde_json::Value::Array(parts) => {
                for part in parts {
                    text.push_str(part["text"].as_str().unwrap_or(""));
                    if part.get("cache_control").is_some() {
                        prefix = Some(text.len());
                    }
                }
            }
            _ => {}
        }
    }
    let tokens = |s: &str| s.len().div_ceil(4);
    let prompt = tokens(&text).max(1);
    let Some(end) = prefix else {
        return (prompt, 0, 0, false);
    };
    let marked = &text[..end];
    let key = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        marked.hash(&mut h);
        h.finish()
    };
    let now = Instant::now();
    let mut cache = cache.lock().unwrap();
    let hit = cache.get(&key).is_some_and(|expires| *expires > now);
    cache.insert(key, now + CACHE_TTL);
    if hit {
        (prompt, 0, tokens(marked), true)
    } else {
        (prompt, tokens(marked), 0, true)
    }
}

/// The `usage` object of a reply.
fn usage_json(
    completion: usize,
    (prompt, written, hit, explicit): (usize, usize, usize, bool),
    images: usize,
) -> String {
    let mut details = Vec::new();
    if explicit {
        details.push(format!(
            r#""cache_creation_input_tokens":{written},"cache_type":"ephemeral","cached_tokens":{hit}"#
        ));
    }
    if images > 0 {
        details.push(format!(r#""image_tokens":{images}"#));
    }
    let details = if details.is_empty() {
        String::new()
    } else {
        format!(r#","prompt_tokens_details":{{{}}}"#, details.join(","))
    };
    let prompt = prompt + images;
    format!(
        r#"{{"prompt_tokens":{prompt},"completion_tokens":{completion},"total_tokens":{}{details}}}"#,
        prompt + completion
    )
}

#[derive(Default)]
struct Stats {
    requests: AtomicUsize,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    /// Total microseconds from a request's last byte to its reply's last byte.
    held_us: AtomicU64,
}

/// Exact delays. Tokio's timer wheel fires at the first millisecond tick after a deadline,
/// which made a "100 ms" request take 101.6 ms on average here (1.6% of the yardstick the
/// batch benchmark divides by). One thread sleeping to the earliest deadline on the OS's
/// high-resolution timer wakes within ~0.1 ms.
#[derive(Clone, Default)]
struct Delays(Arc<(Mutex<BinaryHeap<Reverse<Deadline>>>, Condvar)>);

struct Deadline(Instant, u64, oneshot::Sender<()>);

impl PartialEq for Deadline {
    fn eq(&self, other: &Self) -> bool {
        (self.0, self.1) == (other.0, other.1)
    }
}
impl Eq for Deadline {}
impl PartialOrd for Deadline {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Deadline {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.0, self.1).cmp(&(other.0, other.1))
    }
}

impl Delays {
    fn start(&self) {
        let this = self.clone();
        std::thread::spawn(move || {
            let (heap, wake) = &*this.0;
            let mut heap = heap.lock().unwrap();
            loop {
                let now = Instant::now();
                while heap.peek().is_some_and(|Reverse(d)| d.0 <= now) {
                    let Some(Reverse(Deadline(_, _, tx))) = heap.pop() else {
                        break;
                    };
                    let _ = tx.send(());
                }
                let next = heap.peek().map(|Reverse(d)| d.0 - now);
                heap = match next {
                    Some(wait) => wake.wait_timeout(heap, wait).unwrap().0,
                    None => wake.wait(heap).unwrap(),
                };
            }
        });
    }

    async fn until(&self, at: Instant) {
        static SEQ: AtomicU64 = AtomicU64::new(0);
        let (tx, rx) = oneshot::channel();
        {
            let (heap, wake) = &*self.0;
            let mut heap = heap.lock().unwrap();
            let earliest = heap.peek().is_none_or(|Reverse(d)| at < d.0);
            heap.push(Reverse(Deadline(
                at,
                SEQ.fetch_add(1, Ordering::Relaxed),
                tx,
            )));
            if earliest {
                wake.notify_one();
            }
        }
        let _ = rx.await;
    }
}

fn main() -> std::io::Result<()> {
    let mut port = 0u16;
    let mut config = Config {
        upload_host: String::new(),
        latency: Duration::ZERO,
        tokens: 20,
        delays: Delays::default(),
        cache: Mutex::new(HashMap::new()),
        model_cache: false,
        files: files::Files::default(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
        match arg.as_str() {
            "--port" => port = value() as u16,
            "--latency-ms" => config.latency = Duration::from_millis(value()),
            "--tokens" => config.tokens = value() as usize,
            "--cache" => config.model_cache = true,
            other => {
                eprintln!("fake_server: unknown argument `{other}`");
                std::process::exit(2);
            }
        }
    }
    config.delays.start();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = TcpListener::bind(("127.0.0.1", port)).await?;
        println!("http://{}/v1", listener.local_addr()?);
        config.upload_host = format!("http://{}/oss", listener.local_addr()?);
        let config = Arc::new(config);
        let stats = Arc::new(Stats::default());
        loop {
            let (socket, _) = listener.accept().await?;
            socket.set_nodelay(true)?;
            let (config, stats) = (Arc::clone(&config), Arc::clone(&stats));
            tokio::spawn(async move {
                let _ = serve(socket, &config, &stats).await;
            });
        }
    })
}

/// Serves requests on one keep-alive connection.
async fn serve(mut socket: TcpStream, config: &Config, stats: &Stats) -> std::io::Result<()> {
    let mut buf = Vec::with_capacity(8192);
    loop {
        let Some((head_end, content_length)) = read_head(&mut socket, &mut buf).await? else {
            return Ok(());
        };
        while buf.len() < head_end + content_length {
            if socket.read_buf(&mut buf).await? == 0 {
                return Ok(());
            }
        }
        let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
        let body = String::from_utf8_lossy(&buf[head_end..head_end + content_length]).into_owned();
        let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
        let method = head.split_whitespace().next().unwrap_or("");
        let files_answer = (path.contains("/files"))
            .then(|| {
                config
                    .files
                    .handle(method, &path, &buf[head_end..head_end + content_length])
            })
            .flatten();
        buf.drain(..head_end + content_length);
        if let Some((status, json)) = files_answer {
            write_json(&mut socket, status, &json).await?;
            continue;
        }
        if path.contains("/uploads?") && path.contains("action=getPolicy") {
            let policy = format!(
                r#"{{"request_id":"fake","data":{{"policy":"cG9saWN5","signature":"c2ln","upload_dir":"dashscope-instant/fake","upload_host":"{}","expire_in_seconds":300,"max_file_size_mb":100,"capacity_limit_mb":999999999,"oss_access_key_id":"LTAI-fake","x_oss_object_acl":"private","x_oss_forbid_overwrite":"true"}}}}"#,
                config.upload_host
            );
            write_json(&mut socket, 200, &policy).await?;
            continue;
        }
        if path.ends_with("/oss") {
            write_json(&mut socket, 200, "").await?;
            continue;
        }
        if path.ends_with("/stats") {
            let json = format!(
                r#"{{"requests":{},"max_in_flight":{},"mean_held_ms":{:.3}}}"#,
                stats.requests.load(Ordering::SeqCst),
                stats.max_in_flight.load(Ordering::SeqCst),
                stats.held_us.load(Ordering::SeqCst) as f64
                    / 1000.0
                    / stats.requests.load(Ordering::SeqCst).max(1) as f64
            );
            write_json(&mut socket, 200, &json).await?;
            continue;
        }
        let arrived = Instant::now();
        stats.requests.fetch_add(1, Ordering::SeqCst);
        let now = stats.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        stats.max_in_flight.fetch_max(now, Ordering::SeqCst);
        if !config.latency.is_zero() {
            config.delays.until(arrived + config.latency).await;
        }
        let result = if path.ends_with("/rerank")
            || path.ends_with("/reranks")
            || path.ends_with("/text-rerank/text-rerank")
        {
            write_json(&mut socket, 200, &rerank_reply(&body)).await
        } else if path.ends_with("-generation/generation") {
            let sources = body.contains(r#""enable_source":true"#);
            if head
                .to_ascii_lowercase()
                .contains("x-dashscope-sse: enable")
            {
                write_native_stream(&mut socket, config.tokens, sources).await
            } else {
                let frame = native_frame(&"tok ".repeat(config.tokens), sources, "stop");
                write_json(&mut socket, 200, &frame).await
            }
        } else if let Some(text) = path
            .ends_with("/chat/completions")
            .then(|| config.files.answer(&body))
            .flatten()
        {
            files::write_reply(&mut socket, &text, body.contains(r#""stream":true"#)).await
        } else if !path.ends_with("/chat/completions") {
            write_json(
                &mut socket,
                404,
                r#"{"error":{"message":"not found","code":"not_found"}}"#,
            )
            .await
        } else {
            let usage = if config.model_cache {
                usage_of(&body, &config.cache)
            } else {
                (12, 0, 0, false)
            };
            let usage = usage_json(config.tokens, usage, image_tokens(&body));
            if body.contains(r#""stream":true"#) {
                let speaks = body.contains(r#""modalities":["text","audio"]"#);
                write_stream(&mut socket, config.tokens, &usage, speaks).await
            } else {
                write_json(&mut socket, 200, &whole_reply(config.tokens, &usage)).await
            }
        };
        stats.in_flight.fetch_sub(1, Ordering::SeqCst);
        let held = arrived.elapsed().as_micros() as u64;
        stats.held_us.fetch_add(held, Ordering::SeqCst);
        result?;
    }
}

/// Reads until the end of the request head; returns its length and the Content-Length.
async fn read_head(
    socket: &mut TcpStream,
    buf: &mut Vec<u8>,
) -> std::io::Result<Option<(usize, usize)>> {
    loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..pos]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            return Ok(Some((pos + 4, length)));
        }
        if socket.read_buf(buf).await? == 0 {
            return Ok(None);
        }
    }
}

const ID: &str = "chatcmpl-00000000-0000-0000-0000-000000000000";

/// Image tokens of a chat body: 258 per `image_url` part.
fn image_tokens(body: &str) -> usize {
    body.matches(r#""type":"image_url""#).count() * 258
}

fn whole_reply(tokens: usize, usage: &str) -> String {
    let text = "tok ".repeat(tokens);
    format!(
        r#"{{"choices":[{{"message":{{"role":"assistant","content":"{text}"}},"finish_reason":"stop","index":0,"logprobs":null}}],"object":"chat.completion","usage":{usage},"created":1735120033,"system_fingerprint":null,"model":"qwen-plus","id":"{ID}"}}"#
    )
}

async fn write_json(socket: &mut TcpStream, status: u16, body: &str) -> std::io::Result<()> {
    let reason = if status == 200 { "OK" } else { "Error" };
    let response = format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\nx-request-id: 00000000-0000-0000-0000-000000000000\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    socket.write_all(response.as_bytes()).await
}

/// Writes an SSE reply in DashScope's shape, one chunked-encoding frame per event.
async fn write_stream(
    socket: &mut TcpStream,
    tokens: usize,
    usage: &str,
    speaks: bool,
) -> std::io::Result<()> {
    socket
        .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nx-request-id: 00000000-0000-0000-0000-000000000000\r\ntransfer-encoding: chunked\r\n\r\n")
        .await?;
    let frame = |data: &str| {
        let event = format!("data: {data}\n\n");
        format!("{:x}\r\n{event}\r\n", event.len())
    };
    let head = r#"{"choices":[{"delta":{"content":"","role":"assistant"},"index":0,"logprobs":null,"finish_reason":null}],"object":"chat.completion.chunk","usage":null,"created":1726132850,"system_fingerprint":null,"model":"qwen-plus","id":"ID"}"#.replace("\"ID\"", &format!("\"{ID}\""));
    socket.write_all(frame(&head).as_bytes()).await?;
    let token = frame(&format!(
        r#"{{"choices":[{{"finish_reason":null,"delta":{{"content":"tok "}},"index":0,"logprobs":null}}],"object":"chat.completion.chunk","usage":null,"created":1726132850,"system_fingerprint":null,"model":"qwen-plus","id":"{ID}"}}"#
    ));
    let sound = if speaks {
        frame(&format!(
            r#"{{"choices":[{{"finish_reason":null,"delta":{{"audio":{{"data":"{}","expires_at":1726132850,"id":"audio_{ID}"}}}},"index":0,"logprobs":null}}],"object":"chat.completion.chunk","usage":null,"created":1726132850,"system_fingerprint":null,"model":"qwen-plus","id":"{ID}"}}"#,
            tone()
        ))
    } else {
        String::new()
    };
    for _ in 0..tokens {
        socket.write_all(token.as_bytes()).await?;
        socket.write_all(sound.as_bytes()).await?;
    }
    let tail = format!(
        r#"{{"choices":[{{"finish_reason":"stop","delta":{{"content":""}},"index":0,"logprobs":null}}],"object":"chat.completion.chunk","usage":null,"created":1726132850,"system_fingerprint":null,"model":"qwen-plus","id":"{ID}"}}"#
    );
    let usage = format!(
        r#"{{"choices":[],"object":"chat.completion.chunk","usage":{usage},"created":1726132850,"system_fingerprint":null,"model":"qwen-plus","id":"{ID}"}}"#
    );
    let end = format!(
        "{}{}{}0\r\n\r\n",
        frame(&tail),
        frame(&usage),
        frame("[DONE]")
    );
    socket.write_all(end.as_bytes()).await
}

/// A tenth of a second of a 440 Hz tone as Omni sends speech: base64 of s16le PCM, 24 kHz.
fn tone() -> String {
    use base64::Engine as _;
    let pcm: Vec<u8> = (0..2_400)
        .flat_map(|i| {
            let t = f64::from(i) / 24_000.0;
            let sample = (t * 440.0 * std::f64::consts::TAU).sin() * 8_000.0;
            (sample as i16).to_le_bytes()
        })
        .collect();
    base64::engine::general_purpose::STANDARD.encode(pcm)
}
