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
use crate::commands::models::ModelsArgs;
use crate::commands::sessions::SessionsArgs;
use crate::commands::tools::ToolsArgs;
use crate::commands::usage::UsageCommand;
use crate::config::Overrides;

/// A fast, scriptable client for Alibaba's Qwen models (DashScope / Model Studio)
#[derive(Debug, Parser)]
#[command(name = "qwen", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Parses the process's arguments (exiting on an error, as `Parser::parse` does) and
    /// notes which values were typed rather than taken from the environment.
    pub fn parse_args() -> Self {
        let matches = Self::command().get_matches();
        let mut cli =
            <Self as clap::FromArgMatches>::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
        cli.global.model_typed =
            matches.value_source("model") == Some(clap::parser::ValueSource::CommandLine);
        cli
    }
}

/// Options every command understands.
#[derive(Debug, Clone, Default, Args)]
pub struct GlobalArgs {
    /// Config profile to use (a `[profiles.NAME]` table in config.toml)
    #[arg(long, global = true, env = "QWEN_PROFILE", value_name = "NAME")]
    pub profile: Option<String>,

    /// DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong)
    #[arg(long, global = true, env = "DASHSCOPE_REGION", value_name = "REGION")]
    pub region: Option<String>,

    /// Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native
    /// root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`)
    #[arg(
        long,
        global = true,
        env = "DASHSCOPE_BASE_URL",
        hide_env_values = true,
        value_name = "URL"
    )]
    pub base_url: Option<String>,

    /// Wire protocol: compat (OpenAI-compatible, the default) or native (DashScope's own
    /// API); with --base-url, give that protocol's root, e.g. `https://HOST/api/v1`
    #[arg(long, global = true, env = "QWEN_API", value_enum, value_name = "API")]
    pub api: Option<ApiArg>,

    /// Model to use, e.g. `qwen-plus`
    #[arg(short, long, global = true, env = "QWEN_MODEL", value_name = "MODEL")]
    pub model: Option<String>,

    /// `--model` was typed, not taken from `QWEN_MODEL` (set by [`Cli::parse_args`]).
    #[arg(skip)]
    pub model_typed: bool,

    /// Output format: text, jsonl or json for replies; table, json, jsonl, csv or
    /// prometheus for `qwen usage`
    #[arg(long, global = true, value_enum, value_name = "FORMAT")]
    pub format: Option<FormatArg>,

    /// Retries for transient failures (connection errors, timeouts, 408/429/5xx)
    #[arg(long, global = true, value_name = "N")]
    pub retries: Option<u32>,

    /// Connect timeout, e.g. `10s` or `500ms`
    #[arg(long, global = true, value_name = "DURATION")]
    pub timeout: Option<String>,

    /// Longest wait for the first event of a reply (the whole reply with --no-stream)
    #[arg(long, global = true, value_name = "DURATION")]
    pub first_token_timeout: Option<String>,

    /// Longest silence between two chunks of a streamed reply
    #[arg(long, global = true, value_name = "DURATION")]
    pub idle_timeout: Option<String>,

    /// Allow sending the API key over plain http:// to a host that is not loopback
    #[arg(long, global = true)]
    pub allow_insecure_http: bool,

    /// Largest input read (standard input, each file), e.g. `16MiB` (the default)
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
        clap_complete::generate(shell, &mut Cli::command(), "qwen", &mut out);
        files.push((PathBuf::from("completions").join(name), out));
    }
    let root = Cli::command();
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
        Cli::command().debug_assert();
    }
}
