//! Durations and sizes as people write them: parsing, limits and formatting for messages.
//!
//! The ground floor: it imports nothing of ours, so every layer can use it.

use std::time::Duration;

/// The longest duration any setting takes; more is a typo, and would overflow a deadline.
pub const MAX_DURATION: Duration = Duration::from_secs(366 * 24 * 3600);

/// Parses `10s`, `500ms`, `2m`, or a plain number of seconds (at most a year).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let parsed = match text.parse::<f64>() {
        Ok(secs) => Duration::try_from_secs_f64(secs)
            .map_err(|_| format!("`{text}` is not a duration like `30s` or `2m`"))?,
        Err(_) => humantime::parse_duration(text)
            .map_err(|e| format!("`{text}` is not a duration like `30s` or `2m` ({e})"))?,
    };
    if parsed > MAX_DURATION {
        return Err(format!("`{text}` is longer than a year"));
    }
    Ok(parsed)
}

/// Refuses a size limit of zero (`--max-input 0`): nothing could be read under it.
pub fn positive_size(bytes: u64) -> Result<u64, String> {
    if bytes == 0 {
        Err("`0`: the limit must be at least 1 byte".to_owned())
    } else {
        Ok(bytes)
    }
}

/// Parses a size: `1048576`, `200KB`, `1MiB`, `2M` (K/M/G are powers of 1000 with `B`,
/// of 1024 with `iB` or alone, as people usually mean them for files).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let number: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a size like `200KB` or `1MiB`"))?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1_000,
        "mb" => 1_000_000,
        "gb" => 1_000_000_000,
        "k" | "kib" => 1 << 10,
        "m" | "mib" => 1 << 20,
        "g" | "gib" => 1 << 30,
        _ => {
            return Err(format!(
                "`{text}` has an unknown unit (use B, KB, MB, KiB, MiB)"
            ));
        }
    };
    Ok((number * factor as f64) as u64)
}

/// Formats a duration for messages (`1.5s`, `2m`).
pub fn format_duration(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        humantime::format_duration(Duration::from_secs(d.as_secs())).to_string()
    } else if d < Duration::from_secs(60) {
        format!("{:.1}s", d.as_secs_f64())
    } else {
        humantime::format_duration(Duration::from_millis(d.as_millis() as u64)).to_string()
    }
}

/// Formats a limit for messages: `16 MiB` when it is a whole number of a unit, else the
/// exact byte count (`2000 bytes`), never a rounded figure.
pub fn format_size(bytes: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    UNITS
        .iter()
        .find(|(size, _)| bytes >= *size && bytes.is_multiple_of(*size))
        .map_or_else(
            || format!("{bytes} bytes"),
            |(size, unit)| format!("{} {unit}", bytes / size),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("10s").unwrap(), Duration::from_secs(10));
        assert_eq!(parse_duration("250ms").unwrap(), Duration::from_millis(250));
        assert_eq!(parse_duration("1.5").unwrap(), Duration::from_millis(1500));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("1e30").is_err());
        assert!(parse_duration("-1").is_err());
        assert!(parse_duration("1e19s").is_err());
        assert!(parse_duration("400d").is_err());
        assert_eq!(parse_size("1MiB").unwrap(), 1 << 20);
        assert_eq!(parse_size("200KB").unwrap(), 200_000);
        assert_eq!(parse_size("512").unwrap(), 512);
        assert!(parse_size("1 parsec").is_err());
        assert_eq!(format_duration(Duration::from_millis(1500)), "1.5s");
        assert_eq!(format_duration(Duration::from_secs(120)), "2m");
    }
}
