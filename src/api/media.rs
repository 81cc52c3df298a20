//! Media parts of a message (images, video, audio) and how local files travel in a body.
//!
//! A local file is never held as base64 in the JSON body: each wire mapping writes a marker
//! string where the data URL goes, and the body is streamed with the file's base64 encoded
//! chunk by chunk in the marker's place ([`body_stream`]). `--dry-run` and `-v` show the
//! same markers as `<image/png 48,213 bytes, inline>` ([`shown`]), so no payload is printed.

use std::collections::HashMap;
use std::io::{self, Read};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use base64::Engine as _;
use sha2::{Digest, Sha256};

pub use crate::media::Kind;

/// How a local file travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Travel {
    /// Inline, as a base64 data URL in the body.
    Inline,
    /// Uploaded to the temporary storage first and sent as an `oss://` URL.
    Upload,
}

impl Travel {
    /// Returns the word `--dry-run` shows.
    pub fn name(self) -> &'static str {
        match self {
            Travel::Inline => "inline",
            Travel::Upload => "upload",
        }
    }
}

/// Where a local file's bytes are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Data {
    /// A file, read when the body is sent (again on a retry).
    File(PathBuf),
    /// Bytes already read (standard input).
    Bytes(Arc<[u8]>),
}

/// A local file sent with a request.
#[derive(Debug)]
pub struct Payload {
    id: u64,
    /// The name it was given by (a path, or `-`).
    pub name: String,
    /// Its MIME type.
    pub mime: &'static str,
    /// Its size in bytes.
    pub len: u64,
    /// Its bytes.
    pub data: Data,
    /// How it travels (decided before sending, by the size limits).
    pub travel: Travel,
    digest: OnceLock<String>,
}

impl PartialEq for Payload {
    fn eq(&self, other: &Self) -> bool {
        self.mime == other.mime && self.len == other.len && self.data == other.data
    }
}

impl Payload {
    /// Describes a local file; it is read only when a body is sent or its digest asked for.
    pub fn new(name: impl Into<String>, mime: &'static str, len: u64, data: Data) -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        Self {
            id: NEXT.fetch_add(1, Ordering::Relaxed),
            name: name.into(),
            mime,
            len,
            data,
            travel: Travel::Inline,
            digest: OnceLock::new(),
        }
    }

    /// Returns a copy that travels as `travel`.
    pub fn with_travel(&self, travel: Travel) -> Self {
        let mut copy = Self::new(self.name.clone(), self.mime, self.len, self.data.clone());
        copy.travel = travel;
        if let Some(d) = self.digest.get() {
            let _ = copy.digest.set(d.clone());
        }
        copy
    }

    /// Returns the marker the wire mappings put where the data URL goes.
    pub fn marker(&self) -> String {
        format!("\u{1}qwen-media-{:016x}-{}\u{1}", nonce(), self.id)
    }

    /// What `--dry-run` and `-v` show in place of the data: `<image/png 48,213 bytes, inline>`.
    pub fn shown(&self) -> String {
        format!(
            "<{} {} bytes, {}>",
            self.mime,
            crate::media::grouped(self.len),
            self.travel.name()
        )
    }

    /// The length of its data URL (`data:MIME;base64,` and the base64 text).
    pub fn encoded_len(&self) -> u64 {
        self.prefix().len() as u64 + self.len.div_ceil(3) * 4
    }

    fn prefix(&self) -> String {
        format!("data:{};base64,", self.mime)
    }

    /// Opens its bytes for reading, at most `len` of them.
    pub fn open(&self) -> io::Result<Box<dyn Read + Send>> {
        Ok(match &self.data {
            Data::File(path) => Box::new(std::fs::File::open(path)?.take(self.len)),
            Data::Bytes(bytes) => Box::new(io::Cursor::new(Arc::clone(bytes))),
        })
    }

    /// Returns the SHA-256 of its bytes in hex (read once, then remembered).
    pub fn digest(&self) -> io::Result<String> {
        if let Some(d) = self.digest.get() {
            return Ok(d.clone());
        }
        let mut hasher = Sha256::new();
        let mut reader = self.open()?;
        let mut buf = vec![0; 64 * 1024];
        loop {
            let n = reader.read(&mut buf)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
        }
        let d = hex::encode(hasher.finalize());
        let _ = self.digest.set(d.clone());
        Ok(d)
    }
}

/// One item of a part: a URL as given (`https://`, `oss://`), or a local file.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// Passed through as is.
    Url(String),
    /// Sent inline or uploaded.
    Local(Arc<Payload>),
}

impl Item {
    /// The string the wire carries: the URL, or the local file's marker.
    pub fn wire(&self) -> String {
        match self {
            Item::Url(url) => url.clone(),
            Item::Local(p) => p.marker(),
        }
    }
}

/// A media part of a message.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// What it is.
    pub kind: Kind,
    /// One item, or a video's frames (in order).
    pub items: Vec<Item>,
    /// A video given as frames (`{"type":"video","video":[…]}`).
    pub frames: bool,
    /// The format name `input_audio` carries (`wav`, `mp3`, …).
    pub format: &'static str,
}

impl Part {
    /// What the part is, by content: a local file by its SHA-256, a URL as given (for the
    /// response cache's key and `--resume`; how a file travels does not change it).
    pub fn identity(&self) -> serde_json::Value {
        let items: Vec<String> = self
            .items
            .iter()
            .map(|item| match item {
                Item::Url(url) => url.clone(),
                Item::Local(p) => p.digest().map_or_else(
                    |_| format!("unreadable:{}", p.name),
                    |d| format!("sha256:{d}"),
                ),
            })
            .collect();
        serde_json::json!({"kind": self.kind.name(), "frames": self.frames,
                           "format": self.format, "items": items})
    }

    /// True when any item is an `oss://` URL (the request then needs the resolve header).
    pub fn uses_oss(&self) -> bool {
        self.items
            .iter()
            .any(|i| matches!(i, Item::Url(u) if u.starts_with("oss://")))
    }
}

/// A random number fixed for the process, so no text a user sends can forge a marker.
fn nonce() -> u64 {
    static NONCE: OnceLock<u64> = OnceLock::new();
    *NONCE.get_or_init(|| {
        use std::hash::{BuildHasher, Hasher};
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        h.write_u32(std::process::id());
        h.finish()
    })
}

/// A piece of a serialized body: JSON text, or a local file's data URL.
enum Piece<'a> {
    Text(&'a str),
    Payload(&'a Arc<Payload>),
}

/// Splits serialized JSON at the markers of `payloads` (each marker with its quotes
/// stays outside: the data URL is written between them).
fn pieces<'a>(json: &'a str, payloads: &'a [Arc<Payload>]) -> Vec<Piece<'a>> {
    let by_id: HashMap<String, &Arc<Payload>> =
        payloads.iter().map(|p| (escaped(&p.marker()), p)).collect();
    let start = format!("\\u0001qwen-media-{:016x}-", nonce());
    let mut out = Vec::new();
    let mut rest = json;
    while let Some(at) = rest.find(&start) {
        let tail = &rest[at..];
        let end = tail[start.len()..]
            .find("\\u0001")
            .map(|i| start.len() + i + "\\u0001".len());
        match end.and_then(|end| by_id.get(&tail[..end]).map(|p| (end, *p))) {
            Some((end, p)) => {
                out.push(Piece::Text(&rest[..at]));
                out.push(Piece::Payload(p));
                rest = &tail[end..];
            }
            None => {
                out.push(Piece::Text(&rest[..at + start.len()]));
                rest = &tail[start.len()..];
            }
        }
    }
    out.push(Piece::Text(rest));
    out
}

/// How a marker appears inside serialized JSON.
fn escaped(marker: &str) -> String {
    let quoted = serde_json::to_string(marker).expect("a string serializes");
    quoted[1..quoted.len() - 1].to_owned()
}

/// Returns serialized JSON with each marker replaced by what `--dry-run` shows.
pub fn shown(json: &str, payloads: &[Arc<Payload>]) -> String {
    if payloads.is_empty() {
        return json.to_owned();
    }
    let mut out = String::with_capacity(json.len());
    for piece in pieces(json, payloads) {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Payload(p) => out.push_str(&p.shown()),
        }
    }
    out
}

/// The exact length of the body [`body_stream`] sends.
pub fn body_len(json: &str, payloads: &[Arc<Payload>]) -> u64 {
    pieces(json, payloads)
        .iter()
        .map(|piece| match piece {
            Piece::Text(t) => t.len() as u64,
            Piece::Payload(p) => p.encoded_len(),
        })
        .sum()
}

/// Bytes of base64 read per chunk: a multiple of 3, so chunks concatenate to valid base64.
const CHUNK: usize = 3 * 32 * 1024;

/// Writes serialized JSON with each marker replaced by the file's data URL (for Batch API
/// input lines, which are files, not requests).
pub fn write_expanded(
    json: &str,
    payloads: &[Arc<Payload>],
    out: &mut dyn io::Write,
) -> io::Result<()> {
    for piece in pieces(json, payloads) {
        match piece {
            Piece::Text(t) => out.write_all(t.as_bytes())?,
            Piece::Payload(p) => {
                out.write_all(p.prefix().as_bytes())?;
                let mut encoder = Encoder::new(p)?;
                while let Some(chunk) = encoder.next_chunk()? {
                    out.write_all(&chunk)?;
                }
            }
        }
    }
    Ok(())
}

/// Reads a payload and yields its base64, one chunk at a time.
struct Encoder {
    reader: Box<dyn Read + Send>,
    left: u64,
    name: String,
    buf: Vec<u8>,
}

impl Encoder {
    fn new(p: &Payload) -> io::Result<Self> {
        Ok(Self {
            reader: p.open()?,
            left: p.len,
            name: p.name.clone(),
            buf: vec![0; CHUNK],
        })
    }

    fn next_chunk(&mut self) -> io::Result<Option<Vec<u8>>> {
        if self.left == 0 {
            return Ok(None);
        }
        let want = usize::try_from(self.left.min(CHUNK as u64)).unwrap_or(CHUNK);
        let mut got = 0;
        while got < want {
            let n = self.reader.read(&mut self.buf[got..want])?;
            if n == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!("`{}` shrank while it was being sent", self.name),
                ));
            }
            got += n;
        }
        self.left -= got as u64;
        let mut out = String::with_capacity(got.div_ceil(3) * 4);
        base64::engine::general_purpose::STANDARD.encode_string(&self.buf[..got], &mut out);
        Ok(Some(out.into_bytes()))
    }
}

/// The body of a request with local files: the JSON text around the markers and each file's
/// data URL, encoded as it is sent (a file is never held whole, nor its base64).
pub fn body_stream(json: String, payloads: Vec<Arc<Payload>>) -> reqwest::Body {
    // Pieces borrow the JSON; own them as ranges so the stream can be `'static`.
    enum Owned {
        Text(std::ops::Range<usize>),
        Payload(Arc<Payload>),
    }
    let base = json.as_ptr() as usize;
    let owned: Vec<Owned> = pieces(&json, &payloads)
        .into_iter()
        .map(|piece| match piece {
            Piece::Text(t) => {
                let at = t.as_ptr() as usize - base;
                Owned::Text(at..at + t.len())
            }
            Piece::Payload(p) => Owned::Payload(Arc::clone(p)),
        })
        .collect();
    struct State {
        json: String,
        pieces: std::vec::IntoIter<Owned>,
        encoder: Option<Encoder>,
    }
    let state = State {
        json,
        pieces: owned.into_iter(),
        encoder: None,
    };
    let stream = futures_util::stream::unfold(state, |mut s| async move {
        if let Some(encoder) = &mut s.encoder {
            match encoder.next_chunk() {
                Ok(Some(chunk)) => return Some((Ok(chunk), s)),
                Ok(None) => s.encoder = None,
                Err(e) => {
                    s.encoder = None;
                    s.pieces = Vec::new().into_iter();
                    return Some((Err(e), s));
                }
            }
        }
        match s.pieces.next()? {
            Owned::Text(range) => {
                let text = s.json.as_bytes()[range].to_vec();
                Some((Ok::<_, io::Error>(text), s))
            }
            Owned::Payload(p) => match Encoder::new(&p) {
                Ok(encoder) => {
                    s.encoder = Some(encoder);
                    let prefix = p.prefix().into_bytes();
                    Some((Ok(prefix), s))
                }
                Err(e) => {
                    s.pieces = Vec::new().into_iter();
                    Some((Err(e), s))
                }
            },
        }
    });
    reqwest::Body::wrap_stream(stream)
}

/// Every local file in `parts`, in order.
pub fn payloads<'a>(parts: impl IntoIterator<Item = &'a Part>) -> Vec<Arc<Payload>> {
    parts
        .into_iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            Item::Local(p) => Some(Arc::clone(p)),
            Item::Url(_) => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload(bytes: &[u8]) -> Arc<Payload> {
        Arc::new(Payload::new(
            "x.png",
            "image/png",
            bytes.len() as u64,
            Data::Bytes(bytes.into()),
        ))
    }

    #[test]
    fn markers_expand_to_data_urls_and_show_as_sizes() {
        let big: Vec<u8> = (0..CHUNK * 2 + 7).map(|i| (i % 251) as u8).collect();
        let a = payload(b"abcd");
        let b = payload(&big);
        let json = serde_json::json!({"t": "a \u{1}qwen-media-0-0\u{1} text", "a": a.marker(), "b": [b.marker()]})
            .to_string();
        let all = [Arc::clone(&a), Arc::clone(&b)];
        let mut out = Vec::new();
        write_expanded(&json, &all, &mut out).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["a"], "data:image/png;base64,YWJjZA==");
        let want = base64::engine::general_purpose::STANDARD.encode(&big);
        assert_eq!(v["b"][0], format!("data:image/png;base64,{want}"));
        assert_eq!(v["t"], "a \u{1}qwen-media-0-0\u{1} text");
        assert_eq!(body_len(&json, &all), out.len() as u64);
        let shown = shown(&json, &all);
        assert!(
            shown.contains("\"a\":\"<image/png 4 bytes, inline>\""),
            "{shown}"
        );
        assert!(!shown.contains("YWJj"));
    }
}
