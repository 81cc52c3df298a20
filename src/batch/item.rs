//! One batch item: read its input when it starts, build the request, run it with retries.
//!
//! Per-item failures are results, never errors: a binary file is `skipped`, an unreadable
//! one `failed` with the OS error, an API error `failed` with the provider's code.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use tokio::sync::Notify;

use super::inputs::{Input, Template};
use crate::api::retry::RetryPolicy;
use crate::api::turn::{self, AttemptRecord, InFlight, Observer, TurnError, TurnOptions};
use crate::api::types::{ChatRequest, Completion, Event, Message, Params, Role};
use crate::api::{ApiError, Client, compat};
use crate::pace::{AdaptiveLimit, RateLimits, Slot};
use crate::{input, models};

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
}

/// Shared state of a run, borrowed by every item.
pub struct Context<'a> {
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

/// `--max-cost`: the run stops starting items once the spend so far, plus what the items in
/// flight and the next one are estimated to cost, would pass the limit.
pub struct Budget<'a> {
    /// The limit, in the price table's currency.
    pub max: f64,
    /// Prices.
    pub prices: &'a crate::prices::PriceTable,
    /// The API host (it picks the price table).
    pub host: Option<&'a str>,
    /// Spent by finished attempts.
    pub spent: Cell<f64>,
    /// Estimated for the items in flight.
    pub reserved: Cell<f64>,
    /// The limit stopped the run.
    pub tripped: Cell<bool>,
}

/// Output tokens assumed for a request that sets no `max_tokens`, when estimating cost.
const ASSUMED_OUTPUT_TOKENS: u64 = 500;

impl Budget<'_> {
    fn cost(&self, model: &str, usage: &crate::api::types::Usage) -> Option<f64> {
        crate::prices::cost(
            self.prices,
            model,
            self.host,
            usage,
            usage.reasoning_tokens > 0,
            false,
        )
        .map(|c| c.amount)
    }

    /// Estimates a request: its input, and `max_tokens` (or a modest guess) of output.
    fn estimate(&self, req: &ChatRequest, input_tokens: u64) -> Option<f64> {
        let usage = crate::api::types::Usage {
            prompt_tokens: input_tokens,
            completion_tokens: req
                .params
                .max_tokens
                .map_or(ASSUMED_OUTPUT_TOKENS, u64::from),
            ..Default::default()
        };
        self.cost(&req.model, &usage)
    }

    /// Adds what finished attempts actually cost.
    pub fn charge(&self, attempts: &[AttemptRecord]) {
        let spent: f64 = attempts
            .iter()
            .filter_map(|a| {
                // Priced as the model that answered, else as the one asked for.
                let u = a.usage?;
                std::iter::once(&a.model)
                    .chain(&a.requested_model)
                    .find_map(|m| self.cost(m, &u))
            })
            .sum();
        self.spent.set(self.spent.get() + spent);
    }
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
    let body = compat::chat_body(&canonical);
    let mut hash = Sha256::new();
    hash.update(id.as_bytes());
    hash.update([0]);
    hash.update(body.to_string().as_bytes());
    hex::encode(&hash.finalize()[..12])
}

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
    let request = match plan.request {
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
    ctx.rates.before(estimate).await;
    let mut live = Live {
        abandoned: &ctx.shutdown.abandoned,
        result: Some(result),
        attempts: Vec::new(),
        current: InFlight::default(),
        started: Instant::now(),
    };
    let outcome = send(ctx, Some(slot), &request, estimate, &mut live).await;
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

/// Reserves an item's estimated cost, or stops the run when it would pass `--max-cost` or
/// its price is unknown (a limit that cannot be checked is not kept by guessing).
fn reserve(ctx: &Context<'_>, budget: &Budget<'_>, req: &ChatRequest, tokens: u64) -> Option<f64> {
    if ctx.stop.get() {
        return None;
    }
    let Some(cost) = budget.estimate(req, tokens) else {
        ctx.stop.set(true);
        budget.tripped.set(true);
        crate::term::note(
            "error",
            &format!(
                "stopping: `--max-cost` needs a price for `{}`; add `[prices.\"{}\"]` to the config",
                req.model, req.model
            ),
        );
        return None;
    };
    let total = budget.spent.get() + budget.reserved.get() + cost;
    if total > budget.max {
        ctx.stop.set(true);
        budget.tripped.set(true);
        crate::term::note(
            "note",
            &format!(
                "stopping: the next item would take the run's estimated spend to {} (--max-cost {})",
                crate::prices::format_amount(total),
                crate::prices::format_amount(budget.max)
            ),
        );
        return None;
    }
    budget.reserved.set(budget.reserved.get() + cost);
    Some(cost)
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

fn failed(code: &str, message: String) -> Outcome {
    Outcome::Failed(ItemError {
        status: None,
        code: Some(code.into()),
        message,
        request_id: None,
        fatal: None,
    })
}

/// An input read and turned into its request.
pub struct Plan {
    /// The item id.
    pub id: String,
    /// The file, for file items.
    pub path: Option<PathBuf>,
    /// The request, or the item's final outcome when it cannot be sent.
    pub request: Result<ChatRequest, Outcome>,
}

/// Reads the input (now, as the item starts, and off the runtime's thread) and builds its
/// request.
pub async fn plan(
    defaults: &Defaults,
    template: &Template,
    options: &ItemOptions,
    input: Input,
) -> Plan {
    match input {
        Input::Broken { id, message } => Plan {
            id,
            path: None,
            request: Err(failed("read_error", message)),
        },
        Input::Skipped { path, reason } => Plan {
            id: path.display().to_string(),
            path: Some(path),
            request: Err(Outcome::Skipped(reason)),
        },
        Input::File { path } => {
            let request = read_off_thread(&path, options)
                .await
                .map(|content| request_for(defaults, None, template.render(&path, &content)));
            Plan {
                id: path.display().to_string(),
                path: Some(path),
                request,
            }
        }
        Input::Line { number, text } => {
            let mut id = format!("line {number}");
            let request = serde_json::from_str::<Map<String, Value>>(&text)
                .map_err(|e| {
                    failed(
                        "invalid_input",
                        format!("line {number} is not a JSON object: {e}"),
                    )
                })
                .and_then(|line| {
                    // An invalid line is still reported under its own id, if it has one.
                    if let Some(line_id) =
                        ["custom_id", "id"].iter().find_map(|k| id_of(line.get(*k)))
                    {
                        id = line_id;
                    }
                    parse_line(defaults, line)
                        .map(|(_, request)| request)
                        .map_err(|e| failed("invalid_input", format!("line {number}: {e}")))
                });
            Plan {
                id,
                path: None,
                request,
            }
        }
    }
}

/// Reads a file without blocking the runtime's thread, which drives every request: a
/// regular file on the blocking pool; anything else the user named (a named pipe, a
/// device) on a thread of its own, which may wait for a writer as long as it likes — the
/// item can still be stopped, and the process exits without waiting for that thread.
async fn read_off_thread(path: &Path, opts: &ItemOptions) -> Result<String, Outcome> {
    let gone = || failed("read_error", format!("cannot read `{}`", path.display()));
    let (owned, options) = (path.to_path_buf(), opts.clone());
    let regular = tokio::task::spawn_blocking(move || {
        // `metadata` never blocks on a pipe; opening one may, until a writer comes.
        match std::fs::metadata(&owned) {
            Ok(meta) if !meta.is_file() && !meta.is_dir() => Err((owned, options)),
            _ => Ok(read_file(&owned, &options)),
        }
    })
    .await
    .map_err(|_| gone())?;
    let (owned, options) = match regular {
        Ok(read) => return read,
        Err(special) => special,
    };
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("qwen-read".into())
        .spawn(move || {
            let _ = tx.send(read_file(&owned, &options));
        })
        .map_err(|e| {
            failed(
                "read_error",
                format!("cannot read `{}`: {e}", path.display()),
            )
        })?;
    rx.await.map_err(|_| gone())?
}

fn read_file(path: &Path, opts: &ItemOptions) -> Result<String, Outcome> {
    let os_error = |e: std::io::Error| {
        failed(
            "read_error",
            format!("cannot read `{}`: {e}", path.display()),
        )
    };
    let file = std::fs::File::open(path).map_err(os_error)?;
    let size = file.metadata().map_err(os_error)?.len();
    if size > opts.max_bytes && !opts.truncate {
        return Err(Outcome::Skipped(format!(
            "larger than --max-bytes ({size} > {} bytes); pass --truncate to send the start",
            opts.max_bytes
        )));
    }
    let mut bytes = Vec::with_capacity(size.min(opts.max_bytes) as usize);
    file.take(opts.max_bytes)
        .read_to_end(&mut bytes)
        .map_err(os_error)?;
    let truncated = size > opts.max_bytes;
    if truncated {
        // Cut at a character boundary: up to three bytes of a split UTF-8 sequence go.
        let valid = match std::str::from_utf8(&bytes) {
            Ok(_) => bytes.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(_) => bytes.len(),
        };
        bytes.truncate(valid);
    }
    let mut text = input::decode(bytes, "the file", opts.lossy)
        .map_err(|e| Outcome::Skipped(format!("{}; pass --lossy to send it anyway", e.message)))?;
    if truncated {
        text.push_str(&format!(
            "\n[… truncated at {} bytes of {size}]",
            opts.max_bytes
        ));
    }
    Ok(text)
}

fn request_for(defaults: &Defaults, system: Option<String>, prompt: String) -> ChatRequest {
    let mut messages = Vec::new();
    if let Some(system) = system.or_else(|| defaults.system.clone()) {
        messages.push(Message::new(Role::System, system));
    }
    messages.push(Message::new(Role::User, prompt));
    ChatRequest {
        model: defaults.model.clone(),
        messages,
        params: defaults.params.clone(),
        tools: Vec::new(),
        stream: defaults.stream,
        prompt: None,
    }
}

/// Reads a JSONL request in either shape: `{"id","prompt","system","model",…params}` or
/// the Batch API's `{"custom_id","method","url","body":{…}}`. Other keys pass through to the
/// request body, over the command-line defaults.
pub fn parse_line(
    defaults: &Defaults,
    mut line: Map<String, Value>,
) -> Result<(Option<String>, ChatRequest), String> {
    if let Some(body) = line.remove("body") {
        let id = id_of(line.remove("custom_id").as_ref());
        if let Some(url) = line.get("url").and_then(Value::as_str)
            && !url.ends_with("/chat/completions")
        {
            return Err(format!("url `{url}` is not a chat completions endpoint"));
        }
        let Value::Object(mut body) = body else {
            return Err("`body` is not an object".into());
        };
        let messages = match body.remove("messages") {
            Some(Value::Array(list)) => list.iter().map(message_from).collect::<Result<_, _>>()?,
            _ => return Err("`body.messages` is missing".into()),
        };
        let mut req = request_for(defaults, None, String::new());
        req.messages = messages;
        take_model(&mut body, &mut req);
        body.remove("stream");
        body.remove("stream_options");
        req.params.extra.extend(body);
        return Ok((id, req));
    }
    let id = id_of(line.remove("id").as_ref()).or_else(|| id_of(line.remove("custom_id").as_ref()));
    let system = match line.remove("system") {
        Some(Value::String(s)) => Some(s),
        None | Some(Value::Null) => None,
        Some(_) => return Err("`system` is not a string".into()),
    };
    let mut req = match (line.remove("prompt"), line.remove("messages")) {
        (Some(Value::String(prompt)), None) => request_for(defaults, system, prompt),
        (None, Some(Value::Array(list))) => {
            let mut req = request_for(defaults, system, String::new());
            req.messages.pop();
            for m in &list {
                req.messages.push(message_from(m)?);
            }
            req
        }
        _ => return Err("needs a string `prompt` (or a `messages` array)".into()),
    };
    take_model(&mut line, &mut req);
    req.params.extra.extend(line);
    Ok((id, req))
}

/// A line's id: a string, or a number written as text.
fn id_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn take_model(map: &mut Map<String, Value>, req: &mut ChatRequest) {
    if let Some(Value::String(model)) = map.remove("model") {
        req.model = model;
    }
}

fn message_from(value: &Value) -> Result<Message, String> {
    let role = value
        .get("role")
        .and_then(Value::as_str)
        .and_then(Role::parse)
        .ok_or("a message has no valid `role`")?;
    let content = value
        .get("content")
        .and_then(compat::content_text)
        .unwrap_or_default();
    let mut message = Message::new(role, content);
    message.tool_call_id = value
        .get("tool_call_id")
        .and_then(Value::as_str)
        .map(str::to_owned);
    Ok(message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn defaults() -> Defaults {
        Defaults {
            model: "qwen-plus".into(),
            system: Some("Be brief.".into()),
            params: Params {
                temperature: Some(0.5),
                ..Default::default()
            },
            stream: true,
        }
    }

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn simple_line_shape() {
        let (id, req) = parse_line(
            &defaults(),
            obj(json!({"id": 7, "prompt": "hi", "model": "qwen-max", "max_tokens": 5})),
        )
        .unwrap();
        assert_eq!(id.as_deref(), Some("7"));
        assert_eq!(req.model, "qwen-max");
        assert_eq!(req.messages.len(), 2);
        assert_eq!(req.messages[1].content, "hi");
        let body = compat::chat_body(&req);
        assert_eq!(body["max_tokens"], 5);
        assert_eq!(body["temperature"], 0.5);
    }

    #[test]
    fn batch_api_line_shape() {
        let line = json!({"custom_id": "a-1", "method": "POST", "url": "/v1/chat/completions",
            "body": {"model": "qwen-turbo", "messages": [{"role": "user", "content": "2+2?"}],
                     "enable_thinking": false}});
        let (id, req) = parse_line(&defaults(), obj(line)).unwrap();
        assert_eq!(id.as_deref(), Some("a-1"));
        assert_eq!(req.model, "qwen-turbo");
        assert_eq!(req.messages, vec![Message::new(Role::User, "2+2?")]);
        assert_eq!(compat::chat_body(&req)["enable_thinking"], false);
    }

    #[test]
    fn bad_lines_say_why() {
        assert!(
            parse_line(&defaults(), obj(json!({"id": 1})))
                .unwrap_err()
                .contains("prompt")
        );
        let line = json!({"custom_id": "x", "url": "/v1/embeddings", "body": {"messages": []}});
        assert!(
            parse_line(&defaults(), obj(line))
                .unwrap_err()
                .contains("embeddings")
        );
    }

    #[test]
    fn key_changes_with_the_prompt_not_with_streaming() {
        let (_, a) = parse_line(&defaults(), obj(json!({"prompt": "hi"}))).unwrap();
        let mut b = a.clone();
        b.stream = !b.stream;
        assert_eq!(request_key("x", &a), request_key("x", &b));
        b.messages[1].content = "hello".into();
        assert_ne!(request_key("x", &a), request_key("x", &b));
        assert_ne!(request_key("x", &a), request_key("y", &a));
    }
}
