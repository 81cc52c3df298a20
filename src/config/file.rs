//! config.toml as written: the profile tables, `[params]`, `[prices]` and `[[mcp]]`, read
//! within a size limit and checked once; unknown keys are warnings (an older `qwen` still
//! reads a newer config), wrong types are errors that name the file, line and column.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::ParamsConfig;
use crate::exit::ConfigError;
use crate::prices::PriceConfig;

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
    /// When replies are rendered as Markdown (`auto`, `always`, `never`).
    pub render: Option<String>,
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
    /// Explicit prompt-cache markers: `true`, `false` or `"auto"`.
    pub cache_prompt: Option<super::CachePromptValue>,
    /// The smallest prefix (estimated tokens) that gets a marker.
    pub cache_min_tokens: Option<u64>,
    /// Prices per model, over the built-in table (`[prices."MODEL"]`).
    pub prices: Option<BTreeMap<String, PriceConfig>>,
    /// MCP servers for `qwen tools` (`[[mcp]]`).
    pub mcp: Option<Vec<McpConfig>>,
    /// The model media goes to without `--model` (`--attach`).
    pub vision_model: Option<String>,
    /// The model recordings go to without `--model`.
    pub audio_model: Option<String>,
    /// Largest data URL sent inline.
    pub inline_limit: Option<SizeValue>,
    /// The model documents go to without `--model` (`--doc`).
    pub doc_model: Option<String>,
    /// Longest wait for an uploaded document to be parsed, e.g. `"5m"`.
    pub doc_parse_timeout: Option<String>,
    /// Largest request body with inline files.
    pub max_body: Option<SizeValue>,
    /// The native root (`…/api/v1`) for uploads and requests only the native protocol
    /// serves (`--sources`, rerank in regions without the compatible route), when the base
    /// URL does not tell.
    pub native_base_url: Option<String>,
    /// Documents per rerank request at most (default: the model's documented limit).
    pub rerank_max_documents: Option<usize>,
    /// Tokens per rerank request at most (default: the model's documented limit).
    pub rerank_max_request_tokens: Option<u64>,
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

macro_rules! overlay {
    ($base:expr, $over:expr; $($field:ident),* $(,)?) => {
        $( if $over.$field.is_some() { $base.$field = $over.$field.clone(); } )*
    };
}

impl ProfileConfig {
    /// Lays `over` on top of `self`, field by field.
    pub(super) fn overlay(&mut self, over: &ProfileConfig) {
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
            first_token_timeout, idle_timeout, format, render, system, ledger, save_conversations,
            max_history, log_content, cache, cache_ttl, mcp, max_event_size, cache_prompt,
            cache_min_tokens, vision_model, audio_model, inline_limit, max_body, native_base_url,
            doc_model, doc_parse_timeout, rerank_max_documents, rerank_max_request_tokens);
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

/// The largest config file read (and tool file: `tools.toml`).
pub const MAX_CONFIG_BYTES: u64 = 4 << 20;

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

/// Reads the `render` key (`auto` when absent).
pub fn render_mode(
    name: Option<&str>,
    path: &Path,
) -> Result<crate::output::markdown::RenderMode, ConfigError> {
    use crate::output::markdown::RenderMode;
    name.map_or(Ok(RenderMode::Auto), |name| {
        RenderMode::parse(name).ok_or_else(|| {
            ConfigError(format!(
                "invalid `render = \"{name}\"` in `{}`: use auto, always or never",
                path.display()
            ))
        })
    })
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
