//! A real SMTP server (Python's aiosmtpd, `tests/smtp/server.py`) that writes every message it
//! receives to a directory as JSON; tests read what it received. `scripts/test` starts one for the
//! whole run (`TEST_SMTP_PORT`, `TEST_SMTP_DIR`); tests that need to stop and start the server,
//! or run `cargo test` alone, start their own.

use active_sessions_api::paths::pages;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// One received message.
#[derive(Debug, Clone, Deserialize)]
pub struct Mail {
    /// Envelope recipients.
    pub rcpt_tos: Vec<String>,
    /// `From` header.
    pub from: String,
    /// `Subject` header.
    pub subject: String,
    /// `Message-ID` header.
    pub message_id: String,
    /// MIME type of the whole message.
    pub content_type: String,
    /// The text/plain part.
    pub text: Option<String>,
    /// The text/html part.
    pub html: Option<String>,
}

impl Mail {
    /// The "This wasn't me" link's path, `/not-me/{token}`, from the text part.
    pub fn not_me_path(&self) -> String {
        let text = self.text.as_deref().expect("a text part");
        let start = text
            .find(pages::NOT_ME)
            .expect("a not-me link in the text part");
        text[start..]
            .split_whitespace()
            .next()
            .expect("link")
            .to_owned()
    }

    /// The token of the not-me link.
    pub fn not_me_token(&self) -> String {
        self.not_me_path()
            .trim_start_matches(pages::NOT_ME)
            .to_owned()
    }
}

/// An SMTP server the test can read (and, if it started it, stop and start).
pub struct SmtpServer {
    /// Port on 127.0.0.1.
    pub port: u16,
    /// Where received messages are written.
    pub dir: PathBuf,
    child: Option<Child>,
    _tmp: Option<tempfile::TempDir>,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn python() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python")
}

impl SmtpServer {
    /// The run's shared server when the test command started one, else one for this test.
    pub async fn shared_or_own() -> Self {
        match (
            std::env::var("TEST_SMTP_PORT")
                .ok()
                .and_then(|p| p.parse().ok()),
            std::env::var("TEST_SMTP_DIR").ok(),
        ) {
            (Some(port), Some(dir)) => Self {
                port,
                dir: dir.into(),
                child: None,
                _tmp: None,
            },
            _ => Self::own().await,
        }
    }

    /// A server of this test's own on a free port.
    pub async fn own() -> Self {
        let tmp = tempfile::tempdir().expect("temporary directory");
        let mut server = Self {
            port: free_port(),
            dir: tmp.path().to_owned(),
            child: None,
            _tmp: Some(tmp),
        };
        server.start().await;
        server
    }

    /// A port with nothing listening yet (SMTP "down"); [`start`](Self::start) brings it up.
    pub fn down() -> Self {
        let tmp = tempfile::tempdir().expect("temporary directory");
        Self {
            port: free_port(),
            dir: tmp.path().to_owned(),
            child: None,
            _tmp: Some(tmp),
        }
    }

    /// Starts the server process and waits until it accepts connections.
    pub async fn start(&mut self) {
        let child = Command::new(python())
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp/server.py"))
            .args(["--port", &self.port.to_string()])
            .arg("--dir")
            .arg(&self.dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start aiosmtpd (.venv/bin/python; run scripts/bootstrap.sh)");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(20);
        while tokio::net::TcpStream::connect(("127.0.0.1", self.port))
            .await
            .is_err()
        {
            assert!(Instant::now() < deadline, "aiosmtpd did not come up");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// `SMTP_URL` for this server.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Settings that send mail here.
    pub fn settings(&self) -> Vec<(String, String)> {
        vec![
            ("SMTP_URL".into(), self.url()),
            (
                "MAIL_FROM".into(),
                "Active sessions <alerts@sessions.test>".into(),
            ),
            ("PUBLIC_URL".into(), "http://sessions.test".into()),
        ]
    }

    /// Every message received so far for `to`.
    pub fn messages_to(&self, to: &str) -> Vec<Mail> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| {
                        p.extension().is_some_and(|x| x == "json")
                            && !p
                                .file_name()
                                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                    })
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        files
            .into_iter()
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .filter_map(|s| serde_json::from_str::<Mail>(&s).ok())
            .filter(|m| m.rcpt_tos.iter().any(|r| r == to))
            .collect()
    }

    /// Waits (up to 20 s) until `n` messages for `to` arrived; returns them.
    pub async fn wait_for(&self, to: &str, n: usize) -> Vec<Mail> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let mails = self.messages_to(to);
            if mails.len() >= n {
                return mails;
            }
            assert!(
                Instant::now() < deadline,
                "expected {n} message(s) for {to}, got {}",
                mails.len()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Asserts that nothing more than `n` messages for `to` arrives within `settle`.
    pub async fn assert_stays_at(&self, to: &str, n: usize, settle: Duration) {
        tokio::time::sleep(settle).await;
        assert_eq!(self.messages_to(to).len(), n, "messages for {to}");
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
