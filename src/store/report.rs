//! Ledger reads for `qwen usage`: a filtered scan of the rows in a window, and recent calls.
//!
//! The scan hands each row to the caller with its strings borrowed from SQLite, so a report
//! over a million rows is one pass with no allocation per row; `crate::report` does the
//! arithmetic. Filters run in SQL, where the `calls_by_time` and `calls_by_model` indexes
//! apply.

use rusqlite::types::Value;

use super::calls::{COLUMNS, count};
use super::{CallRow, Store};

/// Which ledger rows a report covers; empty lists mean "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallFilter {
    /// Rows at or after this time (Unix ms).
    pub since_ms: Option<i64>,
    /// Rows before this time (Unix ms).
    pub until_ms: Option<i64>,
    /// Only these models.
    pub models: Vec<String>,
    /// Only these commands.
    pub commands: Vec<String>,
    /// Only these profiles.
    pub profiles: Vec<String>,
    /// Only rows whose id is in `[start, end)`: one slice of a scan split across threads.
    pub ids: Option<(i64, i64)>,
}

impl CallFilter {
    /// Returns `WHERE …` (or nothing) and its parameters.
    fn where_clause(&self) -> (String, Vec<Value>) {
        let mut terms = Vec::new();
        let mut values = Vec::new();
        if let Some(t) = self.since_ms {
            terms.push("ts_ms >= ?".to_owned());
            values.push(Value::Integer(t));
        }
        if let Some(t) = self.until_ms {
            terms.push("ts_ms < ?".to_owned());
            values.push(Value::Integer(t));
        }
        if let Some((start, end)) = self.ids {
            terms.push("id >= ? AND id < ?".to_owned());
            values.extend([Value::Integer(start), Value::Integer(end)]);
        }
        let lists = [
            ("model", &self.models),
            ("command", &self.commands),
            ("profile", &self.profiles),
        ];
        for (column, list) in lists {
            if !list.is_empty() {
                terms.push(format!(
                    "{column} IN ({})",
                    vec!["?"; list.len()].join(", ")
                ));
                values.extend(list.iter().map(|v| Value::Text(v.clone())));
            }
        }
        if terms.is_empty() {
            (String::new(), values)
        } else {
            (format!("WHERE {}", terms.join(" AND ")), values)
        }
    }
}

/// Which key columns a scan reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KeyColumns {
    /// `ts_ms`.
    pub time: bool,
    /// `model`.
    pub model: bool,
    /// `command`.
    pub command: bool,
    /// `profile`.
    pub profile: bool,
}

impl KeyColumns {
    /// Every key column.
    pub const ALL: KeyColumns = KeyColumns {
        time: true,
        model: true,
        command: true,
        profile: true,
    };
}

/// One ledger row as a report sees it; the strings borrow from the database row.
#[derive(Debug, Clone, PartialEq)]
pub struct CallFact<'a> {
    /// When the attempt started (Unix ms).
    pub ts_ms: i64,
    /// The command.
    pub command: &'a str,
    /// The profile, if one was in use.
    pub profile: Option<&'a str>,
    /// The model.
    pub model: &'a str,
    /// The attempt failed (it has an error code).
    pub failed: bool,
    /// Input tokens, if reported.
    pub prompt_tokens: Option<u64>,
    /// Output tokens, if reported.
    pub completion_tokens: Option<u64>,
    /// Reasoning tokens.
    pub reasoning_tokens: Option<u64>,
    /// Cached input tokens.
    pub cached_tokens: Option<u64>,
    /// Image, audio and video input tokens.
    pub media_tokens: super::MediaTokens,
    /// Time to first token, ms.
    pub ttft_ms: Option<f64>,
    /// Latency, ms.
    pub latency_ms: f64,
    /// Estimated cost, when the price was known.
    pub cost: Option<f64>,
    /// Its currency.
    pub currency: Option<&'a str>,
    /// Served from the response cache.
    pub cache_hit: bool,
    /// Tokens a cache hit saved.
    pub saved_tokens: Option<u64>,
    /// Input tokens written to the explicit context cache.
    pub cache_write_tokens: Option<u64>,
    /// The context-cache hits (`cached_tokens`) were explicit ones.
    pub explicit_cache: bool,
    /// What the context cache saved (net of writes), in `currency`.
    pub cache_saved: Option<f64>,
}

/// One ledger row in full, for `qwen usage log`: the row as it was written ([`CallRow`],
/// which this dereferences to, so `call.model` reads the row's model), with its id and its
/// times as stored (Unix ms), which the log prints.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoggedCall {
    /// Row id.
    pub id: i64,
    /// When the attempt started (Unix ms).
    pub ts_ms: i64,
    /// Time to first token, ms.
    pub ttft_ms: Option<f64>,
    /// Latency, ms.
    pub latency_ms: f64,
    /// The row.
    pub row: CallRow,
}

impl std::ops::Deref for LoggedCall {
    type Target = CallRow;

    fn deref(&self) -> &CallRow {
        &self.row
    }
}

impl Store {
    /// Returns the smallest and one past the largest ledger row id, if there are rows.
    pub fn call_id_range(&self) -> anyhow::Result<Option<(i64, i64)>> {
        let range: (Option<i64>, Option<i64>) =
            self.conn
                .query_row("SELECT min(id), max(id) FROM calls", [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
        Ok(match range {
            (Some(min), Some(max)) => Some((min, max + 1)),
            _ => None,
        })
    }

    /// Calls `visit` with every ledger row that `filter` selects, in no particular order.
    ///
    /// Only the key columns in `keys` are read (the others come back as 0, `""` or `None`):
    /// decoding a column is most of the cost of a scan, and a report needs few of them.
    pub fn scan_calls(
        &self,
        filter: &CallFilter,
        keys: KeyColumns,
        mut visit: impl FnMut(&CallFact<'_>),
    ) -> anyhow::Result<()> {
        let (clause, values) = filter.where_clause();
        let pick = |wanted: bool, column: &'static str, none: &'static str| {
            if wanted { column } else { none }
        };
        let sql = format!(
            "SELECT {}, {}, {}, {}, error_code IS NOT NULL, prompt_tokens,
                completion_tokens, reasoning_tokens, cached_tokens, ttft_ms, latency_ms, cost,
                currency, cache_hit, saved_tokens, cache_write_tokens,
                coalesce(cache_type = 'ephemeral', 0), cache_saved, image_tokens,
                audio_tokens, video_tokens, output_audio_tokens
             FROM calls {clause}",
            pick(keys.time, "ts_ms", "0"),
            pick(keys.command, "command", "''"),
            pick(keys.profile, "profile", "NULL"),
            pick(keys.model, "model", "''"),
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(values))?;
        while let Some(r) = rows.next()? {
            let fact = CallFact {
                ts_ms: r.get(0)?,
                command: r.get_ref(1)?.as_str()?,
                profile: r.get_ref(2)?.as_str_or_null()?,
                model: r.get_ref(3)?.as_str()?,
                failed: r.get(4)?,
                prompt_tokens: count(r.get(5)?),
                completion_tokens: count(r.get(6)?),
                reasoning_tokens: count(r.get(7)?),
                cached_tokens: count(r.get(8)?),
                ttft_ms: r.get(9)?,
                latency_ms: r.get(10)?,
                cost: r.get(11)?,
                currency: r.get_ref(12)?.as_str_or_null()?,
                cache_hit: r.get(13)?,
                saved_tokens: count(r.get(14)?),
                cache_write_tokens: count(r.get(15)?),
                explicit_cache: r.get(16)?,
                cache_saved: r.get(17)?,
                media_tokens: super::MediaTokens {
                    image: count(r.get(18)?),
                    audio: count(r.get(19)?),
                    video: count(r.get(20)?),
                    output_audio: count(r.get(21)?),
                },
            };
            visit(&fact);
        }
        Ok(())
    }

    /// Returns the `limit` most recent rows that `filter` selects, oldest first.
    pub fn recent_calls(
        &self,
        filter: &CallFilter,
        limit: usize,
    ) -> anyhow::Result<Vec<LoggedCall>> {
        let (clause, mut values) = filter.where_clause();
        values.push(Value::Integer(i64::try_from(limit).unwrap_or(i64::MAX)));
        let sql = format!(
            "SELECT id, {COLUMNS} FROM calls {clause} ORDER BY ts_ms DESC, id DESC LIMIT ?"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(values), |r| {
            // `COLUMNS` starts with `ts_ms`; `ttft_ms` and `latency_ms` are its 14th and 15th.
            Ok(LoggedCall {
                id: r.get(0)?,
                ts_ms: r.get(1)?,
                ttft_ms: r.get(14)?,
                latency_ms: r.get(15)?,
                row: CallRow::read(r, 1)?,
            })
        })?;
        let mut calls: Vec<LoggedCall> = rows.collect::<Result<_, _>>()?;
        calls.reverse();
        Ok(calls)
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;

    fn row(ts_ms: u64, model: &str, command: &str) -> CallRow {
        CallRow {
            ts: Some(UNIX_EPOCH + Duration::from_millis(ts_ms)),
            command: command.into(),
            model: model.into(),
            attempt: 1,
            latency: Duration::from_millis(10),
            ..Default::default()
        }
    }

    #[test]
    fn filters_select_rows_and_the_log_is_oldest_first() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let mut rows = vec![
            row(1_000, "a", "chat"),
            row(2_000, "b", "chat"),
            row(3_000, "a", "batch"),
            row(4_000, "c", "chat"),
        ];
        rows[1].profile = Some("work".into());
        rows[2].error_code = Some("429".into());
        store.record_calls(&rows).unwrap();
        let seen = |f: &CallFilter| {
            let mut out = Vec::new();
            store
                .scan_calls(f, KeyColumns::ALL, |c| out.push((c.ts_ms, c.failed)))
                .unwrap();
            out.sort();
            out
        };
        assert_eq!(seen(&CallFilter::default()).len(), 4);
        let f = CallFilter {
            since_ms: Some(2_000),
            until_ms: Some(4_000),
            ..Default::default()
        };
        assert_eq!(seen(&f), [(2_000, false), (3_000, true)]);
        let f = CallFilter {
            models: vec!["a".into(), "c".into()],
            commands: vec!["chat".into()],
            ..Default::default()
        };
        assert_eq!(seen(&f), [(1_000, false), (4_000, false)]);
        let f = CallFilter {
            profiles: vec!["work".into()],
            ..Default::default()
        };
        assert_eq!(seen(&f), [(2_000, false)]);
        // Two halves of the id range (as two threads scan them) cover every row once.
        let (start, end) = store.call_id_range().unwrap().unwrap();
        assert_eq!(end - start, 4);
        let half = |ids| {
            seen(&CallFilter {
                ids: Some(ids),
                ..Default::default()
            })
        };
        let (first, second) = (half((start, start + 2)), half((start + 2, end)));
        assert_eq!((first.len(), second.len()), (2, 2));
        assert_eq!([first, second].concat(), seen(&CallFilter::default()));
        let log = store.recent_calls(&CallFilter::default(), 2).unwrap();
        let times: Vec<i64> = log.iter().map(|c| c.ts_ms).collect();
        assert_eq!(times, [3_000, 4_000]);
        assert_eq!(log[0].error_code.as_deref(), Some("429"));
    }
}
