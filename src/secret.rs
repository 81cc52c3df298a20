//! The API key as a type that cannot be printed, and redaction: every key (and URL password)
//! this process has loaded is scrubbed from any text before it is shown or stored.
//!
//! The ground floor: it imports nothing of ours, so the API layer scrubs what servers send
//! as it arrives, and the terminal layer scrubs what it prints.

use std::borrow::Cow;
use std::fmt;

use serde_json::Value;

/// An API key. It has no `Display`, and its `Debug` never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

/// Every key (and URL password) this process has loaded, longest first, so that text from
/// elsewhere (a server's error message, request id or code that quotes the key back, say)
/// can be scrubbed before it is printed or stored.
static SEEN_KEYS: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

impl Secret {
    /// Wraps a key, trimming the whitespace that key files and commands tend to add.
    pub fn new(key: &str) -> Self {
        let key = key.trim().to_owned();
        // Whatever its length: a short key is still a secret, and redacting a few ordinary
        // words in a message is the lesser harm.
        if !key.is_empty()
            && let Ok(mut seen) = SEEN_KEYS.lock()
            && !seen.contains(&key)
        {
            seen.push(key.clone());
            // Longest first, so a key that contains another is replaced whole.
            seen.sort_by_key(|k| std::cmp::Reverse(k.len()));
        }
        Self(key)
    }

    /// Returns the key itself; only the HTTP layer and redaction checks should call this.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Replaces every API key this process has loaded with `<redacted>`.
pub fn redact(text: &str) -> Cow<'_, str> {
    let Ok(seen) = SEEN_KEYS.lock() else {
        return text.into();
    };
    let mut out = Cow::Borrowed(text);
    for key in seen.iter() {
        if out.contains(key.as_str()) {
            out = out.replace(key.as_str(), "<redacted>").into();
        }
    }
    out
}

/// Scrubs loaded keys from a string a server sent, as it enters the API layer, so that no
/// consumer (JSONL, batch lines, the ledger, `usage log`, messages) ever sees the key.
pub fn scrub(text: String) -> String {
    match redact(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(clean) => clean,
    }
}

/// [`scrub`] on every string (and object key) of a JSON value a server sent.
pub fn scrub_json(value: &mut Value) {
    match value {
        Value::String(s) => *s = scrub(std::mem::take(s)),
        Value::Array(items) => items.iter_mut().for_each(scrub_json),
        Value::Object(map) => {
            if map.keys().any(|k| matches!(redact(k), Cow::Owned(_))) {
                *map = std::mem::take(map)
                    .into_iter()
                    .map(|(k, v)| (scrub(k), v))
                    .collect();
            }
            map.values_mut().for_each(scrub_json);
        }
        _ => {}
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loaded_keys_are_scrubbed_from_any_text() {
        let _key = Secret::new("sk-scrub-me-0123");
        assert_eq!(
            redact("Incorrect API key provided: Bearer sk-scrub-me-0123."),
            "Incorrect API key provided: Bearer <redacted>."
        );
        assert_eq!(redact("nothing here"), "nothing here");
    }

    #[test]
    fn secret_debug_is_redacted() {
        let s = Secret::new("sk-verysecret\n");
        assert_eq!(format!("{s:?}"), "Secret(<redacted>)");
        assert_eq!(s.expose(), "sk-verysecret");
    }
}
