//! Writes ledger rows for API attempts, and never lets a broken store break a command.
//!
//! The schema and SQL live in `store.rs`; this module maps turn attempts to rows and owns
//! the "warn once, keep working" policy for a store that cannot be written.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::api::endpoints;
use crate::api::turn::AttemptRecord;
use crate::config::Settings;
use crate::store::{CallRow, Store};

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

/// Maps an attempt to a ledger row.
pub fn row(settings: &Settings, command: &str, record: &AttemptRecord) -> CallRow {
    let usage = record.usage;
    CallRow {
        ts: Some(record.started_at),
        command: command.to_owned(),
        profile: settings.profile.clone(),
        host: endpoints::host_of(&settings.base_url).map(str::to_owned),
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
        ..Default::default()
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

    /// Runs `f` on the store, opening it first if needed; failures only warn.
    pub fn with(&mut self, f: impl FnOnce(&mut Store) -> anyhow::Result<()>) {
        if self.failed {
            return;
        }
        if self.store.is_none() {
            match Store::open(&self.settings.data_dir) {
                Ok(store) => self.store = Some(store),
                Err(err) => {
                    self.failed = true;
                    warn_store_once(self.settings, &err);
                    return;
                }
            }
        }
        if let Err(err) = f(self.store.as_mut().expect("opened above")) {
            warn_store_once(self.settings, &err);
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
}
