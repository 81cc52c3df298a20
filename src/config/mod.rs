//! Settings, resolved once: flags > environment > config file (profile > top level) > defaults.
//!
//! Commands receive a [`Settings`] and never look at the environment or the config file
//! themselves. Environment variable names live in [`env`]. The API key is resolved lazily
//! ([`Settings::endpoint`]) so that `--dry-run` never runs a `api_key_command`.
//!
//! Only plain values come in ([`Overrides`], [`ParamsConfig`]): the CLI layer turns its flags
//! into them. config.toml's tables are `file.rs`, request parameters `params.rs` (their
//! ranges `ranges.rs`), the endpoint and the key `endpoint.rs` and `key.rs`.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;

use crate::api::Protocol;
use crate::api::endpoints::{self, DEFAULT_REGION, Region};
use crate::api::retry::RetryPolicy;
use crate::api::turn::TurnOptions;
use crate::exit::{ConfigError, UsageError};
use crate::output::Format;
use crate::output::markdown::RenderMode;
use crate::prices::PriceTable;
use crate::secret::Secret;
use crate::units::{parse_duration, parse_size, positive_size as positive};

mod cache_prompt;
mod endpoint;
mod file;
mod key;
mod levers;
mod media;
mod params;
mod paths;
mod ranges;

pub use cache_prompt::{CachePrompt, CachePromptValue, DEFAULT_CACHE_MIN_TOKENS};
pub use file::{MAX_CONFIG_BYTES, McpConfig, ProfileConfig, SizeValue, load_file};
pub use key::DEFAULT_KEY_COMMAND_TIMEOUT;
pub use levers::Levers;
pub use media::MediaSettings;
pub use params::ParamsConfig;
use paths::{base_dirs, check_url, expand_home};

/// Names of the environment variables `qwen` reads.
pub mod env {
    /// The API key.
    pub const API_KEY: &str = "DASHSCOPE_API_KEY";
    /// A file holding the API key (the dashscope SDK's name).
    pub const API_KEY_FILE: &str = "DASHSCOPE_API_KEY_FILE_PATH";
    /// A DashScope workspace id.
    pub const WORKSPACE: &str = "DASHSCOPE_WORKSPACE";
    /// Where config.toml lives.
    pub const CONFIG_DIR: &str = "QWEN_CONFIG_DIR";
    /// Where the SQLite store lives.
    pub const DATA_DIR: &str = "QWEN_DATA_DIR";
    /// Tests: zero backoff between retries (a server's `Retry-After` still counts).
    ///
    /// Debug builds only (the test suite runs the debug binary): a release binary holds no
    /// test switch at all, and a check greps it for `QWEN_TEST_` to keep it that way.
    #[cfg(debug_assertions)]
    pub const TEST_NO_RETRY_DELAY: &str = "QWEN_TEST_NO_RETRY_DELAY";
}

/// The model used when nothing else names one.
pub const DEFAULT_MODEL: &str = "qwen-plus";

/// What the command line sets over the environment and the config file, as plain values
/// (the CLI layer fills them from its global flags).
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--profile`.
    pub profile: Option<String>,
    /// `--region`.
    pub region: Option<String>,
    /// `--base-url`.
    pub base_url: Option<String>,
    /// `--api`.
    pub api: Option<Protocol>,
    /// `--model`.
    pub model: Option<String>,
    /// `--model` was typed on the command line (not taken from `QWEN_MODEL`).
    pub model_typed: bool,
    /// `--format`: a reply format, or `Err` with the name of one that only reports take
    /// (refused here, in its turn among the other settings' errors).
    pub format: Option<Result<Format, String>>,
    /// `--retries`.
    pub retries: Option<u32>,
    /// `--timeout`.
    pub timeout: Option<String>,
    /// `--first-token-timeout`.
    pub first_token_timeout: Option<String>,
    /// `--idle-timeout`.
    pub idle_timeout: Option<String>,
    /// `--allow-insecure-http`.
    pub allow_insecure_http: bool,
    /// `--max-input`.
    pub max_input: Option<String>,
    /// `--no-ledger`.
    pub no_ledger: bool,
    /// `--verbose`.
    pub verbose: bool,
    /// `--quiet`.
    pub quiet: bool,
}

/// Where the API key comes from, resolved only when a request is about to be sent.
#[derive(Debug, Clone, PartialEq)]
pub enum KeySource {
    /// An environment variable that was set (name, value).
    Env(String, Secret),
    /// A program whose stdout is the key.
    Command(Vec<String>),
    /// A file holding the key.
    File(PathBuf),
    /// Nothing configured.
    Missing,
}

/// Everything a command needs, resolved once at startup.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The profile in use, if any.
    pub profile: Option<String>,
    /// The root URL of the protocol's API, without a trailing slash: the OpenAI-compatible
    /// base URL, or the native root (`…/api/v1`) with `--api native`.
    pub base_url: String,
    /// The wire protocol.
    pub api: Protocol,
    /// The region, when the URL came from one (or matches one).
    pub region: Option<Region>,
    /// DashScope workspace id.
    pub workspace: Option<String>,
    /// The model.
    pub model: String,
    /// The model was typed on the command line (`-m`), so it wins over a continued
    /// conversation's own.
    pub model_typed: bool,
    /// Fallback models.
    pub fallback_models: Vec<String>,
    /// Where the key comes from.
    pub key_source: KeySource,
    /// The environment variable the key is read from.
    pub key_var: String,
    /// The config file's `api_key_env`, if it names one.
    pub api_key_env: Option<String>,
    /// Longest run of `api_key_command`.
    pub key_command_timeout: Duration,
    /// Largest input read (standard input, each file), in bytes.
    pub max_input: u64,
    /// Allow the key over plain http to a non-loopback host.
    pub allow_insecure_http: bool,
    /// Output format.
    pub format: Format,
    /// Retry policy.
    pub retry: RetryPolicy,
    /// Retries as given by a flag or the config file (commands with another default use it).
    pub retries_set: Option<u32>,
    /// `--format` as given on the command line.
    pub format_flag: Option<Format>,
    /// When replies are rendered as Markdown, from the config file (`--render` overrides).
    pub render: RenderMode,
    /// Connect timeout.
    pub connect_timeout: Duration,
    /// First-token timeout, as configured, else 2 minutes (`embed` and `models` use it as
    /// is; model turns use [`Settings::turn_first_token_timeout`]).
    pub first_token_timeout: Duration,
    /// `--first-token-timeout` or `first_token_timeout` was given.
    pub first_token_timeout_set: bool,
    /// Idle timeout.
    pub idle_timeout: Duration,
    /// The largest server-sent event accepted, in bytes.
    pub max_event_size: usize,
    /// Default system prompt.
    pub system: Option<String>,
    /// Default request parameters.
    pub params: ParamsConfig,
    /// Record calls in the ledger.
    pub ledger: bool,
    /// Keep prompt and reply text in ledger rows.
    pub log_content: bool,
    /// The profile turns the response cache on.
    pub cache: bool,
    /// The profile's longest age of a reused reply.
    pub cache_ttl: Option<Duration>,
    /// When explicit prompt-cache markers are sent (`cache_prompt`), and from what size.
    pub cache_prompt: CachePrompt,
    /// The smallest prefix, in estimated tokens, that gets a marker (`cache_min_tokens`).
    pub cache_min_tokens: u64,
    /// Prices: the built-in table with the config file's entries on top.
    pub prices: PriceTable,
    /// Save conversations.
    pub save_conversations: bool,
    /// Earlier messages sent at most.
    pub max_history: Option<usize>,
    /// MCP servers for `qwen tools` from config.toml (`[[mcp]]`).
    pub mcp: Vec<McpConfig>,
    /// `native_base_url` and the rerank limits of config.toml (`levers.rs`).
    pub levers: Levers,
    /// Where config.toml lives.
    pub config_dir: PathBuf,
    /// Where the SQLite store lives.
    pub data_dir: PathBuf,
    /// Dump requests to stderr.
    pub verbose: bool,
    /// No notes on stderr.
    pub quiet: bool,
    /// `--model` (or `QWEN_MODEL`) named the model: `--attach` never replaces it.
    pub model_given: bool,
    /// `--attach` settings.
    pub media: MediaSettings,
}

/// Returns the data directory: `QWEN_DATA_DIR`, else the platform's (`~/.local/share/qwen`).
pub fn data_dir(lookup: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<PathBuf> {
    lookup(env::DATA_DIR)
        .filter(|v| !v.trim().is_empty())
        .map(PathBuf::from)
        .or_else(|| base_dirs().map(|b| b.1))
        .context("cannot find a data directory: set `QWEN_DATA_DIR`")
}

impl Settings {
    /// Merges flags, environment (through `lookup`) and the config file into settings.
    pub fn resolve(
        args: &Overrides,
        lookup: &dyn Fn(&str) -> Option<String>,
        warn: &mut dyn FnMut(String),
    ) -> anyhow::Result<Self> {
        let non_empty = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let config_dir = non_empty(env::CONFIG_DIR)
            .map(PathBuf::from)
            .or_else(|| base_dirs().map(|b| b.0))
            .context("cannot find a config directory: set `QWEN_CONFIG_DIR`")?;
        let data_dir = data_dir(lookup)?;
        let path = config_dir.join("config.toml");
        let file = load_file(&path, warn)?;

        let mut merged = file.clone();
        let profile = args.profile.clone().or(file.profile.clone());
        if let Some(name) = &profile {
            let chosen = file
                .profiles
                .as_ref()
                .and_then(|p| p.get(name))
                .ok_or_else(|| {
                    let known: Vec<_> = file
                        .profiles
                        .iter()
                        .flatten()
                        .map(|(k, _)| k.as_str())
                        .collect();
                    UsageError::new(
                        format!("no profile `{name}` in `{}`", path.display()),
                        Some(if known.is_empty() {
                            "define it as a `[profiles.NAME]` table".into()
                        } else {
                            format!("known profiles: {}", known.join(", "))
                        }),
                    )
                })?;
            merged.overlay(chosen);
        }

        let region_name = args.region.clone().or(merged.region.clone());
        let region = match &region_name {
            Some(name) => Some(Region::parse(name).ok_or_else(|| {
                UsageError::new(
                    format!("unknown region `{name}`"),
                    Some("use one of cn, intl, us, hk".into()),
                )
            })?),
            None => None,
        };
        // An explicit region (flag or env) beats a base URL from the config file.
        let base_url = match (&args.base_url, args.region.is_some()) {
            (Some(url), _) => Some(url.clone()),
            (None, true) => None,
            (None, false) => merged.base_url.clone(),
        };
        let api = match (args.api, &merged.api) {
            (Some(api), _) => api,
            (None, Some(name)) => match name.trim().to_ascii_lowercase().as_str() {
                "compat" => Protocol::Compat,
                "native" => Protocol::Native,
                _ => {
                    return Err(ConfigError(format!(
                        "invalid `api = \"{name}\"` in `{}`: use compat or native",
                        path.display()
                    ))
                    .into());
                }
            },
            (None, None) => Protocol::Compat,
        };
        // A region gives both roots from its host; an explicit URL is the chosen protocol's.
        let base_url = match base_url {
            Some(url) => check_url(&url)?,
            None => {
                let region = region.unwrap_or(DEFAULT_REGION);
                match api {
                    Protocol::Compat => region.compat_base(),
                    Protocol::Native => region.native_base(),
                }
            }
        };
        let region = endpoints::region_of(&base_url).or(region.filter(|_| args.base_url.is_none()));

        // The variable (the profile's `api_key_env`, else DASHSCOPE_API_KEY), else the
        // command, else the file, else the SDK's file variable.
        let key_var = merged
            .api_key_env
            .clone()
            .unwrap_or_else(|| env::API_KEY.to_owned());
        let key_source = match non_empty(&key_var) {
            Some(v) => KeySource::Env(key_var.clone(), Secret::new(&v)),
            None => match (&merged.api_key_command, &merged.api_key_file) {
                (Some(cmd), _) if !cmd.is_empty() => KeySource::Command(cmd.clone()),
                (_, Some(file)) => KeySource::File(expand_home(file)),
                _ => match non_empty(env::API_KEY_FILE) {
                    Some(file) => KeySource::File(PathBuf::from(file)),
                    None => KeySource::Missing,
                },
            },
        };

        let duration =
            |flag: &Option<String>, file: &Option<String>, name: &str, default: u64| match flag
                .as_ref()
                .or(file.as_ref())
            {
                Some(text) => parse_duration(text)
                    .map_err(|e| UsageError::new(format!("invalid `{name}`: {e}"), None)),
                None => Ok(Duration::from_secs(default)),
            };
        let format_flag = match &args.format {
            Some(Ok(f)) => Some(*f),
            Some(Err(name)) => {
                return Err(UsageError::new(
                    format!("`--format {name}` is for `qwen usage`"),
                    Some("replies are written as text, jsonl or json".into()),
                )
                .into());
            }
            None => None,
        };
        let format = match (format_flag, &merged.format) {
            (Some(f), _) => f,
            (None, Some(name)) => Format::parse(name).ok_or_else(|| {
                ConfigError(format!(
                    "invalid `format = \"{name}\"` in `{}`: use text, jsonl or json",
                    path.display()
                ))
            })?,
            (None, None) => Format::Text,
        };
        let render = file::render_mode(merged.render.as_deref(), &path)?;
        Ok(Settings {
            profile,
            base_url,
            api,
            region,
            workspace: non_empty(env::WORKSPACE).or(merged.workspace.clone()),
            model: args
                .model
                .clone()
                .or(merged.model.clone())
                .unwrap_or_else(|| DEFAULT_MODEL.into()),
            model_typed: args.model_typed && args.model.is_some(),
            fallback_models: merged.fallback_models.clone().unwrap_or_default(),
            key_source,
            key_var,
            api_key_env: merged.api_key_env.clone(),
            key_command_timeout: match &merged.api_key_command_timeout {
                Some(text) => parse_duration(text).map_err(|e| {
                    ConfigError(format!(
                        "invalid `api_key_command_timeout` in `{}`: {e}",
                        path.display()
                    ))
                })?,
                None => DEFAULT_KEY_COMMAND_TIMEOUT,
            },
            // Zero would refuse every input with "larger than 0 bytes": a size is positive.
            max_input: match (&args.max_input, &merged.max_input) {
                (Some(text), _) => parse_size(text)
                    .and_then(positive)
                    .map_err(|e| UsageError::new(format!("invalid `--max-input`: {e}"), None))?,
                (None, Some(SizeValue::Bytes(n))) => positive(*n).map_err(|e| {
                    ConfigError(format!("invalid `max_input` in `{}`: {e}", path.display()))
                })?,
                (None, Some(SizeValue::Text(text))) =>
                    parse_size(text).and_then(positive).map_err(|e| {
                        ConfigError(format!("invalid `max_input` in `{}`: {e}", path.display()))
                    })?,
                (None, None) => crate::input::DEFAULT_MAX_INPUT,
            },
            allow_insecure_http: args.allow_insecure_http
                || merged.allow_insecure_http.unwrap_or(false),
            format,
            retries_set: args.retries.or(merged.retries),
            format_flag,
            render,
            retry: RetryPolicy {
                retries: args.retries.or(merged.retries).unwrap_or(3),
                // Release builds have no test switch (see `env::TEST_NO_RETRY_DELAY`).
                #[cfg(debug_assertions)]
                no_delay: non_empty(env::TEST_NO_RETRY_DELAY).is_some(),
                #[cfg(not(debug_assertions))]
                no_delay: false,
                ..RetryPolicy::default()
            },
            connect_timeout: duration(&args.timeout, &merged.timeout, "timeout", 10)?,
            first_token_timeout_set: args.first_token_timeout.is_some()
                || merged.first_token_timeout.is_some(),
            first_token_timeout: duration(
                &args.first_token_timeout,
                &merged.first_token_timeout,
                "first-token-timeout",
                120,
            )?,
            idle_timeout: duration(&args.idle_timeout, &merged.idle_timeout, "idle-timeout", 60)?,
            max_event_size: match &merged.max_event_size {
                Some(text) => parse_size(text)
                    .ok()
                    .and_then(|n| usize::try_from(n).ok())
                    .filter(|n| *n > 0)
                    .ok_or_else(|| {
                        ConfigError(format!(
                            "invalid `max_event_size = \"{text}\"` in `{}`: give a size such as `16MiB`",
                            path.display()
                        ))
                    })?,
                None => crate::api::sse::DEFAULT_MAX_EVENT_SIZE,
            },
            system: merged.system.clone(),
            params: merged.params.clone().unwrap_or_default(),
            ledger: !args.no_ledger && merged.ledger.unwrap_or(true),
            log_content: merged.log_content.unwrap_or(false),
            cache: merged.cache.unwrap_or(false),
            cache_ttl: match &merged.cache_ttl {
                Some(text) => Some(parse_duration(text).map_err(|e| {
                    ConfigError(format!("invalid `cache_ttl` in `{}`: {e}", path.display()))
                })?),
                None => None,
            },
            cache_prompt: CachePrompt::from_config(merged.cache_prompt.as_ref(), &path)?,
            cache_min_tokens: merged.cache_min_tokens.unwrap_or(DEFAULT_CACHE_MIN_TOKENS),
            prices: PriceTable::from_config(&merged.prices.clone().unwrap_or_default())
                .map_err(|e| ConfigError(format!("invalid {e} in `{}`", path.display())))?,
            save_conversations: merged.save_conversations.unwrap_or(true),
            max_history: merged.max_history,
            mcp: merged.mcp.clone().unwrap_or_default(),
            levers: Levers::resolve(&merged, &path)?,
            config_dir,
            data_dir,
            verbose: args.verbose,
            quiet: args.quiet,
            model_given: args.model.is_some(),
            media: MediaSettings::resolve(&merged, &path)?,
        })
    }

    /// Returns the first-token timeout of model turns: the configured one, else `None` for
    /// the per-request default (`api::turn::default_first_token_timeout`).
    pub fn turn_first_token_timeout(&self) -> Option<Duration> {
        self.first_token_timeout_set
            .then_some(self.first_token_timeout)
    }

    /// Returns the turn options of a command: the retry policy and timeouts, and these
    /// fallback models.
    pub fn turn_options(&self, fallback_models: Vec<String>) -> TurnOptions {
        TurnOptions {
            retry: self.retry,
            first_token_timeout: self.turn_first_token_timeout(),
            idle_timeout: self.idle_timeout,
            fallback_models,
        }
    }

    /// Returns the command line's `--fallback-model`s, else the profile's.
    pub fn fallbacks(&self, flags: &[String]) -> Vec<String> {
        if flags.is_empty() {
            self.fallback_models.clone()
        } else {
            flags.to_vec()
        }
    }

    /// Returns how many times a model request is tried at most (retry notes count to it).
    pub fn max_attempts(&self) -> u32 {
        self.retry.retries + 1
    }
}
