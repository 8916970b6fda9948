//! The "New sign-in to your account" email: a text part and an HTML part with the same words,
//! the product's name, no images, no tracking.

/// Product name used in subjects and signatures.
pub const PRODUCT: &str = "Active sessions";

/// A message's content; the recipient is looked up when it is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composed {
    /// Subject line.
    pub subject: String,
    /// The text/plain part.
    pub text: String,
    /// The text/html part.
    pub html: String,
}

/// What the alert says.
#[derive(Debug, Clone)]
pub struct Alert<'a> {
    /// Device name as on the page.
    pub device: &'a str,
    /// "Browser" or "Command-line (CLI)".
    pub kind: &'a str,
    /// Sign-in address.
    pub ip: Option<&'a str>,
    /// Country of the address, when known.
    pub country: Option<&'a str>,
    /// When, in UTC ("26 Nov 2026, 14:02 UTC").
    pub when: &'a str,
    /// The one-click "This wasn't me" link.
    pub not_me_url: &'a str,
    /// The sessions page.
    pub sessions_url: &'a str,
}

/// HTML-escapes text that may come from a client (the device name is parsed from its user
/// agent, SEC-23).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' => {}
            c => out.push(c),
        }
    }
    out
}

/// Control characters (and bidi overrides) dropped from client-derived text in the plain part.
fn plain(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() && !('\u{202A}'..='\u{202E}').contains(c))
        .filter(|c| !('\u{2066}'..='\u{2069}').contains(c))
        .collect()
}

/// The alert as a message.
pub fn new_sign_in(alert: &Alert<'_>) -> Composed {
    let place = match (alert.ip, alert.country) {
        (Some(ip), Some(country)) => format!("{ip} ({country})"),
        (Some(ip), None) => format!("{ip} (location unknown)"),
        (None, _) => "unknown".to_owned(),
    };
    let device = plain(alert.device);
    let text = format!(
        "New sign-in to your account\n\
         \n\
         Someone just signed in to your account from a device it has not used before.\n\
         \n\
         Device:   {device}\n\
         Type:     {kind}\n\
         Address:  {place}\n\
         Time:     {when}\n\
         \n\
         If this was you, there is nothing to do.\n\
         \n\
         If it was not you, sign that device out now with one click (no sign-in needed):\n\
         {not_me}\n\
         \n\
         Then change your password: whoever signed in knows it. Changing it signs out every \
         other session too.\n\
         \n\
         Review all your sessions: {sessions}\n\
         \n\
         -- \n\
         {PRODUCT}. You get this email because a new device signed in to your account. The \
         link above works for 7 days and only once.\n",
        kind = alert.kind,
        when = alert.when,
        not_me = alert.not_me_url,
        sessions = alert.sessions_url,
    );
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>New sign-in to your account</title></head>\
         <body style=\"margin:0;padding:24px;background:#f6f7f9;font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#1f2328\">\
         <div style=\"max-width:560px;margin:0 auto;background:#ffffff;border:1px solid #d0d7de;border-radius:8px;padding:24px\">\
         <p style=\"margin:0 0 8px;font-size:14px;color:#57606a\">{PRODUCT}</p>\
         <h1 style=\"margin:0 0 16px;font-size:22px\">New sign-in to your account</h1>\
         <p>Someone just signed in to your account from a device it has not used before.</p>\
         <table role=\"presentation\" style=\"border-collapse:collapse;margin:16px 0\">\
         <tr><th scope=\"row\" style=\"text-align:left;padding:4px 16px 4px 0;color:#57606a;font-weight:normal\">Device</th><td style=\"padding:4px 0\"><strong>{device}</strong></td></tr>\
         <tr><th scope=\"row\" style=\"text-align:left;padding:4px 16px 4px 0;color:#57606a;font-weight:normal\">Type</th><td style=\"padding:4px 0\">{kind}</td></tr>\
         <tr><th scope=\"row\" style=\"text-align:left;padding:4px 16px 4px 0;color:#57606a;font-weight:normal\">Address</th><td style=\"padding:4px 0\">{place}</td></tr>\
         <tr><th scope=\"row\" style=\"text-align:left;padding:4px 16px 4px 0;color:#57606a;font-weight:normal\">Time</th><td style=\"padding:4px 0\">{when}</td></tr>\
         </table>\
         <p>If this was you, there is nothing to do.</p>\
         <p>If it was not you, sign that device out now. No sign-in is needed:</p>\
         <p style=\"margin:20px 0\"><a href=\"{not_me}\" style=\"display:inline-block;background:#cf222e;color:#ffffff;text-decoration:none;padding:10px 16px;border-radius:6px;font-weight:600\">This wasn't me</a></p>\
         <p>Then change your password: whoever signed in knows it. Changing it signs out every other session too.</p>\
         <p><a href=\"{sessions}\" style=\"color:#0969da\">Review all your sessions</a></p>\
         <hr style=\"border:none;border-top:1px solid #d0d7de;margin:24px 0 12px\">\
         <p style=\"font-size:12px;color:#57606a;margin:0\">{PRODUCT}. You get this email because a new device signed in to your account. The button works for 7 days and only once.</p>\
         </div></body></html>\n",
        device = escape(&device),
        kind = escape(alert.kind),
        place = escape(&place),
        when = escape(alert.when),
        not_me = escape(alert.not_me_url),
        sessions = escape(alert.sessions_url),
    );
    Composed {
        subject: "New sign-in to your account".to_owned(),
        text,
        html,
    }
}

/// "26 Nov 2026, 14:02 UTC": the page's own UTC rendering.
pub fn utc_text(at: crate::platform::ids::UnixTime) -> String {
    crate::ui::local_time::utc_text(at.0, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::ids::UnixTime;

    fn alert<'a>(device: &'a str) -> Alert<'a> {
        Alert {
            device,
            kind: "Browser",
            ip: Some("203.0.113.7"),
            country: Some("Germany"),
            when: "26 Nov 2026, 14:02 UTC",
            not_me_url: "https://sessions.example/not-me/abc",
            sessions_url: "https://sessions.example/settings/sessions",
        }
    }

    // SEC-23
    #[test]
    fn client_text_is_escaped_in_the_html_part() {
        let mail = new_sign_in(&alert("<img src=x onerror=alert(1)>\u{202E}Firefox"));
        assert!(!mail.html.contains("<img"), "{}", mail.html);
        assert!(
            mail.html
                .contains("&lt;img src=x onerror=alert(1)&gt;Firefox")
        );
        assert!(!mail.text.contains('\u{202E}'));
    }

    #[test]
    fn both_parts_name_the_device_place_time_and_link() {
        let mail = new_sign_in(&alert("Firefox 132 on Ubuntu"));
        for part in [&mail.text, &mail.html] {
            assert!(part.contains("Firefox 132 on Ubuntu"));
            assert!(part.contains("203.0.113.7 (Germany)"));
            assert!(part.contains("26 Nov 2026, 14:02 UTC"));
            assert!(part.contains("https://sessions.example/not-me/abc"));
            assert!(part.contains(PRODUCT));
        }
        assert_eq!(mail.subject, "New sign-in to your account");
    }

    #[test]
    fn utc_times_read_as_people_write_them() {
        assert_eq!(utc_text(UnixTime(1_795_701_720)), "26 Nov 2026, 14:02 UTC");
    }
}
