//! The HTTP client: one `reqwest::Client` per process, requests in, events or [`ApiError`] out.
//!
//! This module knows nothing of the command line or of output. It sends requests, turns
//! non-2xx answers into one typed error whichever body shape the server used, and hands back
//! a [`Reply`] that yields neutral [`types::Event`]s for both streamed and whole responses.

pub mod batches;
pub mod compat;
pub mod embeddings;
pub mod endpoints;
pub mod listing;
pub mod native;
pub mod retry;
pub mod sse;
pub mod turn;
pub mod types;

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::time::Duration;

use futures_util::{Stream, StreamExt};
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::Value;

use crate::exit::Exit;
use crate::secret::{Secret, scrub};
use types::{ChatRequest, Event};

/// Errors from talking to the API. Commands add context with `anyhow`.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The server could not be reached (DNS, refused, TLS, connect timeout).
    #[error("could not connect to `{}`: {}", endpoints::shown_url(.url), transport_reason(.cause))]
    Connect {
        /// The URL that was tried.
        url: String,
        /// What went wrong (not a `source`: its text already says all of it).
        cause: reqwest::Error,
    },
    /// The server answered with a non-2xx status (or an error object in a 2xx body).
    #[error("{}", status_line(*.status, .code.as_deref(), .message, .request_id.as_deref()))]
    Status {
        /// The HTTP status, when the error came with one.
        status: Option<u16>,
        /// The provider's error code (`invalid_api_key`, `Throttling.RateQuota`, …).
        code: Option<String>,
        /// The provider's message.
        message: String,
        /// The request id, for support tickets.
        request_id: Option<String>,
        /// How long the server asked us to wait (`Retry-After`).
        retry_after: Option<Duration>,
        /// The base URL the request went to, for hints about the URL itself.
        base_url: Option<String>,
    },
    /// The connection broke while the reply was being read.
    #[error("the connection broke while reading the reply: {}", transport_reason(.0))]
    Body(reqwest::Error),
    /// The reply was not what the protocol promises (bad JSON, an HTML page).
    #[error("{0}")]
    Stream(String),
    /// The server closed the stream cleanly before `[DONE]` or a finish reason: the reply
    /// was cut, like a reset connection, and is retried like one.
    #[error("the response stream ended before the reply was complete")]
    Incomplete,
    /// The key would go over plain http to a host that is not loopback (checked on the
    /// URL of each request, as the HTTP client parsed it).
    #[error("refusing to send the API key over plain http to `{host}`")]
    Insecure {
        /// The host the request would go to.
        host: String,
    },
    /// The server went silent for too long.
    #[error("no {what} from the server within {}", crate::units::format_duration(*.after))]
    Timeout {
        /// What we were waiting for ("reply", "further output").
        what: &'static str,
        /// How long we waited.
        after: Duration,
    },
}

fn transport_reason(err: &reqwest::Error) -> String {
    // reqwest's own text repeats the URL; the innermost cause says what actually happened.
    let mut source: &dyn std::error::Error = err;
    while let Some(next) = source.source() {
        source = next;
    }
    if err.is_timeout() {
        "timed out".to_owned()
    } else {
        source.to_string()
    }
}

fn status_line(
    status: Option<u16>,
    code: Option<&str>,
    message: &str,
    request_id: Option<&str>,
) -> String {
    // Everything but the status came from the server: one line, no terminal controls.
    use crate::term::printable;
    let mut line = String::new();
    let mut message = message.trim();
    if let Some(status) = status {
        line.push_str(&status.to_string());
        line.push(' ');
        // Servers that answer `404: Not Found` as text say the status once, not twice.
        if let Some(rest) = message.strip_prefix(&status.to_string())
            && let Some(rest) = rest.strip_prefix([':', ' '])
        {
            message = rest.trim_start_matches([':', ' ']);
        }
    }
    if let Some(code) = code {
        line.push_str(&printable(code));
        line.push_str(": ");
    }
    line.push_str(&printable(message));
    if let Some(id) = request_id {
        line.push_str(&format!(" (request id {})", printable(id)));
    }
    line
}

/// Codes that mean "this account cannot pay"; waiting will not help.
const BILLING_CODES: &[&str] = &[
    "Arrearage",
    "PrepaidBillOverdue",
    "PostpaidBillOverdue",
    "CommodityNotPurchased",
    "AllocationQuota.FreeTierOnly",
];

/// Codes that mean "this model is not available to you"; another model may be.
const MODEL_UNAVAILABLE_CODES: &[&str] = &[
    "model_not_found",
    "ModelNotFound",
    "Model.NotExist",
    "Model.AccessDenied",
    "ModelUnavailable",
    "ModelServiceFailed",
];

impl ApiError {
    /// Returns the provider's error code, if any.
    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::Status { code, .. } => code.as_deref(),
            _ => None,
        }
    }

    /// Returns the HTTP status, if the error came with one.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Status { status, .. } => *status,
            _ => None,
        }
    }

    /// Returns the kind of failure: `connect`, `connection_lost`, `incomplete_reply`,
    /// `malformed_reply`, `timeout`, `insecure_http`, or `status` for an error answer.
    pub fn kind(&self) -> &'static str {
        match self {
            ApiError::Connect { .. } => "connect",
            ApiError::Body(_) => "connection_lost",
            ApiError::Incomplete => "incomplete_reply",
            ApiError::Stream(_) => "malformed_reply",
            ApiError::Timeout { .. } => "timeout",
            ApiError::Insecure { .. } => "insecure_http",
            ApiError::Status { .. } => "status",
        }
    }

    /// Returns a short code for the ledger: the provider's code, else `http_N` for an
    /// answer without one, else the kind of failure.
    pub fn short_code(&self) -> String {
        match self {
            ApiError::Status { code: Some(c), .. } => c.clone(),
            ApiError::Status { status, .. } => format!("http_{}", status.unwrap_or(0)),
            other => other.kind().to_owned(),
        }
    }

    /// Returns true for an out-of-credit or unpaid-bill error.
    pub fn is_billing(&self) -> bool {
        match self {
            ApiError::Status { code, message, .. } => {
                code.as_deref().is_some_and(|c| BILLING_CODES.contains(&c))
                    || message.contains("Free allocated quota exceeded")
            }
            _ => false,
        }
    }

    /// Returns true when another model might succeed where this one cannot.
    pub fn is_model_unavailable(&self) -> bool {
        match self {
            ApiError::Status { status, code, .. } => {
                *status == Some(404)
                    || code
                        .as_deref()
                        .is_some_and(|c| MODEL_UNAVAILABLE_CODES.contains(&c))
            }
            _ => false,
        }
    }

    /// Returns true when the error says that `model` does not exist (as opposed to a wrong
    /// URL, which is a 404 too).
    pub fn is_unknown_model(&self, model: &str) -> bool {
        match self.code() {
            Some("model_not_found" | "ModelNotFound" | "Model.NotExist") => true,
            _ => {
                self.status() == Some(404)
                    && matches!(self, ApiError::Status { message, .. } if message.contains(model))
            }
        }
    }

    /// Returns true for failures that a later identical request may not hit.
    ///
    /// Connection failures, timeouts, 408, 429 and 5xx are transient. Unlike OpenAI's,
    /// DashScope's compat `insufficient_quota` is TPM throttling and heals within a minute
    /// (dashscope-protocol.md §5), so only billing codes are final among the 429s.
    pub fn is_retryable(&self) -> bool {
        match self {
            ApiError::Connect { .. }
            | ApiError::Body(_)
            | ApiError::Incomplete
            | ApiError::Timeout { .. } => true,
            ApiError::Stream(_) | ApiError::Insecure { .. } => false,
            ApiError::Status { status, .. } => {
                !self.is_billing()
                    && matches!(status, Some(408 | 409 | 429 | 500 | 502 | 503 | 504))
            }
        }
    }

    /// Returns how long the server asked us to wait, if it said.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            ApiError::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Picks the exit status for this error.
    pub fn exit(&self) -> Exit {
        match self {
            _ if self.is_billing() => Exit::RateLimit,
            ApiError::Insecure { .. } => Exit::Auth,
            ApiError::Status {
                status: Some(401), ..
            } => Exit::Auth,
            ApiError::Status {
                status: Some(403),
                code,
                ..
            } if !code.as_deref().is_some_and(|c| c.starts_with("Model")) => Exit::Auth,
            ApiError::Status {
                status: Some(429), ..
            } => Exit::RateLimit,
            _ => Exit::Failure,
        }
    }

    /// Returns a hint for the user, where one helps.
    pub fn hint(&self) -> Option<String> {
        let ApiError::Status {
            status,
            message,
            base_url,
            ..
        } = self
        else {
            return match self {
                ApiError::Connect { .. } => Some(
                    "check the network, `--region` or `--base-url`; `qwen chat --dry-run` shows the URL"
                        .into(),
                ),
                ApiError::Timeout { .. } => Some(
                    "raise `--first-token-timeout` or `--idle-timeout` if the model needs longer"
                        .into(),
                ),
                ApiError::Insecure { .. } => Some(
                    "use https, or opt in with `--allow-insecure-http` (or `allow_insecure_http = true`)"
                        .into(),
                ),
                _ => None,
            };
        };
        if self.is_billing() {
            return Some(
                "the account is out of credit or has an unpaid bill; top it up in the Model Studio console"
                    .into(),
            );
        }
        if let Some(limit) = context_limit(message) {
            return Some(format!(
                "the model accepts at most {limit} input tokens; shorten the input, \
                 lower `--max-history`, or pick a model with a larger context"
            ));
        }
        match status {
            Some(401) => Some(
                "DashScope keys are issued per region: a key from another region gets 401. \
                 Check `--region` (cn, intl, us, hk) and `DASHSCOPE_API_KEY`"
                    .into(),
            ),
            Some(404) => match base_url.as_deref().filter(|u| lacks_api_version(u)) {
                Some(url) => Some(format!(
                    "the base URL `{}` has no API version in its path: OpenAI-compatible \
                     servers answer under `…/v1` (DashScope: `…/compatible-mode/v1`, native \
                     `…/api/v1`), e.g. `--base-url {}/v1`",
                    endpoints::shown_url(url),
                    endpoints::shown_url(url).trim_end_matches('/')
                )),
                None => Some(
                    "check the model name with `--model`; not every region offers every model"
                        .into(),
                ),
            },
            Some(429) => Some(
                "the account's request or token rate limit was hit; wait a minute, or raise `--retries`"
                    .into(),
            ),
            _ => None,
        }
    }
}

/// Returns true when a base URL's path looks like a server's root rather than an API's:
/// it does not end in a version segment (`/v1`, `/compatible-mode/v1`, `/api/v1`).
fn lacks_api_version(base_url: &str) -> bool {
    let Some(url) = endpoints::parse_base_url(base_url) else {
        return false;
    };
    let last = url
        .path()
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("");
    !(last.len() >= 2
        && last.starts_with(['v', 'V'])
        && last[1..]
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b.is_ascii_alphabetic()))
}

/// Reads N from "Range of input length should be [1, N]" and llama.cpp's "context size (N".
fn context_limit(message: &str) -> Option<u64> {
    let digits = |s: &str| -> Option<u64> {
        let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        s[..end].parse().ok()
    };
    if let Some(at) = message.find("Range of input length should be [1, ") {
        return digits(&message[at + "Range of input length should be [1, ".len()..]);
    }
    if let Some(at) = message.find("available context size (") {
        return digits(&message[at + "available context size (".len()..]);
    }
    None
}

/// Builds one [`ApiError::Status`] from any error body shape: compat `{"error":{…}}`,
/// native `{"code","message","request_id"}`, mixtures of both, or plain text.
pub fn error_from_body(status: Option<u16>, body: &str, retry_after: Option<Duration>) -> ApiError {
    // A native error can come as an SSE event in a non-2xx body (§4.4):
    // `id:1` / `event:error` / `:HTTP_STATUS/400` / `data:{…}`. Its `data:` line is the body.
    let body = match body
        .lines()
        .find_map(|l| l.strip_prefix("data:"))
        .filter(|_| body.trim_start().starts_with(['i', 'e', ':', 'd']))
    {
        Some(data) => data.trim(),
        None => body,
    };
    let json: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let text = |v: Option<&Value>| -> Option<String> {
        match v? {
            Value::String(s) if !s.is_empty() => Some(s.clone()),
            _ => None,
        }
    };
    let inner = json.get("error");
    let (code, message) = match inner {
        Some(Value::Object(e)) => (
            text(e.get("code"))
                .or_else(|| text(e.get("type")))
                .or_else(|| text(json.get("code"))),
            text(e.get("message")).or_else(|| text(json.get("message"))),
        ),
        Some(Value::String(s)) => (text(json.get("code")), Some(s.clone())),
        _ => (text(json.get("code")), text(json.get("message"))),
    };
    let request_id = text(json.get("request_id"));
    let message = message.unwrap_or_else(|| {
        if body.trim().is_empty() {
            status
                .and_then(|s| reqwest::StatusCode::from_u16(s).ok())
                .and_then(|s| s.canonical_reason())
                .unwrap_or("empty error response")
                .to_owned()
        } else {
            compat::snippet(body)
        }
    });
    ApiError::Status {
        status,
        code: code.map(scrub),
        message: scrub(message),
        request_id: request_id.map(scrub),
        retry_after,
        base_url: None,
    }
}

/// Reads `retry-after-ms` or `retry-after` (seconds or an HTTP date).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    // A server's number is not trusted to fit a Duration: `inf` or `1e300` means "much
    // longer than we wait", which the retry policy turns into a final error.
    let far = Duration::from_secs(u32::MAX as u64);
    if let Some(ms) = get("retry-after-ms").and_then(|v| v.trim().parse::<f64>().ok()) {
        return (ms >= 0.0).then(|| Duration::try_from_secs_f64(ms / 1000.0).unwrap_or(far));
    }
    let value = get("retry-after")?.trim();
    if let Ok(secs) = value.parse::<f64>() {
        return (secs >= 0.0).then(|| Duration::try_from_secs_f64(secs).unwrap_or(far));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or_default(),
    )
}

/// Which wire format an endpoint speaks (dashscope-protocol.md §2–§4).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Protocol {
    /// OpenAI-compatible (`…/compatible-mode/v1`, and local servers).
    #[default]
    Compat,
    /// DashScope native (`…/api/v1/services/…`).
    Native,
}

impl Protocol {
    /// Returns the name used by `--api` and `api = "…"`.
    pub fn name(self) -> &'static str {
        match self {
            Protocol::Compat => "compat",
            Protocol::Native => "native",
        }
    }
}

/// Where requests go and how they are authenticated.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// The root URL of the protocol's API, without a trailing slash: the OpenAI-compatible
    /// base URL (`…/compatible-mode/v1`), or the native root (`…/api/v1`).
    pub base_url: String,
    /// The API key; `None` only for loopback servers that need none.
    pub key: Option<Secret>,
    /// A DashScope workspace id, sent as `X-DashScope-WorkSpace`.
    pub workspace: Option<String>,
    /// The wire format.
    pub protocol: Protocol,
    /// The user allowed the key over plain http to a host that is not loopback.
    pub allow_insecure_http: bool,
    /// The largest server-sent event accepted (`max_event_size`).
    pub max_event_size: usize,
    /// Remembers across runs which native generation path serves each model (learnt from
    /// `url error` answers); `None` remembers nothing across runs.
    pub routes: Option<std::sync::Arc<dyn RouteMemory>>,
}

/// Where the native generation path that served a model at a base URL is kept between runs.
///
/// The API layer only asks and tells; the store below the settings keeps the answers (see
/// `store::NativeRoutes`), so this layer never opens a database itself.
pub trait RouteMemory: fmt::Debug + Send + Sync {
    /// Returns the path remembered for `model` at `base_url`, if any.
    fn recall(&self, base_url: &str, model: &str) -> Option<String>;

    /// Remembers that `path` serves `model` at `base_url`; failing to is only a lost hint.
    fn remember(&self, base_url: &str, model: &str, path: &str);
}

impl Endpoint {
    /// Returns the native generation path the store remembers for `model`, if any.
    fn remembered_path(&self, model: &str) -> Option<&'static str> {
        let path = self.routes.as_ref()?.recall(&self.base_url, model)?;
        native::known_path(&path)
    }

    /// Remembers that `path` serves `model`; a store that cannot be written only costs the
    /// next run one `url error`.
    fn remember_path(&self, model: &str, path: &str) {
        if let Some(routes) = &self.routes {
            routes.remember(&self.base_url, model, path);
        }
    }
}

/// Where a model's native requests go in this process.
#[derive(Debug, Clone, Copy)]
struct Route {
    /// The path in use.
    path: &'static str,
    /// The path the store had (or the default): a different working path is saved.
    initial: &'static str,
    /// Switched after a `url error` already: one switch per model and process.
    switched: bool,
}

/// A request ready to send, or to show with `--dry-run`.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The full URL.
    pub url: String,
    /// Headers as they will be sent, the key redacted.
    pub headers: Vec<(String, String)>,
    /// The JSON body.
    pub body: Value,
}

/// The one HTTP client of the process; clones share its connection pool.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    endpoint: Endpoint,
    verbose: bool,
    /// Native generation paths per model (shared by clones).
    routes: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, Route>>>,
}

impl Client {
    /// Builds the client; `connect_timeout` bounds DNS + TCP + TLS.
    pub fn new(
        endpoint: Endpoint,
        connect_timeout: Duration,
        verbose: bool,
    ) -> anyhow::Result<Self> {
        let url = endpoints::parse_base_url(&endpoint.base_url);
        let mut builder = reqwest::Client::builder()
            .user_agent(concat!("qwen/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(connect_timeout)
            .pool_idle_timeout(Duration::from_secs(60))
            // `localhost` counts as loopback for the key check, so it must connect there
            // whatever the resolver or /etc/hosts say; port 0 keeps the URL's port.
            .resolve_to_addrs(
                endpoints::LOCALHOST,
                &[
                    (std::net::Ipv4Addr::LOCALHOST, 0).into(),
                    (std::net::Ipv6Addr::LOCALHOST, 0).into(),
                ],
            );
        if url.as_ref().is_some_and(endpoints::is_loopback_url) {
            // A proxy cannot reach this machine's loopback, and a plain-http request to it
            // would hand the proxy the key in clear text.
            builder = builder.no_proxy();
        }
        if url.as_ref().is_some_and(|u| u.scheme() == "http") {
            // A plain-http endpoint (a local server) never uses TLS, and loading the
            // platform's root certificates reads every file in /etc/ssl/certs: a few
            // milliseconds of a request that takes ten. An empty trust store skips it.
            builder = builder.tls_certs_only(Vec::<reqwest::Certificate>::new());
        }
        let http = builder.build()?;
        Ok(Self {
            http,
            endpoint,
            verbose,
            routes: std::sync::Arc::default(),
        })
    }

    /// Returns the native generation path `model`'s requests go to now, `None` for the
    /// compat protocol.
    pub(crate) fn native_path(&self, model: &str) -> Option<&'static str> {
        (self.endpoint.protocol == Protocol::Native).then(|| self.generation_path(model))
    }

    /// Returns the native generation path for `model`: the one learnt in this process,
    /// else the one the store remembers, else the default for its name.
    fn generation_path(&self, model: &str) -> &'static str {
        let mut routes = self.routes.lock().unwrap_or_else(|e| e.into_inner());
        let route = routes.entry(model.to_owned()).or_insert_with(|| {
            let path = self
                .endpoint
                .remembered_path(model)
                .unwrap_or_else(|| native::generation_path(model));
            Route {
                path,
                initial: path,
                switched: false,
            }
        });
        route.path
    }

    /// After `err` from a request sent to `used`, moves `model` to the other native
    /// generation path when `err` is the gateway's `url error` and the model has not moved
    /// yet in this process; returns true when the request should be sent again at once
    /// (also when a concurrent request already moved it away from `used`).
    pub(crate) fn reroute(&self, model: &str, used: Option<&str>, err: &ApiError) -> bool {
        let Some(used) = used else {
            return false;
        };
        if self.endpoint.protocol != Protocol::Native || !native::is_wrong_path(err) {
            return false;
        }
        self.generation_path(model);
        let mut routes = self.routes.lock().unwrap_or_else(|e| e.into_inner());
        let Some(route) = routes.get_mut(model) else {
            return false;
        };
        if route.path != used {
            return true;
        }
        if route.switched {
            return false;
        }
        route.path = native::other_path(route.path);
        route.switched = true;
        if self.verbose {
            crate::term::note(
                "verbose",
                &format!("`{model}` answered `url error`; trying `{}`", route.path),
            );
        }
        true
    }

    /// Records that `model` was answered on its current native path: a path that differs
    /// from what the store had is saved, so the next run goes straight there.
    pub(crate) fn route_worked(&self, model: &str) {
        if self.endpoint.protocol != Protocol::Native {
            return;
        }
        let mut routes = self.routes.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(route) = routes.get_mut(model)
            && route.path != route.initial
        {
            self.endpoint.remember_path(model, route.path);
            route.initial = route.path;
        }
    }

    /// Returns where this client sends requests.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// Returns the underlying HTTP client, for `qwen doctor`'s raw probes.
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// Builds the chat request for this endpoint without sending it.
    pub fn prepare_chat(&self, req: &ChatRequest) -> Prepared {
        let path = match self.endpoint.protocol {
            Protocol::Compat => compat::path(req),
            Protocol::Native => self.generation_path(&req.model),
        };
        prepare_chat_at(&self.endpoint, req, path)
    }

    /// Returns the headers of `prepared` as `--dry-run` and `--verbose` show them.
    pub fn shown_headers(prepared: &Prepared, has_key: bool) -> Vec<(String, String)> {
        let mut shown = prepared.headers.clone();
        if has_key {
            shown.insert(
                0,
                ("Authorization".to_owned(), "Bearer <redacted>".to_owned()),
            );
        }
        shown
    }

    /// Adds the key to a request, after checking the request's own parsed URL (the one
    /// reqwest will connect to) may receive it: https, loopback, or an http host the user
    /// allowed with `--allow-insecure-http`.
    pub(crate) fn authorize(
        &self,
        builder: reqwest::RequestBuilder,
    ) -> Result<reqwest::RequestBuilder, ApiError> {
        let Some(key) = &self.endpoint.key else {
            return Ok(builder);
        };
        let (http, request) = builder.build_split();
        let mut request =
            request.map_err(|e| ApiError::Stream(format!("cannot build the request: {e}")))?;
        let url = request.url();
        if url.scheme() != "https"
            && !endpoints::is_loopback_url(url)
            && !self.endpoint.allow_insecure_http
        {
            return Err(ApiError::Insecure {
                host: url.host_str().unwrap_or("?").to_owned(),
            });
        }
        let mut value =
            HeaderValue::from_str(&format!("Bearer {}", key.expose())).map_err(|_| {
                ApiError::Stream(
                    "the API key contains characters that cannot go in a header".into(),
                )
            })?;
        value.set_sensitive(true);
        request
            .headers_mut()
            .insert(reqwest::header::AUTHORIZATION, value);
        Ok(reqwest::RequestBuilder::from_parts(http, request))
    }

    /// Sends a prepared request; any non-2xx answer becomes an [`ApiError::Status`].
    pub async fn send(&self, prepared: &Prepared) -> Result<reqwest::Response, ApiError> {
        let mut builder = self.http.post(&prepared.url);
        for (name, value) in &prepared.headers {
            builder = builder.header(name, value);
        }
        builder = self.authorize(builder)?;
        let body = serde_json::to_vec(&prepared.body).expect("a JSON value always serializes");
        if self.verbose {
            self.dump_request(prepared, body.len());
        }
        let response = builder
            .body(body)
            .send()
            .await
            .map_err(|cause| ApiError::Connect {
                url: prepared.url.clone(),
                cause,
            })?;
        self.check(response).await
    }

    /// Sends `GET url` with the key and workspace; any non-2xx answer becomes an
    /// [`ApiError::Status`].
    pub async fn get(&self, url: &str) -> Result<reqwest::Response, ApiError> {
        let mut builder = self.http.get(url);
        if let Some(ws) = &self.endpoint.workspace {
            builder = builder.header("X-DashScope-WorkSpace", ws);
        }
        builder = self.authorize(builder)?;
        if self.verbose {
            crate::term::note("verbose", &format!("> GET {}", endpoints::shown_url(url)));
        }
        let response = builder.send().await.map_err(|cause| ApiError::Connect {
            url: url.to_owned(),
            cause,
        })?;
        self.check(response).await
    }

    /// Passes a 2xx response through and turns any other into an [`ApiError::Status`].
    async fn check(&self, response: reqwest::Response) -> Result<reqwest::Response, ApiError> {
        let status = response.status();
        if self.verbose {
            crate::term::note(
                "verbose",
                &format!(
                    "< {} {}",
                    status.as_u16(),
                    status.canonical_reason().unwrap_or("")
                ),
            );
        }
        if status.is_success() {
            let html = response
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("text/html"));
            if html {
                // A web page (a router's login, a proxy's notice, the server's home page
                // under a base URL without `/v1`): no API answers with HTML.
                return Err(ApiError::Stream(format!(
                    "the server answered HTML, not an API response: check the URL `{}`",
                    endpoints::shown_url(response.url().as_str())
                )));
            }
            return Ok(response);
        }
        let wait = retry_after(response.headers());
        let header_id = request_id_header(response.headers());
        let body = response.text().await.unwrap_or_default();
        let mut err = with_request_id(
            error_from_body(Some(status.as_u16()), &body, wait),
            header_id.as_deref(),
        );
        if let ApiError::Status { base_url, .. } = &mut err {
            *base_url = Some(self.endpoint.base_url.clone());
        }
        Err(err)
    }

    fn dump_request(&self, prepared: &Prepared, len: usize) {
        let mut text = format!("> POST {}", endpoints::shown_url(&prepared.url));
        for (name, value) in Self::shown_headers(prepared, self.endpoint.key.is_some()) {
            text.push_str(&format!("\n> {name}: {value}"));
        }
        text.push_str(&format!("\n> ({len} bytes) {}", prepared.body));
        crate::term::note("verbose", &text);
    }

    /// Sends a chat request and returns its reply, streamed or whole.
    pub async fn chat(&self, req: &ChatRequest) -> Result<Reply, ApiError> {
        let prepared = self.prepare_chat(req);
        let response = self.send(&prepared).await?;
        Ok(Reply::new(response, req.stream, &self.endpoint))
    }
}

/// Builds a chat request for `endpoint` without a client (what `--dry-run` shows): a native
/// request goes to the path the store remembers for its model, as a real one would.
pub fn prepare_chat(endpoint: &Endpoint, req: &ChatRequest) -> Prepared {
    let path = match endpoint.protocol {
        Protocol::Compat => compat::path(req),
        Protocol::Native => endpoint
            .remembered_path(&req.model)
            .unwrap_or_else(|| native::generation_path(&req.model)),
    };
    prepare_chat_at(endpoint, req, path)
}

/// Builds a chat request for `endpoint` sent to `path` (relative to its base URL).
fn prepare_chat_at(endpoint: &Endpoint, req: &ChatRequest, path: &str) -> Prepared {
    let mut headers = vec![("Content-Type".to_owned(), "application/json".to_owned())];
    if req.stream {
        headers.push(("Accept".to_owned(), "text/event-stream".to_owned()));
    }
    if let Some(ws) = &endpoint.workspace {
        headers.push(("X-DashScope-WorkSpace".to_owned(), ws.clone()));
    }
    let body = match endpoint.protocol {
        Protocol::Compat => compat::chat_body(req),
        Protocol::Native => {
            if req.stream {
                // Native streams are asked for with a header, not a body field (§4.1).
                headers.push(("X-DashScope-SSE".to_owned(), "enable".to_owned()));
            }
            native::generation_body_for(req, path)
        }
    };
    Prepared {
        url: format!("{}{path}", endpoint.base_url),
        headers,
        body,
    }
}

/// Gives an error the request id of the response's headers; the body's stays only when the
/// headers had none (they name the same request; the header is what the gateway logs).
fn with_request_id(mut err: ApiError, header_id: Option<&str>) -> ApiError {
    if let (ApiError::Status { request_id, .. }, Some(id)) = (&mut err, header_id) {
        *request_id = Some(id.to_owned());
    }
    err
}

/// The request id a response's headers carry, scrubbed of keys.
pub(crate) fn request_id_header(headers: &HeaderMap) -> Option<String> {
    headers
        .get("x-request-id")
        .or_else(|| headers.get("x-dashscope-request-id"))
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty())
        .map(|v| scrub(v.to_owned()))
}

impl From<reqwest::Error> for ApiError {
    fn from(err: reqwest::Error) -> Self {
        ApiError::Body(err)
    }
}

type SseStream = Pin<Box<dyn Stream<Item = Result<sse::SseEvent, ApiError>>>>;

enum Source {
    Stream(SseStream),
    Whole(Option<reqwest::Response>),
}

/// A reply being read: yields events one at a time, whichever way the server sends them.
pub struct Reply {
    source: Source,
    pending: VecDeque<Event>,
    /// `[DONE]` or a finish reason arrived, so the end of the stream is expected. A native
    /// stream has no `[DONE]`: it ends at connection close after its finish reason.
    complete: bool,
    ended: bool,
    protocol: Protocol,
    /// The `x-request-id` header, for errors that arrive inside the reply (an error
    /// object in a 200 body, a mid-stream `data: {"error":…}` or `event:error`).
    header_id: Option<String>,
}

impl Reply {
    /// Reads a stream of already-parsed server-sent events (tests feed canned bytes).
    #[cfg(test)]
    pub(crate) fn from_sse(events: SseStream, protocol: Protocol) -> Self {
        Self {
            source: Source::Stream(events),
            pending: VecDeque::new(),
            complete: false,
            ended: false,
            protocol,
            header_id: None,
        }
    }

    fn new(response: reqwest::Response, stream: bool, endpoint: &Endpoint) -> Self {
        let protocol = endpoint.protocol;
        // A server that answers a streamed request with one JSON body (some proxies and
        // local servers ignore `stream`) is read as the whole reply it is.
        let json = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        let stream = stream && !json;
        let mut pending = VecDeque::new();
        let header_id = request_id_header(response.headers());
        if let Some(id) = &header_id {
            pending.push_back(Event::Meta {
                model: None,
                request_id: Some(id.clone()),
            });
        }
        let source = if stream {
            Source::Stream(Box::pin(sse::events(
                response.bytes_stream(),
                endpoint.max_event_size,
            )))
        } else {
            Source::Whole(Some(response))
        };
        Self {
            source,
            pending,
            complete: false,
            ended: false,
            protocol,
            header_id,
        }
    }

    /// Returns the next event if it can be had without waiting for the network, else `None`.
    pub fn next_now(&mut self) -> Option<Result<Option<Event>, ApiError>> {
        use futures_util::FutureExt as _;
        match self.source {
            // Dropping a pending `next()` here loses nothing: the SSE parser keeps its state
            // and buffered bytes in the stream, not in the future.
            Source::Stream(_) => self.next().now_or_never(),
            // A whole reply is read by one future that must not be dropped half-way.
            Source::Whole(Some(_)) if self.pending.is_empty() => None,
            Source::Whole(_) => self.next().now_or_never(),
        }
    }

    /// Returns the next event, `None` at the end of a complete reply.
    ///
    /// A stream that ends before `[DONE]` or a finish reason is an error: the reply was cut.
    pub async fn next(&mut self) -> Result<Option<Event>, ApiError> {
        let next = self.read().await;
        next.map_err(|err| with_request_id(err, self.header_id.as_deref()))
    }

    async fn read(&mut self) -> Result<Option<Event>, ApiError> {
        loop {
            if let Some(event) = self.pending.pop_front() {
                if matches!(event, Event::Finish(_)) {
                    self.complete = true;
                }
                return Ok(Some(event));
            }
            if self.ended {
                return Ok(None);
            }
            match &mut self.source {
                Source::Whole(response) => {
                    let Some(response) = response.take() else {
                        self.ended = true;
                        continue;
                    };
                    let body = response.text().await.map_err(ApiError::Body)?;
                    self.pending.extend(match self.protocol {
                        Protocol::Compat => compat::response_events(&body)?,
                        Protocol::Native => native::response_events(&body)?,
                    });
                    self.ended = true;
                    self.complete = true;
                }
                Source::Stream(events) => match events.next().await {
                    Some(Ok(event)) => self.on_sse(event)?,
                    Some(Err(err)) => return Err(err),
                    None => {
                        self.ended = true;
                        if !self.complete {
                            return Err(ApiError::Incomplete);
                        }
                    }
                },
            }
        }
    }

    fn on_sse(&mut self, event: sse::SseEvent) -> Result<(), ApiError> {
        let data = event.data.trim();
        if event.event == "error" {
            return Err(match self.protocol {
                Protocol::Compat => error_from_body(None, data, None),
                Protocol::Native => native::error_event(data),
            });
        }
        if data.is_empty() || event.event == "keepalive" || event.event == "ping" {
            return Ok(());
        }
        if data == "[DONE]" {
            self.complete = true;
            self.ended = true;
            return Ok(());
        }
        let mut events = Vec::new();
        match self.protocol {
            Protocol::Compat => compat::chunk_events(data, &mut events)?,
            Protocol::Native => native::chunk_events(data, &mut events)?,
        }
        self.pending.extend(events);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_error_shapes_map_to_one_error() {
        let compat = r#"{"error":{"message":"Incorrect API key provided.","type":"invalid_request_error","param":null,"code":"invalid_api_key"},"request_id":"b02e"}"#;
        let err = error_from_body(Some(401), compat, None);
        assert_eq!(
            err.to_string(),
            "401 invalid_api_key: Incorrect API key provided. (request id b02e)"
        );
        assert_eq!(err.exit(), Exit::Auth);

        let native =
            r#"{"code":"InvalidApiKey","message":"Invalid API-key provided.","request_id":"824f"}"#;
        let err = error_from_body(Some(401), native, None);
        assert_eq!(
            err.to_string(),
            "401 InvalidApiKey: Invalid API-key provided. (request id 824f)"
        );

        let no_code = r#"{"error":{"message":"You have exceeded your current request limit.","type":"limit_requests"}}"#;
        let err = error_from_body(Some(429), no_code, None);
        assert_eq!(err.code(), Some("limit_requests"));
        assert!(err.is_retryable());
        assert_eq!(err.exit(), Exit::RateLimit);

        let llama = include_str!("../../tests/fixtures/llama-error-context.json");
        let err = error_from_body(Some(400), llama, None);
        assert_eq!(err.code(), Some("exceed_context_size_error"));
        assert!(err.hint().unwrap().contains("at most 2048 input tokens"));

        let sse = "id:1\nevent:error\n:HTTP_STATUS/400\ndata:{\"code\":\"InvalidParameter\",\"message\":\"<400> InternalError.Algo.InvalidParameter: Range of input length should be [1, 983616]\",\"request_id\":\"bd41\"}\n\n";
        let err = error_from_body(Some(400), sse, None);
        assert_eq!(err.code(), Some("InvalidParameter"));
        assert!(!err.to_string().contains('\n'), "{err}");
        assert!(err.hint().unwrap().contains("983616"));

        let err = error_from_body(Some(502), "<html>bad gateway</html>", None);
        assert_eq!(err.to_string(), "502 <html>bad gateway</html>");
        let err = error_from_body(Some(503), "", None);
        assert_eq!(err.to_string(), "503 Service Unavailable");
    }

    #[test]
    fn retry_classification_follows_the_spec_table() {
        let e = |status: u16, code: &str, msg: &str| {
            error_from_body(
                Some(status),
                &format!(r#"{{"code":"{code}","message":"{msg}"}}"#),
                None,
            )
        };
        assert!(e(429, "insufficient_quota", "You exceeded your current quota").is_retryable());
        assert!(e(429, "Throttling.RateQuota", "rate").is_retryable());
        assert!(
            !e(
                429,
                "Throttling.AllocationQuota",
                "Free allocated quota exceeded."
            )
            .is_retryable()
        );
        assert!(!e(400, "Arrearage", "Access denied").is_retryable());
        assert_eq!(e(400, "Arrearage", "Access denied").exit(), Exit::RateLimit);
        assert!(!e(400, "InvalidParameter", "bad").is_retryable());
        assert!(!e(401, "InvalidApiKey", "bad").is_retryable());
        for s in [408, 500, 502, 503, 504] {
            assert!(e(s, "X", "y").is_retryable(), "{s}");
        }
        assert!(e(404, "ModelNotFound", "gone").is_model_unavailable());
        assert!(e(503, "ModelUnavailable", "later").is_model_unavailable());
        assert!(
            e(
                400,
                "InvalidParameter",
                "Range of input length should be [1, 129024]"
            )
            .hint()
            .unwrap()
            .contains("129024")
        );
    }

    #[test]
    fn retry_after_forms() {
        let mut h = HeaderMap::new();
        h.insert("retry-after", HeaderValue::from_static("2"));
        assert_eq!(retry_after(&h), Some(Duration::from_secs(2)));
        h.insert("retry-after-ms", HeaderValue::from_static("1500"));
        assert_eq!(retry_after(&h), Some(Duration::from_millis(1500)));
        let mut h = HeaderMap::new();
        h.insert(
            "retry-after",
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&h), Some(Duration::ZERO));
        h.insert("retry-after", HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&h), None);
        h.insert("retry-after", HeaderValue::from_static("1e300"));
        assert!(retry_after(&h).unwrap() > Duration::from_secs(3600));
        h.insert("retry-after-ms", HeaderValue::from_static("inf"));
        assert!(retry_after(&h).unwrap() > Duration::from_secs(3600));
    }

    #[test]
    fn the_key_is_added_only_where_the_request_url_may_have_it() {
        let client = |base: &str, allow_insecure_http| {
            Client::new(
                Endpoint {
                    base_url: base.into(),
                    key: Some(Secret::new("sk-unit-test-key")),
                    workspace: None,
                    protocol: Protocol::Compat,
                    allow_insecure_http,
                    max_event_size: sse::DEFAULT_MAX_EVENT_SIZE,
                    routes: None,
                },
                Duration::from_secs(1),
                false,
            )
            .unwrap()
        };
        let authorized = |client: &Client, url: &str| {
            client
                .authorize(client.http.post(url))
                .map(|b| b.build().unwrap())
        };
        // The string-splitting check took this for 127.0.0.1; the request goes to 10.9.9.9.
        let c = client("http://10.9.9.9:18080\\@127.0.0.1/v1", false);
        let err =
            authorized(&c, "http://10.9.9.9:18080\\@127.0.0.1/v1/chat/completions").unwrap_err();
        assert!(
            matches!(&err, ApiError::Insecure { host } if host == "10.9.9.9"),
            "{err}"
        );
        assert_eq!(err.exit(), Exit::Auth);
        let c = client("http://127.1:8080/v1", false);
        let req = authorized(&c, "http://127.1:8080/v1/chat/completions").unwrap();
        assert!(req.headers()["authorization"].is_sensitive());
        assert!(authorized(&c, "https://10.9.9.9/v1").is_ok());
        let c = client("http://10.9.9.9/v1", true);
        assert!(authorized(&c, "http://10.9.9.9/v1/models").is_ok());
    }
}
