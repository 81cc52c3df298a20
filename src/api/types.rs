//! The protocol-neutral request and the event stream every command consumes.
//!
//! Each wire format (`compat.rs`, `native.rs`) maps a [`ChatRequest`] to its own
//! body and its own responses back to [`Event`]s, so commands never know which one is in use.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use super::media::Part;

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Instructions for the model.
    System,
    /// The person (or script) asking.
    User,
    /// The model.
    Assistant,
    /// The result of a tool call.
    Tool,
}

impl Role {
    /// Returns the wire name of the role.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::System => "system",
            Role::User => "user",
            Role::Assistant => "assistant",
            Role::Tool => "tool",
        }
    }

    /// Parses a wire name; unknown names are `None`.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "system" => Role::System,
            "user" => Role::User,
            "assistant" => Role::Assistant,
            "tool" => Role::Tool,
            _ => return None,
        })
    }
}

/// One message of a conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// Who wrote it.
    pub role: Role,
    /// The text.
    pub content: String,
    /// The model's reasoning, sent back only where the protocol needs it (tool loops).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning: Option<String>,
    /// Tool calls the assistant asked for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tool_calls: Vec<ToolCall>,
    /// For a tool message: the call it answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_call_id: Option<String>,
    /// An assistant message the model continues (partial mode, dashscope-protocol.md
    /// §11.6): sent last, with `"partial": true`; its content stays a plain string.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
    /// An explicit prompt-cache marker (`cache_control: {"type":"ephemeral"}`) ends the
    /// cached prefix after this many bytes of `content` (`content.len()`: the whole
    /// message). Such a message is sent with array content: the text up to here as one
    /// marked part, the rest (if any) as a second part. Set only by `prompt_cache`; never
    /// stored.
    #[serde(skip)]
    pub cache_at: Option<usize>,
    /// Images, video and audio after the text, in order (`--attach`). Not saved with a
    /// conversation: a later turn sends the text only.
    #[serde(skip)]
    pub parts: Vec<Part>,
}

impl Message {
    /// Builds a plain text message.
    pub fn new(role: Role, content: impl Into<String>) -> Self {
        Self {
            role,
            content: content.into(),
            reasoning: None,
            tool_calls: Vec::new(),
            tool_call_id: None,
            partial: false,
            cache_at: None,
            parts: Vec::new(),
        }
    }

    /// Builds the assistant message whose text the model continues (partial mode).
    pub fn partial(prefix: impl Into<String>) -> Self {
        Self {
            partial: true,
            ..Self::new(Role::Assistant, prefix)
        }
    }
}

/// A complete tool call: the arguments are the raw JSON text the model produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolCall {
    /// The call id the tool result must quote.
    pub id: String,
    /// The function name.
    pub name: String,
    /// The arguments, as JSON text (not yet validated).
    pub arguments: String,
}

/// A function the model may call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolSpec {
    /// The function name.
    pub name: String,
    /// What it does, for the model.
    pub description: String,
    /// JSON Schema of the arguments.
    pub parameters: Value,
}

/// What shape the reply must have.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseFormat {
    /// Any JSON object (`json_object`).
    JsonObject,
    /// JSON matching a schema (`json_schema`).
    JsonSchema {
        /// A name for the schema, required by the wire format.
        name: String,
        /// The schema itself.
        schema: Value,
    },
}

/// Web search options (`search_options`, dashscope-protocol.md §11.7); both protocols take
/// them, only the native one returns sources.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SearchOptions {
    /// `forced_search`: search whatever the model decides.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forced_search: Option<bool>,
    /// `search_strategy`: `turbo`, `max`, `agent` or `agent_max`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_strategy: Option<String>,
    /// `enable_source`: return the sources (native `output.search_info`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub enable_source: bool,
    /// `enable_citation`: mark citations in the text (needs `enable_source`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub enable_citation: bool,
    /// `citation_format`, e.g. `[<number>]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation_format: Option<String>,
}

/// A web page the reply drew on (native `search_info.search_results`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// The number citations use.
    pub index: u64,
    /// The page title (from the web: escape it before showing it).
    pub title: String,
    /// The page URL.
    pub url: String,
    /// The site name (`site_name`), possibly empty.
    pub site: String,
}

/// Sampling and feature parameters; `None` means "the server's default".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Params {
    /// Sampling temperature.
    pub temperature: Option<f64>,
    /// Nucleus sampling.
    pub top_p: Option<f64>,
    /// Top-k sampling.
    pub top_k: Option<u32>,
    /// Maximum reply tokens.
    pub max_tokens: Option<u32>,
    /// Sampling seed.
    pub seed: Option<u64>,
    /// Stop sequences.
    pub stop: Vec<String>,
    /// Presence penalty.
    pub presence_penalty: Option<f64>,
    /// Repetition penalty.
    pub repetition_penalty: Option<f64>,
    /// `enable_thinking`.
    pub enable_thinking: Option<bool>,
    /// `thinking_budget`.
    pub thinking_budget: Option<u32>,
    /// `enable_search`.
    pub enable_search: Option<bool>,
    /// `search_options`.
    pub search_options: Option<SearchOptions>,
    /// `response_format`.
    pub response_format: Option<ResponseFormat>,
    /// Any other body fields, passed through as given (`--extra`).
    pub extra: Map<String, Value>,
}

/// A chat request, before it is mapped to a wire format.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatRequest {
    /// The model name.
    pub model: String,
    /// The conversation, oldest first.
    pub messages: Vec<Message>,
    /// Parameters.
    pub params: Params,
    /// Functions the model may call.
    pub tools: Vec<ToolSpec>,
    /// Stream the reply as it is generated.
    pub stream: bool,
    /// A raw completion prompt (`qwen complete`): when set, it is sent as is, with no chat
    /// template, and `messages` and `tools` are not sent.
    pub prompt: Option<String>,
}

impl ChatRequest {
    /// True when any message carries media parts.
    pub fn has_media(&self) -> bool {
        self.messages.iter().any(|m| !m.parts.is_empty())
    }

    /// True when any part is an `oss://` URL (the request needs the resolve header, §11.3).
    pub fn uses_oss(&self) -> bool {
        self.messages
            .iter()
            .flat_map(|m| &m.parts)
            .any(Part::uses_oss)
    }

    /// Every local file the request sends, in order.
    pub fn payloads(&self) -> Vec<std::sync::Arc<super::media::Payload>> {
        super::media::payloads(self.messages.iter().flat_map(|m| &m.parts))
    }
}

/// Token counts for one reply.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    /// Input tokens.
    pub prompt_tokens: u64,
    /// Output tokens, reasoning included.
    pub completion_tokens: u64,
    /// Input plus output.
    pub total_tokens: u64,
    /// Output tokens spent on reasoning.
    #[serde(default)]
    pub reasoning_tokens: u64,
    /// Input tokens served from the context cache.
    #[serde(default)]
    pub cached_tokens: u64,
    /// Input tokens written to the explicit context cache (billed at 125 %).
    #[serde(default)]
    pub cache_write_tokens: u64,
    /// The cache in use was the explicit one (`cache_type: "ephemeral"`): `cached_tokens`
    /// are explicit hits (billed at 10 %), not implicit ones (20 %).
    #[serde(default)]
    pub explicit_cache: bool,
    /// Input tokens spent on images (`--attach`).
    #[serde(default)]
    pub image_tokens: u64,
    /// Input tokens spent on audio.
    #[serde(default)]
    pub audio_tokens: u64,
    /// Input tokens spent on video.
    #[serde(default)]
    pub video_tokens: u64,
    /// Output tokens of a spoken reply (Omni `--audio-out`: `completion_tokens_details.
    /// audio_tokens`), part of `completion_tokens`, priced as audio output.
    #[serde(default)]
    pub output_audio_tokens: u64,
}

/// A piece of a tool call as it streams; fragments with the same `index` belong together.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ToolCallDelta {
    /// Which call this fragment belongs to.
    pub index: usize,
    /// The call id (first fragment only; later ones may carry `""`).
    pub id: Option<String>,
    /// The function name (first fragment only).
    pub name: Option<String>,
    /// A piece of the arguments text.
    pub arguments: Option<String>,
}

/// One thing that happened in a reply, in order. Both wire formats produce these.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// Response metadata, once per reply when the server names it.
    Meta {
        /// The model that answered, as the server names it.
        model: Option<String>,
        /// The request id.
        request_id: Option<String>,
    },
    /// A piece of the answer.
    Text(String),
    /// A piece of the reasoning.
    Reasoning(String),
    /// A piece of a tool call.
    ToolCall(ToolCallDelta),
    /// Token usage (the last one seen wins: the native protocol sends running totals).
    Usage(Usage),
    /// Why the model stopped.
    Finish(String),
    /// The web sources of a searched reply (native only; before the text they support).
    Sources(Vec<Source>),
    /// A piece of spoken reply (`--audio-out`): raw PCM, 16-bit little-endian, 24 kHz mono,
    /// decoded from the chunk's base64.
    Audio(Vec<u8>),
}

/// The assembled reply.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Completion {
    /// The model that answered.
    pub model: String,
    /// The request id, if the server gave one.
    pub request_id: Option<String>,
    /// The answer.
    pub text: String,
    /// The reasoning.
    pub reasoning: String,
    /// Tool calls, in the order their first fragments arrived (not sorted by `index`).
    pub tool_calls: Vec<ToolCall>,
    /// Why the model stopped.
    pub finish_reason: Option<String>,
    /// Token usage, if the server reported it.
    pub usage: Option<Usage>,
    /// The web sources, the first non-empty list the server sent.
    pub sources: Vec<Source>,
}

impl Completion {
    /// Folds one event into the reply.
    pub fn absorb(&mut self, event: &Event, partial_calls: &mut Vec<ToolCallDelta>) {
        match event {
            Event::Meta { model, request_id } => {
                if let Some(model) = model.as_ref().filter(|m| !m.is_empty()) {
                    self.model.clone_from(model);
                }
                if self.request_id.is_none() {
                    self.request_id.clone_from(request_id);
                }
            }
            Event::Text(text) => self.text.push_str(text),
            Event::Reasoning(text) => self.reasoning.push_str(text),
            Event::ToolCall(delta) => merge_tool_delta(partial_calls, delta),
            Event::Usage(usage) => self.usage = Some(*usage),
            Event::Finish(reason) => self.finish_reason = Some(reason.clone()),
            // Later native frames repeat an empty list; the first non-empty one counts.
            Event::Sources(sources) => {
                if self.sources.is_empty() {
                    self.sources.clone_from(sources);
                }
            }
            // The audio goes to its file as it comes; the reply keeps its text.
            Event::Audio(_) => {}
        }
    }

    /// Turns assembled fragments into complete calls (call when the stream has ended).
    pub fn finish_tool_calls(&mut self, partial_calls: Vec<ToolCallDelta>) {
        self.tool_calls = partial_calls
            .into_iter()
            .map(|d| ToolCall {
                id: d.id.unwrap_or_default(),
                name: d.name.unwrap_or_default(),
                arguments: d.arguments.unwrap_or_default(),
            })
            .collect();
    }
}

/// Appends a streamed fragment to the call with the same index.
fn merge_tool_delta(calls: &mut Vec<ToolCallDelta>, delta: &ToolCallDelta) {
    let slot = match calls.iter_mut().position(|c| c.index == delta.index) {
        Some(i) => &mut calls[i],
        None => {
            calls.push(ToolCallDelta {
                index: delta.index,
                ..Default::default()
            });
            calls.last_mut().expect("just pushed")
        }
    };
    // Later fragments repeat `"id": ""`; only a non-empty id or name counts.
    if let Some(id) = delta.id.as_ref().filter(|s| !s.is_empty()) {
        slot.id = Some(id.clone());
    }
    if let Some(name) = delta.name.as_ref().filter(|s| !s.is_empty()) {
        slot.name = Some(name.clone());
    }
    if let Some(args) = &delta.arguments {
        slot.arguments
            .get_or_insert_with(String::new)
            .push_str(args);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tool_call_fragments_merge_by_index() {
        let mut c = Completion::default();
        let mut partial = Vec::new();
        let frags = [
            (0, Some("call_a"), Some("get_weather"), Some("{\"city\":")),
            (1, Some("call_b"), Some("get_time"), None),
            (0, Some(""), None, Some(" \"Paris\"}")),
            (1, None, None, Some("{}")),
        ];
        for (index, id, name, args) in frags {
            let delta = ToolCallDelta {
                index,
                id: id.map(Into::into),
                name: name.map(Into::into),
                arguments: args.map(Into::into),
            };
            c.absorb(&Event::ToolCall(delta), &mut partial);
        }
        c.finish_tool_calls(partial);
        assert_eq!(c.tool_calls.len(), 2);
        assert_eq!(c.tool_calls[0].id, "call_a");
        assert_eq!(c.tool_calls[0].arguments, "{\"city\": \"Paris\"}");
        assert_eq!(c.tool_calls[1].name, "get_time");
        assert_eq!(c.tool_calls[1].arguments, "{}");
    }
}
