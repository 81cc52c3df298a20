//! One model turn: send, stream, retry, fall back; the engine `chat`, `tools` and `batch` share.
//!
//! What happens to the events is the caller's business (an [`Observer`]); what happens to
//! the bytes on the wire is this module's. A failure is retried only while nothing has been
//! delivered to a user-facing observer, because a retry after output started would print
//! the text twice.

use std::io;
use std::time::{Duration, Instant, SystemTime};

use crate::api::retry::RetryPolicy;
use crate::api::types::{ChatRequest, Completion, Event, Usage};
use crate::api::{ApiError, Client};

mod in_flight;

pub use in_flight::InFlight;

/// Timeouts and fallbacks for a turn.
#[derive(Debug, Clone)]
pub struct TurnOptions {
    /// Retry policy for transient failures.
    pub retry: RetryPolicy,
    /// Longest wait from sending to the first event (the whole reply when not streaming);
    /// `None` picks [`default_first_token_timeout`] for each request.
    pub first_token_timeout: Option<Duration>,
    /// Longest silence between two events of a stream.
    pub idle_timeout: Duration,
    /// Models to try, in order, when the requested one is unavailable or keeps failing.
    pub fallback_models: Vec<String>,
}

/// What one attempt did, for the usage ledger.
#[derive(Debug, Clone)]
pub struct AttemptRecord {
    /// When the attempt started.
    pub started_at: SystemTime,
    /// The model that answered, as the server named it; the model asked for when the
    /// server named none (or no reply came).
    pub model: String,
    /// The model asked for, when the server answered as another (`-latest` aliases,
    /// local servers that serve whatever they loaded).
    pub requested_model: Option<String>,
    /// 1 for the first try of the turn, counting across fallback models.
    pub attempt: u32,
    /// The HTTP status (200 on success; `None` when no response arrived).
    pub status: Option<u16>,
    /// The provider's error code, or a short kind (`connect`, `timeout`, `stream`).
    pub error_code: Option<String>,
    /// The request id, if known.
    pub request_id: Option<String>,
    /// Token usage, if reported.
    pub usage: Option<Usage>,
    /// Time to the first content event.
    pub ttft: Option<Duration>,
    /// Time to the end of the attempt.
    pub latency: Duration,
}

/// Receives what a turn produces, as it happens.
pub trait Observer {
    /// Receives one event of the reply being read. An error (a closed stdout) ends the turn.
    fn on_event(&mut self, event: &Event) -> io::Result<()>;

    /// Receives an event while more are already waiting to be read: an observer that flushes
    /// output may hold this one back until the burst ends (xh's policy: flush whenever no
    /// new output is immediately available). By default it is an ordinary event.
    fn on_event_more_ready(&mut self, event: &Event) -> io::Result<()> {
        self.on_event(event)
    }

    /// Returns true when events reach a person or a pipe at once, so that a failure after the
    /// first one cannot be retried without showing the text twice.
    fn delivers_live(&self) -> bool {
        true
    }

    /// Called before waiting to retry.
    fn on_retry(&mut self, _err: &ApiError, _delay: Duration, _next_attempt: u32) {}

    /// Called when the turn moves on to a fallback model.
    fn on_fallback(&mut self, _from: &str, _to: &str, _err: &ApiError) {}

    /// Called when an attempt starts.
    fn on_attempt_start(&mut self, _model: &str, _attempt: u32) {}

    /// Called after every attempt, successful or not.
    fn on_attempt(&mut self, _record: &AttemptRecord) {}

    /// Called when an attempt is abandoned after some events were delivered (non-live
    /// observers only): forget them, the retry starts over.
    fn on_reset(&mut self) {}
}

/// A finished turn.
#[derive(Debug, Clone)]
pub struct Turn {
    /// The assembled reply.
    pub completion: Completion,
    /// The model that answered (the request's, or a fallback).
    pub model: String,
    /// Models that failed before this one answered.
    pub fallback_from: Vec<String>,
    /// Attempts made, across models.
    pub attempts: u32,
    /// Time from the first send to the end of the reply.
    pub latency: Duration,
    /// Time to the first content event of the successful attempt.
    pub ttft: Option<Duration>,
}

/// Why a turn failed.
#[derive(Debug, thiserror::Error)]
pub enum TurnError {
    /// The API failed and retries (and fallbacks) did not help.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The observer could not take an event (e.g. stdout closed).
    #[error("failed to write the reply")]
    Output(#[source] io::Error),
}

/// The first-token timeout of a streamed reply from a model that does not think: a live
/// server sends its first event within seconds, so a minute of silence means a hung one,
/// and the first retry note should not wait longer than that.
pub const FIRST_TOKEN_TIMEOUT: Duration = Duration::from_secs(60);

/// The first-token timeout of a reply that may legitimately be silent for long: a thinking
/// model can think for minutes before its first event on some servers, and a whole
/// (`--no-stream`) reply arrives only when it is finished.
pub const SLOW_FIRST_TOKEN_TIMEOUT: Duration = Duration::from_secs(120);

/// Returns the first-token timeout for `req` when none is configured: [`FIRST_TOKEN_TIMEOUT`],
/// or [`SLOW_FIRST_TOKEN_TIMEOUT`] when the reply is not streamed or the model thinks
/// (from the catalogue and `--think`/`--no-think`, or `--extra enable_thinking=…`).
pub fn default_first_token_timeout(req: &ChatRequest) -> Duration {
    use crate::models::Thinking;
    let asked = req.params.enable_thinking.or_else(|| {
        req.params
            .extra
            .get("enable_thinking")
            .and_then(serde_json::Value::as_bool)
    });
    let thinks = match (crate::models::lookup(&req.model).map(|m| m.thinking), asked) {
        (_, Some(asked)) => asked,
        (Some(Thinking::Only | Thinking::HybridOn), None) => true,
        // Unknown models (local servers) and models that think only when asked.
        _ => false,
    };
    if thinks || !req.stream {
        SLOW_FIRST_TOKEN_TIMEOUT
    } else {
        FIRST_TOKEN_TIMEOUT
    }
}

enum AttemptError {
    Api { err: ApiError, delivered: bool },
    Output(io::Error),
}

/// Runs one turn: every model in order, each with its retries.
pub async fn run(
    client: &Client,
    req: &ChatRequest,
    opts: &TurnOptions,
    observer: &mut dyn Observer,
) -> Result<Turn, TurnError> {
    let started = Instant::now();
    let models: Vec<&String> = std::iter::once(&req.model)
        .chain(opts.fallback_models.iter().filter(|m| **m != req.model))
        .collect();
    let mut attempt = 0;
    let mut fallback_from = Vec::new();
    for (position, model) in models.iter().enumerate() {
        let mut req_m = req.clone();
        req_m.model = (*model).clone();
        let mut backoff = opts.retry.backoff();
        let next_model = models.get(position + 1);
        loop {
            attempt += 1;
            // The native path this attempt goes to (`attempt_once` builds the request
            // without yielding first), for `reroute` below.
            let path = client.native_path(model);
            let err = match attempt_once(client, &req_m, opts, observer, attempt).await {
                Ok((completion, ttft)) => {
                    client.route_worked(model);
                    return Ok(Turn {
                        completion,
                        model: (*model).clone(),
                        fallback_from,
                        attempts: attempt,
                        latency: started.elapsed(),
                        ttft,
                    });
                }
                Err(AttemptError::Output(err)) => return Err(TurnError::Output(err)),
                Err(AttemptError::Api {
                    err,
                    delivered: true,
                }) => {
                    if observer.delivers_live() {
                        return Err(err.into());
                    }
                    observer.on_reset();
                    err
                }
                Err(AttemptError::Api { err, .. }) => err,
            };
            // A native model sent to the generation path it is not bound to: the other one
            // serves it, so ask there at once (once per model), like the official SDK.
            if client.reroute(model, path, &err) {
                continue;
            }
            let can_fall_back = next_model.is_some() && !err.is_billing();
            if err.is_model_unavailable() && can_fall_back {
                observer.on_fallback(model, next_model.expect("checked"), &err);
                fallback_from.push((*model).clone());
                break;
            }
            let wait = err
                .is_retryable()
                .then(|| backoff.next())
                .flatten()
                .and_then(|planned| opts.retry.delay(&err, planned));
            match wait {
                Some(delay) => {
                    observer.on_retry(&err, delay, attempt + 1);
                    tokio::time::sleep(delay).await;
                }
                None if err.is_retryable() && can_fall_back => {
                    observer.on_fallback(model, next_model.expect("checked"), &err);
                    fallback_from.push((*model).clone());
                    break;
                }
                None => return Err(err.into()),
            }
        }
    }
    unreachable!("the last model either answers or returns its error")
}

async fn attempt_once(
    client: &Client,
    req: &ChatRequest,
    opts: &TurnOptions,
    observer: &mut dyn Observer,
    attempt: u32,
) -> Result<(Completion, Option<Duration>), AttemptError> {
    let started_at = SystemTime::now();
    let start = Instant::now();
    let first_token_timeout = opts
        .first_token_timeout
        .unwrap_or_else(|| default_first_token_timeout(req));
    observer.on_attempt_start(&req.model, attempt);
    let mut completion = Completion {
        model: req.model.clone(),
        ..Default::default()
    };
    let mut partial_calls = Vec::new();
    let mut ttft = None;
    let mut delivered = false;

    let result: Result<(), AttemptError> = async {
        let first_deadline = start + first_token_timeout;
        let mut reply = tokio::time::timeout_at(first_deadline.into(), client.chat(req))
            .await
            .map_err(|_| ApiError::Timeout {
                what: "reply",
                after: first_token_timeout,
            })
            .and_then(|r| r)
            .map_err(|err| AttemptError::Api {
                err,
                delivered: false,
            })?;
        // The event read ahead of the one being delivered, when it was already available.
        let mut ahead: Option<Result<Option<Event>, ApiError>> = None;
        loop {
            let next = match ahead.take() {
                Some(next) => next,
                None => {
                    let (deadline, what, after) = if ttft.is_none() {
                        (first_deadline, "reply", first_token_timeout)
                    } else {
                        (
                            Instant::now() + opts.idle_timeout,
                            "further output",
                            opts.idle_timeout,
                        )
                    };
                    tokio::time::timeout_at(deadline.into(), reply.next())
                        .await
                        .unwrap_or(Err(ApiError::Timeout { what, after }))
                }
            };
            let event = match next {
                Ok(Some(event)) => event,
                Ok(None) => return Ok(()),
                Err(err) => return Err(AttemptError::Api { err, delivered }),
            };
            completion.absorb(&event, &mut partial_calls);
            let content = matches!(
                event,
                Event::Text(_) | Event::Reasoning(_) | Event::ToolCall(_)
            );
            if content && ttft.is_none() {
                ttft = Some(start.elapsed());
            }
            ahead = reply.next_now();
            if ahead.is_none() {
                // The connection task decodes the next frame only once this one was taken:
                // let it run once, so a burst already received is written in one piece
                // rather than one write per token (BENCHMARKS.md, issue #16).
                tokio::task::yield_now().await;
                ahead = reply.next_now();
            }
            let delivery = match ahead {
                Some(Ok(Some(_))) => observer.on_event_more_ready(&event),
                _ => observer.on_event(&event),
            };
            delivery.map_err(AttemptError::Output)?;
            delivered |= content;
        }
    }
    .await;

    let (status, error_code) = match &result {
        Ok(()) => (Some(200), None),
        Err(AttemptError::Api { err, .. }) => (err.status(), Some(err.short_code())),
        Err(AttemptError::Output(_)) => (Some(200), Some("output_closed".to_owned())),
    };
    let answered_as_another = completion.model != req.model;
    observer.on_attempt(&AttemptRecord {
        started_at,
        model: completion.model.clone(),
        requested_model: answered_as_another.then(|| req.model.clone()),
        attempt,
        status,
        error_code,
        request_id: completion.request_id.clone().or_else(|| match &result {
            Err(AttemptError::Api {
                err: ApiError::Status { request_id, .. },
                ..
            }) => request_id.clone(),
            _ => None,
        }),
        usage: completion.usage,
        ttft,
        latency: start.elapsed(),
    });
    result?;
    completion.finish_tool_calls(partial_calls);
    Ok((completion, ttft))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(model: &str, stream: bool, think: Option<bool>) -> ChatRequest {
        ChatRequest {
            model: model.into(),
            messages: Vec::new(),
            params: crate::api::types::Params {
                enable_thinking: think,
                ..Default::default()
            },
            tools: Vec::new(),
            stream,
            prompt: None,
        }
    }

    #[test]
    fn the_first_token_timeout_is_a_minute_unless_the_reply_may_be_slow_to_start() {
        let t = |model, stream, think| default_first_token_timeout(&request(model, stream, think));
        // A hung server speaks up after a minute, not two.
        assert_eq!(t("qwen-plus", true, None), Duration::from_secs(60));
        assert_eq!(t("qwen-max", true, None), Duration::from_secs(60));
        assert_eq!(t("my-local-model", true, None), Duration::from_secs(60));
        assert_eq!(
            t("qwen3.6-plus", true, Some(false)),
            Duration::from_secs(60)
        );
        // Thinking models, asked or by default, and whole replies keep two minutes.
        assert_eq!(t("qwen-plus", true, Some(true)), Duration::from_secs(120));
        assert_eq!(t("qwq-plus", true, None), Duration::from_secs(120));
        assert_eq!(t("qwen3.6-plus", true, None), Duration::from_secs(120));
        assert_eq!(t("qwen-plus", false, None), Duration::from_secs(120));
        let mut extra = request("qwen-plus", true, None);
        extra
            .params
            .extra
            .insert("enable_thinking".into(), serde_json::json!(true));
        assert_eq!(
            default_first_token_timeout(&extra),
            Duration::from_secs(120)
        );
    }

    #[test]
    fn an_interrupted_attempt_keeps_what_its_events_told() {
        let mut in_flight = InFlight::default();
        assert!(in_flight.interrupted().is_none(), "nothing under way");

        in_flight.start("qwen-plus", 2);
        let record = in_flight.interrupted().unwrap();
        assert_eq!((record.status, record.attempt), (None, 2), "no reply yet");
        assert_eq!(record.error_code.as_deref(), Some("interrupted"));
        assert!(in_flight.interrupted().is_none(), "taken once");

        in_flight.start("qwen-plus", 1);
        in_flight.event(&Event::Meta {
            model: None,
            request_id: Some("req-1".into()),
        });
        in_flight.event(&Event::Text("Hel".into()));
        let record = in_flight.interrupted().unwrap();
        assert_eq!(record.status, Some(200));
        assert_eq!(record.request_id.as_deref(), Some("req-1"));
        assert!(record.ttft.is_some());

        in_flight.start("qwen-plus", 1);
        in_flight.end();
        assert!(
            in_flight.interrupted().is_none(),
            "a finished attempt is recorded already"
        );
    }
}
