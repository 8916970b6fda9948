//! What made a request fail on the server's side (a database error, a bug): carried inside
//! [`AppError::Internal`](super::AppError::Internal) and
//! [`AppError::Unavailable`](super::AppError::Unavailable) to the edge that logs it, never
//! serialised and never shown to the client (SEC-25).

use std::error::Error;
use std::fmt;
use std::sync::Arc;

/// A shared, cloneable cause. It takes no part in equality: two errors that differ only in their
/// cause look the same to the client.
#[derive(Clone)]
pub struct Cause(Arc<dyn Error + Send + Sync>);

impl Cause {
    /// Wraps `cause` (any error, or a `&str`/`String` describing one).
    pub fn new(cause: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        Self(Arc::from(cause.into()))
    }

    /// The cause and every cause beneath it, `outer: inner`, without repeating a message the
    /// line already holds (sqlx and anyhow often repeat their inner error's text).
    pub fn chain(&self) -> String {
        let mut line = self.0.to_string();
        let mut next = self.0.source();
        while let Some(inner) = next {
            let text = inner.to_string();
            if !line.contains(&text) {
                line.push_str(": ");
                line.push_str(&text);
            }
            next = inner.source();
        }
        line
    }
}

impl fmt::Debug for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Cause").field(&self.chain()).finish()
    }
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Error for Cause {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.0.source()
    }
}

impl PartialEq for Cause {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Cause {}

#[cfg(test)]
mod tests {
    use super::Cause;

    #[derive(Debug, thiserror::Error)]
    #[error("query failed: {0}")]
    struct Outer(#[source] Inner);

    #[derive(Debug, thiserror::Error)]
    #[error("no such table: auth_events")]
    struct Inner;

    #[test]
    fn the_chain_says_each_thing_once() {
        assert_eq!(
            Cause::new(Outer(Inner)).chain(),
            "query failed: no such table: auth_events"
        );
        assert_eq!(Cause::new("no state").chain(), "no state");
    }
}
