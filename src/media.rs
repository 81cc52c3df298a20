//! What kind of media a file is: its magic bytes first (the `infer` crate), the extension as
//! the tie-breaker, and the MIME type and format name each wire shape needs.
//!
//! The kinds and extensions are the ones DashScope's vision and Omni pages list
//! (dashscope-protocol.md §11.1): images png, jpeg, webp, gif, bmp, tiff, heic; videos mp4,
//! mov, avi, mkv, webm, flv, wmv; audio wav, mp3, m4a, aac, flac, ogg, amr, opus.

use std::fmt;

/// How many leading bytes [`detect`] needs.
pub const HEAD_LEN: usize = 8192;

/// A kind of media part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A still image.
    Image,
    /// A video (a file, a URL or a list of frames).
    Video,
    /// A recording.
    Audio,
}

impl Kind {
    /// Returns the kind's name, as messages and `--dry-run` say it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Image => "image",
            Kind::Video => "video",
            Kind::Audio => "audio",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A recognised media type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Media {
    /// Its kind.
    pub kind: Kind,
    /// The MIME type a data URL carries, e.g. `image/png`.
    pub mime: &'static str,
    /// The format name (`input_audio.format` takes it: `mp3`, `wav`, …).
    pub format: &'static str,
}

/// What a file turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detected {
    /// An image, a video or a recording.
    Media(Media),
    /// UTF-8 text.
    Text,
    /// Anything else, with the type detected (a MIME type, or `binary data`).
    Other(String),
}

const fn media(kind: Kind, mime: &'static str, format: &'static str) -> Media {
    Media { kind, mime, format }
}

/// Extensions (lowercase; `infer`'s names included) and what they are.
const TABLE: &[(&str, Media)] = &[
    ("png", media(Kind::Image, "image/png", "png")),
    ("jpg", media(Kind::Image, "image/jpeg", "jpeg")),
    ("jpeg", media(Kind::Image, "image/jpeg", "jpeg")),
    ("webp", media(Kind::Image, "image/webp", "webp")),
    ("gif", media(Kind::Image, "image/gif", "gif")),
    ("bmp", media(Kind::Image, "image/bmp", "bmp")),
    ("tif", media(Kind::Image, "image/tiff", "tiff")),
    ("tiff", media(Kind::Image, "image/tiff", "tiff")),
    ("heic", media(Kind::Image, "image/heic", "heic")),
    ("heif", media(Kind::Image, "image/heic", "heic")),
    ("mp4", media(Kind::Video, "video/mp4", "mp4")),
    ("m4v", media(Kind::Video, "video/mp4", "mp4")),
    ("mov", media(Kind::Video, "video/quicktime", "mov")),
    ("avi", media(Kind::Video, "video/x-msvideo", "avi")),
    ("mkv", media(Kind::Video, "video/x-matroska", "mkv")),
    ("webm", media(Kind::Video, "video/webm", "webm")),
    ("flv", media(Kind::Video, "video/x-flv", "flv")),
    ("wmv", media(Kind::Video, "video/x-ms-wmv", "wmv")),
    ("wav", media(Kind::Audio, "audio/wav", "wav")),
    ("mp3", media(Kind::Audio, "audio/mpeg", "mp3")),
    ("m4a", media(Kind::Audio, "audio/mp4", "m4a")),
    ("aac", media(Kind::Audio, "audio/aac", "aac")),
    ("flac", media(Kind::Audio, "audio/flac", "flac")),
    ("ogg", media(Kind::Audio, "audio/ogg", "ogg")),
    ("amr", media(Kind::Audio, "audio/amr", "amr")),
    ("opus", media(Kind::Audio, "audio/opus", "opus")),
];

/// Containers whose magic bytes do not tell their members apart (an `.m4a` is an MP4, an
/// `.opus` an Ogg, a `.webm` a Matroska file): inside one group the extension decides.
const SAME_CONTAINER: &[&[&str]] = &[
    &["mp4", "m4v", "m4a", "mov"],
    &["ogg", "opus"],
    &["mkv", "webm"],
];

/// Returns the media type of a file extension (any case), if it is one we send.
pub fn by_extension(ext: &str) -> Option<Media> {
    let ext = ext.to_ascii_lowercase();
    TABLE.iter().find(|(e, _)| *e == ext).map(|(_, m)| *m)
}

/// Returns the lowercase extension of a file name or URL path, if any.
pub fn extension(name: &str) -> Option<String> {
    let name = name.split(['?', '#']).next().unwrap_or(name);
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let (stem, ext) = file.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty()).then(|| ext.to_ascii_lowercase())
}

/// Detects what a file is from its first bytes (up to [`HEAD_LEN`]) and its name.
pub fn detect(head: &[u8], name: &str) -> Detected {
    let ext = extension(name);
    let by_name = ext.as_deref().and_then(by_extension);
    match infer::get(head) {
        Some(found) => {
            let Some(by_magic) = by_extension(found.extension()) else {
                return if found.mime_type().starts_with("text/") {
                    Detected::Text
                } else {
                    Detected::Other(found.mime_type().to_owned())
                };
            };
            let same_container = |a: &str, b: &str| {
                SAME_CONTAINER
                    .iter()
                    .any(|group| group.contains(&a) && group.contains(&b))
            };
            match (&ext, by_name) {
                (Some(ext), Some(named)) if same_container(found.extension(), ext) => {
                    Detected::Media(named)
                }
                _ => Detected::Media(by_magic),
            }
        }
        None if looks_like_text(head) => Detected::Text,
        // Raw streams without a signature `infer` knows (ADTS AAC, MP3 without an ID3 tag):
        // a media extension on bytes that are not text is taken at its word.
        None => by_name.map_or_else(|| Detected::Other("binary data".into()), Detected::Media),
    }
}

/// True for bytes that are UTF-8 text (a character cut at the end of the sample counts).
fn looks_like_text(head: &[u8]) -> bool {
    if head.contains(&0) {
        return false;
    }
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && head.len() - e.valid_up_to() < 4,
    }
}

/// Formats a byte count with thousands separators (`48,213`), as `--dry-run` shows sizes.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    const JPEG: &[u8] = b"\xff\xd8\xff\xe0\0\x10JFIF\0";
    const WAV: &[u8] = b"RIFF\x24\0\0\0WAVEfmt ";
    const MP4: &[u8] = b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom";
    const M4A: &[u8] = b"\0\0\0\x18ftypM4A \0\0\0\0M4A mp42";
    const PDF: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";

    fn kind(head: &[u8], name: &str) -> Option<(Kind, &'static str)> {
        match detect(head, name) {
            Detected::Media(m) => Some((m.kind, m.mime)),
            _ => None,
        }
    }

    #[test]
    fn magic_bytes_win_over_a_wrong_extension() {
        assert_eq!(kind(PNG, "photo.jpg"), Some((Kind::Image, "image/png")));
        assert_eq!(kind(JPEG, "noext"), Some((Kind::Image, "image/jpeg")));
        assert_eq!(kind(WAV, "x.mp3"), Some((Kind::Audio, "audio/wav")));
    }

    #[test]
    fn the_extension_breaks_ties_inside_a_container() {
        assert_eq!(kind(MP4, "clip.mp4"), Some((Kind::Video, "video/mp4")));
        assert_eq!(kind(MP4, "song.m4a"), Some((Kind::Audio, "audio/mp4")));
        assert_eq!(kind(M4A, "song.m4a"), Some((Kind::Audio, "audio/mp4")));
        assert_eq!(
            kind(MP4, "clip.MOV"),
            Some((Kind::Video, "video/quicktime"))
        );
    }

    #[test]
    fn text_and_other_files_are_told_apart() {
        assert_eq!(detect(b"hello\n", "notes.png"), Detected::Text);
        assert_eq!(detect("héllo".as_bytes(), "a.txt"), Detected::Text);
        assert_eq!(detect(&"é".as_bytes()[..1], "a.txt"), Detected::Text);
        assert_eq!(
            detect(PDF, "paper.pdf"),
            Detected::Other("application/pdf".into())
        );
        assert_eq!(
            detect(b"\0\x01\x02\x03", "blob"),
            Detected::Other("binary data".into())
        );
        // An MP3 frame without an ID3 tag: not text, extension says audio.
        assert_eq!(
            kind(b"\xff\xfb\x90\x00\x00\x00", "a.mp3"),
            Some((Kind::Audio, "audio/mpeg"))
        );
    }

    #[test]
    fn extensions_come_from_paths_and_urls() {
        assert_eq!(extension("a/b/c.PNG").as_deref(), Some("png"));
        assert_eq!(
            extension("https://x.test/v.mp4?sig=1#t").as_deref(),
            Some("mp4")
        );
        assert_eq!(extension(".bashrc"), None);
        assert_eq!(extension("dir.d/file"), None);
        assert_eq!(grouped(48_213), "48,213");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000_000), "1,000,000");
    }
}
