//! The opt-in response cache: a reply is reused when the endpoint, model, parameters and
//! messages are identical.
//!
//! Off unless asked for (`--cache`, `--cache-ttl`, or `cache = true` in a profile): a cache
//! that answers silently surprises people (shell_gpt does that). This module owns the key (a
//! SHA-256 of the protocol-neutral request, `stream` left out) and the stored form of a
//! reply; the rows live in the SQLite store (`store/replies.rs`). Hits are replayed through
//! the same [`Observer`] a live reply goes through, so every output format shows them alike.

use std::collections::BTreeMap;
use std::io;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::Context as _;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::api::turn::{Observer, Turn};
use crate::api::types::{ChatRequest, Completion, Event, Params, ResponseFormat, ToolCall, Usage};
use crate::config::Settings;
use crate::exit::UsageError;
use crate::store::Store;
use crate::units::parse_duration;

/// Bumped when the key or the stored form changes, so old entries are never misread.
const KEY_VERSION: u32 = 1;

/// How a command uses the cache; exists only when caching is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cache {
    /// Replies older than this are not reused; `None`: any age.
    pub max_age: Option<Duration>,
    /// The endpoint the replies came from (the same model name on another server is
    /// another model).
    pub scope: String,
}

/// What the command line asks of the cache (`--cache`, `--cache-ttl`, `--no-cache`).
#[derive(Debug, Clone, Default)]
pub struct Asked {
    /// `--cache`: reuse and store replies.
    pub cache: bool,
    /// `--cache-ttl`: reuse only replies younger than this (implies `cache`).
    pub ttl: Option<String>,
    /// `--no-cache`: neither, whatever the profile says.
    pub no_cache: bool,
}

/// A reply found in the cache.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The stored reply; its `usage` is `None`, because this request used no tokens.
    pub completion: Completion,
    /// What the original request used (what this hit saved).
    pub saved: Option<Usage>,
    /// When the reply was stored.
    pub stored_at: SystemTime,
    /// When it was looked up.
    pub looked_up_at: SystemTime,
    /// How long the lookup took.
    pub latency: Duration,
}

/// A reply as stored.
#[derive(Debug, Serialize, Deserialize)]
struct Stored {
    model: String,
    request_id: Option<String>,
    text: String,
    #[serde(default)]
    reasoning: String,
    #[serde(default)]
    tool_calls: Vec<ToolCall>,
    finish_reason: Option<String>,
    usage: Option<Usage>,
}

impl Cache {
    /// Resolves the flags and the profile's `cache` / `cache_ttl`; `None` when caching is off.
    pub fn resolve(settings: &Settings, flags: &Asked) -> anyhow::Result<Option<Cache>> {
        let flag_ttl = match &flags.ttl {
            Some(text) => Some(
                parse_duration(text)
                    .map_err(|e| UsageError::new(format!("invalid `--cache-ttl`: {e}"), None))?,
            ),
            None => None,
        };
        let on = flags.cache || flag_ttl.is_some() || settings.cache;
        if flags.no_cache || !on {
            return Ok(None);
        }
        Ok(Some(Cache {
            max_age: flag_ttl.or(settings.cache_ttl),
            scope: settings.base_url.clone(),
        }))
    }

    /// Returns the key of `req`: a SHA-256 over the endpoint and the whole request except
    /// `stream`, in hex.
    pub fn key(&self, req: &ChatRequest) -> String {
        let digest = Sha256::digest(canonical(&self.scope, req).to_string().as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Looks `req` up; a stored reply older than `max_age` does not count.
    pub fn lookup(&self, store: &Store, req: &ChatRequest) -> anyhow::Result<Option<Hit>> {
        let started = Instant::now();
        let looked_up_at = SystemTime::now();
        let newer_than = self
            .max_age
            .and_then(|age| looked_up_at.checked_sub(age))
            .map(unix_ms);
        let Some(found) = store.cached_reply(&self.key(req), newer_than)? else {
            return Ok(None);
        };
        let stored: Stored =
            serde_json::from_str(&found.reply).context("corrupt reply in the response cache")?;
        let completion = Completion {
            model: stored.model,
            request_id: stored.request_id,
            text: stored.text,
            reasoning: stored.reasoning,
            tool_calls: stored.tool_calls,
            finish_reason: stored.finish_reason,
            usage: None,
            sources: Vec::new(),
        };
        Ok(Some(Hit {
            completion,
            saved: stored.usage,
            stored_at: UNIX_EPOCH
                + Duration::from_millis(u64::try_from(found.created_ms).unwrap_or(0)),
            looked_up_at,
            latency: started.elapsed(),
        }))
    }

    /// Stores the reply to `req`.
    pub fn put(
        &self,
        store: &mut Store,
        req: &ChatRequest,
        reply: &Completion,
    ) -> anyhow::Result<()> {
        let stored = Stored {
            model: reply.model.clone(),
            request_id: reply.request_id.clone(),
            text: reply.text.clone(),
            reasoning: reply.reasoning.clone(),
            tool_calls: reply.tool_calls.clone(),
            finish_reason: reply.finish_reason.clone(),
            usage: reply.usage,
        };
        store.put_reply(&self.key(req), &req.model, &serde_json::to_string(&stored)?)
    }
}

impl Hit {
    /// Returns how old the stored reply is.
    pub fn age(&self) -> Duration {
        self.looked_up_at
            .duration_since(self.stored_at)
            .unwrap_or_default()
    }

    /// Replays the reply through `observer` as a live reply's events, and returns the turn
    /// (no attempts, no time to first token, no usage).
    pub fn replay(&self, observer: &mut dyn Observer) -> io::Result<Turn> {
        let c = &self.completion;
        let events = [
            (!c.reasoning.is_empty()).then(|| Event::Reasoning(c.reasoning.clone())),
            (!c.text.is_empty()).then(|| Event::Text(c.text.clone())),
            c.finish_reason.clone().map(Event::Finish),
        ];
        for event in events.into_iter().flatten() {
            observer.on_event(&event)?;
        }
        Ok(Turn {
            completion: c.clone(),
            model: c.model.clone(),
            fallback_from: Vec::new(),
            attempts: 0,
            latency: self.latency,
            ttft: None,
        })
    }
}

fn unix_ms(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// The request as the key sees it. The destructuring is exhaustive on purpose: a new field
/// in `ChatRequest` or `Params` fails to compile here instead of being left out of the key,
/// which would make two different requests share a reply.
fn canonical(scope: &str, req: &ChatRequest) -> Value {
    let ChatRequest {
        model,
        messages,
        params,
        tools,
        stream: _, // a streamed and a whole reply are the same reply
        prompt,
    } = req;
    let Params {
        temperature,
        top_p,
        top_k,
        max_tokens,
        seed,
        stop,
        presence_penalty,
        repetition_penalty,
        enable_thinking,
        thinking_budget,
        enable_search,
        search_options,
        response_format,
        extra,
    } = params;
    let response_format = match response_format {
        None => Value::Null,
        Some(ResponseFormat::JsonObject) => json!({"type": "json_object"}),
        Some(ResponseFormat::JsonSchema { name, schema }) => {
            json!({"type": "json_schema", "name": name, "schema": schema})
        }
    };
    // `--extra` fields keep the order they were given in; the key must not depend on it.
    let extra: BTreeMap<&String, &Value> = extra.iter().collect();
    let mut key = json!({
        "v": KEY_VERSION,
        "scope": scope,
        "model": model,
        "messages": messages,
        "tools": tools,
        "params": {
            "temperature": temperature, "top_p": top_p, "top_k": top_k,
            "max_tokens": max_tokens, "seed": seed, "stop": stop,
            "presence_penalty": presence_penalty, "repetition_penalty": repetition_penalty,
            "enable_thinking": enable_thinking, "thinking_budget": thinking_budget,
            "enable_search": enable_search, "response_format": response_format,
            "extra": extra,
        },
    });
    // Added only when set, so that earlier keys stay what they were.
    if let Some(search_options) = search_options {
        key["params"]["search_options"] = json!(search_options);
    }
    // A raw completion prompt is added only when set, so chat keys stay what they were.
    if let Some(prompt) = prompt {
        key["prompt"] = json!(prompt);
    }
    // Media parts (`--attach`; not serialized with the messages) by content: a local file by
    // its SHA-256, a URL as given. Added only when present, so other keys stay the same.
    if req.has_media() {
        key["media"] = messages
            .iter()
            .map(|m| {
                m.parts
                    .iter()
                    .map(crate::api::media::Part::identity)
                    .collect::<Vec<_>>()
            })
            .collect();
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::types::{Message, Role};

    fn cache() -> Cache {
        Cache {
            max_age: None,
            scope: "http://127.0.0.1:1/v1".into(),
        }
    }

    fn request(prompt: &str) -> ChatRequest {
        ChatRequest {
            model: "qwen-plus".into(),
            messages: vec![Message::new(Role::User, prompt)],
            params: Params::default(),
            tools: Vec::new(),
            stream: true,
            prompt: None,
        }
    }

    #[test]
    fn the_key_ignores_stream_and_extra_order_but_nothing_else() {
        let c = cache();
        let a = request("hi");
        let mut b = a.clone();
        b.stream = false;
        assert_eq!(c.key(&a), c.key(&b));
        assert_eq!(c.key(&a).len(), 64);
        let mut t = a.clone();
        t.params.temperature = Some(0.5);
        assert_ne!(c.key(&a), c.key(&t));
        assert_ne!(c.key(&a), c.key(&request("hi!")));
        let mut m = a.clone();
        m.model = "qwen-max".into();
        assert_ne!(c.key(&a), c.key(&m));
        let other = Cache {
            scope: "https://dashscope-intl.aliyuncs.com/compatible-mode/v1".into(),
            ..cache()
        };
        assert_ne!(c.key(&a), other.key(&a));
        let (mut x, mut y) = (a.clone(), a.clone());
        x.params.extra.insert("n".into(), json!(1));
        x.params.extra.insert("user".into(), json!("me"));
        y.params.extra.insert("user".into(), json!("me"));
        y.params.extra.insert("n".into(), json!(1));
        assert_eq!(c.key(&x), c.key(&y));
        assert_ne!(c.key(&a), c.key(&x));
    }

    #[test]
    fn media_parts_count_by_content_not_by_name_or_travel() {
        use crate::api::media::{Data, Item, Kind, Part, Payload, Travel};
        let c = cache();
        let with = |bytes: &[u8], name: &str, travel: Travel| {
            let mut req = request("what is this?");
            let p = Payload::new(
                name,
                "image/png",
                bytes.len() as u64,
                Data::Bytes(bytes.into()),
            );
            req.messages[0].parts = vec![Part {
                kind: Kind::Image,
                items: vec![Item::Local(std::sync::Arc::new(p.with_travel(travel)))],
                frames: false,
                format: "png",
            }];
            req
        };
        let a = with(b"one", "a.png", Travel::Inline);
        assert_eq!(c.key(&a), c.key(&with(b"one", "b.png", Travel::Upload)));
        assert_ne!(c.key(&a), c.key(&with(b"two", "a.png", Travel::Inline)));
        assert_ne!(c.key(&a), c.key(&request("what is this?")));
    }

    #[test]
    fn a_stored_reply_comes_back_without_usage_and_expires() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let c = cache();
        let req = request("hi");
        assert!(c.lookup(&store, &req).unwrap().is_none());
        let usage = Usage {
            prompt_tokens: 3,
            completion_tokens: 2,
            total_tokens: 5,
            ..Default::default()
        };
        let reply = Completion {
            model: "qwen-plus".into(),
            text: "Hello".into(),
            reasoning: "hmm".into(),
            finish_reason: Some("stop".into()),
            usage: Some(usage),
            ..Default::default()
        };
        c.put(&mut store, &req, &reply).unwrap();
        let hit = c.lookup(&store, &req).unwrap().unwrap();
        assert_eq!(hit.saved, Some(usage));
        assert_eq!(hit.completion.text, "Hello");
        assert_eq!(hit.completion.usage, None);
        let stale = Cache {
            max_age: Some(Duration::ZERO),
            ..cache()
        };
        std::thread::sleep(Duration::from_millis(5));
        assert!(stale.lookup(&store, &req).unwrap().is_none());
    }

    struct Collect(Vec<Event>);

    impl Observer for Collect {
        fn on_event(&mut self, event: &Event) -> io::Result<()> {
            self.0.push(event.clone());
            Ok(())
        }
    }

    #[test]
    fn a_hit_replays_as_events() {
        let hit = Hit {
            completion: Completion {
                model: "m".into(),
                text: "Hello".into(),
                finish_reason: Some("stop".into()),
                ..Default::default()
            },
            saved: None,
            stored_at: UNIX_EPOCH,
            looked_up_at: UNIX_EPOCH,
            latency: Duration::from_millis(1),
        };
        let mut seen = Collect(Vec::new());
        let turn = hit.replay(&mut seen).unwrap();
        assert_eq!(
            seen.0,
            [Event::Text("Hello".into()), Event::Finish("stop".into())]
        );
        assert_eq!((turn.attempts, turn.model.as_str()), (0, "m"));
    }
}
