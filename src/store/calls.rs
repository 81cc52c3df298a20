//! The usage ledger's rows: one per API attempt, appended in short transactions.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

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
    /// Image, audio and video input tokens (`--attach`), where reported.
    pub media_tokens: MediaTokens,
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
    /// Input tokens written to the explicit context cache.
    pub cache_write_tokens: Option<u64>,
    /// `ephemeral` when the context cache in use was the explicit one.
    pub cache_type: Option<String>,
    /// What the context cache saved (net of writes), in `currency`.
    pub cache_saved: Option<f64>,
}

/// Input tokens per media kind; `None` where the server reported none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MediaTokens {
    /// Image tokens.
    pub image: Option<u64>,
    /// Audio tokens.
    pub audio: Option<u64>,
    /// Video tokens.
    pub video: Option<u64>,
    /// Output tokens of a spoken reply (Omni).
    pub output_audio: Option<u64>,
}

/// The ledger's columns as a [`CallRow`] holds them, in the order rows are written (here)
/// and read back (`report.rs`, through [`CallRow::read`]).
pub(super) const COLUMNS: &str = "ts_ms, command, profile, host, model, request_id, status, \
    error_code, attempt, prompt_tokens, completion_tokens, reasoning_tokens, cached_tokens, \
    ttft_ms, latency_ms, batch_id, item_id, cost, currency, cache_hit, saved_tokens, prompt, \
    response, requested_model, cache_write_tokens, cache_type, cache_saved, image_tokens, \
    audio_tokens, video_tokens, output_audio_tokens";

/// How many [`COLUMNS`] there are.
const COLUMN_COUNT: usize = 31;

/// A count as stored (an integer) as a count again.
pub(super) fn count(v: Option<i64>) -> Option<u64> {
    v.map(|n| u64::try_from(n).unwrap_or(0))
}

impl CallRow {
    /// Reads a row written by [`Store::record_calls`] from the [`COLUMNS`] of a query, the
    /// first at `at`.
    pub(super) fn read(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Self> {
        let ms = |v: f64| Duration::try_from_secs_f64(v / 1000.0).unwrap_or_default();
        let ts: i64 = r.get(at)?;
        Ok(CallRow {
            ts: Some(UNIX_EPOCH + Duration::from_millis(u64::try_from(ts).unwrap_or(0))),
            command: r.get(at + 1)?,
            profile: r.get(at + 2)?,
            host: r.get(at + 3)?,
            model: r.get(at + 4)?,
            request_id: r.get(at + 5)?,
            status: r.get(at + 6)?,
            error_code: r.get(at + 7)?,
            attempt: r.get(at + 8)?,
            prompt_tokens: count(r.get(at + 9)?),
            completion_tokens: count(r.get(at + 10)?),
            reasoning_tokens: count(r.get(at + 11)?),
            cached_tokens: count(r.get(at + 12)?),
            ttft: r.get::<_, Option<f64>>(at + 13)?.map(ms),
            latency: ms(r.get(at + 14)?),
            batch_id: r.get(at + 15)?,
            item_id: r.get(at + 16)?,
            cost: r.get(at + 17)?,
            currency: r.get(at + 18)?,
            cache_hit: r.get(at + 19)?,
            saved_tokens: count(r.get(at + 20)?),
            prompt: r.get(at + 21)?,
            response: r.get(at + 22)?,
            requested_model: r.get(at + 23)?,
            cache_write_tokens: count(r.get(at + 24)?),
            cache_type: r.get(at + 25)?,
            cache_saved: r.get(at + 26)?,
            media_tokens: MediaTokens {
                image: count(r.get(at + 27)?),
                audio: count(r.get(at + 28)?),
                video: count(r.get(at + 29)?),
                output_audio: count(r.get(at + 30)?),
            },
        })
    }
}

impl Store {
    /// Appends rows to the usage ledger in one short transaction.
    pub fn record_calls(&mut self, rows: &[CallRow]) -> anyhow::Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        {
            let mut stmt = tx.prepare_cached(&format!(
                "INSERT INTO calls ({COLUMNS}) VALUES ({})",
                (1..=COLUMN_COUNT)
                    .map(|n| format!("?{n}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))?;
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
                    r.cache_write_tokens.map(|v| v as i64),
                    r.cache_type,
                    r.cache_saved,
                    r.media_tokens.image.map(|v| v as i64),
                    r.media_tokens.audio.map(|v| v as i64),
                    r.media_tokens.video.map(|v| v as i64),
                    r.media_tokens.output_audio.map(|v| v as i64),
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
