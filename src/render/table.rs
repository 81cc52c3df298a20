//! GFM tables, laid out once the whole table has arrived: cells parsed with the inline
//! parser, columns as wide as their widest cell, a box-drawing grid.

use std::sync::Arc;

use anstyle::Style as Sgr;

use super::inline::{Inline, Sink};
use super::layout::{Seg, push_safe};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Align {
    Left,
    Center,
    Right,
}

/// What became of a buffered run of `|` lines.
#[derive(Debug)]
pub(super) enum Layout {
    /// The table as grid lines.
    Grid(Vec<Vec<Seg>>),
    /// A table, but wider than the screen: its rows are printed as written.
    TooWide,
    /// No delimiter row under the first line: the lines are prose.
    NotATable,
}

/// Splits a table row into its cells: outer pipes dropped, `\|` kept for the inline parser
/// to unescape.
fn cells(row: &str) -> Vec<&str> {
    let row = row.trim();
    let row = row.strip_prefix('|').unwrap_or(row);
    let mut cells = Vec::new();
    if row.is_empty() {
        return cells;
    }
    let (mut start, mut escaped) = (0, false);
    for (i, c) in row.char_indices() {
        match c {
            '|' if !escaped => {
                cells.push(row[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
        escaped = !escaped && c == '\\';
    }
    let last = row[start..].trim();
    // A row that ends with a pipe has no cell after it.
    if !last.is_empty() || !row.ends_with('|') {
        cells.push(last);
    }
    cells
}

fn alignment(cell: &str) -> Option<Align> {
    let inner = cell.strip_prefix(':').unwrap_or(cell);
    let inner = inner.strip_suffix(':').unwrap_or(inner);
    if inner.is_empty() || !inner.bytes().all(|b| b == b'-') {
        return None;
    }
    Some(
        match (cell.starts_with(':'), cell.ends_with(':') && cell.len() > 1) {
            (true, true) => Align::Center,
            (false, true) => Align::Right,
            _ => Align::Left,
        },
    )
}

/// Collects one cell's inline text on one line.
#[derive(Default)]
struct Cell {
    segs: Vec<Seg>,
    width: usize,
    space: Option<Sgr>,
}

impl Sink for Cell {
    fn text(&mut self, c: char, style: Sgr, link: Option<&Arc<str>>) {
        if let Some(space) = self.space.take() {
            self.width += push_safe(&mut self.segs, ' ', space, None);
        }
        self.width += push_safe(&mut self.segs, c, style, link);
    }

    fn space(&mut self, style: Sgr) {
        if !self.segs.is_empty() && self.space.is_none() {
            self.space = Some(style);
        }
    }
}

fn render_cell(text: &str, inline: &mut Inline, base: Sgr) -> Cell {
    let mut cell = Cell::default();
    inline.start(base);
    for c in text.chars() {
        inline.feed(c, &mut cell);
    }
    inline.end(&mut cell);
    cell
}

/// Lays out `rows` (the source lines, container prefixes removed) in at most `width`
/// columns.
pub(super) fn layout(rows: &[String], width: usize, color: bool, hyperlinks: bool) -> Layout {
    let [head, delim, body @ ..] = rows else {
        return Layout::NotATable;
    };
    let head = cells(head);
    let aligns: Option<Vec<Align>> = cells(delim).into_iter().map(alignment).collect();
    let Some(aligns) = aligns.filter(|a| a.len() == head.len()) else {
        return Layout::NotATable;
    };
    let grid = if color {
        Sgr::new().dimmed()
    } else {
        Sgr::new()
    };
    let bold = if color { Sgr::new().bold() } else { Sgr::new() };
    let mut inline = Inline::new(color, hyperlinks);
    let mut table: Vec<Vec<Cell>> = Vec::with_capacity(rows.len() - 1);
    table.push(
        head.iter()
            .map(|t| render_cell(t, &mut inline, bold))
            .collect(),
    );
    for row in body {
        let mut texts = cells(row);
        // GFM: missing cells are empty, extra ones are dropped.
        texts.resize(aligns.len(), "");
        table.push(
            texts
                .iter()
                .map(|t| render_cell(t, &mut inline, Sgr::new()))
                .collect(),
        );
    }
    let widths: Vec<usize> = (0..aligns.len())
        .map(|col| table.iter().map(|row| row[col].width).max().unwrap_or(0))
        .collect();
    if widths.iter().sum::<usize>() + 3 * widths.len() + 1 > width {
        return Layout::TooWide;
    }
    let border = |left: &str, mid: &str, right: &str| {
        let inner: Vec<String> = widths.iter().map(|w| "─".repeat(w + 2)).collect();
        vec![Seg::new(format!("{left}{}{right}", inner.join(mid)), grid)]
    };
    let mut lines = vec![border("┌", "┬", "┐")];
    for (i, row) in table.into_iter().enumerate() {
        let mut line = vec![Seg::new("│", grid)];
        for ((cell, w), align) in row.into_iter().zip(&widths).zip(&aligns) {
            let pad = w - cell.width;
            let (before, after) = match align {
                Align::Left => (0, pad),
                Align::Right => (pad, 0),
                Align::Center => (pad / 2, pad - pad / 2),
            };
            line.push(Seg::new(" ".repeat(before + 1), Sgr::new()));
            line.extend(cell.segs);
            line.push(Seg::new(" ".repeat(after + 1), Sgr::new()));
            line.push(Seg::new("│", grid));
        }
        lines.push(line);
        if i == 0 {
            lines.push(border("├", "┼", "┤"));
        }
    }
    lines.push(border("└", "┴", "┘"));
    Layout::Grid(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Vec<Seg>]) -> String {
        lines
            .iter()
            .map(|l| l.iter().map(|s| s.text.as_str()).collect::<String>() + "\n")
            .collect()
    }

    fn rows(src: &str) -> Vec<String> {
        src.lines().map(str::to_owned).collect()
    }

    #[test]
    fn cells_split_on_unescaped_pipes() {
        assert_eq!(cells("| a | b |"), ["a", "b"]);
        assert_eq!(cells("a | b"), ["a", "b"]);
        assert_eq!(cells(r"| a \| b | c |"), [r"a \| b", "c"]);
        assert_eq!(cells("| a | |"), ["a", ""]);
        assert_eq!(cells("|"), Vec::<&str>::new());
    }

    #[test]
    fn columns_fit_their_widest_cell_and_honour_alignment() {
        let src = "| Name | Qty | Note |\n|:-----|----:|:----:|\n| apple | 3 | ok |\n| kiwi | 12 | ripe fruit |";
        let Layout::Grid(lines) = layout(&rows(src), 80, false, false) else {
            panic!("not a grid")
        };
        assert_eq!(
            text(&lines),
            "\
┌───────┬─────┬────────────┐
│ Name  │ Qty │    Note    │
├───────┼─────┼────────────┤
│ apple │   3 │     ok     │
│ kiwi  │  12 │ ripe fruit │
└───────┴─────┴────────────┘
"
        );
    }

    #[test]
    fn cell_markup_is_rendered_and_measured_as_shown() {
        let src = "| a | b |\n|---|---|\n| **x** | `y` |\n| 漢字 | \u{1b} |";
        let Layout::Grid(lines) = layout(&rows(src), 80, true, false) else {
            panic!("not a grid")
        };
        let shown = text(&lines);
        assert!(shown.contains("│ x    │ y      │"), "{shown}");
        assert!(shown.contains("│ 漢字 │ \\u{1b} │"), "{shown}");
    }

    #[test]
    fn short_rows_are_padded_and_long_rows_cut() {
        let src = "| a | b |\n| - | - |\n| 1 |\n| 1 | 2 | 3 |";
        let Layout::Grid(lines) = layout(&rows(src), 80, false, false) else {
            panic!("not a grid")
        };
        assert_eq!(text(&lines[3..5]), "│ 1 │   │\n│ 1 │ 2 │\n");
    }

    #[test]
    fn too_wide_or_without_delimiter_row_is_not_a_grid() {
        let wide = format!("| {} | b |\n|---|---|", "x".repeat(40));
        assert!(matches!(
            layout(&rows(&wide), 40, false, false),
            Layout::TooWide
        ));
        assert!(matches!(
            layout(&rows(&wide), 80, false, false),
            Layout::Grid(_)
        ));
        assert!(matches!(
            layout(&rows("| a | b |\n| c | d |"), 80, false, false),
            Layout::NotATable
        ));
        assert!(matches!(
            layout(&rows("| a | b |\n|---|"), 80, false, false),
            Layout::NotATable
        ));
        assert!(matches!(
            layout(&rows("| a |"), 80, false, false),
            Layout::NotATable
        ));
    }
}
