//! `qwen chat`: prompt in, streamed reply out, conversation saved, every attempt recorded.

use std::io::{self, Write};
use std::time::Duration;

use serde_json::{Value, json};

use super::common::{
    check_before_sending, dry_run, read_prompt, read_system, request_failed, thinking_display,
    usage_line,
};
use clap::Args;

use crate::api::Client;
use crate::api::turn::{self, TurnError};
use crate::api::types::{ChatRequest, Message, Role};
use crate::args::{InputArgs, ModelParams, OutputArgs, RenderArgs};
use crate::cache::{self, Cache};
use crate::config::Settings;
use crate::conversation::{Session, build_messages, exchange, exchange_messages};
use crate::exit::Exit;
use crate::ledger::LazyStore;
use crate::output::live::ChatObserver;
use crate::output::markdown::reply_style;
use crate::output::{Format, Renderer};
use crate::store::{ConversationSummary, Store};
use crate::term::note;
use crate::units::format_duration;
use crate::validate;

/// Arguments of `qwen chat`.
#[derive(Debug, Clone, Args)]
pub struct ChatArgs {
    /// The prompt; `-` stands for standard input
    #[arg(value_name = "PROMPT")]
    pub prompt: Vec<String>,

    /// Print the request that would be sent (key redacted) and send nothing
    #[arg(long)]
    pub dry_run: bool,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub params: ModelParams,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub render: RenderArgs,

    #[command(flatten)]
    pub session: SessionArgs,

    #[command(flatten)]
    pub cache: CacheFlags,

    /// Try this model when the main one is unavailable or keeps failing (repeatable)
    #[arg(long = "fallback-model", value_name = "MODEL", help_heading = "Model")]
    pub fallback_models: Vec<String>,
}

/// Conversation memory.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Conversation")]
pub struct SessionArgs {
    /// Continue the most recent conversation
    #[arg(short = 'c', long = "continue", conflicts_with = "session")]
    pub continue_last: bool,

    /// Continue (or start) the conversation with this name
    #[arg(long, value_name = "NAME")]
    pub session: Option<String>,

    /// Send at most N earlier messages of the conversation
    #[arg(long, value_name = "N")]
    pub max_history: Option<usize>,

    /// Do not save this exchange (it cannot be continued)
    #[arg(long)]
    pub no_save: bool,

    /// List saved conversations and exit
    // Not `exclusive`: clap counts env-backed globals (`DASHSCOPE_BASE_URL`, …) as given.
    #[arg(long, conflicts_with_all = ["prompt", "continue_last", "session", "dry_run"])]
    pub list_sessions: bool,
}

/// The response cache, for commands that send requests (off unless asked for).
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Cache")]
pub struct CacheFlags {
    /// Reuse the reply to an identical earlier request from the local cache (and store this one)
    #[arg(long, overrides_with = "no_cache")]
    pub cache: bool,

    /// Reuse only cached replies younger than this, e.g. `1h` (implies --cache)
    #[arg(long, value_name = "DURATION")]
    pub cache_ttl: Option<String>,

    /// Do not use the response cache, even if the profile turns it on
    #[arg(long, overrides_with = "cache")]
    pub no_cache: bool,
}

impl CacheFlags {
    /// Returns what these flags ask of the response cache.
    pub fn asked(&self) -> cache::Asked {
        cache::Asked {
            cache: self.cache,
            ttl: self.cache_ttl.clone(),
            no_cache: self.no_cache,
        }
    }
}

/// Runs `qwen chat`.
pub async fn run(settings: &Settings, args: ChatArgs) -> anyhow::Result<Exit> {
    // Buffered: the renderer flushes whenever no more output is immediately available,
    // so a burst of tokens costs one write, not one per token.
    let mut stdout = io::BufWriter::new(io::stdout().lock());
    if args.session.list_sessions {
        return list_sessions(settings, &mut stdout);
    }
    let prompt = read_prompt(settings, &args.prompt, &args.input).await?;
    let system = read_system(settings, &args.input)?;

    let wants_history = args.session.continue_last || args.session.session.is_some();
    let mut session = if wants_history {
        Some(Session::open(
            &settings.data_dir,
            args.session.session.as_deref(),
        )?)
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
        args.session.max_history,
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
    let style = reply_style(args.render.mode(settings), settings.format);
    let mut renderer = Renderer::new(&mut stdout, settings.format, thinking).with_markdown(style);
    renderer.set_cached(hit.is_some());
    let mut observer = ChatObserver::new(&mut renderer, settings.quiet, settings.max_attempts());
    if hit.is_none() {
        observer = observer.with_spinner(&settings.model);
    }
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
    // Clears the spinner if no event did (an error, Ctrl-C).
    drop(observer);
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
