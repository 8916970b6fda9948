//! Crash points for tests (SEC-36): in debug builds, `ACTIVE_SESSIONS_FAILPOINT=<name>` makes the
//! process abort when it reaches the point of that name, e.g. after a sign-in's rows are written
//! and before they commit, so a test can kill the server at a known place instead of at a random
//! moment. Release builds compile the points to nothing.

/// Aborts the process here if the failpoint `name` is armed (debug builds only).
#[cfg(debug_assertions)]
pub fn hit(name: &str) {
    static ARMED: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let armed = ARMED.get_or_init(|| std::env::var("ACTIVE_SESSIONS_FAILPOINT").ok());
    if armed.as_deref() == Some(name) {
        eprintln!("failpoint {name}: aborting");
        std::process::abort();
    }
}

/// Release builds: no failpoints.
#[cfg(not(debug_assertions))]
#[inline(always)]
pub fn hit(_name: &str) {}
