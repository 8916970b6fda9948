//! Where an address is: the country of a public IP, from iptocc's compiled-in registry tables.

use crate::sessions::client_info::countries;
use crate::sessions::model::Country;
use std::net::IpAddr;

/// The country of a public IP; none for loopback, private, link-local and other special ranges.
pub fn country_of(ip: &str) -> Option<Country> {
    let ip: IpAddr = ip.parse().ok()?;
    if !is_public(ip) {
        return None;
    }
    let code = iptocc::country_code(ip)?;
    let name = countries::COUNTRIES
        .binary_search_by(|(c, _)| (*c).cmp(code))
        .map(|i| countries::COUNTRIES[i].1.to_owned())
        .unwrap_or_else(|_| code.to_owned());
    Some(Country {
        code: code.to_owned(),
        name,
    })
}

fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || v4.is_multicast()
                || (a == 100 && (64..128).contains(&b)))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || first == 0x2001 && v6.segments()[1] == 0x0db8)
        }
    }
}
