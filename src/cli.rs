//! The command line as data: clap derive types only, no behaviour.
//!
//! Flags are resolved into [`crate::config::Settings`] once, in `config.rs`; commands never
//! look at these types for anything that has a config-file or environment equivalent.
//! Generated completions and man pages come from this tree ([`assets`]).

use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;

use crate::api::Protocol;
use crate::cache;
use crate::config::{Overrides, ParamsConfig};
use crate::output::Format;

/// A fast, scriptable client for Alibaba's Qwen models (DashScope / Model Studio)
#[derive(Debug, Parser)]
#[command(name = "qwen", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
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

/// Every value `--format` takes; each command accepts the ones that fit what it writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Plain text (replies), an aligned table (reports)
    Text,
    /// One JSON object per line
    Jsonl,
    /// One JSON object
    Json,
    /// An aligned table (`qwen usage`)
    Table,
    /// Comma-separated values with a header line (`qwen usage`)
    Csv,
    /// Prometheus text format for node_exporter's textfile collector (`qwen usage`)
    Prometheus,
}

impl FormatArg {
    /// Returns the reply format this value names, if it names one.
    pub fn reply_format(self) -> Option<Format> {
        match self {
            FormatArg::Text => Some(Format::Text),
            FormatArg::Jsonl => Some(Format::Jsonl),
            FormatArg::Json => Some(Format::Json),
            FormatArg::Table | FormatArg::Csv | FormatArg::Prometheus => None,
        }
    }

    /// Returns the value as typed on the command line.
    pub fn name(self) -> String {
        self.to_possible_value()
            .map_or_else(String::new, |v| v.get_name().to_owned())
    }
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

/// Arguments of `qwen chat`.
#[derive(Debug, Clone, Args)]
pub struct ChatArgs {
    /// The prompt; `-` stands for standard input
    #[arg(value_name = "PROMPT")]
    pub prompt: Vec<String>,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub params: ModelParams,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub session: SessionArgs,

    #[command(flatten)]
    pub cache: CacheFlags,

    /// Try this model when the main one is unavailable or keeps failing (repeatable)
    #[arg(long = "fallback-model", value_name = "MODEL")]
    pub fallback_models: Vec<String>,

    /// Print the request that would be sent (key redacted) and send nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// Where the prompt comes from.
#[derive(Debug, Clone, Default, Args)]
pub struct InputArgs {
    /// Never read standard input, even when it is a pipe
    #[arg(long)]
    pub no_stdin: bool,

    /// System prompt
    #[arg(short, long, value_name = "TEXT", conflicts_with = "system_file")]
    pub system: Option<String>,

    /// Read the system prompt from a file
    #[arg(long, value_name = "PATH")]
    pub system_file: Option<PathBuf>,

    /// Attach a file to the prompt, with its path as a header (repeatable)
    #[arg(short, long = "file", value_name = "PATH")]
    pub files: Vec<PathBuf>,

    /// Accept non-UTF-8 input, replacing invalid bytes with U+FFFD
    #[arg(long)]
    pub lossy: bool,
}

/// Sampling and feature parameters sent with the request.
#[derive(Debug, Clone, Default, Args)]
pub struct ModelParams {
    /// Sampling temperature, in [0, 2)
    #[arg(long, value_name = "T")]
    pub temperature: Option<f64>,

    /// Nucleus sampling probability, in (0, 1]
    #[arg(long, value_name = "P")]
    pub top_p: Option<f64>,

    /// Sample from the K most likely tokens
    #[arg(long, value_name = "K")]
    pub top_k: Option<u32>,

    /// Maximum tokens in the reply
    #[arg(long, value_name = "N")]
    pub max_tokens: Option<u32>,

    /// Seed for reproducible sampling
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,

    /// Stop when the model produces this text (repeatable)
    #[arg(long = "stop", value_name = "TEXT")]
    pub stop: Vec<String>,

    /// Presence penalty, in [-2, 2]
    #[arg(long, value_name = "X", allow_hyphen_values = true)]
    pub presence_penalty: Option<f64>,

    /// Repetition penalty (1.0 = none)
    #[arg(long, value_name = "X")]
    pub repetition_penalty: Option<f64>,

    /// Turn thinking (reasoning) on for hybrid models
    #[arg(long, overrides_with = "no_think")]
    pub think: bool,

    /// Turn thinking off for hybrid models
    #[arg(long, overrides_with = "think")]
    pub no_think: bool,

    /// Maximum reasoning tokens
    #[arg(long, value_name = "N")]
    pub thinking_budget: Option<u32>,

    /// Let the model search the web (`enable_search`)
    #[arg(long)]
    pub search: bool,

    /// Ask for a JSON object reply; the reply is checked to be JSON
    #[arg(long, conflicts_with = "schema")]
    pub json: bool,

    /// Ask for a reply matching this JSON Schema file; the reply is validated locally
    #[arg(long, value_name = "PATH")]
    pub schema: Option<PathBuf>,

    /// Add any other field to the request body, e.g. `--extra 'n=2'` (repeatable)
    #[arg(long = "extra", value_name = "KEY=JSON")]
    pub extra: Vec<String>,

    /// Wait for the whole reply instead of streaming it
    #[arg(long)]
    pub no_stream: bool,
}

impl ModelParams {
    /// Returns the request parameters these flags set, in the config file's terms.
    pub fn as_params(&self) -> ParamsConfig {
        ParamsConfig {
            temperature: self.temperature,
            top_p: self.top_p,
            top_k: self.top_k,
            max_tokens: self.max_tokens,
            seed: self.seed,
            stop: (!self.stop.is_empty()).then(|| self.stop.clone()),
            presence_penalty: self.presence_penalty,
            repetition_penalty: self.repetition_penalty,
            enable_thinking: match (self.think, self.no_think) {
                (true, _) => Some(true),
                (_, true) => Some(false),
                _ => None,
            },
            thinking_budget: self.thinking_budget,
            enable_search: self.search.then_some(true),
            extra: self.extra.clone(),
            json: self.json,
            schema: self.schema.clone(),
        }
    }
}

/// How the reply is shown.
#[derive(Debug, Clone, Default, Args)]
pub struct OutputArgs {
    /// Show reasoning on stderr even when stderr is not a terminal
    #[arg(long, overrides_with = "hide_thinking")]
    pub show_thinking: bool,

    /// Never show reasoning
    #[arg(long, overrides_with = "show_thinking")]
    pub hide_thinking: bool,

    /// Print token usage to stderr when the reply is complete
    #[arg(short = 'u', long)]
    pub usage: bool,
}

/// Conversation memory.
#[derive(Debug, Clone, Default, Args)]
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

/// Arguments of `qwen batch`.
#[derive(Debug, Clone, Args)]
pub struct BatchArgs {
    /// Files and directories to send; `-` reads a list of paths from standard input
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Read requests from a JSONL file instead (`-` for standard input)
    #[arg(long, value_name = "FILE", conflicts_with = "paths")]
    pub input: Option<PathBuf>,

    /// What `-` reads from standard input: a list of paths, or JSONL requests
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = InputFormat::Paths)]
    pub input_format: InputFormat,

    /// Prompt template for files, with `{path}`, `{name}` and `{content}` placeholders
    #[arg(long, value_name = "TEXT", conflicts_with = "prompt_file")]
    pub prompt: Option<String>,

    /// Read the prompt template from a file
    #[arg(long, value_name = "FILE")]
    pub prompt_file: Option<PathBuf>,

    /// System prompt for every item
    #[arg(short, long, value_name = "TEXT", conflicts_with = "system_file")]
    pub system: Option<String>,

    /// Read the system prompt from a file
    #[arg(long, value_name = "PATH")]
    pub system_file: Option<PathBuf>,

    #[command(flatten)]
    pub params: ModelParams,

    /// Only files matching this glob; `!GLOB` excludes (repeatable)
    #[arg(short, long = "glob", value_name = "GLOB")]
    pub globs: Vec<String>,

    /// Include hidden files and directories
    #[arg(long)]
    pub hidden: bool,

    /// Do not honour `.gitignore`, `.ignore` and similar files
    #[arg(long)]
    pub no_ignore: bool,

    /// Descend at most this many directory levels
    #[arg(long, value_name = "N")]
    pub max_depth: Option<usize>,

    /// Requests in flight at most
    #[arg(short = 'j', long, value_name = "N", default_value_t = 8)]
    pub concurrency: usize,

    /// Start at most N requests per minute
    #[arg(long, value_name = "N")]
    pub rpm: Option<std::num::NonZeroU32>,

    /// Send at most N input tokens per minute (estimated before, corrected after)
    #[arg(long, value_name = "N")]
    pub tpm: Option<std::num::NonZeroU32>,

    /// Stop starting items after the first one that fails for good
    #[arg(long)]
    pub fail_fast: bool,

    /// After the first Ctrl-C, wait this long for requests in flight, then abandon them
    #[arg(long, value_name = "DURATION", default_value = "10s")]
    pub drain_timeout: String,

    /// Take at most N items
    #[arg(long, value_name = "N")]
    pub max_items: Option<usize>,

    /// Stop starting items when the run's estimated spend would pass this amount (in the
    /// price table's currency: USD, or CNY in Beijing)
    #[arg(long, value_name = "AMOUNT")]
    pub max_cost: Option<f64>,

    /// List the items with estimated input tokens and send nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Skip files larger than this (e.g. `200KB`, `1MiB`)
    #[arg(long, value_name = "SIZE", default_value = "1MiB")]
    pub max_bytes: String,

    /// Send the start of files larger than --max-bytes instead of skipping them
    #[arg(long)]
    pub truncate: bool,

    /// Accept non-UTF-8 files, replacing invalid bytes with U+FFFD
    #[arg(long)]
    pub lossy: bool,

    /// Write results in input order (default: as they finish)
    #[arg(long)]
    pub ordered: bool,

    /// Write the JSONL results to this file instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Write each reply to its own file under DIR, mirroring the input paths
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,

    /// Extension appended to --out-dir files
    #[arg(long, value_name = "EXT", default_value = "md")]
    pub ext: String,

    /// Skip items already done in --output / --out-dir; retry the failed ones
    #[arg(long)]
    pub resume: bool,

    /// Replace the results of an earlier run in --output / --out-dir (refused otherwise)
    #[arg(long, conflicts_with = "resume")]
    pub force: bool,

    #[command(flatten)]
    pub remote: RemoteArgs,

    #[command(subcommand)]
    pub action: Option<BatchAction>,
}

/// What `qwen batch -` reads from standard input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// One path per line (files or directories)
    Paths,
    /// One JSONL request per line, as with `--input`
    Jsonl,
}

/// The remote route through DashScope's Batch API.
#[derive(Debug, Clone, Args)]
pub struct RemoteArgs {
    /// Run the job on DashScope's Batch API (half price, finishes within --window)
    #[arg(long)]
    pub remote: bool,

    /// Completion window of remote batches: 24h to 336h, or 1d to 14d
    #[arg(
        long,
        value_name = "WINDOW",
        default_value = "24h",
        requires = "remote"
    )]
    pub window: String,

    /// Submit the remote job, print its id as JSON and exit
    #[arg(long, requires = "remote")]
    pub detach: bool,

    /// First wait between status polls of a remote job (it grows to 5 minutes)
    #[arg(long, value_name = "DURATION", default_value = "60s")]
    pub poll_interval: String,

    /// Lines per uploaded file at most
    #[arg(long, value_name = "N", default_value_t = 50_000, requires = "remote")]
    pub max_file_lines: usize,

    /// Bytes per uploaded file at most
    #[arg(
        long,
        value_name = "SIZE",
        default_value = "500MB",
        requires = "remote"
    )]
    pub max_file_bytes: String,

    /// Bytes per request line at most; larger items are skipped before anything is uploaded
    #[arg(long, value_name = "SIZE", default_value = "6MB", requires = "remote")]
    pub max_line_bytes: String,
}

/// Commands for remote batch jobs.
#[derive(Debug, Clone, Subcommand)]
pub enum BatchAction {
    /// Show the status of a remote job (the newest one by default)
    Status {
        /// The job id (`job-…`)
        #[arg(value_name = "JOB")]
        job: Option<String>,
    },
    /// Wait for a remote job and write its results like a finished run
    Fetch(FetchArgs),
    /// Cancel a remote job's batches (finished lines stay fetchable)
    Cancel {
        /// The job id
        #[arg(value_name = "JOB")]
        job: String,
    },
    /// List remote jobs submitted from this machine
    List,
}

/// Arguments of `qwen batch fetch`.
#[derive(Debug, Clone, Args)]
pub struct FetchArgs {
    /// The job id
    #[arg(value_name = "JOB")]
    pub job: String,

    /// Write the JSONL results to this file (default: the submitting run's)
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Write each reply to its own file under DIR (default: the submitting run's)
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,

    /// First wait between status polls
    #[arg(long, value_name = "DURATION", default_value = "60s")]
    pub poll_interval: String,
}

/// The response cache, for commands that send requests (off unless asked for).
#[derive(Debug, Clone, Default, Args)]
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
    pub by: Vec<UsageKey>,

    /// Exit with status 7 when the estimated spend in the window exceeds this, e.g. `5` or
    /// `30cny` (without a currency, every currency is held to it)
    #[arg(long, value_name = "AMOUNT")]
    pub budget: Option<String>,
}

/// `qwen usage` arguments, with the filters that clap filled from the environment dropped.
///
/// `--model` and `--profile` share their ids with the global options, so clap also fills them
/// from `QWEN_MODEL` and `QWEN_PROFILE`. A report filter must be typed: a model chosen for
/// chat in the environment must not quietly narrow a budget check.
#[derive(Debug, Clone, Default)]
pub struct UsageCommand(pub UsageArgs);

impl clap::FromArgMatches for UsageCommand {
    fn from_arg_matches(matches: &clap::ArgMatches) -> Result<Self, clap::Error> {
        let mut args = UsageArgs::from_arg_matches(matches)?;
        let from_env =
            |id: &str| matches.value_source(id) == Some(clap::parser::ValueSource::EnvVariable);
        if from_env("model") {
            args.model.clear();
        }
        if from_env("profile") {
            args.profile.clear();
        }
        Ok(Self(args))
    }

    fn update_from_arg_matches(&mut self, matches: &clap::ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl Args for UsageCommand {
    fn group_id() -> Option<clap::Id> {
        UsageArgs::group_id()
    }

    fn augment_args(cmd: clap::Command) -> clap::Command {
        UsageArgs::augment_args(cmd)
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        UsageArgs::augment_args_for_update(cmd)
    }
}

/// What `qwen usage --by` splits totals by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ValueEnum)]
pub enum UsageKey {
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

/// Arguments of `qwen complete`.
#[derive(Debug, Clone, Args)]
pub struct CompleteArgs {
    /// The prompt; `-` stands for standard input
    #[arg(value_name = "PROMPT")]
    pub prompt: Vec<String>,

    /// Never read standard input, even when it is a pipe
    #[arg(long)]
    pub no_stdin: bool,

    /// Append a file's contents to the prompt verbatim (repeatable)
    #[arg(short, long = "file", value_name = "PATH")]
    pub files: Vec<PathBuf>,

    /// Accept non-UTF-8 input, replacing invalid bytes with U+FFFD
    #[arg(long)]
    pub lossy: bool,

    /// Fill in the middle: the text that comes after the completion
    #[arg(long, value_name = "TEXT", conflicts_with = "suffix_file")]
    pub suffix: Option<String>,

    /// Read the fill-in-the-middle suffix from a file
    #[arg(long, value_name = "PATH")]
    pub suffix_file: Option<PathBuf>,

    /// Completion model [default: qwen-coder-turbo]
    #[arg(short, long, value_name = "MODEL")]
    pub model: Option<String>,

    #[command(flatten)]
    pub params: ModelParams,

    #[command(flatten)]
    pub output: OutputArgs,

    /// Print the request that would be sent (key redacted) and send nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// Arguments of `qwen models`.
#[derive(Debug, Clone, Default, Args)]
pub struct ModelsArgs {
    #[command(subcommand)]
    pub action: Option<ModelsAction>,

    /// Show the built-in catalogue only; do not ask the endpoint
    #[arg(long, global = true)]
    pub offline: bool,
}

/// Views of `qwen models` other than the list.
#[derive(Debug, Clone, Subcommand)]
pub enum ModelsAction {
    /// Show everything known about one model
    Show(ModelsShowArgs),
}

/// Arguments of `qwen models show`.
#[derive(Debug, Clone, Args)]
pub struct ModelsShowArgs {
    /// The model name, e.g. `qwen-plus`
    #[arg(value_name = "NAME")]
    pub name: String,
}

/// Arguments of `qwen embed`.
#[derive(Debug, Clone, Default, Args)]
pub struct EmbedArgs {
    /// Texts to embed, one per argument
    #[arg(value_name = "TEXT")]
    pub texts: Vec<String>,

    /// Embed a file's whole contents as one text (repeatable)
    #[arg(short, long = "file", value_name = "PATH")]
    pub files: Vec<PathBuf>,

    /// Never read standard input (otherwise, when it is not a terminal, each line is a text)
    #[arg(long)]
    pub no_stdin: bool,

    /// Embedding model [default: text-embedding-v4]
    #[arg(short, long, value_name = "MODEL")]
    pub model: Option<String>,

    /// Vector size, where the model offers a choice (v3: 64 to 1024; v4: up to 2048)
    #[arg(long, value_name = "N")]
    pub dimensions: Option<u32>,

    /// Leave each text out of its output line
    #[arg(long)]
    pub no_text: bool,

    /// Requests in flight at most
    #[arg(short = 'j', long, value_name = "N", default_value_t = 4)]
    pub concurrency: usize,

    /// Accept non-UTF-8 input, replacing invalid bytes with U+FFFD
    #[arg(long)]
    pub lossy: bool,
}

/// `qwen embed` arguments, with a `--model` that only the command line sets.
///
/// `--model` shares its id with the global option, so clap also fills it from `QWEN_MODEL`
/// (and a chat model chosen in the environment is no embedding model); that value is dropped.
#[derive(Debug, Clone, Default)]
pub struct EmbedCommand(pub EmbedArgs);

impl clap::FromArgMatches for EmbedCommand {
    fn from_arg_matches(matches: &clap::ArgMatches) -> Result<Self, clap::Error> {
        let mut args = EmbedArgs::from_arg_matches(matches)?;
        if matches.value_source("model") == Some(clap::parser::ValueSource::EnvVariable) {
            args.model = None;
        }
        Ok(Self(args))
    }

    fn update_from_arg_matches(&mut self, matches: &clap::ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl Args for EmbedCommand {
    fn group_id() -> Option<clap::Id> {
        EmbedArgs::group_id()
    }

    fn augment_args(cmd: clap::Command) -> clap::Command {
        EmbedArgs::augment_args(cmd)
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        EmbedArgs::augment_args_for_update(cmd)
    }
}

/// `qwen complete` arguments, with a `--model` that only the command line sets.
///
/// As for [`EmbedCommand`]: a chat model chosen in `QWEN_MODEL` is no completion model, so
/// the value clap fills in from the environment is dropped.
#[derive(Debug, Clone)]
pub struct CompleteCommand(pub CompleteArgs);

impl clap::FromArgMatches for CompleteCommand {
    fn from_arg_matches(matches: &clap::ArgMatches) -> Result<Self, clap::Error> {
        let mut args = CompleteArgs::from_arg_matches(matches)?;
        if matches.value_source("model") == Some(clap::parser::ValueSource::EnvVariable) {
            args.model = None;
        }
        Ok(Self(args))
    }

    fn update_from_arg_matches(&mut self, matches: &clap::ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl Args for CompleteCommand {
    fn group_id() -> Option<clap::Id> {
        CompleteArgs::group_id()
    }

    fn augment_args(cmd: clap::Command) -> clap::Command {
        CompleteArgs::augment_args(cmd)
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        CompleteArgs::augment_args_for_update(cmd)
    }
}

/// Arguments of `qwen doctor`.
#[derive(Debug, Clone, Default, Args)]
pub struct DoctorArgs {
    /// Skip the 1-token test call (it is billed like any other call)
    #[arg(long)]
    pub no_call: bool,
}

/// Arguments of `qwen tools`.
#[derive(Debug, Clone, Args)]
pub struct ToolsArgs {
    #[command(subcommand)]
    pub action: ToolsAction,
}

/// What `qwen tools` does.
// `Run` carries every model parameter; boxing it would only add noise to the match.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, Subcommand)]
pub enum ToolsAction {
    /// Send a prompt with the tools and run the calls the model asks for until it answers
    ///
    /// The prompt is read like `qwen chat`'s. The final answer goes to stdout; each tool call
    /// is a line on stderr (text) or `tool_call`/`tool_result` events (`--format jsonl`).
    Run(ToolsRunArgs),
    /// List every tool and where it was defined
    List(ToolSourceArgs),
    /// Run one tool directly, without the model, to test its definition
    ///
    /// The arguments are checked against the tool's schema first. Calling a tool by name
    /// is permission enough: `allow` does not apply.
    Call(ToolsCallArgs),
}

/// Where tools come from (in addition to `tools.toml` and `[[mcp]]` in the config dir).
#[derive(Debug, Clone, Default, Args)]
pub struct ToolSourceArgs {
    /// Read tool definitions from this TOML file (repeatable)
    #[arg(long = "tools", value_name = "FILE")]
    pub tools: Vec<PathBuf>,

    /// Start this MCP server over stdio, e.g. `--mcp 'npx -y @scope/server'`; prefix
    /// `NAME=` to name its tools `NAME.tool` (repeatable)
    #[arg(long = "mcp", value_name = "COMMAND")]
    pub mcp: Vec<String>,
}

/// Arguments of `qwen tools run`.
#[derive(Debug, Clone, Args)]
pub struct ToolsRunArgs {
    /// The prompt; `-` stands for standard input
    #[arg(value_name = "PROMPT")]
    pub prompt: Vec<String>,

    #[command(flatten)]
    pub sources: ToolSourceArgs,

    /// Run this tool without asking (repeatable; `SERVER.*` allows an MCP server's tools)
    #[arg(long = "allow", value_name = "NAME")]
    pub allow: Vec<String>,

    /// Run every tool without asking
    #[arg(long)]
    pub allow_all: bool,

    /// Stop (exit 8) when the model still calls tools after this many requests
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_steps: u32,

    /// Also write the JSONL audit trail (every event of `--format jsonl`) to this file
    #[arg(long, value_name = "FILE")]
    pub transcript: Option<PathBuf>,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub params: ModelParams,

    #[command(flatten)]
    pub output: OutputArgs,

    /// Try this model when the main one is unavailable or keeps failing (repeatable)
    #[arg(long = "fallback-model", value_name = "MODEL")]
    pub fallback_models: Vec<String>,
}

/// Arguments of `qwen tools call`.
#[derive(Debug, Clone, Args)]
pub struct ToolsCallArgs {
    /// The tool's name (`SERVER.tool` for MCP tools)
    #[arg(value_name = "NAME")]
    pub name: String,

    /// The arguments, as a JSON object
    #[arg(value_name = "JSON", default_value = "{}")]
    pub arguments: String,

    #[command(flatten)]
    pub sources: ToolSourceArgs,
}

/// Arguments of `qwen completions`.
#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// The shell to generate completions for
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: Shell,
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
