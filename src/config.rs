//! Settings, resolved once: flags > environment > config file (profile > top level) > defaults.
//!
//! Commands receive a [`Settings`] and never look at the environment or the config file
//! themselves. Environment variable names live in [`env`]. The API key is resolved lazily
//! ([`Settings::endpoint`]) so that `--dry-run` never runs a `api_key_command`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use serde::Deserialize;

use crate::api::endpoints::{self, DEFAULT_REGION, Region};
use crate::api::retry::RetryPolicy;
use crate::api::turn::TurnOptions;
use crate::api::types::{Params, ResponseFormat};
use crate::api::{Endpoint, Protocol};
use crate::exit::{AuthError, ConfigError, UsageError};
use crate::output::Format;
use crate::prices::{PriceConfig, PriceTable};
use crate::secret::Secret;
use crate::store::NativeRoutes;
use crate::term::note;
use crate::units::{parse_duration, parse_size};

mod key;
mod ranges;

pub use key::DEFAULT_KEY_COMMAND_TIMEOUT;

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

/// One profile, or the top level of config.toml (which is the base every profile extends).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ProfileConfig {
    /// Top level only: the profile used when `--profile` is not given.
    pub profile: Option<String>,
    /// Top level only: named profiles.
    pub profiles: Option<BTreeMap<String, ProfileConfig>>,
    /// DashScope region.
    pub region: Option<String>,
    /// Base URL (wins over `region`): the compat base, or the native root with `api = "native"`.
    pub base_url: Option<String>,
    /// Wire protocol: `compat` or `native`.
    pub api: Option<String>,
    /// DashScope workspace id.
    pub workspace: Option<String>,
    /// Default model.
    pub model: Option<String>,
    /// Models to fall back to.
    pub fallback_models: Option<Vec<String>>,
    /// Read the key from this environment variable instead of `DASHSCOPE_API_KEY`.
    pub api_key_env: Option<String>,
    /// Read the key from this file.
    pub api_key_file: Option<PathBuf>,
    /// Run this program (argv, no shell) and read the key from its stdout.
    pub api_key_command: Option<Vec<String>>,
    /// Longest run of `api_key_command` before it is stopped.
    pub api_key_command_timeout: Option<String>,
    /// Largest input read (standard input, each file): `"16MiB"` or a number of bytes.
    pub max_input: Option<SizeValue>,
    /// Allow the key over plain http to a non-loopback host.
    pub allow_insecure_http: Option<bool>,
    /// Retries for transient failures.
    pub retries: Option<u32>,
    /// Connect timeout.
    pub timeout: Option<String>,
    /// First-token timeout.
    pub first_token_timeout: Option<String>,
    /// Idle timeout between stream chunks.
    pub idle_timeout: Option<String>,
    /// The largest server-sent event accepted (`16MiB`).
    pub max_event_size: Option<String>,
    /// Default output format.
    pub format: Option<String>,
    /// Default system prompt.
    pub system: Option<String>,
    /// Record calls in the usage ledger.
    pub ledger: Option<bool>,
    /// Save conversations so that `--continue` works.
    pub save_conversations: Option<bool>,
    /// Earlier messages sent at most.
    pub max_history: Option<usize>,
    /// Default request parameters.
    pub params: Option<ParamsConfig>,
    /// Keep prompt and reply text in the usage ledger.
    pub log_content: Option<bool>,
    /// Reuse identical requests' replies from the response cache.
    pub cache: Option<bool>,
    /// Longest age of a reused reply.
    pub cache_ttl: Option<String>,
    /// Prices per model, over the built-in table (`[prices."MODEL"]`).
    pub prices: Option<BTreeMap<String, PriceConfig>>,
    /// MCP servers for `qwen tools` (`[[mcp]]`).
    pub mcp: Option<Vec<McpConfig>>,
}

/// One `[[mcp]]` table: an MCP server started over stdio, as written (plain data:
/// `tools::defs` checks it and turns it into a definition).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct McpConfig {
    /// The prefix of its tools' names (`NAME.tool`); derived from the command if absent.
    pub name: Option<String>,
    /// The program and its arguments (never a shell string).
    pub command: Vec<String>,
    /// Environment variables passed through to the server.
    #[serde(default)]
    pub env: Vec<String>,
    /// Run every tool of this server without asking.
    #[serde(default)]
    pub allow: bool,
    /// Longest wait for the server to start, and for each call.
    pub timeout: Option<String>,
    /// The most output a call may return, e.g. `32KiB`.
    pub max_output_bytes: Option<serde_json::Value>,
}

/// A size in the config file: a number of bytes, or text such as `"16MiB"`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum SizeValue {
    /// Bytes.
    Bytes(u64),
    /// A size with a unit, parsed by [`parse_size`](crate::units::parse_size).
    Text(String),
}

/// Request parameters as given: the config file's `[params]`, or the command line's, which
/// override them one by one (see [`Settings::request_params`]).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
pub struct ParamsConfig {
    pub temperature: Option<f64>,
    pub top_p: Option<f64>,
    pub top_k: Option<u32>,
    pub max_tokens: Option<u32>,
    pub seed: Option<u64>,
    pub stop: Option<Vec<String>>,
    pub presence_penalty: Option<f64>,
    pub repetition_penalty: Option<f64>,
    pub enable_thinking: Option<bool>,
    pub thinking_budget: Option<u32>,
    pub enable_search: Option<bool>,
    /// Command line only: `--extra KEY=JSON` fields, as typed.
    #[serde(skip)]
    pub extra: Vec<String>,
    /// Command line only: `--json`.
    #[serde(skip)]
    pub json: bool,
    /// Command line only: the `--schema` file.
    #[serde(skip)]
    pub schema: Option<PathBuf>,
}

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

macro_rules! overlay {
    ($base:expr, $over:expr; $($field:ident),* $(,)?) => {
        $( if $over.$field.is_some() { $base.$field = $over.$field.clone(); } )*
    };
}

impl ProfileConfig {
    /// Lays `over` on top of `self`, field by field.
    fn overlay(&mut self, over: &ProfileConfig) {
        // A profile that names a region means that region, whatever base URL the top level
        // set (and the other way round): the more specific table picks the endpoint.
        if over.region.is_some() && over.base_url.is_none() {
            self.base_url = None;
        }
        if over.base_url.is_some() && over.region.is_none() {
            self.region = None;
        }
        overlay!(self, over; region, base_url, api, workspace, model, fallback_models, api_key_env,
            api_key_file, api_key_command, api_key_command_timeout, max_input,
            allow_insecure_http, retries, timeout,
            first_token_timeout, idle_timeout, format, system, ledger, save_conversations,
            max_history, log_content, cache, cache_ttl, mcp, max_event_size);
        // A profile's prices add to the top level's, model by model.
        if let Some(over) = &over.prices {
            let prices = self.prices.get_or_insert_with(BTreeMap::new);
            prices.extend(over.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        match (&mut self.params, &over.params) {
            (Some(base), Some(over)) => {
                overlay!(base, over; temperature, top_p, top_k, max_tokens, seed, stop,
                    presence_penalty, repetition_penalty, enable_thinking, thinking_budget,
                    enable_search);
            }
            (None, Some(over)) => self.params = Some(over.clone()),
            _ => {}
        }
    }
}

/// Reads and checks config.toml; a missing file is an empty config. Unknown keys are
/// warnings (an older `qwen` still reads a newer config); wrong types are errors.
pub fn load_file(path: &Path, warn: &mut dyn FnMut(String)) -> anyhow::Result<ProfileConfig> {
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Default::default()),
        Err(err) => {
            return Err(ConfigError(format!("failed to read `{}`: {err}", path.display())).into());
        }
    };
    // Bounded like every other input: a config file is a few KiB, never `/dev/zero`.
    let what = format!("config file `{}`", path.display());
    let bytes = crate::input::read_bounded(&mut file, &what, MAX_CONFIG_BYTES, false, &mut || {})
        .map_err(|e| ConfigError(e.message))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        ConfigError(format!(
            "{what} is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })?;
    parse_config(&text, path, warn)
}

/// The largest config file read.
const MAX_CONFIG_BYTES: u64 = 4 << 20;

fn parse_config(
    text: &str,
    path: &Path,
    warn: &mut dyn FnMut(String),
) -> anyhow::Result<ProfileConfig> {
    let locate = |err: toml::de::Error| {
        let at = err.span().map(|span| {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
            format!("line {line}, column {column}: ")
        });
        ConfigError(format!(
            "invalid config file `{}`: {}{}",
            path.display(),
            at.unwrap_or_default(),
            err.message().trim().replace('\n', " ")
        ))
    };
    // No `deny_unknown_fields` and no `flatten`: serde_ignored then sees every unknown key
    // with its dotted path, and type errors keep toml's spans.
    let de = toml::de::Deserializer::parse(text).map_err(locate)?;
    let mut unknown = Vec::new();
    let config: ProfileConfig =
        serde_ignored::deserialize(de, |p| unknown.push(dotted(&p))).map_err(locate)?;
    for key in unknown {
        warn(format!(
            "unknown key `{key}` in `{}` (ignored)",
            path.display()
        ));
    }
    if let Some(profiles) = &config.profiles {
        for (name, p) in profiles {
            if p.profile.is_some() || p.profiles.is_some() {
                warn(format!(
                    "profile `{name}` in `{}` cannot hold `profile` or `profiles` (ignored)",
                    path.display()
                ));
            }
        }
    }
    Ok(config)
}

/// Formats a serde_ignored path as the dotted TOML key a user would write.
fn dotted(path: &serde_ignored::Path<'_>) -> String {
    use serde_ignored::Path;
    match path {
        Path::Root => String::new(),
        Path::Map { parent, key } => match dotted(parent) {
            p if p.is_empty() => key.clone(),
            p => format!("{p}.{key}"),
        },
        Path::Seq { parent, index } => format!("{}[{index}]", dotted(parent)),
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => dotted(parent),
    }
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
    /// Prices: the built-in table with the config file's entries on top.
    pub prices: PriceTable,
    /// Save conversations.
    pub save_conversations: bool,
    /// Earlier messages sent at most.
    pub max_history: Option<usize>,
    /// MCP servers for `qwen tools` from config.toml (`[[mcp]]`).
    pub mcp: Vec<McpConfig>,
    /// Where config.toml lives.
    pub config_dir: PathBuf,
    /// Where the SQLite store lives.
    pub data_dir: PathBuf,
    /// Dump requests to stderr.
    pub verbose: bool,
    /// No notes on stderr.
    pub quiet: bool,
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
            max_input: match (&args.max_input, &merged.max_input) {
                (Some(text), _) => parse_size(text)
                    .map_err(|e| UsageError::new(format!("invalid `--max-input`: {e}"), None))?,
                (None, Some(SizeValue::Bytes(n))) => *n,
                (None, Some(SizeValue::Text(text))) => parse_size(text).map_err(|e| {
                    ConfigError(format!("invalid `max_input` in `{}`: {e}", path.display()))
                })?,
                (None, None) => crate::input::DEFAULT_MAX_INPUT,
            }
            .max(1),
            allow_insecure_http: args.allow_insecure_http
                || merged.allow_insecure_http.unwrap_or(false),
            format,
            retries_set: args.retries.or(merged.retries),
            format_flag,
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
            prices: PriceTable::from_config(&merged.prices.clone().unwrap_or_default())
                .map_err(|e| ConfigError(format!("invalid {e} in `{}`", path.display())))?,
            save_conversations: merged.save_conversations.unwrap_or(true),
            max_history: merged.max_history,
            mcp: merged.mcp.clone().unwrap_or_default(),
            config_dir,
            data_dir,
            verbose: args.verbose,
            quiet: args.quiet,
        })
    }

    /// Merges the config file's `[params]` with the command line's, flags winning.
    pub fn request_params(&self, flags: &ParamsConfig) -> anyhow::Result<Params> {
        let file = &self.params;
        let mut extra = serde_json::Map::new();
        for item in &flags.extra {
            let (key, value) = item.split_once('=').ok_or_else(|| {
                UsageError::new(
                    format!("`--extra {item}` is not KEY=JSON"),
                    Some("example: `--extra 'n=2'` or `--extra 'user=\"me\"'`".into()),
                )
            })?;
            let value: serde_json::Value = serde_json::from_str(value).map_err(|e| {
                UsageError::new(
                    format!("`--extra {key}=…` is not valid JSON: {e}"),
                    Some(format!("quote strings as JSON: `--extra '{key}=\"text\"'`")),
                )
            })?;
            extra.insert(key.trim().to_owned(), value);
        }
        ranges::check(flags, file, self.region.is_some())?;
        let params = Params {
            temperature: flags.temperature.or(file.temperature),
            top_p: flags.top_p.or(file.top_p),
            top_k: flags.top_k.or(file.top_k),
            max_tokens: flags.max_tokens.or(file.max_tokens),
            seed: flags.seed.or(file.seed),
            stop: flags.stop.clone().or(file.stop.clone()).unwrap_or_default(),
            presence_penalty: flags.presence_penalty.or(file.presence_penalty),
            repetition_penalty: flags.repetition_penalty.or(file.repetition_penalty),
            enable_thinking: flags.enable_thinking.or(file.enable_thinking),
            thinking_budget: flags.thinking_budget.or(file.thinking_budget),
            enable_search: flags.enable_search.or(file.enable_search),
            response_format: flags.json.then_some(ResponseFormat::JsonObject),
            extra,
        };
        if !self.quiet {
            for warning in ranges::extra_overrides(&params, flags) {
                note("warning", &warning);
            }
        }
        Ok(params)
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

    /// Returns a description of the key source that never shows the key.
    pub fn key_description(&self) -> String {
        match &self.key_source {
            KeySource::Env(name, _) => format!("from `{name}`"),
            KeySource::Command(argv) => format!("from `api_key_command` ({})", argv[0]),
            KeySource::File(path) => format!("from file `{}`", path.display()),
            KeySource::Missing => "none".into(),
        }
    }

    /// Returns true when some key source is configured (without resolving it).
    pub fn has_key(&self) -> bool {
        self.key_source != KeySource::Missing
    }

    /// Resolves the key and checks that it may be sent to the base URL.
    pub fn endpoint(&self) -> anyhow::Result<Endpoint> {
        let key = self.resolve_key()?;
        // Decided on the URL as the HTTP client parses it (`\` is `/` there, `127.1` is
        // loopback, `HTTP://` is http), never on the text; the client checks again on the
        // URL of every request before it adds the key.
        let url = endpoints::parse_base_url(&self.base_url);
        let loopback = url.as_ref().is_some_and(endpoints::is_loopback_url);
        let plain_http = url.as_ref().is_none_or(|u| u.scheme() == "http");
        match &key {
            // A local server may need no key, but a source the user configured that gives
            // none is a mistake to point out, not a silent unauthenticated request.
            None if (loopback || plain_http) && self.api_key_env.is_some() && !self.quiet => {
                note(
                    "warning",
                    &format!(
                        "no API key: `{}` (named by `api_key_env`) is not set; sending the request without one",
                        self.key_var
                    ),
                );
            }
            None if !loopback && !plain_http => {
                return Err(AuthError {
                    message: format!(
                        "no API key: set `{}` or `api_key_file` / `api_key_command` in `{}`",
                        self.key_var,
                        self.config_dir.join("config.toml").display()
                    ),
                    hint: Some("create a key in the Model Studio console for your region".into()),
                }
                .into());
            }
            Some(_) if plain_http && !loopback && !self.allow_insecure_http => {
                return Err(AuthError {
                    message: format!(
                        "refusing to send the API key over plain http to `{}`",
                        url.as_ref().and_then(reqwest::Url::host_str).unwrap_or("?")
                    ),
                    hint: Some(
                        "use https, or opt in with `--allow-insecure-http` (or `allow_insecure_http = true`)"
                            .into(),
                    ),
                }
                .into());
            }
            _ => {}
        }
        Ok(Endpoint {
            key,
            ..self.endpoint_without_key()
        })
    }

    /// Returns the endpoint without its key, which is not resolved (`--dry-run` shows a
    /// request without running an `api_key_command`); [`Settings::endpoint`] adds it.
    pub fn endpoint_without_key(&self) -> Endpoint {
        Endpoint {
            base_url: self.base_url.clone(),
            key: None,
            workspace: self.workspace.clone(),
            protocol: self.api,
            allow_insecure_http: self.allow_insecure_http,
            max_event_size: self.max_event_size,
            routes: Some(Arc::new(NativeRoutes(self.data_dir.clone()))),
        }
    }

    fn resolve_key(&self) -> anyhow::Result<Option<Secret>> {
        let key = match &self.key_source {
            KeySource::Env(_, key) => key.clone(),
            KeySource::Missing => return Ok(None),
            KeySource::File(path) => key::from_file(path)?,
            KeySource::Command(argv) => key::from_command(argv, self.key_command_timeout)?,
        };
        if key.expose().is_empty() {
            anyhow::bail!(AuthError {
                message: format!("the API key {} is empty", self.key_description()),
                hint: None,
            });
        }
        Ok(Some(key))
    }

    /// Returns the hint for a rejected key (401): the region, and where the key came from,
    /// so the user checks the source actually in use.
    pub fn auth_hint(&self) -> String {
        let source = match &self.key_source {
            KeySource::Env(name, _) if self.api_key_env.is_some() => {
                format!("the key in `{name}` (named by `api_key_env`)")
            }
            KeySource::Env(name, _) => format!("the key in `{name}`"),
            KeySource::Command(argv) => {
                format!("the key printed by `api_key_command` (`{}`)", argv[0])
            }
            KeySource::File(path) => format!("the key in `{}`", path.display()),
            KeySource::Missing => {
                return match &self.api_key_env {
                    Some(_) => format!(
                        "no API key was sent: `{}` (named by `api_key_env`) is not set",
                        self.key_var
                    ),
                    None => format!(
                        "no API key was sent: set `{}`, or `api_key_file` / `api_key_command` in config.toml",
                        self.key_var
                    ),
                };
            }
        };
        format!(
            "DashScope keys are issued per region: a key from another region gets 401. \
             Check `--region` (cn, intl, us, hk) and {source}"
        )
    }
}

/// Checks a base URL and returns it as the HTTP client will read it (normalised, so what
/// `--dry-run` and errors show is where requests go), without a trailing slash.
fn check_url(url: &str) -> anyhow::Result<String> {
    let Some(parsed) = endpoints::parse_base_url(url) else {
        return Err(UsageError::new(
            format!(
                "invalid base URL `{}`",
                endpoints::shown_url(url.trim().trim_end_matches('/'))
            ),
            Some("give a full URL such as `http://127.0.0.1:8080/v1`".into()),
        )
        .into());
    };
    if let Some(password) = parsed.password() {
        // A password in the URL is a secret like the key: scrub it from anything printed.
        crate::secret::Secret::new(password);
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

fn expand_home(path: &Path) -> PathBuf {
    match path.strip_prefix("~") {
        Ok(rest) => etcetera::home_dir().map_or_else(|_| path.to_owned(), |h| h.join(rest)),
        Err(_) => path.to_owned(),
    }
}

/// Returns the XDG config and data directories for `qwen`.
fn base_dirs() -> Option<(PathBuf, PathBuf)> {
    use etcetera::BaseStrategy as _;
    let base = etcetera::choose_base_strategy().ok()?;
    Some((base.config_dir().join("qwen"), base.data_dir().join("qwen")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (anyhow::Result<ProfileConfig>, Vec<String>) {
        let mut warnings = Vec::new();
        let r = parse_config(text, Path::new("config.toml"), &mut |w| warnings.push(w));
        (r, warnings)
    }

    #[test]
    fn unknown_keys_warn_and_known_keys_still_apply() {
        let (cfg, warnings) = parse(
            "model = \"qwen-max\"\ncolour = \"blue\"\n[params]\ntemprature = 1\n[profiles.a]\nmodle = \"x\"\n",
        );
        let cfg = cfg.unwrap();
        assert_eq!(cfg.model.as_deref(), Some("qwen-max"));
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(warnings.iter().any(|w| w.contains("`colour`")));
        assert!(warnings.iter().any(|w| w.contains("`params.temprature`")));
        assert!(warnings.iter().any(|w| w.contains("`profiles.a.modle`")));
    }

    #[test]
    fn type_errors_name_file_and_line() {
        let (cfg, _) = parse("model = \"m\"\n\n[params]\ntemperature = \"hot\"\n");
        let msg = cfg.unwrap_err().to_string();
        assert!(msg.contains("config.toml"), "{msg}");
        assert!(msg.contains("line 4"), "{msg}");
        let (cfg, _) = parse("model = \n");
        assert!(cfg.unwrap_err().to_string().contains("line 1"));
    }
}
