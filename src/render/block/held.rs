//! The blocks held before they print: fenced code (a line at a time, for the highlighter)
//! and tables (every row, for the columns).

use super::*;

impl Blocks {
    pub(super) fn fence(&mut self, lead: Lead) {
        let col = self.enter(lead, false);
        self.flush_blank();
        let rest = &self.line[lead.body..];
        let fence = rest.chars().next().unwrap_or('`');
        let len = rest.chars().take_while(|&c| c == fence).count();
        // "```rust", "``` rust,ignore", "```{.python}": the first word names the language.
        let lang = rest[len..]
            .trim()
            .trim_start_matches(['{', '.'])
            .split(|c: char| c.is_whitespace() || matches!(c, ',' | '}'))
            .next()
            .unwrap_or_default();
        let highlighter = match self.style.color && !lang.is_empty() {
            true => Highlighter::new(lang, self.style.theme),
            false => None,
        };
        let prefix = self.prefix(lead.quotes, col);
        let mut segs = Vec::new();
        push_code(&mut segs, rest.trim_end(), DIM);
        self.out.line(&[&prefix, &segs]);
        self.code = Some(Code {
            fence,
            len,
            indent: lead.indent,
            quotes: lead.quotes,
            prefix,
            highlighter,
        });
        (self.after_blank, self.in_para) = (false, false);
    }

    pub(super) fn code_line(&mut self) {
        let Self {
            code: slot,
            line,
            out,
            ..
        } = self;
        let Some(code) = slot else { return };
        let text = strip_indent(strip_quotes(line, code.quotes), code.indent);
        let close = text.trim_start();
        let n = close.chars().take_while(|&c| c == code.fence).count();
        if n >= code.len && close[n..].trim().is_empty() {
            let mut segs = Vec::new();
            push_code(&mut segs, close.trim_end(), DIM);
            out.line(&[&code.prefix, &segs]);
            *slot = None;
            return;
        }
        let mut segs = Vec::new();
        if text.len() > HIGHLIGHT_LINE_MAX {
            code.highlighter = None;
        }
        if let Some(highlighter) = &mut code.highlighter {
            let mut with_newline = String::with_capacity(text.len() + 1);
            with_newline.push_str(text);
            with_newline.push('\n');
            if !highlighter.line(&with_newline, &mut segs) {
                segs.clear();
                code.highlighter = None;
            }
        }
        if code.highlighter.is_none() {
            push_code(&mut segs, text, Sgr::new());
        }
        out.line(&[&code.prefix, &segs]);
    }

    pub(super) fn row(&mut self, lead: Lead) {
        if self.table.is_none() {
            let col = self.enter(lead, false);
            self.flush_blank();
            let prefix = self.prefix(lead.quotes, col);
            self.table = Some(Table {
                rows: Vec::new(),
                prefix,
                raw: false,
            });
        }
        let text = self.line[lead.body..].trim_end();
        let Self {
            table: Some(table),
            out,
            ..
        } = self
        else {
            return;
        };
        if table.raw {
            raw_row(out, &table.prefix, text);
        } else {
            table.rows.push(text.to_owned());
            if table.rows.len() >= TABLE_ROWS_MAX {
                for row in table.rows.drain(..) {
                    raw_row(out, &table.prefix, &row);
                }
                table.raw = true;
            }
        }
        (self.after_blank, self.in_para) = (false, false);
    }

    pub(super) fn flush_table(&mut self) {
        let Some(table) = self.table.take() else {
            return;
        };
        let width = self.style.width.saturating_sub(width_of(&table.prefix));
        match table::layout(&table.rows, width, self.style.color, self.style.hyperlinks) {
            Layout::Grid(lines) => {
                for line in lines {
                    self.out.line(&[&table.prefix, &line]);
                }
            }
            Layout::TooWide => {
                for row in &table.rows {
                    raw_row(&mut self.out, &table.prefix, row);
                }
            }
            Layout::NotATable => {
                for row in &table.rows {
                    self.wrap.start(table.prefix.clone(), table.prefix.clone());
                    self.inline.start(Sgr::new());
                    let Self {
                        inline, wrap, out, ..
                    } = self;
                    let mut flow = Flow { wrap, out };
                    for c in row.chars() {
                        inline.feed(c, &mut flow);
                    }
                    self.end_prose();
                }
            }
        }
    }
}

fn raw_row(out: &mut Out, prefix: &[Seg], row: &str) {
    let mut segs = Vec::new();
    push_code(&mut segs, row, Sgr::new());
    out.line(&[prefix, &segs]);
}
