//! Usage as both protocols report it: token counts, reasoning, the context cache (implicit
//! and explicit) and media tokens.

use serde::Deserialize;

use crate::api::types::Usage;

/// Usage as both protocols spell it (compat `prompt_tokens`, native `input_tokens`).
#[derive(Deserialize, Default)]
pub(crate) struct WireUsage {
    #[serde(default, alias = "input_tokens")]
    prompt_tokens: Option<u64>,
    #[serde(default, alias = "output_tokens")]
    completion_tokens: Option<u64>,
    #[serde(default)]
    total_tokens: Option<u64>,
    #[serde(default)]
    prompt_tokens_details: Option<Details>,
    /// Native multimodal: media tokens per kind (research-wire.md §8, qwen-vl-max example).
    #[serde(default)]
    input_tokens_details: Option<Details>,
    #[serde(default, alias = "output_tokens_details")]
    completion_tokens_details: Option<Details>,
    /// Native VL answers repeat `image_tokens` (and `cached_tokens`) at the top level.
    #[serde(default)]
    image_tokens: Option<u64>,
    #[serde(default)]
    cached_tokens: Option<u64>,
}

#[derive(Deserialize, Default)]
struct Details {
    #[serde(default)]
    cached_tokens: Option<u64>,
    #[serde(default)]
    reasoning_tokens: Option<u64>,
    /// Explicit cache: tokens written (research-wire.md §4).
    #[serde(default)]
    cache_creation_input_tokens: Option<u64>,
    /// qwen3.6-plus streams also say it as `cache_creation.ephemeral_5m_input_tokens`.
    #[serde(default)]
    cache_creation: Option<CacheCreation>,
    /// `ephemeral` (explicit) or `implicit`.
    #[serde(default)]
    cache_type: Option<String>,
    #[serde(default)]
    image_tokens: Option<u64>,
    #[serde(default)]
    audio_tokens: Option<u64>,
    #[serde(default)]
    video_tokens: Option<u64>,
}

#[derive(Deserialize, Default)]
struct CacheCreation {
    #[serde(default)]
    ephemeral_5m_input_tokens: Option<u64>,
}

impl WireUsage {
    pub(crate) fn to_usage(&self) -> Usage {
        let prompt = self.prompt_tokens.unwrap_or(0);
        let completion = self.completion_tokens.unwrap_or(0);
        Usage {
            prompt_tokens: prompt,
            completion_tokens: completion,
            total_tokens: self.total_tokens.unwrap_or(prompt + completion),
            reasoning_tokens: self
                .completion_tokens_details
                .as_ref()
                .and_then(|d| d.reasoning_tokens)
                .unwrap_or(0),
            cached_tokens: self
                .prompt_tokens_details
                .as_ref()
                .and_then(|d| d.cached_tokens)
                // Native VL models report implicit hits at the top level (§4 of the research).
                .or(self.cached_tokens)
                .unwrap_or(0),
            cache_write_tokens: self
                .prompt_tokens_details
                .as_ref()
                .and_then(|d| {
                    d.cache_creation_input_tokens.or_else(|| {
                        d.cache_creation
                            .as_ref()
                            .and_then(|c| c.ephemeral_5m_input_tokens)
                    })
                })
                .unwrap_or(0),
            explicit_cache: self.prompt_tokens_details.as_ref().is_some_and(|d| {
                d.cache_type.as_deref() == Some("ephemeral")
                    || d.cache_creation_input_tokens.is_some_and(|n| n > 0)
            }),
            image_tokens: self
                .input_detail(|d| d.image_tokens)
                .or(self.image_tokens)
                .unwrap_or(0),
            audio_tokens: self.input_detail(|d| d.audio_tokens).unwrap_or(0),
            video_tokens: self.input_detail(|d| d.video_tokens).unwrap_or(0),
            // Omni's spoken reply (research-wire.md §2); never more than the output.
            output_audio_tokens: self
                .completion_tokens_details
                .as_ref()
                .and_then(|d| d.audio_tokens)
                .unwrap_or(0)
                .min(completion),
        }
    }

    /// A count from the input details: compat `prompt_tokens_details` (§11.1), native
    /// `input_tokens_details` (§8).
    fn input_detail(&self, field: impl Fn(&Details) -> Option<u64>) -> Option<u64> {
        [&self.prompt_tokens_details, &self.input_tokens_details]
            .into_iter()
            .flatten()
            .find_map(field)
    }
}
