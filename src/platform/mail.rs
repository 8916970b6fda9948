//! Sending email over SMTP (lettre with rustls): `SMTP_URL` is `smtp://host:port` (STARTTLS when
//! the server offers it), `smtp://…?tls=required` (STARTTLS or fail) or `smtps://host:port`
//! (implicit TLS), with optional `user:pass@`. The sender of sign-in alerts
//! (`alerts::delivery`) is the only user; this module knows nothing about what it sends.

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// One message, ready to send.
#[derive(Debug, Clone)]
pub struct OutgoingMail {
    /// Recipient address.
    pub to: String,
    /// Subject line.
    pub subject: String,
    /// The text/plain part.
    pub text: String,
    /// The text/html part.
    pub html: String,
    /// `Message-ID` without angle brackets; stable across retries so a receiver can tell a
    /// resend of the same message (`key@host`).
    pub message_id: String,
}

/// Why a message was not sent. The text names the SMTP problem, never the message's content.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The recipient address is not an email address.
    #[error("recipient address refused: {0}")]
    Address(String),
    /// The message could not be built.
    #[error("message could not be built: {0}")]
    Build(String),
    /// The SMTP server could not be reached or refused the message.
    #[error("SMTP: {0}")]
    Smtp(String),
}

/// The setting that keeps a mailer from being built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MailSetting {
    /// `SMTP_URL` is not a URL lettre can connect to.
    #[error("SMTP_URL is not a usable SMTP URL")]
    SmtpUrl,
    /// `MAIL_FROM` is not an email address.
    #[error("MAIL_FROM is not an email address")]
    From,
}

impl MailSetting {
    /// The environment variable at fault.
    pub fn variable(self) -> &'static str {
        match self {
            Self::SmtpUrl => "SMTP_URL",
            Self::From => "MAIL_FROM",
        }
    }
}

/// An SMTP client (one connection per message: alerts are rare, and no pool task needs a
/// runtime when settings are checked).
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").field("from", &self.from).finish()
    }
}

/// `SMTP_URL` with `?tls=opportunistic` added to plain `smtp://` URLs that name no TLS mode:
/// STARTTLS whenever the server offers it.
fn with_default_tls(url: &str) -> String {
    if url.starts_with("smtp://") && !url.contains("tls=") {
        let sep = if url.contains('?') { '&' } else { '?' };
        format!("{url}{sep}tls=opportunistic")
    } else {
        url.to_owned()
    }
}

impl Mailer {
    /// A mailer for `smtp_url`, sending as `from` (`Name <address>` or a bare address).
    /// lettre's own message is dropped: it may quote the URL, password included.
    pub fn new(smtp_url: &str, from: &str) -> Result<Self, MailSetting> {
        let from: Mailbox = from.parse().map_err(|_| MailSetting::From)?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&with_default_tls(smtp_url))
            .map_err(|_| MailSetting::SmtpUrl)?
            .timeout(Some(Duration::from_secs(10)))
            .build();
        Ok(Self { transport, from })
    }

    /// Checks that a mailer can be built from these settings (start-up validation).
    pub fn check(smtp_url: &str, from: &str) -> Result<(), MailSetting> {
        Self::new(smtp_url, from).map(|_| ())
    }

    /// Sends `mail` (multipart/alternative: text and HTML).
    pub async fn send(&self, mail: &OutgoingMail) -> Result<(), MailError> {
        let to: Mailbox = mail
            .to
            .parse()
            .map_err(|e: lettre::address::AddressError| MailError::Address(e.to_string()))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&mail.subject)
            .message_id(Some(format!("<{}>", mail.message_id)))
            .multipart(MultiPart::alternative_plain_html(
                mail.text.clone(),
                mail.html.clone(),
            ))
            .map_err(|e| MailError::Build(e.to_string()))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| MailError::Smtp(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_smtp_urls_get_starttls_when_offered() {
        assert_eq!(
            with_default_tls("smtp://mail:25"),
            "smtp://mail:25?tls=opportunistic"
        );
        assert_eq!(
            with_default_tls("smtp://mail:587?tls=required"),
            "smtp://mail:587?tls=required"
        );
        assert_eq!(with_default_tls("smtps://mail:465"), "smtps://mail:465");
    }

    #[tokio::test]
    async fn settings_are_checked() {
        assert!(Mailer::check("smtp://127.0.0.1:2525", "Active sessions <a@example.com>").is_ok());
        assert!(Mailer::check("smtps://user:pw@mail.example:465", "a@example.com").is_ok());
        assert_eq!(
            Mailer::check("http://mail.example", "a@example.com"),
            Err(MailSetting::SmtpUrl)
        );
        assert_eq!(
            Mailer::check("smtp://127.0.0.1:2525", "not an address"),
            Err(MailSetting::From)
        );
    }
}
