//! Which server to talk to, and which servers the CLI is willing to talk to at all.
//!
//! A server is an `http`/`https` base URL. Plain `http` is accepted only for loopback hosts: a
//! bearer token must never cross a network unencrypted. Two spellings of a server are the same
//! server when scheme, host, port (default port filled in) and path (trailing slash removed)
//! agree; the host comparison is case-insensitive because the URL parser lowercases it.

use reqwest::Url;
use reqwest::header::HeaderValue;
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

/// Used when neither `--server`, `$ACTIVE_SESSIONS_URL` nor saved credentials name a server.
pub const DEFAULT_SERVER: &str = "http://127.0.0.1:3000";

/// A validated, normalised server base URL.
#[derive(Clone, Debug)]
pub struct Server {
    url: Url,
}

impl Server {
    /// Parses `raw` and applies the transport policy (https anywhere, http on loopback only).
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        let url = Url::parse(raw).map_err(|e| {
            format!("`{raw}` is not a server URL ({e}); expected e.g. https://sessions.example.com")
        })?;
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&url) => {}
            "http" => {
                return Err(format!(
                    "refusing plain http:// for {}: the token would travel unencrypted; use \
                     https:// (plain http is only allowed for localhost, 127.0.0.0/8 and [::1])",
                    url.host_str().unwrap_or("")
                ));
            }
            other => {
                return Err(format!(
                    "`{raw}`: only http:// and https:// servers are supported, not {other}://"
                ));
            }
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(format!("`{raw}` names no host"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(format!(
                "`{raw}`: leave the user name and password out of the server URL"
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(format!(
                "`{raw}`: a server URL has no query (?…) or fragment (#…)"
            ));
        }
        let mut url = url;
        let path = url.path().trim_end_matches('/').to_owned();
        url.set_path(&path);
        Ok(Self { url })
    }

    /// The URL of an API path such as [`active_sessions_api::paths::SESSIONS`].
    pub fn endpoint(&self, path: &str) -> Url {
        let mut url = self.url.clone();
        url.set_path(&format!("{}{path}", self.base_path()));
        url
    }

    /// Path under which the API lives, without a trailing slash (usually empty).
    fn base_path(&self) -> &str {
        self.url.path().trim_end_matches('/')
    }

    /// What makes two spellings the same server.
    fn key(&self) -> (&str, &str, Option<u16>, &str) {
        (
            self.url.scheme(),
            self.url.host_str().unwrap_or(""),
            self.url.port_or_known_default(),
            self.base_path(),
        )
    }

    /// " to URL" for a redirect's `Location` header, resolved against this server (for messages).
    pub fn redirect_hint(&self, location: Option<&HeaderValue>) -> String {
        location
            .and_then(|l| l.to_str().ok())
            .and_then(|l| self.url.join(l).ok())
            .map(|to| format!(" to {to}"))
            .unwrap_or_default()
    }
}

impl PartialEq for Server {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for Server {}

impl fmt::Display for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `Url` keeps a lone "/" as the path; print the base without it.
        let text = self.url.as_str();
        f.write_str(text.strip_suffix('/').unwrap_or(text))
    }
}

/// `localhost`, 127.0.0.0/8 or `[::1]`. The URL parser has already lowercased the host and
/// rewritten IPv4 shorthands (`127.1`, `0x7f.0.0.1`) as dotted quads.
fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return v6.parse::<Ipv6Addr>().is_ok_and(|ip| ip.is_loopback());
    }
    host == "localhost" || host.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
}

/// The server asked for on the command line (`--server`) or in `$ACTIVE_SESSIONS_URL`, if any.
pub fn requested(flag: Option<String>) -> Result<Option<Server>, String> {
    flag.or_else(|| std::env::var("ACTIVE_SESSIONS_URL").ok())
        .filter(|raw| !raw.trim().is_empty())
        .map(|raw| Server::parse(&raw))
        .transpose()
}

/// The server a saved token may be sent to: the one that issued it. Asking for another one is an
/// error, so the token never reaches a server that did not issue it.
pub fn bound(saved: &str, requested: Option<&Server>) -> Result<Server, String> {
    let saved = Server::parse(saved).map_err(|e| {
        format!("the saved credentials name a server this CLI will not use: {e}; log in again")
    })?;
    match requested {
        Some(requested) if *requested != saved => Err(format!(
            "you are logged in to {saved}, not {requested}; run \
             `active-sessions-cli --server {requested} login` first"
        )),
        _ => Ok(saved),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(raw: &str) -> Server {
        Server::parse(raw).unwrap_or_else(|e| panic!("{raw}: {e}"))
    }

    #[test]
    fn plain_http_is_for_loopback_only() {
        for raw in [
            "http://127.0.0.1:3000",
            "http://127.8.9.10",
            "http://127.1:3000",
            "http://localhost:3000/",
            "http://LOCALHOST",
            "http://[::1]:3000",
        ] {
            ok(raw);
        }
        for raw in [
            "http://example.com",
            "http://10.0.0.1:3000",
            "http://192.168.1.2",
            "http://[::2]",
            "http://[::ffff:127.0.0.1]",
            "http://localhost.example.com",
            "http://127.0.0.1.nip.io",
        ] {
            let err = Server::parse(raw).unwrap_err();
            assert!(err.contains("refusing plain http://"), "{raw}: {err}");
        }
    }

    #[test]
    fn https_anywhere_and_no_other_scheme() {
        ok("https://sessions.example.com");
        ok("https://10.0.0.1:8443/app/");
        for raw in [
            "ftp://example.com",
            "file:///etc/passwd",
            "ws://127.0.0.1:3000",
        ] {
            let err = Server::parse(raw).unwrap_err();
            assert!(err.contains("only http:// and https://"), "{raw}: {err}");
        }
        for raw in ["example.com", "", "https://", "https://user:pw@example.com"] {
            assert!(Server::parse(raw).is_err(), "{raw}");
        }
        assert!(Server::parse("https://example.com/?x=1").is_err());
        assert!(Server::parse("https://example.com/#x").is_err());
    }

    #[test]
    fn same_server_whatever_the_spelling() {
        assert_eq!(ok("https://Example.COM"), ok("https://example.com/"));
        assert_eq!(ok("https://example.com:443"), ok("https://example.com"));
        assert_eq!(ok("http://127.0.0.1:80/"), ok("http://127.0.0.1"));
        assert_eq!(
            ok("https://example.com/app/"),
            ok("https://example.com/app")
        );
        assert_ne!(ok("https://example.com:8443"), ok("https://example.com"));
        assert_ne!(ok("http://localhost:443"), ok("https://localhost"));
        assert_ne!(ok("https://example.com/app"), ok("https://example.com"));
        assert_ne!(ok("https://example.com"), ok("https://example.org"));
        assert_eq!(
            ok("https://Example.com:443/").to_string(),
            "https://example.com"
        );
        assert_eq!(
            ok("http://127.0.0.1:3000/").to_string(),
            "http://127.0.0.1:3000"
        );
    }

    #[test]
    fn endpoints_hang_under_the_base() {
        let api = active_sessions_api::paths::SESSIONS;
        assert_eq!(
            ok("http://127.0.0.1:3000/").endpoint(api).as_str(),
            "http://127.0.0.1:3000/api/v1/auth/sessions"
        );
        assert_eq!(
            ok("https://example.com/app/").endpoint(api).as_str(),
            "https://example.com/app/api/v1/auth/sessions"
        );
    }

    #[test]
    fn a_token_goes_only_to_the_server_that_issued_it() {
        let saved = "https://sessions.example.com";
        assert_eq!(bound(saved, None).unwrap(), ok(saved));
        assert_eq!(
            bound(saved, Some(&ok("https://SESSIONS.example.com:443/"))).unwrap(),
            ok(saved)
        );
        let err = bound(saved, Some(&ok("https://evil.example"))).unwrap_err();
        assert_eq!(
            err,
            "you are logged in to https://sessions.example.com, not https://evil.example; run \
             `active-sessions-cli --server https://evil.example login` first"
        );
        // Credentials saved by an older CLI for a remote plain-http server are not used either.
        let err = bound("http://sessions.example.com", None).unwrap_err();
        assert!(err.contains("refusing plain http://"), "{err}");
    }
}
