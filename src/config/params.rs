//! Request parameters: the config file's `[params]` and the command line's, merged with the
//! flags winning and checked against the documented ranges before anything is sent.

use std::path::PathBuf;

use serde::Deserialize;

use super::{Settings, ranges};
use crate::api::types::{Params, ResponseFormat};
use crate::exit::UsageError;
use crate::term::note;

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

impl Settings {
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
            // Set by the commands that take `--sources` and its kin.
            search_options: None,
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
}
