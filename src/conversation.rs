//! Conversations (`--continue`, `--session`): the history that fits in the request, the
//! model and parameters they continue with, and the messages of each exchange to save. The rows live in the store (`store.rs`).

use std::path::Path;

use anyhow::Context as _;
use serde_json::json;

use crate::api::turn::Turn;
use crate::api::types::{ChatRequest, Message, Params, Role};
use crate::config::{ParamsConfig, Settings};
use crate::models;
use crate::store::Store;
use crate::term::note;

/// A conversation being continued (or started under a name).
pub struct Session {
    /// The open store the conversation lives in.
    pub store: Store,
    /// The conversation's id; `None` for a new one.
    pub id: Option<i64>,
    /// The name a new conversation gets (`--session NAME` not used yet).
    pub name: Option<String>,
    /// Its messages so far, oldest first.
    pub history: Vec<Message>,
    /// The model of its last exchange.
    pub model: Option<String>,
    /// The request parameters of its last exchange, when they were saved.
    pub params: Option<ParamsConfig>,
}

impl Session {
    /// Opens the conversation `key` names (a name, else an id that `qwen sessions list`
    /// prints; a name not used yet starts one), else the most recent one, else (with a
    /// note) a new one.
    pub fn open(data_dir: &Path, key: Option<&str>, quiet: bool) -> anyhow::Result<Self> {
        let store = Store::open(data_dir).context("cannot load conversations")?;
        let found = match key {
            Some(key) => store.conversation(key)?,
            None => {
                let last = store.last_conversation()?;
                if last.is_none() && !quiet {
                    note(
                        "note",
                        "there is no earlier conversation to continue: this starts a new one",
                    );
                }
                last
            }
        };
        let history = match &found {
            Some(c) => store.messages(c.id)?,
            None => Vec::new(),
        };
        let params = found
            .as_ref()
            .and_then(|c| c.params.as_deref())
            .and_then(|json| serde_json::from_str(json).ok());
        Ok(Self {
            store,
            id: found.as_ref().map(|c| c.id),
            name: if found.is_none() {
                key.map(str::to_owned)
            } else {
                None
            },
            history,
            model: found.map(|c| c.model),
            params,
        })
    }
}

/// The request parameters to save with an exchange, for `-c` to continue with (`--extra`,
/// `--json` and `--schema` belong to one request and are not kept).
pub fn params_json(p: &Params) -> String {
    let mut map = serde_json::Map::new();
    let mut put = |key: &str, value: serde_json::Value| {
        if !value.is_null() {
            map.insert(key.to_owned(), value);
        }
    };
    put("temperature", json!(p.temperature));
    put("top_p", json!(p.top_p));
    put("top_k", json!(p.top_k));
    put("max_tokens", json!(p.max_tokens));
    put("seed", json!(p.seed));
    if !p.stop.is_empty() {
        put("stop", json!(p.stop));
    }
    put("presence_penalty", json!(p.presence_penalty));
    put("repetition_penalty", json!(p.repetition_penalty));
    put("enable_thinking", json!(p.enable_thinking));
    put("thinking_budget", json!(p.thinking_budget));
    put("enable_search", json!(p.enable_search));
    serde_json::Value::Object(map).to_string()
}

/// The command line's parameters over a conversation's saved ones, one by one.
pub fn overlay(flags: &ParamsConfig, saved: &ParamsConfig) -> ParamsConfig {
    ParamsConfig {
        temperature: flags.temperature.or(saved.temperature),
        top_p: flags.top_p.or(saved.top_p),
        top_k: flags.top_k.or(saved.top_k),
        max_tokens: flags.max_tokens.or(saved.max_tokens),
        seed: flags.seed.or(saved.seed),
        stop: flags.stop.clone().or_else(|| saved.stop.clone()),
        presence_penalty: flags.presence_penalty.or(saved.presence_penalty),
        repetition_penalty: flags.repetition_penalty.or(saved.repetition_penalty),
        enable_thinking: flags.enable_thinking.or(saved.enable_thinking),
        thinking_budget: flags.thinking_budget.or(saved.thinking_budget),
        enable_search: flags.enable_search.or(saved.enable_search),
        extra: flags.extra.clone(),
        json: flags.json,
        schema: flags.schema.clone(),
    }
}

/// Builds the messages to send: the system prompt (else the conversation's), as much of the
/// history as `max_history` (else the profile's) and `model`'s context window allow, and
/// the prompt.
pub fn build_messages(
    settings: &Settings,
    model: &str,
    max_history: Option<usize>,
    system: Option<&str>,
    history: Vec<Message>,
    prompt: &str,
    params: &Params,
) -> Vec<Message> {
    let (old_system, rest): (Vec<Message>, Vec<Message>) =
        history.into_iter().partition(|m| m.role == Role::System);
    let system = system
        .map(|s| Message::new(Role::System, s))
        .or_else(|| old_system.into_iter().last());
    let fixed = system
        .iter()
        .map(|m| models::estimate_tokens(&m.content))
        .sum::<u64>()
        + models::estimate_tokens(prompt);
    let budget = models::lookup(model).map(|info| {
        let reserve = params.max_tokens.map_or(0, u64::from);
        info.max_input.saturating_sub(reserve).saturating_sub(fixed)
    });
    let max_history = max_history.or(settings.max_history);
    let before = rest.len();
    let kept = fit_history(rest, max_history, budget);
    if kept.len() < before && !settings.quiet {
        note(
            "note",
            &format!(
                "sent the last {} of {before} earlier messages (`--max-history` or `{}`'s context window)",
                kept.len(),
                model
            ),
        );
    }
    let mut messages: Vec<Message> = system.into_iter().collect();
    messages.extend(kept);
    messages.push(Message::new(Role::User, prompt));
    messages
}

/// Drops the oldest turns until at most `max` messages and `budget` tokens remain; the
/// kept part always starts at a user message, so no tool result loses its call.
fn fit_history(mut history: Vec<Message>, max: Option<usize>, budget: Option<u64>) -> Vec<Message> {
    let mut tokens: u64 = history
        .iter()
        .map(|m| models::estimate_tokens(&m.content))
        .sum();
    let mut start = 0;
    let too_many = |start: usize, tokens: u64| {
        max.is_some_and(|m| history.len() - start > m) || budget.is_some_and(|b| tokens > b)
    };
    while start < history.len() && too_many(start, tokens) {
        tokens -= models::estimate_tokens(&history[start].content);
        start += 1;
        while start < history.len() && history[start].role != Role::User {
            tokens -= models::estimate_tokens(&history[start].content);
            start += 1;
        }
    }
    history.drain(..start);
    history
}

/// The messages of this exchange to store: the system prompt when it is new or changed
/// (so the next turn keeps it), the prompt and the answer.
pub fn exchange(
    history_system: &Option<Message>,
    request: &ChatRequest,
    turn: &Turn,
) -> Vec<Message> {
    let mut answer = Message::new(Role::Assistant, turn.completion.text.clone());
    answer.tool_calls = turn.completion.tool_calls.clone();
    exchange_messages(history_system, request, answer)
}

/// [`exchange`] with the answer given.
pub fn exchange_messages(
    history_system: &Option<Message>,
    request: &ChatRequest,
    mut answer: Message,
) -> Vec<Message> {
    // In partial mode the prefix the model continued is last: the answer is the prefix
    // followed by the continuation, and the prompt comes before it.
    let mut asked = request.messages.iter().rev().peekable();
    if let Some(prefix) = asked.next_if(|m| m.partial) {
        answer.content.insert_str(0, &prefix.content);
    }
    let user = asked.next().cloned().expect("the prompt is always last");
    let system = request
        .messages
        .first()
        .filter(|m| m.role == Role::System && Some(*m) != history_system.as_ref())
        // A `--doc` reference is given again with each command, not kept as the prompt.
        .filter(|m| !m.content.starts_with("fileid://"))
        .cloned();
    system.into_iter().chain([user, answer]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(role: Role, text: &str) -> Message {
        Message::new(role, text)
    }

    #[test]
    fn history_is_trimmed_by_whole_turns() {
        let history = vec![
            msg(Role::User, "one"),
            msg(Role::Assistant, "1"),
            msg(Role::User, "two"),
            msg(Role::Assistant, "2"),
            msg(Role::Tool, "t"),
            msg(Role::User, "three"),
            msg(Role::Assistant, "3"),
        ];
        let kept = fit_history(history.clone(), Some(3), None);
        assert_eq!(kept.first().unwrap().content, "three");
        let kept = fit_history(history.clone(), Some(5), None);
        assert_eq!(kept.len(), 5);
        assert_eq!(kept[0].content, "two");
        let kept = fit_history(history.clone(), None, Some(3));
        assert_eq!(kept[0].content, "three");
        assert_eq!(fit_history(history, None, None).len(), 7);
    }

    #[test]
    fn saved_params_round_trip_and_flags_win() {
        let params = Params {
            temperature: Some(0.3),
            stop: vec!["END".into()],
            enable_thinking: Some(false),
            ..Default::default()
        };
        let saved: ParamsConfig = serde_json::from_str(&params_json(&params)).unwrap();
        assert_eq!(saved.temperature, Some(0.3));
        assert_eq!(saved.stop.as_deref(), Some(&["END".to_owned()][..]));
        let flags = ParamsConfig {
            temperature: Some(1.0),
            ..Default::default()
        };
        let merged = overlay(&flags, &saved);
        assert_eq!(merged.temperature, Some(1.0));
        assert_eq!(merged.enable_thinking, Some(false));
    }
}
