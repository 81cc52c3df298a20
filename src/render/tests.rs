//! Tests of the renderer as a whole: snapshots of a fixed reply corpus
//! (tests/fixtures/render/*.md) at 80 columns with and without colour, escapes shown as
//! `␛` so the snapshots can be reviewed; awkward chunking; and properties that hold for
//! any reply: chunking never changes a byte, and nothing but our own SGR and OSC 8
//! sequences reaches the terminal.

use proptest::prelude::*;

use super::*;

fn style(color: bool, width: usize) -> Style {
    Style {
        color,
        width,
        ..Style::default()
    }
}

fn render(text: &str, style: Style) -> Vec<u8> {
    let mut out = Vec::new();
    render_all(text, style, &mut out).expect("a Vec never fails");
    out
}

/// Renders `text` pushed as bytes, cut at each of `cuts` (byte offsets, in order).
fn render_cut(text: &[u8], cuts: &[usize], style: Style) -> Vec<u8> {
    let mut stream = MarkdownStream::new(Vec::new(), style);
    let mut start = 0;
    for &cut in cuts.iter().chain([text.len()].iter()) {
        let cut = cut.clamp(start, text.len());
        stream
            .push_bytes(&text[start..cut])
            .expect("a Vec never fails");
        start = cut;
    }
    stream.finish().expect("a Vec never fails");
    stream.into_inner()
}

fn shown(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec())
        .expect("the renderer writes UTF-8")
        .replace('\u{1b}', "␛")
}

/// Checks that the only escape sequences in `bytes` are SGR (`ESC [ digits/; m`) and OSC 8
/// (`ESC ] 8 ; ; printable-ASCII ESC \`), and that no other control character, C1 control
/// or bidi override is in it (line feeds and, in code, tabs excepted).
fn assert_only_own_escapes(bytes: &[u8]) {
    let text = std::str::from_utf8(bytes).expect("the renderer writes UTF-8");
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '\n' | '\t' => {}
            '\u{1b}' => {
                let rest = &text[at + 1..];
                let len = if let Some(sgr) = rest.strip_prefix('[') {
                    let params = sgr
                        .bytes()
                        .take_while(|b| b.is_ascii_digit() || *b == b';')
                        .count();
                    assert_eq!(
                        sgr.as_bytes().get(params),
                        Some(&b'm'),
                        "not an SGR at {at}: {:?}",
                        shown(bytes)
                    );
                    params + 2
                } else if let Some(osc) = rest.strip_prefix("]8;;") {
                    let url = osc.bytes().take_while(u8::is_ascii_graphic).count();
                    assert!(
                        osc[url..].starts_with("\u{1b}\\"),
                        "unterminated OSC 8 at {at}: {:?}",
                        shown(bytes)
                    );
                    4 + url + 2
                } else {
                    panic!("foreign escape at {at}: {:?}", shown(bytes));
                };
                for _ in 0..len {
                    chars.next();
                }
            }
            c => assert!(
                !layout::is_unsafe(c),
                "raw {c:?} at {at}: {:?}",
                shown(bytes)
            ),
        }
    }
}

macro_rules! corpus {
    ($($name:ident),* $(,)?) => {$(
        #[test]
        fn $name() {
            let text = include_str!(concat!("../../tests/fixtures/render/", stringify!($name), ".md"));
            let plain = render(text, style(false, 80));
            let color = render(text, style(true, 80));
            assert_only_own_escapes(&color);
            assert!(!plain.contains(&0x1b), "escape codes without colour");
            insta::assert_snapshot!(concat!(stringify!($name), "_plain"), shown(&plain));
            insta::assert_snapshot!(concat!(stringify!($name), "_color"), shown(&color));
        }
    )*};
}

corpus!(
    headings, lists, quotes, links, tables, code, unclosed, bench
);

/// Control characters a model might send, in prose, code, a table cell and a link.
const HOSTILE: &str = "Clear screen: \u{1b}[2J and a title: \u{1b}]0;pwned\u{7} and a bell: \u{7}.\n\
    A C1 CSI: \u{9b}31mred? A bidi override: \u{202e}reversed\u{202c} text. NUL: \u{0}, DEL: \u{7f}.\n\
    A carriage return alone:\rovertyped\n\
    \n\
    ```sh\n\
    echo \"\u{1b}[31mred\u{1b}[0m\"\ttab\n\
    ```\n\
    \n\
    | cell | \u{1b}[2J |\n\
    |---|---|\n\
    | x | \u{9b}y |\n\
    \n\
    [link](https://example.com/\u{1b}]8;;evil) and `co\u{1b}de` and [ok](https://e.com)\n";

#[test]
fn control_characters_in_replies_are_escaped() {
    let plain = render(HOSTILE, style(false, 80));
    assert_only_own_escapes(&plain);
    assert!(!plain.contains(&0x1b), "an escape without colour");
    let color = render(HOSTILE, style(true, 80));
    assert_only_own_escapes(&color);
    let linked = render(
        HOSTILE,
        Style {
            hyperlinks: true,
            ..style(true, 80)
        },
    );
    assert_only_own_escapes(&linked);
    insta::assert_snapshot!("hostile_plain", shown(&plain));
    insta::assert_snapshot!("hostile_color", shown(&color));
    insta::assert_snapshot!("hostile_hyperlinks", shown(&linked));
}

/// A code block cut inside its fence markers, inside multi-byte characters and between
/// `\r` and `\n`, as an SSE stream may well deliver it.
#[test]
fn a_code_block_split_at_awkward_points() {
    let reply =
        "Before:\r\n```rust\r\nlet s = \"héllo → 世界\";\r\n// done\r\n```\r\nAfter.".as_bytes();
    let at = |needle: &str, plus: usize| {
        reply
            .windows(needle.len())
            .position(|w| w == needle.as_bytes())
            .expect("needle")
            + plus
    };
    let cuts = [
        at("\r\n```rust", 1),  // between \r and \n
        at("```rust", 1),      // inside the opening fence marker
        at("```rust", 2),      //   … twice
        at("```rust", 5),      // inside the language name
        at("é", 1),            // inside a two-byte character
        at("→", 1),            // inside a three-byte character
        at("→", 2),            //   … twice
        at("界", 2),           // inside another
        at("\r\n// done", 1),  // between \r and \n again
        at("```\r\nAfter", 2), // inside the closing fence
        at("```\r\nAfter", 4), // between its \r and \n
    ];
    for color in [false, true] {
        let whole = render(std::str::from_utf8(reply).expect("UTF-8"), style(color, 80));
        // Every cut at once, and each cut alone.
        assert_eq!(
            shown(&render_cut(reply, &cuts, style(color, 80))),
            shown(&whole)
        );
        for cut in cuts {
            assert_eq!(
                shown(&render_cut(reply, &[cut], style(color, 80))),
                shown(&whole),
                "cut at {cut}"
            );
        }
        // Byte by byte.
        let every: Vec<usize> = (1..reply.len()).collect();
        assert_eq!(
            shown(&render_cut(reply, &every, style(color, 80))),
            shown(&whole)
        );
        if color {
            insta::assert_snapshot!("awkward_color", shown(&whole));
        } else {
            insta::assert_snapshot!("awkward_plain", shown(&whole));
        }
    }
}

#[test]
fn prose_appears_line_by_line_before_its_paragraph_ends() {
    let mut stream = MarkdownStream::new(Vec::new(), style(false, 40));
    let words = "word ".repeat(30);
    stream.push(&words).unwrap();
    // 30 words of 4 letters wrap at 40 columns into lines of 8; three lines are complete.
    let shown_so_far = String::from_utf8(stream.get_ref().clone()).unwrap();
    assert_eq!(
        shown_so_far,
        format!("{}\n", ["word"; 8].join(" ")).repeat(3)
    );
    stream.finish().unwrap();
    assert!(
        String::from_utf8(stream.into_inner())
            .unwrap()
            .ends_with("word word word word word word\n")
    );
}

#[test]
fn code_lines_appear_as_they_arrive_and_tables_when_complete() {
    let mut stream = MarkdownStream::new(Vec::new(), style(false, 80));
    stream.push("```rust\nfn a() {}\nfn b()").unwrap();
    assert_eq!(stream.get_ref().as_slice(), b"```rust\nfn a() {}\n");
    stream
        .push(" {}\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
        .unwrap();
    // The table waits for its end; the blank line before it is out.
    let before_table = stream.get_ref().len();
    assert!(String::from_utf8_lossy(stream.get_ref()).ends_with("fn b() {}\n```\n\n"));
    stream.push("\nafter").unwrap();
    let out = String::from_utf8(stream.get_ref().clone()).unwrap();
    assert!(out.len() > before_table);
    // The blank line after it is out too: "after" has started.
    assert!(
        out.ends_with("\n\n┌───┬───┐\n│ a │ b │\n├───┼───┤\n│ 1 │ 2 │\n└───┴───┘\n\n"),
        "{out}"
    );
    stream.finish().unwrap();
    assert!(
        String::from_utf8(stream.into_inner())
            .unwrap()
            .ends_with("└───┴───┘\n\nafter\n")
    );
}

#[test]
fn long_tables_give_up_the_grid_and_stream_their_rows() {
    let mut reply = String::from("| n | square |\n|---|---|\n");
    for n in 0..250 {
        reply.push_str(&format!("| {n} | {} |\n", n * n));
    }
    let mut stream = MarkdownStream::new(Vec::new(), style(false, 80));
    stream.push(&reply).unwrap();
    let out = String::from_utf8(stream.get_ref().clone()).unwrap();
    // Nothing waits for the end of the table: every row is already out, as written.
    assert_eq!(out.lines().count(), 252);
    assert!(out.starts_with("| n | square |\n|---|---|\n| 0 | 0 |\n"));
    assert!(!out.contains('┌'));
    assert_eq!(block::TABLE_ROWS_MAX, 200);
}

#[test]
fn a_very_long_code_line_ends_highlighting_for_its_block() {
    let long = format!("let x = [{}];", "1, ".repeat(2000));
    let reply = format!("```rust\nlet a = 1;\n{long}\nlet b = 2;\n```\n```rust\nlet c = 3;\n```");
    let out = shown(&render(&reply, style(true, 80)));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[1], "␛[35mlet␛[0m a ␛[35m=␛[0m ␛[33m1␛[0m;");
    assert_eq!(lines[2], long);
    assert_eq!(lines[3], "let b = 2;");
    assert_eq!(lines[6], "␛[35mlet␛[0m c ␛[35m=␛[0m ␛[33m3␛[0m;");
}

#[test]
fn interrupt_prints_what_was_held_resets_and_starts_over() {
    let mut stream = MarkdownStream::new(Vec::new(), style(true, 80));
    stream.push("```rust\nlet x = 1;\nlet y").unwrap();
    stream.interrupt().unwrap();
    stream.push("**after**").unwrap();
    stream.finish().unwrap();
    // The held code line is printed, the style reset, and the next reply is prose again
    // (not code: the block was closed).
    assert_eq!(
        shown(&stream.into_inner()),
        "␛[2m```rust␛[0m\n␛[35mlet␛[0m x ␛[35m=␛[0m ␛[33m1␛[0m;\n␛[35mlet␛[0m y\n␛[0m␛[1mafter␛[0m\n"
    );
}

#[test]
fn interrupt_mid_character_drops_it() {
    let mut stream = MarkdownStream::new(Vec::new(), style(false, 80));
    stream.push_bytes(&"ok é".as_bytes()[..4]).unwrap();
    stream.interrupt().unwrap();
    assert_eq!(stream.into_inner(), b"ok\n");
}

#[test]
fn a_new_width_applies_to_the_lines_that_follow() {
    let mut stream = MarkdownStream::new(Vec::new(), style(false, 80));
    stream.push(&"word ".repeat(10)).unwrap();
    stream.set_width(20);
    stream
        .push(&format!("{}\n---\n", "word ".repeat(10)))
        .unwrap();
    stream.finish().unwrap();
    let out = String::from_utf8(stream.into_inner()).unwrap();
    // Words placed before the resize keep their line; the rest wraps at 20.
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], ["word"; 10].join(" "));
    assert!(lines[1..].iter().all(|l| l.chars().count() <= 20), "{out}");
    assert_eq!(lines.last(), Some(&"─".repeat(20).as_str()));
}

#[test]
fn the_renderer_can_move_to_another_thread() {
    fn send<T: Send>() {}
    send::<MarkdownStream<std::io::Stdout>>();
}

#[test]
fn finish_ends_the_last_line_and_drops_trailing_blank_lines() {
    assert_eq!(render("a", style(false, 80)), b"a\n");
    assert_eq!(render("\n\na\n\n\n", style(false, 80)), b"a\n");
    assert_eq!(render("a\n\n\n\nb", style(false, 80)), b"a\n\nb\n");
    assert_eq!(render("", style(false, 80)), b"");
}

#[test]
fn invalid_utf8_becomes_replacement_characters_as_lossy_decoding_does() {
    let bytes = b"a\xffb\xe2\x82c\xf0\x9f\x98";
    let expected = render(&String::from_utf8_lossy(bytes), style(false, 80));
    for cut in 0..=bytes.len() {
        assert_eq!(
            render_cut(bytes, &[cut], style(false, 80)),
            expected,
            "cut at {cut}"
        );
    }
}

/// Pieces that exercise every hold of the parser when glued in any order.
const PIECES: &[&str] = &[
    "word",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\t",
    "*",
    "**",
    "_",
    "__",
    "~~",
    "~",
    "`",
    "``",
    "\\",
    "[",
    "]",
    "](",
    "(",
    ")",
    "<",
    ">",
    "http://x.y/z",
    "https://e.com",
    "#",
    "## ",
    "- ",
    "* ",
    "+ ",
    "1. ",
    "12) ",
    "> ",
    "```",
    "```rust\n",
    "~~~\n",
    "| a | b |\n",
    "|---|:-:|\n",
    "|",
    "---\n",
    "é",
    "世界",
    "👍🏽",
    "\u{1b}[1m",
    "\u{9b}",
    "\u{202e}",
    "snake_case",
    "a*b*c",
    "x",
    "...",
    "!",
];

fn reply() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::collection::vec(prop::sample::select(PIECES), 0..80).prop_map(|p| p.concat()),
        1 => any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn any_chunking_gives_the_same_bytes(
        text in reply(),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..12),
        color in any::<bool>(),
        hyperlinks in any::<bool>(),
        width in 10usize..120,
    ) {
        let style = Style { color, hyperlinks, width, theme: Theme::Ansi };
        let whole = render(&text, style);
        let mut cuts: Vec<usize> = cuts.iter().map(|i| i.index(text.len() + 1)).collect();
        cuts.sort_unstable();
        let chunked = render_cut(text.as_bytes(), &cuts, style);
        prop_assert_eq!(shown(&chunked), shown(&whole));
        assert_only_own_escapes(&whole);
    }
}
