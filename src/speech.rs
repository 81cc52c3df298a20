//! Speech out (`qwen chat --audio-out FILE.wav --voice NAME`, Omni): which model speaks, the
//! checks before anything is sent, and the request fields. The sound itself is written by
//! `output::audio`.

use serde_json::json;

use crate::api::endpoints::Protocol;
use crate::api::types::ChatRequest;
use crate::config::Settings;
use crate::exit::UsageError;
use crate::models;
use crate::term::note;

/// The voice asked for when `--voice` is not given.
pub const DEFAULT_VOICE: &str = "Cherry";

/// The model to ask for speech: `model` if it speaks (or is unknown), else, when no
/// `--model` was given, the `audio_model` setting (with a note); a typed model that is known
/// not to speak is exit 2, naming one that does.
pub fn choose_model(settings: &Settings, model: &str, given: bool) -> Result<String, UsageError> {
    if models::voices(model).is_none_or(|v| !v.is_empty()) {
        return Ok(model.to_owned());
    }
    let speaker = &settings.media.audio_model;
    if given {
        return Err(UsageError::new(
            format!("`{model}` does not speak (`--audio-out`)"),
            Some(format!("pass `-m {speaker}`, a model that does")),
        ));
    }
    if !settings.quiet {
        note(
            "note",
            &format!("`--audio-out` asks `{speaker}` (`{model}` does not speak)"),
        );
    }
    Ok(speaker.clone())
}

/// Checks the request can carry speech and asks for it: `modalities: ["text","audio"]`,
/// `audio: {voice, format: "wav"}`, streamed (Omni answers only streams). `api` is the
/// protocol the request would go by.
pub fn apply(api: Protocol, request: &mut ChatRequest, voice: &str) -> Result<(), UsageError> {
    if api == Protocol::Native {
        return Err(UsageError::new(
            "speech out (`--audio-out`) exists only on the OpenAI-compatible protocol",
            Some("drop `--api native` (or pass `--api compat`)".into()),
        ));
    }
    if request.params.enable_thinking == Some(true) {
        return Err(UsageError::new(
            "`--audio-out` and `--think` cannot be used together (a thinking Omni model answers in text only)",
            Some("drop `--think` or `--audio-out`".into()),
        ));
    }
    let model = &request.model;
    if let Some(known) = models::voices(model).filter(|v| !v.is_empty())
        && !known.contains(&voice)
    {
        return Err(UsageError::new(
            format!("`{model}` has no voice `{voice}`"),
            Some(format!("voices of `{model}`: {}", known.join(", "))),
        ));
    }
    let extra = &mut request.params.extra;
    extra.insert("modalities".into(), json!(["text", "audio"]));
    extra.insert("audio".into(), json!({"voice": voice, "format": "wav"}));
    request.stream = true;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::types::{Message, Params, Role};

    fn request(model: &str) -> ChatRequest {
        ChatRequest {
            model: model.into(),
            messages: vec![Message::new(Role::User, "hi")],
            params: Params::default(),
            tools: Vec::new(),
            stream: false,
            prompt: None,
        }
    }

    #[test]
    fn asks_for_text_and_audio_streamed() {
        let mut req = request("qwen3-omni-flash");
        apply(Protocol::Compat, &mut req, "Ethan").unwrap();
        assert!(req.stream);
        assert_eq!(req.params.extra["modalities"], json!(["text", "audio"]));
        assert_eq!(
            req.params.extra["audio"],
            json!({"voice": "Ethan", "format": "wav"})
        );
        // Unknown models take any voice.
        apply(Protocol::Compat, &mut request("my-omni"), "Zed").unwrap();
        let err = apply(Protocol::Compat, &mut request("qwen3-omni-flash"), "Momo").unwrap_err();
        assert!(err.to_string().contains("`Momo`"), "{err}");
        let mut thinking = request("qwen3-omni-flash");
        thinking.params.enable_thinking = Some(true);
        assert!(apply(Protocol::Compat, &mut thinking, "Cherry").is_err());
        assert!(apply(Protocol::Native, &mut request("qwen3-omni-flash"), "Cherry").is_err());
    }
}
