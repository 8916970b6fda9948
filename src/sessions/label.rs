//! Names people give their sessions ("Work laptop"): trimmed, at most 64 characters, no control
//! or direction-changing characters (they could make one row look like another, SEC-23); empty
//! clears the name.

/// Longest name, in characters.
pub const MAX_LABEL_CHARS: usize = 64;

/// Whether `c` may not appear in a name: control characters and Unicode bidi controls.
fn refused(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}')
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// The name to store for `raw` (`None`: no name), or why it is refused.
pub fn clean(raw: Option<&str>) -> Result<Option<String>, String> {
    let Some(trimmed) = raw.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if trimmed.chars().any(refused) {
        return Err("A name cannot contain control or text-direction characters.".into());
    }
    if trimmed.chars().count() > MAX_LABEL_CHARS {
        return Err(format!(
            "A name can be at most {MAX_LABEL_CHARS} characters."
        ));
    }
    Ok(Some(trimmed.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    // SEC-23
    #[test]
    fn names_are_trimmed_bounded_and_plain() {
        assert_eq!(
            clean(Some("  Work laptop ")),
            Ok(Some("Work laptop".into()))
        );
        assert_eq!(clean(Some("   ")), Ok(None));
        assert_eq!(clean(None), Ok(None));
        assert_eq!(clean(Some(&"é".repeat(64))), Ok(Some("é".repeat(64))));
        assert!(clean(Some(&"a".repeat(65))).is_err());
        assert!(clean(Some("evil\u{202E}pot")).is_err());
        assert!(clean(Some("two\nlines")).is_err());
        assert!(clean(Some("nul\0")).is_err());
        assert_eq!(clean(Some("Laptop 💻")), Ok(Some("Laptop 💻".into())));
    }
}
