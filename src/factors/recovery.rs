//! Recovery codes: ten random codes shown once, stored as SHA-256 of their normalised form (~49
//! random bits each, so a slow hash buys nothing), each working once.

use crate::sessions::token::random_bytes;
use sha2::{Digest, Sha256};

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

/// What is stored for `codes`: the hash of each one's normalised form.
pub fn hashes(codes: &[String]) -> Vec<Vec<u8>> {
    codes
        .iter()
        .filter_map(|c| normalise(c))
        .map(|c| hash(&c))
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

/// SHA-256 of the normalised code.
pub fn hash(normalised: &str) -> Vec<u8> {
    Sha256::digest(normalised.as_bytes()).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

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
            assert_eq!(hash(&normalised).len(), 32);
        }
        assert_eq!(normalise("123456"), None);
        assert_eq!(normalise("abcde-fghj0"), None);
    }
}
