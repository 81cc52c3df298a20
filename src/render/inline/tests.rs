use super::link::hyperlink;

use super::*;

/// A sink that records text with `{b}`-style markers for the styles it sees.
#[derive(Default)]
struct Plain(String);

impl Sink for Plain {
    fn text(&mut self, c: char, _: Sgr, link: Option<&Arc<str>>) {
        if let Some(link) = link {
            self.0.push_str(&format!("<{link}>"));
        }
        self.0.push(c);
    }
    fn space(&mut self, _: Sgr) {
        self.0.push(' ');
    }
}

fn plain(text: &str) -> String {
    let mut sink = Plain::default();
    let mut inline = Inline::new(false, false);
    for c in text.chars() {
        inline.feed(c, &mut sink);
    }
    inline.end(&mut sink);
    sink.0
}

#[test]
fn without_colour_markers_stay_and_escapes_resolve() {
    assert_eq!(plain("a **b** *c* ~~d~~ `e`"), "a **b** *c* ~~d~~ `e`");
    assert_eq!(plain(r"\*not\* a \[link\] \q"), r"*not* a [link] \q");
}

#[test]
fn links_show_their_destination_unless_it_is_the_text() {
    assert_eq!(
        plain("see [the docs](https://x.dev/a_b) now"),
        "see the docs (https://x.dev/a_b) now"
    );
    assert_eq!(plain("<https://x.dev>"), "https://x.dev");
    assert_eq!(
        plain("[t](<https://x.dev/a b> \"title\")"),
        "t (https://x.dev/a b)"
    );
}

#[test]
fn things_that_are_not_links_print_as_written() {
    assert_eq!(
        plain("[1] and [x] (y) a<b> c < d"),
        "[1] and [x] (y) a<b> c < d"
    );
    assert_eq!(plain("[unclosed](http://x"), "[unclosed](http://x");
    assert_eq!(plain("[a [b](u) c"), "[a b (u) c");
    assert_eq!(
        plain("[see](the docs) and [x](<y)"),
        "[see](the docs) and [x](<y)"
    );
}

#[test]
fn intraword_underscores_and_spaced_stars_are_literal() {
    assert_eq!(
        plain("snake_case_name 2 * 3 * 4 ~5 ms"),
        "snake_case_name 2 * 3 * 4 ~5 ms"
    );
}

#[test]
fn osc8_only_for_web_links_in_printable_ascii() {
    assert!(hyperlink("https://example.com/?q=1"));
    assert!(hyperlink("HTTP://EXAMPLE.COM"));
    assert!(hyperlink("mailto:a@b.c"));
    assert!(!hyperlink("file:///etc/passwd"));
    assert!(!hyperlink("javascript:alert(1)"));
    assert!(!hyperlink("https://a.b/\u{1b}]8;;x"));
    assert!(!hyperlink("https://a.b/ü"));
}

#[test]
fn hyperlinked_text_carries_its_target() {
    let mut sink = Plain::default();
    let mut inline = Inline::new(true, true);
    for c in "[ok](https://a.b) [no](file:///x)".chars() {
        inline.feed(c, &mut sink);
    }
    inline.end(&mut sink);
    assert_eq!(sink.0, "<https://a.b>o<https://a.b>k no (file:///x)");
}
