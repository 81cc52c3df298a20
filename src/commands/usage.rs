//! `qwen usage`: totals, splits and latency percentiles from the ledger; `usage log`; budgets.
//!
//! `store/report.rs` hands over the rows of the window one at a time; this module adds them
//! up per group in one pass and `usage/render.rs` writes the result. Percentiles are
//! nearest-rank over the sorted latencies of successful attempts. Days are UTC days, so a
//! report reads the same on every machine and in CI.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::io::{self, Write};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::cli::{FormatArg, GlobalArgs, UsageAction, UsageArgs, UsageCommand, UsageKey};
use crate::exit::{BudgetExceeded, Exit, UsageError};
use crate::prices::{Cost, Currency};
use crate::store::{CallFact, CallFilter, KeyColumns, Store};
use crate::term::note;

mod log;
mod render;

const DAY_MS: i64 = 86_400_000;

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

impl ReportFormat {
    fn of(arg: Option<FormatArg>) -> Self {
        match arg {
            None | Some(FormatArg::Text | FormatArg::Table) => ReportFormat::Table,
            Some(FormatArg::Json) => ReportFormat::Json,
            Some(FormatArg::Jsonl) => ReportFormat::Jsonl,
            Some(FormatArg::Csv) => ReportFormat::Csv,
            Some(FormatArg::Prometheus) => ReportFormat::Prometheus,
        }
    }
}

/// Runs `qwen usage` (it needs no settings beyond the data directory, so no profile is read).
pub fn run(global: &GlobalArgs, cmd: &UsageCommand) -> anyhow::Result<Exit> {
    let args = &cmd.0;
    let format = ReportFormat::of(global.format);
    let now = SystemTime::now();
    let filter = filter(args, now)?;
    let lookup = |name: &str| std::env::var(name).ok();
    let data_dir = crate::config::data_dir(&lookup)?;
    // Reading must not create a store: no file yet means nothing was recorded.
    let store = if Store::path(&data_dir).exists() {
        Some(Store::open(&data_dir)?)
    } else {
        None
    };
    let mut out = io::stdout().lock();
    if let Some(UsageAction::Log(log_args)) = &args.action {
        if !args.by.is_empty() || args.budget.is_some() {
            return Err(UsageError::new(
                "`--by` and `--budget` apply to the totals, not to `qwen usage log`",
                None,
            )
            .into());
        }
        let calls = match &store {
            Some(store) => store.recent_calls(&filter, log_args.limit)?,
            None => Vec::new(),
        };
        log::write(&mut out, format, &calls)?;
        out.flush()?;
        return Ok(Exit::Success);
    }
    let keys = dedup(&args.by);
    if format == ReportFormat::Prometheus && keys.contains(&UsageKey::Day) {
        return Err(UsageError::new(
            "`--by day` does not fit `--format prometheus`",
            Some("Prometheus keeps time itself; split by model, command or profile".into()),
        )
        .into());
    }
    let budget = args.budget.as_deref().map(parse_budget).transpose()?;
    let report = match &store {
        Some(store) => scan(store, &data_dir, &filter, keys)?,
        None => Report::new(keys),
    };
    let report = report.finish();
    render::write(&mut out, format, &report, &filter)?;
    out.flush()?;
    drop(out);
    match budget {
        Some(budget) => check_budget(&report.total, budget, global.quiet),
        None => Ok(Exit::Success),
    }
}

/// A ledger this large is scanned by two threads, each with its own connection; below it,
/// a second connection costs more than it saves.
const PARALLEL_ROWS: i64 = 100_000;

/// Adds up the rows `filter` selects. Decoding rows in SQLite is most of a report's time, so
/// a large ledger is split in two halves by row id, one per thread (WAL lets both read).
fn scan(
    store: &Store,
    data_dir: &std::path::Path,
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

fn dedup(keys: &[UsageKey]) -> Vec<UsageKey> {
    let mut out = Vec::new();
    for key in keys {
        if !out.contains(key) {
            out.push(*key);
        }
    }
    out
}

fn filter(args: &UsageArgs, now: SystemTime) -> anyhow::Result<CallFilter> {
    let when = |flag: &str, text: &Option<String>| {
        text.as_deref()
            .map(|t| {
                parse_when(t, now).map_err(|e| UsageError::new(format!("`{flag} {t}`: {e}"), None))
            })
            .transpose()
    };
    Ok(CallFilter {
        since_ms: when("--since", &args.since)?,
        until_ms: when("--until", &args.until)?,
        models: args.model.clone(),
        commands: args.command.clone(),
        profiles: args.profile.clone(),
        ids: None,
    })
}

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

/// Parses `5`, `5usd`, `30 CNY`, `$5` or `¥30`.
fn parse_budget(text: &str) -> anyhow::Result<(f64, Option<Currency>)> {
    let t = text.trim();
    let (symbol, rest) = if let Some(rest) = t.strip_prefix('$') {
        (Some(Currency::Usd), rest)
    } else if let Some(rest) = t.strip_prefix('¥') {
        (Some(Currency::Cny), rest)
    } else {
        (None, t)
    };
    let split = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let (number, code) = rest.split_at(split);
    let amount: Option<f64> = number
        .parse()
        .ok()
        .filter(|a: &f64| a.is_finite() && *a >= 0.0);
    let code = code.trim();
    let currency = if code.is_empty() {
        Ok(symbol)
    } else {
        Currency::parse(code).map(Some).ok_or(())
    };
    match (amount, currency) {
        (Some(amount), Ok(currency)) => Ok((amount, currency)),
        _ => Err(UsageError::new(
            format!("`--budget {text}` is not an amount"),
            Some("examples: `--budget 5`, `--budget 5usd`, `--budget 30cny`".into()),
        )
        .into()),
    }
}

fn check_budget(
    total: &Totals,
    (limit, currency): (f64, Option<Currency>),
    quiet: bool,
) -> anyhow::Result<Exit> {
    let spent: Vec<Cost> = total
        .cost
        .iter()
        .map(|(&currency, &amount)| Cost { amount, currency })
        .filter(|c| currency.is_none_or(|want| c.currency == want))
        .collect();
    let show_limit = |c: Currency| {
        Cost {
            amount: limit,
            currency: c,
        }
        .to_string()
    };
    if total.unpriced > 0 && !quiet {
        note(
            "warning",
            &format!(
                "{} call(s) of unknown price are not counted against the budget",
                total.unpriced
            ),
        );
    }
    if let Some(over) = spent.iter().find(|c| c.amount > limit) {
        return Err(BudgetExceeded(format!(
            "estimated spend {over} exceeds the budget of {}",
            show_limit(over.currency)
        ))
        .into());
    }
    if !quiet {
        let shown = if spent.is_empty() {
            "0".to_owned()
        } else {
            spent
                .iter()
                .map(Cost::to_string)
                .collect::<Vec<_>>()
                .join(" + ")
        };
        let budget = currency.map_or_else(|| render::amount_plain(limit), show_limit);
        note(
            "note",
            &format!("estimated spend {shown} is within the budget of {budget}"),
        );
    }
    Ok(Exit::Success)
}

/// Sums for one group of ledger rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Totals {
    /// API attempts (cache hits are not requests).
    pub requests: u64,
    /// Failed attempts.
    pub errors: u64,
    /// Input tokens.
    pub input_tokens: u64,
    /// Output tokens (reasoning included).
    pub output_tokens: u64,
    /// Reasoning tokens.
    pub reasoning_tokens: u64,
    /// Cached input tokens.
    pub cached_tokens: u64,
    /// Estimated cost per currency.
    pub cost: BTreeMap<Currency, f64>,
    /// Billable attempts whose price is unknown (counted here, never as 0).
    pub unpriced: u64,
    /// Replies served from the response cache.
    pub cache_hits: u64,
    /// Tokens those hits saved.
    pub saved_tokens: u64,
    /// Latencies of successful attempts, ms, as collected (emptied by [`Totals::summarize`]).
    pub latencies_ms: Vec<f64>,
    /// Times to first token of successful attempts, ms, as collected.
    pub ttfts_ms: Vec<f64>,
    /// Latency of successful attempts.
    pub latency: Summary,
    /// Time to first token of successful attempts.
    pub ttft: Summary,
}

/// Count, sum and percentiles of a set of durations.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// How many.
    pub count: u64,
    /// Their sum, ms.
    pub sum_ms: f64,
    /// Median, ms.
    pub p50: Option<f64>,
    /// 95th percentile, ms.
    pub p95: Option<f64>,
    /// 99th percentile, ms.
    pub p99: Option<f64>,
}

impl Summary {
    /// Summarises `values` (reordering them).
    pub fn of(values: &mut [f64]) -> Self {
        Summary {
            count: values.len() as u64,
            sum_ms: values.iter().sum(),
            p50: percentile(values, 0.5),
            p95: percentile(values, 0.95),
            p99: percentile(values, 0.99),
        }
    }
}

impl Totals {
    fn add(&mut self, c: &CallFact<'_>) {
        if c.cache_hit {
            self.cache_hits += 1;
            self.saved_tokens += c.saved_tokens.unwrap_or(0);
            return;
        }
        self.requests += 1;
        self.errors += u64::from(c.failed);
        self.input_tokens += c.prompt_tokens.unwrap_or(0);
        self.output_tokens += c.completion_tokens.unwrap_or(0);
        self.reasoning_tokens += c.reasoning_tokens.unwrap_or(0);
        self.cached_tokens += c.cached_tokens.unwrap_or(0);
        match (c.cost, c.currency.and_then(Currency::parse)) {
            (Some(amount), Some(currency)) => *self.cost.entry(currency).or_default() += amount,
            // A failed attempt that reported no tokens was not billed.
            _ if c.prompt_tokens.is_some() || !c.failed => self.unpriced += 1,
            _ => {}
        }
        if !c.failed {
            self.latencies_ms.push(c.latency_ms);
            if let Some(t) = c.ttft_ms {
                self.ttfts_ms.push(t);
            }
        }
    }

    fn merge(&mut self, other: &Totals) {
        self.requests += other.requests;
        self.errors += other.errors;
        self.input_tokens += other.input_tokens;
        self.output_tokens += other.output_tokens;
        self.reasoning_tokens += other.reasoning_tokens;
        self.cached_tokens += other.cached_tokens;
        for (currency, amount) in &other.cost {
            *self.cost.entry(*currency).or_default() += amount;
        }
        self.unpriced += other.unpriced;
        self.cache_hits += other.cache_hits;
        self.saved_tokens += other.saved_tokens;
        self.latencies_ms.extend_from_slice(&other.latencies_ms);
        self.ttfts_ms.extend_from_slice(&other.ttfts_ms);
    }

    /// Computes the latency summaries and frees the collected values.
    pub fn summarize(&mut self) {
        self.latency = Summary::of(&mut self.latencies_ms);
        self.ttft = Summary::of(&mut self.ttfts_ms);
        self.latencies_ms = Vec::new();
        self.ttfts_ms = Vec::new();
    }

    /// Failed attempts as a fraction of attempts (0 when there were none).
    pub fn error_rate(&self) -> f64 {
        if self.requests == 0 {
            0.0
        } else {
            self.errors as f64 / self.requests as f64
        }
    }
}

/// The nearest-rank percentile (`p` in 0–1): the value at rank ⌈p·n⌉ (1-based) of the values
/// in ascending order. A selection, not a sort: linear time, and it reorders `values`.
pub fn percentile(values: &mut [f64], p: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let rank = ((p * values.len() as f64).ceil() as usize).clamp(1, values.len());
    Some(*values.select_nth_unstable_by(rank - 1, f64::total_cmp).1)
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

    #[test]
    fn nearest_rank_percentiles_match_hand_computed_values() {
        // Shuffled on purpose: the percentile selects, it does not need sorted input.
        let mut tens = vec![70.0, 10.0, 100.0, 40.0, 30.0, 90.0, 20.0, 60.0, 50.0, 80.0];
        // ⌈0.5·10⌉ = 5th, ⌈0.95·10⌉ = 10th, ⌈0.99·10⌉ = 10th.
        assert_eq!(percentile(&mut tens, 0.5), Some(50.0));
        assert_eq!(percentile(&mut tens, 0.95), Some(100.0));
        assert_eq!(percentile(&mut tens, 0.99), Some(100.0));
        let mut hundred: Vec<f64> = (1..=100).rev().map(f64::from).collect();
        assert_eq!(percentile(&mut hundred, 0.95), Some(95.0));
        assert_eq!(percentile(&mut hundred, 0.99), Some(99.0));
        assert_eq!(percentile(&mut [7.0], 0.99), Some(7.0));
        assert_eq!(percentile(&mut [4.0, 2.0, 3.0, 1.0], 0.5), Some(2.0));
        assert_eq!(percentile(&mut [], 0.5), None);
        let s = Summary::of(&mut [3.0, 1.0, 2.0]);
        assert_eq!(
            (s.count, s.sum_ms, s.p50, s.p99),
            (3, 6.0, Some(2.0), Some(3.0))
        );
    }

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

    #[test]
    fn budgets_parse_with_and_without_currency() {
        assert_eq!(parse_budget("5").unwrap(), (5.0, None));
        assert_eq!(parse_budget("5usd").unwrap(), (5.0, Some(Currency::Usd)));
        assert_eq!(parse_budget("30 CNY").unwrap(), (30.0, Some(Currency::Cny)));
        assert_eq!(parse_budget("$0.5").unwrap(), (0.5, Some(Currency::Usd)));
        assert_eq!(parse_budget("¥30").unwrap(), (30.0, Some(Currency::Cny)));
        assert!(parse_budget("five").is_err());
        assert!(parse_budget("5eur").is_err());
    }

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
