//! `qwen sessions list|show|export|rename|rm`: the saved conversations that `-c` and
//! `--session` continue, listed, read, exported, renamed and deleted.

use std::io::{self, Write};
use std::time::{Duration, UNIX_EPOCH};

use clap::{Args, Subcommand};
use serde_json::{Map, Value, json};

use crate::api::types::{Message, Role};
use crate::config::Settings;
use crate::exit::{Exit, UsageError};
use crate::output::markdown::{RenderMode, reply_style};
use crate::output::{Format, SCHEMA_VERSION};
use crate::render;
use crate::store::{Conversation, ConversationSummary, Store, TranscriptEntry};
use crate::term::note;

/// Arguments of `qwen sessions`.
#[derive(Debug, Clone, Args)]
pub struct SessionsArgs {
    #[command(subcommand)]
    pub action: SessionsAction,
}

/// What `qwen sessions` does.
#[derive(Debug, Clone, Subcommand)]
pub enum SessionsAction {
    /// List saved conversations, most recent first
    ///
    /// One line each: id, name, model, turns, tokens, when it was last used and the first
    /// words of its first prompt; `--format json` or `jsonl` for every field.
    List,
    /// Print a conversation's transcript (rendered on a terminal)
    Show(ShowArgs),
    /// Print a conversation as Markdown (the default) or JSON messages
    ///
    /// `--format jsonl` prints one message per line, `--format json` one document.
    Export(ShowArgs),
    /// Give a conversation a new name
    Rename(RenameArgs),
    /// Delete conversations by name or id, or all those unused for a while
    Rm(RmArgs),
}

/// A conversation to show or export.
#[derive(Debug, Clone, Args)]
pub struct ShowArgs {
    /// The conversation's name or id (as `qwen sessions list` prints them)
    #[arg(value_name = "ID|NAME")]
    pub conversation: String,
}

/// Arguments of `qwen sessions rename`.
#[derive(Debug, Clone, Args)]
pub struct RenameArgs {
    /// The conversation's name or id
    #[arg(value_name = "ID|NAME")]
    pub conversation: String,
    /// Its new name
    #[arg(value_name = "NEW")]
    pub name: String,
}

/// Arguments of `qwen sessions rm`.
#[derive(Debug, Clone, Args)]
pub struct RmArgs {
    /// Names or ids of the conversations to delete
    #[arg(value_name = "ID|NAME", required_unless_present = "older_than")]
    pub conversations: Vec<String>,
    /// Delete every conversation last used longer ago than this, e.g. `30d`
    #[arg(long, value_name = "DURATION")]
    pub older_than: Option<String>,
}

/// Runs `qwen sessions`.
pub fn run(settings: &Settings, args: SessionsArgs) -> anyhow::Result<Exit> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    match args.action {
        SessionsAction::List => list(settings, &mut out),
        SessionsAction::Show(a) => show(settings, &a.conversation, false, &mut out),
        SessionsAction::Export(a) => show(settings, &a.conversation, true, &mut out),
        SessionsAction::Rename(a) => {
            let mut store = Store::open(&settings.data_dir)?;
            let c = find(&store, &a.conversation)?;
            store.rename_conversation(c.id, &a.name)?;
            if !settings.quiet {
                note(
                    "note",
                    &format!("conversation {} is now `{}`", c.id, a.name),
                );
            }
            Ok(Exit::Success)
        }
        SessionsAction::Rm(a) => rm(settings, &a),
    }
}

/// `qwen sessions list` (and `qwen chat --list-sessions`).
pub fn list(settings: &Settings, out: &mut impl Write) -> anyhow::Result<Exit> {
    let store_path = Store::path(&settings.data_dir);
    let list: Vec<ConversationSummary> = if store_path.exists() {
        Store::open(&settings.data_dir)?.list_conversations(None)?
    } else {
        Vec::new()
    };
    match settings.format {
        Format::Text if !list.is_empty() => {
            let rows: Vec<[String; 7]> = list.iter().map(text_row).collect();
            let header = [
                "ID",
                "NAME",
                "MODEL",
                "TURNS",
                "TOKENS",
                "LAST USED",
                "FIRST PROMPT",
            ]
            .map(str::to_owned);
            let mut widths = [0; 7];
            for row in std::iter::once(&header).chain(&rows) {
                for (w, cell) in widths.iter_mut().zip(row) {
                    *w = (*w).max(cell.chars().count());
                }
            }
            for row in std::iter::once(&header).chain(&rows) {
                let mut line = String::new();
                for (i, cell) in row.iter().enumerate() {
                    let pad = widths[i].saturating_sub(cell.chars().count());
                    if i + 1 == row.len() {
                        line.push_str(cell);
                    } else if matches!(i, 0 | 3 | 4) {
                        line.push_str(&format!("{}{cell}  ", " ".repeat(pad)));
                    } else {
                        line.push_str(&format!("{cell}{}  ", " ".repeat(pad)));
                    }
                }
                writeln!(out, "{}", line.trim_end())?;
            }
        }
        Format::Text => {}
        // `json` is one document, `jsonl` one line per conversation, as everywhere else.
        Format::Json => {
            let sessions: Vec<Value> = list.iter().map(|s| session_json(s, false)).collect();
            let v = json!({"v": SCHEMA_VERSION, "sessions": sessions});
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

fn text_row(s: &ConversationSummary) -> [String; 7] {
    let c = &s.conversation;
    [
        c.id.to_string(),
        c.name
            .as_deref()
            .map_or_else(|| "-".into(), |n| crate::term::printable(n).into_owned()),
        c.model.clone(),
        s.turns.to_string(),
        s.tokens.to_string(),
        timestamp(s.updated_ms),
        first_words(&s.preview, 6, 40),
    ]
}

/// A time as `2026-12-06 08:41` (UTC).
fn timestamp(ms: i64) -> String {
    let t = UNIX_EPOCH + Duration::from_millis(u64::try_from(ms).unwrap_or(0));
    let full = humantime::format_rfc3339_seconds(t).to_string();
    full.get(..16).unwrap_or(&full).replacen('T', " ", 1)
}

/// The first `words` words of `text` on one line, at most `chars` characters.
fn first_words(text: &str, words: usize, chars: usize) -> String {
    let mut out: String = text
        .split_whitespace()
        .take(words)
        .collect::<Vec<_>>()
        .join(" ");
    if out.chars().count() > chars {
        out = out.chars().take(chars - 1).collect::<String>() + "…";
    } else if text.split_whitespace().count() > words {
        out.push('…');
    }
    crate::term::printable(&out).into_owned()
}

/// One conversation of `list`; a JSONL line carries the schema version itself.
fn session_json(s: &ConversationSummary, versioned: bool) -> Value {
    let c = &s.conversation;
    let mut v = Map::new();
    if versioned {
        v.insert("v".into(), json!(SCHEMA_VERSION));
    }
    let fields = json!({"id": c.id, "name": c.name, "model": c.model, "messages": s.messages,
        "turns": s.turns, "tokens": s.tokens, "updated_ms": s.updated_ms,
        "preview": s.preview});
    if let Value::Object(fields) = fields {
        v.extend(fields);
    }
    Value::Object(v)
}

/// Finds the conversation `key` names (a name, else an id), or says how to find one.
fn find(store: &Store, key: &str) -> anyhow::Result<Conversation> {
    store.conversation(key)?.ok_or_else(|| {
        UsageError::new(
            format!("there is no conversation `{key}`"),
            Some("`qwen sessions list` shows their names and ids".into()),
        )
        .into()
    })
}

/// `show` and `export`: the transcript as text (rendered on a terminal) or Markdown, or
/// its messages as JSON.
fn show(
    settings: &Settings,
    key: &str,
    export: bool,
    out: &mut impl Write,
) -> anyhow::Result<Exit> {
    let store = if Store::path(&settings.data_dir).exists() {
        Store::open(&settings.data_dir)?
    } else {
        return Err(find_nothing(key));
    };
    let c = find(&store, key)?;
    let transcript = store.transcript(c.id)?;
    match settings.format {
        Format::Text if export => markdown(&c, &transcript, out)?,
        Format::Text => {
            let style = reply_style(RenderMode::Auto, settings.format);
            text(&c, &transcript, style, out)?;
        }
        Format::Jsonl => {
            for entry in &transcript {
                let mut line = Map::new();
                line.insert("v".into(), json!(SCHEMA_VERSION));
                line.extend(message_json(entry));
                serde_json::to_writer(&mut *out, &Value::Object(line))?;
                writeln!(out)?;
            }
        }
        Format::Json => {
            let messages: Vec<Value> = transcript
                .iter()
                .map(|e| Value::Object(message_json(e)))
                .collect();
            let doc = json!({"v": SCHEMA_VERSION, "id": c.id, "name": c.name,
                "model": c.model, "messages": messages});
            serde_json::to_writer(&mut *out, &doc)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(Exit::Success)
}

fn find_nothing(key: &str) -> anyhow::Error {
    UsageError::new(
        format!("there is no conversation `{key}`"),
        Some("no conversation has been saved yet".into()),
    )
    .into()
}

fn message_json(entry: &TranscriptEntry) -> Map<String, Value> {
    let m = &entry.message;
    let mut map = Map::new();
    map.insert("role".into(), json!(m.role.as_str()));
    map.insert("content".into(), json!(m.content));
    if let Some(r) = m.reasoning.as_ref().filter(|r| !r.is_empty()) {
        map.insert("reasoning".into(), json!(r));
    }
    if !m.tool_calls.is_empty() {
        map.insert("tool_calls".into(), json!(m.tool_calls));
    }
    if let Some(id) = &m.tool_call_id {
        map.insert("tool_call_id".into(), json!(id));
    }
    if entry.interrupted {
        map.insert("interrupted".into(), json!(true));
    }
    map.insert("created_ms".into(), json!(entry.created_ms));
    map
}

fn label(m: &Message, model: &str) -> String {
    match m.role {
        Role::User => "you".into(),
        Role::Assistant => model.to_owned(),
        other => other.as_str().to_owned(),
    }
}

/// The transcript for reading: each message under its speaker; replies rendered when
/// `style` is given (a terminal), control characters escaped when not.
fn text(
    c: &Conversation,
    transcript: &[TranscriptEntry],
    style: Option<render::Style>,
    out: &mut impl Write,
) -> io::Result<()> {
    let bold = style.is_some_and(|s| s.color);
    for (i, entry) in transcript.iter().enumerate() {
        let m = &entry.message;
        if i > 0 {
            writeln!(out)?;
        }
        let mut head = label(m, &c.model);
        if entry.interrupted {
            head.push_str(" (interrupted)");
        }
        if bold {
            writeln!(out, "\x1b[1m{head}:\x1b[0m")?;
        } else {
            writeln!(out, "{head}:")?;
        }
        for call in &m.tool_calls {
            writeln!(
                out,
                "[tool call {} {}]",
                call.name,
                crate::term::printable(&call.arguments)
            )?;
        }
        match style {
            Some(style) if m.role == Role::Assistant => {
                render::render_all(&m.content, style, &mut *out)?
            }
            _ => {
                let body = crate::term::printable_lines(&m.content);
                write!(out, "{body}")?;
                if !body.ends_with('\n') {
                    writeln!(out)?;
                }
            }
        }
    }
    Ok(())
}

/// The transcript as a Markdown document, replies verbatim.
fn markdown(
    c: &Conversation,
    transcript: &[TranscriptEntry],
    out: &mut impl Write,
) -> io::Result<()> {
    let title = c
        .name
        .clone()
        .unwrap_or_else(|| format!("conversation {}", c.id));
    writeln!(out, "# {title}")?;
    for entry in transcript {
        let m = &entry.message;
        let mut head = match m.role {
            Role::User => "User".to_owned(),
            Role::Assistant => format!("Assistant ({})", c.model),
            Role::System => "System".to_owned(),
            Role::Tool => "Tool".to_owned(),
        };
        if entry.interrupted {
            head.push_str(" — interrupted");
        }
        writeln!(out, "\n## {head}\n")?;
        for call in &m.tool_calls {
            writeln!(out, "Tool call `{}`: `{}`\n", call.name, call.arguments)?;
        }
        write!(out, "{}", m.content)?;
        if !m.content.ends_with('\n') {
            writeln!(out)?;
        }
    }
    Ok(())
}

/// `rm`: deletes the conversations named (all found first: one unknown deletes nothing)
/// and those unused for `--older-than`.
fn rm(settings: &Settings, args: &RmArgs) -> anyhow::Result<Exit> {
    let cutoff = super::common::older_than(args.older_than.as_deref())?;
    if !Store::path(&settings.data_dir).exists() {
        return match args.conversations.first() {
            Some(key) => Err(find_nothing(key)),
            None => Ok(Exit::Success),
        };
    }
    let mut store = Store::open(&settings.data_dir)?;
    let mut ids = Vec::new();
    for key in &args.conversations {
        ids.push(find(&store, key)?.id);
    }
    if let Some(age) = cutoff {
        let age_ms = i64::try_from(age.as_millis()).unwrap_or(i64::MAX);
        let cutoff_ms = crate::store::now_ms().saturating_sub(age_ms);
        ids.extend(store.conversations_unused_since(cutoff_ms)?);
    }
    ids.sort_unstable();
    ids.dedup();
    let gone = store.delete_conversations(&ids)?;
    if !settings.quiet {
        let s = if gone == 1 { "" } else { "s" };
        note("note", &format!("deleted {gone} conversation{s}"));
    }
    Ok(Exit::Success)
}
