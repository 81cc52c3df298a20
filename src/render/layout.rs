//! Styled runs of text, the wrapper that packs words into lines, and the writer that turns
//! a finished line into bytes.
//!
//! Model text reaches the terminal only through [`push_safe`] (or [`push_code`]), which
//! escapes control characters; the writer adds the SGR and OSC 8 sequences itself, only
//! when colour is on, and ends every line with a reset so no style outlives its line.

use std::io::Write as _;
use std::sync::Arc;

use anstyle::Style as Sgr;
use unicode_width::UnicodeWidthChar;

/// The narrowest text column the wrapper packs to: deeper nesting overflows instead of
/// breaking after every word.
const MIN_TEXT: usize = 20;

/// A run of text in one style and, with hyperlinks, one link target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Seg {
    pub text: String,
    pub style: Sgr,
    pub link: Option<Arc<str>>,
}

impl Seg {
    /// Returns a run of our own text (never model text: it is not escaped).
    pub fn new(text: impl Into<String>, style: Sgr) -> Self {
        Self {
            text: text.into(),
            style,
            link: None,
        }
    }
}

/// Returns true for characters that must not reach a terminal raw: C0 and C1 controls
/// (ESC starts a sequence that can retitle, clear or fake output) and the bidirectional
/// overrides that reorder what is shown.
pub(super) fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn push_char(segs: &mut Vec<Seg>, c: char, style: Sgr, link: Option<&Arc<str>>) {
    match segs.last_mut() {
        Some(last) if last.style == style && last.link.as_ref() == link => last.text.push(c),
        _ => segs.push(Seg {
            text: c.to_string(),
            style,
            link: link.cloned(),
        }),
    }
}

/// Appends a character of model text, escaped as `\u{1b}` when unsafe, and returns the
/// columns it takes.
pub(super) fn push_safe(
    segs: &mut Vec<Seg>,
    c: char,
    style: Sgr,
    link: Option<&Arc<str>>,
) -> usize {
    if is_unsafe(c) {
        let mut width = 0;
        for e in c.escape_unicode() {
            push_char(segs, e, style, link);
            width += 1;
        }
        width
    } else {
        push_char(segs, c, style, link);
        c.width().unwrap_or(0)
    }
}

/// Appends a piece of a code line: like [`push_safe`], but tabs stay tabs (a Makefile
/// pasted from the screen must keep them, and a tab only moves the cursor).
pub(super) fn push_code(segs: &mut Vec<Seg>, text: &str, style: Sgr) {
    for c in text.chars() {
        if c == '\t' {
            push_char(segs, c, style, None);
        } else {
            push_safe(segs, c, style, None);
        }
    }
}

/// Returns the columns a run of our own (already safe) text takes.
pub(super) fn width_of(segs: &[Seg]) -> usize {
    segs.iter()
        .flat_map(|s| s.text.chars())
        .map(|c| c.width().unwrap_or(0))
        .sum()
}

/// The bytes rendered so far and not yet handed to the caller's writer.
#[derive(Debug, Default)]
pub(super) struct Out {
    pub bytes: Vec<u8>,
    pub color: bool,
    /// Lines written since the start of the reply (leading blank lines are dropped).
    pub lines: usize,
}

impl Out {
    /// Writes one whole line: the parts in order, then a reset, then `\n`.
    pub fn line(&mut self, parts: &[&[Seg]]) {
        let mut style = Sgr::new();
        let mut link: Option<&Arc<str>> = None;
        for seg in parts
            .iter()
            .flat_map(|p| p.iter())
            .filter(|s| !s.text.is_empty())
        {
            if self.color {
                if seg.link.as_ref() != link {
                    if link.is_some() {
                        self.bytes.extend_from_slice(b"\x1b]8;;\x1b\\");
                    }
                    if let Some(url) = &seg.link {
                        // Only printable ASCII targets get here (see `inline::hyperlink`).
                        let _ = write!(self.bytes, "\x1b]8;;{url}\x1b\\");
                    }
                    link = seg.link.as_ref();
                }
                if seg.style != style {
                    let _ = write!(self.bytes, "{}{}", style.render_reset(), seg.style.render());
                    style = seg.style;
                }
            }
            self.bytes.extend_from_slice(seg.text.as_bytes());
        }
        if link.is_some() {
            self.bytes.extend_from_slice(b"\x1b]8;;\x1b\\");
        }
        let _ = write!(self.bytes, "{}", style.render_reset());
        self.bytes.push(b'\n');
        self.lines += 1;
    }
}

/// Packs the words of one source line into lines of at most `width` columns, writing each
/// line as soon as the next word does not fit: what is on screen never changes, and the
/// result depends only on the words, not on when they arrived.
#[derive(Debug, Default)]
pub(super) struct Wrap {
    width: usize,
    first: Vec<Seg>,
    cont: Vec<Seg>,
    first_w: usize,
    cont_w: usize,
    line: Vec<Seg>,
    line_w: usize,
    words: usize,
    lines: usize,
    word: Vec<Seg>,
    word_w: usize,
    space: Option<Sgr>,
}

impl Wrap {
    /// Returns a wrapper for lines of `width` columns.
    pub fn new(width: usize) -> Self {
        Self {
            width,
            ..Self::default()
        }
    }

    /// Changes the width for the words placed from now on.
    pub fn set_width(&mut self, width: usize) {
        self.width = width;
    }

    /// Starts a source line: `first` prefixes its first screen line (a bullet), `cont`
    /// the lines it wraps onto (the indentation under the bullet).
    pub fn start(&mut self, first: Vec<Seg>, cont: Vec<Seg>) {
        self.first_w = width_of(&first);
        self.cont_w = width_of(&cont);
        self.first = first;
        self.cont = cont;
        self.line.clear();
        self.word.clear();
        (self.line_w, self.words, self.lines, self.word_w, self.space) = (0, 0, 0, 0, None);
    }

    /// Appends a character to the current word.
    pub fn text(&mut self, c: char, style: Sgr, link: Option<&Arc<str>>) {
        self.word_w += push_safe(&mut self.word, c, style, link);
    }

    /// Ends the current word; white space runs collapse to one space, and leading white
    /// space is dropped.
    pub fn space(&mut self, style: Sgr, out: &mut Out) {
        self.place(out);
        if self.words > 0 && self.space.is_none() {
            self.space = Some(style);
        }
    }

    /// Ends the source line: writes what is left (an empty line if nothing was written).
    /// Returns false when the line had no words at all.
    pub fn end(&mut self, out: &mut Out) -> bool {
        self.place(out);
        let had_words = self.words > 0 || self.lines > 0;
        if self.words > 0 || self.lines == 0 {
            self.emit(out);
        }
        had_words
    }

    fn place(&mut self, out: &mut Out) {
        if self.word.is_empty() {
            return;
        }
        let prefix_w = if self.lines == 0 {
            self.first_w
        } else {
            self.cont_w
        };
        let avail = self.width.saturating_sub(prefix_w).max(MIN_TEXT);
        let gap = usize::from(self.space.is_some());
        if self.words > 0 && self.line_w + gap + self.word_w > avail {
            self.emit(out);
        } else if let Some(style) = self.space.take() {
            push_char(&mut self.line, ' ', style, None);
            self.line_w += 1;
        }
        self.line_w += self.word_w;
        self.words += 1;
        if self.line.is_empty() {
            std::mem::swap(&mut self.line, &mut self.word);
        } else {
            for seg in self.word.drain(..) {
                match self.line.last_mut() {
                    Some(last) if last.style == seg.style && last.link == seg.link => {
                        last.text.push_str(&seg.text);
                    }
                    _ => self.line.push(seg),
                }
            }
        }
        self.word_w = 0;
    }

    fn emit(&mut self, out: &mut Out) {
        let prefix = if self.lines == 0 {
            &self.first
        } else {
            &self.cont
        };
        out.line(&[prefix, &self.line]);
        self.line.clear();
        (self.line_w, self.words, self.space) = (0, 0, None);
        self.lines += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrap_words(width: usize, text: &str, prefix: &str) -> String {
        let mut out = Out::default();
        let mut wrap = Wrap::new(width);
        wrap.start(
            vec![Seg::new(prefix, Sgr::new())],
            vec![Seg::new(" ".repeat(prefix.len()), Sgr::new())],
        );
        for c in text.chars() {
            if c == ' ' {
                wrap.space(Sgr::new(), &mut out);
            } else {
                wrap.text(c, Sgr::new(), None);
            }
        }
        wrap.end(&mut out);
        String::from_utf8(out.bytes).unwrap()
    }

    #[test]
    fn wraps_at_word_boundaries_within_the_width() {
        let text = "the quick brown fox jumps over the lazy dog and keeps on running far away";
        let got = wrap_words(30, text, "- ");
        assert_eq!(
            got,
            "- the quick brown fox jumps\n  over the lazy dog and keeps\n  on running far away\n"
        );
        for line in got.lines() {
            assert!(line.chars().count() <= 30, "{line:?} is wider than 30");
        }
    }

    #[test]
    fn a_word_that_fits_exactly_stays_on_the_line() {
        // 20 columns of text after a 2-column prefix: "aaaa bbbb cccc ddddd" is 20.
        assert_eq!(
            wrap_words(22, "aaaa bbbb cccc ddddd e", "> "),
            "> aaaa bbbb cccc ddddd\n  e\n"
        );
    }

    #[test]
    fn a_word_longer_than_the_line_overflows_alone_instead_of_breaking() {
        let url = "https://example.com/a/very/long/path/that/does/not/fit";
        assert_eq!(
            wrap_words(20, &format!("see {url} ok"), ""),
            format!("see\n{url}\nok\n")
        );
    }

    #[test]
    fn white_space_collapses_and_leading_space_is_dropped() {
        assert_eq!(wrap_words(80, "   a    b  ", ""), "a b\n");
    }

    #[test]
    fn wide_characters_count_two_columns() {
        // Each ideograph takes two columns: four of them fill 8 of the 20.
        let got = wrap_words(20, "漢字漢字 漢字漢字 漢字漢字", "");
        assert_eq!(got, "漢字漢字 漢字漢字\n漢字漢字\n");
    }

    #[test]
    fn control_characters_are_escaped_and_counted_as_shown() {
        let mut segs = Vec::new();
        assert_eq!(push_safe(&mut segs, '\u{1b}', Sgr::new(), None), 6);
        assert_eq!(push_safe(&mut segs, '\u{9b}', Sgr::new(), None), 6);
        assert_eq!(push_safe(&mut segs, '\u{202e}', Sgr::new(), None), 8);
        assert_eq!(push_safe(&mut segs, 'x', Sgr::new(), None), 1);
        assert_eq!(segs[0].text, "\\u{1b}\\u{9b}\\u{202e}x");
        let mut code = Vec::new();
        push_code(&mut code, "\ta\u{7}\r", Sgr::new());
        assert_eq!(code[0].text, "\ta\\u{7}\\u{d}");
    }
}
