//! Inline Markdown (emphasis, strikethrough, code spans, links, autolinks, backslash
//! escapes) parsed one character at a time.
//!
//! Each decision depends only on the characters seen so far plus a bounded hold: a
//! delimiter run until the character after it (CommonMark's flanking rules need it), a
//! `[link](…)` until its `)`. Nothing depends on how the text was chunked, which is what
//! keeps a streamed reply byte-identical to the same reply rendered whole.
//!
//! Emphasis opens optimistically, as soon as a run can open, because a stream cannot wait
//! for a closer that may never come; an unclosed style ends with its source line. Without
//! colour, the markers themselves are printed (`**bold**` stays `**bold**`), so emphasis
//! stays readable as plain text.

use std::sync::Arc;

use anstyle::{AnsiColor, Style as Sgr};

mod link;

use link::{destination, is_autolink, is_punct};

/// Where parsed inline text goes: the line wrapper or a table cell.
pub(super) trait Sink {
    /// Appends one visible character (the sink escapes it when unsafe).
    fn text(&mut self, c: char, style: Sgr, link: Option<&Arc<str>>);
    /// Marks a break between words; a run of white space counts once.
    fn space(&mut self, style: Sgr);
}

/// Longest link text held while waiting for `](`; longer, the `[` was not a link.
const LINK_TEXT_MAX: usize = 1000;
/// Longest link destination (or autolink) held while waiting for its `)` (or `>`).
const LINK_URL_MAX: usize = 2000;

const CODE: Sgr = Sgr::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Yellow)));
const LINK_COLOR: Option<anstyle::Color> = Some(anstyle::Color::Ansi(AnsiColor::Blue));
const URL: Sgr = Sgr::new().dimmed();

#[derive(Debug, Default)]
enum Hold {
    #[default]
    None,
    Backslash,
    Run {
        ch: char,
        len: usize,
        before: char,
    },
    LinkText {
        text: String,
        depth: usize,
        escaped: bool,
    },
    LinkClose {
        text: String,
    },
    LinkUrl {
        text: String,
        url: String,
        depth: usize,
    },
    Angle {
        text: String,
    },
}

/// The inline parser for one source line at a time.
#[derive(Debug)]
pub(super) struct Inline {
    color: bool,
    hyperlinks: bool,
    base: Sgr,
    /// Parsing the text of a link: no links inside, and every character is styled as one.
    in_link: bool,
    /// The OSC 8 target of that link, when hyperlinks are on.
    target: Option<Arc<str>>,
    bold: bool,
    italic: bool,
    strike: bool,
    /// The length of the backtick run that opened the current code span, 0 outside one.
    code: usize,
    /// The previous source character (white space at the start of a line).
    prev: char,
    hold: Hold,
}

impl Inline {
    /// Returns a parser that styles with SGR when `color` is on.
    pub fn new(color: bool, hyperlinks: bool) -> Self {
        Self {
            color,
            hyperlinks,
            base: Sgr::new(),
            in_link: false,
            target: None,
            bold: false,
            italic: false,
            strike: false,
            code: 0,
            prev: ' ',
            hold: Hold::None,
        }
    }

    /// Starts a source line whose text is drawn in `base` (a heading's style).
    pub fn start(&mut self, base: Sgr) {
        self.base = base;
        (self.bold, self.italic, self.strike, self.code, self.prev) = (false, false, false, 0, ' ');
        self.hold = Hold::None;
    }

    /// Ends the source line: whatever is held is resolved (an unfinished link prints as
    /// the text it was), and open styles end.
    pub fn end(&mut self, sink: &mut dyn Sink) {
        loop {
            match std::mem::take(&mut self.hold) {
                Hold::None => break,
                // A backslash before the line break is CommonMark's hard break: not shown.
                Hold::Backslash => {}
                Hold::Run { ch, len, before } => self.run(ch, len, before, ' ', sink),
                Hold::LinkText { text, .. } => self.fail('[', &text, sink),
                Hold::LinkClose { text } => self.fail('[', &format!("{text}]"), sink),
                Hold::LinkUrl { text, url, .. } => self.fail('[', &format!("{text}]({url}"), sink),
                Hold::Angle { text } => self.fail('<', &text, sink),
            }
        }
        self.start(self.base);
    }

    /// Parses one character.
    pub fn feed(&mut self, c: char, sink: &mut dyn Sink) {
        match std::mem::take(&mut self.hold) {
            Hold::None => self.plain(c, sink),
            Hold::Backslash if c.is_ascii_punctuation() => self.literal(c, sink),
            Hold::Backslash => {
                self.literal('\\', sink);
                self.plain(c, sink);
            }
            Hold::Run { ch, len, before } if c == ch => {
                self.hold = Hold::Run {
                    ch,
                    len: len + 1,
                    before,
                }
            }
            Hold::Run { ch, len, before } => {
                self.run(ch, len, before, c, sink);
                self.plain(c, sink);
            }
            Hold::LinkText {
                mut text,
                depth,
                escaped,
            } => {
                if !escaped && c == ']' && depth == 0 {
                    self.hold = Hold::LinkClose { text };
                } else if text.len() >= LINK_TEXT_MAX {
                    self.fail('[', &text, sink);
                    self.feed(c, sink);
                } else {
                    let depth = match c {
                        '[' if !escaped => depth + 1,
                        ']' if !escaped => depth - 1,
                        _ => depth,
                    };
                    text.push(c);
                    self.hold = Hold::LinkText {
                        text,
                        depth,
                        escaped: !escaped && c == '\\',
                    };
                }
            }
            Hold::LinkClose { text } if c == '(' => {
                self.hold = Hold::LinkUrl {
                    text,
                    url: String::new(),
                    depth: 0,
                };
            }
            Hold::LinkClose { text } => {
                self.fail('[', &format!("{text}]"), sink);
                self.feed(c, sink);
            }
            Hold::LinkUrl {
                text,
                url,
                depth: 0,
            } if c == ')' => match destination(&url) {
                Some(dest) => self.link(&text, dest, sink),
                None => self.fail('[', &format!("{text}]({url})"), sink),
            },
            Hold::LinkUrl {
                text,
                mut url,
                depth,
            } => {
                if url.len() >= LINK_URL_MAX {
                    self.fail('[', &format!("{text}]({url}"), sink);
                    self.feed(c, sink);
                } else {
                    let depth = match c {
                        '(' => depth + 1,
                        ')' => depth - 1,
                        _ => depth,
                    };
                    url.push(c);
                    self.hold = Hold::LinkUrl { text, url, depth };
                }
            }
            Hold::Angle { text } if c == '>' => {
                if is_autolink(&text) {
                    self.link(&text, &text, sink);
                } else {
                    self.fail('<', &format!("{text}>"), sink);
                }
            }
            Hold::Angle { mut text } => {
                if c.is_whitespace() || c == '<' || text.len() >= LINK_URL_MAX {
                    self.fail('<', &text, sink);
                    self.feed(c, sink);
                } else {
                    text.push(c);
                    self.hold = Hold::Angle { text };
                }
            }
        }
    }

    fn style(&self) -> Sgr {
        if !self.color {
            return Sgr::new();
        }
        let mut style = self.base;
        if self.bold {
            style = style.bold();
        }
        if self.italic {
            style = style.italic();
        }
        if self.strike {
            style = style.strikethrough();
        }
        if self.code > 0 {
            style = style.fg_color(CODE.get_fg_color());
        }
        style
    }

    fn emit(&self, c: char, sink: &mut dyn Sink) {
        sink.text(c, self.style(), self.target.as_ref());
    }

    fn literal(&mut self, c: char, sink: &mut dyn Sink) {
        self.emit(c, sink);
        self.prev = c;
    }

    /// Prints delimiter markers that were taken as styling: only without colour.
    fn markers(&self, ch: char, n: usize, sink: &mut dyn Sink) {
        if !self.color {
            for _ in 0..n {
                self.emit(ch, sink);
            }
        }
    }

    fn plain(&mut self, c: char, sink: &mut dyn Sink) {
        if self.code > 0 {
            // Code spans: no escapes or emphasis; spaces are kept and do not wrap.
            match c {
                '`' => {
                    self.hold = Hold::Run {
                        ch: c,
                        len: 1,
                        before: self.prev,
                    }
                }
                c if c.is_whitespace() => {
                    self.emit(' ', sink);
                    self.prev = c;
                }
                c => self.literal(c, sink),
            }
            return;
        }
        match c {
            '\\' => self.hold = Hold::Backslash,
            '*' | '_' | '~' | '`' => {
                self.hold = Hold::Run {
                    ch: c,
                    len: 1,
                    before: self.prev,
                }
            }
            '[' if !self.in_link => {
                self.hold = Hold::LinkText {
                    text: String::new(),
                    depth: 0,
                    escaped: false,
                };
            }
            '<' if !self.in_link => {
                self.hold = Hold::Angle {
                    text: String::new(),
                }
            }
            c if c.is_whitespace() && c != '\u{a0}' => {
                sink.space(self.style());
                self.prev = c;
            }
            c => self.literal(c, sink),
        }
    }

    /// Resolves a delimiter run of `len` × `ch` between `before` and `after`.
    fn run(&mut self, ch: char, len: usize, before: char, after: char, sink: &mut dyn Sink) {
        if ch == '`' {
            if self.code == 0 {
                self.code = len;
                self.markers(ch, len, sink);
            } else if self.code == len {
                self.markers(ch, len, sink);
                self.code = 0;
            } else {
                for _ in 0..len {
                    self.emit(ch, sink);
                }
            }
            self.prev = ch;
            return;
        }
        let ws = |c: char| c.is_whitespace();
        let left = !ws(after) && (!is_punct(after) || ws(before) || is_punct(before));
        let right = !ws(before) && (!is_punct(before) || ws(after) || is_punct(after));
        let (open, close) = if ch == '_' {
            (
                left && (!right || is_punct(before)),
                right && (!left || is_punct(after)),
            )
        } else {
            (left, right)
        };
        let mut n = len;
        if ch == '~' {
            // GFM strikethrough is `~~`; a lone `~` is "about" (`~5 ms`).
            if len == 2 && close && self.strike {
                self.markers(ch, 2, sink);
                self.strike = false;
                n = 0;
            } else if len == 2 && open && !self.strike {
                self.markers(ch, 2, sink);
                self.strike = true;
                n = 0;
            }
        } else {
            if close && n >= 2 && self.bold {
                self.markers(ch, 2, sink);
                self.bold = false;
                n -= 2;
            }
            if close && n >= 1 && self.italic {
                self.markers(ch, 1, sink);
                self.italic = false;
                n -= 1;
            }
            if open && n >= 2 && !self.bold {
                self.bold = true;
                self.markers(ch, 2, sink);
                n -= 2;
            }
            if open && n >= 1 && !self.italic {
                self.italic = true;
                self.markers(ch, 1, sink);
                n -= 1;
            }
        }
        for _ in 0..n {
            self.emit(ch, sink);
        }
        self.prev = ch;
    }
}

#[cfg(test)]
mod tests;
