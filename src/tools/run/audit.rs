//! The audit trail of `qwen tools run`: every event as JSONL (stdout with `--format jsonl`,
//! and the `--transcript` file whatever the format), one line per tool call on stderr in
//! text mode, and the final answer on stdout.
//!
//! JSONL events carry `"v"` and `"type"` like `chat`'s: `start`, `reasoning`, `text`,
//! `tool_call`, `tool_result`, `usage`, `done` and `error`; all but `start`, `done` and
//! `error` also carry the `step` (the model request, counted from 1) they belong to.

use std::fs::File;
use std::io::{self, LineWriter, Write};

use serde_json::{Map, Value, json};

use crate::api::ApiError;
use crate::api::types::{ToolCall, Usage};
use crate::output::{Format, SCHEMA_VERSION, Thinking, error_json, usage_json};
use crate::term::printable;
use crate::tools::{Outcome, Status};
use crate::units::format_duration;

/// Writes the events of one run where they belong.
pub struct Audit<W: Write> {
    out: W,
    format: Format,
    thinking: Thinking,
    transcript: Option<LineWriter<File>>,
    quiet: bool,
    reasoning_open: bool,
    /// `--format json`: the calls and their results, for the one object at the end.
    calls: Vec<Value>,
    /// Text mode: the answer drawn as Markdown in this style.
    markdown: Option<crate::render::Style>,
}

/// How a call came to run (or not), for the audit trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// `allow = true` in its definition.
    Definition,
    /// `--allow NAME` or `--allow SERVER.*`.
    Flag,
    /// `--allow-all`.
    AllowAll,
    /// The user said yes (or always) at the terminal.
    Confirmed,
    /// Nobody allowed it.
    Refused,
    /// Not asked: it was never going to run (unknown tool, invalid arguments, max steps).
    NotAsked,
}

impl Permission {
    fn as_str(self) -> Option<&'static str> {
        match self {
            Permission::Definition => Some("definition"),
            Permission::Flag => Some("flag"),
            Permission::AllowAll => Some("allow_all"),
            Permission::Confirmed => Some("confirmed"),
            Permission::Refused => Some("refused"),
            Permission::NotAsked => None,
        }
    }
}

/// The fields of the closing `done` event.
pub struct Done<'a> {
    /// Model requests made.
    pub steps: u32,
    /// Tool calls the model asked for.
    pub tool_calls: usize,
    /// Why the last reply ended.
    pub finish_reason: Option<&'a str>,
    /// The model that gave the last reply.
    pub model: &'a str,
    /// The model asked for, when the server answered as another (as chat's `done` says).
    pub requested_model: Option<&'a str>,
    /// The last reply's request id.
    pub request_id: Option<&'a str>,
    /// Time since the first request.
    pub latency_ms: u64,
    /// Tokens over every step.
    pub usage: &'a Usage,
}

fn object(kind: &str, step: Option<u32>) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("v".into(), json!(SCHEMA_VERSION));
    map.insert("type".into(), json!(kind));
    if let Some(step) = step {
        map.insert("step".into(), json!(step));
    }
    map
}

/// One line, no longer than `max` characters, for showing arguments on stderr; control
/// characters are escaped ([`printable`]), since the text often comes from the model.
pub fn short(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let flat = printable(&flat);
    if flat.chars().count() <= max {
        flat.into_owned()
    } else {
        let mut cut: String = flat.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

impl<W: Write> Audit<W> {
    /// Creates the writer; `transcript` receives every event whatever the format.
    pub fn new(
        out: W,
        format: Format,
        thinking: Thinking,
        transcript: Option<File>,
        quiet: bool,
    ) -> Self {
        Self {
            out,
            format,
            thinking,
            transcript: transcript.map(LineWriter::new),
            quiet,
            reasoning_open: false,
            calls: Vec::new(),
            markdown: None,
        }
    }

    /// Draws the answer as Markdown in `style` in text mode; `None` writes it as it came.
    pub fn with_markdown(mut self, style: Option<crate::render::Style>) -> Self {
        self.markdown = style;
        self
    }

    fn emit(&mut self, map: Map<String, Value>) -> io::Result<()> {
        let line = Value::Object(map).to_string();
        if let Some(file) = &mut self.transcript {
            writeln!(file, "{line}")?;
        }
        if self.format == Format::Jsonl {
            writeln!(self.out, "{line}")?;
            self.out.flush()?;
        }
        Ok(())
    }

    /// A line on stderr for people (text mode only, not with `--quiet`).
    fn say(&mut self, line: &str) {
        if self.format != Format::Text || self.quiet {
            return;
        }
        self.close_reasoning();
        let _ = writeln!(io::stderr().lock(), "qwen: {line}");
    }

    fn close_reasoning(&mut self) {
        if self.reasoning_open {
            let _ = writeln!(io::stderr().lock());
            self.reasoning_open = false;
        }
    }

    /// The run starts: which model, which tools.
    pub fn start(&mut self, model: &str, tools: &[String], max_steps: u32) -> io::Result<()> {
        let mut map = object("start", None);
        map.insert("model".into(), json!(model));
        map.insert("tools".into(), json!(tools));
        map.insert("max_steps".into(), json!(max_steps));
        self.emit(map)
    }

    /// A piece of reasoning: an event, and stderr in text mode when shown.
    pub fn reasoning(&mut self, step: u32, text: &str) -> io::Result<()> {
        if self.format == Format::Text {
            self.thinking.show(text, &mut self.reasoning_open);
        }
        let mut map = object("reasoning", Some(step));
        map.insert("text".into(), json!(text));
        self.emit(map)
    }

    /// A piece of the model's text (stdout gets the final answer separately in text mode).
    pub fn text(&mut self, step: u32, text: &str) -> io::Result<()> {
        let mut map = object("text", Some(step));
        map.insert("text".into(), json!(text));
        self.emit(map)
    }

    /// Text the model wrote next to its tool calls: shown on stderr in text mode, because
    /// stdout holds only the final answer.
    pub fn interim(&mut self, text: &str) {
        let text = text.trim();
        if !text.is_empty() {
            // Its lines stay lines; escape sequences in them are shown, not obeyed.
            let lines: Vec<_> = text.lines().map(printable).collect();
            self.say(&format!("model: {}", lines.join("\n")));
        }
    }

    /// The model asks for a call.
    pub fn tool_call(&mut self, step: u32, call: &ToolCall) -> io::Result<()> {
        let mut map = object("tool_call", Some(step));
        map.insert("id".into(), json!(call.id));
        map.insert("name".into(), json!(call.name));
        map.insert("arguments".into(), json!(call.arguments));
        self.emit(map)
    }

    /// A call ended (or was not run): an event, and a line on stderr in text mode.
    pub fn tool_result(
        &mut self,
        step: u32,
        call: &ToolCall,
        outcome: &Outcome,
        permission: Permission,
    ) -> io::Result<()> {
        let content = outcome.content();
        let duration_ms = outcome.duration.as_millis() as u64;
        let mut map = object("tool_result", Some(step));
        map.insert("id".into(), json!(call.id));
        map.insert("name".into(), json!(call.name));
        map.insert("status".into(), json!(outcome.status.as_str()));
        map.insert("permission".into(), json!(permission.as_str()));
        map.insert("exit_code".into(), json!(outcome.exit_code));
        map.insert("duration_ms".into(), json!(duration_ms));
        map.insert("truncated".into(), json!(outcome.truncated));
        map.insert("content".into(), json!(content));
        if self.format == Format::Json {
            let mut entry = map.clone();
            entry.remove("v");
            entry.remove("type");
            entry.insert("arguments".into(), json!(call.arguments));
            self.calls.push(Value::Object(entry));
        }
        self.emit(map)?;
        // The name is the model's (it may name no tool), and so are the arguments.
        let line = format!(
            "tool {} {} → {}",
            printable(&call.name),
            short(&call.arguments, 60),
            describe(outcome)
        );
        self.say(&line);
        Ok(())
    }

    /// Token usage of one step.
    pub fn usage(&mut self, step: u32, usage: &Usage) -> io::Result<()> {
        let mut map = object("usage", Some(step));
        if let Value::Object(u) = usage_json(usage) {
            map.extend(u);
        }
        self.emit(map)
    }

    /// The run ends with an answer: stdout (text), `done` (JSONL), or the whole object (JSON).
    pub fn finish(&mut self, answer: &str, reasoning: &str, done: &Done<'_>) -> io::Result<()> {
        self.close_reasoning();
        let mut map = object("done", None);
        map.insert("steps".into(), json!(done.steps));
        map.insert("tool_calls".into(), json!(done.tool_calls));
        map.insert("finish_reason".into(), json!(done.finish_reason));
        map.insert("model".into(), json!(done.model));
        if let Some(asked) = done.requested_model {
            map.insert("requested_model".into(), json!(asked));
        }
        map.insert("request_id".into(), json!(done.request_id));
        map.insert("latency_ms".into(), json!(done.latency_ms));
        match self.format {
            Format::Text => {
                if let Some(style) = self.markdown {
                    crate::render::render_all(answer, style, &mut self.out)?;
                } else {
                    self.out.write_all(answer.as_bytes())?;
                    if !answer.ends_with('\n') {
                        self.out.write_all(b"\n")?;
                    }
                }
                self.out.flush()?;
            }
            Format::Jsonl => {}
            Format::Json => {
                let mut whole = Map::new();
                whole.insert("v".into(), json!(SCHEMA_VERSION));
                whole.insert("model".into(), json!(done.model));
                whole.insert("text".into(), json!(answer));
                if !reasoning.is_empty() {
                    whole.insert("reasoning".into(), json!(reasoning));
                }
                whole.insert(
                    "tool_calls".into(),
                    Value::Array(std::mem::take(&mut self.calls)),
                );
                whole.insert("usage".into(), usage_json(done.usage));
                for key in ["steps", "finish_reason", "request_id", "latency_ms"] {
                    whole.insert(key.into(), map[key].clone());
                }
                serde_json::to_writer(&mut self.out, &Value::Object(whole))?;
                self.out.write_all(b"\n")?;
                self.out.flush()?;
            }
        }
        self.emit(map)
    }

    /// The run failed: an `error` event (and the JSON object's `error`); the one-line message
    /// on stderr is `error::report`'s job.
    pub fn error(&mut self, error: Map<String, Value>) -> io::Result<()> {
        self.close_reasoning();
        if self.format == Format::Json {
            let mut whole = Map::new();
            whole.insert("v".into(), json!(SCHEMA_VERSION));
            whole.insert(
                "tool_calls".into(),
                Value::Array(std::mem::take(&mut self.calls)),
            );
            whole.insert("error".into(), Value::Object(error.clone()));
            serde_json::to_writer(&mut self.out, &Value::Object(whole))?;
            self.out.write_all(b"\n")?;
            self.out.flush()?;
        }
        let mut map = object("error", None);
        map.extend(error);
        self.emit(map)
    }

    /// An API failure.
    pub fn api_error(&mut self, err: &ApiError) -> io::Result<()> {
        self.error(error_json(err))
    }

    /// A failure of our own (`max_steps`, `interrupted`).
    pub fn failure(&mut self, code: &str, message: &str) -> io::Result<()> {
        let mut map = Map::new();
        map.insert("status".into(), Value::Null);
        map.insert("code".into(), json!(code));
        map.insert("message".into(), json!(message));
        map.insert("request_id".into(), Value::Null);
        self.error(map)
    }
}

/// How a call ended, for the stderr line.
fn describe(outcome: &Outcome) -> String {
    // Tools are often quick: `12ms` says more than `0.0s`.
    let took = if outcome.duration < std::time::Duration::from_secs(1) {
        format!("{}ms", outcome.duration.as_millis())
    } else {
        format_duration(outcome.duration)
    };
    let mut text = match outcome.status {
        Status::Ok => match outcome.exit_code {
            Some(code) => format!("exit {code} in {took}"),
            None => format!("ok in {took}"),
        },
        Status::Failed => match outcome.exit_code {
            Some(code) => format!("failed: exit {code} in {took}"),
            // An MCP server's error text, which may hold anything.
            None => format!(
                "failed in {took}: {}",
                printable(outcome.error.as_deref().unwrap_or("error"))
            ),
        },
        Status::TimedOut => format!("timed out after {took}, killed"),
        Status::Refused => "refused (not allowed)".to_owned(),
        Status::InvalidArguments => "not run: invalid arguments".to_owned(),
        Status::UnknownTool => "not run: no such tool".to_owned(),
        Status::NotRun => "not run".to_owned(),
    };
    if outcome.truncated {
        text.push_str(" (output truncated)");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn call() -> ToolCall {
        ToolCall {
            id: "call_1".into(),
            name: "get_weather".into(),
            arguments: "{\"city\": \"Paris\"}".into(),
        }
    }

    fn outcome() -> Outcome {
        Outcome {
            status: Status::Ok,
            exit_code: Some(0),
            output: "sunny".into(),
            stderr: String::new(),
            truncated: false,
            max_output: 100,
            duration: Duration::from_millis(12),
            error: None,
        }
    }

    #[test]
    fn jsonl_events_are_typed_versioned_and_numbered() {
        let mut a = Audit::new(Vec::new(), Format::Jsonl, Thinking::Hide, None, false);
        a.tool_call(1, &call()).unwrap();
        a.tool_result(1, &call(), &outcome(), Permission::Flag)
            .unwrap();
        let lines: Vec<Value> = String::from_utf8(a.out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines[0]["type"], "tool_call");
        assert_eq!(lines[1]["type"], "tool_result");
        assert_eq!(lines[1]["v"], 1);
        assert_eq!(lines[1]["step"], 1);
        assert_eq!(lines[1]["exit_code"], 0);
        assert_eq!(lines[1]["duration_ms"], 12);
        assert_eq!(lines[1]["truncated"], false);
        assert_eq!(lines[1]["permission"], "flag");
        assert_eq!(lines[1]["content"], "sunny");
    }

    #[test]
    fn text_mode_prints_only_the_answer() {
        let mut a = Audit::new(Vec::new(), Format::Text, Thinking::Hide, None, true);
        a.text(1, "Let me check.").unwrap();
        a.tool_call(1, &call()).unwrap();
        a.tool_result(1, &call(), &outcome(), Permission::Flag)
            .unwrap();
        let done = Done {
            steps: 2,
            tool_calls: 1,
            finish_reason: Some("stop"),
            model: "qwen-plus",
            requested_model: None,
            request_id: None,
            latency_ms: 5,
            usage: &Usage::default(),
        };
        a.finish("It is sunny.", "", &done).unwrap();
        assert_eq!(String::from_utf8(a.out).unwrap(), "It is sunny.\n");
    }

    #[test]
    fn short_arguments_fit_one_line() {
        assert_eq!(short("{\n  \"a\": 1\n}", 60), "{ \"a\": 1 }");
        assert_eq!(short("abcdef", 4), "abc…");
        assert_eq!(
            short("{\"a\": \"\x1b[31mred\"}", 60),
            "{\"a\": \"\\u{1b}[31mred\"}"
        );
    }
}
