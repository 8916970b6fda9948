//! Turning a stored user agent and IP into something a person recognises: "Firefox 132 on
//! Ubuntu", a phone icon, "Germany". Server-only; all data is compiled in (uap-core's regexes
//! and iptocc's registry tables), nothing is downloaded at run time.
//!
//! A name is made only of recognised words (SEC-44): the fixed family names of uap-core's rules
//! ([`vocabulary`]), versions of digits and dots, and our CLI's format with a known OS list
//! ([`cli`], CLI sessions only). Text the client wrote is never part of a name or an icon.

mod cli;
mod countries;
mod place;
pub mod vocabulary;

pub use place::country_of;

use crate::sessions::model::{ClientInfo, DeviceType, SessionKind};
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

/// User agent of our own CLI: `active-sessions-cli/VERSION (OS; ARCH)`.
pub const CLI_PRODUCT: &str = "active-sessions-cli";

/// uap-core's rules, as JSON.
static RULES_JSON: &str = include_str!("uap-regexes.json");

static UAP: LazyLock<Option<ua_parser::Extractor<'static>>> = LazyLock::new(|| {
    let regexes: ua_parser::Regexes<'static> = match serde_json::from_str(RULES_JSON) {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "bundled uap-core regexes do not parse");
            return None;
        }
    };
    ua_parser::Extractor::try_from(regexes)
        .map_err(|e| tracing::error!(error = %e, "bundled uap-core regexes do not compile"))
        .ok()
});

/// Compiles the user-agent rules now rather than on the first request.
pub fn warm_up() {
    LazyLock::force(&UAP);
    LazyLock::force(&vocabulary::WORDS);
}

/// What the page shows about a session's client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Described {
    /// Parsed fields.
    pub client: ClientInfo,
    /// Icon.
    pub device: DeviceType,
    /// Human name.
    pub name: String,
}

/// Parsed user agents by (kind, user agent): a page of 20 sessions would otherwise run uap-core's
/// regexes 20 times per request for strings that rarely change. Bounded: emptied when full, so a
/// client sending a new user agent on every request costs at most one parse each and no memory
/// growth. Holds no secret and nothing about who is signed in, so it cannot serve stale access.
static DESCRIBED: LazyLock<Mutex<DescribedCache>> = LazyLock::new(Default::default);
/// One map per kind (web, CLI), keyed by the user agent: a hit is looked up by `&str` and
/// allocates nothing.
type DescribedCache = [HashMap<Box<str>, Described>; 2];
const DESCRIBED_CAP: usize = 4096;

/// Describes the client behind `user_agent` for a session of `kind`.
pub fn describe(user_agent: Option<&str>, kind: SessionKind) -> Described {
    let Some(ua) = user_agent.filter(|ua| ua.len() <= MAX_CACHED_UA) else {
        return describe_uncached(user_agent, kind);
    };
    let slot = match kind {
        SessionKind::Web => 0,
        SessionKind::Cli => 1,
    };
    let cache = || {
        DESCRIBED
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    };
    if let Some(hit) = cache()[slot].get(ua) {
        return hit.clone();
    }
    let described = describe_uncached(Some(ua), kind);
    let mut cache = cache();
    if cache.iter().map(HashMap::len).sum::<usize>() >= DESCRIBED_CAP {
        cache.iter_mut().for_each(HashMap::clear);
    }
    cache[slot].insert(Box::from(ua), described.clone());
    described
}

/// Longer user agents are parsed every time rather than kept.
const MAX_CACHED_UA: usize = 512;

fn describe_uncached(user_agent: Option<&str>, kind: SessionKind) -> Described {
    let Some(ua) = user_agent.map(str::trim).filter(|ua| !ua.is_empty()) else {
        return Described {
            client: ClientInfo::default(),
            device: if kind == SessionKind::Cli {
                DeviceType::Terminal
            } else {
                DeviceType::Unknown
            },
            name: match kind {
                SessionKind::Cli => "Command-line client".into(),
                SessionKind::Web => "Unknown browser".into(),
            },
        };
    };
    // Only a CLI session is ever named or iconed as our CLI: anyone can send its user agent.
    if kind == SessionKind::Cli
        && let Some(described) = cli::describe(ua)
    {
        return described;
    }
    let client = parse(ua);
    let device = device_type(ua, &client, kind);
    let name = display_name(&client, device, kind);
    Described {
        client,
        device,
        name,
    }
}

/// "132.0.1" from the leading parts that are plain numbers (a rule may copy other text there).
fn join_version(parts: &[Option<&str>]) -> Option<String> {
    let parts: Vec<&str> = parts
        .iter()
        .map_while(|p| p.and_then(cli::plain_version))
        .collect();
    (!parts.is_empty()).then(|| parts.join("."))
}

fn parse(ua: &str) -> ClientInfo {
    let Some(extractor) = UAP.as_ref() else {
        return ClientInfo::default();
    };
    let words = &*vocabulary::WORDS;
    let (agent, os, device) = extractor.extract(ua);
    let mut info = ClientInfo::default();
    if let Some(agent) = agent
        && let Some(family) = words
            .browsers
            .fixed(&agent.family)
            .filter(|f| *f != "Other")
    {
        info.client_version = join_version(&[agent.major, agent.minor, agent.patch]);
        info.client_name = Some(family.to_owned());
    }
    if let Some(os) = os
        && let Some(name) = words.oses.fixed(&os.os).filter(|o| *o != "Other")
    {
        info.os_version = join_version(&[
            os.major.as_deref(),
            os.minor.as_deref(),
            os.patch.as_deref(),
        ]);
        info.os_name = Some(match name {
            "Mac OS X" => "macOS".to_owned(),
            other => other.to_owned(),
        });
    }
    if let Some(device) = device.filter(|d| d.device != "Other" && d.device != "Spider") {
        info.device_brand = device
            .brand
            .and_then(|b| words.brands.fixed(&b).map(str::to_owned))
            .filter(|b| !b.starts_with("Generic"));
        info.device_model = device
            .model
            .and_then(|m| words.models.fixed(&m).map(str::to_owned))
            .filter(|m| m != "K" && !m.starts_with("Smartphone") && !m.starts_with("Tablet"));
    }
    info
}

fn device_type(ua: &str, client: &ClientInfo, kind: SessionKind) -> DeviceType {
    let os = client.os_name.as_deref().unwrap_or_default();
    let model = client.device_model.as_deref().unwrap_or_default();
    if kind == SessionKind::Cli {
        return DeviceType::Terminal;
    }
    if model.starts_with("iPad") || ua.contains("Tablet") {
        DeviceType::Tablet
    } else if model.starts_with("iPhone") || ua.contains("Mobile") || os == "iOS" {
        DeviceType::Phone
    } else if os == "Android" {
        DeviceType::Tablet
    } else if matches!(
        os,
        "Windows"
            | "macOS"
            | "Linux"
            | "Ubuntu"
            | "Fedora"
            | "Debian"
            | "Chrome OS"
            | "ChromeOS"
            | "FreeBSD"
    ) || (client.client_name.is_some() && ua.starts_with("Mozilla/"))
    {
        DeviceType::Desktop
    } else {
        // A browser session is never shown with the terminal icon, whatever it sent.
        DeviceType::Unknown
    }
}

/// "Mobile Safari" → "Safari", "Chrome Mobile iOS" → "Chrome".
fn short_browser(name: &str) -> String {
    let name = name
        .trim_start_matches("Mobile ")
        .replace(" Mobile iOS", "")
        .replace(" Mobile", "")
        .replace(" iOS", "");
    match name.as_str() {
        "Chrome WebView" => "Android WebView".into(),
        _ => name,
    }
}

fn major(version: Option<&str>) -> Option<&str> {
    version
        .and_then(|v| v.split('.').next())
        .filter(|v| !v.is_empty())
}

fn display_name(client: &ClientInfo, device: DeviceType, kind: SessionKind) -> String {
    let browser = client.client_name.as_deref().map(short_browser);
    let os = client
        .os_name
        .as_deref()
        .map(|os| match (os, major(client.os_version.as_deref())) {
            ("Windows" | "Android" | "iOS", Some(v)) => format!("{os} {v}"),
            _ => os.to_owned(),
        });
    let on_device = matches!(device, DeviceType::Phone | DeviceType::Tablet)
        .then(|| client.device_model.clone())
        .flatten();
    match (browser, on_device, os) {
        (Some(b), Some(model), _) => format!("{b} on {model}"),
        (Some(b), None, Some(os)) => match major(client.client_version.as_deref()) {
            Some(v) => format!("{b} {v} on {os}"),
            None => format!("{b} on {os}"),
        },
        (Some(b), None, None) => match major(client.client_version.as_deref()) {
            Some(v) => format!("{b} {v}"),
            None => b,
        },
        (None, Some(model), _) => format!("Browser on {model}"),
        (None, None, Some(os)) => format!("Unknown browser on {os}"),
        (None, None, None) => match kind {
            SessionKind::Cli => "Command-line client".into(),
            SessionKind::Web => "Unknown browser".into(),
        },
    }
}

#[cfg(test)]
mod tests;
