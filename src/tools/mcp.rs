//! MCP servers over stdio, through the official Rust SDK (`rmcp`).
//!
//! A server is started like a command tool (argv, minimal environment, its own process
//! group that is killed when the server is dropped), initialised, asked for its tools, and
//! called once per tool call. Its stderr is ours (it is talk), unless `--quiet`.
//!
//! rmcp reads the server's stdout through [`TaskWatch`], which notes each listed tool's
//! `execution.taskSupport` (MCP 2025-11-25): rmcp's `Tool` does not keep that field, and a
//! tool that must run as a task fails every plain call. rmcp 3.11 speaks the later tasks
//! extension (SEP-2663, where the server decides), not that spec's task-augmented calls, so
//! such tools are listed but not offered to the model.

use std::collections::HashMap;
use std::io;
use std::pin::Pin;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, ready};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use rmcp::model::{
    CallToolRequestParams, ClientCapabilities, ClientConfig, ContentBlock, Implementation,
};
use rmcp::service::RunningService;
use rmcp::{RoleClient, ServiceExt as _};
use serde::Deserialize;
use serde_json::Value;
use tokio::io::{AsyncRead, ReadBuf};

use super::defs::McpDef;
use super::exec::base_command;
use super::reap::GroupGuard;
use super::{Outcome, Status};
use crate::exit::ConfigError;
use crate::units::format_duration;

/// A running MCP server.
pub struct Server {
    /// The tool-name prefix.
    pub name: String,
    timeout: Duration,
    max_output: usize,
    service: RunningService<RoleClient, ClientConfig>,
    /// `execution.taskSupport` of the tools that declare one, by the server's tool name.
    task_support: Arc<Mutex<HashMap<String, String>>>,
    /// The server's process (killed when dropped).
    _child: tokio::process::Child,
    // Declared last, so the service closes its pipes before the group is killed.
    _group: GroupGuard,
}

impl Server {
    /// Starts the server and completes the MCP handshake.
    pub async fn start(def: &McpDef, quiet: bool) -> anyhow::Result<Self> {
        let mut cmd = base_command(&def.argv, &def.env);
        let stderr = if quiet {
            Stdio::null()
        } else {
            Stdio::inherit()
        };
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(stderr);
        let mut child = cmd.spawn().map_err(|e| {
            ConfigError(format!(
                "failed to start MCP server `{}` (from `{}`): `{}`: {e}",
                def.name, def.origin, def.argv[0]
            ))
        })?;
        let group = GroupGuard::new(child.id());
        let (Some(stdout), Some(stdin)) = (child.stdout.take(), child.stdin.take()) else {
            anyhow::bail!("MCP server `{}`: no pipes to talk over", def.name);
        };
        let task_support = Arc::default();
        let transport = (TaskWatch::new(stdout, Arc::clone(&task_support)), stdin);
        let info = ClientConfig::new(
            ClientCapabilities::default(),
            Implementation::new("qwen", env!("CARGO_PKG_VERSION")),
        );
        let service = tokio::time::timeout(def.timeout, info.serve(transport))
            .await
            .map_err(|_| {
                anyhow::anyhow!(
                    "MCP server `{}` did not finish its handshake within {}",
                    def.name,
                    format_duration(def.timeout)
                )
            })?
            .with_context(|| format!("MCP server `{}` failed its handshake", def.name))?;
        Ok(Self {
            name: def.name.clone(),
            timeout: def.timeout,
            max_output: def.max_output,
            service,
            task_support,
            _child: child,
            _group: group,
        })
    }

    /// Returns the `execution.taskSupport` the server listed for its tool `remote`.
    pub fn task_support(&self, remote: &str) -> Option<String> {
        let seen = self.task_support.lock().unwrap_or_else(|e| e.into_inner());
        seen.get(remote).cloned()
    }

    /// Lists the server's tools (every page).
    pub async fn list_tools(&self) -> anyhow::Result<Vec<rmcp::model::Tool>> {
        tokio::time::timeout(self.timeout, self.service.list_all_tools())
            .await
            .map_err(|_| {
                anyhow::anyhow!("MCP server `{}` did not list its tools in time", self.name)
            })?
            .with_context(|| format!("MCP server `{}` could not list its tools", self.name))
    }

    /// Calls one tool; errors and timeouts become error outcomes the model sees.
    pub async fn call(&self, remote: &str, arguments: &Value) -> Outcome {
        let started = Instant::now();
        let mut params = CallToolRequestParams::new(remote.to_owned());
        if let Value::Object(map) = arguments {
            params = params.with_arguments(map.clone());
        }
        let result = tokio::time::timeout(self.timeout, self.service.call_tool(params)).await;
        let mut outcome = Outcome {
            status: Status::Ok,
            exit_code: None,
            output: String::new(),
            stderr: String::new(),
            truncated: false,
            max_output: self.max_output,
            duration: Duration::ZERO,
            error: None,
        };
        let label = format!("{}.{remote}", self.name);
        match result {
            Err(_) => {
                outcome.status = Status::TimedOut;
                outcome.error = Some(format!(
                    "`{label}` timed out after {}",
                    format_duration(self.timeout)
                ));
            }
            Ok(Err(err)) => {
                outcome.status = Status::Failed;
                outcome.error = Some(format!("`{label}` failed: {err}"));
            }
            Ok(Ok(result)) => {
                let mut text = result
                    .content
                    .iter()
                    .map(block_text)
                    .collect::<Vec<_>>()
                    .join("\n");
                if text.is_empty()
                    && let Some(structured) = &result.structured_content
                {
                    text = structured.to_string();
                }
                let (text, truncated) = cut(text, self.max_output);
                outcome.output = text;
                outcome.truncated = truncated;
                if result.is_error == Some(true) {
                    outcome.status = Status::Failed;
                    outcome.error = Some(format!("`{label}` reported an error"));
                }
            }
        }
        outcome.duration = started.elapsed();
        outcome
    }

    /// Closes the connection; the server should exit, and its group is killed regardless.
    pub async fn shutdown(self) {
        let Server {
            service,
            _child,
            _group,
            ..
        } = self;
        let _ = tokio::time::timeout(Duration::from_secs(2), service.cancel()).await;
    }
}

/// The longest line [`TaskWatch`] looks into (rmcp's own cap on one message).
const MAX_WATCHED_LINE: usize = 16 * 1024 * 1024;

/// A server's stdout, passed through to rmcp unchanged, with the `execution.taskSupport` of
/// every tool in a `tools/list` reply noted on the way.
struct TaskWatch<R> {
    inner: R,
    /// The line read so far (empty while skipping one that is too long to look into).
    line: Vec<u8>,
    skipping: bool,
    seen: Arc<Mutex<HashMap<String, String>>>,
}

impl<R> TaskWatch<R> {
    fn new(inner: R, seen: Arc<Mutex<HashMap<String, String>>>) -> Self {
        Self {
            inner,
            line: Vec::new(),
            skipping: false,
            seen,
        }
    }

    fn observe(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            let (part, rest, ended) = match bytes.iter().position(|&b| b == b'\n') {
                Some(i) => (&bytes[..i], &bytes[i + 1..], true),
                None => (bytes, &[][..], false),
            };
            if !self.skipping {
                if self.line.len() + part.len() > MAX_WATCHED_LINE {
                    self.skipping = true;
                    self.line = Vec::new();
                } else {
                    self.line.extend_from_slice(part);
                }
            }
            if ended {
                if !self.skipping {
                    note_task_support(&self.line, &self.seen);
                }
                self.line.clear();
                self.skipping = false;
            }
            bytes = rest;
        }
    }
}

impl<R: AsyncRead + Unpin> AsyncRead for TaskWatch<R> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        ready!(Pin::new(&mut this.inner).poll_read(cx, buf))?;
        this.observe(&buf.filled()[before..]);
        Poll::Ready(Ok(()))
    }
}

/// Records the `execution.taskSupport` of the tools in `line`, if it is a `tools/list` reply
/// that mentions one (other messages are not parsed twice).
fn note_task_support(line: &[u8], seen: &Mutex<HashMap<String, String>>) {
    #[derive(Deserialize)]
    struct Reply {
        result: Page,
    }
    #[derive(Deserialize)]
    struct Page {
        tools: Vec<Listed>,
    }
    #[derive(Deserialize)]
    struct Listed {
        name: String,
        execution: Option<Execution>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Execution {
        task_support: Option<String>,
    }

    const NEEDLE: &[u8] = b"taskSupport";
    if !line.windows(NEEDLE.len()).any(|w| w == NEEDLE) {
        return;
    }
    let Ok(reply) = serde_json::from_slice::<Reply>(line) else {
        return;
    };
    let mut seen = seen.lock().unwrap_or_else(|e| e.into_inner());
    for tool in reply.result.tools {
        if let Some(support) = tool.execution.and_then(|e| e.task_support) {
            seen.insert(tool.name, support);
        }
    }
}

/// Text of a content block; other kinds as their JSON, with binary data left out.
fn block_text(block: &ContentBlock) -> String {
    if let ContentBlock::Text(text) = block {
        return text.text.clone();
    }
    let mut value = serde_json::to_value(block).unwrap_or(Value::Null);
    strip_binary(&mut value);
    value.to_string()
}

fn strip_binary(value: &mut Value) {
    if let Value::Object(map) = value {
        for key in ["data", "blob"] {
            if let Some(Value::String(s)) = map.get(key) {
                let note = format!("[{} bytes of base64 omitted]", s.len());
                map.insert(key.into(), Value::String(note));
            }
        }
        for v in map.values_mut() {
            strip_binary(v);
        }
    }
}

/// Cuts `text` to at most `cap` bytes at a character boundary.
fn cut(mut text: String, cap: usize) -> (String, bool) {
    if text.len() <= cap {
        return (text, false);
    }
    let mut end = cap;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    (text, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_at_character_boundaries() {
        assert_eq!(cut("héllo".into(), 2), ("h".into(), true));
        assert_eq!(cut("abc".into(), 3), ("abc".into(), false));
    }

    #[tokio::test]
    async fn task_support_is_noted_from_tools_list_replies_in_any_split() {
        use tokio::io::AsyncReadExt as _;
        let text = concat!(
            r#"{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-06-18"}}"#,
            "\n",
            r#"{"jsonrpc":"2.0","id":2,"result":{"tools":[{"name":"a","inputSchema":{}},"#,
            r#"{"name":"r.x","inputSchema":{},"execution":{"taskSupport":"required"}},"#,
            r#"{"name":"o","inputSchema":{},"execution":{"taskSupport":"optional"}}]}}"#,
            "\n",
            r#"{"jsonrpc":"2.0","id":3,"result":{"content":[{"type":"text","text":"taskSupport"}]}}"#,
            "\n",
        );
        for cut in [1, 7, 64, text.len()] {
            let seen = Arc::default();
            let chunks = text.as_bytes().chunks(cut).map(<[u8]>::to_vec).collect();
            let mut watch = TaskWatch::new(Chunks(chunks), Arc::clone(&seen));
            let mut out = Vec::new();
            watch.read_to_end(&mut out).await.unwrap();
            assert_eq!(out, text.as_bytes(), "passed through unchanged");
            let seen = seen.lock().unwrap();
            assert_eq!(seen.len(), 2, "cut {cut}: {seen:?}");
            assert_eq!(seen["r.x"], "required");
            assert_eq!(seen["o"], "optional");
        }
    }

    /// A reader that hands out one chunk per read, as a pipe would.
    struct Chunks(std::collections::VecDeque<Vec<u8>>);

    impl AsyncRead for Chunks {
        fn poll_read(
            self: Pin<&mut Self>,
            _: &mut Context<'_>,
            buf: &mut ReadBuf<'_>,
        ) -> Poll<io::Result<()>> {
            let chunks = &mut self.get_mut().0;
            if let Some(mut chunk) = chunks.pop_front() {
                let n = chunk.len().min(buf.remaining());
                buf.put_slice(&chunk[..n]);
                if n < chunk.len() {
                    chunks.push_front(chunk.split_off(n));
                }
            }
            Poll::Ready(Ok(()))
        }
    }

    #[test]
    fn binary_content_is_summarised() {
        let mut v = serde_json::json!({"type": "image", "data": "AAAA", "mimeType": "image/png"});
        strip_binary(&mut v);
        assert_eq!(v["data"], "[4 bytes of base64 omitted]");
    }
}
