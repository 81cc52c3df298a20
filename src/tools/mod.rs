//! The user's tools for `qwen tools`: definitions, argument validation and safe execution.
//!
//! A [`Toolbox`] holds every tool from the tool files (`[[tool]]`, run as local programs by
//! [`exec`]) and from MCP servers (`--mcp`, `[[mcp]]`, called through [`mcp`]). This module
//! never talks to a model: the loop that does is [`run`], and it decides what may run.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

use crate::term::printable;

pub mod defs;
pub mod exec;
pub mod mcp;
pub mod reap;
pub mod run;
pub mod strict;
mod toolbox;

pub use toolbox::{Toolbox, load};

/// One tool the model may call.
pub struct Tool {
    /// The name people use (`qwen tools call`, `--allow`, messages): the definition's, or
    /// `server.tool` for MCP tools.
    pub name: String,
    /// The name the model calls it by: the same, but `server__tool` for MCP tools (with the
    /// dots of the tool's own name as `_`), since function names may not hold dots.
    pub function: String,
    /// What it does, for the model.
    pub description: String,
    /// JSON Schema of the arguments.
    pub parameters: Value,
    /// Runs without asking (`allow = true` in its definition).
    pub allow: bool,
    /// Where it was defined, for `qwen tools list` and messages.
    pub source: String,
    /// How it runs.
    pub kind: Kind,
    /// An MCP tool's `execution.taskSupport` (`forbidden`, `optional` or `required`), when
    /// its server says.
    pub task_support: Option<String>,
    validator: jsonschema::Validator,
}

/// How a tool runs.
pub enum Kind {
    /// A local program.
    Command(exec::CommandSpec),
    /// A tool of an MCP server.
    Mcp {
        /// Index into the toolbox's servers.
        server: usize,
        /// The tool's name on its server.
        remote: String,
    },
}

/// Where tool definitions come from, as the command line and config give them.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// `--tools FILE` (each must exist).
    pub files: Vec<PathBuf>,
    /// `tools.toml` in the config dir (read when it exists).
    pub default_file: Option<PathBuf>,
    /// `--mcp 'CMD ARGS…'`.
    pub mcp_args: Vec<String>,
    /// `[[mcp]]` tables of config.toml, with the directory relative paths start from.
    pub mcp_config: Vec<crate::config::McpConfig>,
    /// Where config.toml lives.
    pub config_dir: PathBuf,
    /// Silence MCP servers' stderr.
    pub quiet: bool,
}

/// How a call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// It ran and succeeded.
    Ok,
    /// It ran and failed (non-zero exit, a signal, an MCP error), or could not start.
    Failed,
    /// It ran past its timeout and was killed.
    TimedOut,
    /// Not run: nobody allowed it.
    Refused,
    /// Not run: the arguments do not match the schema.
    InvalidArguments,
    /// Not run: no tool has that name.
    UnknownTool,
    /// Not run: `--max-steps` was reached first.
    NotRun,
}

impl Status {
    /// Returns the name used in JSONL events.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Failed => "error",
            Status::TimedOut => "timeout",
            Status::Refused => "refused",
            Status::InvalidArguments => "invalid_arguments",
            Status::UnknownTool => "unknown_tool",
            Status::NotRun => "not_run",
        }
    }
}

/// What one call produced.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// How it ended.
    pub status: Status,
    /// The exit code of a program that exited normally.
    pub exit_code: Option<i32>,
    /// The tool's output (stdout, or an MCP result's text), cut at the cap.
    pub output: String,
    /// A program's stderr (the start of it).
    pub stderr: String,
    /// The output was longer than the cap.
    pub truncated: bool,
    /// The cap, for the truncation marker.
    pub max_output: usize,
    /// How long it ran.
    pub duration: Duration,
    /// Why it failed or was not run, in one line.
    pub error: Option<String>,
}

impl Outcome {
    /// An outcome for a call that was not run (or could not start).
    pub fn not_run(status: Status, error: impl Into<String>) -> Self {
        Self {
            status,
            exit_code: None,
            output: String::new(),
            stderr: String::new(),
            truncated: false,
            max_output: 0,
            duration: Duration::ZERO,
            error: Some(error.into()),
        }
    }

    /// Returns the tool message content the model sees.
    pub fn content(&self) -> String {
        let mut text = String::new();
        if let Some(error) = &self.error {
            let _ = write!(text, "error: {error}");
            if !self.stderr.trim().is_empty() {
                let _ = write!(text, "\nstderr:\n{}", self.stderr.trim_end());
            }
            if !self.output.trim().is_empty() {
                let _ = write!(text, "\noutput:\n{}", self.output.trim_end());
            }
        } else if self.output.is_empty() {
            text.push_str("(no output)");
        } else {
            text.push_str(&self.output);
        }
        if self.truncated {
            if !text.ends_with('\n') {
                text.push('\n');
            }
            let _ = write!(
                text,
                "[output truncated: the tool printed more than {} bytes]",
                self.max_output
            );
        }
        text
    }
}

/// Compiles a tool's parameter schema; the arguments must be an object.
pub fn compile_schema(schema: &Value) -> Result<jsonschema::Validator, String> {
    let Some(object) = schema.as_object() else {
        return Err("the parameter schema must be a JSON object".into());
    };
    if let Some(kind) = object.get("type")
        && kind != "object"
    {
        return Err(format!(
            "the parameter schema must have `type = \"object\"` (arguments are a JSON object), not {kind}"
        ));
    }
    jsonschema::validator_for(schema).map_err(|e| {
        format!(
            "the parameter schema does not compile: {}",
            e.to_string().replace('\n', " ")
        )
    })
}

impl Tool {
    /// Parses and checks arguments as the model sent them; the error lists what is wrong.
    ///
    /// Empty text counts as `{}`: some models send nothing for a tool without parameters.
    /// A key repeated in one object is an error ([`strict`]): the tool must run with what
    /// was shown, not with whichever copy a parser keeps.
    pub fn check_arguments(&self, arguments: &str) -> Result<Value, String> {
        let value: Value = if arguments.trim().is_empty() {
            Value::Object(Default::default())
        } else {
            strict::parse(arguments).map_err(|e| match e {
                strict::Error::Syntax(e) => format!("the arguments are not valid JSON ({e})"),
                strict::Error::Duplicate { key, at } => format!(
                    "the key `{}` appears twice in the arguments (at `{}`); send every key once",
                    printable(&elide_name(&key)),
                    printable(&elide_name(&at))
                ),
            })?
        };
        if !value.is_object() {
            return Err("the arguments must be a JSON object".into());
        }
        let problems: Vec<String> = self
            .validator
            .iter_errors(&value)
            .take(5)
            .map(|e| {
                let at = e.instance_path().to_string();
                format!("{}: {e}", if at.is_empty() { "/" } else { &at })
            })
            .collect();
        if problems.is_empty() {
            Ok(value)
        } else {
            Err(format!(
                "the arguments do not match the schema: {}",
                problems.join("; ")
            ))
        }
    }

    /// Returns false for a tool the model is not offered: an MCP tool that can only run as an
    /// MCP task (`execution.taskSupport = "required"`), which `qwen` does not support.
    pub fn offered(&self) -> bool {
        self.task_support.as_deref() != Some("required")
    }

    /// Returns a short description of what runs: the argv, or the MCP server.
    pub fn target(&self, toolbox: &Toolbox) -> String {
        match &self.kind {
            Kind::Command(spec) => shell_words::join(&spec.argv),
            Kind::Mcp { server, remote } => {
                format!(
                    "tool `{remote}` of MCP server `{}`",
                    toolbox.servers[*server].name
                )
            }
        }
    }
}

/// Shortens a name for a message: at most 64 characters, the rest replaced by `…`.
fn elide_name(name: &str) -> Cow<'_, str> {
    match name.char_indices().nth(64) {
        Some((end, _)) => Cow::Owned(format!("{}…", &name[..end])),
        None => Cow::Borrowed(name),
    }
}

/// Returns `path` made absolute against the current directory (without resolving links).
pub(crate) fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::borrow::Cow;

    fn tool(schema: Value) -> Tool {
        Tool {
            name: "t".into(),
            function: "t".into(),
            description: String::new(),
            validator: compile_schema(&schema).unwrap(),
            parameters: schema,
            allow: false,
            source: "test".into(),
            kind: Kind::Mcp {
                server: 0,
                remote: "t".into(),
            },
            task_support: None,
        }
    }

    #[test]
    fn arguments_are_checked_against_the_schema() {
        let t = tool(json!({
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
            "additionalProperties": false
        }));
        assert_eq!(
            t.check_arguments(r#"{"city":"Paris"}"#).unwrap(),
            json!({"city": "Paris"})
        );
        let err = t.check_arguments(r#"{"city": 5}"#).unwrap_err();
        assert!(err.contains("/city"), "{err}");
        let err = t.check_arguments("{}").unwrap_err();
        assert!(err.contains("city"), "{err}");
        assert!(
            t.check_arguments("{\"city\":")
                .unwrap_err()
                .contains("not valid JSON")
        );
        assert!(t.check_arguments("[1]").unwrap_err().contains("object"));
        let err = t
            .check_arguments(r#"{"city": "Oslo", "city": "Paris"}"#)
            .unwrap_err();
        assert_eq!(
            err,
            "the key `city` appears twice in the arguments (at `/`); send every key once"
        );
        let long = format!(r#"{{"{0}\u001b": 1, "{0}\u001b": 2}}"#, "k".repeat(100));
        let err = t.check_arguments(&long).unwrap_err();
        assert!(
            err.contains(&format!("`{}…`", "k".repeat(64))),
            "long keys are cut: {err}"
        );
        let any = tool(json!({"type": "object"}));
        assert_eq!(any.check_arguments("  ").unwrap(), json!({}));
    }

    #[test]
    fn schemas_must_describe_objects_and_compile() {
        assert!(compile_schema(&json!({"type": "string"})).is_err());
        assert!(compile_schema(&json!([1])).is_err());
        let err =
            compile_schema(&json!({"type": "object", "properties": {"a": {"type": "strin"}}}))
                .unwrap_err();
        assert!(err.contains("does not compile"), "{err}");
        assert!(compile_schema(&json!({})).is_ok());
    }

    #[test]
    fn printable_escapes_what_would_drive_a_terminal() {
        assert!(matches!(
            printable("get_weather {\"city\": \"Zürich\"}"),
            Cow::Borrowed(_)
        ));
        assert_eq!(printable("a\x1b[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(printable("x\u{7}\ny\u{9b}"), "x\\u{7}\\u{a}y\\u{9b}");
        assert_eq!(printable("abc\u{202e}fed"), "abc\\u{202e}fed");
    }

    #[test]
    fn content_marks_errors_and_truncation() {
        let mut o = Outcome::not_run(Status::Failed, "`t` exited with status 3");
        o.stderr = "bad input\n".into();
        assert_eq!(
            o.content(),
            "error: `t` exited with status 3\nstderr:\nbad input"
        );
        let o = Outcome {
            status: Status::Ok,
            exit_code: Some(0),
            output: "aaaa".into(),
            stderr: String::new(),
            truncated: true,
            max_output: 4,
            duration: Duration::ZERO,
            error: None,
        };
        assert_eq!(
            o.content(),
            "aaaa\n[output truncated: the tool printed more than 4 bytes]"
        );
    }
}
