//! `qwen usage`: the command line turned into a report's window, keys and budget; the
//! report itself is `crate::report`.

use std::io::{self, Write};
use std::time::SystemTime;

use crate::cli::{FormatArg, UsageAction, UsageArgs, UsageCommand, UsageKey as KeyArg};
use crate::exit::{Exit, UsageError};
use crate::report::budget::{check_budget, parse_budget};
use crate::report::when::parse_when;
use crate::report::{self, ReportFormat, UsageKey};
use crate::store::CallFilter;

/// The report format `--format` names (a table by default).
fn report_format(arg: Option<FormatArg>) -> ReportFormat {
    match arg {
        None | Some(FormatArg::Text | FormatArg::Table) => ReportFormat::Table,
        Some(FormatArg::Json) => ReportFormat::Json,
        Some(FormatArg::Jsonl) => ReportFormat::Jsonl,
        Some(FormatArg::Csv) => ReportFormat::Csv,
        Some(FormatArg::Prometheus) => ReportFormat::Prometheus,
    }
}

/// Runs `qwen usage` (it needs no settings beyond the data directory, so no profile is read).
pub fn run(format: Option<FormatArg>, quiet: bool, cmd: &UsageCommand) -> anyhow::Result<Exit> {
    let args = &cmd.0;
    let format = report_format(format);
    let now = SystemTime::now();
    let filter = filter(args, now)?;
    let lookup = |name: &str| std::env::var(name).ok();
    let data_dir = crate::config::data_dir(&lookup)?;
    let store = report::open_store(&data_dir)?;
    let mut out = io::stdout().lock();
    if let Some(UsageAction::Log(log_args)) = &args.action {
        if !args.by.is_empty() || args.budget.is_some() {
            return Err(UsageError::new(
                "`--by` and `--budget` apply to the totals, not to `qwen usage log`",
                None,
            )
            .into());
        }
        let calls = match &store {
            Some(store) => store.recent_calls(&filter, log_args.limit)?,
            None => Vec::new(),
        };
        report::log::write(&mut out, format, &calls)?;
        out.flush()?;
        return Ok(Exit::Success);
    }
    let keys = dedup(&args.by);
    if format == ReportFormat::Prometheus && keys.contains(&UsageKey::Day) {
        return Err(UsageError::new(
            "`--by day` does not fit `--format prometheus`",
            Some("Prometheus keeps time itself; split by model, command or profile".into()),
        )
        .into());
    }
    let budget = args.budget.as_deref().map(parse_budget).transpose()?;
    let report = report::totals(store.as_ref(), &data_dir, &filter, keys)?;
    report::render::write(&mut out, format, &report, &filter)?;
    out.flush()?;
    drop(out);
    match budget {
        Some(budget) => check_budget(&report.total, budget, quiet),
        None => Ok(Exit::Success),
    }
}

/// The `--by` keys in the report's terms, each once, in the order given.
fn dedup(keys: &[KeyArg]) -> Vec<UsageKey> {
    let mut out = Vec::new();
    for key in keys {
        let key = match key {
            KeyArg::Day => UsageKey::Day,
            KeyArg::Model => UsageKey::Model,
            KeyArg::Command => UsageKey::Command,
            KeyArg::Profile => UsageKey::Profile,
        };
        if !out.contains(&key) {
            out.push(key);
        }
    }
    out
}

fn filter(args: &UsageArgs, now: SystemTime) -> anyhow::Result<CallFilter> {
    let when = |flag: &str, text: &Option<String>| {
        text.as_deref()
            .map(|t| {
                parse_when(t, now).map_err(|e| UsageError::new(format!("`{flag} {t}`: {e}"), None))
            })
            .transpose()
    };
    Ok(CallFilter {
        since_ms: when("--since", &args.since)?,
        until_ms: when("--until", &args.until)?,
        models: args.model.clone(),
        commands: args.command.clone(),
        profiles: args.profile.clone(),
        ids: None,
    })
}
