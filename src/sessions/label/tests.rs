//! Names people type, and names typed to pass for another row.
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

// SEC-44: every class of character that hides, reorders or breaks text is refused.
#[test]
fn invisible_and_formatting_characters_are_refused() {
    let hostile = [
        ("zero-width space (Cf)", "Work\u{200B}laptop"),
        ("zero-width non-joiner (Cf)", "Work\u{200C}laptop"),
        ("zero-width joiner (Cf)", "Work\u{200D}laptop"),
        ("word joiner (Cf)", "Work\u{2060}laptop"),
        ("byte order mark (Cf)", "\u{FEFF}Work laptop"),
        ("soft hyphen (Cf)", "Work\u{AD}laptop"),
        ("Mongolian vowel separator (Cf)", "Work\u{180E}laptop"),
        ("private use (Co)", "Work \u{E000}"),
        ("unassigned (Cn)", "Work \u{0378}"),
        ("noncharacter (Cn)", "Work \u{FFFF}"),
        ("line separator (Zl)", "Work\u{2028}laptop"),
        ("paragraph separator (Zp)", "Work\u{2029}laptop"),
        ("tag characters", "Work\u{E0041}\u{E0042}\u{E007F}"),
        ("cancel tag", "Work\u{E007F}"),
        ("Hangul choseong filler", "Work\u{115F}"),
        ("Hangul jungseong filler", "Work\u{1160}"),
        ("Hangul filler", "Work\u{3164}"),
        ("halfwidth Hangul filler", "Work\u{FFA0}"),
        ("Braille blank", "Work\u{2800}"),
        ("C1 control (Cc)", "Work\u{85}laptop"),
    ];
    for (what, label) in hostile {
        let refused = clean(Some(label));
        assert!(refused.is_err(), "{what} accepted: {refused:?}");
    }
    assert_eq!(
        clean(Some("Work\u{200B}laptop")).unwrap_err(),
        "A name cannot contain invisible or formatting characters \
         (such as zero-width spaces or line separators)."
    );
    assert_eq!(
        clean(Some("evil\u{202E}txt.exe")).unwrap_err(),
        "A name cannot contain control or text-direction characters.",
        "the message the page shows for bidi (end2end/sessions.spec.ts)"
    );
}

// SEC-44
#[test]
fn piles_of_marks_and_blank_names_are_refused() {
    assert!(clean(Some("Zalgo\u{0301}\u{0302}\u{0303}")).is_err());
    assert!(clean(Some(&format!("a{}", "\u{0489}".repeat(20)))).is_err());
    // Two marks on one letter are ordinary (Vietnamese, for one).
    assert_eq!(
        clean(Some("Ho\u{0302}\u{0301}")).map(|n| n.map(|n| n.chars().count())),
        Ok(Some(2)),
        "NFC composes what it can"
    );
    assert!(clean(Some("e\u{0301}\u{0302}")).is_ok());
    for blank in [
        "\u{00A0}",
        "\u{3000}\u{2003}",
        "\u{0301}",
        "\u{FE0F}",
        "\u{034F}",
        "\u{2800}\u{2800}",
        "\u{3164}",
        "\u{200B}",
    ] {
        assert!(clean(Some(blank)).is_err(), "{:?} accepted", blank);
    }
}

#[test]
fn names_are_stored_in_nfc() {
    assert_eq!(clean(Some("Cafe\u{0301}")), Ok(Some("Café".into())));
    assert_eq!(
        clean(Some(&"e\u{0301}".repeat(64))).map(|n| n.map(|n| n.chars().count())),
        Ok(Some(64)),
        "counted after composing"
    );
}

// SEC-44: look-alikes are found by skeleton, not by exact text.
#[test]
fn look_alike_titles_share_a_skeleton() {
    let real = skeleton("Firefox 132 on Ubuntu");
    for fake in [
        "Firefox 132 on Ubuntu\u{200B}",
        "Fire\u{200B}fox 132 on Ubuntu",
        "FIREFOX 132 ON UBUNTU",
        "Firefox 132  on Ubuntu",
        "Firef\u{043E}x 132 \u{043E}n Ubuntu",
        "Firefox l32 on Ubuntu",
        "Firefox 132 on Ubuntu\u{3164}",
        "\u{FF26}irefox 132 on Ubuntu",
    ] {
        assert_eq!(skeleton(fake), real, "{fake:?}");
    }
    assert_ne!(skeleton("Chrome 131 on Windows 10"), real);
    assert_ne!(skeleton("Work laptop"), skeleton("Home laptop"));
}
