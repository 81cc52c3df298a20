//! The one HTTP client of the process: requests prepared for an endpoint, the key added
//! only where the request's own URL may receive it, non-2xx answers turned into
//! [`ApiError`]s, and the native generation path each model answers on.

use std::time::Duration;

use reqwest::header::HeaderValue;
use serde_json::Value;

use super::error::{request_id_header, retry_after, with_request_id};
use super::types::ChatRequest;
use super::{
    ApiError, Endpoint, Protocol, Reply, compat, endpoints, error_from_body, media, native,
};

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
    /// The JSON body; local files stand in it as markers (see [`media`]).
    pub body: Value,
    /// The local files the body's markers stand for, sent as data URLs.
    pub payloads: Vec<std::sync::Arc<media::Payload>>,
}

impl Prepared {
    /// The body as `--dry-run` and `-v` show it: pretty or compact, each local file as
    /// `<image/png 48,213 bytes, inline>`, never its base64.
    pub fn shown_body(&self, pretty: bool) -> String {
        let json = if pretty {
            serde_json::to_string_pretty(&self.body)
        } else {
            serde_json::to_string(&self.body)
        }
        .expect("a JSON value always serializes");
        media::shown(&json, &self.payloads)
    }
}

/// The one HTTP client of the process; clones share its connection pool.
#[derive(Debug, Clone)]
pub struct Client {
    pub(super) http: reqwest::Client,
    pub(super) endpoint: Endpoint,
    pub(super) verbose: bool,
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

    /// Returns a client for another root of the same service (`protocol` spoken there),
    /// with the same key and the same connection pool.
    pub fn rebased(&self, base_url: String, protocol: Protocol) -> Self {
        let mut endpoint = self.endpoint.clone();
        endpoint.base_url = base_url;
        endpoint.protocol = protocol;
        Self {
            http: self.http.clone(),
            endpoint,
            verbose: self.verbose,
            routes: std::sync::Arc::default(),
        }
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
            // Media always goes to the multimodal path (§11.2), whatever the model's name.
            Protocol::Native if req.has_media() => native::MULTIMODAL_GENERATION_PATH,
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
        if prepared.payloads.is_empty() {
            let body = serde_json::to_vec(&prepared.body).expect("a JSON value always serializes");
            if self.verbose {
                self.dump_request(prepared, body.len() as u64);
            }
            builder = builder.body(body);
        } else {
            // Local files are encoded into the body as it is sent, never held as base64.
            let json =
                serde_json::to_string(&prepared.body).expect("a JSON value always serializes");
            let len = media::body_len(&json, &prepared.payloads);
            if self.verbose {
                self.dump_request(prepared, len);
            }
            builder = builder
                .header(reqwest::header::CONTENT_LENGTH, len)
                .body(media::body_stream(json, prepared.payloads.clone()));
        }
        let response = builder.send().await.map_err(|cause| ApiError::Connect {
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
        let body = super::error::read_error_body(response).await;
        let mut err = with_request_id(
            error_from_body(Some(status.as_u16()), &body, wait),
            header_id.as_deref(),
        );
        if let ApiError::Status { base_url, .. } = &mut err {
            *base_url = Some(self.endpoint.base_url.clone());
        }
        Err(err)
    }

    fn dump_request(&self, prepared: &Prepared, len: u64) {
        let mut text = format!("> POST {}", endpoints::shown_url(&prepared.url));
        for (name, value) in Self::shown_headers(prepared, self.endpoint.key.is_some()) {
            text.push_str(&format!("\n> {name}: {value}"));
        }
        text.push_str(&format!("\n> ({len} bytes) {}", prepared.shown_body(false)));
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
        Protocol::Native if req.has_media() => native::MULTIMODAL_GENERATION_PATH,
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
    if req.uses_oss() {
        // `oss://` URLs of the temporary storage resolve only with this header (§11.3).
        headers.push((
            "X-DashScope-OssResourceResolve".to_owned(),
            "enable".to_owned(),
        ));
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
        payloads: req.payloads(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::sse;
    use crate::exit::Exit;
    use crate::secret::Secret;

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
