//! Where a line's content starts: its block-quote markers and indentation.

use super::Lead;

/// Reads a line's block-quote markers and indentation.
pub(super) fn lead(line: &str) -> Lead {
    let (mut quotes, mut pos) = (0, 0);
    loop {
        let rest = &line[pos..];
        let spaces = rest.len() - rest.trim_start_matches(' ').len();
        if spaces > 3 || !rest[spaces..].starts_with('>') {
            break;
        }
        quotes += 1;
        pos += spaces + 1;
        if line[pos..].starts_with(' ') {
            pos += 1;
        }
    }
    let (mut indent, mut body) = (0, pos);
    for c in line[pos..].chars() {
        match c {
            ' ' => indent += 1,
            '\t' => indent += 4 - indent % 4,
            _ => break,
        }
        body += 1;
    }
    Lead {
        quotes,
        indent,
        body,
    }
}

/// Removes up to `n` block-quote markers from a line inside a quoted code block.
pub(super) fn strip_quotes(mut line: &str, n: usize) -> &str {
    for _ in 0..n {
        let rest = line.trim_start_matches(' ');
        match rest.strip_prefix('>') {
            Some(rest) => line = rest.strip_prefix(' ').unwrap_or(rest),
            None => break,
        }
    }
    line
}

/// Removes up to `n` columns of leading spaces (a fence indented by `n` indents its code).
pub(super) fn strip_indent(line: &str, n: usize) -> &str {
    let spaces = line.bytes().take(n).take_while(|&b| b == b' ').count();
    &line[spaces..]
}
