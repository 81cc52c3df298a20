//! Where a model's reasoning goes in text mode, and how it is told apart from the reply on
//! stderr: dimmed with colours, each line marked with `› ` without them.

use std::io::{self, Write};

/// Where reasoning goes in text mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Thinking {
    /// Not shown.
    Hide,
    /// Shown on stderr; dimmed when `dim`.
    Show {
        /// Wrap in ANSI dim.
        dim: bool,
        /// Start each line with [`REASONING_MARK`]: for a terminal without colours
        /// (`NO_COLOR`), where dim cannot tell reasoning from the reply.
        mark: bool,
    },
}

/// What starts each line of reasoning on a terminal without colours.
pub const REASONING_MARK: &str = "› ";

impl Thinking {
    /// Writes a piece of reasoning to stderr as this says, if it says to show it; `open`
    /// says whether the last piece left a line unfinished, and is updated.
    pub fn show(self, text: &str, open: &mut bool) {
        let Thinking::Show { dim, mark } = self else {
            return;
        };
        // The model's text must not drive the terminal it is shown on.
        let text = crate::term::printable_lines(text);
        let text = if mark {
            std::borrow::Cow::Owned(marked(&text, !*open))
        } else {
            text
        };
        let mut err = io::stderr().lock();
        // Reasoning is for a person; a closed stderr must not fail the reply.
        let _ = if dim {
            write!(err, "\x1b[2m{text}\x1b[0m")
        } else {
            write!(err, "{text}")
        };
        if !text.is_empty() {
            *open = !text.ends_with('\n');
        }
    }
}

/// Starts each line of `text` with [`REASONING_MARK`], the first one only if `at_start`.
fn marked(text: &str, at_start: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut at_start = at_start;
    for line in text.split_inclusive('\n') {
        if at_start {
            out.push_str(REASONING_MARK);
        }
        out.push_str(line);
        at_start = line.ends_with('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasoning_lines_are_marked_however_they_are_cut() {
        assert_eq!(marked("one\ntwo", true), "› one\n› two");
        assert_eq!(marked(" more\n", false), " more\n");
        assert_eq!(marked("", true), "");
        // Pieces in turn, as they stream.
        let mut open = false;
        let mut shown = String::new();
        for piece in ["Let me", " think.\nSo", "\n", "done"] {
            shown.push_str(&marked(piece, !open));
            open = !piece.ends_with('\n');
        }
        assert_eq!(shown, "› Let me think.\n› So\n› done");
    }
}
