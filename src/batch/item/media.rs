//! Media in batch items: a walked image, video or recording becomes an item of its own
//! (the template's text plus the file as a part), `--attach` rides on every item, a JSONL
//! line's `"attachments"` and a Batch API line's media parts become parts too.

use std::path::Path;
use std::sync::Arc;

use base64::Engine as _;
use serde_json::Value;

use super::{Defaults, Outcome, failed};
use crate::api::media::{Data, Item, Kind, Part, Payload};
use crate::api::types::ChatRequest;
use crate::attach;
use crate::batch::inputs::Template;
use crate::config::Settings;
use crate::exit::Exit;
use crate::media::Media;

/// What items need for media: the settings (models, limits, upload root) and `--attach`.
#[derive(Debug, Clone)]
pub struct ItemMedia {
    /// The resolved settings.
    pub settings: Arc<Settings>,
    /// `--attach` / `--attach-frames`, added to every item after its own parts.
    pub parts: Vec<Part>,
    /// `--high-resolution`.
    pub high_resolution: bool,
}

impl ItemMedia {
    /// Settings with nothing attached (library callers, tests).
    pub fn none(settings: Settings) -> Self {
        Self {
            settings: Arc::new(settings),
            parts: Vec::new(),
            high_resolution: false,
        }
    }

    /// Puts `own` parts, then `--attach`'s, on the request; chooses and checks its model
    /// (a model named by `-m` or by the line itself is kept, or refused).
    pub fn apply(&self, req: &mut ChatRequest, own: Vec<Part>) -> Result<(), Outcome> {
        let mut parts = own;
        parts.extend(self.parts.iter().cloned());
        let given = self.settings.model_given || req.model != self.settings.model;
        attach::apply(&self.settings, req, parts, self.high_resolution, given)
            .map_err(|e| failed("invalid_input", e.message))
    }
}

/// The request for a walked media file: the template's text (no `{content}`: that is a
/// usage error, which stops the run) and the file as a part. A model named with `-m` that
/// takes no such input skips the file, as binary files always were.
pub fn file_request(
    defaults: &Defaults,
    template: &Template,
    media: &ItemMedia,
    path: &Path,
    found: Media,
    len: u64,
) -> Result<ChatRequest, Outcome> {
    let Some(text) = template.render_media(path) else {
        return Err(Outcome::Failed(super::ItemError {
            status: None,
            code: Some("invalid_input".into()),
            message: format!(
                "`{}` is {} {}: `{{content}}` in the prompt template takes text only; \
                 use `{{path}}` or `{{name}}`",
                path.display(),
                article(found.kind),
                found.kind
            ),
            request_id: None,
            fatal: Some(Exit::Usage),
        }));
    };
    let settings = &media.settings;
    if settings.model_given
        && let Some(takes) = crate::models::input_modalities(&defaults.model)
        && !takes.takes(found.kind)
    {
        return Err(Outcome::Skipped(format!(
            "{} {} file; `{}` takes no {}",
            article(found.kind),
            found.kind,
            defaults.model,
            attach::plural(found.kind)
        )));
    }
    let mut req = super::plan::request_for(defaults, None, text);
    let payload = Payload::new(
        path.display().to_string(),
        found.mime,
        len,
        Data::File(path.to_owned()),
    );
    let part = Part {
        kind: found.kind,
        items: vec![Item::Local(Arc::new(payload))],
        frames: false,
        format: found.format,
    };
    media.apply(&mut req, vec![part])?;
    Ok(req)
}

fn article(kind: Kind) -> &'static str {
    match kind {
        Kind::Image => "an",
        _ => "a",
    }
}

/// A JSONL line's `"attachments": [SOURCE, …]` (paths relative to the working directory).
pub fn line_attachments(value: Option<Value>, media: &ItemMedia) -> Result<Vec<Part>, String> {
    let sources: Vec<String> = match value {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(list)) => list
            .into_iter()
            .map(|v| match v {
                Value::String(s) if s != "-" => Ok(s),
                _ => Err("`attachments` holds paths and URLs (strings; not `-`)".to_owned()),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err("`attachments` is not an array".into()),
    };
    let loaded =
        attach::load(&sources, &[], media.settings.max_input, false).map_err(|e| e.message)?;
    if let Some((path, _)) = loaded.texts.first() {
        return Err(format!(
            "attachment `{path}` is text; put it in the prompt instead"
        ));
    }
    Ok(loaded.parts)
}

/// Reads an OpenAI content array: its text (parts joined by blank lines) and its media
/// parts, so a Batch API line with images passes through (a `data:` URL becomes a local
/// file again, so that `--dry-run` shows its size, not its base64).
pub fn content_parts(content: &Value) -> Result<(String, Vec<Part>), String> {
    let Value::Array(list) = content else {
        return Ok((
            crate::api::compat::content_text(content).unwrap_or_default(),
            Vec::new(),
        ));
    };
    let mut texts = Vec::new();
    let mut parts = Vec::new();
    for part in list {
        let url_at = |pointer: &str| part.pointer(pointer).and_then(Value::as_str);
        match part.get("type").and_then(Value::as_str) {
            Some("text") => texts.push(url_at("/text").unwrap_or_default().to_owned()),
            Some("image_url") => parts.push(one(Kind::Image, url_at("/image_url/url"), "")?),
            Some("video_url") => parts.push(one(Kind::Video, url_at("/video_url/url"), "")?),
            Some("input_audio") => {
                let format = match url_at("/input_audio/format") {
                    Some(f) => crate::media::by_extension(f).map_or("", |m| m.format),
                    None => "",
                };
                parts.push(one(Kind::Audio, url_at("/input_audio/data"), format)?);
            }
            Some("video") => {
                let frames = part
                    .get("video")
                    .and_then(Value::as_array)
                    .ok_or("a `video` part has no list of frames")?;
                let items = frames
                    .iter()
                    .map(|f| item(f.as_str().ok_or("a video frame is not a string")?))
                    .collect::<Result<_, String>>()?;
                parts.push(Part {
                    kind: Kind::Video,
                    items,
                    frames: true,
                    format: "",
                });
            }
            other => {
                return Err(format!(
                    "unknown content part type `{}`",
                    other.unwrap_or("?")
                ));
            }
        }
    }
    Ok((texts.join("\n\n"), parts))
}

fn one(kind: Kind, url: Option<&str>, format: &'static str) -> Result<Part, String> {
    let url = url.ok_or_else(|| format!("{kind} part without a URL"))?;
    Ok(Part {
        kind,
        items: vec![item(url)?],
        frames: false,
        format,
    })
}

/// A URL as an item: a base64 `data:` URL of a known type becomes the bytes it holds
/// (anything else passes through as it is).
fn item(url: &str) -> Result<Item, String> {
    let parsed = url
        .strip_prefix("data:")
        .and_then(|rest| rest.split_once(";base64,"));
    let Some((mime, data)) = parsed else {
        return Ok(Item::Url(url.to_owned()));
    };
    let Some(known) = KNOWN_MIMES.iter().find(|k| k.eq_ignore_ascii_case(mime)) else {
        return Ok(Item::Url(url.to_owned()));
    };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data)
        .map_err(|e| format!("a `data:` URL is not valid base64: {e}"))?;
    let len = bytes.len() as u64;
    Ok(Item::Local(Arc::new(Payload::new(
        "data URL",
        known,
        len,
        Data::Bytes(bytes.into()),
    ))))
}

/// The types a `data:` URL in a Batch API line is read back from.
const KNOWN_MIMES: &[&str] = &[
    "image/png",
    "image/jpeg",
    "image/jpg",
    "image/webp",
    "image/gif",
    "image/bmp",
    "image/tiff",
    "image/heic",
    "video/mp4",
    "video/quicktime",
    "video/webm",
    "audio/wav",
    "audio/x-wav",
    "audio/mpeg",
    "audio/mp3",
    "audio/mp4",
    "audio/aac",
    "audio/flac",
    "audio/ogg",
    "audio/amr",
    "audio/opus",
];
