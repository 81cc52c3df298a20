//! A fake DashScope Batch API on 127.0.0.1: files (multipart upload, list, content) and
//! batches that move validating → in_progress → finalizing → a terminal status, one step per
//! poll, then write output and error files in both documented error-line shapes.
//!
//! A line whose prompt contains `ERRBODY` fails in the `response.body.error` shape, one with
//! `ERRTOP` in the top-level `error` shape; an `expired` or cancelled batch runs only the
//! first half of its lines.
//!
//! Lists page like DashScope's (`limit`, `after`, `has_more`, `last_id`; newest first) with a
//! settable page size; every call is counted; a list can be made to answer 404/405; and one
//! upload or create can be made to "hang": the server does the work but never answers, which
//! is how a test puts a crash between sending a call and recording its answer.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Default)]
struct File {
    name: String,
    content: Vec<u8>,
}

struct Batch {
    id: String,
    input: String,
    status: String,
    polls: usize,
    total: usize,
    output: Option<String>,
    error: Option<String>,
    completed: usize,
    failed: usize,
    cancel_requested: bool,
}

#[derive(Default)]
struct State {
    files: Vec<(String, File)>,
    batches: Vec<Batch>,
    uploads: usize,
    creates: usize,
    /// The terminal status batches reach when not cancelled.
    terminal: String,
    /// Every call, as `METHOD /path` (the query left out).
    calls: Vec<String>,
    /// The largest page a list returns.
    page_cap: usize,
    /// When set, `GET /files` and `GET /batches` answer this status.
    list_status: Option<u16>,
    /// A call (`POST /files`, `POST /batches`) that is done but never answered, once.
    hang: Option<String>,
    /// A call that is done but answered with an error status instead, once.
    fail: Option<(String, u16)>,
}

/// A running fake Batch API.
pub struct BatchApi {
    addr: std::net::SocketAddr,
    state: Arc<Mutex<State>>,
}

impl BatchApi {
    /// Starts a server whose batches end with `terminal` (`completed`, `expired`, `failed`).
    pub fn start(terminal: &str) -> Self {
        let state = Arc::new(Mutex::new(State {
            terminal: terminal.to_owned(),
            page_cap: 100,
            ..Default::default()
        }));
        let (tx, rx) = std::sync::mpsc::channel();
        let st = Arc::clone(&state);
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
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
                    let st = Arc::clone(&st);
                    tokio::spawn(async move {
                        let _ = serve(socket, &st).await;
                    });
                }
            });
        });
        Self {
            addr: rx.recv().unwrap(),
            state,
        }
    }

    /// The base URL for `--base-url`.
    pub fn uri(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    /// Files uploaded so far.
    pub fn uploads(&self) -> usize {
        self.state.lock().unwrap().uploads
    }

    /// Batches created so far.
    pub fn creates(&self) -> usize {
        self.state.lock().unwrap().creates
    }

    /// Every call so far, as `METHOD /path`.
    pub fn calls(&self) -> Vec<String> {
        self.state.lock().unwrap().calls.clone()
    }

    /// Lists return at most `n` entries a page.
    pub fn page_size(&self, n: usize) {
        self.state.lock().unwrap().page_cap = n;
    }

    /// Lists answer `status` (404, 405) from now on.
    pub fn lists_answer(&self, status: u16) {
        self.state.lock().unwrap().list_status = Some(status);
    }

    /// The next `call` (`POST /files`, `POST /batches`) is done but never answered.
    pub fn hang_on(&self, call: &str) {
        self.state.lock().unwrap().hang = Some(call.to_owned());
    }

    /// The next `call` is done but answered with `status` (its answer lost in a 5xx).
    pub fn fail_after_work(&self, call: &str, status: u16) {
        self.state.lock().unwrap().fail = Some((call.to_owned(), status));
    }

    /// Adds `n` files someone else uploaded (newer than every file so far).
    pub fn add_other_files(&self, n: usize) {
        let mut st = self.state.lock().unwrap();
        for i in 0..n {
            let id = format!("file-other-{}", st.files.len());
            st.files.push((
                id,
                File {
                    name: format!("other-{i}.jsonl"),
                    content: Vec::new(),
                },
            ));
        }
    }

    /// Every uploaded line, parsed.
    pub fn uploaded_lines(&self) -> Vec<Value> {
        let st = self.state.lock().unwrap();
        st.files
            .iter()
            .filter(|(id, _)| id.starts_with("file-batch-"))
            .flat_map(|(_, f)| {
                String::from_utf8_lossy(&f.content)
                    .lines()
                    .map(|l| serde_json::from_str(l).unwrap())
                    .collect::<Vec<Value>>()
            })
            .collect()
    }
}

async fn serve(mut socket: TcpStream, st: &Mutex<State>) -> std::io::Result<()> {
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
        let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
        let lower = head.to_ascii_lowercase();
        let length: usize = lower
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        while buf.len() < head_end + length {
            if socket.read_buf(&mut buf).await? == 0 {
                return Ok(());
            }
        }
        let body = buf[head_end..head_end + length].to_vec();
        buf.drain(..head_end + length);
        let mut words = head.split_whitespace();
        let method = words.next().unwrap_or("").to_owned();
        let target = words.next().unwrap_or("").to_owned();
        let (mut status, mut reply) = route(st, &method, &target, &lower, &body);
        let hang = {
            let mut st = st.lock().unwrap();
            let call = st.calls.last().cloned().unwrap_or_default();
            if st.fail.as_ref().is_some_and(|(c, _)| *c == call) {
                status = st.fail.take().unwrap().1;
                reply =
                    br#"{"error":{"message":"internal error","code":"InternalError"}}"#.to_vec();
            }
            let hang = st.hang.as_deref() == Some(call.as_str());
            if hang {
                st.hang = None;
            }
            hang
        };
        if hang {
            // The work is done; the answer is lost with the client that waits for it.
            std::future::pending::<()>().await;
        }
        let response = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            reply.len()
        );
        socket.write_all(response.as_bytes()).await?;
        socket.write_all(&reply).await?;
    }
}

fn route(st: &Mutex<State>, method: &str, target: &str, head: &str, body: &[u8]) -> (u16, Vec<u8>) {
    let mut st = st.lock().unwrap();
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    // Served under any root ending in `/v1` (`/v1`, `/compatible-mode/v1`).
    let path = path.find("/v1/").map_or(path, |at| &path[at + 3..]);
    st.calls.push(format!("{method} {path}"));
    let json = |v: Value| (200, v.to_string().into_bytes());
    let param = |name: &str| {
        query
            .split('&')
            .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
    };
    let limit = param("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(20usize)
        .min(st.page_cap);
    if let (Some(status), "GET", "/files" | "/batches") = (st.list_status, method, path) {
        return (
            status,
            br#"{"error":{"message":"not allowed","code":"NotAllowed"}}"#.to_vec(),
        );
    }
    match (method, path) {
        ("POST", "/files") => {
            let (name, content) = multipart_file(head, body);
            st.uploads += 1;
            let id = format!("file-batch-{}", st.uploads);
            st.files.push((
                id.clone(),
                File {
                    name: name.clone(),
                    content,
                },
            ));
            json(
                json!({"id": id, "filename": name, "purpose": "batch", "object": "file", "status": "processed"}),
            )
        }
        ("GET", "/files") => {
            let all: Vec<Value> = st
                .files
                .iter()
                .rev()
                .map(|(id, f)| json!({"id": id, "filename": f.name, "purpose": "batch"}))
                .collect();
            json(page(all, param("after"), limit))
        }
        ("POST", "/batches") => {
            let req: Value = serde_json::from_slice(body).unwrap();
            let input = req["input_file_id"].as_str().unwrap().to_owned();
            let total = st
                .files
                .iter()
                .find(|(id, _)| *id == input)
                .map_or(0, |(_, f)| {
                    String::from_utf8_lossy(&f.content).lines().count()
                });
            st.creates += 1;
            let id = format!("batch_{}", st.creates);
            st.batches.push(Batch {
                id,
                input,
                status: "validating".into(),
                polls: 0,
                total,
                output: None,
                error: None,
                completed: 0,
                failed: 0,
                cancel_requested: false,
            });
            let b = st.batches.last().unwrap();
            json(batch_json(b))
        }
        ("GET", "/batches") => {
            let filter = param("input_file_ids");
            let all: Vec<Value> = st
                .batches
                .iter()
                .rev()
                .filter(|b| filter.is_none_or(|f| f.split(',').any(|id| id == b.input)))
                .map(batch_json)
                .collect();
            json(page(all, param("after"), limit))
        }
        (_, p) if p.starts_with("/batches/") => {
            let rest = &p["/batches/".len()..];
            let (id, cancel) = match rest.strip_suffix("/cancel") {
                Some(id) => (id.to_owned(), method == "POST"),
                None => (rest.to_owned(), false),
            };
            let terminal = st.terminal.clone();
            let Some(index) = st.batches.iter().position(|b| b.id == id) else {
                return (
                    404,
                    br#"{"error":{"message":"no such batch","code":"not_found"}}"#.to_vec(),
                );
            };
            if cancel {
                st.batches[index].cancel_requested = true;
                st.batches[index].status = "cancelling".into();
            } else {
                advance(&mut st, index, &terminal);
            }
            json(batch_json(&st.batches[index]))
        }
        ("GET", p) if p.starts_with("/files/") && p.ends_with("/content") => {
            let id = &p["/files/".len()..p.len() - "/content".len()];
            match st.files.iter().find(|(fid, _)| fid == id) {
                Some((_, f)) => (200, f.content.clone()),
                None => (404, br#"{"error":{"message":"no such file"}}"#.to_vec()),
            }
        }
        _ => (404, br#"{"error":{"message":"not found"}}"#.to_vec()),
    }
}

/// One page of a list, newest first, starting after the entry `after`.
fn page(all: Vec<Value>, after: Option<&str>, limit: usize) -> Value {
    let start = after.map_or(0, |after| {
        all.iter()
            .position(|v| v["id"] == after)
            .map_or(all.len(), |at| at + 1)
    });
    let end = (start + limit).min(all.len());
    let data = all[start.min(end)..end].to_vec();
    json!({"object": "list", "has_more": end < all.len(),
        "first_id": data.first().map(|v| v["id"].clone()),
        "last_id": data.last().map(|v| v["id"].clone()), "data": data})
}

fn batch_json(b: &Batch) -> Value {
    json!({"id": b.id, "object": "batch", "endpoint": "/v1/chat/completions", "errors": null,
        "input_file_id": b.input, "completion_window": "24h", "status": b.status,
        "output_file_id": b.output, "error_file_id": b.error,
        "request_counts": {"total": b.total, "completed": b.completed, "failed": b.failed}})
}

/// One step of the lifecycle per poll; the terminal step writes the result files.
fn advance(st: &mut State, index: usize, terminal: &str) {
    let b = &mut st.batches[index];
    b.polls += 1;
    let next = match (b.status.as_str(), b.cancel_requested) {
        ("cancelling", _) => "cancelled",
        ("validating", _) => "in_progress",
        ("in_progress", _) => "finalizing",
        ("finalizing", _) => terminal,
        (other, _) => other,
    }
    .to_owned();
    if next == b.status {
        return;
    }
    b.status = next.clone();
    if !matches!(
        next.as_str(),
        "completed" | "expired" | "cancelled" | "failed"
    ) {
        return;
    }
    let input = st
        .files
        .iter()
        .find(|(id, _)| *id == st.batches[index].input)
        .unwrap()
        .1
        .content
        .clone();
    let lines: Vec<Value> = String::from_utf8_lossy(&input)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let run = match next.as_str() {
        "completed" => lines.len(),
        "failed" => 0,
        _ => lines.len() / 2,
    };
    let (mut out, mut err) = (String::new(), String::new());
    let (mut completed, mut failed) = (0, 0);
    for line in &lines[..run] {
        let id = &line["custom_id"];
        let content = &line["body"]["messages"].as_array().unwrap().last().unwrap()["content"];
        // A string, or content parts (`--attach`): their text part.
        let prompt = content.as_str().map_or_else(
            || content[0]["text"].as_str().unwrap_or_default().to_owned(),
            str::to_owned,
        );
        if prompt.contains("ERRBODY") {
            failed += 1;
            err.push_str(&json!({"id": "r", "custom_id": id, "response": {"status_code": 400, "request_id": "r",
                "body": {"error": {"code": "invalid_parameter_error", "message": "bad body", "type": "invalid_request_error"}}}, "error": null}).to_string());
            err.push('\n');
        } else if prompt.contains("ERRTOP") {
            failed += 1;
            err.push_str(&json!({"id": "r", "custom_id": id, "response": null, "error": {"code": "InvalidParameter", "message": "bad top"}}).to_string());
            err.push('\n');
        } else {
            completed += 1;
            out.push_str(&json!({"id": "r", "custom_id": id, "response": {"status_code": 200, "request_id": "r",
                "body": {"choices": [{"message": {"role": "assistant", "content": format!("re: {prompt}")}, "finish_reason": "stop", "index": 0}],
                         "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}, "model": line["body"]["model"]}}, "error": null}).to_string());
            out.push('\n');
        }
    }
    let n = st.files.len();
    let batch = &mut st.batches[index];
    batch.completed = completed;
    batch.failed = failed;
    let mut new_files = Vec::new();
    if !out.is_empty() {
        let id = format!("file-batch_output-{n}");
        batch.output = Some(id.clone());
        new_files.push((
            id,
            File {
                name: "output.jsonl".into(),
                content: out.into_bytes(),
            },
        ));
    }
    if !err.is_empty() {
        let id = format!("file-batch_error-{n}");
        batch.error = Some(id.clone());
        new_files.push((
            id,
            File {
                name: "error.jsonl".into(),
                content: err.into_bytes(),
            },
        ));
    }
    st.files.extend(new_files);
}

/// Pulls the file name and content out of a multipart body (one file part).
fn multipart_file(head: &str, body: &[u8]) -> (String, Vec<u8>) {
    let boundary = head
        .lines()
        .find_map(|l| l.split("boundary=").nth(1))
        .unwrap()
        .trim()
        .trim_matches('"')
        .to_owned();
    let text = body.to_vec();
    let marker = format!("--{boundary}");
    let s = String::from_utf8_lossy(&text).into_owned();
    for part in s.split(&marker) {
        if let Some(at) = part.find("filename=\"") {
            let name = part[at + 10..].split('"').next().unwrap().to_owned();
            let start = part.find("\r\n\r\n").unwrap() + 4;
            let content = part[start..].trim_end_matches("\r\n").as_bytes().to_vec();
            return (name, content);
        }
    }
    panic!("no file part in the upload");
}

/// Collects how many times each item id appears with each status.
pub fn statuses(lines: &[Value]) -> HashMap<String, Vec<String>> {
    let mut map: HashMap<String, Vec<String>> = HashMap::new();
    for l in lines {
        map.entry(l["id"].as_str().unwrap().to_owned())
            .or_default()
            .push(l["status"].as_str().unwrap().to_owned());
    }
    map
}
