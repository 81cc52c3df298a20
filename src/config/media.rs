//! The settings of `--attach`: the default vision and audio models, the inline limits and
//! where the temporary upload storage is.

use super::{ConfigError, ProfileConfig, SizeValue};
use crate::units::parse_size;

/// The model media goes to when no `--model` is given and the configured one takes no
/// images (`vision_model`).
pub const DEFAULT_VISION_MODEL: &str = "qwen3-vl-plus";

/// The model recordings go to when no `--model` is given (`audio_model`).
pub const DEFAULT_AUDIO_MODEL: &str = "qwen3-omni-flash";

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
    /// `native_base_url`: the native root uploads go to when the base URL does not tell.
    pub native_base_url: Option<String>,
}

impl Default for MediaSettings {
    fn default() -> Self {
        Self {
            vision_model: DEFAULT_VISION_MODEL.into(),
            audio_model: DEFAULT_AUDIO_MODEL.into(),
            inline_limit: DEFAULT_INLINE_LIMIT,
            max_body: DEFAULT_MAX_BODY,
            native_base_url: None,
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
            native_base_url: merged
                .native_base_url
                .as_ref()
                .map(|u| u.trim_end_matches('/').to_owned()),
        })
    }
}
