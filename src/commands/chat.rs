//! `qwen chat`: prompt in, streamed reply out, conversation saved, every attempt recorded.

use std::io::{self, Write};
use std::time::Duration;

use anyhow::Context as _;
use serde_json::{Value, json};

use crate::api::turn::{self, Turn, TurnError, TurnOptions};
use crate::api::types::{ChatRequest, Message, Params, Role};
use crate::api::{self, ApiError, Client};
use crate::cache::{Cache, Hit};
use crate::cli::{ChatArgs, OutputArgs};
use crate::config::Settings;
use crate::exit::{Exit, RequestFailed, UsageError};
use crate::ledger::LazyStore;
use crate::output::live::ChatObserver;
use crate::output::{Format, Renderer, Thinking};
use crate::store::{ConversationSummary, Store};
use crate::term::{note, stderr_color};
use crate::units::format_duration;
use crate::{input, models, validate};

/// Runs `qwen chat`.
pub async fn run(settings: &Settings, args: ChatArgs) -> anyhow::Result<Exit> {
    // Buffered: the renderer flushes whenever no more output is immediately available,
    // so a burst of tokens costs one write, not one per token.
    let mut stdout = io::BufWriter::new(io::stdout().lock());
    if args.session.list_sessions {
        return list_sessions(settings, &mut stdout);
    }
    let prompt = read_prompt(settings, &args.prompt, &args.input).await?;
    let system = match (&args.input.system, &args.input.system_file) {
        (Some(text), _) => Some(text.clone()),
        (None, Some(path)) => Some(input::read_text_file(
            path,
            args.input.lossy,
            settings.max_input,
        )?),
        (None, None) => settings.system.clone(),
    };

    let wants_history = args.session.continue_last || args.session.session.is_some();
    let mut session = if wants_history {
        Some(Session::open(settings, &args)?)
    } else {
        None
    };
    let history = session
        .as_mut()
        .map(|s| std::mem::take(&mut s.history))
        .unwrap_or_default();
    let history_system = history.iter().rfind(|m| m.role == Role::System).cloned();

    let (params, schema) = crate::validate::params_and_schema(settings, &args.params.as_params())?;
    let mut messages = build_messages(
        settings,
        &args,
        system.as_deref(),
        history,
        &prompt,
        &params,
    );
    if let Some(format) = &params.response_format {
        validate::ensure_json_word(&mut messages, format);
    }
    let request = ChatRequest {
        model: settings.model.clone(),
        messages,
        params,
        tools: Vec::new(),
        stream: !args.params.no_stream,
        prompt: None,
    };
    check_before_sending(settings, &request)?;

    if args.dry_run {
        return dry_run(&mut stdout, settings, &request);
    }

    let (mut store, conversation_id) = match session {
        Some(s) => (LazyStore::new(settings, Some(s.store)), s.id),
        None => (LazyStore::new(settings, None), None),
    };
    let cache = Cache::resolve(settings, &args.cache.asked())?;
    let hit = cache
        .as_ref()
        .and_then(|c| store.with(|s| c.lookup(s, &request)).flatten());
    let client = Client::new(
        settings.endpoint()?,
        settings.connect_timeout,
        settings.verbose,
    )?;
    let thinking = thinking_display(&args.output);
    let mut renderer = Renderer::new(&mut stdout, settings.format, thinking);
    renderer.set_cached(hit.is_some());
    let mut observer = ChatObserver::new(&mut renderer, settings.quiet, settings.max_attempts());
    let opts = settings.turn_options(settings.fallbacks(&args.fallback_models));
    let outcome = match &hit {
        Some(hit) => Some(hit.replay(&mut observer).map_err(TurnError::Output)),
        None => tokio::select! {
            biased;
            outcome = turn::run(&client, &request, &opts, &mut observer) => Some(outcome),
            _ = tokio::signal::ctrl_c() => None,
        },
    };
    let records = observer.take_records();
    let received = observer.take_received();
    let reply = match &outcome {
        Some(Ok(turn)) => Some(turn.completion.text.as_str()),
        _ => None,
    };
    store.record_exchange("chat", &records, &prompt, reply);
    if let Some(hit) = &hit {
        store.record_cache_hit("chat", hit);
    }
    let turn = match outcome {
        None => {
            renderer.interrupted()?;
            return Ok(Exit::Interrupted);
        }
        Some(Ok(turn)) => turn,
        Some(Err(TurnError::Output(err))) => {
            // stdout closed (`qwen chat … | head`): what arrived is still this exchange,
            // and `--continue` must find it, not the conversation before it.
            if let Some((model, text)) = received.filter(|(_, text)| !text.is_empty())
                && !args.session.no_save
                && settings.save_conversations
            {
                let answer = Message::new(Role::Assistant, text);
                let new = exchange_messages(&history_system, &request, answer);
                let name = args.session.session.as_deref();
                store.with(|s| s.append(conversation_id, name, &model, &new).map(drop));
            }
            return Err(err.into());
        }
        Some(Err(TurnError::Api(err))) => {
            renderer.error(&err)?;
            let failed = request_failed(settings, &request.model, &opts, &err);
            return Err(anyhow::Error::new(err).context(failed));
        }
    };
    renderer.finish(&turn)?;

    if let Some(hit) = hit.as_ref().filter(|_| !settings.quiet) {
        let age = format_duration(Duration::from_secs(hit.age().as_secs()));
        note(
            "note",
            &format!("reply from the response cache, stored {age} ago"),
        );
    }
    if !turn.fallback_from.is_empty() && !settings.quiet {
        note("note", &format!("answered by `{}` (fallback)", turn.model));
    }
    if args.output.usage {
        note("usage", &usage_line(settings, &turn, hit.as_ref()));
    }
    if !args.session.no_save && settings.save_conversations {
        let new = exchange(&history_system, &request, &turn);
        let name = args.session.session.as_deref();
        store.with(|s| s.append(conversation_id, name, &turn.model, &new).map(drop));
    }
    validate::check(&request.params, schema.as_ref(), &turn.completion.text)?;
    // Only a reply that passed the checks is worth reusing.
    if let (Some(cache), None) = (&cache, &hit) {
        store.with(|s| cache.put(s, &request, &turn.completion));
    }
    Ok(Exit::Success)
}

pub(crate) fn failure_context(model: &str, opts: &TurnOptions) -> String {
    if opts.fallback_models.is_empty() {
        format!("request to `{model}` failed")
    } else {
        "request failed on every model".to_owned()
    }
}

/// The context of a failed turn, with a hint only the command can give: where the key
/// came from (401), or the catalogue model a name that does not exist was close to.
pub(crate) fn request_failed(
    settings: &Settings,
    model: &str,
    opts: &TurnOptions,
    err: &ApiError,
) -> RequestFailed {
    let hint = if err.status() == Some(401) {
        Some(settings.auth_hint())
    } else if err.is_unknown_model(model) {
        models::suggest(model).map(|near| {
            format!("did you mean `{near}`? `qwen models` lists the models the endpoint offers")
        })
    } else {
        None
    };
    RequestFailed {
        message: failure_context(model, opts),
        hint,
    }
}

/// Runs the catalogue's checks on a request about to be sent: warnings on stderr (unless
/// `--quiet`), or a usage error where the API is known to refuse the request.
pub(crate) fn check_before_sending(
    settings: &Settings,
    request: &ChatRequest,
) -> anyhow::Result<()> {
    for warning in validate::check_request(request)? {
        if !settings.quiet {
            note("warning", &warning);
        }
    }
    Ok(())
}

pub(crate) async fn read_prompt(
    settings: &Settings,
    args: &[String],
    opts: &crate::cli::InputArgs,
) -> anyhow::Result<String> {
    let limit = settings.max_input;
    let stdin = if input::wants_stdin(args, opts.no_stdin)? {
        let bytes = input::read_stdin(settings.quiet, limit, opts.lossy).await?;
        Some(input::decode(bytes, "standard input", opts.lossy)?)
    } else {
        None
    };
    let mut files = Vec::new();
    for path in &opts.files {
        files.push((
            path.display().to_string(),
            input::read_text_file(path, opts.lossy, limit)?,
        ));
    }
    Ok(input::assemble(input::PromptParts { args, stdin, files })?)
}

/// A conversation being continued (or started under a name).
struct Session {
    store: Store,
    id: Option<i64>,
    history: Vec<Message>,
}

impl Session {
    fn open(settings: &Settings, args: &ChatArgs) -> anyhow::Result<Self> {
        let store = Store::open(&settings.data_dir).context("cannot load conversations")?;
        let found = match &args.session.session {
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

fn build_messages(
    settings: &Settings,
    args: &ChatArgs,
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
    let max_history = args.session.max_history.or(settings.max_history);
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

pub(crate) fn thinking_display(args: &OutputArgs) -> Thinking {
    let color = stderr_color();
    if args.show_thinking {
        Thinking::Show { dim: color }
    } else if args.hide_thinking {
        Thinking::Hide
    } else if io::IsTerminal::is_terminal(&io::stderr()) {
        Thinking::Show { dim: color }
    } else {
        Thinking::Hide
    }
}

pub(crate) fn usage_line(settings: &Settings, turn: &Turn, hit: Option<&Hit>) -> String {
    if let Some(hit) = hit {
        let saved = hit.saved.map_or(0, |u| u.total_tokens);
        return format!(
            "from the cache: 0 tokens billed ({saved} saved) · {} · cost 0",
            crate::output::answered_by(turn)
        );
    }
    let Some(u) = turn.completion.usage else {
        return format!(
            "the server reported no token usage · {}",
            crate::output::answered_by(turn)
        );
    };
    let mut details = Vec::new();
    if u.reasoning_tokens > 0 {
        details.push(format!("{} reasoning", u.reasoning_tokens));
    }
    if u.cached_tokens > 0 {
        details.push(format!("{} cached", u.cached_tokens));
    }
    let details = if details.is_empty() {
        String::new()
    } else {
        format!(" ({})", details.join(", "))
    };
    let host = api::endpoints::host_of(&settings.base_url);
    let thinking = u.reasoning_tokens > 0;
    let served = crate::output::answered_by(turn);
    // Priced as the model that answered, else as the one asked for (a dated snapshot
    // behind an alias may not be in the table).
    let cost = [served, turn.model.as_str()]
        .into_iter()
        .find_map(|m| crate::prices::cost(&settings.prices, m, host, &u, thinking, false))
        .map_or_else(|| "cost unknown".to_owned(), |c| format!("~{c}"));
    format!(
        "{} input + {} output tokens{details} = {} · {} · {} · {cost}",
        u.prompt_tokens,
        u.completion_tokens,
        u.total_tokens,
        served,
        format_duration(turn.latency)
    )
}

/// The messages of this exchange to store: the system prompt when it is new or changed
/// (so the next turn keeps it), the prompt and the answer.
fn exchange(history_system: &Option<Message>, request: &ChatRequest, turn: &Turn) -> Vec<Message> {
    let mut answer = Message::new(Role::Assistant, turn.completion.text.clone());
    answer.tool_calls = turn.completion.tool_calls.clone();
    exchange_messages(history_system, request, answer)
}

/// [`exchange`] with the answer given.
fn exchange_messages(
    history_system: &Option<Message>,
    request: &ChatRequest,
    answer: Message,
) -> Vec<Message> {
    let user = request
        .messages
        .last()
        .cloned()
        .expect("the prompt is always last");
    let system = request
        .messages
        .first()
        .filter(|m| m.role == Role::System && Some(*m) != history_system.as_ref())
        .cloned();
    system.into_iter().chain([user, answer]).collect()
}

/// `--dry-run`: prints the request as it would be sent, with the key redacted (and never
/// resolved: an `api_key_command` does not run).
pub(crate) fn dry_run(
    out: &mut impl Write,
    settings: &Settings,
    request: &ChatRequest,
) -> anyhow::Result<Exit> {
    let endpoint = settings.endpoint_without_key();
    let prepared = api::prepare_chat(&endpoint, request);
    let headers = Client::shown_headers(&prepared, settings.has_key());
    write_dry_run(out, settings.format, &prepared, &headers)?;
    Ok(Exit::Success)
}

fn write_dry_run(
    out: &mut impl Write,
    format: Format,
    prepared: &api::Prepared,
    headers: &[(String, String)],
) -> anyhow::Result<()> {
    match format {
        Format::Text => {
            writeln!(out, "POST {}", api::endpoints::shown_url(&prepared.url))?;
            for (name, value) in headers {
                writeln!(out, "{name}: {value}")?;
            }
            writeln!(out)?;
            serde_json::to_writer_pretty(&mut *out, &prepared.body)?;
            writeln!(out)?;
        }
        Format::Jsonl | Format::Json => {
            let headers: serde_json::Map<String, Value> =
                headers.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
            let value = json!({
                "v": crate::output::SCHEMA_VERSION, "method": "POST",
                "url": api::endpoints::shown_url(&prepared.url),
                "headers": headers, "body": prepared.body,
            });
            serde_json::to_writer(&mut *out, &value)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(())
}

fn list_sessions(settings: &Settings, out: &mut impl Write) -> anyhow::Result<Exit> {
    let store_path = Store::path(&settings.data_dir);
    let list: Vec<ConversationSummary> = if store_path.exists() {
        Store::open(&settings.data_dir)?.list_conversations(50)?
    } else {
        Vec::new()
    };
    match settings.format {
        Format::Text => {
            for s in &list {
                let c = &s.conversation;
                let preview: String = s.preview.chars().take(50).collect();
                writeln!(
                    out,
                    "{:<6} {:<16} {:<20} {:>4} msgs  {}",
                    c.id,
                    c.name.as_deref().unwrap_or("-"),
                    c.model,
                    s.messages,
                    preview.replace('\n', " ")
                )?;
            }
        }
        // `json` is one document, `jsonl` one line per conversation, as everywhere else.
        Format::Json => {
            let sessions: Vec<Value> = list.iter().map(|s| session_json(s, false)).collect();
            let v = json!({"v": crate::output::SCHEMA_VERSION, "sessions": sessions});
            serde_json::to_writer(&mut *out, &v)?;
            writeln!(out)?;
        }
        Format::Jsonl => {
            for s in &list {
                serde_json::to_writer(&mut *out, &session_json(s, true))?;
                writeln!(out)?;
            }
        }
    }
    out.flush()?;
    Ok(Exit::Success)
}

/// One conversation of `--list-sessions`; a JSONL line carries the schema version itself.
fn session_json(s: &ConversationSummary, versioned: bool) -> Value {
    let c = &s.conversation;
    let mut v = serde_json::Map::new();
    if versioned {
        v.insert("v".into(), json!(crate::output::SCHEMA_VERSION));
    }
    let fields = json!({"id": c.id, "name": c.name, "model": c.model, "messages": s.messages,
        "updated_ms": s.updated_ms, "preview": s.preview});
    if let Value::Object(fields) = fields {
        v.extend(fields);
    }
    Value::Object(v)
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
