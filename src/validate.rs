//! `--json` and `--schema`: what the request asks for and how the reply is checked.
//!
//! Shared by `chat` (exit 6 on a mismatch) and `batch` (the item fails with
//! `invalid_output`).

use std::path::Path;

use serde_json::Value;

use crate::api::types::{ChatRequest, Message, Params, ResponseFormat, Role};
use crate::exit::{InvalidOutput, UsageError};
use crate::input;
use crate::models::{self, Thinking};

/// A JSON Schema from `--schema`, compiled once.
pub struct Schema {
    path: String,
    value: Value,
    validator: jsonschema::Validator,
}

impl Schema {
    /// Reads (at most `limit` bytes) and compiles a schema file; a bad file is a usage error.
    pub fn load(path: &Path, limit: u64) -> anyhow::Result<Self> {
        let text = input::read_text_file(path, false, limit)?;
        let value: Value = serde_json::from_str(&text).map_err(|e| {
            UsageError::new(format!("`{}` is not valid JSON: {e}", path.display()), None)
        })?;
        let validator = jsonschema::validator_for(&value).map_err(|e| {
            UsageError::new(
                format!("`{}` is not a valid JSON Schema: {e}", path.display()),
                None,
            )
        })?;
        Ok(Self {
            path: path.display().to_string(),
            value,
            validator,
        })
    }

    /// Returns the request's `json_schema` response format.
    pub fn response_format(&self) -> ResponseFormat {
        let name: String = Path::new(&self.path)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        ResponseFormat::JsonSchema {
            name: if name.is_empty() {
                "reply".into()
            } else {
                name
            },
            schema: self.value.clone(),
        }
    }
}

/// Resolves a command's request parameters: the config file's and the flags', with the
/// `--schema` file, if any, loaded and set as the response format.
pub fn params_and_schema(
    settings: &crate::config::Settings,
    flags: &crate::config::ParamsConfig,
) -> anyhow::Result<(Params, Option<Schema>)> {
    let mut params = settings.request_params(flags)?;
    let schema = flags
        .schema
        .as_deref()
        .map(|path| Schema::load(path, settings.max_input))
        .transpose()?;
    if let Some(schema) = &schema {
        params.response_format = Some(schema.response_format());
    }
    Ok((params, schema))
}

/// Checks a reply against `--json` / `--schema`; `Ok` when neither was asked for.
pub fn check(params: &Params, schema: Option<&Schema>, text: &str) -> Result<(), InvalidOutput> {
    if params.response_format.is_none() && schema.is_none() {
        return Ok(());
    }
    let value: Value = serde_json::from_str(text.trim())
        .map_err(|e| InvalidOutput(format!("the reply is not valid JSON: {e}")))?;
    let Some(schema) = schema else { return Ok(()) };
    let problems: Vec<String> = schema
        .validator
        .iter_errors(&value)
        .take(3)
        .map(|e| {
            let at = e.instance_path().to_string();
            format!("{}: {e}", if at.is_empty() { "/" } else { &at })
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(InvalidOutput(format!(
            "the reply does not match `{}`: {}",
            schema.path,
            problems.join("; ")
        )))
    }
}

/// What `--json` adds to the system prompt when no message mentions JSON.
pub const JSON_INSTRUCTION: &str = "Reply with a JSON object.";

/// What `--schema` adds to the system prompt when no message mentions JSON.
pub const SCHEMA_INSTRUCTION: &str = "Reply with JSON matching the given schema.";

/// DashScope rejects `json_object` unless a message mentions JSON; say it in the system
/// prompt instead of failing with a 400 (for `json_schema` too, where models follow the
/// schema better when told). The README documents both sentences and `--dry-run` shows them.
pub fn ensure_json_word(messages: &mut Vec<Message>, format: &ResponseFormat) {
    if messages
        .iter()
        .any(|m| m.content.to_ascii_lowercase().contains("json"))
    {
        return;
    }
    let instruction = match format {
        ResponseFormat::JsonObject => JSON_INSTRUCTION,
        ResponseFormat::JsonSchema { .. } => SCHEMA_INSTRUCTION,
    };
    match messages.iter_mut().find(|m| m.role == Role::System) {
        Some(system) => {
            system.content.push_str("\n\n");
            system.content.push_str(instruction);
        }
        None => messages.insert(0, Message::new(Role::System, instruction)),
    }
}

/// Prepares `params` for partial mode (dashscope-protocol.md §11.6), which works only
/// without thinking: `--think` (`asked_thinking`) and thinking-only models are refused, and
/// hybrid models (and a `enable_thinking = true` from the config) get `enable_thinking: false`.
pub fn partial_mode(
    model: &str,
    params: &mut Params,
    asked_thinking: bool,
) -> Result<(), UsageError> {
    if asked_thinking {
        return Err(UsageError::new(
            "`--think` cannot be used in partial mode: thinking mode does not continue a prefix",
            Some("drop `--think`; `qwen` sends `enable_thinking: false` for hybrid models".into()),
        ));
    }
    let thinking = models::lookup(model).map(|m| m.thinking);
    if thinking == Some(Thinking::Only) {
        return Err(UsageError::new(
            format!("`{model}` always thinks, and thinking mode does not continue a prefix"),
            Some("use a model without thinking or a hybrid one, e.g. `-m qwen-plus`".into()),
        ));
    }
    if matches!(thinking, Some(Thinking::HybridOff | Thinking::HybridOn))
        || params.enable_thinking == Some(true)
    {
        params.enable_thinking = Some(false);
        params.thinking_budget = None;
    }
    Ok(())
}

/// Checks a request against what the catalogue knows of its model, before it is sent:
/// warnings for what the model will ignore or probably refuse, and an error where the API
/// is known to refuse the request (a stream-only model asked for `--no-stream`). A model
/// the catalogue does not know (a local server's, a new one) gets no check and no noise.
pub fn check_request(req: &ChatRequest) -> Result<Vec<String>, UsageError> {
    let Some(info) = models::lookup(&req.model) else {
        return Ok(Vec::new());
    };
    let name = &req.model;
    let p = &req.params;
    let mut warnings = Vec::new();
    if !req.stream && info.thinking == Thinking::Only {
        return Err(UsageError::new(
            format!("`{name}` answers only as a stream, and the API refuses `--no-stream`"),
            Some("drop `--no-stream`; `--format json` still prints one object at the end".into()),
        ));
    }
    let asks_thinking = p.enable_thinking == Some(true) || p.thinking_budget.is_some();
    if asks_thinking && info.thinking == Thinking::None {
        warnings.push(format!(
            "`{name}` has no thinking mode: `--think` and `--thinking-budget` have no effect"
        ));
    }
    if p.enable_thinking == Some(false) && info.thinking == Thinking::Only {
        warnings.push(format!(
            "`{name}` always thinks: `--no-think` has no effect"
        ));
    }
    if let Some(max) = p.max_tokens.filter(|m| u64::from(*m) > info.max_output) {
        warnings.push(format!(
            "`--max-tokens {max}` is more than `{name}` writes ({} tokens); the API may refuse it",
            info.max_output
        ));
    }
    let text = req
        .messages
        .iter()
        .map(|m| models::estimate_tokens(&m.content))
        .sum::<u64>()
        + req.prompt.as_deref().map_or(0, models::estimate_tokens);
    if text > info.max_input {
        warnings.push(format!(
            "the input is about {text} tokens (estimated), more than `{name}` takes ({}); \
             the API will probably refuse it",
            info.max_input
        ));
    }
    Ok(warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_word_is_added_only_when_missing() {
        let mut m = vec![Message::new(Role::User, "list three colours")];
        ensure_json_word(&mut m, &ResponseFormat::JsonObject);
        assert_eq!(m[0].role, Role::System);
        let mut m = vec![Message::new(Role::User, "give JSON")];
        ensure_json_word(&mut m, &ResponseFormat::JsonObject);
        assert_eq!(m.len(), 1);
    }

    /// Nothing is added to a prompt silently: the README names each sentence.
    #[test]
    fn the_added_sentences_are_documented() {
        let readme = include_str!("../README.md");
        for sentence in [JSON_INSTRUCTION, SCHEMA_INSTRUCTION] {
            assert!(readme.contains(&format!("\"{sentence}\"")), "{sentence}");
        }
    }

    #[test]
    fn schema_mismatch_names_the_field() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("person.json");
        std::fs::write(
            &path,
            r#"{"type":"object","properties":{"age":{"type":"integer"}},"required":["age"]}"#,
        )
        .unwrap();
        let schema = Schema::load(&path, 1 << 20).unwrap();
        let params = Params::default();
        assert!(check(&params, Some(&schema), r#"{"age": 3}"#).is_ok());
        let err = check(&params, Some(&schema), r#"{"age": "x"}"#).unwrap_err();
        assert!(err.0.contains("/age"), "{}", err.0);
        assert!(check(&params, Some(&schema), "not json").is_err());
    }

    fn request(model: &str, stream: bool) -> ChatRequest {
        ChatRequest {
            model: model.into(),
            messages: vec![Message::new(Role::User, "hi")],
            params: Default::default(),
            tools: Vec::new(),
            stream,
            prompt: None,
        }
    }

    #[test]
    fn requests_are_checked_against_the_catalogue() {
        assert!(check_request(&request("qwq-plus", false)).is_err());
        assert!(
            check_request(&request("qwq-plus", true))
                .unwrap()
                .is_empty()
        );
        let mut r = request("qwen-max", true);
        r.params.enable_thinking = Some(true);
        r.params.max_tokens = Some(9000);
        let warnings = check_request(&r).unwrap();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        let mut r = request("qwen-max", true);
        r.messages[0].content = "word ".repeat(40_000);
        let warnings = check_request(&r).unwrap();
        assert!(warnings[0].contains("about 50000 tokens"), "{warnings:?}");
        // Unknown models are left alone, whatever they are asked.
        let mut r = request("my-local-model", false);
        r.params.enable_thinking = Some(true);
        assert!(check_request(&r).unwrap().is_empty());
    }
}
