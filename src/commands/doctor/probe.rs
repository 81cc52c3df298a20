//! The network checks of `qwen doctor`, all aimed at the configured endpoint: DNS for its
//! host, TCP to its port, one unauthenticated `GET …/models` (TLS, latency, the `Date`
//! header), and one 1-token call with the key.

use std::io;
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant, SystemTime};

use super::DoctorArgs;
use super::{Check, Status, check, ms, skip};
use crate::api::endpoints::{self, Region};
use crate::api::retry::RetryPolicy;
use crate::api::turn::{self, AttemptRecord, Observer, TurnError, TurnOptions};
use crate::api::types::{ChatRequest, Event, Message, Params, Role};
use crate::api::{ApiError, Client};
use crate::config::Settings;
use crate::ledger::LazyStore;
use crate::models::{self, Thinking};
use crate::term::printable;

/// Clock skew above this is worth a warning (the `Date` header has one-second resolution).
const MAX_SKEW: Duration = Duration::from_secs(60);

/// Runs the network checks in order; a failure that makes the next ones moot turns them
/// into `skip` lines that say why, so the report always has every check.
pub(super) async fn network_checks(
    settings: &Settings,
    args: &DoctorArgs,
    checks: &mut Vec<Check>,
) {
    let region = settings
        .region
        .map_or("none".to_owned(), |r| r.name().to_owned());
    checks.push(check(
        "endpoint",
        Status::Ok,
        format!(
            "{} ({} API, region {region})",
            endpoints::shown_url(&settings.base_url),
            settings.api.name()
        ),
    ));
    let endpoint = match settings.endpoint() {
        Ok(endpoint) => {
            let detail = match &endpoint.key {
                Some(_) => settings.key_description(),
                None => "none (a loopback or plain-http server may not need one)".to_owned(),
            };
            checks.push(check("key", Status::Ok, detail));
            Some(endpoint)
        }
        Err(err) => {
            let mut c = check("key", Status::Fail, format!("{err:#}"));
            c.hint = err
                .downcast_ref::<crate::exit::AuthError>()
                .and_then(|a| a.hint.clone());
            checks.push(c);
            None
        }
    };
    let http = if settings.base_url.starts_with("https://") {
        "tls"
    } else {
        "http"
    };
    // What is left to report when a check fails before the call can be made.
    let unreachable = |checks: &mut Vec<Check>, after: &str| {
        let names: &[&'static str] = match after {
            "dns" => &["tcp", http, "clock"],
            _ => &[http, "clock"],
        };
        let reason = format!("`{after}` failed");
        skip(checks, names, &reason);
        let call_reason = if args.no_call { "--no-call" } else { &reason };
        skip(checks, &["call"], call_reason);
    };
    let Some((host, port)) = reqwest::Url::parse(&settings.base_url)
        .ok()
        .and_then(|u| Some((u.host_str()?.to_owned(), u.port_or_known_default()?)))
    else {
        checks.push(check("dns", Status::Fail, "the base URL has no host"));
        unreachable(checks, "dns");
        return;
    };
    let Some(addr) = dns_check(&host, port, settings.connect_timeout, checks).await else {
        unreachable(checks, "dns");
        return;
    };
    if !tcp_check(addr, settings.connect_timeout, checks).await {
        unreachable(checks, "tcp");
        return;
    }
    // A client for the probes: the key is not needed to see TLS, latency and the clock.
    let unauthenticated = crate::api::Endpoint {
        base_url: settings.base_url.clone(),
        key: None,
        workspace: None,
        protocol: settings.api,
        allow_insecure_http: false,
        max_event_size: crate::api::sse::DEFAULT_MAX_EVENT_SIZE,
        routes: None,
    };
    let probe = Client::new(unauthenticated, settings.connect_timeout, false);
    let Ok(probe) = probe else {
        checks.push(check(http, Status::Fail, "cannot build an HTTP client"));
        skip(checks, &["clock", "call"], "no HTTP client");
        return;
    };
    http_and_clock_checks(settings, &probe, checks).await;
    match (endpoint, args.no_call) {
        (_, true) => checks.push(check("call", Status::Skip, "--no-call")),
        (None, false) => checks.push(check("call", Status::Skip, "no usable key")),
        (Some(endpoint), false) => match Client::new(endpoint, settings.connect_timeout, false) {
            Ok(client) => checks.push(call_check(settings, &client).await),
            Err(err) => checks.push(check("call", Status::Fail, format!("{err:#}"))),
        },
    }
}

async fn dns_check(
    host: &str,
    port: u16,
    timeout: Duration,
    checks: &mut Vec<Check>,
) -> Option<std::net::SocketAddr> {
    let start = Instant::now();
    let target = (host.trim_matches(['[', ']']).to_owned(), port);
    let lookup = tokio::task::spawn_blocking(move || target.to_socket_addrs().map(Vec::from_iter));
    let result = tokio::time::timeout(timeout, lookup).await;
    let elapsed = start.elapsed();
    match result {
        Ok(Ok(Ok(addrs))) if !addrs.is_empty() => {
            let shown: Vec<String> = addrs.iter().map(|a| a.ip().to_string()).collect();
            checks.push(
                check("dns", Status::Ok, format!("{host} → {}", shown.join(", "))).took(elapsed),
            );
            Some(addrs[0])
        }
        Ok(Ok(Ok(_))) => {
            checks.push(check("dns", Status::Fail, format!("{host} has no address")));
            None
        }
        Ok(Ok(Err(err))) => {
            checks.push(
                check("dns", Status::Fail, format!("cannot resolve {host}: {err}"))
                    .hint("check the network, `--region` or `--base-url`"),
            );
            None
        }
        Ok(Err(err)) => {
            checks.push(check("dns", Status::Fail, format!("lookup failed: {err}")));
            None
        }
        Err(_) => {
            checks.push(check(
                "dns",
                Status::Fail,
                format!("no answer for {host} in {}", ms(timeout)),
            ));
            None
        }
    }
}

async fn tcp_check(addr: std::net::SocketAddr, timeout: Duration, checks: &mut Vec<Check>) -> bool {
    let start = Instant::now();
    let connect = tokio::task::spawn_blocking(move || TcpStream::connect_timeout(&addr, timeout));
    let elapsed = |start: Instant| start.elapsed();
    match connect.await {
        Ok(Ok(_)) => {
            checks.push(
                check("tcp", Status::Ok, format!("connected to {addr}")).took(elapsed(start)),
            );
            true
        }
        Ok(Err(err)) => {
            checks.push(
                check(
                    "tcp",
                    Status::Fail,
                    format!("cannot connect to {addr}: {err}"),
                )
                .hint("is the server running, and is a firewall or proxy in the way?"),
            );
            false
        }
        Err(err) => {
            checks.push(check("tcp", Status::Fail, format!("connect failed: {err}")));
            false
        }
    }
}

/// One unauthenticated `GET …/models`: TLS, time to a response, and the server's clock.
async fn http_and_clock_checks(settings: &Settings, probe: &Client, checks: &mut Vec<Check>) {
    let https = settings.base_url.starts_with("https://");
    let name = if https { "tls" } else { "http" };
    let url = format!("{}/models", settings.base_url);
    let start = Instant::now();
    let sent =
        tokio::time::timeout(settings.first_token_timeout, probe.http().get(&url).send()).await;
    let elapsed = start.elapsed();
    let response = match sent {
        Ok(Ok(response)) => response,
        Ok(Err(err)) => {
            let err = ApiError::Connect { url, cause: err };
            checks.push(check(name, Status::Fail, err.to_string()));
            checks.push(check(
                "clock",
                Status::Skip,
                format!("`{name}` failed: no response"),
            ));
            return;
        }
        Err(_) => {
            checks.push(check(
                name,
                Status::Fail,
                format!("no response in {}", ms(settings.first_token_timeout)),
            ));
            checks.push(check(
                "clock",
                Status::Skip,
                format!("`{name}` failed: no response"),
            ));
            return;
        }
    };
    let what = if https {
        "TLS handshake and first response"
    } else {
        "first response"
    };
    checks.push(
        check(
            name,
            Status::Ok,
            format!(
                "{what} (HTTP {}) in {}",
                response.status().as_u16(),
                ms(elapsed)
            ),
        )
        .took(elapsed),
    );
    let date = response
        .headers()
        .get(reqwest::header::DATE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok());
    checks.push(match date {
        None => check("clock", Status::Skip, "the server sent no `Date` header"),
        Some(server) => clock_check(server, SystemTime::now()),
    });
}

fn clock_check(server: SystemTime, local: SystemTime) -> Check {
    let (skew, ahead) = match local.duration_since(server) {
        Ok(d) => (d, true),
        Err(e) => (e.duration(), false),
    };
    let secs = skew.as_secs();
    let side = if ahead { "ahead of" } else { "behind" };
    if skew <= MAX_SKEW {
        check(
            "clock",
            Status::Ok,
            format!("within {}s of the server's", secs.max(1)),
        )
    } else {
        check(
            "clock",
            Status::Warn,
            format!("{secs}s {side} the server's clock"),
        )
        .hint("sync the system clock (NTP): TLS certificates and ledger times depend on it")
    }
}

/// Collects the attempt record of the test call; its events go nowhere.
struct Quiet(Vec<AttemptRecord>);

impl Observer for Quiet {
    fn on_event(&mut self, _: &Event) -> io::Result<()> {
        Ok(())
    }
    fn delivers_live(&self) -> bool {
        false
    }
    fn on_attempt(&mut self, record: &AttemptRecord) {
        self.0.push(record.clone());
    }
}

/// A streamed 1-token call with the key: proves the key, the region and the model.
async fn call_check(settings: &Settings, client: &Client) -> Check {
    let thinking = models::lookup(&settings.model).map(|m| m.thinking);
    let request = ChatRequest {
        model: settings.model.clone(),
        messages: vec![Message::new(Role::User, "Reply with OK.")],
        params: Params {
            max_tokens: Some(1),
            // Reasoning is not capped by max_tokens; turn it off where it can be.
            enable_thinking: matches!(thinking, Some(Thinking::HybridOn | Thinking::HybridOff))
                .then_some(false),
            ..Params::default()
        },
        tools: Vec::new(),
        stream: true,
        prompt: None,
    };
    let opts = TurnOptions {
        retry: RetryPolicy {
            retries: 0,
            ..settings.retry
        },
        first_token_timeout: settings.turn_first_token_timeout(),
        idle_timeout: settings.idle_timeout,
        fallback_models: Vec::new(),
    };
    let mut observer = Quiet(Vec::new());
    let result = turn::run(client, &request, &opts, &mut observer).await;
    LazyStore::new(settings, None).record("doctor", &observer.0);
    let model = &settings.model;
    match result {
        Ok(turn) => {
            let id = turn
                .completion
                .request_id
                .as_ref()
                .map(|id| format!(", request id {}", printable(id)))
                .unwrap_or_default();
            // Name the model that answered: an alias or a local server may differ.
            let served = crate::output::answered_by(&turn);
            let asked = if served == model.as_str() {
                String::new()
            } else {
                format!(" (asked for `{}`)", printable(model))
            };
            let served = printable(served);
            check(
                "call",
                Status::Ok,
                format!("`{served}`{asked} answered in {}{id}", ms(turn.latency)),
            )
            .took(turn.latency)
        }
        Err(TurnError::Output(err)) => check("call", Status::Fail, err.to_string()),
        Err(TurnError::Api(err)) => {
            let status = if err.status() == Some(429) && !err.is_billing() {
                Status::Warn
            } else {
                Status::Fail
            };
            let mut c = check("call", status, err.to_string());
            c.hint = match err.status() {
                Some(401) => Some(region_hint(settings)),
                _ => err.hint(),
            };
            c
        }
    }
}

/// A 401 usually means a key from another region (keys are per region, §1.1).
fn region_hint(settings: &Settings) -> String {
    match settings.region {
        Some(region) => {
            let others: Vec<&str> = Region::ALL.iter().filter(|r| **r != region).map(|r| r.name()).collect();
            format!(
                "the key was refused by the `{}` endpoint; DashScope keys are issued per region, so a key \
                 from another region gets 401: try `--region {}`, or check `DASHSCOPE_API_KEY`",
                region.name(),
                others.join("`, `--region ")
            )
        }
        None if endpoints::is_loopback(&settings.base_url) => {
            "the local server refused the key; check how it was started (e.g. llama-server --api-key)".into()
        }
        None => "the server refused the key; check `DASHSCOPE_API_KEY` and `--base-url`".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_skew_thresholds() {
        let now = SystemTime::now();
        assert_eq!(
            clock_check(now, now + Duration::from_secs(5)).status,
            Status::Ok
        );
        let c = clock_check(now, now + Duration::from_secs(300));
        assert_eq!(c.status, Status::Warn);
        assert!(c.detail.contains("300s ahead of"), "{}", c.detail);
        let c = clock_check(now + Duration::from_secs(120), now);
        assert!(c.detail.contains("behind"), "{}", c.detail);
    }
}
