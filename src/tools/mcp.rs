//! MCP servers over stdio, through the official Rust SDK (`rmcp`).
//!
//! A server is started like a command tool (argv, minimal environment, its own process
//! group that is killed when the server is dropped), initialised, asked for its tools, and
//! called once per tool call. Its stderr is ours (it is talk), unless `--quiet`.

use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use rmcp::model::{
    CallToolRequestParams, ClientCapabilities, ClientConfig, ContentBlock, Implementation,
};
use rmcp::service::RunningService;
use rmcp::transport::TokioChildProcess;
use rmcp::{RoleClient, ServiceExt as _};
use serde_json::Value;

use super::defs::McpDef;
use super::exec::{GroupGuard, base_command};
use super::{Outcome, Status};
use crate::config::{ConfigError, format_duration};

/// A running MCP server.
pub struct Server {
    /// The tool-name prefix.
    pub name: String,
    timeout: Duration,
    max_output: usize,
    service: RunningService<RoleClient, ClientConfig>,
    // Declared last, so the service closes its pipes before the group is killed.
    _group: GroupGuard,
}

impl Server {
    /// Starts the server and completes the MCP handshake.
    pub async fn start(def: &McpDef, quiet: bool) -> anyhow::Result<Self> {
        let cmd = base_command(&def.argv, &def.env);
        let stderr = if quiet {
            Stdio::null()
        } else {
            Stdio::inherit()
        };
        let (transport, _) = TokioChildProcess::builder(cmd)
            .stderr(stderr)
            .spawn()
            .map_err(|e| {
                ConfigError(format!(
                    "failed to start MCP server `{}` (from `{}`): `{}`: {e}",
                    def.name, def.origin, def.argv[0]
                ))
            })?;
        let group = GroupGuard::new(transport.id());
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
            _group: group,
        })
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
            service, _group, ..
        } = self;
        let _ = tokio::time::timeout(Duration::from_secs(2), service.cancel()).await;
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

    #[test]
    fn binary_content_is_summarised() {
        let mut v = serde_json::json!({"type": "image", "data": "AAAA", "mimeType": "image/png"});
        strip_binary(&mut v);
        assert_eq!(v["data"], "[4 bytes of base64 omitted]");
    }
}
