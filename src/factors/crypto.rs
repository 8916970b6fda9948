//! Secrets sealed at rest with XChaCha20-Poly1305 (RustCrypto's `chacha20poly1305`) under
//! `SECRETS_KEY`: a blob is the 24-byte random nonce followed by the ciphertext and its tag. The
//! associated data binds a blob to its purpose and account, so a sealed secret copied onto another
//! account's row does not open.

use crate::platform::ids::UserId;
use crate::platform::secrets_key::SecretsKey;
use chacha20poly1305::aead::{Aead, Generate, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

/// Length of the nonce that starts every blob.
pub const NONCE_BYTES: usize = 24;

/// A blob did not open: another key, another account or purpose, or changed bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a sealed secret did not open (other key, other account, or altered)")]
pub struct Unsealable;

/// The associated data of an authenticator-app secret of `user_id`.
pub fn totp_aad(user_id: UserId) -> Vec<u8> {
    let mut aad = b"totp-secret:v1:".to_vec();
    aad.extend_from_slice(&user_id.0.to_be_bytes());
    aad
}

fn cipher(key: &SecretsKey) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new_from_slice(key.expose()).expect("SECRETS_KEY is 32 bytes")
}

/// Seals `secret` with `aad`: nonce || ciphertext || tag.
pub fn seal(key: &SecretsKey, aad: &[u8], secret: &[u8]) -> Vec<u8> {
    let nonce = XNonce::generate();
    let sealed = cipher(key)
        .encrypt(&nonce, Payload { msg: secret, aad })
        .expect("XChaCha20-Poly1305 seals any length we store");
    let mut blob = nonce.to_vec();
    blob.extend_from_slice(&sealed);
    blob
}

/// Opens a blob made by [`seal`] with the same key and `aad`.
pub fn open(key: &SecretsKey, aad: &[u8], blob: &[u8]) -> Result<Vec<u8>, Unsealable> {
    if blob.len() < NONCE_BYTES {
        return Err(Unsealable);
    }
    let (nonce, sealed) = blob.split_at(NONCE_BYTES);
    let nonce = XNonce::try_from(nonce).map_err(|_| Unsealable)?;
    cipher(key)
        .decrypt(&nonce, Payload { msg: sealed, aad })
        .map_err(|_| Unsealable)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> SecretsKey {
        SecretsKey::from_bytes([byte; 32])
    }

    // SEC-47
    #[test]
    fn round_trip_and_fresh_nonces() {
        let aad = totp_aad(UserId(7));
        let blob = seal(&key(1), &aad, b"twenty bytes secret!");
        assert_eq!(open(&key(1), &aad, &blob).unwrap(), b"twenty bytes secret!");
        assert!(!blob.windows(20).any(|w| w == b"twenty bytes secret!"));
        assert_ne!(blob, seal(&key(1), &aad, b"twenty bytes secret!"));
    }

    // SEC-47
    #[test]
    fn other_account_other_key_or_altered_bytes_do_not_open() {
        let blob = seal(&key(1), &totp_aad(UserId(7)), b"secret");
        assert_eq!(open(&key(1), &totp_aad(UserId(8)), &blob), Err(Unsealable));
        assert_eq!(open(&key(2), &totp_aad(UserId(7)), &blob), Err(Unsealable));
        for i in 0..blob.len() {
            let mut tampered = blob.clone();
            tampered[i] ^= 0x01;
            assert_eq!(
                open(&key(1), &totp_aad(UserId(7)), &tampered),
                Err(Unsealable)
            );
        }
        assert_eq!(
            open(&key(1), &totp_aad(UserId(7)), &blob[..10]),
            Err(Unsealable)
        );
    }
}
