//! The exit-code table and the typed errors that choose a code.
//!
//! The ground floor: any layer may return these. Which code an arbitrary error chain gets,
//! and the line and hint printed for it, is decided once at the top (`error.rs`).

use std::process::ExitCode;

/// Process exit status; the README's "Exit status" table mirrors this enum.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Everything succeeded (a closed stdout pipe counts as success).
    Success = 0,
    /// A request or an I/O operation failed.
    Failure = 1,
    /// The command line, the config file or the input is invalid.
    Usage = 2,
    /// A batch finished, but at least one item failed.
    Partial = 3,
    /// The API key is missing, invalid or not allowed for the model or region.
    Auth = 4,
    /// Throttled (429) after every retry, or the account is out of quota or credit.
    RateLimit = 5,
    /// The reply is not valid JSON or does not match `--schema`.
    InvalidOutput = 6,
    /// `qwen usage --budget`: the estimated spend in the window exceeds the budget.
    Budget = 7,
    /// `qwen tools run`: the model still asked for tools after `--max-steps` steps.
    MaxSteps = 8,
    /// Interrupted by Ctrl-C.
    Interrupted = 130,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit as u8)
    }
}

/// An error that the user caused and can fix: bad flags, config or input (exit 2).
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct UsageError {
    /// What is wrong, in one line.
    pub message: String,
    /// How to fix it, if there is something to say.
    pub hint: Option<String>,
}

impl UsageError {
    /// Builds a usage error with an optional hint.
    pub fn new(message: impl Into<String>, hint: Option<String>) -> Self {
        Self {
            message: message.into(),
            hint,
        }
    }
}

/// The reply does not satisfy `--json` or `--schema` (exit 6).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InvalidOutput(pub String);

/// `qwen usage --budget`: the spend in the window is over the budget (exit 7).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BudgetExceeded(pub String);

/// `qwen tools run` stopped at `--max-steps` with the model still calling tools (exit 8).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct MaxStepsReached(pub String);

/// A missing or unusable API key (exit 4).
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct AuthError {
    /// What is wrong, in one line.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

/// Ctrl-C stopped something `qwen` was waiting for (exit 130).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Interrupted(pub String);

/// The context of a failed request, from a command that knows more than the API error
/// does (where the key came from, the models it might have meant): its hint, when it has
/// one, replaces the API error's own. The exit status is still the API error's.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct RequestFailed {
    /// What failed, e.g. "request to `qwen-plus` failed".
    pub message: String,
    /// A better hint than the API error's, if there is one.
    pub hint: Option<String>,
}

/// The config file is unreadable or invalid (exit 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);
