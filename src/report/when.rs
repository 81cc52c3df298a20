//! Times in reports: window bounds as people write them (`7d`, `yesterday`, a UTC date),
//! and UTC days and times as reports print them. Days are UTC days, so a report reads the
//! same on every machine and in CI.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A day in Unix ms.
pub const DAY_MS: i64 = 86_400_000;

/// Parses a window bound into Unix ms: `7d`/`24h`/`30m` ago, `today`, `yesterday`, `now`, a
/// UTC date `2026-11-01` (its midnight), or a UTC time `2026-11-01T12:00:00`.
pub fn parse_when(text: &str, now: SystemTime) -> Result<i64, String> {
    let now_ms = unix_ms(now);
    let today = now_ms.div_euclid(DAY_MS) * DAY_MS;
    let text = text.trim();
    match text.to_ascii_lowercase().as_str() {
        "now" => return Ok(now_ms),
        "today" => return Ok(today),
        "yesterday" => return Ok(today - DAY_MS),
        _ => {}
    }
    if let Some(days) = parse_date(text) {
        return Ok(days * DAY_MS);
    }
    if text.contains('-') && text.contains(':') {
        return humantime::parse_rfc3339_weak(text.trim_end_matches('Z'))
            .map(unix_ms)
            .map_err(|e| format!("not a time ({e})"));
    }
    humantime::parse_duration(text)
        .map(|ago| now_ms - i64::try_from(ago.as_millis()).unwrap_or(i64::MAX / 2))
        .map_err(|_| {
            "not a time: use `7d` or `24h` (ago), a date like `2026-11-01`, `today` or `yesterday`"
                .to_owned()
        })
}

/// Parses `YYYY-MM-DD` into days since 1970-01-01.
fn parse_date(text: &str) -> Option<i64> {
    let mut parts = text.splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d): (i64, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let days_in_month = match m {
        2 if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return None,
    };
    (1..=days_in_month)
        .contains(&d)
        .then(|| days_from_civil(y, m, d))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Formats days since 1970-01-01 as `YYYY-MM-DD`.
pub fn format_day(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Formats Unix ms as an RFC 3339 UTC time with seconds.
pub fn format_time(ms: i64) -> String {
    let t = UNIX_EPOCH + Duration::from_millis(u64::try_from(ms).unwrap_or(0));
    humantime::format_rfc3339_seconds(t).to_string()
}

fn unix_ms(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_windows() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("2026-11-01"), Some(20_758));
        assert_eq!(format_day(20_758), "2026-11-01");
        assert_eq!(format_day(parse_date("2024-02-29").unwrap()), "2024-02-29");
        assert_eq!(parse_date("2025-02-29"), None);
        assert_eq!(parse_date("2026-13-01"), None);
        let now = UNIX_EPOCH + Duration::from_millis(20_758 * DAY_MS as u64 + 3_600_000);
        assert_eq!(parse_when("today", now), Ok(20_758 * DAY_MS));
        assert_eq!(parse_when("yesterday", now), Ok(20_757 * DAY_MS));
        assert_eq!(parse_when("24h", now), Ok(20_757 * DAY_MS + 3_600_000));
        assert_eq!(parse_when("7d", now), Ok(20_751 * DAY_MS + 3_600_000));
        assert_eq!(parse_when("2026-11-01", now), Ok(20_758 * DAY_MS));
        assert_eq!(
            parse_when("2026-11-01T12:00:00Z", now),
            Ok(20_758 * DAY_MS + 12 * 3_600_000)
        );
        assert!(parse_when("soon", now).is_err());
    }
}
