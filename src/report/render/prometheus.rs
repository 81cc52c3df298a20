//! The Prometheus text format of a report, for node_exporter's textfile collector: one
//! gauge or counter family per metric, labelled by the `--by` keys (never by day).

use std::io::{self, Write};

use super::{key_name, key_text, round};
use crate::report::{Finished, Totals};

/// Escapes a Prometheus label value.
fn label_value(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Formats labels: the group's, then `extra`.
fn labels(base: &[(String, String)], extra: &[(&str, &str)]) -> String {
    let all: Vec<String> = base
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .chain(extra.iter().copied())
        .map(|(k, v)| format!("{k}=\"{}\"", label_value(v)))
        .collect();
    if all.is_empty() {
        String::new()
    } else {
        format!("{{{}}}", all.join(","))
    }
}

fn seconds(ms: Option<f64>) -> String {
    ms.map_or_else(|| "NaN".into(), |ms| (round(ms / 1000.0)).to_string())
}

pub(super) fn prometheus(out: &mut impl Write, report: &Finished) -> io::Result<()> {
    let groups: Vec<(Vec<(String, String)>, &Totals)> = if report.keys.is_empty() {
        vec![(Vec::new(), &report.total)]
    } else {
        report
            .groups
            .iter()
            .map(|(values, totals)| {
                let labels = report
                    .keys
                    .iter()
                    .zip(values)
                    .map(|(k, v)| (key_name(*k).to_owned(), key_text(v).unwrap_or_default()))
                    .collect();
                (labels, totals)
            })
            .collect()
    };
    type Sample = fn(&Totals) -> Vec<(Vec<(&'static str, String)>, String)>;
    let families: [(&str, &str, &str, Sample); 10] = [
        (
            "qwen_requests_total",
            "counter",
            "API attempts recorded by qwen.",
            |t| vec![(vec![], t.requests.to_string())],
        ),
        (
            "qwen_errors_total",
            "counter",
            "API attempts that failed.",
            |t| vec![(vec![], t.errors.to_string())],
        ),
        (
            "qwen_tokens_total",
            "counter",
            "Tokens by kind (output includes reasoning).",
            |t| {
                [
                    ("input", t.input_tokens),
                    ("output", t.output_tokens),
                    ("reasoning", t.reasoning_tokens),
                    ("cached", t.cached_tokens),
                    ("cache_write", t.cache_write_tokens),
                    ("cache_explicit_hit", t.explicit_hit_tokens),
                ]
                .into_iter()
                .map(|(kind, n)| (vec![("kind", kind.to_owned())], n.to_string()))
                .collect()
            },
        ),
        (
            "qwen_cost_total",
            "counter",
            "Estimated spend by currency.",
            |t| {
                t.cost
                    .iter()
                    .map(|(c, a)| {
                        (
                            vec![("currency", c.code().to_owned())],
                            round(*a).to_string(),
                        )
                    })
                    .collect()
            },
        ),
        (
            "qwen_unpriced_requests_total",
            "counter",
            "Billable attempts of unknown price.",
            |t| vec![(vec![], t.unpriced.to_string())],
        ),
        (
            "qwen_cache_hits_total",
            "counter",
            "Replies served from the response cache.",
            |t| vec![(vec![], t.cache_hits.to_string())],
        ),
        (
            "qwen_cache_saved_tokens_total",
            "counter",
            "Tokens the response cache saved.",
            |t| vec![(vec![], t.saved_tokens.to_string())],
        ),
        (
            "qwen_prompt_cache_saved_total",
            "counter",
            "Estimated net saving of the service's context cache, by currency.",
            |t| {
                t.cache_saved
                    .iter()
                    .map(|(c, a)| {
                        (
                            vec![("currency", c.code().to_owned())],
                            round(*a).to_string(),
                        )
                    })
                    .collect()
            },
        ),
        (
            "qwen_request_duration_seconds",
            "summary",
            "Latency of successful attempts.",
            |t| {
                let s = &t.latency;
                vec![
                    (vec![("quantile", "0.5".to_owned())], seconds(s.p50)),
                    (vec![("quantile", "0.95".to_owned())], seconds(s.p95)),
                    (vec![("quantile", "0.99".to_owned())], seconds(s.p99)),
                    (vec![("", "_sum".into())], seconds(Some(s.sum_ms))),
                    (vec![("", "_count".into())], s.count.to_string()),
                ]
            },
        ),
        (
            "qwen_time_to_first_token_seconds",
            "summary",
            "Time to first token of successful attempts.",
            |t| {
                let s = &t.ttft;
                vec![
                    (vec![("quantile", "0.5".to_owned())], seconds(s.p50)),
                    (vec![("", "_sum".into())], seconds(Some(s.sum_ms))),
                    (vec![("", "_count".into())], s.count.to_string()),
                ]
            },
        ),
    ];
    for (name, kind, help, samples) in families {
        writeln!(out, "# HELP {name} {help}")?;
        writeln!(out, "# TYPE {name} {kind}")?;
        for (base, totals) in &groups {
            for (extra, value) in samples(totals) {
                // A label named "" marks a summary's `_sum` / `_count` series.
                let (suffix, extra): (&str, Vec<(&str, &str)>) = match extra.first() {
                    Some(("", s)) => (s.as_str(), Vec::new()),
                    _ => ("", extra.iter().map(|(k, v)| (*k, v.as_str())).collect()),
                };
                writeln!(out, "{name}{suffix}{} {value}", labels(base, &extra))?;
            }
        }
    }
    Ok(())
}
