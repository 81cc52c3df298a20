//! Base URLs checked as the HTTP client reads them, `~` in paths, and the platform's
//! config and data directories.

use std::path::{Path, PathBuf};

use crate::api::endpoints;
use crate::exit::UsageError;

/// Checks a base URL and returns it as the HTTP client will read it (normalised, so what
/// `--dry-run` and errors show is where requests go), without a trailing slash.
pub(super) fn check_url(url: &str) -> anyhow::Result<String> {
    let Some(parsed) = endpoints::parse_base_url(url) else {
        return Err(UsageError::new(
            format!(
                "invalid base URL `{}`",
                endpoints::shown_url(url.trim().trim_end_matches('/'))
            ),
            Some("give a full URL such as `http://127.0.0.1:8080/v1`".into()),
        )
        .into());
    };
    if let Some(password) = parsed.password() {
        // A password in the URL is a secret like the key: scrub it from anything printed.
        crate::secret::Secret::new(password);
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

pub(super) fn expand_home(path: &Path) -> PathBuf {
    match path.strip_prefix("~") {
        Ok(rest) => etcetera::home_dir().map_or_else(|_| path.to_owned(), |h| h.join(rest)),
        Err(_) => path.to_owned(),
    }
}

/// Returns the XDG config and data directories for `qwen`.
pub(super) fn base_dirs() -> Option<(PathBuf, PathBuf)> {
    use etcetera::BaseStrategy as _;
    let base = etcetera::choose_base_strategy().ok()?;
    Some((base.config_dir().join("qwen"), base.data_dir().join("qwen")))
}
