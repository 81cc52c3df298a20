//! [`ApiError`]: every failure of a request in one type, whichever body shape the server
//! used; what is retryable, billing, a wrong model; the exit status and the hint for each.

use std::time::Duration;

mod body;

pub use body::{
    ERROR_BODY_LIMIT, error_from_body, error_in_body, read_error_body, read_whole, read_whole_as,
};
pub(super) use body::{request_id_header, retry_after, with_request_id};

use super::endpoints;
use crate::exit::Exit;

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

impl From<reqwest::Error> for ApiError {
    fn from(err: reqwest::Error) -> Self {
        ApiError::Body(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
