//! Session tokens: 32 random bytes from the OS CSPRNG, carried base64url-encoded (SEC-01).
//!
//! Only the SHA-256 of a token is ever stored (SEC-02); lookups go by that hash and any
//! in-memory comparison of secret bytes is constant-time (SEC-06). The textual format is checked
//! before anything touches the database (SEC-05).

use argon2::password_hash::rand_core::{OsRng, RngCore};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Number of random bytes in a session token.
pub const TOKEN_BYTES: usize = 32;
/// Length of the base64url (unpadded) form of a token.
pub const TOKEN_CHARS: usize = 43;

/// A secret bearer token. Its `Debug` never prints the secret, and it has no `PartialEq`: secrets
/// are compared only through [`TokenHash::matches`], in constant time (SEC-06). This guard is
/// checked: comparing tokens or hashes with `==` does not compile.
///
/// ```compile_fail
/// // SEC-06
/// use active_sessions::sessions::token::SessionToken;
/// let a = SessionToken::generate();
/// let b = a.clone();
/// let _ = a == b;
/// ```
///
/// ```compile_fail
/// // SEC-06
/// use active_sessions::sessions::token::SessionToken;
/// let a = SessionToken::generate();
/// let _ = a.hash() == a.hash();
/// ```
///
/// ```
/// // SEC-06: the constant-time comparison is the way.
/// use active_sessions::sessions::token::SessionToken;
/// let a = SessionToken::generate();
/// assert!(a.hash().matches(&a.hash().0));
/// ```
#[derive(Clone)]
pub struct SessionToken(String);

/// The SHA-256 of a token: what the database stores and is searched by (no `PartialEq`, SEC-06).
#[derive(Clone)]
pub struct TokenHash(pub [u8; 32]);

impl SessionToken {
    /// A fresh token from the operating system's CSPRNG.
    pub fn generate() -> Self {
        Self(URL_SAFE_NO_PAD.encode(random_bytes::<TOKEN_BYTES>()))
    }

    /// Accepts only the exact shape we issue: 43 base64url characters that decode to 32 bytes.
    /// Anything else is rejected without a database lookup.
    pub fn parse(raw: &str) -> Option<Self> {
        if raw.len() != TOKEN_CHARS || !raw.bytes().all(is_base64url) {
            return None;
        }
        // The last character carries 2 padding bits which must be zero for a canonical encoding.
        let decoded = URL_SAFE_NO_PAD.decode(raw).ok()?;
        (decoded.len() == TOKEN_BYTES).then(|| Self(raw.to_owned()))
    }

    /// The token as sent to the client (cookie value or bearer token).
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The SHA-256 digest stored in place of the token.
    pub fn hash(&self) -> TokenHash {
        TokenHash(Sha256::digest(self.0.as_bytes()).into())
    }
}

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionToken(<redacted>)")
    }
}

impl std::fmt::Debug for TokenHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenHash(<redacted>)")
    }
}

impl TokenHash {
    /// Constant-time comparison with stored bytes (a row found by hash is re-checked with this).
    pub fn matches(&self, stored: &[u8]) -> bool {
        secret_eq(&self.0, stored)
    }
}

/// Constant-time equality for secret byte strings; different lengths are simply unequal.
pub fn secret_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

/// `N` bytes from the OS CSPRNG.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    OsRng.fill_bytes(&mut bytes);
    bytes
}

/// A random public identifier (128 bits, base64url): what the list shows and DELETE takes.
pub fn random_public_id() -> String {
    URL_SAFE_NO_PAD.encode(random_bytes::<16>())
}

/// Length of a public id produced by [`random_public_id`].
pub const PUBLIC_ID_CHARS: usize = 22;

/// Whether `raw` has the shape of a public id; other strings are answered 404 without a query.
pub fn is_public_id(raw: &str) -> bool {
    raw.len() == PUBLIC_ID_CHARS && raw.bytes().all(is_base64url)
}

fn is_base64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashSet;

    // SEC-01
    #[test]
    fn generated_tokens_are_unique_32_bytes_base64url() {
        let mut seen = HashSet::with_capacity(100_000);
        for _ in 0..100_000 {
            let token = SessionToken::generate();
            let raw = token.expose();
            assert_eq!(raw.len(), TOKEN_CHARS);
            assert!(raw.bytes().all(is_base64url), "charset: {raw}");
            assert_eq!(URL_SAFE_NO_PAD.decode(raw).unwrap().len(), TOKEN_BYTES);
            assert!(seen.insert(raw.to_owned()), "duplicate token");
        }
    }

    // SEC-05
    #[test]
    fn parse_accepts_only_issued_shape() {
        let token = SessionToken::generate();
        assert!(SessionToken::parse(token.expose()).is_some());
        for bad in [
            "",
            "attacker",
            &token.expose()[..42],
            &format!("{}A", token.expose()),
            &format!("{}=", &token.expose()[..42]),
            "+++++++++++++++++++++++++++++++++++++++++++",
            "ééééééééééééééééééééé",
        ] {
            assert!(SessionToken::parse(bad).is_none(), "accepted {bad:?}");
        }
    }

    // SEC-06
    #[test]
    fn secret_comparison_is_exact() {
        let token = SessionToken::generate();
        let hash = token.hash();
        assert!(hash.matches(&hash.0));
        let mut other = hash.0;
        other[31] ^= 1;
        assert!(!hash.matches(&other));
        assert!(!hash.matches(&hash.0[..31]));
        assert!(!secret_eq(b"", b"a"));
    }

    // SEC-08: the Debug form of secrets is redacted so a stray `?token` in a log leaks nothing.
    #[test]
    fn debug_never_prints_secret() {
        let token = SessionToken::generate();
        assert!(!format!("{token:?}").contains(token.expose()));
        assert_eq!(format!("{:?}", token.hash()), "TokenHash(<redacted>)");
    }

    proptest! {
        // SEC-05: arbitrary input never panics and only canonical tokens parse.
        #[test]
        fn parse_never_panics(raw in ".{0,200}") {
            if let Some(t) = SessionToken::parse(&raw) {
                prop_assert_eq!(t.expose().len(), TOKEN_CHARS);
            }
        }

        #[test]
        fn parse_round_trips_any_bytes(bytes in proptest::array::uniform32(any::<u8>())) {
            let raw = URL_SAFE_NO_PAD.encode(bytes);
            prop_assert!(SessionToken::parse(&raw).is_some());
        }
    }

    proptest! {
        // SEC-22, SEC-05: only the exact shape of a public id passes, without a query.
        #[test]
        fn fuzz_public_id(raw in "\\PC{0,40}") {
            let ok = raw.len() == PUBLIC_ID_CHARS && raw.bytes().all(is_base64url);
            prop_assert_eq!(is_public_id(&raw), ok);
        }
    }
}
