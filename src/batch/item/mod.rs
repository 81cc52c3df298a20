//! One batch item: read its input when it starts, build the request, run it with retries.
//!
//! Per-item failures are results, never errors: a binary file is `skipped`, an unreadable
//! one `failed` with the OS error, an API error `failed` with the provider's code.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use tokio::sync::Notify;

use super::inputs::{Input, Template};
use crate::api::media::Part;
use crate::api::retry::RetryPolicy;
use crate::api::turn::{self, AttemptRecord, InFlight, Observer, TurnError, TurnOptions};
use crate::api::types::{ChatRequest, Completion, Event, Params};
use crate::api::{ApiError, Client, compat};
use crate::models;
use crate::pace::{AdaptiveLimit, RateLimits, Slot};

mod budget;
mod media;
mod plan;
mod warm_up;

pub use budget::Budget;
use budget::reserve;
pub use media::ItemMedia;
pub use plan::{Plan, parse_line, plan};
pub use warm_up::WarmUp;

/// What every item's request starts from (flags and config); a JSONL line may override.
#[derive(Debug, Clone)]
pub struct Defaults {
    /// The model.
    pub model: String,
    /// The system prompt.
    pub system: Option<String>,
    /// Request parameters.
    pub params: Params,
    /// Stream replies.
    pub stream: bool,
    /// Explicit prompt-cache markers on every item's request.
    pub prompt_cache: crate::prompt_cache::Ask,
}

/// How inputs are read and requests retried.
#[derive(Debug, Clone)]
pub struct ItemOptions {
    /// Files larger than this are skipped (or truncated).
    pub max_bytes: u64,
    /// Truncate large files instead of skipping them.
    pub truncate: bool,
    /// Accept non-UTF-8 input.
    pub lossy: bool,
    /// Retries per item.
    pub retry: RetryPolicy,
    /// First-token timeout; `None` for each request's default.
    pub first_token_timeout: Option<Duration>,
    /// Idle timeout.
    pub idle_timeout: Duration,
    /// Media: `--attach`, the settings media files need.
    pub media: ItemMedia,
}

/// Shared state of a run, borrowed by every item.
pub struct Context<'a> {
    /// The settings.
    pub settings: &'a crate::config::Settings,
    /// The HTTP client.
    pub client: &'a Client,
    /// Request defaults.
    pub defaults: &'a Defaults,
    /// The prompt template for files.
    pub template: &'a Template,
    /// Reading and retry options.
    pub options: &'a ItemOptions,
    /// The adaptive in-flight limit.
    pub limit: &'a AdaptiveLimit,
    /// Rate limits.
    pub rates: &'a RateLimits,
    /// Keys of items already done (`--resume`).
    pub done: &'a HashSet<String>,
    /// Set when no more items may start (Ctrl-C, `--fail-fast`, a billing error).
    pub stop: &'a Cell<bool>,
    /// Items waiting to retry, for the progress display.
    pub retrying: &'a Cell<usize>,
    /// `--max-cost`, when given.
    pub budget: Option<&'a Budget<'a>>,
    /// How items learn of Ctrl-C, and where they leave their results when dropped.
    pub shutdown: &'a Shutdown,
    /// The run's explicit prompt cache: its note, and the item that warms it.
    pub warm_up: &'a WarmUp,
}

/// What a run shares with its items so that stopping early loses nothing.
#[derive(Default)]
pub struct Shutdown {
    /// Notified (`notify_waiters`) on Ctrl-C: items still reading their input give up.
    pub stopping: Notify,
    /// Results of items dropped while their requests were under way (Ctrl-C after the
    /// drain timeout, a second Ctrl-C, a closed output): their attempts were billed, so
    /// they still go to the ledger, and an `interrupted` line where output is possible.
    pub abandoned: RefCell<Vec<ItemResult>>,
}

/// Why an item failed.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemError {
    /// HTTP status, if the API answered.
    pub status: Option<u16>,
    /// Provider code, or our own (`read_error`, `invalid_input`, …).
    pub code: Option<String>,
    /// What went wrong.
    pub message: String,
    /// Request id, if known.
    pub request_id: Option<String>,
    /// The failure stops the whole run, with this exit status: a billing error (5) or a
    /// rejected key (4) would fail every other item the same way.
    pub fatal: Option<crate::exit::Exit>,
}

/// How an item ended.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// The model answered.
    Ok(Box<Completion>),
    /// It failed for good.
    Failed(ItemError),
    /// It was not sent, for a reason the user can act on.
    Skipped(String),
    /// `--resume` found it done already.
    AlreadyDone,
    /// The run stopped before it started.
    NotStarted,
    /// The run was stopped while its requests were under way (see [`Shutdown`]).
    Interrupted,
}

/// A finished item.
#[derive(Debug, Clone)]
pub struct ItemResult {
    /// Position in the input.
    pub index: usize,
    /// Its id: the path, `custom_id`/`id`, or `line N`.
    pub id: String,
    /// The file, for file items.
    pub path: Option<PathBuf>,
    /// Identity for `--resume`: a hash of the id and the request.
    pub key: Option<String>,
    /// How it ended.
    pub outcome: Outcome,
    /// Every API attempt, for the ledger.
    pub attempts: Vec<AttemptRecord>,
    /// Time from its first request to its end.
    pub latency: Duration,
}

/// Returns the identity of an item: its id plus a hash of the request it sends.
pub fn request_key(id: &str, req: &ChatRequest) -> String {
    let mut canonical = req.clone();
    canonical.stream = false;
    // Media parts count by content (a file's SHA-256, a URL as given), never by how they
    // travel: an upload's `oss://` URL or a marker would make a resumed item look new.
    let media: Vec<serde_json::Value> = canonical
        .messages
        .iter_mut()
        .map(|m| {
            std::mem::take(&mut m.parts)
                .iter()
                .map(Part::identity)
                .collect()
        })
        .collect();
    let body = compat::chat_body(&canonical);
    let mut hash = Sha256::new();
    hash.update(id.as_bytes());
    hash.update([0]);
    hash.update(body.to_string().as_bytes());
    if req.has_media() {
        hash.update([0]);
        hash.update(serde_json::Value::from(media).to_string().as_bytes());
    }
    hex::encode(&hash.finalize()[..12])
}

/// How long an earlier upload must stay valid to be reused for an item.
const UPLOAD_MARGIN: Duration = Duration::from_secs(3600);

/// Runs one item to its end.
pub async fn run(ctx: &Context<'_>, index: usize, input: Input) -> ItemResult {
    let mut result = ItemResult {
        index,
        id: String::new(),
        path: None,
        key: None,
        outcome: Outcome::NotStarted,
        attempts: Vec::new(),
        latency: Duration::ZERO,
    };
    // Items wait for a slot before reading their input. The engine pulls items a window
    // ahead of the limit; when they read and built their requests while waiting, a wave
    // of 64 new requests reached the wire only after 64 more files had been read.
    let slot = ctx.limit.acquire().await;
    // Created before the check, so that a Ctrl-C right after it is not missed.
    let stopping = ctx.shutdown.stopping.notified();
    if ctx.stop.get() {
        return result;
    }
    // Reading may wait for a long time (a named pipe nobody writes to): Ctrl-C ends it.
    let plan = tokio::select! {
        plan = plan(ctx.defaults, ctx.template, ctx.options, input) => plan,
        () = stopping => return result,
    };
    result.id = plan.id;
    result.path = plan.path;
    let mut request = match plan.request {
        Ok(request) => request,
        Err(outcome) => {
            result.outcome = outcome;
            return result;
        }
    };
    let key = request_key(&result.id, &request);
    if ctx.done.contains(&key) {
        result.outcome = Outcome::AlreadyDone;
        result.key = Some(key);
        return result;
    }
    result.key = Some(key);
    // Marked after the key is taken, so `--resume` finds items whatever the cache flags.
    let ask = &ctx.defaults.prompt_cache;
    let decision = crate::prompt_cache::mark(&mut request, ask, plan.head);
    ctx.warm_up.say_once(ctx.settings, ask, &decision);
    let marked = matches!(decision, crate::prompt_cache::Decision::Marked { .. });
    // Files over the inline limits go to the temporary storage now, as the item starts (an
    // upload of the same bytes in its lifetime is reused, so a resumed run uploads nothing
    // twice).
    let settings = &ctx.options.media.settings;
    if let Err(err) = crate::docs::resolve_pending(ctx.client, settings, &mut request).await {
        result.outcome = failed("upload_error", format!("{err:#}"));
        return result;
    }
    if let Err(err) = crate::attach::upload(ctx.client, settings, &mut request, UPLOAD_MARGIN).await
    {
        result.outcome = failed("upload_error", format!("{err:#}"));
        return result;
    }
    let estimate = estimated_tokens(&request);
    let reserved = match ctx.budget {
        Some(budget) => match reserve(ctx, budget, &request, estimate) {
            Some(reserved) => reserved,
            None => {
                result.outcome = Outcome::NotStarted;
                return result;
            }
        },
        None => 0.0,
    };
    let warming = marked && ctx.warm_up.before_send().await;
    ctx.rates.before(estimate).await;
    let mut live = Live {
        abandoned: &ctx.shutdown.abandoned,
        result: Some(result),
        attempts: Vec::new(),
        current: InFlight::default(),
        started: Instant::now(),
    };
    let outcome = send(ctx, Some(slot), &request, estimate, &mut live).await;
    if warming {
        ctx.warm_up.warmed();
    }
    let used = match &outcome {
        Outcome::Ok(completion) => Some(completion.usage.map_or(estimate, |u| u.prompt_tokens)),
        _ => None,
    };
    live.end(outcome);
    if let Some(used) = used {
        // `--tpm`: later requests wait for what this one used beyond its estimate.
        ctx.rates.after(estimate, used).await;
    }
    let result = live.result.take().expect("taken once");
    if let Some(budget) = ctx.budget {
        budget.reserved.set(budget.reserved.get() - reserved);
        budget.charge(&result.attempts);
    }
    result
}

/// An item whose requests have begun. Dropped before it is handed back (the run
/// abandoned it), it leaves its result in [`Shutdown::abandoned`]: [`Outcome::Interrupted`]
/// with every attempt, the one cut short included, so that no billed attempt is missing
/// from the ledger (or its real outcome, if it had ended).
struct Live<'c> {
    abandoned: &'c RefCell<Vec<ItemResult>>,
    /// The item so far; taken when it is handed back.
    result: Option<ItemResult>,
    attempts: Vec<AttemptRecord>,
    /// The attempt under way, as far as its events tell.
    current: InFlight,
    started: Instant,
}

impl Live<'_> {
    /// Records how the item ended, with its attempts and latency.
    fn end(&mut self, outcome: Outcome) {
        let result = self.result.as_mut().expect("not handed back yet");
        result.outcome = outcome;
        result.attempts = std::mem::take(&mut self.attempts);
        result.latency = self.started.elapsed();
    }
}

impl Drop for Live<'_> {
    fn drop(&mut self) {
        let Some(mut result) = self.result.take() else {
            return;
        };
        if matches!(result.outcome, Outcome::NotStarted) {
            result.attempts = std::mem::take(&mut self.attempts);
            result.attempts.extend(self.current.interrupted());
            if result.attempts.is_empty() {
                return; // nothing was sent: the item simply did not start
            }
            result.latency = self.started.elapsed();
            result.outcome = Outcome::Interrupted;
        }
        self.abandoned.borrow_mut().push(result);
    }
}

async fn send(
    ctx: &Context<'_>,
    mut first: Option<Slot<'_>>,
    request: &ChatRequest,
    estimate: u64,
    live: &mut Live<'_>,
) -> Outcome {
    let opts = TurnOptions {
        retry: RetryPolicy {
            retries: 0,
            ..ctx.options.retry
        },
        first_token_timeout: ctx.options.first_token_timeout,
        idle_timeout: ctx.options.idle_timeout,
        fallback_models: Vec::new(),
    };
    let mut backoff = ctx.options.retry.backoff();
    loop {
        let slot = match first.take() {
            Some(slot) => slot,
            None => {
                // A retry is a request too: `--rpm` and `--tpm` count it.
                ctx.rates.before(estimate).await;
                ctx.limit.acquire().await
            }
        };
        if ctx.stop.get() && live.attempts.is_empty() {
            return Outcome::NotStarted;
        }
        let mut observer = Collect {
            records: &mut live.attempts,
            current: &mut live.current,
        };
        let result = turn::run(ctx.client, request, &opts, &mut observer).await;
        drop(slot);
        let err = match result {
            Ok(turn) => {
                ctx.limit.succeeded();
                // `completion.model` is the model that answered (the server's name for it).
                return Outcome::Ok(Box::new(turn.completion));
            }
            Err(TurnError::Api(err)) => err,
            Err(TurnError::Output(err)) => {
                return Outcome::Failed(ItemError {
                    status: None,
                    code: Some("output".into()),
                    message: err.to_string(),
                    request_id: None,
                    fatal: None,
                });
            }
        };
        if err.status() == Some(429) {
            ctx.limit.throttled();
        }
        let delay = if err.is_retryable() && !ctx.stop.get() {
            backoff
                .next()
                .and_then(|planned| ctx.options.retry.delay(&err, planned))
        } else {
            None
        };
        match delay {
            Some(delay) => {
                ctx.retrying.set(ctx.retrying.get() + 1);
                tokio::time::sleep(delay).await;
                ctx.retrying.set(ctx.retrying.get() - 1);
            }
            None => return Outcome::Failed(item_error(&err)),
        }
    }
}

fn item_error(err: &ApiError) -> ItemError {
    let (status, code, message, request_id) = match err {
        ApiError::Status {
            status,
            code,
            message,
            request_id,
            ..
        } => (*status, code.clone(), message.clone(), request_id.clone()),
        other => (None, Some(other.kind().to_owned()), other.to_string(), None),
    };
    ItemError {
        status,
        code,
        message: crate::secret::redact(&message).into_owned(),
        request_id,
        fatal: match err.exit() {
            exit @ crate::exit::Exit::Auth => Some(exit),
            exit if err.is_billing() => Some(exit),
            _ => None,
        },
    }
}

/// Collects attempt records; a batch item's events go nowhere until it is complete, but
/// they tell what the attempt under way has done, should it be cut short.
struct Collect<'a> {
    records: &'a mut Vec<AttemptRecord>,
    current: &'a mut InFlight,
}

impl Observer for Collect<'_> {
    fn on_event(&mut self, event: &Event) -> std::io::Result<()> {
        self.current.event(event);
        Ok(())
    }

    fn delivers_live(&self) -> bool {
        false
    }

    fn on_attempt_start(&mut self, model: &str, _attempt: u32) {
        self.current.start(model, self.records.len() as u32 + 1);
    }

    fn on_attempt(&mut self, record: &AttemptRecord) {
        self.current.end();
        let mut record = record.clone();
        record.attempt = self.records.len() as u32 + 1;
        self.records.push(record);
    }
}

/// Estimates the input tokens of a request, for `--tpm` and `--dry-run`.
pub fn estimated_tokens(req: &ChatRequest) -> u64 {
    req.messages
        .iter()
        .map(|m| models::estimate_tokens(&m.content) + 4)
        .sum()
}

/// A failure with one of our own codes.
pub fn failed_with(code: &str, message: String) -> Outcome {
    failed(code, message)
}

fn failed(code: &str, message: String) -> Outcome {
    Outcome::Failed(ItemError {
        status: None,
        code: Some(code.into()),
        message,
        request_id: None,
        fatal: None,
    })
}
