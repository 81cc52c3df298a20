//! Many independent requests of one run (`embed` groups, `rerank` chunks), each retried like
//! a batch item: an [`AdaptiveLimit`] bounds what is in flight and backs off on throttling,
//! transient failures are retried with the shared [`RetryPolicy`] and `Retry-After`, and a
//! key or billing failure stops the whole run (every other request would fail the same way).
//! Every attempt is kept as an [`AttemptRecord`] for the ledger.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::time::{Duration, Instant, SystemTime};

use super::ApiError;
use super::retry::RetryPolicy;
use super::turn::AttemptRecord;
use super::types::Usage;
use crate::exit::Exit;
use crate::pace::AdaptiveLimit;

/// What the ledger needs from a successful answer.
pub trait Answered {
    /// The request id, if the server gave one.
    fn request_id(&self) -> Option<String>;
    /// Token usage, if reported.
    fn usage(&self) -> Option<Usage>;
}

/// The shared state of one run's requests.
pub struct Paced {
    model: String,
    retry: RetryPolicy,
    timeout: Duration,
    limit: AdaptiveLimit,
    /// Set when no more requests may start (a key or billing failure).
    stop: Cell<bool>,
    /// The error that stopped the run.
    fatal: RefCell<Option<ApiError>>,
    records: RefCell<Vec<AttemptRecord>>,
}

impl Paced {
    /// Starts a run for `model`: at most `concurrency` requests in flight, each attempt
    /// bounded by `timeout`.
    pub fn new(model: &str, retry: RetryPolicy, timeout: Duration, concurrency: usize) -> Self {
        Self {
            model: model.to_owned(),
            retry,
            timeout,
            limit: AdaptiveLimit::new(concurrency),
            stop: Cell::new(false),
            fatal: RefCell::new(None),
            records: RefCell::new(Vec::new()),
        }
    }

    /// Returns true once a key or billing failure stopped the run.
    pub fn stopped(&self) -> bool {
        self.stop.get()
    }

    /// Takes the error that stopped the run, if any.
    pub fn take_fatal(&self) -> Option<ApiError> {
        self.fatal.take()
    }

    /// Returns every attempt so far, for the ledger.
    pub fn records(&self) -> std::cell::Ref<'_, Vec<AttemptRecord>> {
        self.records.borrow()
    }

    /// Sends one request (`call` builds and sends it), retrying transient failures.
    pub async fn send<T, F, Fut>(&self, mut call: F) -> Result<T, ApiError>
    where
        T: Answered,
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, ApiError>>,
    {
        let mut backoff = self.retry.backoff();
        let mut attempt = 0;
        loop {
            let slot = self.limit.acquire().await;
            if self.stop.get() {
                return Err(ApiError::Stream("not sent: the run stopped".into()));
            }
            attempt += 1;
            let (started_at, start) = (SystemTime::now(), Instant::now());
            let result = tokio::time::timeout(self.timeout, call())
                .await
                .unwrap_or(Err(ApiError::Timeout {
                    what: "reply",
                    after: self.timeout,
                }));
            drop(slot);
            self.records.borrow_mut().push(AttemptRecord {
                started_at,
                model: self.model.clone(),
                requested_model: None,
                attempt,
                status: match &result {
                    Ok(_) => Some(200),
                    Err(err) => err.status(),
                },
                error_code: result.as_ref().err().map(ApiError::short_code),
                request_id: match &result {
                    Ok(answer) => answer.request_id(),
                    Err(ApiError::Status { request_id, .. }) => request_id.clone(),
                    Err(_) => None,
                },
                usage: result.as_ref().ok().and_then(Answered::usage),
                ttft: None,
                latency: start.elapsed(),
            });
            let err = match result {
                Ok(answer) => {
                    self.limit.succeeded();
                    return Ok(answer);
                }
                Err(err) => err,
            };
            if err.status() == Some(429) {
                self.limit.throttled();
            }
            let delay = (err.is_retryable() && !self.stop.get())
                .then(|| backoff.next())
                .flatten()
                .and_then(|planned| self.retry.delay(&err, planned));
            match delay {
                Some(delay) => tokio::time::sleep(delay).await,
                None => {
                    // Every other request would fail the same way: stop, and report it once.
                    if matches!(err.exit(), Exit::Auth | Exit::RateLimit)
                        && !self.stop.replace(true)
                    {
                        *self.fatal.borrow_mut() = Some(clone_error(&err));
                    }
                    return Err(err);
                }
            }
        }
    }
}

/// Copies what the final report needs (`ApiError` holds a `reqwest::Error`, not `Clone`).
pub fn clone_error(err: &ApiError) -> ApiError {
    match err {
        ApiError::Status {
            status,
            code,
            message,
            request_id,
            retry_after,
            base_url,
        } => ApiError::Status {
            status: *status,
            code: code.clone(),
            message: message.clone(),
            request_id: request_id.clone(),
            retry_after: *retry_after,
            base_url: base_url.clone(),
        },
        other => ApiError::Stream(other.to_string()),
    }
}
