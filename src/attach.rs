//! `--attach`: sources on the command line become media parts of the user message, the
//! model is chosen and checked for them, and each local file is planned to travel inline
//! or through the temporary storage (uploaded once per content, model and 48 hours).
//!
//! Everything here runs before a request is sent: a refused attachment never leaves a
//! half-sent request behind.

use std::collections::BTreeSet;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::api::endpoints;
use crate::api::media::{Data, Item, Kind, Part, Payload, Travel};
use crate::api::types::ChatRequest;
use crate::api::uploads::LIFETIME;
use crate::api::{Client, Endpoint};
use crate::config::Settings;
use crate::exit::UsageError;
use crate::media::{self, Detected};
use crate::models;
use crate::store::Store;

/// The most bytes `--attach -` reads from standard input (the temporary storage takes
/// 100 MB per file, §11.3).
pub const STDIN_LIMIT: u64 = 100 << 20;

/// What the attachments turned into.
#[derive(Debug, Default)]
pub struct Attached {
    /// Media parts, in the order given.
    pub parts: Vec<Part>,
    /// Text files given to `--attach`: (path, contents), added to the prompt like `--file`.
    pub texts: Vec<(String, String)>,
}

/// True when `source` is passed through as a URL.
pub fn is_url(source: &str) -> bool {
    ["http://", "https://", "oss://"]
        .iter()
        .any(|p| source.len() > p.len() && source[..p.len()].eq_ignore_ascii_case(p))
}

/// Reads the sources: paths (read only as far as their kind), URLs (kind from the name,
/// never downloaded), `-` (standard input, read whole), then each `--attach-frames` folder.
pub fn load(
    sources: &[String],
    frames: &[PathBuf],
    max_input: u64,
    lossy: bool,
) -> Result<Attached, UsageError> {
    let mut out = Attached::default();
    for source in sources {
        if is_url(source) {
            out.parts.push(url_part(source)?);
        } else if source == "-" {
            out.parts.push(stdin_part()?);
        } else {
            let path = Path::new(source);
            match file_item(path)? {
                Loaded::Media(m, item) => out.parts.push(Part {
                    kind: m.kind,
                    items: vec![item],
                    frames: false,
                    format: m.format,
                }),
                Loaded::Text => out.texts.push((
                    source.clone(),
                    crate::input::read_text_file(path, lossy, max_input)?,
                )),
            }
        }
    }
    for dir in frames {
        out.parts.push(frames_part(dir)?);
    }
    Ok(out)
}

enum Loaded {
    Media(media::Media, Item),
    Text,
}

fn url_part(url: &str) -> Result<Part, UsageError> {
    let m = media::extension(url)
        .as_deref()
        .and_then(media::by_extension)
        .ok_or_else(|| {
            UsageError::new(
                format!("cannot tell the kind of `{url}` from its name"),
                Some(
                    "give a URL whose path ends in a media extension (.png, .mp4, .mp3, …), \
                     or download it and attach the file"
                        .into(),
                ),
            )
        })?;
    Ok(Part {
        kind: m.kind,
        items: vec![Item::Url(url.to_owned())],
        frames: false,
        format: m.format,
    })
}

fn stdin_part() -> Result<Part, UsageError> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(STDIN_LIMIT + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| UsageError::new(format!("failed to read standard input: {e}"), None))?;
    if bytes.len() as u64 > STDIN_LIMIT {
        return Err(UsageError::new(
            format!(
                "standard input is larger than {} (`--attach -`)",
                crate::units::format_size(STDIN_LIMIT)
            ),
            None,
        ));
    }
    let head = &bytes[..bytes.len().min(media::HEAD_LEN)];
    let m = match media::detect(head, "-") {
        Detected::Media(m) => m,
        Detected::Text => {
            return Err(UsageError::new(
                "standard input (`--attach -`) is text, not an image, video or audio",
                Some("pipe text as the prompt instead, without `--attach -`".into()),
            ));
        }
        Detected::Other(what) => return Err(not_media("standard input", &what)),
    };
    let len = bytes.len() as u64;
    let payload = Payload::new("-", m.mime, len, Data::Bytes(bytes.into()));
    Ok(Part {
        kind: m.kind,
        items: vec![Item::Local(Arc::new(payload))],
        frames: false,
        format: m.format,
    })
}

fn not_media(what: &str, detected: &str) -> UsageError {
    UsageError::new(
        format!("{what} is not an image, video, audio or text file (detected: {detected})"),
        Some("attach png, jpeg, webp, gif, bmp, tiff, heic; mp4, mov, avi, mkv, webm, flv, wmv; wav, mp3, m4a, aac, flac, ogg, amr, opus".into()),
    )
}

/// Looks at a local file: its size and first bytes decide what it is.
fn file_item(path: &Path) -> Result<Loaded, UsageError> {
    let shown = path.display();
    let cannot = |e: std::io::Error| UsageError::new(format!("cannot read `{shown}`: {e}"), None);
    let meta = std::fs::metadata(path).map_err(cannot)?;
    if meta.is_dir() {
        return Err(UsageError::new(
            format!("`{shown}` is a directory"),
            Some("attach a folder of images as a video with `--attach-frames`".into()),
        ));
    }
    let mut head = Vec::with_capacity(media::HEAD_LEN);
    std::fs::File::open(path)
        .and_then(|f| f.take(media::HEAD_LEN as u64).read_to_end(&mut head))
        .map_err(cannot)?;
    match media::detect(&head, &path.to_string_lossy()) {
        Detected::Media(m) => {
            let payload = Payload::new(
                path.display().to_string(),
                m.mime,
                meta.len(),
                Data::File(path.to_owned()),
            );
            Ok(Loaded::Media(m, Item::Local(Arc::new(payload))))
        }
        Detected::Text => Ok(Loaded::Text),
        Detected::Other(what) => Err(not_media(&format!("`{shown}`"), &what)),
    }
}

/// A folder of images as a video given as frames, sorted by name (hidden files skipped).
fn frames_part(dir: &Path) -> Result<Part, UsageError> {
    let shown = dir.display();
    let entries = std::fs::read_dir(dir)
        .map_err(|e| UsageError::new(format!("cannot read `{shown}`: {e}"), None))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(UsageError::new(
            format!("`{shown}` holds no frames"),
            Some("`--attach-frames` takes a folder of images, one per frame".into()),
        ));
    }
    let mut items = Vec::with_capacity(paths.len());
    for path in &paths {
        match file_item(path)? {
            Loaded::Media(m, item) if m.kind == Kind::Image => items.push(item),
            _ => {
                return Err(UsageError::new(
                    format!(
                        "`{}` in `{shown}` is not an image (`--attach-frames`)",
                        path.display()
                    ),
                    None,
                ));
            }
        }
    }
    Ok(Part {
        kind: Kind::Video,
        items,
        frames: true,
        format: "",
    })
}

/// The kinds of media among `parts`.
fn kinds(parts: &[Part]) -> BTreeSet<Kind> {
    parts.iter().map(|p| p.kind).collect()
}

/// The kind's name as "takes no …" says it.
pub fn plural(kind: Kind) -> &'static str {
    match kind {
        Kind::Image => "images",
        Kind::Video => "video",
        Kind::Audio => "audio",
    }
}

/// Chooses the model for a request carrying `parts`: `--model` as given (refused when the
/// catalogue knows it takes text only or not that kind), else the configured model when it
/// takes them, else `vision_model` (or `audio_model` for recordings), said on stderr.
pub fn choose_model(
    settings: &Settings,
    model: &str,
    given: bool,
    parts: &[Part],
) -> Result<String, UsageError> {
    let kinds = kinds(parts);
    let model = model.to_owned();
    if kinds.is_empty() {
        return Ok(model);
    }
    let refused = |model: &str| -> Option<Kind> {
        let takes = models::input_modalities(model)?;
        kinds.iter().copied().find(|k| !takes.takes(*k))
    };
    let media = &settings.media;
    let fallback = if kinds.contains(&Kind::Audio) {
        &media.audio_model
    } else {
        &media.vision_model
    };
    if given {
        if let Some(kind) = refused(&model) {
            return Err(UsageError::new(
                format!("`{model}` takes no {}", plural(kind)),
                Some(format!("pass `-m {fallback}`, a model that does")),
            ));
        }
        return Ok(model);
    }
    if refused(&model).is_none() {
        return Ok(model);
    }
    if let Some(kind) = refused(fallback) {
        let setting = if kinds.contains(&Kind::Audio) {
            "audio_model"
        } else {
            "vision_model"
        };
        return Err(UsageError::new(
            format!("`{fallback}` (`{setting}`) takes no {}", plural(kind)),
            Some("pass `-m MODEL` with a model that takes them".into()),
        ));
    }
    if !settings.quiet {
        let what: Vec<&str> = kinds.iter().map(|k| plural(*k)).collect();
        let text = format!(
            "{} attached: using `{fallback}` (pass `-m` to choose)",
            what.join(" and ")
        );
        // Once per process: a batch of photos says it once, not once per photo.
        static SAID: std::sync::Mutex<BTreeSet<String>> = std::sync::Mutex::new(BTreeSet::new());
        if SAID
            .lock()
            .map(|mut said| said.insert(text.clone()))
            .unwrap_or(true)
        {
            crate::term::note("note", &text);
        }
    }
    Ok(fallback.clone())
}

/// Puts media parts on the request's last message (the prompt) and makes the request fit
/// them: the model chosen and checked for them, streamed for stream-only models,
/// `--high-resolution`, and each local file planned inline or for upload (a file that must
/// be uploaded with nowhere to upload it is refused here, before anything is sent).
pub fn apply(
    settings: &Settings,
    request: &mut ChatRequest,
    parts: Vec<Part>,
    high_resolution: bool,
    model_given: bool,
) -> Result<(), UsageError> {
    if high_resolution {
        request.params.extra.insert(
            "vl_high_resolution_images".into(),
            serde_json::Value::Bool(true),
        );
    }
    if let Some(last) = request.messages.last_mut() {
        last.parts.extend(parts);
    }
    if !request.has_media() {
        return Ok(());
    }
    let all: Vec<Part> = request
        .messages
        .iter()
        .flat_map(|m| m.parts.iter().cloned())
        .collect();
    request.model = choose_model(settings, &request.model, model_given, &all)?;
    force_stream(request);
    let media = &settings.media;
    plan(
        &settings.endpoint_without_key(),
        request,
        media.inline_limit,
        media.max_body,
    );
    if needs_upload(request) {
        upload_root(settings)?;
    }
    Ok(())
}

/// Applies what the model needs: Omni and QVQ answer only streamed requests.
pub fn force_stream(req: &mut ChatRequest) {
    if models::stream_only(&req.model) {
        req.stream = true;
    }
}

/// Decides how each local file travels: inline while its data URL fits `inline_limit` and
/// the whole body (as sent to `endpoint`) stays within `max_body`, else through the
/// temporary storage.
pub fn plan(endpoint: &Endpoint, req: &mut ChatRequest, inline_limit: u64, max_body: u64) {
    let prepared = crate::api::prepare_chat(endpoint, req);
    let mut total = serde_json::to_string(&prepared.body).map_or(0, |s| s.len() as u64);
    for message in &mut req.messages {
        for part in &mut message.parts {
            for item in &mut part.items {
                let Item::Local(p) = item else { continue };
                let len = p.encoded_len();
                let travel = if len <= inline_limit && total + len <= max_body {
                    total += len;
                    Travel::Inline
                } else {
                    Travel::Upload
                };
                if p.travel != travel {
                    *item = Item::Local(Arc::new(p.with_travel(travel)));
                }
            }
        }
    }
}

/// The native root uploads go to ([`Settings::native_root`]).
pub fn upload_root(settings: &Settings) -> Result<String, UsageError> {
    settings.native_root().ok_or_else(|| {
        UsageError::new(
            format!(
                "a file is too large to send inline, and `{}` has no temporary storage \
                     that qwen knows of",
                endpoints::shown_url(&settings.base_url)
            ),
            Some(
                "set `native_base_url` in config.toml to its DashScope native root \
                     (…/api/v1), or raise `max_body` / `inline_limit`"
                    .into(),
            ),
        )
    })
}

/// True when any local file of `req` is planned for upload.
pub fn needs_upload(req: &ChatRequest) -> bool {
    req.payloads().iter().any(|p| p.travel == Travel::Upload)
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Uploads the files planned for upload (or reuses an upload of the same bytes for the same
/// model that stays valid for `margin` more) and puts their `oss://` URLs in their place.
pub async fn upload(
    client: &Client,
    settings: &Settings,
    req: &mut ChatRequest,
    margin: Duration,
) -> anyhow::Result<()> {
    if !needs_upload(req) {
        return Ok(());
    }
    let root = upload_root(settings)?;
    let store = Store::open(&settings.data_dir).ok();
    let model = req.model.clone();
    for message in &mut req.messages {
        for part in &mut message.parts {
            for item in &mut part.items {
                let Item::Local(p) = item else { continue };
                if p.travel != Travel::Upload {
                    continue;
                }
                *item =
                    Item::Url(upload_one(client, store.as_ref(), &root, &model, p, margin).await?);
            }
        }
    }
    Ok(())
}

async fn upload_one(
    client: &Client,
    store: Option<&Store>,
    root: &str,
    model: &str,
    payload: &Arc<Payload>,
    margin: Duration,
) -> anyhow::Result<String> {
    let digest = payload
        .digest()
        .map_err(|e| UsageError::new(format!("cannot read `{}`: {e}", payload.name), None))?;
    let valid_until = now_ms() + i64::try_from(margin.as_millis()).unwrap_or(i64::MAX);
    if let Some(url) = store.and_then(|s| {
        s.find_upload(root, model, &digest, valid_until)
            .ok()
            .flatten()
    }) {
        return Ok(url);
    }
    let started = now_ms();
    let url = client
        .upload_temporary(root, model, payload)
        .await
        .map_err(|e| {
            anyhow::Error::new(e).context(format!("upload of `{}` failed", payload.name))
        })?;
    let expires = started + i64::try_from(LIFETIME.as_millis()).unwrap_or(i64::MAX);
    if let Some(store) = store {
        let _ = store.save_upload(root, model, &digest, &url, expires);
    }
    Ok(url)
}
