//! `cache_prompt = true | false | "auto"` and `cache_min_tokens`: when requests carry
//! explicit prompt-cache markers (see `crate::prompt_cache`).

use serde::Deserialize;

use crate::exit::ConfigError;

/// When explicit prompt-cache markers are sent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CachePrompt {
    /// Never (the default).
    #[default]
    Off,
    /// Whenever the prefix is long enough and the model is not known to refuse it.
    On,
    /// Only where it pays: a listed model and a prefix that will be reused.
    Auto,
}

/// The default smallest prefix worth a marker: the service's minimum (§11.5).
pub const DEFAULT_CACHE_MIN_TOKENS: u64 = 1024;

/// `cache_prompt` as written: a boolean or `"auto"`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum CachePromptValue {
    /// `true` / `false`.
    Bool(bool),
    /// `"auto"` (or `"on"`, `"off"`).
    Text(String),
}

impl CachePrompt {
    /// Parses a flag or config word: `on`/`true`, `off`/`false`, `auto`.
    pub fn parse(word: &str) -> Option<Self> {
        match word.trim().to_ascii_lowercase().as_str() {
            "on" | "true" => Some(CachePrompt::On),
            "off" | "false" => Some(CachePrompt::Off),
            "auto" => Some(CachePrompt::Auto),
            _ => None,
        }
    }

    /// Reads the config file's value.
    pub(super) fn from_config(
        value: Option<&CachePromptValue>,
        path: &std::path::Path,
    ) -> Result<Self, ConfigError> {
        match value {
            None => Ok(CachePrompt::Off),
            Some(CachePromptValue::Bool(true)) => Ok(CachePrompt::On),
            Some(CachePromptValue::Bool(false)) => Ok(CachePrompt::Off),
            Some(CachePromptValue::Text(word)) => Self::parse(word).ok_or_else(|| {
                ConfigError(format!(
                    "invalid `cache_prompt = \"{word}\"` in `{}`: use true, false or \"auto\"",
                    path.display()
                ))
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_values() {
        let p = std::path::Path::new("c.toml");
        let v = |v: CachePromptValue| CachePrompt::from_config(Some(&v), p);
        assert_eq!(v(CachePromptValue::Bool(true)).unwrap(), CachePrompt::On);
        assert_eq!(
            v(CachePromptValue::Text("auto".into())).unwrap(),
            CachePrompt::Auto
        );
        assert!(v(CachePromptValue::Text("often".into())).is_err());
        assert_eq!(CachePrompt::from_config(None, p).unwrap(), CachePrompt::Off);
    }
}
