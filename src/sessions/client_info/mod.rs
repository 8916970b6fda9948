//! Turning a stored user agent and IP into something a person recognises: "Firefox 132 on
//! Ubuntu", a phone icon, "Germany". Server-only; all data is compiled in (uap-core's regexes
//! and iptocc's registry tables), nothing is downloaded at run time.

mod countries;
mod place;

pub use place::country_of;

use crate::sessions::model::{ClientInfo, DeviceType, SessionKind};
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

/// User agent of our own CLI: `active-sessions-cli/VERSION (OS; ARCH)`.
pub const CLI_PRODUCT: &str = "active-sessions-cli";

static UAP: LazyLock<Option<ua_parser::Extractor<'static>>> = LazyLock::new(|| {
    let regexes: ua_parser::Regexes<'static> =
        match serde_json::from_str(include_str!("uap-regexes.json")) {
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
    if let Some(described) = describe_our_cli(ua) {
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

fn describe_our_cli(ua: &str) -> Option<Described> {
    let rest = ua.strip_prefix(CLI_PRODUCT)?.strip_prefix('/')?;
    let (version, platform) = match rest.split_once(' ') {
        Some((v, p)) => (v, p.trim().trim_start_matches('(').trim_end_matches(')')),
        None => (rest, ""),
    };
    let mut parts = platform.split(';').map(str::trim).filter(|p| !p.is_empty());
    let os = parts.next().map(pretty_os_name);
    let arch = parts.next().map(str::to_owned);
    let version = (!version.is_empty()).then(|| version.to_owned());
    let name = match &os {
        Some(os) => format!("active-sessions CLI on {os}"),
        None => "active-sessions CLI".to_owned(),
    };
    Some(Described {
        client: ClientInfo {
            client_name: Some("active-sessions CLI".into()),
            client_version: version,
            os_name: os,
            os_version: None,
            device_brand: None,
            device_model: arch,
        },
        device: DeviceType::Terminal,
        name,
    })
}

fn pretty_os_name(os: &str) -> String {
    match os.to_ascii_lowercase().as_str() {
        "linux" => "Linux".into(),
        "macos" | "darwin" => "macOS".into(),
        "windows" => "Windows".into(),
        "freebsd" => "FreeBSD".into(),
        _ => os.to_owned(),
    }
}

fn join_version(parts: &[Option<&str>]) -> Option<String> {
    let parts: Vec<&str> = parts
        .iter()
        .map_while(|p| *p)
        .filter(|p| !p.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join("."))
}

fn parse(ua: &str) -> ClientInfo {
    let Some(extractor) = UAP.as_ref() else {
        return ClientInfo::default();
    };
    let (agent, os, device) = extractor.extract(ua);
    let mut info = ClientInfo::default();
    if let Some(agent) = agent.filter(|a| a.family != "Other") {
        info.client_version = join_version(&[agent.major, agent.minor, agent.patch]);
        info.client_name = Some(agent.family.into_owned());
    }
    if let Some(os) = os.filter(|o| o.os != "Other") {
        info.os_version = join_version(&[
            os.major.as_deref(),
            os.minor.as_deref(),
            os.patch.as_deref(),
        ]);
        info.os_name = Some(match os.os.as_ref() {
            "Mac OS X" => "macOS".to_owned(),
            other => other.to_owned(),
        });
    }
    if let Some(device) = device.filter(|d| d.device != "Other" && d.device != "Spider") {
        info.device_brand = device
            .brand
            .map(|b| b.into_owned())
            .filter(|b| !b.starts_with("Generic"));
        info.device_model = device.model.map(|m| m.into_owned()).filter(|m| {
            !m.is_empty() && m != "K" && !m.starts_with("Smartphone") && !m.starts_with("Tablet")
        });
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
    } else if client.client_name.is_some() || !ua.starts_with("Mozilla/") {
        DeviceType::Terminal
    } else {
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
