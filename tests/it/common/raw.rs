//! A raw TCP server for what wiremock cannot do: drip-fed streams, stalls, broken
//! connections, and a trap that counts what arrives.

use super::*;

/// What the raw server does after its response head.
#[derive(Debug, Clone)]
pub enum Step {
    /// Write these bytes as one HTTP chunk.
    Send(String),
    /// Write these as HTTP chunks of their own, all in one socket write: they arrive
    /// together, as a burst that was already generated does.
    Burst(Vec<String>),
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
            Step::Burst(parts) => {
                let chunks: String = parts
                    .iter()
                    .map(|data| format!("{:x}\r\n{data}\r\n", data.len()))
                    .collect();
                if socket.write_all(chunks.as_bytes()).await.is_err()
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
