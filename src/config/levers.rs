//! The settings of DashScope's levers beyond chat (#15): where native-only requests go
//! (`native_base_url`) and the rerank limits.

use std::path::Path;

use super::{ProfileConfig, Settings, check_url};
use crate::api::endpoints::native_root_of;
use crate::api::{Endpoint, Protocol};
use crate::exit::{ConfigError, UsageError};

/// `native_base_url` and the rerank limits, as config.toml gives them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Levers {
    /// The native root for requests only the native protocol serves, when it is not the
    /// compat base URL's own (`…/compatible-mode/v1` ↔ `…/api/v1` on the same host).
    pub native_base_url: Option<String>,
    /// Documents per rerank request at most.
    pub rerank_max_documents: Option<usize>,
    /// Tokens per rerank request at most.
    pub rerank_max_request_tokens: Option<u64>,
}

impl Levers {
    pub(super) fn resolve(merged: &ProfileConfig, path: &Path) -> anyhow::Result<Self> {
        let native_base_url = match &merged.native_base_url {
            Some(url) => Some(check_url(url).map_err(|_| {
                ConfigError(format!(
                    "invalid `native_base_url` in `{}`: give a URL such as `https://HOST/api/v1`",
                    path.display()
                ))
            })?),
            None => None,
        };
        let positive = |name: &str, n: Option<u64>| match n {
            Some(0) => Err(ConfigError(format!(
                "invalid `{name} = 0` in `{}`: give a positive number",
                path.display()
            ))),
            _ => Ok(()),
        };
        positive(
            "rerank_max_documents",
            merged.rerank_max_documents.map(|n| n as u64),
        )?;
        positive(
            "rerank_max_request_tokens",
            merged.rerank_max_request_tokens,
        )?;
        Ok(Self {
            native_base_url,
            rerank_max_documents: merged.rerank_max_documents,
            rerank_max_request_tokens: merged.rerank_max_request_tokens,
        })
    }
}

impl Settings {
    /// Returns the native root of this endpoint: the base URL with `--api native`, else
    /// `native_base_url`, else the one derived from a DashScope compat base URL.
    pub fn native_root(&self) -> Option<String> {
        if self.api == Protocol::Native {
            return Some(self.base_url.clone());
        }
        self.levers
            .native_base_url
            .clone()
            .or_else(|| native_root_of(&self.base_url))
    }

    /// Returns the endpoint for a request only the native protocol serves (`what` names
    /// it for the error): the key and workspace of [`Settings::endpoint`], the native root.
    pub fn native_endpoint(&self, what: &str) -> anyhow::Result<Endpoint> {
        let root = self
            .native_root()
            .ok_or_else(|| self.no_native_root(what))?;
        Ok(Endpoint {
            base_url: root,
            protocol: Protocol::Native,
            ..self.endpoint()?
        })
    }

    /// [`Settings::native_endpoint`] without resolving the key (`--dry-run`).
    pub fn native_endpoint_without_key(&self, what: &str) -> anyhow::Result<Endpoint> {
        let root = self
            .native_root()
            .ok_or_else(|| self.no_native_root(what))?;
        Ok(Endpoint {
            base_url: root,
            protocol: Protocol::Native,
            ..self.endpoint_without_key()
        })
    }

    fn no_native_root(&self, what: &str) -> anyhow::Error {
        UsageError::new(
            format!(
                "{what} needs DashScope's native protocol, and no native root is known for `{}`",
                crate::api::endpoints::shown_url(&self.base_url)
            ),
            Some(
                "set `native_base_url = \"https://HOST/api/v1\"` in config.toml, or use a base URL ending in `/compatible-mode/v1`"
                    .into(),
            ),
        )
        .into()
    }
}
