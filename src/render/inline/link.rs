//! Links: `[text](destination)` and autolinks, printed underlined with their destination,
//! or as OSC 8 hyperlinks where the terminal takes them; and the character classes the
//! inline parser asks about.

use super::*;

impl Inline {
    /// Prints `opener` literally and parses what was held after it again: it was not a link.
    pub(super) fn fail(&mut self, opener: char, rest: &str, sink: &mut dyn Sink) {
        self.literal(opener, sink);
        for c in rest.chars() {
            self.feed(c, sink);
        }
    }

    /// Prints a link: its text underlined, then its destination dimmed in parentheses, or
    /// (with hyperlinks) the text alone as an OSC 8 link.
    pub(super) fn link(&mut self, text: &str, dest: &str, sink: &mut dyn Sink) {
        let target = (self.color && self.hyperlinks && hyperlink(dest)).then(|| Arc::from(dest));
        let mut inner = Inline::new(self.color, self.hyperlinks);
        inner.base = if self.color {
            self.style().underline().fg_color(LINK_COLOR)
        } else {
            Sgr::new()
        };
        inner.in_link = true;
        let osc = target.is_some();
        inner.target = target;
        for c in text.chars() {
            inner.feed(c, sink);
        }
        inner.end(sink);
        if !osc && !dest.is_empty() && text != dest {
            let style = if self.color { URL } else { Sgr::new() };
            if !text.is_empty() {
                sink.space(self.style());
            }
            sink.text('(', style, None);
            for c in dest.chars() {
                sink.text(c, style, None);
            }
            sink.text(')', style, None);
        }
        self.prev = ')';
    }
}

/// Returns CommonMark's notion of punctuation closely enough: ASCII punctuation and any
/// other symbol that is neither a letter, a digit nor white space.
pub(super) fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation() || !(c.is_alphanumeric() || c.is_whitespace() || c.is_control())
}

/// Returns the destination of `(dest "title")` without angle brackets or title, or `None`
/// when what follows the destination is not a title: `[see](the docs)` is no link.
pub(super) fn destination(raw: &str) -> Option<&str> {
    let raw = raw.trim();
    let (dest, rest) = match raw.strip_prefix('<') {
        Some(inner) => inner.split_once('>')?,
        None => raw.split_at(raw.find(char::is_whitespace).unwrap_or(raw.len())),
    };
    let rest = rest.trim();
    let quoted = |open, close| rest.len() >= 2 && rest.starts_with(open) && rest.ends_with(close);
    (rest.is_empty() || quoted('"', '"') || quoted('\'', '\'') || quoted('(', ')')).then_some(dest)
}

/// Returns true for `<scheme:rest>` autolinks (CommonMark: a 2–32 character scheme).
pub(super) fn is_autolink(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    (2..=32).contains(&scheme.len())
        && chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
        && !rest.is_empty()
        && !rest
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '<')
}

/// Returns true when `url` may become an OSC 8 target: web and mail links only (a model
/// must not make `file:` or custom-scheme links that a click would open), in printable
/// ASCII so nothing in it can end the escape sequence early.
pub(super) fn hyperlink(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:"))
        && url.bytes().all(|b| b.is_ascii_graphic())
}
