//! The sessions page's state in its URL (`/settings/sessions?kind=cli&signed_out=2`): one struct,
//! written and read with `serde_qs`, which the browser build already carries for Leptos' server
//! functions (so the wasm gains only this struct's code, not a second query-string crate).
//!
//! The keys are contracts (links, plain HTML forms without JavaScript, the end-to-end tests).
//! A value that does not parse counts as absent, as before: `?kind=tablet` shows every session.

use crate::sessions::model::SessionKind;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The page the sessions list is on.
pub const SESSIONS_PATH: &str = "/settings/sessions";

/// What the query string of the sessions page asks for. Fields are written in this order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PageQuery {
    /// `kind=web|cli`: the filter (absent: all).
    #[serde(skip_serializing_if = "Option::is_none", deserialize_with = "kind")]
    pub kind: Option<SessionKind>,
    /// `revoke=ID`: the revoke dialog for that session (the no-JavaScript form).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoke: Option<String>,
    /// `not_me=ID`: the "Not you?" dialog for that session.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_me: Option<String>,
    /// `rename=ID`: that session's name field, open.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rename: Option<String>,
    /// `signout_others=1`: the "sign out all other sessions" dialog (any value opens it).
    #[serde(
        skip_serializing_if = "std::ops::Not::not",
        serialize_with = "one",
        deserialize_with = "present"
    )]
    pub signout_others: bool,
    /// `signout_weak=1`: the "sign out sessions without two-step" dialog (any value opens it).
    #[serde(
        skip_serializing_if = "std::ops::Not::not",
        serialize_with = "one",
        deserialize_with = "present"
    )]
    pub signout_weak: bool,
    /// `signed_out=N`: the notice after signing out N other sessions.
    #[serde(skip_serializing_if = "Option::is_none", deserialize_with = "count")]
    pub signed_out: Option<u64>,
}

impl PageQuery {
    /// The list with `kind`'s filter and nothing else.
    pub fn filtered(kind: Option<SessionKind>) -> Self {
        Self {
            kind,
            ..Self::default()
        }
    }

    /// Reads a query string (without its `?`); one that does not parse at all is a plain visit.
    pub fn parse(search: &str) -> Self {
        serde_qs::from_str(search).unwrap_or_default()
    }

    /// No dialog, form or notice: only, perhaps, a filter.
    pub fn is_plain(&self) -> bool {
        *self == Self::filtered(self.kind)
    }

    /// `/settings/sessions` with this query.
    pub fn url(&self) -> String {
        match serde_qs::to_string(self) {
            Ok(query) if !query.is_empty() => format!("{SESSIONS_PATH}?{query}"),
            _ => SESSIONS_PATH.to_owned(),
        }
    }
}

/// The value as text, or `None` when it is not text at all.
fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(d).unwrap_or_default())
}

fn kind<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SessionKind>, D::Error> {
    Ok(text(d)?.as_deref().and_then(SessionKind::parse))
}

fn count<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    Ok(text(d)?.and_then(|n| n.parse().ok()))
}

fn present<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    text(d).map(|_| true)
}

fn one<S: Serializer>(_: &bool, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str("1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_keep_their_contracts() {
        let list = |kind, signed_out| {
            PageQuery {
                signed_out,
                ..PageQuery::filtered(kind)
            }
            .url()
        };
        assert_eq!(list(None, None), "/settings/sessions");
        assert_eq!(
            list(Some(SessionKind::Cli), None),
            "/settings/sessions?kind=cli"
        );
        assert_eq!(list(None, Some(3)), "/settings/sessions?signed_out=3");
        assert_eq!(
            list(Some(SessionKind::Web), Some(1)),
            "/settings/sessions?kind=web&signed_out=1"
        );
        let all = PageQuery {
            kind: Some(SessionKind::Cli),
            revoke: Some("a".into()),
            not_me: Some("b".into()),
            rename: Some("c".into()),
            signout_others: true,
            signout_weak: true,
            signed_out: Some(2),
        };
        assert_eq!(
            all.url(),
            "/settings/sessions?kind=cli&revoke=a&not_me=b&rename=c&signout_others=1\
             &signout_weak=1&signed_out=2"
        );
        assert_eq!(PageQuery::parse(all.url().split_once('?').unwrap().1), all);
    }

    #[test]
    fn what_does_not_parse_is_absent() {
        assert_eq!(PageQuery::parse(""), PageQuery::default());
        let q = PageQuery::parse("kind=tablet&signed_out=lots&rename=x1");
        assert_eq!((q.kind, q.signed_out), (None, None));
        assert_eq!(q.rename.as_deref(), Some("x1"));
        assert!(!q.is_plain());
        assert!(PageQuery::parse("signout_others=").signout_others);
        assert!(PageQuery::parse("kind=web&utm=x").is_plain());
        for hostile in [
            "%zz",
            "revoke[a]=1",
            "&&==",
            "kind=%C3%28",
            "revoke=a&revoke=b",
        ] {
            let _ = PageQuery::parse(hostile);
        }
    }
}
