//! The settings of `--attach` and `--doc`: the default vision, audio and document models,
//! the inline limits, where the temporary upload storage is, and how long a document may
//! take to be parsed.

use super::{ConfigError, ProfileConfig, SizeValue};
use crate::units::{parse_duration, parse_size};
use std::time::Duration;

/// The model media goes to when no `--model` is given and the configured one takes no
/// images (`vision_model`).
pub const DEFAULT_VISION_MODEL: &str = "qwen3-vl-plus";

/// The model recordings go to when no `--model` is given (`audio_model`).
pub const DEFAULT_AUDIO_MODEL: &str = "qwen3-omni-flash";

/// The model documents go to when no `--model` is given (`doc_model`): Qwen-Long, the one
/// that reads `fileid://` references (dashscope-protocol.md §11.4).
pub const DEFAULT_DOC_MODEL: &str = "qwen-long";

/// Longest wait for an uploaded document to be parsed (`doc_parse_timeout`).
pub const DEFAULT_DOC_PARSE_TIMEOUT: Duration = Duration::from_secs(300);

/// Largest data URL sent inline (`inline_limit`): 10 MB of encoded text, the vision page's
/// per-image limit (dashscope-protocol.md §11.1, unverified: some pages say 7 MB).
pub const DEFAULT_INLINE_LIMIT: u64 = 10_000_000;

/// Largest request body with inline files (`max_body`): gateways refuse bodies above about
/// 6 MiB (§11.1, observed by users, unverified).
pub const DEFAULT_MAX_BODY: u64 = 6 << 20;

/// The resolved `--attach` settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaSettings {
    /// `vision_model`.
    pub vision_model: String,
    /// `audio_model`.
    pub audio_model: String,
    /// `inline_limit`, in bytes of encoded data URL.
    pub inline_limit: u64,
    /// `max_body`, in bytes.
    pub max_body: u64,
    /// `doc_model`.
    pub doc_model: String,
    /// `doc_parse_timeout`.
    pub doc_parse_timeout: Duration,
}

impl Default for MediaSettings {
    fn default() -> Self {
        Self {
            vision_model: DEFAULT_VISION_MODEL.into(),
            audio_model: DEFAULT_AUDIO_MODEL.into(),
            inline_limit: DEFAULT_INLINE_LIMIT,
            max_body: DEFAULT_MAX_BODY,
            doc_model: DEFAULT_DOC_MODEL.into(),
            doc_parse_timeout: DEFAULT_DOC_PARSE_TIMEOUT,
        }
    }
}

impl MediaSettings {
    /// Reads them from the merged config file.
    pub(super) fn resolve(
        merged: &ProfileConfig,
        path: &std::path::Path,
    ) -> Result<Self, ConfigError> {
        let size = |value: &Option<SizeValue>, name: &str, default: u64| match value {
            None => Ok(default),
            Some(SizeValue::Bytes(n)) => Ok(*n),
            Some(SizeValue::Text(text)) => parse_size(text)
                .map_err(|e| ConfigError(format!("invalid `{name}` in `{}`: {e}", path.display()))),
        };
        Ok(Self {
            vision_model: merged
                .vision_model
                .clone()
                .unwrap_or_else(|| DEFAULT_VISION_MODEL.into()),
            audio_model: merged
                .audio_model
                .clone()
                .unwrap_or_else(|| DEFAULT_AUDIO_MODEL.into()),
            inline_limit: size(&merged.inline_limit, "inline_limit", DEFAULT_INLINE_LIMIT)?,
            max_body: size(&merged.max_body, "max_body", DEFAULT_MAX_BODY)?,
            doc_model: merged
                .doc_model
                .clone()
                .unwrap_or_else(|| DEFAULT_DOC_MODEL.into()),
            doc_parse_timeout: match &merged.doc_parse_timeout {
                None => DEFAULT_DOC_PARSE_TIMEOUT,
                Some(text) => parse_duration(text).map_err(|e| {
                    ConfigError(format!(
                        "invalid `doc_parse_timeout` in `{}`: {e}",
                        path.display()
                    ))
                })?,
            },
        })
    }
}
