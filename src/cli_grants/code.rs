//! User codes: 8 letters from a 20-consonant alphabet (no vowels, so no words; ~34 bits), shown
//! as `XXXX-XXXX`, drawn from the OS CSPRNG.

use crate::sessions::token::random_bytes;

const ALPHABET: &[u8; 20] = b"BCDFGHJKLMNPQRSTVWXZ";

/// A fresh user code, `XXXX-XXXX`.
pub fn generate() -> String {
    let mut code = String::with_capacity(9);
    let mut produced = 0;
    while produced < 8 {
        for byte in random_bytes::<16>() {
            // Rejection sampling keeps every letter equally likely (240 = 12 × 20).
            if byte < 240 && produced < 8 {
                if produced == 4 {
                    code.push('-');
                }
                code.push(ALPHABET[(byte % 20) as usize] as char);
                produced += 1;
            }
        }
    }
    code
}

/// Normalises what a person typed (case, spaces, dashes) to `XXXX-XXXX`, or `None` if it
/// cannot be a code.
pub fn normalise(input: &str) -> Option<String> {
    let letters: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (letters.len() == 8 && letters.bytes().all(|b| ALPHABET.contains(&b)))
        .then(|| format!("{}-{}", &letters[..4], &letters[4..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    // SEC-31
    #[test]
    fn codes_are_random_and_well_formed() {
        let codes: HashSet<String> = (0..10_000).map(|_| generate()).collect();
        assert!(codes.len() > 9_990, "codes repeat too often");
        for code in codes.iter().take(100) {
            assert_eq!(normalise(code).as_deref(), Some(code.as_str()));
        }
        assert_eq!(normalise(" bcdf ghjk ").as_deref(), Some("BCDF-GHJK"));
        assert_eq!(normalise("ABCD-EFGH"), None, "vowels are never issued");
        assert_eq!(normalise("BCD"), None);
    }

    proptest::proptest! {
        // SEC-31, SEC-05: whatever a person (or an attacker) types, normalising never panics and
        // only ever yields a well-formed code.
        #[test]
        fn fuzz_normalise(input in "\\PC{0,40}") {
            if let Some(code) = normalise(&input) {
                proptest::prop_assert_eq!(code.len(), 9);
                proptest::prop_assert_eq!(&code[4..5], "-");
                proptest::prop_assert!(code.bytes().filter(|b| *b != b'-').all(|b| ALPHABET.contains(&b)));
                proptest::prop_assert_eq!(normalise(&code), Some(code.clone()));
            }
        }
    }
}
