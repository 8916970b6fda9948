//! The background sender: drains the outbox whenever a sign-in queued a message (and every
//! couple of seconds, for messages queued by other instances and for retries), with exponential
//! backoff on failure. Failures are logged with the SMTP reason, never with the message (which
//! holds the not-me link).

use crate::alerts::{outbox, repository};
use crate::platform::ids::UnixTime;
use crate::platform::{mail::Mailer, mail::OutgoingMail, state::AppState};
use std::time::Duration;

/// How long a claimed message is reserved for the sender that claimed it.
pub const LEASE_SECS: i64 = 120;
/// How often the outbox is checked without a wake-up.
pub const POLL_INTERVAL: Duration = Duration::from_secs(2);
/// Sent messages are kept this long (then purged).
pub const KEEP_SENT_SECS: i64 = 7 * 24 * 3600;

/// Seconds to wait before attempt `attempts + 1`: 10 s, 20 s, 40 s … at most an hour.
pub fn backoff_secs(attempts: i64) -> i64 {
    let exponent = attempts.clamp(1, 20) - 1;
    (10_i64 << exponent).min(3600)
}

/// Starts the sender when mail is configured; abort the handle to stop it.
pub fn spawn(state: AppState) -> Option<tokio::task::JoinHandle<()>> {
    let mailer = state.mailer.clone()?;
    Some(tokio::spawn(run(state, mailer)))
}

async fn run(state: AppState, mailer: Mailer) {
    let mut last_purge: Option<UnixTime> = None;
    loop {
        drain(&state, &mailer).await;
        let now = state.now();
        if last_purge.is_none_or(|at| now.secs_since(at) >= 3600) {
            last_purge = Some(now);
            purge(&state, now).await;
        }
        tokio::select! {
            () = state.outbox_wakeup.notified() => {}
            () = tokio::time::sleep(POLL_INTERVAL) => {}
        }
    }
}

/// Sends every due message; returns how many were sent.
pub async fn drain(state: &AppState, mailer: &Mailer) -> usize {
    let mut sent = 0;
    loop {
        let now = state.now();
        let claimed = match outbox::claim(&state.db, now, now + LEASE_SECS).await {
            Ok(Some(claimed)) => claimed,
            Ok(None) => return sent,
            Err(e) => {
                tracing::warn!(error = %e, "outbox: could not claim a message");
                return sent;
            }
        };
        if send_one(state, mailer, claimed).await {
            sent += 1;
        }
    }
}

async fn send_one(state: &AppState, mailer: &Mailer, claimed: outbox::Claimed) -> bool {
    let to = match outbox::recipient(&state.db, claimed.user_id).await {
        Ok(Some(to)) => to,
        Ok(None) => {
            let _ = outbox::drop_message(&state.db, claimed.id).await;
            return false;
        }
        Err(e) => {
            tracing::warn!(error = %e, outbox_id = claimed.id, "outbox: recipient lookup failed");
            let retry_at = state.now() + backoff_secs(claimed.attempts);
            let _ = outbox::mark_failed(&state.db, claimed.id, "database", retry_at).await;
            return false;
        }
    };
    let mail = OutgoingMail {
        to,
        subject: claimed.subject,
        text: claimed.text_body,
        html: claimed.html_body,
        message_id: format!("{}@{}", claimed.idempotency_key, message_id_host(state)),
    };
    crate::platform::failpoint::hit("outbox_before_send");
    match mailer.send(&mail).await {
        Ok(()) => {
            tracing::info!(
                event = "alert_sent",
                outbox_id = claimed.id,
                attempts = claimed.attempts,
                "mail"
            );
            if let Err(e) = outbox::mark_sent(&state.db, claimed.id, state.now()).await {
                tracing::warn!(error = %e, outbox_id = claimed.id, "outbox: could not mark sent");
            }
            true
        }
        Err(e) => {
            let wait = backoff_secs(claimed.attempts);
            tracing::warn!(
                event = "alert_send_failed",
                outbox_id = claimed.id,
                attempts = claimed.attempts,
                retry_in_secs = wait,
                reason = %e,
                "mail"
            );
            let reason = e.to_string();
            let _ = outbox::mark_failed(&state.db, claimed.id, &reason, state.now() + wait).await;
            false
        }
    }
}

/// The host part of `Message-ID`s: `PUBLIC_URL`'s host.
fn message_id_host(state: &AppState) -> String {
    state
        .config
        .public_url
        .as_ref()
        .and_then(|url| url.host())
        .unwrap_or("active-sessions.invalid")
        .to_owned()
}

async fn purge(state: &AppState, now: UnixTime) {
    match outbox::purge(&state.db, now - KEEP_SENT_SECS, now - KEEP_SENT_SECS).await {
        Ok((_, given_up)) if given_up > 0 => {
            tracing::warn!(
                count = given_up,
                "outbox: gave up on messages older than 7 days"
            );
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "outbox: purge failed"),
    }
    if let Err(e) = repository::purge(&state.db, now - KEEP_SENT_SECS).await {
        tracing::warn!(error = %e, "not-me tokens: purge failed");
    }
}

#[cfg(test)]
mod tests {
    use super::backoff_secs;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff_secs(1), 10);
        assert_eq!(backoff_secs(2), 20);
        assert_eq!(backoff_secs(3), 40);
        assert_eq!(backoff_secs(10), 3600);
        assert_eq!(backoff_secs(1000), 3600);
    }
}
