//! The passkey relying party, derived from `PUBLIC_URL`: its host is the RP id and its origin
//! (scheme, host, port) the only origin accepted. WebAuthn needs a domain: without `PUBLIC_URL`,
//! or with an IP address in it, passkeys are off and the pages say so (never a crash).

use crate::platform::config::PublicUrl;
use webauthn_rs::prelude::Url;
use webauthn_rs::{Webauthn, WebauthnBuilder};

/// The name browsers show in their passkey prompts.
const RP_NAME: &str = "Active sessions";

/// The relying party for `public_url`, or `None` (with a warning) when WebAuthn refuses it.
pub fn relying_party(public_url: Option<&PublicUrl>) -> Option<Webauthn> {
    let Some(public_url) = public_url else {
        tracing::info!("PUBLIC_URL is not set: passkeys are off");
        return None;
    };
    let url = public_url.url();
    let host = url.host_str()?;
    let origin = Url::parse(&url.origin().ascii_serialization()).ok()?;
    let built = WebauthnBuilder::new(host, &origin)
        .map(|builder| builder.rp_name(RP_NAME))
        .and_then(WebauthnBuilder::build);
    match built {
        Ok(webauthn) => Some(webauthn),
        Err(e) => {
            tracing::warn!(error = %e, host, "passkeys are off: WebAuthn refuses this PUBLIC_URL");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rp(url: &str) -> Option<Webauthn> {
        relying_party(Some(&PublicUrl::parse(url).unwrap()))
    }

    #[test]
    fn a_domain_makes_a_relying_party_and_an_address_does_not() {
        assert!(rp("http://localhost:3000").is_some());
        assert!(rp("https://sessions.example/app").is_some());
        assert!(rp("http://127.0.0.1:3000").is_none());
        assert!(rp("http://[::1]:3000").is_none());
        assert!(relying_party(None).is_none());
    }
}
