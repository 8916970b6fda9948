//! The client's IP address: the socket peer, or — only when `TRUST_PROXY_HEADERS` is on — the
//! address our proxies put in `X-Forwarded-For`, counted `TRUSTED_PROXY_HOPS` entries from the
//! right, so a client cannot pick its own IP to dodge rate limits (SEC-29). An entry there that is
//! not a bare IP address (`ip:port`, `unknown`, garbage) is not trusted: the peer address is used.
//!
//! Rate limits key IPv6 clients by their /64, the block one subscriber usually holds, so rotating
//! through its 2^64 addresses gives no extra attempts ([`rate_key`]).

use axum::extract::ConnectInfo;
use axum::http::{Extensions, HeaderMap};
use std::net::{IpAddr, Ipv6Addr, SocketAddr};

/// The IP the request came from, if known. `hops` is 0 when proxy headers are not trusted.
pub fn client_ip(headers: &HeaderMap, extensions: &Extensions, hops: u32) -> Option<IpAddr> {
    let peer = extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    if hops == 0 {
        return peer;
    }
    let entries: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let from_right = hops as usize;
    if entries.len() < from_right {
        return peer;
    }
    match entries[entries.len() - from_right].parse::<IpAddr>() {
        Ok(ip) => Some(ip.to_canonical()),
        Err(_) => peer,
    }
}

/// The rate-limit key of an address: an IPv4 address itself, an IPv6 address its /64.
pub fn rate_key(ip: Option<IpAddr>) -> String {
    match ip.map(|ip| ip.to_canonical()) {
        None => "unknown".to_owned(),
        Some(IpAddr::V4(v4)) => v4.to_string(),
        Some(IpAddr::V6(v6)) => {
            let s = v6.segments();
            let prefix = Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
            format!("{prefix}/64")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn request(forwarded: &'static str) -> (HeaderMap, Extensions) {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_static(forwarded));
        let mut ext = Extensions::new();
        ext.insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 5000))));
        (headers, ext)
    }

    // SEC-29
    #[test]
    fn forwarded_for_only_when_trusted() {
        let (headers, ext) = request("6.6.6.6, 10.0.0.7");
        assert_eq!(client_ip(&headers, &ext, 0), Some([127, 0, 0, 1].into()));
        assert_eq!(client_ip(&headers, &ext, 1), Some([10, 0, 0, 7].into()));
        assert_eq!(client_ip(&headers, &ext, 2), Some([6, 6, 6, 6].into()));
        assert_eq!(
            client_ip(&headers, &ext, 3),
            Some([127, 0, 0, 1].into()),
            "fewer entries than hops: the peer"
        );
    }

    // SEC-29: a proxy that appends `ip:port` or `unknown` cannot let a client-supplied entry win.
    #[test]
    fn an_entry_that_is_not_an_address_means_the_peer() {
        for forwarded in ["6.6.6.6, 10.0.0.7:4711", "6.6.6.6, unknown", "6.6.6.6, "] {
            let (headers, ext) = request(forwarded);
            assert_eq!(
                client_ip(&headers, &ext, 1),
                Some([127, 0, 0, 1].into()),
                "{forwarded}"
            );
        }
    }

    // SEC-29
    #[test]
    fn ipv6_budgets_are_per_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff:1:2:3".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(rate_key(Some(a)), rate_key(Some(b)));
        assert_ne!(rate_key(Some(a)), rate_key(Some(c)));
        assert_eq!(rate_key(Some(a)), "2001:db8:1:2::/64");
        let mapped: IpAddr = "::ffff:192.0.2.1".parse().unwrap();
        assert_eq!(rate_key(Some(mapped)), "192.0.2.1");
    }

    proptest::proptest! {
        // SEC-29: any X-Forwarded-For is either an address it contains or the peer's.
        #[test]
        fn fuzz_forwarded_for(raw in "[0-9a-f:., ]{0,80}", hops in 0u32..4) {
            let mut headers = HeaderMap::new();
            if let Ok(value) = HeaderValue::from_str(&raw) {
                headers.insert("x-forwarded-for", value);
            }
            let mut ext = Extensions::new();
            ext.insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 5000))));
            let ip = client_ip(&headers, &ext, hops).unwrap();
            let peer: IpAddr = [127, 0, 0, 1].into();
            proptest::prop_assert!(
                ip == peer || raw.split(',').any(|e| e.trim().parse::<IpAddr>().ok().map(|p| p.to_canonical()) == Some(ip))
            );
            let _ = rate_key(Some(ip));
        }
    }
}
