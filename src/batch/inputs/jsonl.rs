//! JSONL requests (`--input FILE`, or `-` with `--input-format jsonl`): one item per line,
//! numbered, each line's id checked once across the whole input.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;

use super::{Batcher, Halt, Input};
use crate::exit::UsageError;

/// Reads JSONL requests. A line that is not UTF-8 fails alone; a read error of the stream
/// itself (`--input DIR`, an I/O error) ends it: retrying the read would fail forever.
pub(super) fn read_jsonl(path: &Path, out: &Batcher) -> Result<(), Halt> {
    let shown = || {
        if path.as_os_str() == "-" {
            "standard input".to_owned()
        } else {
            format!("`{}`", path.display())
        }
    };
    let reader: Box<dyn BufRead + '_> = if path.as_os_str() == "-" {
        Box::new(out.stdin())
    } else {
        match std::fs::File::open(path) {
            Ok(f) => Box::new(std::io::BufReader::new(f)),
            Err(err) => {
                return Err(Halt::Failed(UsageError::new(
                    format!("cannot read {}: {err}", shown()),
                    None,
                )));
            }
        }
    };
    // Ids name results, `--out-dir` files and `--resume` keys, so two lines must never
    // share one. Items start while the input is still being read, so a duplicate can only
    // stop the run where it is found: the lines before it run as usual, it and the lines
    // after it are never sent.
    let mut ids: HashMap<String, usize> = HashMap::new();
    for (i, line) in reader.split(b'\n').enumerate() {
        let number = i + 1;
        let mut bytes = line.map_err(|err| {
            Halt::Failed(UsageError::new(
                format!("cannot read line {number} of {}: {err}", shown()),
                None,
            ))
        })?;
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
        let input = match String::from_utf8(bytes) {
            Ok(text) if text.trim().is_empty() => continue,
            Ok(text) => {
                let id = line_id(&text).unwrap_or_else(|| format!("line {number}"));
                if let Some(first) = ids.insert(id.clone(), number) {
                    return Err(Halt::Failed(UsageError::new(
                        format!(
                            "duplicate id `{id}` on lines {first} and {number} of {}",
                            shown()
                        ),
                        Some(
                            "ids name the results and the `--resume` keys: give every line its own \
                             `custom_id` or `id`"
                                .into(),
                        ),
                    )));
                }
                Input::Line { number, text }
            }
            Err(_) => Input::Broken {
                id: format!("line {number}"),
                message: format!("line {number} of {} is not valid UTF-8", shown()),
            },
        };
        out.push(input)?;
    }
    Ok(())
}

/// Returns the id a JSONL line reports under: its `custom_id`, else its `id` (a string, or
/// a number written as text); `None` when it has neither or is not a JSON object.
pub fn line_id(text: &str) -> Option<String> {
    /// Only the two id fields: the rest of the line is skipped, not built.
    #[derive(serde::Deserialize)]
    struct Ids {
        custom_id: Option<serde_json::Value>,
        id: Option<serde_json::Value>,
    }
    let as_id = |value: Option<serde_json::Value>| match value? {
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let ids: Ids = serde_json::from_str(text).ok()?;
    as_id(ids.custom_id).or_else(|| as_id(ids.id))
}
