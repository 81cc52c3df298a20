//! The results of a batch run as they come in: one JSONL line per item (in input order
//! with `--ordered`), `--out-dir` reply files, ledger rows, the counters the progress display
//! shows, the summary line and the exit status. Local and remote runs share it.

use std::cell::Cell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use super::item::{self, ItemResult, Outcome};
use super::journal::Sink;
use crate::config::Settings;
use crate::exit::Exit;
use crate::output::progress::{Counts, Progress};
use crate::output::{SCHEMA_VERSION, usage_json};
use crate::prices::Currency;
use crate::term::note;
use crate::units::format_duration;
use crate::validate::{self, Schema};

mod out_dir;

/// Where and how result lines are written.
#[derive(Debug, Clone)]
pub struct OutputOptions {
    /// `--output`: the JSONL results file; `None` writes them to stdout.
    pub output: Option<PathBuf>,
    /// `--ordered`.
    pub ordered: bool,
    /// `--out-dir`.
    pub out_dir: Option<PathBuf>,
    /// `--ext`.
    pub ext: String,
    /// `--fail-fast`.
    pub fail_fast: bool,
    /// Results come from the Batch API: ledger rows get the batch price.
    pub remote: bool,
}

/// The state of a run as results come in.
pub struct Run<'a> {
    pub settings: &'a Settings,
    pub output: OutputOptions,
    pub schema: Option<&'a Schema>,
    pub params: &'a crate::api::types::Params,
    /// Writes the ledger rows, started at the first ones.
    writer: Option<crate::ledger::Background>,
    pub batch_id: String,
    pub counts: Counts,
    pub progress: Progress,
    /// `--ordered`: finished lines waiting for the ones before them.
    ordered: BTreeMap<usize, Option<Vec<u8>>>,
    next: usize,
    pub stop: &'a Cell<bool>,
    pub stop_reason: Option<Exit>,
    /// Ledger rows not sent to the writer yet: they go in groups, so that its thread wakes
    /// once per group rather than once per item.
    pending_rows: Vec<crate::store::CallRow>,
    last_flush: std::time::Instant,
    /// `--out-dir` files (normalised) and the id of the item that owns each, from this
    /// run and, on resume, from the journal.
    out_files: HashMap<PathBuf, String>,
    /// `--out-dir` files written by this run.
    written: HashSet<PathBuf>,
    /// The longest file name the `--out-dir` file system takes, once known.
    name_max: Option<usize>,
    /// Record attempts in the ledger (off when re-fetching a job already recorded).
    pub ledger: bool,
    /// The run's estimated cost and its currency, from the attempts' usage.
    cost: Option<(f64, String)>,
    /// Some attempt used tokens at an unknown price.
    cost_unknown: bool,
    /// The explicit prompt cache: tokens written, explicit hits, and the net saving (in the
    /// cost's currency; `None` once some attempt's saving is unknown).
    cache: Option<(u64, u64, Option<f64>)>,
}

impl<'a> Run<'a> {
    /// Starts a run's bookkeeping.
    pub fn new(
        settings: &'a Settings,
        output: OutputOptions,
        schema: Option<&'a Schema>,
        params: &'a crate::api::types::Params,
        batch_id: String,
        stop: &'a Cell<bool>,
    ) -> Self {
        Self {
            settings,
            output,
            schema,
            params,
            writer: None,
            batch_id,
            counts: Counts::default(),
            progress: Progress::new(settings.quiet),
            ordered: BTreeMap::new(),
            next: 0,
            stop,
            stop_reason: None,
            pending_rows: Vec::new(),
            last_flush: std::time::Instant::now(),
            out_files: HashMap::new(),
            written: HashSet::new(),
            name_max: None,
            ledger: settings.ledger,
            cost: None,
            cost_unknown: false,
            cache: None,
        }
    }

    /// Reserves the `--out-dir` files earlier runs wrote for their items, so an item of
    /// this run whose name maps to the same file gets another one.
    pub fn claim_out_files(&mut self, claims: HashMap<PathBuf, String>) {
        self.out_files.extend(claims);
    }

    /// Hands the pending ledger rows to the writer (dropping the run does it too, so an
    /// early error return loses no billed attempt).
    pub fn flush_ledger(&mut self) {
        if self.pending_rows.is_empty() {
            return;
        }
        let rows = std::mem::take(&mut self.pending_rows);
        self.writer
            .get_or_insert_with(|| crate::ledger::Background::start(self.settings))
            .send(rows);
        self.last_flush = std::time::Instant::now();
    }

    /// Writes one finished item and updates the counters, the ledger and the progress.
    pub fn finish_item(&mut self, mut result: ItemResult, sink: &mut Sink) -> anyhow::Result<()> {
        self.record(&result);
        self.check_output(&mut result);
        let file = self.write_out_file(&mut result);
        let line = self.line(&result, file.as_deref())?;
        let c = &mut self.counts;
        c.retries += result.attempts.len().saturating_sub(1) as u64;
        match &result.outcome {
            Outcome::Ok(completion) => {
                c.ok += 1;
                c.tokens += completion.usage.map_or(0, |u| u.total_tokens);
            }
            Outcome::Failed(e) => {
                c.failed += 1;
                if let Some(exit) = e.fatal
                    && self.stop_reason.is_none()
                {
                    self.stop.set(true);
                    self.stop_reason = Some(exit);
                    let why = if exit == Exit::Auth {
                        "the API key was rejected"
                    } else {
                        "the account cannot take more requests"
                    };
                    note(
                        "error",
                        &format!(
                            "stopping the run: {} — {why}; items not started yet were left \
                             alone (rerun with --resume)",
                            e.message
                        ),
                    );
                } else if self.output.fail_fast && !self.stop.get() {
                    self.stop.set(true);
                    note("note", "stopping after the first failure (--fail-fast)");
                }
            }
            Outcome::Skipped(_) => c.skipped += 1,
            Outcome::AlreadyDone => c.resumed += 1,
            Outcome::Interrupted => c.interrupted += 1,
            Outcome::NotStarted => {}
        }
        if !matches!(result.outcome, Outcome::NotStarted) {
            c.done += 1;
        }
        self.write(result.index, line, sink)?;
        self.progress.update(&self.counts);
        Ok(())
    }

    /// Records an item's attempts (ledger rows, the run's cost) without writing its line:
    /// [`Run::finish_item`] does both; an item whose output failed gets only this.
    pub fn record(&mut self, result: &ItemResult) {
        if result.attempts.is_empty() {
            return;
        }
        let rows: Vec<_> = result
            .attempts
            .iter()
            .map(|a| {
                let mut row = crate::ledger::row(self.settings, "batch", a);
                row.batch_id = Some(self.batch_id.clone());
                row.item_id = Some(result.id.clone());
                if self.output.remote {
                    // The Batch API bills half the real-time price.
                    let host = crate::api::endpoints::host_of(&self.settings.base_url);
                    let cost = a.usage.and_then(|u| {
                        std::iter::once(&a.model)
                            .chain(&a.requested_model)
                            .find_map(|m| {
                                crate::prices::cost(
                                    &self.settings.prices,
                                    m,
                                    host,
                                    &u,
                                    u.reasoning_tokens > 0,
                                    true,
                                )
                            })
                    });
                    row.cost = cost.map(|c| c.amount);
                    row.currency = cost.map(|c| c.currency.code().to_owned());
                    // No cache discount on the Batch API.
                    row.cache_saved = None;
                }
                row
            })
            .collect();
        for row in &rows {
            let explicit = row.cache_type.as_deref() == Some("ephemeral");
            if explicit || row.cache_write_tokens.is_some_and(|n| n > 0) {
                let (written, hit, saved) = self.cache.get_or_insert((0, 0, Some(0.0)));
                *written += row.cache_write_tokens.unwrap_or(0);
                if explicit {
                    *hit += row.cached_tokens.unwrap_or(0);
                }
                *saved = saved.zip(row.cache_saved).map(|(a, b)| a + b);
            }
            match (row.cost, &row.currency) {
                (Some(amount), Some(currency)) => match &mut self.cost {
                    Some((total, cur)) if cur == currency => *total += amount,
                    Some(_) => self.cost_unknown = true,
                    None => self.cost = Some((amount, currency.clone())),
                },
                _ if row.prompt_tokens.is_some_and(|t| t > 0) => self.cost_unknown = true,
                _ => {}
            }
        }
        if self.ledger {
            self.pending_rows.extend(rows);
            if self.pending_rows.len() >= 64
                || self.last_flush.elapsed() >= std::time::Duration::from_millis(250)
            {
                self.flush_ledger();
            }
        }
    }

    /// `--json` / `--schema`: a reply that does not fit fails the item.
    fn check_output(&self, result: &mut ItemResult) {
        let Outcome::Ok(completion) = &result.outcome else {
            return;
        };
        if let Err(err) = validate::check(self.params, self.schema, &completion.text) {
            result.outcome = Outcome::Failed(item::ItemError {
                status: None,
                code: Some("invalid_output".into()),
                message: err.0,
                request_id: completion.request_id.clone(),
                fatal: None,
            });
        }
    }

    /// Builds the result line, writing `--out-dir` files on the way; `None` for items
    /// that produce no line (already done, never started).
    /// Returns the exit status for the run so far.
    pub fn exit(&self, interrupted: bool) -> Exit {
        if interrupted {
            Exit::Interrupted
        } else if let Some(exit) = self.stop_reason {
            exit
        } else if self.counts.failed + self.counts.skipped > 0 {
            Exit::Partial
        } else {
            Exit::Success
        }
    }

    fn line(&self, r: &ItemResult, file: Option<&Path>) -> anyhow::Result<Option<Vec<u8>>> {
        if matches!(r.outcome, Outcome::AlreadyDone | Outcome::NotStarted) {
            return Ok(None);
        }
        let mut line = Map::new();
        line.insert("v".into(), json!(SCHEMA_VERSION));
        line.insert("id".into(), json!(r.id));
        line.insert(
            "path".into(),
            json!(r.path.as_ref().map(|p| p.display().to_string())),
        );
        line.insert("key".into(), json!(r.key));
        match &r.outcome {
            Outcome::Ok(c) => {
                line.insert("status".into(), json!("ok"));
                match file {
                    Some(file) => {
                        line.insert("file".into(), json!(file.display().to_string()));
                    }
                    None => {
                        line.insert("output".into(), json!(c.text));
                    }
                }
                if !c.reasoning.is_empty() {
                    line.insert("reasoning".into(), json!(c.reasoning));
                }
                if !c.sources.is_empty() {
                    line.insert("sources".into(), crate::output::sources::array(&c.sources));
                }
                line.insert(
                    "usage".into(),
                    c.usage.as_ref().map_or(Value::Null, usage_json),
                );
                line.insert("model".into(), json!(c.model));
                if let Some(asked) = r.attempts.last().and_then(|a| a.requested_model.as_ref()) {
                    line.insert("requested_model".into(), json!(asked));
                }
            }
            other => outcome_fields(&mut line, other),
        }
        if let (Outcome::Interrupted, Some(Value::Object(error))) =
            (&r.outcome, line.get_mut("error"))
        {
            let request_id = r.attempts.last().and_then(|a| a.request_id.clone());
            error.insert("request_id".into(), json!(request_id));
        }
        line.insert("attempts".into(), json!(r.attempts.len()));
        line.insert("latency_ms".into(), json!(r.latency.as_millis() as u64));
        Ok(Some(serde_json::to_vec(&Value::Object(line))?))
    }

    /// Writes every line still held back by `--ordered` (after an abort, gaps and all).
    pub fn flush_ordered(&mut self, sink: &mut Sink) -> anyhow::Result<()> {
        for (_, line) in std::mem::take(&mut self.ordered) {
            if let Some(line) = line {
                self.progress.suspend(|| sink.out(&line))?;
            }
        }
        Ok(())
    }

    fn write(
        &mut self,
        index: usize,
        line: Option<Vec<u8>>,
        sink: &mut Sink,
    ) -> anyhow::Result<()> {
        // The journal first, as the item finishes: resume appends to `-o` whatever the
        // journal has and `-o` lacks, so a line that never reached `-o` (killed while it
        // waited for `--ordered`, or a full disk) is neither lost nor paid for twice.
        if let Some(line) = &line {
            sink.journal(line)?;
        }
        let progress = &self.progress;
        if !self.output.ordered {
            return match line {
                Some(line) => progress.suspend(|| sink.out(&line)),
                None => Ok(()),
            };
        }
        self.ordered.insert(index, line);
        while let Some(line) = self.ordered.remove(&self.next) {
            if let Some(line) = line {
                progress.suspend(|| sink.out(&line))?;
            }
            self.next += 1;
        }
        Ok(())
    }

    /// Writes what is pending and prints the summary line.
    pub fn summary(&mut self) {
        self.flush_ledger();
        if let Some(writer) = self.writer.take() {
            writer.finish();
        }
        if self.settings.quiet {
            return;
        }
        let c = &self.counts;
        let mut others = String::new();
        if c.interrupted > 0 {
            others.push_str(&format!(", {} interrupted", c.interrupted));
        }
        if c.resumed > 0 {
            others.push_str(&format!(" ({} already done)", c.resumed));
        }
        let cost = match (&self.cost, self.cost_unknown) {
            (None, false) => String::new(),
            (None, true) => "; cost unknown".to_owned(),
            (Some((amount, currency)), unknown) => format!(
                "; cost {}{} {currency}",
                if unknown { "at least " } else { "" },
                crate::prices::format_amount(*amount)
            ),
        };
        note(
            "batch",
            &format!(
                "{} item(s): {} ok, {} failed, {} skipped{others}; {} tokens{cost}; {} retries; {}",
                c.done,
                c.ok,
                c.failed,
                c.skipped,
                c.tokens,
                c.retries,
                format_duration(self.progress.elapsed())
            ),
        );
        if let Some((written, hit, saved)) = self.cache {
            let currency = self.cost.as_ref().and_then(|(_, c)| Currency::parse(c));
            let saved = saved
                .zip(currency)
                .map(|(amount, currency)| crate::prices::Cost { amount, currency });
            note("batch", &crate::prices::cache_line(written, hit, saved));
        }
    }
}

impl Drop for Run<'_> {
    fn drop(&mut self) {
        self.flush_ledger();
    }
}

/// Adds the `status` (and `reason` or `error`) of an item that did not answer.
pub fn outcome_fields(line: &mut Map<String, Value>, outcome: &Outcome) {
    match outcome {
        Outcome::Skipped(reason) => {
            line.insert("status".into(), json!("skipped"));
            line.insert("reason".into(), json!(reason));
        }
        Outcome::Failed(e) => {
            line.insert("status".into(), json!("failed"));
            line.insert(
                "error".into(),
                json!({"status": e.status, "code": e.code, "message": e.message,
                       "request_id": e.request_id}),
            );
        }
        Outcome::Interrupted => {
            line.insert("status".into(), json!("interrupted"));
            line.insert(
                "error".into(),
                json!({"status": null, "code": "interrupted",
                       "message": "the run was stopped while the request was in flight",
                       "request_id": null}),
            );
        }
        _ => {}
    }
}
