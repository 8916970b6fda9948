//! Who is asking: the client behind a request, and the session it proved with its token. Built
//! once per request by the adapters (`auth::extract`) and handed to the services.

use crate::platform::ids::{DeviceId, SessionId, UnixTime, UserId};
use crate::sessions::model::SessionKind;
use std::net::IpAddr;

/// Stored user agents are cut to this many bytes (SEC-23).
pub const MAX_USER_AGENT_BYTES: usize = 1024;

/// How the caller presented its token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Credential {
    /// The session cookie (browsers).
    Cookie,
    /// `Authorization: Bearer` (CLI and API clients).
    Bearer,
}

/// The client software and address of a request, signed in or not.
#[derive(Clone, Debug, Default)]
pub struct Client {
    /// The client's address (see `platform::client_ip`).
    pub ip: Option<IpAddr>,
    /// Its user agent, cleaned (lossy UTF-8, no control or bidi characters, capped).
    pub user_agent: Option<String>,
}

impl Client {
    /// The client from its address and raw `User-Agent` bytes.
    pub fn new(ip: Option<IpAddr>, raw_user_agent: Option<&[u8]>) -> Self {
        Self {
            ip,
            user_agent: raw_user_agent.and_then(clean_user_agent),
        }
    }

    /// The address as stored and shown.
    pub fn ip_text(&self) -> Option<String> {
        ip_text(self.ip)
    }

    /// The key of its address in rate limits (an IPv6 client's /64, SEC-29).
    pub fn rate_key(&self) -> String {
        crate::platform::client_ip::rate_key(self.ip)
    }
}

/// The authenticated caller: the live session its token belongs to, and the client.
#[derive(Clone, Debug)]
pub struct Caller {
    /// Internal session id.
    pub session_id: SessionId,
    /// Public session id.
    pub public_id: String,
    /// The account.
    pub user_id: UserId,
    /// Browser or CLI session.
    pub kind: SessionKind,
    /// When the password was last proven on this session.
    pub authenticated_at: UnixTime,
    /// Cookie or bearer.
    pub credential: Credential,
    /// Address of this request (recorded when it ends sessions). Its user agent is not needed
    /// once the session exists, so it is not cleaned on every request.
    pub ip: Option<IpAddr>,
    /// The browser (device record) this session was started from, if any.
    pub device_id: Option<DeviceId>,
    /// When this session last proved the account's authenticator app (never by a recovery
    /// code), if it did.
    pub totp_proved_at: Option<UnixTime>,
    /// The account has an authenticator app: step-up asks for a code from it too.
    pub has_totp: bool,
    /// When this session last proved one of the account's passkeys, if it did.
    pub passkey_proved_at: Option<UnixTime>,
    /// The account has a passkey: step-up asks for it (its strongest factor).
    pub has_passkey: bool,
}

/// An address as stored and shown.
pub fn ip_text(ip: Option<IpAddr>) -> Option<String> {
    ip.map(|ip| ip.to_string())
}

/// Whether `c` may be stored and shown as part of requester-controlled text: control characters
/// and Unicode bidi controls (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C) are dropped so
/// that a user agent cannot reorder the text around it (SEC-23).
pub fn is_displayable(c: char) -> bool {
    !c.is_control()
        && !matches!(
            c,
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
        )
}

/// Lossy UTF-8, control and bidi characters dropped, cut to 1 KiB on a character boundary
/// (SEC-23).
pub fn clean_user_agent(raw: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(raw);
    let text: String = text.chars().filter(|c| is_displayable(*c)).collect();
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let mut end = text.len().min(MAX_USER_AGENT_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    Some(text[..end].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    // SEC-23
    #[test]
    fn user_agent_is_lossy_capped_and_clean() {
        assert_eq!(clean_user_agent(b""), None);
        assert_eq!(clean_user_agent(b"  \t "), None);
        assert_eq!(
            clean_user_agent(b"curl/8\xff\xfe").as_deref(),
            Some("curl/8\u{fffd}\u{fffd}")
        );
        let long = "é".repeat(2000);
        let cut = clean_user_agent(long.as_bytes()).unwrap();
        assert!(cut.len() <= MAX_USER_AGENT_BYTES && cut.len() >= MAX_USER_AGENT_BYTES - 1);
        assert_eq!(clean_user_agent(b"a\nb\x1bc").as_deref(), Some("abc"));
    }

    // SEC-23: bidi overrides cannot reorder what the page shows around a user agent.
    #[test]
    fn bidi_controls_are_dropped() {
        assert_eq!(
            clean_user_agent("curl\u{202E}gnp.exe\u{2066}x\u{200F}".as_bytes()).as_deref(),
            Some("curlgnp.exex")
        );
        assert!(!is_displayable('\u{202D}'));
        assert!(is_displayable('é'));
    }

    proptest::proptest! {
        // SEC-23: any bytes become displayable, capped text (or nothing).
        #[test]
        fn fuzz_clean_user_agent(raw in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2048)) {
            if let Some(text) = clean_user_agent(&raw) {
                proptest::prop_assert!(text.len() <= MAX_USER_AGENT_BYTES);
                proptest::prop_assert!(text.chars().all(is_displayable));
                proptest::prop_assert!(!text.trim().is_empty());
            }
        }

        // SEC-23: the same for text made of the characters that matter here.
        #[test]
        fn fuzz_clean_user_agent_bidi(text in "[a-z \\u{202A}-\\u{202E}\\u{2066}-\\u{2069}\\u{200E}\\u{200F}\\n\\t\\x00]{0,64}") {
            if let Some(clean) = clean_user_agent(text.as_bytes()) {
                proptest::prop_assert!(clean.chars().all(|c| c == ' ' || c.is_ascii_lowercase()));
            }
        }
    }
}
