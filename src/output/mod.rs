//! Events → text, JSONL or JSON on stdout; reasoning and notes → stderr.
//!
//! One [`Renderer`] owns stdout for the whole command and flushes after every piece of text,
//! because a token nobody sees yet is useless. JSONL lines carry `"v"` (the schema version,
//! documented in the README) and `"type"`, so `jq 'select(.type=="text")'` works.

use std::io::{self, Write};

use serde_json::{Map, Value, json};

pub mod audio;
pub mod live;
pub mod markdown;
pub mod progress;
pub mod sources;
pub mod spinner;
mod thinking;

pub use thinking::{REASONING_MARK, Thinking};

use crate::api::ApiError;
use crate::api::turn::Turn;
use crate::api::types::{Event, ToolCall, Usage};
use crate::render::{MarkdownStream, Style};

/// The JSONL/JSON schema version.
pub const SCHEMA_VERSION: u32 = 1;

/// How results are written to stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text, streamed as it arrives.
    Text,
    /// One JSON event per line (`{"v":1,"type":"text",...}`), streamed.
    Jsonl,
    /// One JSON object when the reply is complete.
    Json,
}

impl Format {
    /// Reads a format's name (`text`, `jsonl`, `json`, in any case), as `format = "…"`.
    pub fn parse(name: &str) -> Option<Format> {
        [
            ("text", Format::Text),
            ("jsonl", Format::Jsonl),
            ("json", Format::Json),
        ]
        .into_iter()
        .find_map(|(known, format)| known.eq_ignore_ascii_case(name).then_some(format))
    }
}

/// Writes a command's results to stdout in the chosen format.
pub struct Renderer<W: Write> {
    out: W,
    format: Format,
    thinking: Thinking,
    /// Text mode: the last byte written to stdout was not a newline.
    open_line: bool,
    /// Text mode: reasoning was written to stderr and not yet closed with a newline.
    reasoning_open: bool,
    /// The reply came from the response cache (`"cached": true` on `done`).
    cached: bool,
    /// JSON mode: the partial-mode prefix that starts `text`.
    prefix: String,
    /// JSONL: the `source` events were written (later frames may repeat the list).
    sources_shown: bool,
    /// Text mode on a terminal: the reply drawn as Markdown (its output drained into `out`).
    markdown: Option<MarkdownStream<Vec<u8>>>,
    /// `--audio-out`: the WAV file being written, then what was written.
    audio: Option<audio::WavOut>,
    audio_written: Option<audio::AudioSummary>,
}

/// Builds a JSONL/JSON object with the version and type fields first.
fn object(kind: Option<&str>) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("v".into(), json!(SCHEMA_VERSION));
    if let Some(kind) = kind {
        map.insert("type".into(), json!(kind));
    }
    map
}

/// The usage object of JSONL `usage` events and the JSON reply.
pub fn usage_json(usage: &Usage) -> Value {
    let mut v = json!({
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "total_tokens": usage.total_tokens,
        "reasoning_tokens": usage.reasoning_tokens,
        "cached_tokens": usage.cached_tokens,
        "cache_write_tokens": usage.cache_write_tokens,
    });
    // Media tokens only where the server reported them (additive to schema v1).
    for (key, n) in [
        ("image_tokens", usage.image_tokens),
        ("audio_tokens", usage.audio_tokens),
        ("video_tokens", usage.video_tokens),
        ("output_audio_tokens", usage.output_audio_tokens),
    ] {
        if n > 0 {
            v[key] = json!(n);
        }
    }
    v
}

/// The error object of JSONL `error` events and the JSON error reply.
pub fn error_json(err: &ApiError) -> Map<String, Value> {
    let mut map = Map::new();
    match err {
        ApiError::Status {
            status,
            code,
            message,
            request_id,
            ..
        } => {
            map.insert("status".into(), json!(status));
            map.insert("code".into(), json!(code));
            map.insert("message".into(), json!(crate::secret::redact(message)));
            map.insert("request_id".into(), json!(request_id));
        }
        other => {
            map.insert("status".into(), Value::Null);
            map.insert("code".into(), json!(other.kind()));
            map.insert(
                "message".into(),
                json!(crate::secret::redact(&other.to_string())),
            );
            map.insert("request_id".into(), Value::Null);
        }
    }
    map
}

fn tool_call_json(call: &ToolCall) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("id".into(), json!(call.id));
    map.insert("name".into(), json!(call.name));
    map.insert("arguments".into(), json!(call.arguments));
    map
}

impl<W: Write> Renderer<W> {
    /// Creates a renderer writing to `out`.
    pub fn new(out: W, format: Format, thinking: Thinking) -> Self {
        Self {
            out,
            format,
            thinking,
            open_line: false,
            reasoning_open: false,
            cached: false,
            prefix: String::new(),
            sources_shown: false,
            markdown: None,
            audio: None,
            audio_written: None,
        }
    }

    /// Shows the partial-mode prefix the reply continues: written at once in text mode, a
    /// `text` event with `"prefix": true` in JSONL, the start of `text` in JSON.
    pub fn prefix(&mut self, prefix: &str) -> io::Result<()> {
        match self.format {
            Format::Json => self.prefix = prefix.to_owned(),
            Format::Jsonl => {
                let mut map = object(Some("text"));
                map.insert("text".into(), json!(prefix));
                map.insert("prefix".into(), json!(true));
                self.line(map)?;
            }
            Format::Text => self.event(&Event::Text(prefix.to_owned()))?,
        }
        Ok(())
    }

    /// Draws text replies as Markdown in `style` (see [`markdown::reply_style`]); `None`
    /// writes them as they come. Other formats are never drawn.
    pub fn with_markdown(mut self, style: Option<Style>) -> Self {
        self.markdown = style
            .filter(|_| self.format == Format::Text)
            .map(|style| MarkdownStream::new(Vec::new(), style));
        self
    }

    /// Writes what the Markdown renderer has drawn so far.
    fn drain_markdown(&mut self) -> io::Result<()> {
        if let Some(md) = &mut self.markdown {
            let drawn = md.get_mut();
            if !drawn.is_empty() {
                self.out.write_all(drawn)?;
                drawn.clear();
            }
        }
        Ok(())
    }

    /// Ends a drawn reply: `cut` when it stopped early (Ctrl-C, an error), which also
    /// resets the terminal's style.
    fn end_markdown(&mut self, cut: bool) -> io::Result<()> {
        if let Some(md) = &mut self.markdown {
            // Writing to a Vec cannot fail.
            let _ = if cut { md.interrupt() } else { md.finish() };
        }
        self.drain_markdown()
    }

    fn line(&mut self, map: Map<String, Value>) -> io::Result<()> {
        self.write_line(map)?;
        self.out.flush()
    }

    fn write_line(&mut self, map: Map<String, Value>) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, &Value::Object(map))?;
        self.out.write_all(b"\n")
    }

    /// Writes one event as it arrives (text and JSONL) and flushes; JSON waits for
    /// [`Self::finish`].
    pub fn event(&mut self, event: &Event) -> io::Result<()> {
        self.event_unflushed(event)?;
        self.out.flush()
    }

    /// Writes one event without flushing, for an event followed at once by more.
    pub fn event_unflushed(&mut self, event: &Event) -> io::Result<()> {
        match (self.format, event) {
            (Format::Text, Event::Text(text)) => {
                self.close_reasoning();
                if let Some(md) = &mut self.markdown {
                    let _ = md.push(text);
                    self.drain_markdown()?;
                } else {
                    self.out.write_all(text.as_bytes())?;
                    self.open_line = !text.ends_with('\n');
                }
            }
            (Format::Text, Event::Reasoning(text)) => {
                self.thinking.show(text, &mut self.reasoning_open);
            }
            (Format::Jsonl, Event::Text(text)) => {
                let mut map = object(Some("text"));
                map.insert("text".into(), json!(text));
                self.write_line(map)?;
            }
            (Format::Jsonl, Event::Sources(list)) if !self.sources_shown && !list.is_empty() => {
                for source in list {
                    let mut map = object(Some("source"));
                    map.extend(sources::fields(source));
                    self.write_line(map)?;
                }
                self.sources_shown = true;
            }
            (Format::Jsonl, Event::Reasoning(text)) => {
                let mut map = object(Some("reasoning"));
                map.insert("text".into(), json!(text));
                self.write_line(map)?;
            }
            (_, Event::Audio(pcm)) => self.audio_piece(pcm)?,
            _ => {}
        }
        Ok(())
    }

    fn close_reasoning(&mut self) {
        if self.reasoning_open {
            let _ = writeln!(io::stderr().lock());
            self.reasoning_open = false;
        }
    }

    /// Writes the end of a successful reply: tool calls, usage and `done` (JSONL), the
    /// whole object (JSON), or a final newline (text).
    pub fn finish(&mut self, turn: &Turn) -> io::Result<()> {
        let c = &turn.completion;
        self.finish_audio()?;
        match self.format {
            Format::Text => {
                self.close_reasoning();
                self.end_markdown(false)?;
                self.end_line()?;
            }
            Format::Jsonl => {
                for call in &c.tool_calls {
                    let mut map = object(Some("tool_call"));
                    map.extend(tool_call_json(call));
                    self.line(map)?;
                }
                if let Some(usage) = &c.usage {
                    let mut map = object(Some("usage"));
                    if let Value::Object(u) = usage_json(usage) {
                        map.extend(u);
                    }
                    self.line(map)?;
                }
                let mut map = object(Some("done"));
                map.extend(done_fields(turn));
                if self.cached {
                    map.insert("cached".into(), json!(true));
                }
                self.line(map)?;
            }
            Format::Json => {
                let mut map = object(None);
                map.insert("model".into(), json!(answered_by(turn)));
                map.insert("text".into(), json!(format!("{}{}", self.prefix, c.text)));
                if !c.reasoning.is_empty() {
                    map.insert("reasoning".into(), json!(c.reasoning));
                }
                if !c.tool_calls.is_empty() {
                    let calls = c
                        .tool_calls
                        .iter()
                        .map(|t| Value::Object(tool_call_json(t)));
                    map.insert("tool_calls".into(), Value::Array(calls.collect()));
                }
                if !c.sources.is_empty() {
                    map.insert("sources".into(), sources::array(&c.sources));
                }
                map.insert(
                    "usage".into(),
                    c.usage.as_ref().map_or(Value::Null, usage_json),
                );
                map.extend(done_fields(turn));
                if self.cached {
                    map.insert("cached".into(), json!(true));
                }
                if let Some(audio) = &self.audio_written {
                    map.insert("audio".into(), audio.json());
                }
                self.line(map)?;
            }
        }
        Ok(())
    }

    /// Ends an unfinished text line so the shell prompt starts on its own line.
    fn end_line(&mut self) -> io::Result<()> {
        if self.open_line {
            self.out.write_all(b"\n")?;
            self.open_line = false;
        }
        self.out.flush()
    }

    /// Reports a failed reply on stdout where the format has a place for it (JSONL, JSON);
    /// the one-line message on stderr is `error::report`'s job.
    pub fn error(&mut self, err: &ApiError) -> io::Result<()> {
        self.audio = None;
        match self.format {
            Format::Text => {
                self.close_reasoning();
                self.end_markdown(true)?;
                self.end_line()
            }
            Format::Jsonl => {
                let mut map = object(Some("error"));
                map.extend(error_json(err));
                self.line(map)
            }
            Format::Json => {
                let mut map = object(None);
                map.insert("error".into(), Value::Object(error_json(err)));
                self.line(map)
            }
        }
    }

    /// Closes the output after Ctrl-C: what arrived stays, and JSONL says why it stopped.
    pub fn interrupted(&mut self) -> io::Result<()> {
        self.audio = None;
        match self.format {
            Format::Text => {
                self.close_reasoning();
                self.end_markdown(true)?;
                self.end_line()
            }
            Format::Jsonl => {
                let mut map = object(Some("error"));
                map.extend(interrupted_fields());
                self.line(map)
            }
            Format::Json => {
                let mut map = object(None);
                map.insert("error".into(), Value::Object(interrupted_fields()));
                self.line(map)
            }
        }
    }

    /// Marks the reply as served from the response cache.
    pub fn set_cached(&mut self, cached: bool) {
        self.cached = cached;
    }

    /// Gives access to the writer (for commands that print lists or dry runs).
    pub fn writer(&mut self) -> &mut W {
        &mut self.out
    }
}

fn interrupted_fields() -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("status".into(), Value::Null);
    map.insert("code".into(), json!("interrupted"));
    map.insert("message".into(), json!("interrupted by the user"));
    map.insert("request_id".into(), Value::Null);
    map
}

/// The model that answered, as the server named it (`qwen-plus-latest` asked for may be
/// answered by a dated snapshot; a local server answers with whatever it loaded), else the
/// model asked for.
pub fn answered_by(turn: &Turn) -> &str {
    if turn.completion.model.is_empty() {
        &turn.model
    } else {
        &turn.completion.model
    }
}

fn done_fields(turn: &Turn) -> Map<String, Value> {
    let c = &turn.completion;
    let mut map = Map::new();
    map.insert("finish_reason".into(), json!(c.finish_reason));
    map.insert("model".into(), json!(answered_by(turn)));
    if answered_by(turn) != turn.model {
        map.insert("requested_model".into(), json!(turn.model));
    }
    map.insert("request_id".into(), json!(c.request_id));
    map.insert("latency_ms".into(), json!(turn.latency.as_millis() as u64));
    map.insert(
        "ttft_ms".into(),
        json!(turn.ttft.map(|d| d.as_millis() as u64)),
    );
    map.insert("attempts".into(), json!(turn.attempts));
    if !turn.fallback_from.is_empty() {
        map.insert("fallback_from".into(), json!(turn.fallback_from));
    }
    map
}

#[cfg(test)]
mod tests;
