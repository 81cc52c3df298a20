//! The usage ledger's rows: one per API attempt, appended in short transactions.

use std::time::{Duration, SystemTime};

use rusqlite::{TransactionBehavior, params};

use super::{Store, ms};

/// One row of the usage ledger: one API attempt.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallRow {
    /// When the attempt started.
    pub ts: Option<SystemTime>,
    /// The `qwen` command (`chat`, `batch`, …).
    pub command: String,
    /// The profile in use.
    pub profile: Option<String>,
    /// The API host.
    pub host: Option<String>,
    /// The model that answered, as the server named it (else the model asked for).
    pub model: String,
    /// The model asked for, when the server answered as another.
    pub requested_model: Option<String>,
    /// The request id.
    pub request_id: Option<String>,
    /// The HTTP status, if a response arrived.
    pub status: Option<u16>,
    /// The error code, if the attempt failed.
    pub error_code: Option<String>,
    /// Attempt number within its request (1 = first try).
    pub attempt: u32,
    /// Input tokens.
    pub prompt_tokens: Option<u64>,
    /// Output tokens.
    pub completion_tokens: Option<u64>,
    /// Reasoning tokens.
    pub reasoning_tokens: Option<u64>,
    /// Cached input tokens.
    pub cached_tokens: Option<u64>,
    /// Time to first token.
    pub ttft: Option<Duration>,
    /// Total latency.
    pub latency: Duration,
    /// Batch job id, for batch items.
    pub batch_id: Option<String>,
    /// Batch item id.
    pub item_id: Option<String>,
    /// Estimated cost, when the price is known.
    pub cost: Option<f64>,
    /// The currency of `cost` (`USD`, `CNY`).
    pub currency: Option<String>,
    /// The reply came from the response cache: nothing was sent or billed.
    pub cache_hit: bool,
    /// For a cache hit: the tokens the original request used.
    pub saved_tokens: Option<u64>,
    /// Prompt text, only with `log_content`.
    pub prompt: Option<String>,
    /// Response text, only with `log_content`.
    pub response: Option<String>,
}

impl Store {
    /// Appends rows to the usage ledger in one short transaction.
    pub fn record_calls(&mut self, rows: &[CallRow]) -> anyhow::Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO calls (ts_ms, command, profile, host, model, request_id, status,
                    error_code, attempt, prompt_tokens, completion_tokens, reasoning_tokens,
                    cached_tokens, ttft_ms, latency_ms, batch_id, item_id, cost, currency,
                    cache_hit, saved_tokens, prompt, response, requested_model)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                    ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)",
            )?;
            for r in rows {
                let secs = |d: Duration| d.as_secs_f64() * 1000.0;
                stmt.execute(params![
                    ms(r.ts.unwrap_or_else(SystemTime::now)),
                    r.command,
                    r.profile,
                    r.host,
                    r.model,
                    r.request_id,
                    r.status,
                    r.error_code,
                    r.attempt,
                    r.prompt_tokens.map(|v| v as i64),
                    r.completion_tokens.map(|v| v as i64),
                    r.reasoning_tokens.map(|v| v as i64),
                    r.cached_tokens.map(|v| v as i64),
                    r.ttft.map(secs),
                    secs(r.latency),
                    r.batch_id,
                    r.item_id,
                    r.cost,
                    r.currency,
                    r.cache_hit,
                    r.saved_tokens.map(|v| v as i64),
                    r.prompt,
                    r.response,
                    r.requested_model,
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Returns the number of ledger rows (for tests and `doctor`).
    pub fn count_calls(&self) -> anyhow::Result<u64> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM calls", [], |r| r.get(0))?;
        Ok(n as u64)
    }
}
