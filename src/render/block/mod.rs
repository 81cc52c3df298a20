//! The block level: what each source line is (prose, a list item, a heading, a quote, a
//! fence, a code line, a table row, a rule, a blank), decided from as few of its first
//! characters as needed, and where it goes on screen.
//!
//! Prose streams through the inline parser into the wrapper as soon as its kind is known;
//! code lines are held until their `\n` (syntect highlights whole lines); table rows until
//! the table ends (columns need every row). A decision is never revised, so nothing on
//! screen is ever redrawn.
//!
//! Deliberate departures from CommonMark, for text that streams from a model:
//! - a line break in a paragraph is kept (models mean it: "Step 1 … \nStep 2 …");
//! - `---` under a paragraph is a rule, not a setext heading (which would restyle a line
//!   already on screen); `===` is text;
//! - there are no indented code blocks (models indent list continuations by four);
//! - a nested list needs two more columns of indentation than its parent's marker, so
//!   `1. a` followed by `  - b` nests as the author meant;
//! - an ordered list keeps the numbers as written.

use anstyle::{AnsiColor, Color, Style as Sgr};

use super::Style;
use super::highlight::Highlighter;
use super::inline::{Inline, Sink};
use super::layout::{Out, Seg, Wrap, push_code, width_of};
use super::table::{self, Layout};

mod held;
mod lead;

use lead::{lead, strip_indent, strip_quotes};

/// Longest line start held while its kind is unknown (a line of 2,000 `-` is prose).
const UNDECIDED_MAX: usize = 1024;
/// Rows buffered before a table gives up on a grid and prints its rows as they come.
pub(super) const TABLE_ROWS_MAX: usize = 200;
/// Longest code line highlighted: a longer one (minified code, data) and the rest of its
/// block print plain, because some syntaxes' regexes backtrack badly on long lines.
const HIGHLIGHT_LINE_MAX: usize = 4096;
const BULLETS: [&str; 4] = ["•", "◦", "▪", "▫"];

const DIM: Sgr = Sgr::new().dimmed();
const MAGENTA: Option<Color> = Some(Color::Ansi(AnsiColor::Magenta));

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Collecting the start of a line until its kind is known.
    Start,
    /// Holding the whole line until its `\n` (code, fence openings, table rows).
    Whole,
    /// Streaming prose through the inline parser.
    Prose,
}

/// Where a line's content starts: after `quotes` block-quote markers and `indent` columns.
#[derive(Clone, Copy, Debug)]
struct Lead {
    quotes: usize,
    indent: usize,
    /// Byte offset of the first character after the markers and indentation.
    body: usize,
}

#[derive(Debug)]
enum What {
    Para,
    Heading(usize),
    /// A list item; `ordered` is the marker as written (`3.`), `None` for a bullet.
    Item {
        ordered: Option<String>,
    },
}

#[derive(Debug)]
enum Kind {
    /// Not known yet: wait for more of the line.
    Wait,
    /// A possible fence opening or table row: hold the line to its end.
    Hold {
        row: bool,
    },
    /// A line inside a fenced code block.
    Code,
    Row(Lead),
    Blank(usize),
    Rule(Lead),
    Fence(Lead),
    /// Prose whose inline text starts at byte `from`.
    Prose {
        lead: Lead,
        what: What,
        from: usize,
    },
}

#[derive(Debug)]
struct Item {
    /// The source column of the marker.
    marker: usize,
    /// The screen column where the item's text starts (after the bullet).
    text: usize,
}

struct Code {
    fence: char,
    len: usize,
    indent: usize,
    quotes: usize,
    prefix: Vec<Seg>,
    highlighter: Option<Highlighter>,
}

struct Table {
    rows: Vec<String>,
    prefix: Vec<Seg>,
    /// Past [`TABLE_ROWS_MAX`] rows: each row is printed as it comes.
    raw: bool,
}

/// Sends inline text to the wrapper.
struct Flow<'a> {
    wrap: &'a mut Wrap,
    out: &'a mut Out,
}

impl Sink for Flow<'_> {
    fn text(&mut self, c: char, style: Sgr, link: Option<&std::sync::Arc<str>>) {
        self.wrap.text(c, style, link);
    }

    fn space(&mut self, style: Sgr) {
        self.wrap.space(style, self.out);
    }
}

/// The renderer's state between characters.
pub(super) struct Blocks {
    style: Style,
    pub out: Out,
    wrap: Wrap,
    inline: Inline,
    line: String,
    state: State,
    quotes: usize,
    lists: Vec<Item>,
    code: Option<Code>,
    table: Option<Table>,
    /// The previous line was blank / was prose (a paragraph may continue lazily).
    after_blank: bool,
    in_para: bool,
    /// A blank line (at this quote depth) to print before the next content.
    blank: Option<usize>,
}

impl Blocks {
    pub fn new(style: Style) -> Self {
        Self {
            style,
            out: Out {
                color: style.color,
                ..Out::default()
            },
            wrap: Wrap::new(style.width),
            inline: Inline::new(style.color, style.hyperlinks),
            line: String::new(),
            state: State::Start,
            quotes: 0,
            lists: Vec::new(),
            code: None,
            table: None,
            after_blank: false,
            in_para: false,
            blank: None,
        }
    }

    /// Changes the width for what is printed from now on.
    pub fn set_width(&mut self, width: usize) {
        self.style.width = width;
        self.wrap.set_width(width);
    }

    /// Takes one character of the reply (never `\r` or `\n`: see [`Blocks::newline`]).
    pub fn char(&mut self, c: char) {
        match self.state {
            State::Prose => {
                let Self {
                    inline, wrap, out, ..
                } = self;
                inline.feed(c, &mut Flow { wrap, out });
            }
            State::Whole => self.line.push(c),
            State::Start => {
                self.line.push(c);
                let kind = self.classify(false);
                self.apply(kind, false);
            }
        }
    }

    /// Ends the current source line.
    pub fn newline(&mut self) {
        match self.state {
            State::Prose => self.end_prose(),
            State::Start | State::Whole => {
                let kind = self.classify(true);
                self.apply(kind, true);
            }
        }
        self.line.clear();
        self.state = State::Start;
    }

    /// Ends the reply: prints what is held and forgets every open block, ready for another.
    pub fn finish(&mut self) {
        if self.state != State::Start || !self.line.is_empty() {
            self.newline();
        }
        self.flush_table();
        let (style, out) = (self.style, std::mem::take(&mut self.out.bytes));
        *self = Self::new(style);
        self.out.bytes = out;
    }

    fn classify(&self, complete: bool) -> Kind {
        if self.code.is_some() {
            return Kind::Code;
        }
        let lead = lead(&self.line);
        let rest = &self.line[lead.body..];
        let para = Kind::Prose {
            lead,
            what: What::Para,
            from: lead.body,
        };
        if !complete && self.line.len() > UNDECIDED_MAX {
            return para;
        }
        let Some(first) = rest.chars().next() else {
            return if complete {
                Kind::Blank(lead.quotes)
            } else {
                Kind::Wait
            };
        };
        let wait = |kind: Kind| if complete { kind } else { Kind::Wait };
        match first {
            '`' | '~' => {
                let n = rest.chars().take_while(|&c| c == first).count();
                if n < 3 {
                    return if n == rest.len() { wait(para) } else { para };
                }
                if !complete {
                    Kind::Hold { row: false }
                } else if first == '`' && rest[n..].contains('`') {
                    para
                } else {
                    Kind::Fence(lead)
                }
            }
            '#' => {
                let n = rest.bytes().take_while(|&b| b == b'#').count();
                let heading = Kind::Prose {
                    lead,
                    what: What::Heading(n),
                    from: lead.body,
                };
                match rest[n..].chars().next() {
                    _ if n > 6 => para,
                    None => wait(heading),
                    Some(' ' | '\t') => heading,
                    Some(_) => para,
                }
            }
            '|' if complete => Kind::Row(lead),
            '|' => Kind::Hold { row: true },
            '-' | '*' | '+' | '_' => {
                let only = rest.chars().all(|c| c == first || c == ' ' || c == '\t');
                if only && !complete {
                    return Kind::Wait;
                }
                if only && first != '+' && rest.chars().filter(|&c| c == first).count() >= 3 {
                    return Kind::Rule(lead);
                }
                let item = Kind::Prose {
                    lead,
                    what: What::Item { ordered: None },
                    from: lead.body + 1,
                };
                match rest[1..].chars().next() {
                    None | Some(' ' | '\t') if first != '_' => item,
                    _ => para,
                }
            }
            '0'..='9' => {
                let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
                if digits > 9 {
                    return para;
                }
                let mut after = rest[digits..].chars();
                match (after.next(), after.next()) {
                    (None, _) => wait(para),
                    (Some('.' | ')'), next) => {
                        // The delimiter is ASCII, so `..=digits` ends on a character boundary.
                        let ordered = Some(rest[..=digits].to_owned());
                        let item = Kind::Prose {
                            lead,
                            what: What::Item { ordered },
                            from: lead.body + digits + 1,
                        };
                        match next {
                            None => wait(item),
                            Some(' ' | '\t') => item,
                            Some(_) => para,
                        }
                    }
                    _ => para,
                }
            }
            _ => para,
        }
    }

    fn apply(&mut self, kind: Kind, complete: bool) {
        match kind {
            Kind::Wait => {}
            Kind::Code if complete => self.code_line(),
            Kind::Code => self.state = State::Whole,
            Kind::Hold { row } => {
                if !row {
                    self.flush_table();
                }
                self.state = State::Whole;
            }
            Kind::Row(lead) => self.row(lead),
            Kind::Blank(quotes) => {
                self.flush_table();
                self.blank.get_or_insert(quotes);
                (self.after_blank, self.in_para) = (true, false);
            }
            Kind::Rule(lead) => {
                self.flush_table();
                let col = self.enter(lead, false);
                self.flush_blank();
                let prefix = self.prefix(lead.quotes, col);
                let width = self.style.width.saturating_sub(width_of(&prefix)).max(3);
                self.out
                    .line(&[&prefix, &[Seg::new("─".repeat(width), DIM)]]);
                (self.after_blank, self.in_para) = (false, false);
            }
            Kind::Fence(lead) => {
                self.flush_table();
                self.fence(lead);
            }
            Kind::Prose { lead, what, from } => {
                self.flush_table();
                self.begin_prose(lead, what);
                self.feed_line(from);
                if complete {
                    self.end_prose();
                } else {
                    self.state = State::Prose;
                }
            }
        }
    }

    /// Applies a line's container markers: a change of quote depth ends the lists; a line
    /// that is not a lazy paragraph continuation ends the list items it is not indented
    /// under. Returns the screen column where the line's content goes.
    fn enter(&mut self, lead: Lead, lazy: bool) -> usize {
        if lead.quotes != self.quotes {
            self.lists.clear();
            self.quotes = lead.quotes;
        }
        if !lazy {
            while self
                .lists
                .last()
                .is_some_and(|item| lead.indent < item.marker + 2)
            {
                self.lists.pop();
            }
        }
        self.lists.last().map_or(0, |item| item.text)
    }

    fn prefix(&self, quotes: usize, col: usize) -> Vec<Seg> {
        let mut prefix = Vec::new();
        if quotes > 0 {
            prefix.push(Seg::new("│ ".repeat(quotes), DIM));
        }
        if col > 0 {
            prefix.push(Seg::new(" ".repeat(col), Sgr::new()));
        }
        prefix
    }

    fn flush_blank(&mut self) {
        if let Some(quotes) = self.blank.take()
            && self.out.lines > 0
        {
            let bars = if quotes > 0 {
                format!("{}│", "│ ".repeat(quotes - 1))
            } else {
                String::new()
            };
            self.out.line(&[&[Seg::new(bars, DIM)]]);
        }
    }

    fn begin_prose(&mut self, lead: Lead, what: What) {
        let lazy = matches!(what, What::Para) && self.in_para && !self.after_blank;
        let col = self.enter(lead, lazy);
        self.flush_blank();
        let mut base = Sgr::new();
        let (first, cont) = match what {
            What::Para => (self.prefix(lead.quotes, col), self.prefix(lead.quotes, col)),
            What::Heading(level) => {
                base = match level {
                    1 => base.bold().underline().fg_color(MAGENTA),
                    2 => base.bold().fg_color(MAGENTA),
                    _ => base.bold(),
                };
                (self.prefix(lead.quotes, col), self.prefix(lead.quotes, col))
            }
            What::Item { ordered } => {
                let marker =
                    ordered.unwrap_or_else(|| BULLETS[self.lists.len() % BULLETS.len()].to_owned());
                let text = col + width_of(&[Seg::new(marker.as_str(), Sgr::new())]) + 1;
                self.lists.push(Item {
                    marker: lead.indent,
                    text,
                });
                let mut first = self.prefix(lead.quotes, col);
                first.push(Seg::new(marker + " ", Sgr::new()));
                (first, self.prefix(lead.quotes, text))
            }
        };
        self.wrap.start(first, cont);
        self.inline.start(base);
    }

    fn feed_line(&mut self, from: usize) {
        let Self {
            line,
            inline,
            wrap,
            out,
            ..
        } = self;
        let mut flow = Flow { wrap, out };
        for c in line[from..].chars() {
            inline.feed(c, &mut flow);
        }
    }

    fn end_prose(&mut self) {
        let Self {
            inline, wrap, out, ..
        } = self;
        inline.end(&mut Flow { wrap, out });
        // An empty list item opens no paragraph for the next line to continue.
        let had_words = wrap.end(out);
        (self.after_blank, self.in_para) = (false, had_words);
    }
}

#[cfg(test)]
mod tests;
