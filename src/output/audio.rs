//! The spoken reply (`--audio-out FILE.wav`): raw PCM pieces into a WAV file, written to a
//! temporary file beside FILE and renamed over it only when the reply is complete, so a
//! failed or interrupted reply leaves no half file at FILE (and an old FILE untouched).

use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use tempfile::NamedTempFile;

/// Omni speech: signed 16-bit little-endian PCM, 24 kHz, mono (research-wire.md §2).
pub const SAMPLE_RATE: u32 = 24_000;
const CHANNELS: u16 = 1;
const BITS: u16 = 16;
const BYTE_RATE: u32 = SAMPLE_RATE * CHANNELS as u32 * BITS as u32 / 8;
/// The RIFF header of a PCM WAV file.
pub const HEADER_LEN: u64 = 44;

/// A WAV file being written.
pub struct WavOut {
    path: PathBuf,
    tmp: BufWriter<NamedTempFile>,
    bytes: u64,
}

/// What was written, once the file is in place.
#[derive(Debug, Clone, PartialEq)]
pub struct AudioSummary {
    /// The file, as given.
    pub path: PathBuf,
    /// PCM bytes (the header not counted).
    pub bytes: u64,
}

impl AudioSummary {
    /// Seconds of sound.
    pub fn seconds(&self) -> f64 {
        self.bytes as f64 / f64::from(BYTE_RATE)
    }

    /// The `audio` object of `--format json`.
    pub fn json(&self) -> Value {
        json!({
            "file": self.path.display().to_string(),
            "bytes": self.bytes,
            "duration_ms": (self.seconds() * 1000.0).round() as u64,
        })
    }
}

impl WavOut {
    /// Opens a temporary file in `path`'s directory (so the final rename stays on one file
    /// system), with a header whose sizes are fixed up by [`WavOut::finish`].
    pub fn create(path: &Path) -> io::Result<Self> {
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(".qwen-audio-").suffix(".tmp");
        // A sound file like any other (the umask applies), not a private temporary one.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let tmp = builder.tempfile_in(dir)?;
        let mut tmp = BufWriter::new(tmp);
        tmp.write_all(&header(0))?;
        Ok(Self {
            path: path.to_owned(),
            tmp,
            bytes: 0,
        })
    }

    /// Appends one decoded piece; returns the PCM bytes written so far.
    pub fn write(&mut self, pcm: &[u8]) -> io::Result<u64> {
        self.tmp.write_all(pcm)?;
        self.bytes += pcm.len() as u64;
        Ok(self.bytes)
    }

    /// Fixes up the header's sizes and renames the file over `path`.
    pub fn finish(self) -> io::Result<AudioSummary> {
        let mut tmp = self
            .tmp
            .into_inner()
            .map_err(io::IntoInnerError::into_error)?;
        let file: &mut File = tmp.as_file_mut();
        if self.bytes % 2 == 1 {
            // RIFF chunks are word-aligned: a pad byte not counted in the data size.
            file.write_all(&[0])?;
        }
        file.seek(SeekFrom::Start(0))?;
        file.write_all(&header(self.bytes))?;
        file.sync_all()?;
        tmp.persist(&self.path).map_err(|e| e.error)?;
        Ok(AudioSummary {
            path: self.path,
            bytes: self.bytes,
        })
    }
}

impl<W: Write> super::Renderer<W> {
    /// Writes the spoken reply to `wav` (`--audio-out`).
    pub fn with_audio(mut self, wav: Option<WavOut>) -> Self {
        self.audio = wav;
        self
    }

    /// What `--audio-out` wrote, once the reply finished.
    pub fn audio_written(&self) -> Option<&AudioSummary> {
        self.audio_written.as_ref()
    }

    /// One piece of sound: into the file, and an `audio` event in JSONL (sizes only).
    pub(super) fn audio_piece(&mut self, pcm: &[u8]) -> io::Result<()> {
        let Some(wav) = &mut self.audio else {
            return Ok(());
        };
        let total = wav.write(pcm)?;
        if self.format == super::Format::Jsonl {
            let mut map = super::object(Some("audio"));
            map.insert("bytes".into(), json!(pcm.len()));
            map.insert("total".into(), json!(total));
            self.write_line(map)?;
        }
        Ok(())
    }

    /// Puts the WAV file in place (before `done`, which reports it).
    pub(super) fn finish_audio(&mut self) -> io::Result<()> {
        if let Some(wav) = self.audio.take() {
            self.audio_written = Some(wav.finish()?);
        }
        Ok(())
    }
}

/// The 44-byte header of a PCM WAV file holding `data` bytes of samples.
pub fn header(data: u64) -> [u8; HEADER_LEN as usize] {
    let data = u32::try_from(data).unwrap_or(u32::MAX - 36 - 1);
    let riff = 36 + data + (data % 2);
    let mut h = [0u8; HEADER_LEN as usize];
    let mut at = 0;
    let mut put = |bytes: &[u8]| {
        h[at..at + bytes.len()].copy_from_slice(bytes);
        at += bytes.len();
    };
    put(b"RIFF");
    put(&riff.to_le_bytes());
    put(b"WAVE");
    put(b"fmt ");
    put(&16u32.to_le_bytes());
    put(&1u16.to_le_bytes()); // PCM
    put(&CHANNELS.to_le_bytes());
    put(&SAMPLE_RATE.to_le_bytes());
    put(&BYTE_RATE.to_le_bytes());
    put(&(CHANNELS * BITS / 8).to_le_bytes());
    put(&BITS.to_le_bytes());
    put(b"data");
    put(&data.to_le_bytes());
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_sizes_are_fixed_up_and_the_file_appears_only_at_the_end() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.wav");
        std::fs::write(&path, b"old").unwrap();
        let mut wav = WavOut::create(&path).unwrap();
        assert_eq!(wav.write(&[1, 0, 2, 0]).unwrap(), 4);
        assert_eq!(wav.write(&[3, 0]).unwrap(), 6);
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        let summary = wav.finish().unwrap();
        assert_eq!(summary.bytes, 6);
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(bytes.len(), 44 + 6);
        assert_eq!(&bytes[0..4], b"RIFF");
        assert_eq!(u32::from_le_bytes(bytes[4..8].try_into().unwrap()), 36 + 6);
        assert_eq!(
            u32::from_le_bytes(bytes[24..28].try_into().unwrap()),
            24_000
        );
        assert_eq!(u32::from_le_bytes(bytes[40..44].try_into().unwrap()), 6);
        assert_eq!(&bytes[44..], &[1, 0, 2, 0, 3, 0]);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_ne!(
                mode & 0o044,
                0,
                "readable by others as the umask allows: {mode:o}"
            );
        }
    }

    #[test]
    fn a_dropped_writer_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.wav");
        let mut wav = WavOut::create(&path).unwrap();
        wav.write(&[1, 2]).unwrap();
        drop(wav);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
