//! The command line as data: clap derive types only, no behaviour.
//!
//! Flags are resolved into [`crate::config::Settings`] once, in `config.rs`; commands never
//! look at these types for anything that has a config-file or environment equivalent.
//! Generated completions and man pages come from this tree ([`assets`]).

use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;

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

    /// Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8080/v1`
    #[arg(
        long,
        global = true,
        env = "DASHSCOPE_BASE_URL",
        hide_env_values = true,
        value_name = "URL"
    )]
    pub base_url: Option<String>,

    /// Model to use, e.g. `qwen-plus`
    #[arg(short, long, global = true, env = "QWEN_MODEL", value_name = "MODEL")]
    pub model: Option<String>,

    /// Output format
    #[arg(long, global = true, value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,

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

/// How results are written to stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Plain text, streamed as it arrives
    Text,
    /// One JSON event per line (`{"v":1,"type":"text",...}`), streamed
    Jsonl,
    /// One JSON object when the reply is complete
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Send a prompt to a chat model and stream the reply
    ///
    /// The prompt is the arguments, then standard input when it is not a terminal, then any
    /// `--file` attachments. A `-` among the arguments puts standard input at that place.
    Chat(ChatArgs),
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
    #[arg(long, exclusive = true)]
    pub list_sessions: bool,
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
