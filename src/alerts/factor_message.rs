//! "Two-step sign-in was turned on", "… turned off", "A passkey was added" and "… removed": the same plain style as the sign-in
//! alert, a text part and an HTML part with the same words, no images, no tracking.

use crate::alerts::message::{Composed, PRODUCT, escape};

/// What the message reports.
#[derive(Debug, Clone)]
pub struct FactorChange<'a> {
    /// What happened.
    pub event: FactorEvent,
    /// When, in UTC ("26 Nov 2026, 14:02 UTC").
    pub when: &'a str,
    /// The security settings page.
    pub security_url: &'a str,
    /// The password page.
    pub password_url: &'a str,
}

/// What changed in the account's two-step sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactorEvent {
    /// An authenticator app was turned on.
    TurnedOn,
    /// The authenticator app was turned off.
    TurnedOff,
    /// A passkey was added.
    PasskeyAdded,
    /// A passkey was removed.
    PasskeyRemoved,
}

/// The change as a message.
pub fn two_step_changed(change: &FactorChange<'_>) -> Composed {
    let (subject, what, advice) = match change.event {
        FactorEvent::PasskeyAdded => (
            "A passkey was added",
            "A passkey was added to your account: it signs in without the password, and it now \
             confirms sensitive actions.",
            "If it was not you, someone has your password and a session: change your password \
             (that signs out every other session), then remove the passkey on the two-step \
             sign-in page.",
        ),
        FactorEvent::PasskeyRemoved => (
            "A passkey was removed",
            "A passkey was removed from your account: it no longer signs in or confirms \
             sensitive actions.",
            "If it was not you, someone has your password and a session: change your password \
             (that signs out every other session), then check your passkeys on the two-step \
             sign-in page.",
        ),
        FactorEvent::TurnedOn => (
            "Two-step sign-in was turned on",
            "An authenticator app was turned on for your account: signing in now also asks for a \
             code from it.",
            "If it was not you, someone has your password and a session: change your password \
             (that signs out every other session), then check two-step sign-in.",
        ),
        FactorEvent::TurnedOff => (
            "Two-step sign-in was turned off",
            "The authenticator app of your account was turned off, and its recovery codes were \
             deleted: signing in now asks for the password alone.",
            "If it was not you, someone has your password and a session: change your password \
             (that signs out every other session), then turn two-step sign-in on again.",
        ),
    };
    let text = format!(
        "{subject}\n\
         \n\
         {what}\n\
         \n\
         Time:     {when}\n\
         \n\
         If this was you, there is nothing to do.\n\
         \n\
         {advice}\n\
         \n\
         Change your password: {password}\n\
         Two-step sign-in: {security}\n\
         \n\
         -- \n\
         {PRODUCT}. You get this email because the two-step sign-in of your account changed.\n",
        when = change.when,
        password = change.password_url,
        security = change.security_url,
    );
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{subject}</title></head>\
         <body style=\"margin:0;padding:24px;background:#f6f7f9;font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#1f2328\">\
         <div style=\"max-width:560px;margin:0 auto;background:#ffffff;border:1px solid #d0d7de;border-radius:8px;padding:24px\">\
         <p style=\"margin:0 0 8px;font-size:14px;color:#57606a\">{PRODUCT}</p>\
         <h1 style=\"margin:0 0 16px;font-size:22px\">{subject}</h1>\
         <p>{what}</p>\
         <p style=\"color:#57606a\">Time: {when}</p>\
         <p>If this was you, there is nothing to do.</p>\
         <p>{advice}</p>\
         <p><a href=\"{password}\" style=\"color:#0969da\">Change your password</a> · \
         <a href=\"{security}\" style=\"color:#0969da\">Two-step sign-in</a></p>\
         <hr style=\"border:none;border-top:1px solid #d0d7de;margin:24px 0 12px\">\
         <p style=\"font-size:12px;color:#57606a;margin:0\">{PRODUCT}. You get this email because the two-step sign-in of your account changed.</p>\
         </div></body></html>\n",
        when = escape(change.when),
        password = escape(change.password_url),
        security = escape(change.security_url),
    );
    Composed {
        subject: subject.to_owned(),
        text,
        html,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_parts_say_what_changed_and_where_to_act() {
        let events = [
            (FactorEvent::TurnedOn, "Two-step sign-in was turned on"),
            (FactorEvent::TurnedOff, "Two-step sign-in was turned off"),
            (FactorEvent::PasskeyAdded, "A passkey was added"),
            (FactorEvent::PasskeyRemoved, "A passkey was removed"),
        ];
        for (event, subject) in events {
            let mail = two_step_changed(&FactorChange {
                event,
                when: "26 Nov 2026, 14:02 UTC",
                security_url: "https://sessions.example/settings/security",
                password_url: "https://sessions.example/settings/password",
            });
            assert_eq!(mail.subject, subject);
            for part in [&mail.text, &mail.html] {
                assert!(part.contains(&mail.subject));
                assert!(part.contains("26 Nov 2026, 14:02 UTC"));
                assert!(part.contains("https://sessions.example/settings/security"));
                assert!(part.contains("https://sessions.example/settings/password"));
            }
        }
    }
}
