//! Usage reports from the ledger (`qwen usage`): totals, splits and latency percentiles,
//! the recorded calls (`log`), and budgets.
//!
//! `store/report.rs` hands over the rows of the window one at a time; this module adds them
//! up per group in one pass and `render.rs` writes the result. Percentiles are nearest-rank
//! over the sorted latencies of successful attempts. Days are UTC days ([`when`]), so a
//! report reads the same on every machine and in CI.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::Path;

use crate::store::{CallFact, CallFilter, KeyColumns, Store};
use when::DAY_MS;

pub mod budget;
pub mod log;
pub mod render;
mod totals;
pub mod when;

pub use totals::{Summary, Totals, percentile};

/// How a report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// An aligned table for people.
    Table,
    /// One JSON object.
    Json,
    /// One JSON object per line.
    Jsonl,
    /// Comma-separated values with a header.
    Csv,
    /// Prometheus text exposition format.
    Prometheus,
}

/// What a report splits its totals by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UsageKey {
    /// The UTC day.
    Day,
    /// The model asked for.
    Model,
    /// The `qwen` command.
    Command,
    /// The config profile.
    Profile,
}

/// Opens the store of `data_dir` for reading; `None` when there is none yet (reading must
/// not create a store: no file means nothing was recorded).
pub fn open_store(data_dir: &Path) -> anyhow::Result<Option<Store>> {
    if Store::path(data_dir).exists() {
        Ok(Some(Store::open(data_dir)?))
    } else {
        Ok(None)
    }
}

/// Adds up the ledger rows `filter` selects, split by `keys` (none: the total alone).
pub fn totals(
    store: Option<&Store>,
    data_dir: &Path,
    filter: &CallFilter,
    keys: Vec<UsageKey>,
) -> anyhow::Result<Finished> {
    let report = match store {
        Some(store) => scan(store, data_dir, filter, keys)?,
        None => Report::new(keys),
    };
    Ok(report.finish())
}

/// A ledger this large is scanned by two threads, each with its own connection; below it,
/// a second connection costs more than it saves.
const PARALLEL_ROWS: i64 = 100_000;

/// Adds up the rows `filter` selects. Decoding rows in SQLite is most of a report's time, so
/// a large ledger is split in two halves by row id, one per thread (WAL lets both read).
fn scan(
    store: &Store,
    data_dir: &Path,
    filter: &CallFilter,
    keys: Vec<UsageKey>,
) -> anyhow::Result<Report> {
    let mut report = Report::new(keys.clone());
    let columns = report.columns();
    let range = store.call_id_range()?;
    let Some((start, end)) = range.filter(|(start, end)| end - start >= PARALLEL_ROWS) else {
        store.scan_calls(filter, columns, |fact| report.add(fact))?;
        return Ok(report);
    };
    let middle = start + (end - start) / 2;
    let first = CallFilter {
        ids: Some((start, middle)),
        ..filter.clone()
    };
    let second = CallFilter {
        ids: Some((middle, end)),
        ..filter.clone()
    };
    let other = std::thread::scope(|scope| {
        let handle = scope.spawn(|| -> anyhow::Result<Report> {
            let mut other = Report::new(keys);
            Store::open(data_dir)?.scan_calls(&second, columns, |fact| other.add(fact))?;
            Ok(other)
        });
        store.scan_calls(&first, columns, |fact| report.add(fact))?;
        handle
            .join()
            .map_err(|_| anyhow::anyhow!("the second report thread failed"))?
    })?;
    report.absorb(other);
    Ok(report)
}

/// One group's key values, in `--by` order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum KeyValue {
    /// A UTC day (days since 1970-01-01).
    Day(i64),
    /// A name; `None` for a row without one (no profile).
    Name(Option<String>),
}

/// A finished report.
#[derive(Debug, Clone, PartialEq)]
pub struct Finished {
    /// The keys groups are split by.
    pub keys: Vec<UsageKey>,
    /// Groups in key order.
    pub groups: Vec<(Vec<KeyValue>, Totals)>,
    /// Everything.
    pub total: Totals,
}

/// FxHash, rustc's hasher. Grouping hashes a key for every ledger row, and SipHash's defence
/// against hash flooding buys nothing for keys made of our own integers and model names.
#[derive(Default)]
struct FxHasher(u64);

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Interns names so that grouping a million rows allocates once per distinct name.
#[derive(Default)]
struct Names {
    ids: FxMap<String, i64>,
    names: Vec<String>,
}

impl Names {
    /// Returns the id of `name` (0 for none).
    fn id(&mut self, name: Option<&str>) -> i64 {
        let Some(name) = name else { return 0 };
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        self.names.push(name.to_owned());
        let id = self.names.len() as i64;
        self.ids.insert(name.to_owned(), id);
        id
    }

    fn name(&self, id: i64) -> Option<String> {
        usize::try_from(id - 1).ok().map(|i| self.names[i].clone())
    }
}

/// A report being built.
struct Report {
    keys: Vec<UsageKey>,
    names: Names,
    groups: FxMap<[i64; 4], Totals>,
}

impl Report {
    fn new(keys: Vec<UsageKey>) -> Self {
        Self {
            keys,
            names: Names::default(),
            groups: FxMap::default(),
        }
    }

    /// The key columns the report splits by.
    fn columns(&self) -> KeyColumns {
        KeyColumns {
            time: self.keys.contains(&UsageKey::Day),
            model: self.keys.contains(&UsageKey::Model),
            command: self.keys.contains(&UsageKey::Command),
            profile: self.keys.contains(&UsageKey::Profile),
        }
    }

    fn add(&mut self, c: &CallFact<'_>) {
        let mut key = [0i64; 4];
        for (slot, k) in key.iter_mut().zip(&self.keys) {
            *slot = match k {
                UsageKey::Day => c.ts_ms.div_euclid(DAY_MS),
                UsageKey::Model => self.names.id(Some(c.model)),
                UsageKey::Command => self.names.id(Some(c.command)),
                UsageKey::Profile => self.names.id(c.profile),
            };
        }
        self.groups.entry(key).or_default().add(c);
    }

    /// Adds another report over other rows (with its own name ids) to this one.
    fn absorb(&mut self, other: Report) {
        for (key, totals) in other.groups {
            let mut mine = [0i64; 4];
            for ((slot, k), v) in mine.iter_mut().zip(&self.keys).zip(key) {
                *slot = match k {
                    UsageKey::Day => v,
                    _ => self.names.id(other.names.name(v).as_deref()),
                };
            }
            self.groups.entry(mine).or_default().merge(&totals);
        }
    }

    fn finish(mut self) -> Finished {
        let mut total = Totals::default();
        if self.keys.is_empty() {
            // One group with an empty key is the total itself.
            total = self.groups.remove(&[0; 4]).unwrap_or_default();
        }
        let mut groups: Vec<(Vec<KeyValue>, Totals)> = self
            .groups
            .into_iter()
            .map(|(key, mut totals)| {
                total.merge(&totals);
                totals.summarize();
                let values = self
                    .keys
                    .iter()
                    .zip(key)
                    .map(|(k, v)| match k {
                        UsageKey::Day => KeyValue::Day(v),
                        _ => KeyValue::Name(self.names.name(v)),
                    })
                    .collect();
                (values, totals)
            })
            .collect();
        groups.sort_by(|a, b| a.0.cmp(&b.0));
        total.summarize();
        Finished {
            keys: self.keys,
            groups,
            total,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prices::Currency;

    fn fact(model: &'static str, day: i64, latency: f64) -> CallFact<'static> {
        CallFact {
            ts_ms: day * DAY_MS + 1,
            command: "chat",
            profile: None,
            model,
            failed: false,
            prompt_tokens: Some(10),
            completion_tokens: Some(5),
            reasoning_tokens: Some(1),
            cached_tokens: Some(2),
            ttft_ms: Some(latency / 2.0),
            latency_ms: latency,
            cost: Some(0.25),
            currency: Some("USD"),
            cache_hit: false,
            saved_tokens: None,
            cache_write_tokens: None,
            explicit_cache: false,
            cache_saved: None,
            media_tokens: Default::default(),
        }
    }

    #[test]
    fn aggregation_matches_a_hand_computed_fixture() {
        let mut r = Report::new(vec![UsageKey::Day, UsageKey::Model]);
        r.add(&fact("b", 1, 300.0));
        r.add(&fact("a", 1, 100.0));
        r.add(&fact("a", 1, 200.0));
        r.add(&fact("a", 2, 50.0));
        // A failed attempt without tokens: an error, not billed, not in the latencies.
        r.add(&CallFact {
            failed: true,
            prompt_tokens: None,
            completion_tokens: None,
            reasoning_tokens: None,
            cached_tokens: None,
            cost: None,
            currency: None,
            ..fact("a", 1, 9_000.0)
        });
        // A reply from an unpriced model: counted as unknown, never as 0.
        r.add(&CallFact {
            cost: None,
            currency: None,
            ..fact("a", 1, 150.0)
        });
        // A cache hit: no request, tokens saved.
        r.add(&CallFact {
            cache_hit: true,
            saved_tokens: Some(39),
            ..fact("a", 1, 1.0)
        });
        let f = r.finish();
        let keys: Vec<_> = f.groups.iter().map(|g| g.0.clone()).collect();
        let name = |s: &str| KeyValue::Name(Some(s.into()));
        assert_eq!(
            keys,
            [
                vec![KeyValue::Day(1), name("a")],
                vec![KeyValue::Day(1), name("b")],
                vec![KeyValue::Day(2), name("a")],
            ]
        );
        let a1 = &f.groups[0].1;
        assert_eq!((a1.requests, a1.errors), (4, 1));
        assert_eq!(a1.error_rate(), 0.25);
        assert_eq!((a1.input_tokens, a1.output_tokens), (30, 15));
        assert_eq!((a1.reasoning_tokens, a1.cached_tokens), (3, 6));
        assert_eq!(a1.cost.get(&Currency::Usd), Some(&0.5));
        assert_eq!(a1.unpriced, 1);
        assert_eq!((a1.cache_hits, a1.saved_tokens), (1, 39));
        assert_eq!((a1.latency.count, a1.latency.sum_ms), (3, 450.0));
        assert_eq!(a1.latency.p50, Some(150.0));
        assert_eq!(a1.ttft.p50, Some(75.0));
        // The same rows split between two reports (as two threads scan them) add up alike.
        let (mut one, mut two) = (
            Report::new(vec![UsageKey::Model]),
            Report::new(vec![UsageKey::Model]),
        );
        for (i, model) in ["x", "y", "x", "z", "y"].into_iter().enumerate() {
            let r = if i % 2 == 0 { &mut one } else { &mut two };
            r.add(&fact(model, 1, 10.0 * (i as f64 + 1.0)));
        }
        one.absorb(two);
        let split = one.finish();
        let counts: Vec<(KeyValue, u64, Option<f64>)> = split
            .groups
            .iter()
            .map(|(k, t)| (k[0].clone(), t.requests, t.latency.p99))
            .collect();
        assert_eq!(
            counts,
            [
                (name("x"), 2, Some(30.0)),
                (name("y"), 2, Some(50.0)),
                (name("z"), 1, Some(40.0)),
            ]
        );
        let t = &f.total;
        assert_eq!(
            (t.requests, t.errors, t.unpriced, t.cache_hits),
            (6, 1, 1, 1)
        );
        assert_eq!(t.cost.get(&Currency::Usd), Some(&1.0));
        assert_eq!((t.latency.count, t.latency.sum_ms), (5, 800.0));
        assert_eq!((t.latency.p50, t.latency.p95), (Some(150.0), Some(300.0)));
    }
}
