//! Query strings of the app's own redirects, percent-encoded with the `percent-encoding` crate.
//! `/` stays readable (`/login?next=/settings/sessions`), as RFC 3986 allows in a query.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Everything but unreserved characters and `/`.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/');

/// `path?k1=v1&k2=v2` with the values encoded; pairs whose value is `None` are left out.
pub fn with_query(path: &str, pairs: &[(&str, Option<&str>)]) -> String {
    let mut url = path.to_owned();
    let mut sep = '?';
    for (key, value) in pairs {
        if let Some(value) = value {
            url.push(sep);
            url.push_str(key);
            url.push('=');
            url.extend(utf8_percent_encode(value, QUERY_VALUE));
            sep = '&';
        }
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_values_and_keeps_slashes() {
        assert_eq!(
            with_query("/login", &[("next", Some("/settings/sessions?kind=cli"))]),
            "/login?next=/settings/sessions%3Fkind%3Dcli"
        );
        assert_eq!(
            with_query(
                "/login",
                &[
                    ("error", Some("rate_limited")),
                    ("x", None),
                    ("n", Some("é &"))
                ]
            ),
            "/login?error=rate_limited&n=%C3%A9%20%26"
        );
    }

    proptest::proptest! {
        // Redirect URLs: any value round-trips and cannot add parameters or break out.
        #[test]
        fn fuzz_query_values_round_trip(value in "\\PC{0,60}") {
            let url = with_query("/login", &[("next", Some(&value))]);
            let encoded = url.strip_prefix("/login?next=").unwrap();
            proptest::prop_assert!(!encoded.contains(['&', '?', '#', ' ', '=']));
            let decoded = percent_encoding::percent_decode_str(encoded).decode_utf8().unwrap();
            proptest::prop_assert_eq!(decoded, value);
        }
    }
}
