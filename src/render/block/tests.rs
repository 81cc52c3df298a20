use super::*;

#[test]
fn lead_reads_quotes_and_indentation() {
    let l = lead("> >  - x");
    assert_eq!((l.quotes, l.indent, l.body), (2, 1, 5));
    let l = lead("\t- x");
    assert_eq!((l.quotes, l.indent, l.body), (0, 4, 1));
    let l = lead("    > not a quote");
    assert_eq!((l.quotes, l.indent, l.body), (0, 4, 4));
}

#[test]
fn code_lines_lose_only_their_containers() {
    assert_eq!(strip_quotes("> > >>> x", 2), ">>> x");
    assert_eq!(strip_quotes(">>> x", 0), ">>> x");
    assert_eq!(strip_indent("     x", 3), "  x");
    assert_eq!(strip_indent(" x", 3), "x");
}
