//! Where requests go and with which key: the endpoint of the settings, the key resolved only
//! when a request is about to be sent (never for `--dry-run`), and the hints that name where
//! the key came from.

use std::sync::Arc;

use super::{KeySource, Settings, key};
use crate::api::Endpoint;
use crate::api::endpoints;
use crate::exit::AuthError;
use crate::secret::Secret;
use crate::store::NativeRoutes;
use crate::term::note;

impl Settings {
    /// Returns a description of the key source that never shows the key.
    pub fn key_description(&self) -> String {
        match &self.key_source {
            KeySource::Env(name, _) => format!("from `{name}`"),
            KeySource::Command(argv) => format!("from `api_key_command` ({})", argv[0]),
            KeySource::File(path) => format!("from file `{}`", path.display()),
            KeySource::Missing => "none".into(),
        }
    }

    /// Returns true when some key source is configured (without resolving it).
    pub fn has_key(&self) -> bool {
        self.key_source != KeySource::Missing
    }

    /// Resolves the key and checks that it may be sent to the base URL.
    pub fn endpoint(&self) -> anyhow::Result<Endpoint> {
        let key = self.resolve_key()?;
        // Decided on the URL as the HTTP client parses it (`\` is `/` there, `127.1` is
        // loopback, `HTTP://` is http), never on the text; the client checks again on the
        // URL of every request before it adds the key.
        let url = endpoints::parse_base_url(&self.base_url);
        let loopback = url.as_ref().is_some_and(endpoints::is_loopback_url);
        let plain_http = url.as_ref().is_none_or(|u| u.scheme() == "http");
        match &key {
            // A local server may need no key, but a source the user configured that gives
            // none is a mistake to point out, not a silent unauthenticated request.
            None if (loopback || plain_http) && self.api_key_env.is_some() && !self.quiet => {
                note(
                    "warning",
                    &format!(
                        "no API key: `{}` (named by `api_key_env`) is not set; sending the request without one",
                        self.key_var
                    ),
                );
            }
            None if !loopback && !plain_http => {
                return Err(AuthError {
                    message: format!(
                        "no API key: set `{}` or `api_key_file` / `api_key_command` in `{}`",
                        self.key_var,
                        self.config_dir.join("config.toml").display()
                    ),
                    hint: Some("create a key in the Model Studio console for your region".into()),
                }
                .into());
            }
            Some(_) if plain_http && !loopback && !self.allow_insecure_http => {
                return Err(AuthError {
                    message: format!(
                        "refusing to send the API key over plain http to `{}`",
                        url.as_ref().and_then(reqwest::Url::host_str).unwrap_or("?")
                    ),
                    hint: Some(
                        "use https, or opt in with `--allow-insecure-http` (or `allow_insecure_http = true`)"
                            .into(),
                    ),
                }
                .into());
            }
            _ => {}
        }
        Ok(Endpoint {
            key,
            ..self.endpoint_without_key()
        })
    }

    /// Returns the endpoint without its key, which is not resolved (`--dry-run` shows a
    /// request without running an `api_key_command`); [`Settings::endpoint`] adds it.
    pub fn endpoint_without_key(&self) -> Endpoint {
        Endpoint {
            base_url: self.base_url.clone(),
            key: None,
            workspace: self.workspace.clone(),
            protocol: self.api,
            allow_insecure_http: self.allow_insecure_http,
            max_event_size: self.max_event_size,
            routes: Some(Arc::new(NativeRoutes(self.data_dir.clone()))),
        }
    }

    fn resolve_key(&self) -> anyhow::Result<Option<Secret>> {
        let key = match &self.key_source {
            KeySource::Env(_, key) => key.clone(),
            KeySource::Missing => return Ok(None),
            KeySource::File(path) => key::from_file(path)?,
            KeySource::Command(argv) => key::from_command(argv, self.key_command_timeout)?,
        };
        if key.expose().is_empty() {
            anyhow::bail!(AuthError {
                message: format!("the API key {} is empty", self.key_description()),
                hint: None,
            });
        }
        Ok(Some(key))
    }

    /// Returns the hint for a rejected key (401): the region, and where the key came from,
    /// so the user checks the source actually in use.
    pub fn auth_hint(&self) -> String {
        let source = match &self.key_source {
            KeySource::Env(name, _) if self.api_key_env.is_some() => {
                format!("the key in `{name}` (named by `api_key_env`)")
            }
            KeySource::Env(name, _) => format!("the key in `{name}`"),
            KeySource::Command(argv) => {
                format!("the key printed by `api_key_command` (`{}`)", argv[0])
            }
            KeySource::File(path) => format!("the key in `{}`", path.display()),
            KeySource::Missing => {
                return match &self.api_key_env {
                    Some(_) => format!(
                        "no API key was sent: `{}` (named by `api_key_env`) is not set",
                        self.key_var
                    ),
                    None => format!(
                        "no API key was sent: set `{}`, or `api_key_file` / `api_key_command` in config.toml",
                        self.key_var
                    ),
                };
            }
        };
        format!(
            "DashScope keys are issued per region: a key from another region gets 401. \
             Check `--region` (cn, intl, us, hk) and {source}"
        )
    }
}
