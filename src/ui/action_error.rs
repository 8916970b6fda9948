//! The error of a form's last submission, as the words the page shows in its alert.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// A closure reading the error (if any) of `action`'s last submission as text.
pub fn action_error<S>(action: ServerAction<S>) -> impl Fn() -> Option<String> + Copy
where
    S: ServerFn + Send + Sync + Clone + 'static,
    S::Output: Clone + Send + Sync + 'static,
    S::Error: Clone + std::fmt::Display + Send + Sync + 'static,
{
    move || {
        action
            .value()
            .get()
            .and_then(|r| r.err())
            .map(|e| e.to_string())
    }
}
