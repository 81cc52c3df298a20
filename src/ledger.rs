//! Writes ledger rows for API attempts, and never lets a broken store break a command.
//!
//! The schema and SQL live in `store.rs`; this module maps turn attempts to rows and owns
//! the "warn once, keep working" policy for a store that cannot be written.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

use crate::api::endpoints;
use crate::api::turn::AttemptRecord;
use crate::config::Settings;
use crate::store::{CallRow, MediaTokens, Store};
use crate::{cache, prices};

static WARNED: AtomicBool = AtomicBool::new(false);

/// Warns on stderr, once per process, that the store could not be used.
pub fn warn_store_once(settings: &Settings, err: &anyhow::Error) {
    warn_once(settings.quiet, err);
}

fn warn_once(quiet: bool, err: &anyhow::Error) {
    if !WARNED.swap(true, Ordering::Relaxed) && !quiet {
        crate::term::note(
            "warning",
            &format!("the local store could not be written ({err:#}); continuing without it"),
        );
    }
}

/// Maps an attempt to a ledger row, with its estimated cost when the price is known.
pub fn row(settings: &Settings, command: &str, record: &AttemptRecord) -> CallRow {
    let usage = record.usage;
    let host = endpoints::host_of(&settings.base_url);
    // Thinking mode is not in the record; reasoning tokens are what it bills for. The
    // model that answered sets the price; a name the table does not know (a dated
    // snapshot behind an alias) falls back to the name asked for.
    let cost = usage.and_then(|u| {
        std::iter::once(&record.model)
            .chain(&record.requested_model)
            .find_map(|model| {
                prices::cost(
                    &settings.prices,
                    model,
                    host,
                    &u,
                    u.reasoning_tokens > 0,
                    false,
                )
            })
    });
    let saved = usage.and_then(|u| {
        std::iter::once(&record.model)
            .chain(&record.requested_model)
            .find_map(|model| prices::cache_saving(&settings.prices, model, host, &u, false))
    });
    CallRow {
        ts: Some(record.started_at),
        command: command.to_owned(),
        profile: settings.profile.clone(),
        host: host.map(str::to_owned),
        model: record.model.clone(),
        requested_model: record.requested_model.clone(),
        request_id: record.request_id.clone(),
        status: record.status,
        error_code: record.error_code.clone(),
        attempt: record.attempt,
        prompt_tokens: usage.map(|u| u.prompt_tokens),
        completion_tokens: usage.map(|u| u.completion_tokens),
        reasoning_tokens: usage.map(|u| u.reasoning_tokens),
        cached_tokens: usage.map(|u| u.cached_tokens),
        media_tokens: MediaTokens {
            image: usage.map(|u| u.image_tokens).filter(|n| *n > 0),
            audio: usage.map(|u| u.audio_tokens).filter(|n| *n > 0),
            video: usage.map(|u| u.video_tokens).filter(|n| *n > 0),
            output_audio: usage.map(|u| u.output_audio_tokens).filter(|n| *n > 0),
        },
        ttft: record.ttft,
        latency: record.latency,
        cost: cost.map(|c| c.amount),
        currency: cost.map(|c| c.currency.code().to_owned()),
        cache_write_tokens: usage.map(|u| u.cache_write_tokens),
        cache_type: usage
            .filter(|u| u.explicit_cache)
            .map(|_| "ephemeral".to_owned()),
        // In the cost's currency, so that both add up per currency.
        cache_saved: saved
            .filter(|s| cost.is_some_and(|c| c.currency == s.currency))
            .map(|s| s.amount),
        ..Default::default()
    }
}

/// Maps a reply served from the response cache to a ledger row: nothing billed, and the
/// tokens the original request used recorded as saved.
pub fn cache_hit_row(settings: &Settings, command: &str, hit: &cache::Hit) -> CallRow {
    CallRow {
        ts: Some(hit.looked_up_at),
        command: command.to_owned(),
        profile: settings.profile.clone(),
        host: endpoints::host_of(&settings.base_url).map(str::to_owned),
        model: hit.completion.model.clone(),
        request_id: hit.completion.request_id.clone(),
        attempt: 1,
        prompt_tokens: Some(0),
        completion_tokens: Some(0),
        reasoning_tokens: Some(0),
        cached_tokens: Some(0),
        latency: hit.latency,
        cache_hit: true,
        saved_tokens: hit.saved.map(|u| u.total_tokens),
        ..Default::default()
    }
}

/// Adds the prompt to every row and the reply to the successful one, when the user opted
/// in with `log_content = true`.
pub fn add_content(settings: &Settings, rows: &mut [CallRow], prompt: &str, reply: Option<&str>) {
    if !settings.log_content {
        return;
    }
    for row in rows {
        row.prompt = Some(prompt.to_owned());
        if row.error_code.is_none() {
            row.response = reply.map(str::to_owned);
        }
    }
}

/// The store, opened on first use; a store that cannot be opened is reported once and
/// then left alone, so the command carries on without it.
pub struct LazyStore<'a> {
    settings: &'a Settings,
    store: Option<Store>,
    failed: bool,
}

impl<'a> LazyStore<'a> {
    /// Wraps an already open store, or none yet.
    pub fn new(settings: &'a Settings, store: Option<Store>) -> Self {
        Self {
            settings,
            store,
            failed: false,
        }
    }

    /// Runs `f` on the store, opening it first if needed, and returns its result; failures
    /// only warn (once) and give `None`.
    pub fn with<T>(&mut self, f: impl FnOnce(&mut Store) -> anyhow::Result<T>) -> Option<T> {
        if self.failed {
            return None;
        }
        if self.store.is_none() {
            match Store::open(&self.settings.data_dir) {
                Ok(store) => self.store = Some(store),
                Err(err) => {
                    self.failed = true;
                    warn_store_once(self.settings, &err);
                    return None;
                }
            }
        }
        match f(self.store.as_mut().expect("opened above")) {
            Ok(value) => Some(value),
            Err(err) => {
                warn_store_once(self.settings, &err);
                None
            }
        }
    }

    /// Records a command's attempts, unless the ledger is off.
    pub fn record(&mut self, command: &str, records: &[AttemptRecord]) {
        if !self.settings.ledger || records.is_empty() {
            return;
        }
        let rows: Vec<CallRow> = records
            .iter()
            .map(|r| row(self.settings, command, r))
            .collect();
        self.with(|store| store.record_calls(&rows));
    }

    /// Records a command's attempts with the prompt and reply text (kept only with
    /// `log_content = true`), unless the ledger is off.
    pub fn record_exchange(
        &mut self,
        command: &str,
        records: &[AttemptRecord],
        prompt: &str,
        reply: Option<&str>,
    ) {
        if !self.settings.ledger || records.is_empty() {
            return;
        }
        let mut rows: Vec<CallRow> = records
            .iter()
            .map(|r| row(self.settings, command, r))
            .collect();
        add_content(self.settings, &mut rows, prompt, reply);
        self.with(|store| store.record_calls(&rows));
    }

    /// Records a reply served from the response cache, unless the ledger is off.
    pub fn record_cache_hit(&mut self, command: &str, hit: &cache::Hit) {
        if !self.settings.ledger {
            return;
        }
        let row = cache_hit_row(self.settings, command, hit);
        self.with(|store| store.record_calls(&[row]));
    }
}

/// Ledger rows written on a thread of their own, for commands that make thousands of calls.
///
/// On the thread that drives the requests, each group's transaction (and folding the WAL
/// at the end) held up every response that arrived meanwhile: ~15 ms of a 3.3 s
/// `qwen batch` of 2,000 items (bench/batch.sh). Here the writes overlap the requests, and
/// [`Background::finish`] (or dropping it) waits only for the last group.
pub struct Background {
    tx: Option<mpsc::Sender<Vec<CallRow>>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Background {
    /// Starts the writer; the store is opened on its thread, at the first rows.
    pub fn start(settings: &Settings) -> Self {
        let (data_dir, quiet) = (settings.data_dir.clone(), settings.quiet);
        let (tx, rx) = mpsc::channel::<Vec<CallRow>>();
        let thread = std::thread::Builder::new()
            .name("qwen-ledger".into())
            .spawn(move || write_rows(&data_dir, quiet, &rx));
        match thread {
            Ok(thread) => Self {
                tx: Some(tx),
                thread: Some(thread),
            },
            Err(err) => {
                warn_once(
                    quiet,
                    &anyhow::Error::new(err).context("starting the ledger writer"),
                );
                Self {
                    tx: None,
                    thread: None,
                }
            }
        }
    }

    /// Queues rows to be written.
    pub fn send(&self, rows: Vec<CallRow>) {
        if let Some(tx) = &self.tx {
            // The writer only stops when this side hangs up, so the send cannot fail.
            let _ = tx.send(rows);
        }
    }

    /// Waits until every row sent has been written.
    pub fn finish(mut self) {
        self.join();
    }

    fn join(&mut self) {
        drop(self.tx.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        self.join();
    }
}

/// The writer thread: one transaction per wake-up with everything queued by then, and the
/// WAL folded into the database as soon as it passes its limit, not at exit.
fn write_rows(data_dir: &std::path::Path, quiet: bool, rx: &mpsc::Receiver<Vec<CallRow>>) {
    let mut store = None;
    while let Ok(mut rows) = rx.recv() {
        while let Ok(more) = rx.try_recv() {
            rows.extend(more);
        }
        if store.is_none() {
            match Store::open(data_dir) {
                Ok(opened) => store = Some(opened),
                Err(err) => {
                    warn_once(quiet, &err);
                    // Drain, so the senders never notice.
                    while rx.recv().is_ok() {}
                    return;
                }
            }
        }
        let Some(store) = store.as_mut() else { return };
        match store.record_calls(&rows) {
            Ok(()) => store.fold_wal(),
            Err(err) => warn_once(quiet, &err),
        }
    }
}
