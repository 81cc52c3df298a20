//! Writes a finished usage report as a table, JSON, JSONL, CSV or Prometheus text.
//!
//! The table is for people (compact numbers, `-` for nothing); the other formats carry exact
//! values. Every JSON line has `"v"` and `"type"` like the rest of `qwen`'s JSONL.

use std::io::{self, Write};

use serde_json::{Map, Value, json};

use super::when::{format_day, format_time};
use super::{Finished, KeyValue, ReportFormat, Totals, UsageKey};
use crate::output::SCHEMA_VERSION;
use crate::prices::{Cost, Currency, format_amount};
use crate::store::CallFilter;

mod fit;
mod prometheus;

use prometheus::prometheus;

/// Writes `report` in `format`; the table has every column with `wide`, else a compact
/// set that fits 80 columns (the machine formats always carry every field).
pub fn write(
    out: &mut impl Write,
    format: ReportFormat,
    report: &Finished,
    filter: &CallFilter,
    wide: bool,
) -> io::Result<()> {
    match format {
        ReportFormat::Table => table(out, report, wide),
        ReportFormat::Json => {
            let groups: Vec<Value> = report
                .groups
                .iter()
                .map(|(values, totals)| Value::Object(group_object(report, values, totals)))
                .collect();
            let mut map = Map::new();
            map.insert("v".into(), json!(SCHEMA_VERSION));
            map.extend(window(filter));
            map.insert("by".into(), json!(key_names(&report.keys)));
            map.insert("groups".into(), Value::Array(groups));
            map.insert("total".into(), Value::Object(metrics(&report.total)));
            serde_json::to_writer(&mut *out, &Value::Object(map))?;
            writeln!(out)
        }
        ReportFormat::Jsonl => {
            for (values, totals) in &report.groups {
                let mut map = typed("group");
                map.extend(group_object(report, values, totals));
                serde_json::to_writer(&mut *out, &Value::Object(map))?;
                writeln!(out)?;
            }
            let mut map = typed("total");
            map.extend(window(filter));
            map.extend(metrics(&report.total));
            serde_json::to_writer(&mut *out, &Value::Object(map))?;
            writeln!(out)
        }
        ReportFormat::Csv => csv(out, report),
        ReportFormat::Prometheus => prometheus(out, report),
    }
}

fn typed(kind: &str) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("v".into(), json!(SCHEMA_VERSION));
    map.insert("type".into(), json!(kind));
    map
}

fn window(filter: &CallFilter) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("since".into(), json!(filter.since_ms.map(format_time)));
    map.insert("until".into(), json!(filter.until_ms.map(format_time)));
    map
}

fn key_name(key: UsageKey) -> &'static str {
    match key {
        UsageKey::Day => "day",
        UsageKey::Model => "model",
        UsageKey::Command => "command",
        UsageKey::Profile => "profile",
    }
}

fn key_names(keys: &[UsageKey]) -> Vec<&'static str> {
    keys.iter().map(|k| key_name(*k)).collect()
}

fn key_text(value: &KeyValue) -> Option<String> {
    match value {
        KeyValue::Day(day) => Some(format_day(*day)),
        KeyValue::Name(name) => name.clone(),
    }
}

fn group_object(report: &Finished, values: &[KeyValue], totals: &Totals) -> Map<String, Value> {
    let mut map = Map::new();
    for (key, value) in report.keys.iter().zip(values) {
        map.insert(key_name(*key).into(), json!(key_text(value)));
    }
    map.extend(metrics(totals));
    map
}

/// Rounds away float noise from sums (`0.30000000000000004`); nine decimals keep a
/// millionth of a cent.
fn round(v: f64) -> f64 {
    (v * 1e9).round() / 1e9
}

fn metrics(t: &Totals) -> Map<String, Value> {
    let cost: Map<String, Value> = t
        .cost
        .iter()
        .map(|(c, amount)| (c.code().to_owned(), json!(round(*amount))))
        .collect();
    let mut map = Map::new();
    map.insert("requests".into(), json!(t.requests));
    map.insert("errors".into(), json!(t.errors));
    map.insert("error_rate".into(), json!(round(t.error_rate())));
    map.insert("input_tokens".into(), json!(t.input_tokens));
    map.insert("output_tokens".into(), json!(t.output_tokens));
    map.insert("reasoning_tokens".into(), json!(t.reasoning_tokens));
    map.insert("cached_tokens".into(), json!(t.cached_tokens));
    // The media token family, only where a call reported media tokens.
    for (key, n) in [
        "image_tokens",
        "audio_tokens",
        "video_tokens",
        "output_audio_tokens",
    ]
    .into_iter()
    .zip(t.media_tokens)
    {
        if n > 0 {
            map.insert(key.into(), json!(n));
        }
    }
    map.insert("cost".into(), Value::Object(cost));
    map.insert("unpriced_requests".into(), json!(t.unpriced));
    map.insert(
        "latency_ms".into(),
        json!({"p50": t.latency.p50, "p95": t.latency.p95, "p99": t.latency.p99}),
    );
    map.insert("ttft_ms".into(), json!({"p50": t.ttft.p50}));
    map.insert("cache_hits".into(), json!(t.cache_hits));
    map.insert("saved_tokens".into(), json!(t.saved_tokens));
    // The service's context cache (#15), beside the local response cache above.
    map.insert("cache_write_tokens".into(), json!(t.cache_write_tokens));
    map.insert(
        "cache_explicit_hit_tokens".into(),
        json!(t.explicit_hit_tokens),
    );
    let saved: Map<String, Value> = t
        .cache_saved
        .iter()
        .map(|(c, amount)| (c.code().to_owned(), json!(round(*amount))))
        .collect();
    map.insert("cache_saved".into(), Value::Object(saved));
    map
}

/// Formats an amount without a currency symbol (for a budget given without one).
pub fn amount_plain(amount: f64) -> String {
    format_amount(amount)
}

fn compact(n: u64) -> String {
    match n {
        0..10_000 => n.to_string(),
        10_000..1_000_000 => format!("{:.1}k", n as f64 / 1e3),
        1_000_000..1_000_000_000 => format!("{:.2}M", n as f64 / 1e6),
        _ => format!("{:.2}B", n as f64 / 1e9),
    }
}

fn duration(ms: Option<f64>) -> String {
    match ms {
        None => "-".into(),
        Some(ms) if ms < 1000.0 => format!("{ms:.0}ms"),
        Some(ms) => format!("{:.2}s", ms / 1000.0),
    }
}

fn cost_cell(t: &Totals) -> String {
    if t.cost.is_empty() {
        return if t.unpriced > 0 {
            "?".into()
        } else {
            "0".into()
        };
    }
    t.cost
        .iter()
        .map(|(&currency, &amount)| Cost { amount, currency }.to_string())
        .collect::<Vec<_>>()
        .join(" + ")
}

fn metric_cells(t: &Totals) -> Vec<String> {
    let rate = if t.requests == 0 {
        "-".into()
    } else {
        format!("{:.1}%", t.error_rate() * 100.0)
    };
    vec![
        t.requests.to_string(),
        t.errors.to_string(),
        rate,
        compact(t.input_tokens),
        compact(t.output_tokens),
        compact(t.reasoning_tokens),
        compact(t.cached_tokens),
        cost_cell(t),
        t.unpriced.to_string(),
        duration(t.latency.p50),
        duration(t.latency.p95),
        duration(t.latency.p99),
        duration(t.ttft.p50),
        t.cache_hits.to_string(),
        compact(t.saved_tokens),
        compact(t.cache_write_tokens),
        saved_cell(t),
    ]
}

/// The context cache's net saving: `-` when nothing was cached or written.
fn saved_cell(t: &Totals) -> String {
    if t.cache_saved.is_empty() {
        return "-".into();
    }
    t.cache_saved
        .iter()
        .map(|(&currency, &amount)| Cost { amount, currency }.to_string())
        .collect::<Vec<_>>()
        .join(" + ")
}

const METRIC_HEADERS: [&str; 17] = [
    "REQUESTS",
    "ERRORS",
    "ERR%",
    "INPUT",
    "OUTPUT",
    "REASONING",
    "CACHED",
    "COST",
    "UNPRICED",
    "P50",
    "P95",
    "P99",
    "TTFT P50",
    "HITS",
    "SAVED",
    "CACHE WRITE",
    "CACHE SAVED",
];

fn table(out: &mut impl Write, report: &Finished, wide: bool) -> io::Result<()> {
    let keys = report.keys.len();
    let mut headers: Vec<String> = report
        .keys
        .iter()
        .map(|k| key_name(*k).to_ascii_uppercase())
        .collect();
    headers.extend(METRIC_HEADERS.iter().map(|h| (*h).to_owned()));
    let mut rows: Vec<Vec<String>> = report
        .groups
        .iter()
        .map(|(values, totals)| {
            let mut row: Vec<String> = values
                .iter()
                .map(|v| key_text(v).unwrap_or_else(|| "-".into()))
                .collect();
            row.extend(metric_cells(totals));
            row
        })
        .collect();
    if keys == 0 || report.groups.len() != 1 {
        let mut row: Vec<String> = (0..keys)
            .map(|i| {
                if i == 0 {
                    "total".into()
                } else {
                    String::new()
                }
            })
            .collect();
        row.extend(metric_cells(&report.total));
        rows.push(row);
    }
    if !wide {
        let names: Vec<bool> = report.keys.iter().map(|k| *k != UsageKey::Day).collect();
        fit::narrow(&mut headers, &mut rows, &names);
    }
    let right: Vec<bool> = (0..headers.len()).map(|i| i >= keys).collect();
    aligned(out, &headers, &rows, &right)
}

/// Writes rows in columns padded to their widest cell, two spaces apart.
pub fn aligned(
    out: &mut impl Write,
    headers: &[String],
    rows: &[Vec<String>],
    right: &[bool],
) -> io::Result<()> {
    let width = |i: usize| {
        rows.iter()
            .map(|r| r[i].chars().count())
            .chain([headers[i].chars().count()])
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..headers.len()).map(width).collect();
    for row in std::iter::once(headers).chain(rows.iter().map(Vec::as_slice)) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            let pad = widths[i] - cell.chars().count();
            if right[i] {
                line.extend(std::iter::repeat_n(' ', pad));
                line.push_str(cell);
            } else {
                line.push_str(cell);
                if i + 1 < row.len() {
                    line.extend(std::iter::repeat_n(' ', pad));
                }
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// Quotes a CSV field when it needs it (RFC 4180).
pub fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

fn opt(v: Option<f64>) -> String {
    v.map(|v| round(v).to_string()).unwrap_or_default()
}

fn csv(out: &mut impl Write, report: &Finished) -> io::Result<()> {
    let mut header: Vec<&str> = key_names(&report.keys);
    header.extend([
        "requests",
        "errors",
        "error_rate",
        "input_tokens",
        "output_tokens",
        "reasoning_tokens",
        "cached_tokens",
        "cost_usd",
        "cost_cny",
        "unpriced_requests",
        "latency_p50_ms",
        "latency_p95_ms",
        "latency_p99_ms",
        "ttft_p50_ms",
        "cache_hits",
        "saved_tokens",
        "cache_write_tokens",
        "cache_explicit_hit_tokens",
        "cache_saved_usd",
        "cache_saved_cny",
    ]);
    writeln!(out, "{}", header.join(","))?;
    let total = (Vec::new(), report.total.clone());
    let rows: Vec<&(Vec<KeyValue>, Totals)> = if report.keys.is_empty() {
        vec![&total]
    } else {
        report.groups.iter().collect()
    };
    for (values, t) in rows {
        let mut fields: Vec<String> = values
            .iter()
            .map(|v| csv_field(&key_text(v).unwrap_or_default()))
            .collect();
        let cost = |c: Currency| opt(t.cost.get(&c).copied());
        fields.extend([
            t.requests.to_string(),
            t.errors.to_string(),
            round(t.error_rate()).to_string(),
            t.input_tokens.to_string(),
            t.output_tokens.to_string(),
            t.reasoning_tokens.to_string(),
            t.cached_tokens.to_string(),
            cost(Currency::Usd),
            cost(Currency::Cny),
            t.unpriced.to_string(),
            opt(t.latency.p50),
            opt(t.latency.p95),
            opt(t.latency.p99),
            opt(t.ttft.p50),
            t.cache_hits.to_string(),
            t.saved_tokens.to_string(),
            t.cache_write_tokens.to_string(),
            t.explicit_hit_tokens.to_string(),
            opt(t.cache_saved.get(&Currency::Usd).copied()),
            opt(t.cache_saved.get(&Currency::Cny).copied()),
        ]);
        writeln!(out, "{}", fields.join(","))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
