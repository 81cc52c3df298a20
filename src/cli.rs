//! The top-level parser: the global options, the list of commands, and the completions and
//! man pages generated from the whole tree ([`assets`]).
//!
//! Each command's arguments live beside its handler (`commands/<command>.rs`), the blocks
//! several share in `args.rs`. The global options become plain [`Overrides`], which
//! `config.rs` resolves into [`crate::config::Settings`] once; nothing below the CLI layer
//! sees a clap type.

use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;

use crate::api::Protocol;
use crate::args::FormatArg;
use crate::commands::batch::BatchArgs;
use crate::commands::cache::CacheArgs;
use crate::commands::chat::ChatArgs;
use crate::commands::complete::CompleteCommand;
use crate::commands::completions::CompletionsArgs;
use crate::commands::doctor::DoctorArgs;
use crate::commands::embed::EmbedCommand;
use crate::commands::files::FilesArgs;
use crate::commands::models::ModelsArgs;
use crate::commands::rerank::RerankCommand;
use crate::commands::sessions::SessionsArgs;
use crate::commands::tools::ToolsArgs;
use crate::commands::usage::UsageCommand;
use crate::config::Overrides;

pub mod formats;
use crate::exit::UsageError;

/// A fast, scriptable client for Alibaba's Qwen models (DashScope / Model Studio)
#[derive(Debug, Parser)]
#[command(name = "qwen", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
    /// The command's names as typed, e.g. `["tools", "run"]` (filled by [`parse`]).
    #[arg(skip)]
    pub path: Vec<String>,
}

/// Returns the whole command tree, each command with its own `--format` values.
pub fn command() -> clap::Command {
    formats::restrict(Cli::command(), &mut Vec::new(), None)
}

/// Parses the process's arguments (exiting on `--help` and errors, as clap does) and notes
/// which values were typed.
///
/// Only the commands named on the command line get their own `--format` (see
/// [`formats::restrict`]): the others cannot be reached, and giving all ~40 theirs cost
/// `qwen --version` 10 % of its instructions (BENCHMARKS.md, issue #16).
pub fn parse() -> Cli {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let tree = formats::restrict(Cli::command(), &mut Vec::new(), Some(&args));
    let matches = tree.get_matches_from(args);
    let mut cli = match <Cli as clap::FromArgMatches>::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(err) => err.exit(),
    };
    // Typed, not taken from `QWEN_MODEL` (read later, outside clap): `-c` keeps the
    // conversation's own model unless one was typed.
    cli.global.model_typed =
        matches.value_source("model") == Some(clap::parser::ValueSource::CommandLine);
    let mut at = &matches;
    while let Some((name, sub)) = at.subcommand() {
        cli.path.push(name.to_owned());
        at = sub;
    }
    cli
}

/// Options every command understands.
///
/// Listed after each command's own options, under their own heading. The options that an
/// environment variable also sets read it here, not through clap's `env`: clap would count
/// such a value as typed, so plain `qwen` would fail instead of printing help, and error
/// usage lines would show options nobody typed.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,

    /// DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong)
    /// [env: DASHSCOPE_REGION] [default: from config, else intl]
    #[arg(long, global = true, value_name = "REGION")]
    pub region: Option<String>,

    /// Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native
    /// root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,

    /// Wire protocol: compat (OpenAI-compatible) or native (DashScope's own API); with
    /// --base-url, give that protocol's root, e.g. `https://HOST/api/v1` [env: QWEN_API]
    /// [default: from config, else compat]
    #[arg(long, global = true, value_enum, value_name = "API")]
    pub api: Option<ApiArg>,

    /// Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]
    #[arg(short, long, global = true, value_name = "MODEL")]
    pub model: Option<String>,

    /// `--model` was typed, not taken from `QWEN_MODEL` (set by [`Cli::parse_args`]).
    #[arg(skip)]
    pub model_typed: bool,

    /// Output format: text, jsonl or json for replies; table, json, jsonl, csv or
    /// prometheus for `qwen usage` [default: from config, else text]
    #[arg(long, global = true, value_enum, value_name = "FORMAT")]
    pub format: Option<FormatArg>,

    /// Retries for transient failures (connection errors, timeouts, 408/429/5xx)
    /// [default: from config, else 3]
    #[arg(long, global = true, value_name = "N")]
    pub retries: Option<u32>,

    /// Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]
    #[arg(long, global = true, value_name = "DURATION")]
    pub timeout: Option<String>,

    /// Longest wait for the first event of a reply (the whole reply with --no-stream)
    /// [default: from config, else 1m; 2m for thinking models and --no-stream]
    #[arg(long, global = true, value_name = "DURATION")]
    pub first_token_timeout: Option<String>,

    /// Longest silence between two chunks of a streamed reply [default: from config, else 1m]
    #[arg(long, global = true, value_name = "DURATION")]
    pub idle_timeout: Option<String>,

    /// Allow sending the API key over plain http:// to a host that is not loopback
    #[arg(long, global = true)]
    pub allow_insecure_http: bool,

    /// Largest input read (standard input, each file), e.g. `1MiB` [default: from config,
    /// else 16MiB]
    #[arg(long, global = true, value_name = "SIZE")]
    pub max_input: Option<String>,

    /// Do not record this call in the local usage ledger
    #[arg(long, global = true)]
    pub no_ledger: bool,

    /// Print each request and response status to stderr (the API key is redacted)
    #[arg(short, long, global = true)]
    pub verbose: bool,

    /// Print no notes, retries or warnings on stderr (errors still print)
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

impl GlobalArgs {
    /// Fills the options that were not typed from their environment variables
    /// (`QWEN_PROFILE`, `DASHSCOPE_REGION`, `DASHSCOPE_BASE_URL`, `QWEN_API`, `QWEN_MODEL`;
    /// an empty one counts as unset), as `lookup` reads them.
    pub fn with_env(mut self, lookup: &dyn Fn(&str) -> Option<String>) -> Result<Self, UsageError> {
        let var = |name: &str| lookup(name).filter(|v| !v.is_empty());
        self.profile = self.profile.or_else(|| var("QWEN_PROFILE"));
        self.region = self.region.or_else(|| var("DASHSCOPE_REGION"));
        self.base_url = self.base_url.or_else(|| var("DASHSCOPE_BASE_URL"));
        self.model = self.model.or_else(|| var("QWEN_MODEL"));
        if self.api.is_none()
            && let Some(name) = var("QWEN_API")
        {
            self.api = Some(ApiArg::from_str(&name, true).map_err(|_| {
                UsageError::new(
                    format!("invalid `QWEN_API={name}`: use compat or native"),
                    None,
                )
            })?);
        }
        Ok(self)
    }

    /// Returns what these flags set over the environment and the config file.
    pub fn overrides(&self) -> Overrides {
        Overrides {
            profile: self.profile.clone(),
            region: self.region.clone(),
            base_url: self.base_url.clone(),
            api: self.api.map(|api| match api {
                ApiArg::Compat => Protocol::Compat,
                ApiArg::Native => Protocol::Native,
            }),
            model: self.model.clone(),
            model_typed: self.model_typed,
            format: self
                .format
                .map(|f| f.reply_format().ok_or_else(|| f.name())),
            retries: self.retries,
            timeout: self.timeout.clone(),
            first_token_timeout: self.first_token_timeout.clone(),
            idle_timeout: self.idle_timeout.clone(),
            allow_insecure_http: self.allow_insecure_http,
            max_input: self.max_input.clone(),
            no_ledger: self.no_ledger,
            verbose: self.verbose,
            quiet: self.quiet,
        }
    }
}

/// Which wire protocol requests use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ApiArg {
    /// OpenAI-compatible (`/compatible-mode/v1`, and local servers)
    Compat,
    /// DashScope native (`/api/v1/services/...`)
    Native,
}

// The variants differ in size, but the enum is built once per process: boxing would only
// add noise to every match.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Send a prompt to a chat model and stream the reply
    ///
    /// The prompt is the arguments, then standard input when it is not a terminal, then any
    /// `--file` attachments. A `-` among the arguments puts standard input at that place.
    Chat(ChatArgs),
    /// List, show, export, rename and delete saved conversations
    ///
    /// Conversations are saved by `qwen chat` (unless `--no-save`); `-c` continues the most
    /// recent one and `--session ID|NAME` any of them.
    Sessions(SessionsArgs),
    /// Send many prompts (files, or JSONL requests) with bounded concurrency
    ///
    /// Results are JSONL on stdout, one line per item as it finishes; see the README for the
    /// line format. Directories are walked recursively, honouring `.gitignore`. With
    /// `--remote` the job runs on DashScope's Batch API; `status`, `fetch`, `cancel` and
    /// `list` manage such jobs (a path named like them needs a `./` prefix).
    #[command(args_conflicts_with_subcommands = true)]
    Batch(BatchArgs),
    /// Report tokens, estimated spend, errors and latency from the local usage ledger
    ///
    /// Totals for a window (`--since`, `--until`; all time by default), optionally split
    /// `--by` day, model, command or profile. Days are UTC days. `qwen usage log` lists the
    /// recorded calls themselves.
    Usage(UsageCommand),
    /// Show or clear the response cache that `--cache` fills
    Cache(CacheArgs),
    /// List and delete the documents `--doc` uploaded for Qwen-Long
    ///
    /// `list` joins this machine's uploads with the server's `file-extract` files; `rm`
    /// deletes by file id or path, on the server and here; `prune` forgets rows whose
    /// server file is gone (and with `--older-than` deletes older uploads).
    Files(FilesArgs),
    /// Let the model call your own tools (programs, MCP servers) until it answers
    ///
    /// Tools come from `--tools FILE`, `tools.toml` in the config dir and MCP servers
    /// (`--mcp`, `[[mcp]]`). A tool runs only when allowed (`allow = true`, `--allow`,
    /// `--allow-all`) or confirmed at a terminal; otherwise it is refused.
    Tools(ToolsArgs),
    /// Continue a raw prompt with a base or coder model, with no chat template
    ///
    /// The prompt follows `chat`'s rules (arguments, then standard input), except that
    /// `--file` contents are appended verbatim. `--suffix` asks for fill-in-the-middle.
    /// Chat models of the catalogue (and any model with `--partial`) continue the prompt
    /// in partial mode over chat completions instead of `/completions`.
    Complete(CompleteCommand),
    /// List the endpoint's models with the built-in catalogue's limits and prices
    ///
    /// The endpoint's list is merged with the catalogue; when the endpoint cannot be asked,
    /// a warning says why and the catalogue is still shown.
    Models(ModelsArgs),
    /// Embed texts (arguments, standard input lines or files) and print JSONL vectors
    ///
    /// Texts are sent in groups within the API's per-request limits, several requests at a
    /// time; the output keeps the input order.
    Embed(EmbedCommand),
    /// Rank documents by relevance to a query and print them as JSONL, best first
    ///
    /// Documents come from arguments, standard input lines, files (`-f`) or JSONL
    /// (`--input`). More than one request takes are split into several, and the scores
    /// merged (scores are comparable only within one request: a warning says when).
    Rerank(RerankCommand),
    /// Check the config, the API key, the endpoint and the local store
    ///
    /// One line per check: `ok`, `warn`, `fail` or `skip`. Exits 1 when a check fails.
    Doctor(DoctorArgs),
    /// Print a shell completion script to stdout
    Completions(CompletionsArgs),
}

/// Returns every generated file (completion scripts and man pages) with its path in the repo.
///
/// The committed copies under `completions/` and `man/` are checked against this by a test.
pub fn assets() -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let shells = [
        (Shell::Bash, "qwen.bash"),
        (Shell::Zsh, "_qwen"),
        (Shell::Fish, "qwen.fish"),
        (Shell::PowerShell, "_qwen.ps1"),
        (Shell::Elvish, "qwen.elv"),
    ];
    for (shell, name) in shells {
        let mut out = Vec::new();
        clap_complete::generate(shell, &mut command(), "qwen", &mut out);
        files.push((PathBuf::from("completions").join(name), out));
    }
    // Built, so that each command carries the global options it accepts (its man page
    // lists them).
    let mut root = command();
    root.build();
    let mut pages = vec![("qwen".to_owned(), root.clone())];
    for sub in root.get_subcommands() {
        let name = format!("qwen-{}", sub.get_name());
        pages.push((name.clone(), sub.clone().name(name.clone()).bin_name(name)));
    }
    for (name, cmd) in pages {
        let mut out = Vec::new();
        clap_mangen::Man::new(cmd)
            .render(&mut out)
            .expect("rendering to memory cannot fail");
        files.push((PathBuf::from("man").join(format!("{name}.1")), out));
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_is_well_formed() {
        command().debug_assert();
    }
}
