//! Our own CLI's user agent, `active-sessions-cli/VERSION (OS; ARCH)` (`crates/cli`), read only
//! for sessions that are CLI sessions (SEC-44). The OS and architecture become fixed words from a
//! known list (Rust's `std::env::consts` values, which the CLI sends); anything else is "Unknown
//! OS" or left out, so nothing a client writes there reaches a name.

use super::{CLI_PRODUCT, Described};
use crate::sessions::model::{ClientInfo, DeviceType};

/// The product as people read it.
const CLI_NAME: &str = "active-sessions CLI";

/// The description of `ua` when it has our CLI's format.
pub fn describe(ua: &str) -> Option<Described> {
    let rest = ua.strip_prefix(CLI_PRODUCT)?.strip_prefix('/')?;
    let (version, platform) = match rest.split_once(' ') {
        Some((v, p)) => (v, p.trim().trim_start_matches('(').trim_end_matches(')')),
        None => (rest, ""),
    };
    let mut parts = platform.split(';').map(str::trim);
    let os = parts.next().and_then(os_name);
    let arch = parts.next().and_then(arch_name);
    Some(Described {
        client: ClientInfo {
            client_name: Some(CLI_NAME.into()),
            client_version: plain_version(version).map(str::to_owned),
            os_name: os.map(str::to_owned),
            os_version: None,
            device_brand: None,
            device_model: arch.map(str::to_owned),
        },
        device: DeviceType::Terminal,
        name: format!("{CLI_NAME} on {}", os.unwrap_or("Unknown OS")),
    })
}

/// The OS names the CLI can send (`std::env::consts::OS`), in words.
fn os_name(os: &str) -> Option<&'static str> {
    Some(match os.to_ascii_lowercase().as_str() {
        "linux" => "Linux",
        "macos" | "darwin" => "macOS",
        "windows" => "Windows",
        "freebsd" => "FreeBSD",
        "openbsd" => "OpenBSD",
        "netbsd" => "NetBSD",
        "dragonfly" => "DragonFly BSD",
        "illumos" => "illumos",
        "solaris" => "Solaris",
        "android" => "Android",
        "ios" => "iOS",
        "haiku" => "Haiku",
        _ => return None,
    })
}

/// The architectures the CLI can send (`std::env::consts::ARCH`).
fn arch_name(arch: &str) -> Option<&'static str> {
    const KNOWN: &[&str] = &[
        "x86_64",
        "x86",
        "aarch64",
        "arm",
        "riscv64",
        "powerpc64",
        "powerpc",
        "s390x",
        "loongarch64",
        "mips64",
        "mips",
        "sparc64",
    ];
    KNOWN.iter().copied().find(|known| *known == arch)
}

/// A version made of digits and dots only ("0.3.0"), else nothing.
pub fn plain_version(version: &str) -> Option<&str> {
    let ok = (1..=32).contains(&version.len())
        && version.split('.').all(|part| {
            !part.is_empty() && part.len() <= 9 && part.bytes().all(|b| b.is_ascii_digit())
        });
    ok.then_some(version)
}
