//! Argument blocks several commands share (model parameters, the prompt's sources, how a
//! reply is shown, the `--format` values), and [`Typed`], which keeps only typed values of
//! options that share an id with an environment-backed global option.
//!
//! Each command's own arguments live beside its handler in `commands/`; the top-level parser
//! and the global options are `cli.rs`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::api::types::{Params, SearchOptions};
use crate::config::{ParamsConfig, Settings};
use crate::output::Format;
use crate::output::markdown::RenderMode;

/// Where the prompt comes from.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Prompt")]
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

/// Images, video and audio sent with the prompt (`chat`, `tools run`, `batch`).
#[derive(Debug, Clone, Default, Args)]
pub struct AttachArgs {
    /// Attach an image, video or audio file, an http(s):// or oss:// URL, or `-` for
    /// standard input (repeatable; sent after the prompt's text, in order)
    #[arg(short = 'a', long = "attach", value_name = "SOURCE")]
    pub attach: Vec<String>,

    /// Attach a folder of images as one video, a frame per image sorted by name (repeatable)
    #[arg(long = "attach-frames", value_name = "DIR")]
    pub frames: Vec<PathBuf>,

    /// Ask vision models to read images at high resolution (`vl_high_resolution_images`)
    #[arg(long)]
    pub high_resolution: bool,
}

impl AttachArgs {
    /// True when `--attach -` takes standard input.
    pub fn reads_stdin(&self) -> bool {
        self.attach.iter().any(|a| a == "-")
    }

    /// True when anything is attached.
    pub fn any(&self) -> bool {
        !self.attach.is_empty() || !self.frames.is_empty()
    }
}

/// Documents read by Qwen-Long (`chat`).
#[derive(Debug, Clone, Default, Args)]
pub struct DocArgs {
    /// Upload a document for Qwen-Long to read (pdf, docx, txt, md, …; repeatable;
    /// uploaded once per content, referenced as `fileid://`; default model `doc_model`)
    #[arg(long = "doc", value_name = "PATH")]
    pub docs: Vec<PathBuf>,
}

/// Sampling and feature parameters sent with the request.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Model")]
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

/// Web search with sources (`search_options`, dashscope-protocol.md §11.7).
#[derive(Debug, Clone, Default, Args)]
pub struct SearchArgs {
    /// Search the web and return the sources and citations (implies --search; sent over
    /// DashScope's native protocol, the only one that returns them)
    #[arg(long)]
    pub sources: bool,

    /// How to search (implies --search)
    #[arg(long, value_name = "STRATEGY", value_parser = ["turbo", "max", "agent", "agent_max"])]
    pub search_strategy: Option<String>,

    /// Search whatever the model decides (implies --search)
    #[arg(long)]
    pub force_search: bool,
}

impl SearchArgs {
    /// Sets `enable_search` and `search_options` as asked; returns true when the sources
    /// were asked for (the request must go over the native protocol).
    pub fn apply(&self, params: &mut Params) -> bool {
        if !self.sources && self.search_strategy.is_none() && !self.force_search {
            return false;
        }
        params.enable_search = Some(true);
        params.search_options = Some(SearchOptions {
            forced_search: self.force_search.then_some(true),
            search_strategy: self.search_strategy.clone(),
            enable_source: self.sources,
            enable_citation: self.sources,
            citation_format: self.sources.then(|| "[<number>]".to_owned()),
        });
        self.sources
    }
}

/// How the reply is shown.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Output")]
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

/// Whether the reply is drawn as Markdown (`chat`, `tools run`).
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Output")]
pub struct RenderArgs {
    /// Draw the reply as Markdown: `auto` (when stdout is a terminal), `always` (into a pipe
    /// too) or `never` [default: from config, else auto]
    #[arg(long, value_enum, value_name = "WHEN")]
    pub render: Option<RenderArg>,
}

/// The values of `--render`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RenderArg {
    /// When stdout is a terminal
    Auto,
    /// Even into a pipe or a file
    Always,
    /// Never
    Never,
}

impl RenderArgs {
    /// Returns the mode: the flag, else the config file's `render`.
    pub fn mode(&self, settings: &Settings) -> RenderMode {
        match self.render {
            Some(RenderArg::Auto) => RenderMode::Auto,
            Some(RenderArg::Always) => RenderMode::Always,
            Some(RenderArg::Never) => RenderMode::Never,
            None => settings.render,
        }
    }
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

/// Arguments whose options share an id with an environment-backed global option (`--model`,
/// `--profile`), with the values clap filled in from the environment dropped: there, only
/// what the command line typed counts.
#[derive(Debug, Clone, Default)]
pub struct Typed<A>(pub A);

/// Arguments that [`Typed`] can wrap.
pub trait TypedOnly: clap::FromArgMatches + Args {
    /// Clears every option for which `from_env(id)` says clap took the value from the
    /// environment.
    fn drop_env(&mut self, from_env: &dyn Fn(&str) -> bool);
}

impl<A: TypedOnly> clap::FromArgMatches for Typed<A> {
    fn from_arg_matches(matches: &clap::ArgMatches) -> Result<Self, clap::Error> {
        let mut args = A::from_arg_matches(matches)?;
        let from_env =
            |id: &str| matches.value_source(id) == Some(clap::parser::ValueSource::EnvVariable);
        args.drop_env(&from_env);
        Ok(Self(args))
    }

    fn update_from_arg_matches(&mut self, matches: &clap::ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl<A: TypedOnly> Args for Typed<A> {
    fn group_id() -> Option<clap::Id> {
        A::group_id()
    }

    fn augment_args(cmd: clap::Command) -> clap::Command {
        A::augment_args(cmd)
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        A::augment_args_for_update(cmd)
    }
}

/// The explicit prompt cache (`cache_control` markers), for commands that send prompts.
#[derive(Debug, Clone, Default, Args)]
pub struct PromptCacheArgs {
    /// Mark the stable prefix (system prompt, files, earlier turns) for the service's explicit
    /// prompt cache; `=auto` only where it pays [config: cache_prompt]
    #[arg(long, value_name = "WHEN", num_args = 0..=1, require_equals = true,
          default_missing_value = "on", value_parser = ["on", "auto"],
          overrides_with = "no_cache_prompt")]
    pub cache_prompt: Option<String>,

    /// Send no prompt-cache markers, even if the profile turns them on
    #[arg(long, overrides_with = "cache_prompt")]
    pub no_cache_prompt: bool,
}

impl PromptCacheArgs {
    /// The mode these flags ask for, over the profile's.
    pub fn mode(&self, profile: crate::config::CachePrompt) -> crate::config::CachePrompt {
        if self.no_cache_prompt {
            return crate::config::CachePrompt::Off;
        }
        self.cache_prompt
            .as_deref()
            .and_then(crate::config::CachePrompt::parse)
            .unwrap_or(profile)
    }
}
