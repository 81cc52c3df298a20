//! `qwen usage`: the command line turned into a report's window, keys and budget; the
//! report itself is `crate::report`.

use std::io::{self, Write};
use std::time::SystemTime;

use clap::{Args, Subcommand, ValueEnum};

use crate::args::{FormatArg, Typed, TypedOnly};
use crate::exit::{Exit, UsageError};
use crate::report::budget::{check_budget, parse_budget};
use crate::report::when::parse_when;
use crate::report::{self, ReportFormat, UsageKey};
use crate::store::CallFilter;

/// Arguments of `qwen usage`.
#[derive(Debug, Clone, Default, Args)]
pub struct UsageArgs {
    #[command(subcommand)]
    pub action: Option<UsageAction>,

    /// Start of the window: `7d` or `24h` ago, a UTC date `2026-11-01`, `today`, `yesterday`
    #[arg(long, global = true, value_name = "WHEN")]
    pub since: Option<String>,

    /// End of the window (exclusive), in the same forms as --since
    #[arg(long, global = true, value_name = "WHEN")]
    pub until: Option<String>,

    /// Only calls to this model (repeatable, or comma-separated)
    #[arg(
        short,
        long,
        global = true,
        value_name = "MODEL",
        value_delimiter = ','
    )]
    pub model: Vec<String>,

    /// Only calls made by this command, e.g. `chat` or `batch` (repeatable, or comma-separated)
    #[arg(long, global = true, value_name = "COMMAND", value_delimiter = ',')]
    pub command: Vec<String>,

    /// Only calls made under this config profile (repeatable, or comma-separated)
    #[arg(long, global = true, value_name = "PROFILE", value_delimiter = ',')]
    pub profile: Vec<String>,

    /// Split the totals by these keys (repeatable, or comma-separated, e.g. `day,model`)
    #[arg(long, value_enum, value_name = "KEY", value_delimiter = ',')]
    pub by: Vec<KeyArg>,

    /// Exit with status 7 when the estimated spend in the window exceeds this, e.g. `5` or
    /// `30cny` (without a currency, every currency is held to it)
    #[arg(long, value_name = "AMOUNT")]
    pub budget: Option<String>,

    /// Show every column in the table (the default fits 80 columns; json, jsonl, csv and
    /// prometheus always carry every field)
    #[arg(long)]
    pub wide: bool,
}

/// `qwen usage` arguments, with the filters that clap filled from the environment dropped.
///
/// `--model` and `--profile` share their ids with the global options, so clap also fills them
/// from `QWEN_MODEL` and `QWEN_PROFILE`. A report filter must be typed: a model chosen for
/// chat in the environment must not quietly narrow a budget check.
pub type UsageCommand = Typed<UsageArgs>;

impl TypedOnly for UsageArgs {
    fn drop_env(&mut self, from_env: &dyn Fn(&str) -> bool) {
        if from_env("model") {
            self.model.clear();
        }
        if from_env("profile") {
            self.profile.clear();
        }
    }
}

/// What `qwen usage --by` splits totals by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ValueEnum)]
pub enum KeyArg {
    /// The UTC day
    Day,
    /// The model asked for
    Model,
    /// The `qwen` command
    Command,
    /// The config profile
    Profile,
}

/// Views of `qwen usage` other than the totals.
#[derive(Debug, Clone, Subcommand)]
pub enum UsageAction {
    /// List recorded calls, oldest first (the filters of `qwen usage` apply)
    Log(UsageLogArgs),
}

/// Arguments of `qwen usage log`.
#[derive(Debug, Clone, Args)]
pub struct UsageLogArgs {
    /// Show the last N calls
    #[arg(short = 'n', long = "limit", value_name = "N", default_value_t = 20)]
    pub limit: usize,
}

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
        if !args.by.is_empty() || args.budget.is_some() || args.wide {
            return Err(UsageError::new(
                "`--by`, `--budget` and `--wide` apply to the totals, not to `qwen usage log`",
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
    report::render::write(&mut out, format, &report, &filter, args.wide)?;
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
