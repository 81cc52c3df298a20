//! Writes ledger rows for API attempts, and never lets a broken store break a command.
//!
//! The schema and SQL live in `store.rs`; this module maps turn attempts to rows and owns
//! the "warn once, keep working" policy for a store that cannot be written.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::api::endpoints;
use crate::api::turn::AttemptRecord;
use crate::config::Settings;
use crate::store::{CallRow, Store};
use crate::{cache, prices};

static WARNED: AtomicBool = AtomicBool::new(false);

/// Warns on stderr, once per process, that the store could not be used.
pub fn warn_store_once(settings: &Settings, err: &anyhow::Error) {
    if !WARNED.swap(true, Ordering::Relaxed) && !settings.quiet {
        crate::error::note(
            "warning",
            &format!("the local store could not be written ({err:#}); continuing without it"),
        );
    }
}

/// Maps an attempt to a ledger row, with its estimated cost when the price is known.
pub fn row(settings: &Settings, command: &str, record: &AttemptRecord) -> CallRow {
    let usage = record.usage;
    let host = endpoints::host_of(&settings.base_url);
    // Thinking mode is not in the record; reasoning tokens are what it bills for.
    let cost = usage.and_then(|u| {
        prices::cost(
            &settings.prices,
            &record.model,
            host,
            &u,
            u.reasoning_tokens > 0,
            false,
        )
    });
    CallRow {
        ts: Some(record.started_at),
        command: command.to_owned(),
        profile: settings.profile.clone(),
        host: host.map(str::to_owned),
        model: record.model.clone(),
        request_id: record.request_id.clone(),
        status: record.status,
        error_code: record.error_code.clone(),
        attempt: record.attempt,
        prompt_tokens: usage.map(|u| u.prompt_tokens),
        completion_tokens: usage.map(|u| u.completion_tokens),
        reasoning_tokens: usage.map(|u| u.reasoning_tokens),
        cached_tokens: usage.map(|u| u.cached_tokens),
        ttft: record.ttft,
        latency: record.latency,
        cost: cost.map(|c| c.amount),
        currency: cost.map(|c| c.currency.code().to_owned()),
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
