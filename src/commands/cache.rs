//! `qwen cache`: what the response cache holds and what its hits saved; `qwen cache clear`.

use std::io::{self, Write};

use serde_json::json;

use clap::{Args, Subcommand};

use crate::args::FormatArg;
use crate::exit::{Exit, UsageError};
use crate::output::SCHEMA_VERSION;
use crate::report::when::format_time;
use crate::store::{ReplyStats, Store};
use crate::term::note;

/// Arguments of `qwen cache`.
#[derive(Debug, Clone, Default, Args)]
pub struct CacheArgs {
    #[command(subcommand)]
    pub action: Option<CacheAction>,
}

/// What `qwen cache` does.
#[derive(Debug, Clone, Subcommand)]
pub enum CacheAction {
    /// Show how many replies are stored and what cache hits saved (the default)
    Stats,
    /// Delete stored replies
    Clear(CacheClearArgs),
}

/// Arguments of `qwen cache clear`.
#[derive(Debug, Clone, Default, Args)]
pub struct CacheClearArgs {
    /// Delete only replies stored longer ago than this, e.g. `7d`
    #[arg(long, value_name = "DURATION")]
    pub older_than: Option<String>,
}

/// Runs `qwen cache` (it needs only the data directory, so no profile is read).
pub fn run(format: Option<FormatArg>, quiet: bool, args: &CacheArgs) -> anyhow::Result<Exit> {
    let lookup = |name: &str| std::env::var(name).ok();
    let data_dir = crate::config::data_dir(&lookup)?;
    let exists = Store::path(&data_dir).exists();
    match &args.action {
        Some(CacheAction::Clear(clear)) => {
            let cutoff = super::common::older_than_cutoff(clear.older_than.as_deref())?;
            let removed = if exists {
                Store::open(&data_dir)?.clear_replies(cutoff)?
            } else {
                0
            };
            if !quiet {
                note("note", &format!("removed {removed} cached replies"));
            }
        }
        None | Some(CacheAction::Stats) => {
            let stats = if exists {
                Store::open(&data_dir)?.reply_stats()?
            } else {
                ReplyStats::default()
            };
            let mut out = io::stdout().lock();
            write_stats(&mut out, format, &stats)?;
            out.flush()?;
        }
    }
    Ok(Exit::Success)
}

fn write_stats(
    out: &mut impl Write,
    format: Option<FormatArg>,
    s: &ReplyStats,
) -> anyhow::Result<()> {
    let time = |ms: Option<i64>| ms.map(format_time);
    match format {
        None | Some(FormatArg::Text | FormatArg::Table) => {
            writeln!(out, "replies stored  {} ({} bytes)", s.entries, s.bytes)?;
            writeln!(
                out,
                "oldest          {}",
                time(s.oldest_ms).unwrap_or_else(|| "-".into())
            )?;
            writeln!(
                out,
                "newest          {}",
                time(s.newest_ms).unwrap_or_else(|| "-".into())
            )?;
            writeln!(out, "cache hits      {}", s.hits)?;
            writeln!(out, "tokens saved    {}", s.saved_tokens)?;
        }
        Some(FormatArg::Json | FormatArg::Jsonl) => {
            let mut value = json!({
                "v": SCHEMA_VERSION, "entries": s.entries, "bytes": s.bytes,
                "oldest": time(s.oldest_ms), "newest": time(s.newest_ms),
                "hits": s.hits, "saved_tokens": s.saved_tokens,
            });
            if format == Some(FormatArg::Jsonl) {
                value["type"] = json!("cache");
            }
            serde_json::to_writer(&mut *out, &value)?;
            writeln!(out)?;
        }
        Some(other) => {
            return Err(UsageError::new(
                format!(
                    "`qwen cache` writes text, json or jsonl, not `{}`",
                    other.name()
                ),
                None,
            )
            .into());
        }
    }
    Ok(())
}
