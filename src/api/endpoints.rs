//! DashScope regions and their documented hosts, and the loopback test for key safety.
//!
//! Hosts come from dashscope-protocol.md §1.1 (the shared gateway hosts, which work with a
//! plain API key). Region ids are accepted in both our short form and DashScope's own.

use std::net::IpAddr;

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
pub fn host_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if let Some(v6) = authority.strip_prefix('[') {
        return v6.split_once(']').map(|(h, _)| h);
    }
    Some(authority.split(':').next().unwrap_or(authority))
}

/// Returns true when `url` points at this machine (127.0.0.0/8, ::1 or `localhost`).
pub fn is_loopback(url: &str) -> bool {
    match host_of(url) {
        Some(host) if host.eq_ignore_ascii_case("localhost") => true,
        Some(host) => host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback()),
        None => false,
    }
}

/// Returns the region whose host `url` uses, if any.
pub fn region_of(url: &str) -> Option<Region> {
    let host = host_of(url)?;
    Region::ALL.into_iter().find(|r| r.host() == host)
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
}
