//! Conversations (`--continue`, `--session`): the history that fits in the request, and the
//! messages of each exchange to save. The rows live in the store (`store.rs`).

use std::path::Path;

use anyhow::Context as _;

use crate::api::turn::Turn;
use crate::api::types::{ChatRequest, Message, Params, Role};
use crate::config::Settings;
use crate::exit::UsageError;
use crate::models;
use crate::store::Store;
use crate::term::note;

/// A conversation being continued (or started under a name).
pub struct Session {
    /// The open store the conversation lives in.
    pub store: Store,
    /// The conversation's id; `None` for a name not used yet.
    pub id: Option<i64>,
    /// Its messages so far, oldest first.
    pub history: Vec<Message>,
}

impl Session {
    /// Opens the conversation named `name`, else the most recent one.
    pub fn open(data_dir: &Path, name: Option<&str>) -> anyhow::Result<Self> {
        let store = Store::open(data_dir).context("cannot load conversations")?;
        let found = match name {
            Some(name) => store.named_conversation(name)?,
            None => Some(store.last_conversation()?.ok_or_else(|| {
                UsageError::new(
                    "there is no conversation to continue",
                    Some(
                        "start one with `qwen chat PROMPT`, or name one with `--session NAME`"
                            .into(),
                    ),
                )
            })?),
        };
        let history = match &found {
            Some(c) => store.messages(c.id)?,
            None => Vec::new(),
        };
        Ok(Self {
            store,
            id: found.map(|c| c.id),
            history,
        })
    }
}

/// Builds the messages to send: the system prompt (else the conversation's), as much of the
/// history as `max_history` (else the profile's) and the model's context window allow, and
/// the prompt.
pub fn build_messages(
    settings: &Settings,
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
    let budget = models::lookup(&settings.model).map(|info| {
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
                settings.model
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
}
