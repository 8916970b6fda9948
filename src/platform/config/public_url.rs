//! `PUBLIC_URL`, parsed once with the `url` crate: the origin users reach, from which email and
//! CLI links are built.

use url::Url;

/// An `http://` or `https://` URL with a host. A path in it (a deployment under a prefix) is
/// kept in front of every link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicUrl(Url);

impl PublicUrl {
    /// Parses `value`, with the message a configuration error shows when it is not one.
    pub fn parse(value: &str) -> Result<Self, &'static str> {
        if !(value.starts_with("http://") || value.starts_with("https://")) {
            return Err("must start with http:// or https://");
        }
        let mut url = Url::parse(value).map_err(|_| "is not a valid URL")?;
        if url.host_str().is_none_or(str::is_empty) {
            return Err("is not a valid URL");
        }
        // Links are joined below the path: it must end in `/` to stay part of them.
        if !url.path().ends_with('/') {
            let path = format!("{}/", url.path());
            url.set_path(&path);
        }
        url.set_query(None);
        url.set_fragment(None);
        Ok(Self(url))
    }

    /// Whether it is served over https (`Secure` `__Host-` cookies and HSTS).
    pub fn is_https(&self) -> bool {
        self.0.scheme() == "https"
    }

    /// The parsed URL (the relying party of passkeys is built from it).
    pub fn url(&self) -> &Url {
        &self.0
    }

    /// The host, for `Message-ID`s.
    pub fn host(&self) -> Option<&str> {
        self.0.host_str()
    }

    /// The absolute URL of the app's `path` (`/settings/sessions`, `/cli/approve?code=…`).
    pub fn link(&self, path: &str) -> String {
        self.0.join(path.trim_start_matches('/')).map_or_else(
            |_| format!("{}{path}", self.0.as_str().trim_end_matches('/')),
            String::from,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::PublicUrl;

    #[test]
    fn links_keep_the_origin_and_any_prefix() {
        let url = PublicUrl::parse("https://Sessions.Example").unwrap();
        assert!(url.is_https());
        assert_eq!(url.host(), Some("sessions.example"));
        assert_eq!(
            url.link("/cli/approve?code=BCDF-GHJK"),
            "https://sessions.example/cli/approve?code=BCDF-GHJK"
        );
        let prefixed = PublicUrl::parse("http://h.example:8080/app").unwrap();
        assert!(!prefixed.is_https());
        assert_eq!(
            prefixed.link("/not-me/x"),
            "http://h.example:8080/app/not-me/x"
        );
        for bad in ["example.com", "ftp://h", "https://", "http://a b"] {
            assert!(PublicUrl::parse(bad).is_err(), "{bad}");
        }
    }
}
