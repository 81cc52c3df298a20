//! When a reply on stdout is drawn as Markdown (`--render`, config `render`), and how: the
//! one decision every command that prints a reply (and the interactive loop, and a shown
//! transcript) asks for, through [`reply_style`].
//!
//! `auto` renders only when stdout is a terminal, so pipes and files get the model's bytes
//! untouched; `always` renders into a pipe too (for `| less -R`); `never` never renders.
//! JSON and JSONL are data and never rendered. `NO_COLOR` (or `TERM=dumb`) keeps the layout
//! and drops the colours.

use std::io::{self, IsTerminal};

use super::Format;
use crate::render::{Style, Theme};

/// When replies are rendered as Markdown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RenderMode {
    /// When stdout is a terminal.
    #[default]
    Auto,
    /// Even into a pipe or a file.
    Always,
    /// Never: the model's text as it arrives.
    Never,
}

impl RenderMode {
    /// Reads a mode's name (`auto`, `always`, `never`, in any case), as `render = "…"`.
    pub fn parse(name: &str) -> Option<RenderMode> {
        [
            ("auto", RenderMode::Auto),
            ("always", RenderMode::Always),
            ("never", RenderMode::Never),
        ]
        .into_iter()
        .find_map(|(known, mode)| known.eq_ignore_ascii_case(name).then_some(mode))
    }
}

/// Returns how to render a reply written to stdout in `format`, or `None` to write it as
/// it came.
pub fn reply_style(mode: RenderMode, format: Format) -> Option<Style> {
    let stdout = io::stdout();
    let terminal = stdout.is_terminal();
    let render = match mode {
        RenderMode::Never => false,
        RenderMode::Auto => terminal,
        RenderMode::Always => true,
    };
    if !render || format != Format::Text {
        return None;
    }
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    let color = var("NO_COLOR").is_none() && var("TERM").is_none_or(|t| t != "dumb");
    // A pty that reports 0×0 columns counts as unknown, as does a pipe: then `COLUMNS`,
    // else 80.
    let width = terminal_size::terminal_size_of(&stdout)
        .map(|(terminal_size::Width(w), _)| usize::from(w))
        .or_else(|| {
            std::env::var("COLUMNS")
                .ok()
                .and_then(|c| c.trim().parse().ok())
        })
        .filter(|w| *w > 0)
        .unwrap_or(80);
    Some(Style {
        color,
        width,
        hyperlinks: false,
        theme: Theme::Ansi,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_parse_in_any_case() {
        assert_eq!(RenderMode::parse("Always"), Some(RenderMode::Always));
        assert_eq!(RenderMode::parse("never"), Some(RenderMode::Never));
        assert_eq!(RenderMode::parse("auto"), Some(RenderMode::Auto));
        assert_eq!(RenderMode::parse("sometimes"), None);
    }

    #[test]
    fn machine_formats_are_never_rendered() {
        for format in [Format::Jsonl, Format::Json] {
            assert_eq!(reply_style(RenderMode::Always, format), None);
        }
        assert_eq!(reply_style(RenderMode::Never, Format::Text), None);
        assert!(reply_style(RenderMode::Always, Format::Text).is_some());
    }
}
