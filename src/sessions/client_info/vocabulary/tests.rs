//! Which words the rules make fixed, on hand-made rules and on the bundled ones.
use super::*;
use serde_json::json;

// SEC-44
#[test]
fn only_fixed_words_are_words() {
    let rules = json!({
        "user_agent_parsers": [
            {"regex": "(Firefox)/(\\d+)"},
            {"regex": "(Chimera|SeaMonkey)/(\\d+)"},
            {"regex": "^(.{0,200})/(\\d+) CFNetwork"},
            {"regex": "(Edge?)/(\\d+)", "family_replacement": "Edge"},
            {"regex": "(Evil)(.+)", "family_replacement": "$1 $2"},
            {"regex": "(?i)(opera mini)/(\\d+)"},
        ],
        "os_parsers": [
            {"regex": "(Ubuntu|Arch Linux|(?:Free|Open|\\b)BSD|[A-z]+ix)"},
            {"regex": "(Windows NT 10\\.0)", "os_replacement": "Windows"},
        ],
        "device_parsers": [
            {"regex": "(iPhone)(?:;| Simulator;)", "brand_replacement": "Apple", "model_replacement": "$1"},
            {"regex": "; (SM-[^;]+) Build", "brand_replacement": "Samsung", "model_replacement": "$1"},
        ],
    });
    let words = Vocabulary::from_rules(&rules);
    for browser in ["Firefox", "SeaMonkey", "Edge"] {
        assert_eq!(words.browsers.fixed(browser), Some(browser));
    }
    assert_eq!(words.browsers.fixed("OPERA MINI"), Some("opera mini"));
    for open_ended in ["Evil Text", "Visit evil.example", "Edg", ""] {
        assert_eq!(words.browsers.fixed(open_ended), None, "{open_ended}");
    }
    for os in [
        "Ubuntu",
        "Arch Linux",
        "FreeBSD",
        "OpenBSD",
        "BSD",
        "Windows",
    ] {
        assert_eq!(words.oses.fixed(os), Some(os));
    }
    assert_eq!(words.oses.fixed("Unix"), None);
    assert_eq!(words.oses.fixed("Windows NT 10.0"), None, "replaced");
    assert_eq!(words.models.fixed("iPhone"), Some("iPhone"));
    assert_eq!(
        words.models.fixed("SM-G991B"),
        None,
        "copied from the agent"
    );
    assert_eq!(words.brands.fixed("Samsung"), Some("Samsung"));
}

#[test]
fn the_bundled_rules_name_the_common_browsers() {
    for browser in [
        "Firefox",
        "Chrome",
        "Safari",
        "Edge",
        "Opera",
        "Chrome Mobile",
    ] {
        assert_eq!(WORDS.browsers.fixed(browser), Some(browser));
    }
    for os in [
        "Windows", "Mac OS X", "iOS", "Android", "Linux", "Ubuntu", "Fedora",
    ] {
        assert_eq!(WORDS.oses.fixed(os), Some(os));
    }
    assert_eq!(WORDS.brands.fixed("Apple"), Some("Apple"));
    assert_eq!(WORDS.models.fixed("iPad"), Some("iPad"));
}
