//! Where requests go: an [`Endpoint`] (base URL, key, protocol, workspace), DashScope
//! regions and their documented hosts, and the loopback test for key safety.
//!
//! Hosts come from dashscope-protocol.md §1.1 (the shared gateway hosts, which work with a
//! plain API key). Region ids are accepted in both our short form and DashScope's own.

use std::fmt;
use std::net::IpAddr;

use super::native;
use crate::secret::Secret;

/// A DashScope deployment region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    /// China (Beijing), `cn-beijing`.
    Cn,
    /// International (Singapore), `ap-southeast-1`.
    Intl,
    /// United States (Virginia), `us-east-1`.
    Us,
    /// China (Hong Kong), `cn-hongkong`.
    Hk,
}

/// The region used when nothing else is configured.
pub const DEFAULT_REGION: Region = Region::Intl;

impl Region {
    /// Every region, for messages that list them.
    pub const ALL: [Region; 4] = [Region::Cn, Region::Intl, Region::Us, Region::Hk];

    /// Parses `cn`/`intl`/`us`/`hk` or DashScope's ids (`cn-beijing`, `ap-southeast-1`, …).
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name.trim().to_ascii_lowercase().as_str() {
            "cn" | "cn-beijing" | "beijing" | "china" => Region::Cn,
            "intl" | "ap-southeast-1" | "singapore" | "international" => Region::Intl,
            "us" | "us-east-1" | "virginia" => Region::Us,
            "hk" | "cn-hongkong" | "hongkong" | "hong-kong" => Region::Hk,
            _ => return None,
        })
    }

    /// Returns our short name.
    pub fn name(self) -> &'static str {
        match self {
            Region::Cn => "cn",
            Region::Intl => "intl",
            Region::Us => "us",
            Region::Hk => "hk",
        }
    }

    /// Returns the region's API host.
    pub fn host(self) -> &'static str {
        match self {
            Region::Cn => "dashscope.aliyuncs.com",
            Region::Intl => "dashscope-intl.aliyuncs.com",
            Region::Us => "dashscope-us.aliyuncs.com",
            Region::Hk => "cn-hongkong.dashscope.aliyuncs.com",
        }
    }

    /// Returns the OpenAI-compatible base URL.
    pub fn compat_base(self) -> String {
        format!("https://{}/compatible-mode/v1", self.host())
    }

    /// Returns the native API root (§1.1); service paths such as
    /// `/services/aigc/text-generation/generation` are appended to it.
    pub fn native_base(self) -> String {
        format!("https://{}/api/v1", self.host())
    }
}

/// Returns the host part of an http(s) URL, without brackets or port.
///
/// For display and the ledger only, on base URLs that [`parse_base_url`] has normalised:
/// security decisions use the parsed URL itself ([`is_loopback_url`]).
pub fn host_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if let Some(v6) = authority.strip_prefix('[') {
        return v6.split_once(']').map(|(h, _)| h);
    }
    Some(authority.split(':').next().unwrap_or(authority))
}

/// Parses a base URL exactly as the HTTP client will (the WHATWG URL standard, through the
/// same `url` crate reqwest uses): `\` counts as `/`, `127.1` is `127.0.0.1`, IDN and
/// percent-encoded hosts are decoded, the scheme is case-insensitive. Only `http` and
/// `https` URLs with a host are accepted.
pub fn parse_base_url(url: &str) -> Option<reqwest::Url> {
    let parsed = reqwest::Url::parse(url.trim()).ok()?;
    let web = matches!(parsed.scheme(), "http" | "https");
    (web && parsed.host_str().is_some_and(|h| !h.is_empty())).then_some(parsed)
}

/// Returns true when `url`'s host is this machine, decided on the parsed URL that requests
/// are sent to: an address in 127.0.0.0/8, `::1` (or `::ffff:127.x.y.z`), or the name
/// `localhost`, which the client pins to 127.0.0.1 and ::1 rather than asking the resolver
/// (RFC 6761 §6.3), so the check and the connection cannot disagree. `0.0.0.0`, `::` and
/// other names (`localhost.`, `127.0.0.1.nip.io`) are not loopback.
pub fn is_loopback_url(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    if host == LOCALHOST {
        return true;
    }
    // The parser has already turned every IPv4 spelling (`127.1`, `0x7f.1`, `2130706433`)
    // into dotted decimal and put IPv6 in brackets, so a plain parse is exact here.
    match host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
    {
        Ok(IpAddr::V4(ip)) => ip.is_loopback(),
        Ok(IpAddr::V6(ip)) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        Err(_) => false,
    }
}

/// The one host name treated as loopback; the HTTP client resolves it to loopback itself.
pub const LOCALHOST: &str = "localhost";

/// Returns true when `url` points at this machine (see [`is_loopback_url`]).
pub fn is_loopback(url: &str) -> bool {
    parse_base_url(url).is_some_and(|u| is_loopback_url(&u))
}

/// Returns `url` with the password of its userinfo (`http://user:pw@host`) replaced by
/// `<redacted>`, for printing (`--dry-run`, `-v`, connection errors).
pub fn shown_url(url: &str) -> std::borrow::Cow<'_, str> {
    match reqwest::Url::parse(url) {
        Ok(parsed) if parsed.password().is_some() => {
            // In the serialised form the password is percent-encoded and sits between the
            // first `:` after the user name and the `@`, so this replaces exactly it.
            let password = parsed.password().unwrap_or_default();
            parsed
                .as_str()
                .replacen(&format!(":{password}@"), ":<redacted>@", 1)
                .into()
        }
        _ => url.into(),
    }
}

/// Returns `url` without its userinfo (`http://user:pw@host` → `http://host`): what a
/// remembered native route is kept under, so that no URL password lands in the store.
fn route_key(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) if !parsed.username().is_empty() || parsed.password().is_some() => {
            let _ = parsed.set_username("");
            let _ = parsed.set_password(None);
            parsed.into()
        }
        _ => url.to_owned(),
    }
}

/// Returns the region whose host `url` uses, if any.
pub fn region_of(url: &str) -> Option<Region> {
    let host = host_of(url)?;
    Region::ALL.into_iter().find(|r| r.host() == host)
}

/// The path under which DashScope serves the OpenAI-compatible API (§1.1).
pub const COMPAT_SUFFIX: &str = "/compatible-mode/v1";

/// The path of DashScope's native root (§1.1).
pub const NATIVE_SUFFIX: &str = "/api/v1";

/// Returns the native root on the same host as a DashScope compat base URL
/// (`…/compatible-mode/v1` → `…/api/v1`), or `None` for a base URL of another shape.
pub fn native_root_of(compat_base: &str) -> Option<String> {
    let root = compat_base
        .trim_end_matches('/')
        .strip_suffix(COMPAT_SUFFIX)?;
    Some(format!("{root}{NATIVE_SUFFIX}"))
}

/// Returns the compat base URL on the same host as a DashScope native root
/// (`…/api/v1` → `…/compatible-mode/v1`), or `None` for a root of another shape.
pub fn compat_base_of(native_root: &str) -> Option<String> {
    let root = native_root
        .trim_end_matches('/')
        .strip_suffix(NATIVE_SUFFIX)?;
    Some(format!("{root}{COMPAT_SUFFIX}"))
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
    pub(super) fn remembered_path(&self, model: &str) -> Option<&'static str> {
        let path = self
            .routes
            .as_ref()?
            .recall(&route_key(&self.base_url), model)?;
        native::known_path(&path)
    }

    /// Remembers that `path` serves `model`; a store that cannot be written only costs the
    /// next run one `url error`.
    pub(super) fn remember_path(&self, model: &str, path: &str) {
        if let Some(routes) = &self.routes {
            routes.remember(&route_key(&self.base_url), model, path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_map_to_documented_hosts() {
        assert_eq!(
            Region::parse("cn").unwrap().compat_base(),
            "https://dashscope.aliyuncs.com/compatible-mode/v1"
        );
        assert_eq!(
            Region::parse("ap-southeast-1").unwrap().compat_base(),
            "https://dashscope-intl.aliyuncs.com/compatible-mode/v1"
        );
        assert_eq!(
            Region::parse("US").unwrap().host(),
            "dashscope-us.aliyuncs.com"
        );
        assert_eq!(
            Region::parse("cn-hongkong").unwrap().host(),
            "cn-hongkong.dashscope.aliyuncs.com"
        );
        assert_eq!(Region::parse("mars"), None);
        assert_eq!(
            Region::parse("intl").unwrap().native_base(),
            "https://dashscope-intl.aliyuncs.com/api/v1"
        );
    }

    #[test]
    fn compat_and_native_roots_map_on_the_same_host() {
        let compat = Region::Hk.compat_base();
        assert_eq!(native_root_of(&compat), Some(Region::Hk.native_base()));
        assert_eq!(compat_base_of(&Region::Hk.native_base()), Some(compat));
        assert_eq!(
            native_root_of("http://127.0.0.1:9/compatible-mode/v1/"),
            Some("http://127.0.0.1:9/api/v1".into())
        );
        assert_eq!(native_root_of("http://127.0.0.1:9/v1"), None);
        assert_eq!(compat_base_of("http://127.0.0.1:9/v1"), None);
    }

    #[test]
    fn native_roots_map_from_compat_base_urls_and_back() {
        let cn = "https://dashscope.aliyuncs.com";
        assert_eq!(
            native_root_of(&format!("{cn}/compatible-mode/v1/")),
            Some(format!("{cn}/api/v1"))
        );
        assert_eq!(
            compat_base_of(&format!("{cn}/api/v1")),
            Some(format!("{cn}/compatible-mode/v1"))
        );
        assert_eq!(native_root_of("http://127.0.0.1:8080/v1"), None);
        assert_eq!(compat_base_of("http://127.0.0.1:8080/v1"), None);
    }

    #[test]
    fn loopback_detection() {
        for url in [
            "http://127.0.0.1:8080/v1",
            "http://127.1.2.3/v1",
            "http://localhost:11434/v1",
            "http://[::1]:8000/v1",
            "http://user:pw@127.0.0.1/v1",
        ] {
            assert!(is_loopback(url), "{url}");
        }
        for url in [
            "http://10.0.0.5:8080/v1",
            "http://localhost.evil.com/v1",
            "http://127.0.0.1.nip.io/v1",
            "https://dashscope.aliyuncs.com/compatible-mode/v1",
            "not a url",
        ] {
            assert!(!is_loopback(url), "{url}");
        }
        assert_eq!(
            region_of("https://dashscope-us.aliyuncs.com/compatible-mode/v1"),
            Some(Region::Us)
        );
    }

    /// The URLs that fooled the string-splitting check, and their friends: what the check
    /// decides must be what the HTTP client connects to.
    #[test]
    fn loopback_is_decided_on_the_parsed_url() {
        for url in [
            "http://127.1/v1",
            "http://0x7f.0.0.1:8080/v1",
            "http://2130706433/v1",
            "HTTP://127.0.0.1:8080/v1",
            "http://LOCALHOST:8080/v1",
            "http://\u{ff4c}\u{ff4f}\u{ff43}\u{ff41}\u{ff4c}\u{ff48}\u{ff4f}\u{ff53}\u{ff54}:8080/v1",
            "http://%6c%6f%63%61%6c%68%6f%73%74:8080/v1",
            "http://[::1]/v1",
            "http://[::ffff:127.0.0.1]/v1",
            "http://10.9.9.9@127.0.0.1/v1",
            "http://127.0.0.1:80#@10.9.9.9/v1",
        ] {
            assert!(is_loopback(url), "{url}");
        }
        for url in [
            "http://10.9.9.9:18080\\@127.0.0.1/v1",
            "http://10.9.9.9\\@localhost/v1",
            "http://127.0.0.1@10.9.9.9/v1",
            "http://user:pw@10.9.9.9/v1",
            "http://0.0.0.0:8080/v1",
            "http://[::]/v1",
            "http://localhost./v1",
            "http://sub.localhost/v1",
            "http://127.0.0.1.nip.io/v1",
            "http://%31%30.9.9.9/v1",
            "ftp://127.0.0.1/v1",
        ] {
            assert!(!is_loopback(url), "{url}");
        }
        let parsed = parse_base_url("http://10.9.9.9:18080\\@127.0.0.1/v1").unwrap();
        assert_eq!(parsed.host_str(), Some("10.9.9.9"));
        assert_eq!(parsed.as_str(), "http://10.9.9.9:18080/@127.0.0.1/v1");
        // WHATWG skips the extra slashes: this is host `v1`, as the client would see it.
        assert_eq!(parse_base_url("http:///v1").unwrap().host_str(), Some("v1"));
        assert!(parse_base_url("http://").is_none());
        assert!(parse_base_url("file:///etc/passwd").is_none());
    }

    #[test]
    fn route_keys_drop_the_userinfo() {
        assert_eq!(
            route_key("http://me:pw@127.0.0.1:8080/api/v1"),
            "http://127.0.0.1:8080/api/v1"
        );
        assert_eq!(
            route_key("https://dashscope.aliyuncs.com/api/v1"),
            "https://dashscope.aliyuncs.com/api/v1"
        );
    }

    #[test]
    fn shown_urls_hide_the_userinfo_password() {
        assert_eq!(
            shown_url("http://me:s3cret@127.0.0.1:8080/v1/chat/completions"),
            "http://me:<redacted>@127.0.0.1:8080/v1/chat/completions"
        );
        assert_eq!(
            shown_url("http://me@127.0.0.1/v1"),
            "http://me@127.0.0.1/v1"
        );
        assert_eq!(
            shown_url("https://dashscope.aliyuncs.com/api/v1"),
            "https://dashscope.aliyuncs.com/api/v1"
        );
        assert!(!shown_url("http://a:p%40ss@h/v1").contains("p%40ss"));
    }
}
