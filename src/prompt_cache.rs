//! The explicit prompt cache: where `cache_control` markers go in a request, and when.
//!
//! The prefix is read from the message list, not from flags: the leading system
//! message(s), the earlier turns before the newest user message, and the stable head of that
//! message (attached files, a batch template's constant text), which its builder names.
//! Up to three markers (the service counts four at most, dashscope-protocol.md §11.5):
//!
//! 1. after the system prompt — it outlives trimmed history, and it is all a batch of
//!    JSONL prompts shares;
//! 2. after the last earlier turn — the whole conversation so far, which the next turn of a
//!    session extends (the service bills only the new part of a longer prefix);
//! 3. after the stable head of the newest user message — the files a question is about.
//!
//! A marker goes only where the prefix up to it reaches `cache_min_tokens` (estimated with
//! [`models::estimate_tokens`]; the service ignores shorter ones), and only for models the
//! catalogue lists ([`models::EXPLICIT_CACHE`]); a model nothing here knows gets markers
//! only when asked for plainly (`--cache-prompt`), never with `auto`. `auto` marks only a
//! prefix that will be reused: a continued session, a tool loop, a batch.

use crate::api::types::{ChatRequest, Role};
use crate::config::{CachePrompt, Settings};
use crate::models;
use crate::term::note;

/// What a command asks of the prompt cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ask {
    /// The mode (flag over profile).
    pub mode: CachePrompt,
    /// The prefix will be sent again (a session, a tool loop, a batch): `auto` needs it.
    pub reused: bool,
    /// The smallest prefix, in estimated tokens, worth a marker.
    pub min_tokens: u64,
}

impl Ask {
    /// No caching.
    pub const OFF: Ask = Ask {
        mode: CachePrompt::Off,
        reused: false,
        min_tokens: crate::config::DEFAULT_CACHE_MIN_TOKENS,
    };
}

/// What [`mark`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Caching is off.
    Off,
    /// Markers were placed: how many, and the estimated tokens of the longest marked prefix.
    Marked {
        /// Markers placed.
        markers: usize,
        /// Estimated tokens up to the last marker.
        prefix_tokens: u64,
    },
    /// Asked for, but no marker was placed: why (one line for stderr).
    Skipped(String),
}

/// Places cache markers on `request` as `ask` allows. `head` is the number of bytes at the
/// start of the newest user message that stay the same from request to request (attached
/// files, a template's constant text), if any.
pub fn mark(request: &mut ChatRequest, ask: &Ask, head: Option<usize>) -> Decision {
    if ask.mode == CachePrompt::Off || request.prompt.is_some() {
        return Decision::Off;
    }
    let model = request.model.as_str();
    match models::explicit_cache(model) {
        Some(true) => {}
        Some(false) => {
            return Decision::Skipped(format!(
                "`{model}` does not take explicit cache markers (only the stable models \
                 listed on Alibaba's context-cache page do); sent without them"
            ));
        }
        None if ask.mode == CachePrompt::Auto => {
            return Decision::Skipped(format!(
                "`{model}` is not known to take explicit cache markers; `--cache-prompt` \
                 sends them anyway"
            ));
        }
        None => {}
    }
    if ask.mode == CachePrompt::Auto && !ask.reused {
        return Decision::Skipped(
            "no marker: the prefix is sent once (`auto` caches continued sessions, tool loops \
             and batches; `--cache-prompt` caches anyway)"
                .into(),
        );
    }
    let boundaries = boundaries(request, head);
    if boundaries.is_empty() {
        return Decision::Skipped(
            "no marker: nothing stable to cache (no system prompt, attached file or earlier \
             turn)"
                .into(),
        );
    }
    let mut placed = 0;
    let mut longest = 0;
    let tools: u64 = if request.tools.is_empty() {
        0
    } else {
        models::estimate_tokens(&crate::api::compat::tools(request).to_string())
    };
    for (index, at) in &boundaries {
        let before: u64 = request.messages[..*index]
            .iter()
            .map(|m| models::estimate_tokens(&m.content))
            .sum();
        let tokens =
            tools + before + models::estimate_tokens(&request.messages[*index].content[..*at]);
        longest = longest.max(tokens);
        if tokens >= ask.min_tokens {
            request.messages[*index].cache_at = Some(*at);
            placed += 1;
        }
    }
    if placed == 0 {
        return Decision::Skipped(format!(
            "no marker: the stable prefix is about {longest} tokens, under the minimum of {} \
             (`cache_min_tokens`)",
            ask.min_tokens
        ));
    }
    Decision::Marked {
        markers: placed,
        prefix_tokens: longest,
    }
}

/// [`mark`], and says on stderr why no marker was placed when caching was asked for: not
/// with `--quiet`, and for `auto` only with `--verbose` (a profile's `auto` would otherwise
/// explain itself on every one-off prompt). `-v` also tells how many markers went out.
pub fn mark_and_say(
    settings: &Settings,
    request: &mut ChatRequest,
    ask: &Ask,
    head: Option<usize>,
) -> Decision {
    let decision = mark(request, ask, head);
    say(settings, ask, &decision);
    decision
}

/// Says what [`mark`] decided, as [`mark_and_say`] does.
pub fn say(settings: &Settings, ask: &Ask, decision: &Decision) {
    match decision {
        Decision::Skipped(why)
            if !settings.quiet && (ask.mode == CachePrompt::On || settings.verbose) =>
        {
            note("note", &format!("prompt cache: {why}"));
        }
        Decision::Marked {
            markers,
            prefix_tokens,
        } if settings.verbose => note(
            "note",
            &format!("prompt cache: {markers} marker(s), prefix of about {prefix_tokens} tokens"),
        ),
        _ => {}
    }
}

/// The places a marker may go, as (message index, byte offset in its content), in order:
/// the end of the system prompt, the end of the last earlier turn, the end of the newest
/// user message's stable head. Empty messages cannot hold a marker and are passed over.
fn boundaries(request: &ChatRequest, head: Option<usize>) -> Vec<(usize, usize)> {
    let messages = &request.messages;
    let Some(user) = messages.iter().rposition(|m| m.role == Role::User) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let system_end = messages[..user]
        .iter()
        .take_while(|m| m.role == Role::System)
        .count();
    if let Some(i) = (0..system_end)
        .rev()
        .find(|&i| !messages[i].content.is_empty())
    {
        out.push((i, messages[i].content.len()));
    }
    if let Some(i) = (system_end..user)
        .rev()
        .find(|&i| !messages[i].content.is_empty())
    {
        out.push((i, messages[i].content.len()));
    }
    let content = &messages[user].content;
    if let Some(at) =
        head.filter(|&at| at > 0 && at <= content.len() && content.is_char_boundary(at))
    {
        out.push((user, at));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::types::{Message, Params};

    fn req(model: &str, messages: Vec<Message>) -> ChatRequest {
        ChatRequest {
            model: model.into(),
            messages,
            params: Params::default(),
            tools: vec![],
            stream: false,
            prompt: None,
        }
    }

    fn ask(mode: CachePrompt, reused: bool) -> Ask {
        Ask {
            mode,
            reused,
            min_tokens: 1024,
        }
    }

    fn long(tokens: usize) -> String {
        "abcd".repeat(tokens)
    }

    #[test]
    fn the_minimum_counts_estimated_tokens() {
        let system = Message::new(Role::System, long(1023));
        let mut r = req("qwen-plus", vec![system, Message::new(Role::User, "q")]);
        let d = mark(&mut r, &ask(CachePrompt::On, false), None);
        assert!(
            matches!(d, Decision::Skipped(ref why) if why.contains("1023 tokens")),
            "{d:?}"
        );
        assert_eq!(r.messages[0].cache_at, None);
        r.messages[0].content.push('x');
        let d = mark(&mut r, &ask(CachePrompt::On, false), None);
        assert_eq!(
            d,
            Decision::Marked {
                markers: 1,
                prefix_tokens: 1024
            }
        );
        assert_eq!(r.messages[0].cache_at, Some(4093));
    }

    #[test]
    fn history_and_file_heads_get_their_own_markers() {
        let messages = vec![
            Message::new(Role::System, long(1100)),
            Message::new(Role::User, "one"),
            Message::new(Role::Assistant, "1"),
            Message::new(Role::User, format!("{}question", long(10))),
        ];
        let mut r = req("qwen-plus", messages);
        let d = mark(&mut r, &ask(CachePrompt::Auto, true), Some(40));
        assert!(matches!(d, Decision::Marked { markers: 3, .. }), "{d:?}");
        let at: Vec<_> = r.messages.iter().map(|m| m.cache_at).collect();
        assert_eq!(at, [Some(4400), None, Some(1), Some(40)]);
    }

    #[test]
    fn models_and_auto_decide() {
        let messages = vec![
            Message::new(Role::System, long(2000)),
            Message::new(Role::User, "q"),
        ];
        let mut r = req("qwen-max", messages.clone());
        assert!(
            matches!(mark(&mut r, &ask(CachePrompt::On, true), None), Decision::Skipped(w) if w.contains("does not take"))
        );
        let mut r = req("my-local-model", messages.clone());
        assert!(
            matches!(mark(&mut r, &ask(CachePrompt::Auto, true), None), Decision::Skipped(w) if w.contains("not known"))
        );
        assert!(matches!(
            mark(&mut r, &ask(CachePrompt::On, false), None),
            Decision::Marked { .. }
        ));
        let mut r = req("qwen-plus", messages.clone());
        assert!(
            matches!(mark(&mut r, &ask(CachePrompt::Auto, false), None), Decision::Skipped(w) if w.contains("sent once"))
        );
        assert_eq!(
            mark(&mut r, &ask(CachePrompt::Off, true), None),
            Decision::Off
        );
        assert!(matches!(
            mark(&mut r, &ask(CachePrompt::Auto, true), None),
            Decision::Marked { .. }
        ));
    }
}
