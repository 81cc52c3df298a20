//! A fault-injecting fake DashScope server for batch tests, on 127.0.0.1.
//!
//! Each request is answered by a script that sees the request's prompt and how many times
//! that prompt was seen before, so a test can say "the first try of item 3 gets a 429 with
//! Retry-After: 1, the second succeeds". The server counts requests and the most requests
//! in flight at once, and logs when each prompt arrived.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// A streamed (or whole, for `stream: false`) answer with this text.
    Ok(String),
    /// An error status with a JSON body and optional `Retry-After` seconds.
    Error {
        status: u16,
        body: String,
        retry_after: Option<u64>,
    },
    /// Close the connection without answering.
    Drop,
    /// A 200 stream whose chunk is not JSON.
    Malformed,
}

/// The script: (prompt, how many times this prompt came before) → (delay, reply).
pub type Script = dyn Fn(&str, usize) -> (Duration, Reply) + Send + Sync;

#[derive(Default)]
struct State {
    requests: AtomicUsize,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    seen: Mutex<HashMap<String, Vec<Instant>>>,
}

/// A running fault server; it lives as long as the test.
pub struct FaultServer {
    addr: SocketAddr,
    state: Arc<State>,
}

impl FaultServer {
    /// Starts a server answering with `script`.
    pub fn start(
        script: impl Fn(&str, usize) -> (Duration, Reply) + Send + Sync + 'static,
    ) -> Self {
        let script: Arc<Script> = Arc::new(script);
        let state = Arc::new(State::default());
        let (tx, rx) = std::sync::mpsc::channel();
        let st = Arc::clone(&state);
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
                tx.send(listener.local_addr().unwrap()).unwrap();
                loop {
                    let Ok((socket, _)) = listener.accept().await else {
                        return;
                    };
                    let (script, st) = (Arc::clone(&script), Arc::clone(&st));
                    tokio::spawn(async move {
                        let _ = serve(socket, &*script, &st).await;
                    });
                }
            });
        });
        let addr = rx.recv().unwrap();
        Self { addr, state }
    }

    /// A server where every request succeeds after `delay`.
    pub fn ok_after(delay: Duration) -> Self {
        Self::start(move |prompt, _| (delay, Reply::Ok(format!("re: {prompt}"))))
    }

    /// The base URL to pass as `--base-url`.
    pub fn uri(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    /// Requests received.
    pub fn requests(&self) -> usize {
        self.state.requests.load(Ordering::SeqCst)
    }

    /// The most requests that were in flight at once.
    pub fn max_in_flight(&self) -> usize {
        self.state.max_in_flight.load(Ordering::SeqCst)
    }

    /// When each request for a prompt arrived, in order.
    pub fn arrivals(&self, prompt_contains: &str) -> Vec<Instant> {
        let seen = self.state.seen.lock().unwrap();
        let mut all: Vec<Instant> = seen
            .iter()
            .filter(|(p, _)| p.contains(prompt_contains))
            .flat_map(|(_, times)| times.iter().copied())
            .collect();
        all.sort();
        all
    }
}

async fn serve(mut socket: TcpStream, script: &Script, st: &State) -> std::io::Result<()> {
    let mut buf = Vec::new();
    loop {
        let head_end = loop {
            if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break pos + 4;
            }
            if socket.read_buf(&mut buf).await? == 0 {
                return Ok(());
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        while buf.len() < head_end + length {
            if socket.read_buf(&mut buf).await? == 0 {
                return Ok(());
            }
        }
        let body: Value =
            serde_json::from_slice(&buf[head_end..head_end + length]).unwrap_or(Value::Null);
        buf.drain(..head_end + length);
        let prompt = body["messages"]
            .as_array()
            .and_then(|m| m.last())
            .and_then(|m| m["content"].as_str())
            .unwrap_or("")
            .to_owned();
        let stream = body["stream"] == Value::Bool(true);
        let before = {
            let mut seen = st.seen.lock().unwrap();
            let times = seen.entry(prompt.clone()).or_default();
            times.push(Instant::now());
            times.len() - 1
        };
        st.requests.fetch_add(1, Ordering::SeqCst);
        let now = st.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        st.max_in_flight.fetch_max(now, Ordering::SeqCst);
        let (delay, reply) = script(&prompt, before);
        tokio::time::sleep(delay).await;
        let result = answer(&mut socket, reply, stream).await;
        st.in_flight.fetch_sub(1, Ordering::SeqCst);
        if !result? {
            return Ok(());
        }
    }
}

/// Writes the reply; returns false when the connection must close.
async fn answer(socket: &mut TcpStream, reply: Reply, stream: bool) -> std::io::Result<bool> {
    let write = |status: u16, ctype: &str, extra: String, body: String| {
        format!(
            "HTTP/1.1 {status} X\r\ncontent-type: {ctype}\r\nx-request-id: req-1\r\n{extra}content-length: {}\r\n\r\n{body}",
            body.len()
        )
    };
    let text = match reply {
        Reply::Drop => return Ok(false),
        Reply::Error {
            status,
            body,
            retry_after,
        } => {
            let extra = retry_after.map_or(String::new(), |s| format!("retry-after: {s}\r\n"));
            socket
                .write_all(write(status, "application/json", extra, body).as_bytes())
                .await?;
            return Ok(true);
        }
        Reply::Malformed => {
            let body = "data: {this is not json\n\n".to_owned();
            socket
                .write_all(write(200, "text/event-stream", String::new(), body).as_bytes())
                .await?;
            return Ok(true);
        }
        Reply::Ok(text) => text,
    };
    let usage = r#"{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}"#;
    let response = if stream {
        let chunk = serde_json::json!({"choices":[{"delta":{"content":text},"index":0,"finish_reason":null}],"model":"qwen-plus","id":"chatcmpl-1"});
        let body = format!(
            "data: {chunk}\n\ndata: {{\"choices\":[{{\"delta\":{{}},\"index\":0,\"finish_reason\":\"stop\"}}],\"model\":\"qwen-plus\"}}\n\ndata: {{\"choices\":[],\"usage\":{usage}}}\n\ndata: [DONE]\n\n"
        );
        write(200, "text/event-stream", String::new(), body)
    } else {
        let body = serde_json::json!({"choices":[{"message":{"role":"assistant","content":text},"finish_reason":"stop","index":0}],"model":"qwen-plus","usage":serde_json::from_str::<Value>(usage).unwrap()});
        write(200, "application/json", String::new(), body.to_string())
    };
    socket.write_all(response.as_bytes()).await?;
    Ok(true)
}
