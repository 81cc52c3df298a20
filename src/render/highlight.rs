//! Syntax highlighting of fenced code, one line at a time, with syntect and two-face's
//! syntax and theme dumps.
//!
//! Nothing here runs until a code block names a language with colour on: the syntax set
//! and the themes sit in `LazyLock`s, and syntect compiles each syntax's regexes only when
//! that syntax is first used. `qwen --version` and every command that does not render
//! never touch them.

use std::sync::LazyLock;

use anstyle::{Ansi256Color, Color, RgbColor, Style as Sgr};
use syntect::easy::HighlightLines;
use syntect::highlighting::{self, FontStyle};
use syntect::parsing::SyntaxSet;
use two_face::theme::{EmbeddedLazyThemeSet, EmbeddedThemeName};

use super::Theme;
use super::layout::{Seg, push_code};

/// bat's curated syntaxes (TypeScript, TOML, Dockerfile, … beyond syntect's defaults),
/// in the "newlines" flavour: lines are highlighted with their `\n`.
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);
/// bat's themes; each one is decompressed the first time it is asked for.
static THEMES: LazyLock<EmbeddedLazyThemeSet> = LazyLock::new(two_face::theme::extra);

/// Loads the syntaxes and `theme` now, so that the first code block does not wait for them.
pub(super) fn warm_up(theme: Theme) {
    LazyLock::force(&SYNTAXES);
    THEMES.get(theme_name(theme));
}

fn theme_name(theme: Theme) -> EmbeddedThemeName {
    match theme {
        Theme::Ansi => EmbeddedThemeName::Ansi,
        Theme::Dark => EmbeddedThemeName::OneHalfDark,
        Theme::Light => EmbeddedThemeName::OneHalfLight,
    }
}

/// Names that models write after a fence but that no syntax lists as a name or extension.
fn alias(lang: &str) -> &str {
    match lang.to_ascii_lowercase().as_str() {
        "shell" | "console" | "shell-session" | "zsh" | "sh" => "bash",
        "c++" => "cpp",
        "golang" => "go",
        "jsonc" | "json5" => "json",
        "py3" | "python3" => "py",
        _ => lang,
    }
}

/// Highlights the lines of one code block.
pub(super) struct Highlighter {
    lines: HighlightLines<'static>,
}

impl Highlighter {
    /// Returns a highlighter for the fence's language, or `None` when no syntax knows it.
    pub fn new(lang: &str, theme: Theme) -> Option<Self> {
        let syntax = SYNTAXES.find_syntax_by_token(alias(lang))?;
        let theme: &'static highlighting::Theme = THEMES.get(theme_name(theme));
        Some(Self {
            lines: HighlightLines::new(syntax, theme),
        })
    }

    /// Appends `line` (which ends with `\n`) highlighted, without its `\n`; returns false
    /// when syntect fails, and the caller prints the rest of the block plain.
    pub fn line(&mut self, line: &str, segs: &mut Vec<Seg>) -> bool {
        let Ok(ranges) = self.lines.highlight_line(line, &SYNTAXES) else {
            return false;
        };
        for (style, text) in ranges {
            let text = text.strip_suffix('\n').unwrap_or(text);
            if !text.is_empty() {
                push_code(segs, text, sgr(style));
            }
        }
        true
    }
}

/// Converts a theme style to SGR. bat's terminal themes (`ansi`, `base16`) encode a
/// palette index in red with alpha 0, and "the terminal's own colour" as alpha 1; the
/// others are 24-bit colours. Backgrounds are left to the terminal.
fn sgr(style: highlighting::Style) -> Sgr {
    let c = style.foreground;
    let fg = match c.a {
        0 => Some(
            Ansi256Color(c.r)
                .into_ansi()
                .map_or(Color::Ansi256(Ansi256Color(c.r)), Color::Ansi),
        ),
        1 => None,
        _ => Some(Color::Rgb(RgbColor(c.r, c.g, c.b))),
    };
    let mut sgr = Sgr::new().fg_color(fg);
    if style.font_style.contains(FontStyle::BOLD) {
        sgr = sgr.bold();
    }
    if style.font_style.contains(FontStyle::ITALIC) {
        sgr = sgr.italic();
    }
    if style.font_style.contains(FontStyle::UNDERLINE) {
        sgr = sgr.underline();
    }
    sgr
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_fence_names_find_a_syntax() {
        for lang in [
            "rust",
            "rs",
            "python",
            "py",
            "bash",
            "sh",
            "shell",
            "console",
            "js",
            "ts",
            "typescript",
            "json",
            "toml",
            "yaml",
            "c++",
            "go",
            "golang",
            "sql",
            "Dockerfile",
            "diff",
        ] {
            assert!(
                Highlighter::new(lang, Theme::Ansi).is_some(),
                "no syntax for `{lang}`"
            );
        }
        assert!(Highlighter::new("no-such-language", Theme::Ansi).is_none());
    }

    #[test]
    fn palette_and_default_colours_stay_terminal_colours() {
        let fg = |r, g, b, a| {
            let style = highlighting::Style {
                foreground: highlighting::Color { r, g, b, a },
                ..highlighting::Style::default()
            };
            sgr(style).get_fg_color()
        };
        assert_eq!(fg(2, 0, 0, 0), Some(Color::Ansi(anstyle::AnsiColor::Green)));
        assert_eq!(fg(208, 0, 0, 0), Some(Color::Ansi256(Ansi256Color(208))));
        assert_eq!(fg(1, 2, 3, 1), None);
        assert_eq!(fg(1, 2, 3, 255), Some(Color::Rgb(RgbColor(1, 2, 3))));
    }
}
