//! Names people give their sessions ("Work laptop"): trimmed, NFC, at most 64 characters, and
//! made only of characters that show (SEC-23, SEC-44): a name that could hide text, reorder it or
//! pass for another row's is refused, not cleaned, so what is stored is what was typed. Empty
//! clears the name.
//!
//! Also the look-alike key of a title ([`skeleton`]): two rows whose titles read the same to the
//! eye get the same key.

use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, GeneralCategoryGroup, UnicodeGeneralCategory};

/// Longest name, in characters.
pub const MAX_LABEL_CHARS: usize = 64;

/// Most combining marks allowed in a row (more pile up over the neighbouring lines).
const MAX_MARKS_IN_A_ROW: usize = 2;

/// Why a character may not appear in a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Refusal {
    /// Control (Cc) and text-direction characters.
    Control,
    /// Invisible, formatting, private-use, unassigned and line-breaking characters.
    Invisible,
}

/// Whether `c` may not appear in a name, and why.
fn refused(c: char) -> Option<Refusal> {
    use GeneralCategory as G;
    let bidi = matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}')
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c);
    if c.is_control() || bidi {
        return Some(Refusal::Control);
    }
    let invisible = matches!(
        c.general_category(),
        G::Format
            | G::PrivateUse
            | G::Unassigned
            | G::Surrogate
            | G::LineSeparator
            | G::ParagraphSeparator
    ) || ('\u{E0000}'..='\u{E007F}').contains(&c)
        || is_blank_letter(c);
    invisible.then_some(Refusal::Invisible)
}

/// Letters and symbols that draw nothing: Hangul fillers and the Braille blank.
fn is_blank_letter(c: char) -> bool {
    matches!(
        c,
        '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' | '\u{2800}'
    )
}

fn is_mark(c: char) -> bool {
    c.general_category_group() == GeneralCategoryGroup::Mark
}

/// Draws nothing on its own: spaces, marks with no letter to sit on, default-ignorable
/// characters such as variation selectors.
fn draws_nothing(c: char) -> bool {
    c.is_whitespace()
        || is_mark(c)
        || unicode_security::skeleton(c.encode_utf8(&mut [0; 4]))
            .next()
            .is_none()
}

/// The name to store for `raw` (`None`: empty, which clears the name), or why it is refused.
pub fn clean(raw: Option<&str>) -> Result<Option<String>, String> {
    let Some(typed) = raw.map(str::trim_ascii).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let name: String = typed.trim().nfc().collect();
    match typed.chars().filter_map(refused).min_by_key(|r| *r as u8) {
        Some(Refusal::Control) => {
            return Err("A name cannot contain control or text-direction characters.".into());
        }
        Some(Refusal::Invisible) => {
            return Err("A name cannot contain invisible or formatting characters \
                        (such as zero-width spaces or line separators)."
                .into());
        }
        None => {}
    }
    let mut marks = 0;
    for c in name.nfd() {
        marks = if is_mark(c) { marks + 1 } else { 0 };
        if marks > MAX_MARKS_IN_A_ROW {
            return Err("A name cannot stack more than two accents or marks on one letter.".into());
        }
    }
    if name.chars().all(draws_nothing) {
        return Err("A name needs at least one visible letter, digit or symbol.".into());
    }
    if name.chars().count() > MAX_LABEL_CHARS {
        return Err(format!(
            "A name can be at most {MAX_LABEL_CHARS} characters."
        ));
    }
    Ok(Some(name))
}

/// The look-alike key of a title (UTS #39 skeleton): case-folded, invisible characters removed,
/// compatibility forms folded (NFKC: fullwidth and mathematical letters), confusable characters
/// mapped to one prototype ("1" and "l", Cyrillic "о" and "o") and runs of spaces made one, so "Firefox 132 on Ubuntu" and the same words with a zero-width space or a Cyrillic
/// "о" get the same key.
///
/// Keys are remembered per title (at most [`REMEMBERED_KEYS`], then forgotten all at once): every
/// view of the sessions page keys every row's title again, titles are few (device names and
/// labels), and keying one takes three passes over Unicode tables, 3 % of the page's server CPU
/// (BENCHMARKS.md, "Islands").
pub fn skeleton(title: &str) -> String {
    use std::collections::HashMap;
    use std::sync::{LazyLock, Mutex, PoisonError};
    static KEYS: LazyLock<Mutex<HashMap<String, String>>> = LazyLock::new(Default::default);
    let keys = || KEYS.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(key) = keys().get(title) {
        return key.clone();
    }
    let key = key_of(title);
    let mut keys = keys();
    if keys.len() >= REMEMBERED_KEYS {
        keys.clear();
    }
    keys.insert(title.to_owned(), key.clone());
    key
}

/// How many title keys [`skeleton`] remembers (about a megabyte at most).
pub const REMEMBERED_KEYS: usize = 4096;

/// [`skeleton`], worked out.
fn key_of(title: &str) -> String {
    let folded: String = title.nfkc().flat_map(char::to_lowercase).collect();
    let mapped: String = unicode_security::skeleton(&folded)
        .flat_map(char::to_lowercase)
        .filter(|c| !is_blank_letter(*c) && !('\u{E0000}'..='\u{E007F}').contains(c))
        .collect();
    let again: String = unicode_security::skeleton(&mapped).collect();
    again.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests;
