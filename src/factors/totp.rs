//! Authenticator-app codes (RFC 6238: SHA-1, 6 digits, 30-second steps, one step of skew) with
//! `totp-rs`. Time always comes from the caller (the server's injected clock), never from the
//! system clock here. Which step matched is returned so the caller can accept each step once.

use crate::platform::ids::UnixTime;
use totp_rs::{Builder, Secret, Totp, TotpError};

/// Seconds per time step.
pub const STEP_SECS: u64 = 30;
/// Name shown in authenticator apps.
pub const ISSUER: &str = "Active sessions";

/// A new random 160-bit secret.
pub fn new_secret() -> Vec<u8> {
    Secret::generate().as_bytes().to_vec()
}

/// The secret as authenticator apps take it by hand (RFC 4648 base32, unpadded).
pub fn base32(secret: &[u8]) -> String {
    Secret::from(secret.to_vec()).to_base32()
}

fn authenticator(secret: &[u8], account: &str) -> Result<Totp, TotpError> {
    Builder::new()
        .with_secret(secret.to_vec())
        .with_step_duration(STEP_SECS)
        .with_account_name(account)
        .with_issuer(Some(ISSUER))
        .build()
}

/// The `otpauth://` URL for the QR code; an account name with `:` (which the format cannot
/// carry) is replaced by `fallback`.
pub fn otpauth_url(secret: &[u8], account: &str, fallback: &str) -> Result<String, TotpError> {
    let account = if account.contains(':') {
        fallback
    } else {
        account
    };
    authenticator(secret, account)?.to_url()
}

/// Whether `code` has the shape of an authenticator code (6 digits once blanks are removed).
pub fn looks_like_code(code: &str) -> bool {
    let digits = normalise(code);
    digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit())
}

fn normalise(code: &str) -> String {
    code.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The time step whose code `code` is, at `now` (one step either side allowed); `None` when it
/// matches none. Accepting a step only once is the caller's job (a compare-and-set).
pub fn matching_step(secret: &[u8], code: &str, now: UnixTime) -> Option<i64> {
    let now = u64::try_from(now.0).ok()?;
    let step = authenticator(secret, "")
        .ok()?
        .check(&normalise(code), now)?;
    i64::try_from(step).ok()
}

/// The code of `secret` at `now` (for tests and for checking a set-up).
pub fn code_at(secret: &[u8], now: UnixTime) -> String {
    let now = u64::try_from(now.0).unwrap_or_default();
    authenticator(secret, "")
        .map(|t| t.generate(now).to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn rfc_6238_vector_and_the_injected_clock() {
        // RFC 6238 Appendix B, SHA-1, T = 59: 94287082 (8 digits); its last 6 are ours.
        assert_eq!(code_at(SECRET, UnixTime(59)), "287082");
        assert_eq!(matching_step(SECRET, "287082", UnixTime(59)), Some(1));
        assert_eq!(matching_step(SECRET, " 287 082 ", UnixTime(59)), Some(1));
        // One step of skew either side, not two.
        assert_eq!(matching_step(SECRET, "287082", UnixTime(89)), Some(1));
        assert_eq!(matching_step(SECRET, "287082", UnixTime(119)), None);
        assert_eq!(matching_step(SECRET, "000000x", UnixTime(59)), None);
        assert_eq!(matching_step(SECRET, "+87082", UnixTime(59)), None);
    }

    #[test]
    fn secrets_and_urls() {
        let secret = new_secret();
        assert_eq!(secret.len(), 20);
        assert_ne!(secret, new_secret());
        let url = otpauth_url(SECRET, "a@example.com", "user-1").unwrap();
        assert!(
            url.starts_with("otpauth://totp/Active%20sessions:a%40example.com?"),
            "{url}"
        );
        assert!(url.contains(&format!("secret={}", base32(SECRET))), "{url}");
        let url = otpauth_url(SECRET, "a:b@example.com", "user-1").unwrap();
        assert!(url.contains("user-1"), "{url}");
        assert!(looks_like_code("123 456") && !looks_like_code("abcd-efgh"));
    }
}
