//! Recovery codes: ten random codes shown once, each working once. Stored as HMAC-SHA-256 of the
//! account and the normalised code under a key derived from `SECRETS_KEY`: ~49 random bits each,
//! so a slow hash buys nothing, but without the key a copy of the database (a backup) gives no
//! way to test guesses offline, and the account in the message makes every hash one account's.

use crate::platform::ids::UserId;
use crate::platform::secrets_key::SecretsKey;
use crate::sessions::token::random_bytes;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Codes in a set.
pub const SET_SIZE: usize = 10;
/// Characters of a code: 31 symbols without the look-alikes 0/o and 1/l/i.
const ALPHABET: &[u8; 31] = b"abcdefghjkmnpqrstuvwxyz23456789";
/// Symbols per code, shown as two groups of five.
const SYMBOLS: usize = 10;

/// A fresh set of [`SET_SIZE`] codes, as people read them (`abcde-fghjk`).
pub fn new_set() -> Vec<String> {
    (0..SET_SIZE).map(|_| new_code()).collect()
}

/// What is stored for the `codes` of `user_id`: the keyed hash of each one's normalised form.
pub fn hashes(key: &SecretsKey, user_id: UserId, codes: &[String]) -> Vec<Vec<u8>> {
    codes
        .iter()
        .filter_map(|c| normalise(c))
        .map(|c| hash(key, user_id, &c))
        .collect()
}

fn new_code() -> String {
    let bytes = random_bytes::<SYMBOLS>();
    let mut code = String::with_capacity(SYMBOLS + 1);
    for (i, byte) in bytes.iter().enumerate() {
        if i == SYMBOLS / 2 {
            code.push('-');
        }
        // The modulo bias of 256 over 31 symbols costs a fraction of a bit of the ~49.
        code.push(char::from(ALPHABET[usize::from(*byte) % ALPHABET.len()]));
    }
    code
}

/// The form a code is stored and compared in: lower case, without blanks or dashes; `None` when
/// it cannot be a recovery code.
pub fn normalise(code: &str) -> Option<String> {
    let code: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (code.len() == SYMBOLS && code.bytes().all(|b| ALPHABET.contains(&b))).then_some(code)
}

/// HMAC-SHA-256 of `user_id` and the normalised code, under a key of its own derived from
/// `SECRETS_KEY` (HMAC of a fixed label, so the key that seals secrets is never used twice).
pub fn hash(key: &SecretsKey, user_id: UserId, normalised: &str) -> Vec<u8> {
    let mut derive = <Hmac<Sha256> as Mac>::new_from_slice(key.expose())
        .expect("HMAC takes a key of any length");
    derive.update(b"active-sessions recovery-code key v1");
    let derived = derive.finalize().into_bytes();
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(&derived).expect("HMAC takes a key of any length");
    mac.update(&user_id.0.to_be_bytes());
    mac.update(normalised.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> SecretsKey {
        SecretsKey::from_bytes([byte; 32])
    }

    #[test]
    fn hashes_depend_on_the_key_and_the_account() {
        let code = normalise("abcde-fghjk").unwrap();
        let base = hash(&key(1), UserId(7), &code);
        assert_eq!(base.len(), 32);
        assert_eq!(base, hash(&key(1), UserId(7), &code));
        assert_ne!(base, hash(&key(2), UserId(7), &code), "another key");
        assert_ne!(base, hash(&key(1), UserId(8), &code), "another account");
        let other = normalise("abcde-fghjm").unwrap();
        assert_ne!(base, hash(&key(1), UserId(7), &other));
    }

    #[test]
    fn codes_are_distinct_readable_and_normalise() {
        let set = new_set();
        assert_eq!(set.len(), SET_SIZE);
        let mut unique = set.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), SET_SIZE);
        for code in &set {
            assert_eq!(code.len(), 11);
            let normalised = normalise(code).unwrap();
            assert_eq!(normalise(&code.to_uppercase()).as_ref(), Some(&normalised));
        }
        assert_eq!(normalise("123456"), None);
        assert_eq!(normalise("abcde-fghj0"), None);
    }
}
