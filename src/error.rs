//! The one place where an error becomes text on stderr and an exit status.
//!
//! Commands return `anyhow::Error`s with context; [`report`] prints the chain on one line,
//! adds a `hint:` where one helps, and picks the exit status from the typed error inside.

use std::io::{self, Write};

use crate::api::ApiError;
use crate::exit::{
    AuthError, BudgetExceeded, ConfigError, Exit, Interrupted, InvalidOutput, MaxStepsReached,
    RequestFailed, UsageError,
};
use crate::term::printable;

/// Prints `err` to stderr and picks the exit status for it.
pub fn report(err: &anyhow::Error) -> Exit {
    // `qwen chat … | head -1` closes our stdout early. That is success, not an error: this
    // matches Unix convention (ripgrep does the same), and Rust ignores SIGPIPE so we get an
    // I/O error here instead of being killed by the signal.
    if is_broken_pipe(err) {
        return Exit::Success;
    }
    let (exit, hint) = classify(err);
    let mut stderr = io::stderr().lock();
    let line = one_line(err);
    // One line each, whatever a server put in its message.
    let line = printable(&crate::secret::redact(&line)).into_owned();
    let _ = writeln!(stderr, "qwen: error: {line}");
    if let Some(hint) = hint {
        let hint = printable(&crate::secret::redact(&hint)).into_owned();
        let _ = writeln!(stderr, "\nhint: {hint}");
    }
    exit
}

/// Returns true when the error chain holds a closed-pipe write error.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        let kind = match cause.downcast_ref::<io::Error>() {
            Some(io) => Some(io.kind()),
            // serde_json's writers wrap the I/O error in their own type.
            None => cause
                .downcast_ref::<serde_json::Error>()
                .and_then(serde_json::Error::io_error_kind),
        };
        kind == Some(io::ErrorKind::BrokenPipe)
    })
}

/// Joins the chain like `{:#}`, but without repeating a cause already in its parent's text.
fn one_line(err: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

fn classify(err: &anyhow::Error) -> (Exit, Option<String>) {
    // A context is not one of the chain's causes; anyhow finds it by type.
    let better_hint = err
        .downcast_ref::<RequestFailed>()
        .and_then(|failed| failed.hint.clone());
    for cause in err.chain() {
        if let Some(api) = cause.downcast_ref::<ApiError>() {
            return (api.exit(), better_hint.clone().or_else(|| api.hint()));
        }
        if cause.downcast_ref::<Interrupted>().is_some() {
            return (Exit::Interrupted, None);
        }
        if let Some(usage) = cause.downcast_ref::<UsageError>() {
            return (Exit::Usage, usage.hint.clone());
        }
        if let Some(auth) = cause.downcast_ref::<AuthError>() {
            return (Exit::Auth, auth.hint.clone());
        }
        if cause.downcast_ref::<InvalidOutput>().is_some() {
            return (Exit::InvalidOutput, None);
        }
        if cause.downcast_ref::<BudgetExceeded>().is_some() {
            return (Exit::Budget, None);
        }
        if cause.downcast_ref::<MaxStepsReached>().is_some() {
            return (
                Exit::MaxSteps,
                Some(
                    "raise `--max-steps`, or ask for an answer that needs fewer tool calls".into(),
                ),
            );
        }
        if cause.downcast_ref::<ConfigError>().is_some() {
            return (Exit::Usage, None);
        }
    }
    (Exit::Failure, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_pipe_is_success_anywhere_in_the_chain() {
        let err = anyhow::Error::new(io::Error::from(io::ErrorKind::BrokenPipe))
            .context("failed to write reply");
        assert!(is_broken_pipe(&err));
        assert_eq!(report(&err), Exit::Success);
        let json = serde_json::Error::io(io::Error::from(io::ErrorKind::BrokenPipe));
        assert!(is_broken_pipe(&anyhow::Error::new(json)));
    }

    #[test]
    fn a_request_failed_context_replaces_the_hint_but_not_the_exit() {
        let api = ApiError::Timeout {
            what: "reply",
            after: std::time::Duration::from_secs(1),
        };
        let err = anyhow::Error::new(api).context(RequestFailed {
            message: "request to `m` failed".into(),
            hint: Some("check `MY_KEY`".into()),
        });
        assert_eq!(
            classify(&err),
            (Exit::Failure, Some("check `MY_KEY`".into()))
        );
        assert!(one_line(&err).starts_with("request to `m` failed: "));
        let err = anyhow::Error::new(Interrupted("stopped".into()));
        assert_eq!(classify(&err).0, Exit::Interrupted);
    }

    #[test]
    fn one_line_drops_repeated_causes() {
        let err = anyhow::anyhow!("inner").context("outer: inner");
        assert_eq!(one_line(&err), "outer: inner");
        let err = anyhow::anyhow!("inner").context("outer");
        assert_eq!(one_line(&err), "outer: inner");
    }
}
