//! The default usage table: a compact set of columns that fits 80 columns (`--wide` shows
//! them all), with the key columns (long model names) cut to fit.

/// The width the compact table fits.
pub const WIDTH: usize = 80;

/// The metric columns the compact table keeps, by header.
const COMPACT: [&str; 6] = ["REQUESTS", "ERRORS", "INPUT", "OUTPUT", "COST", "P50"];

/// The compact columns given up, in this order, when the keys need the room.
const GIVE_UP: [&str; 4] = ["P50", "ERRORS", "OUTPUT", "INPUT"];

/// Names are cut to this first, before any column is given up for them...
const NAME_FIRST: usize = 16;
/// ...and to this at the most.
const NAME_MIN: usize = 8;

/// Drops the metric columns the compact table does not show, then makes a line fit
/// [`WIDTH`]: cuts the widest names (models, commands, profiles; never days) with `…` down
/// to [`NAME_FIRST`] columns, gives up compact columns ([`GIVE_UP`]), then cuts names
/// down to [`NAME_MIN`]. `names[i]` says whether key column `i` holds names.
pub fn narrow(headers: &mut Vec<String>, rows: &mut [Vec<String>], names: &[bool]) {
    let keys = names.len();
    keep_columns(headers, rows, |i, h| i < keys || COMPACT.contains(&h));
    let width = |i: usize, headers: &[String], rows: &[Vec<String>]| {
        rows.iter()
            .map(|r| r[i].chars().count())
            .chain([headers[i].chars().count()])
            .max()
            .unwrap_or(0)
    };
    let total =
        |widths: &[usize]| widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1);
    let mut widths: Vec<usize> = (0..headers.len())
        .map(|i| width(i, headers, rows))
        .collect();
    let shrink = |widths: &mut Vec<usize>, headers: &[String], floor: usize| {
        while total(widths) > WIDTH {
            let Some(i) = (0..keys)
                .filter(|&i| names[i] && widths[i] > floor.max(headers[i].chars().count()))
                .max_by_key(|&i| widths[i])
            else {
                break;
            };
            widths[i] -= 1;
        }
    };
    shrink(&mut widths, headers, NAME_FIRST);
    for gone in GIVE_UP {
        if total(&widths) <= WIDTH {
            break;
        }
        if let Some(at) = headers.iter().position(|h| h == gone) {
            keep_columns(headers, rows, |i, _| i != at);
            widths.remove(at);
        }
    }
    shrink(&mut widths, headers, NAME_MIN);
    for row in rows.iter_mut() {
        for (cell, &w) in row.iter_mut().zip(&widths).take(keys) {
            if cell.chars().count() > w {
                let mut cut: String = cell.chars().take(w.saturating_sub(1)).collect();
                cut.push('…');
                *cell = cut;
            }
        }
    }
}

/// Keeps the columns for which `keep(index, header)` holds.
fn keep_columns(
    headers: &mut Vec<String>,
    rows: &mut [Vec<String>],
    keep: impl Fn(usize, &str) -> bool,
) {
    let kept: Vec<bool> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| keep(i, h))
        .collect();
    for cells in std::iter::once(headers).chain(rows.iter_mut()) {
        let mut i = 0;
        cells.retain(|_| {
            i += 1;
            kept[i - 1]
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn long_names_are_cut_to_fit_and_short_ones_kept() {
        let mut headers = cells(&["MODEL", "REQUESTS", "P99", "COST"]);
        let long = "qwen3-coder-480b-a35b-instruct-with-a-very-long-fine-tune-name-2026-11-30";
        let mut rows = vec![
            cells(&[long, "1", "2s", "$0.01"]),
            cells(&["qwen-plus", "3", "1s", "$1"]),
        ];
        narrow(&mut headers, &mut rows, &[true]);
        assert_eq!(headers, ["MODEL", "REQUESTS", "COST"]);
        let line = rows[0].iter().map(|c| c.chars().count()).sum::<usize>() + 2 * 2;
        assert!(line <= WIDTH, "{rows:?}");
        assert!(rows[0][0].ends_with('…') && rows[0][0].starts_with("qwen3-coder"));
        assert_eq!(rows[1][0], "qwen-plus");
    }

    #[test]
    fn days_are_never_cut_and_columns_give_way_first() {
        let mut headers = cells(&["DAY", "MODEL", "COMMAND", "PROFILE", "REQUESTS", "ERRORS"]);
        headers.extend(cells(&["INPUT", "OUTPUT", "COST", "P50"]));
        let name = "a-profile-with-a-long-name";
        let mut rows = vec![cells(&[
            "2026-12-06",
            "qwen3-coder-480b-a35b-instruct",
            "batch",
            name,
            "1",
            "0",
            "22",
            "17",
            "$0.0001",
            "2ms",
        ])];
        narrow(&mut headers, &mut rows, &[false, true, true, true]);
        let line =
            rows[0].iter().map(|c| c.chars().count()).sum::<usize>() + 2 * (rows[0].len() - 1);
        assert!(line <= WIDTH, "{headers:?} {rows:?}");
        assert_eq!(rows[0][0], "2026-12-06");
        assert!(!headers.contains(&"P50".to_owned()), "{headers:?}");
        assert!(headers.contains(&"COST".to_owned()), "{headers:?}");
        assert_eq!(rows[0][1].chars().count(), 16, "{rows:?}");
    }
}
