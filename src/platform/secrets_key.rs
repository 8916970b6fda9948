//! `SECRETS_KEY`: the 32-byte key that seals second-factor secrets at rest (issue 23). Given as
//! standard base64 (`openssl rand -base64 32`); its `Debug` never shows it, and a malformed value
//! is reported without echoing it.

use base64::{Engine, engine::general_purpose::STANDARD};

/// Length of the key in bytes.
pub const KEY_BYTES: usize = 32;

/// The key that seals secrets at rest. `Debug` prints `[redacted]`.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretsKey([u8; KEY_BYTES]);

impl SecretsKey {
    /// Parses standard base64 of exactly 32 bytes (surrounding blanks ignored).
    pub fn parse(text: &str) -> Result<Self, &'static str> {
        let bytes = STANDARD
            .decode(text.trim())
            .map_err(|_| "must be 32 random bytes in standard base64 (openssl rand -base64 32)")?;
        let key: [u8; KEY_BYTES] = bytes
            .try_into()
            .map_err(|_| "must decode to exactly 32 bytes (openssl rand -base64 32)")?;
        Ok(Self(key))
    }

    /// A key made of `bytes` (tests).
    pub fn from_bytes(bytes: [u8; KEY_BYTES]) -> Self {
        Self(bytes)
    }

    /// The key itself: only for the cipher.
    pub fn expose(&self) -> &[u8; KEY_BYTES] {
        &self.0
    }
}

impl std::fmt::Debug for SecretsKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(crate::platform::secret::REDACTED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_32_bytes_of_base64_and_hides_them() {
        let text = STANDARD.encode([7u8; 32]);
        let key = SecretsKey::parse(&format!(" {text}\n")).unwrap();
        assert_eq!(key.expose(), &[7u8; 32]);
        assert_eq!(format!("{key:?}"), "[redacted]");
        assert!(SecretsKey::parse("not base64!").is_err());
        assert!(SecretsKey::parse(&STANDARD.encode([7u8; 16])).is_err());
    }
}
