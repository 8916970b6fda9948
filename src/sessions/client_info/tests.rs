//! Names, icons and places for real user agents and addresses.
use super::*;

const FIREFOX_UBUNTU: &str =
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0";
const SAFARI_IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) \
    AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
const CHROME_WINDOWS: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 \
    (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const SAFARI_IPAD: &str = "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 \
    (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

#[test]
fn names_common_browsers() {
    let ff = describe(Some(FIREFOX_UBUNTU), SessionKind::Web);
    assert_eq!(ff.name, "Firefox 132 on Ubuntu");
    assert_eq!(ff.device, DeviceType::Desktop);

    let safari = describe(Some(SAFARI_IPHONE), SessionKind::Web);
    assert_eq!(safari.name, "Safari on iPhone");
    assert_eq!(safari.device, DeviceType::Phone);
    assert_eq!(safari.client.device_brand.as_deref(), Some("Apple"));
    assert_eq!(safari.client.os_name.as_deref(), Some("iOS"));

    let chrome = describe(Some(CHROME_WINDOWS), SessionKind::Web);
    assert_eq!(chrome.name, "Chrome 131 on Windows 10");
    assert_eq!(chrome.device, DeviceType::Desktop);

    assert_eq!(
        describe(Some(SAFARI_IPAD), SessionKind::Web).device,
        DeviceType::Tablet
    );
}

#[test]
fn names_our_cli_and_missing_agents() {
    let cli = describe(
        Some("active-sessions-cli/0.1.0 (linux; x86_64)"),
        SessionKind::Cli,
    );
    assert_eq!(cli.name, "active-sessions CLI on Linux");
    assert_eq!(cli.device, DeviceType::Terminal);
    assert_eq!(cli.client.client_version.as_deref(), Some("0.1.0"));

    assert_eq!(describe(None, SessionKind::Cli).name, "Command-line client");
    assert_eq!(
        describe(Some("  "), SessionKind::Web).name,
        "Unknown browser"
    );
    let odd = describe(Some("<script>alert(1)</script>"), SessionKind::Web);
    assert!(!odd.name.is_empty());
}

// SEC-44: a browser session that sends our CLI's user agent is not named or iconed as the CLI.
#[test]
fn only_cli_sessions_are_named_as_the_cli() {
    const CLI_UA: &str = "active-sessions-cli/0.3.0 (linux; x86_64)";
    let cli = describe(Some(CLI_UA), SessionKind::Cli);
    assert_eq!(cli.name, "active-sessions CLI on Linux");
    assert_eq!(cli.device, DeviceType::Terminal);
    let browser = describe(Some(CLI_UA), SessionKind::Web);
    assert!(!browser.name.contains("CLI"), "{}", browser.name);
    assert_ne!(browser.device, DeviceType::Terminal);
    assert_ne!(
        browser.client.client_name.as_deref(),
        Some("active-sessions CLI")
    );
    // No browser session gets the terminal icon, whatever it sends.
    for ua in ["curl/8.5.0", "python-requests/2.31", "<b>x</b>"] {
        assert_ne!(
            describe(Some(ua), SessionKind::Web).device,
            DeviceType::Terminal,
            "{ua}"
        );
    }
}

// SEC-44: only known OS words from our CLI's format; the rest of what it sends is dropped.
#[test]
fn cli_names_use_a_known_os_list() {
    for (ua, name) in [
        (
            "active-sessions-cli/1 (ANY TEXT; x)",
            "active-sessions CLI on Unknown OS",
        ),
        (
            "active-sessions-cli/1 (<a href=x>EVIL TEXT; x)",
            "active-sessions CLI on Unknown OS",
        ),
        (
            "active-sessions-cli/1 (macos; aarch64)",
            "active-sessions CLI on macOS",
        ),
        (
            "active-sessions-cli/1 (WINDOWS; x86_64)",
            "active-sessions CLI on Windows",
        ),
        ("active-sessions-cli/1", "active-sessions CLI on Unknown OS"),
        (
            "active-sessions-cli/1 (linuxx; x86_64)",
            "active-sessions CLI on Unknown OS",
        ),
    ] {
        assert_eq!(describe(Some(ua), SessionKind::Cli).name, name, "{ua}");
    }
    let odd = describe(
        Some("active-sessions-cli/9.9-visit.evil.example (linux; see evil.example)"),
        SessionKind::Cli,
    );
    assert_eq!(
        odd.client.client_version, None,
        "a version is digits and dots"
    );
    assert_eq!(
        odd.client.device_model, None,
        "unknown architecture dropped"
    );
    assert_eq!(odd.client.os_name.as_deref(), Some("Linux"));
}

// SEC-44: text a uap rule copies from the agent (a bot's name, a model, a version) is dropped.
#[test]
fn captured_text_never_reaches_a_name() {
    for ua in [
        "Visit evil.example NOW-iPhone/1.0 CFNetwork/1 Darwin/20.0.0",
        "Mozilla/5.0 (Linux; Android 14; CALL +1 555 0100 Build/UP1A) AppleWebKit/537.36 \
         (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (compatible; WIN BIG AT EVIL DOT EXAMPLE bot/1.0)",
        "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0evil",
    ] {
        let described = describe(Some(ua), SessionKind::Web);
        let shown = format!("{} {:?}", described.name, described.client);
        for word in ["evil", "EVIL", "CALL", "555", "NOW", "BIG"] {
            assert!(!shown.contains(word), "{word} from {ua:?} shown: {shown}");
        }
    }
}

#[test]
fn countries_only_for_public_addresses() {
    assert_eq!(country_of("8.8.8.8").map(|c| c.code), Some("US".into()));
    assert_eq!(
        country_of("8.8.8.8").map(|c| c.name),
        Some("United States".into())
    );
    for private in [
        "127.0.0.1",
        "10.1.2.3",
        "192.168.0.1",
        "::1",
        "fe80::1",
        "fd00::1",
        "100.64.0.1",
        "nonsense",
    ] {
        assert_eq!(country_of(private), None, "{private}");
    }
}

#[test]
fn parsed_user_agents_are_remembered_within_a_bound() {
    let first = describe(Some(FIREFOX_UBUNTU), SessionKind::Web);
    assert_eq!(
        super::DESCRIBED.lock().unwrap()[0].get(FIREFOX_UBUNTU),
        Some(&first),
        "kept after the first parse"
    );
    assert_eq!(describe(Some(FIREFOX_UBUNTU), SessionKind::Web), first);
    // The kind is part of the key: the same string names a terminal for a CLI session.
    assert_eq!(
        describe(Some(FIREFOX_UBUNTU), SessionKind::Cli).device,
        DeviceType::Terminal
    );
    // A client sending a new user agent on every request cannot grow the cache without bound.
    for i in 0..super::DESCRIBED_CAP + 10 {
        let ua = format!("Mozilla/5.0 (X11; Linux x86_64; rv:{i}.0) Gecko/20100101 Firefox/{i}.0");
        assert_eq!(
            describe(Some(&ua), SessionKind::Web).name,
            format!("Firefox {i} on Linux")
        );
    }
    let kept: usize = super::DESCRIBED
        .lock()
        .unwrap()
        .iter()
        .map(|m| m.len())
        .sum();
    assert!(kept <= super::DESCRIBED_CAP, "{kept} kept");
}
