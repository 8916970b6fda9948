//! Password hashing with Argon2id (m = 19456 KiB, t = 2, p = 1), run on the blocking pool with
//! bounded concurrency so that a burst of logins cannot starve the async threads (SEC-27).

use argon2::{
    Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version,
    password_hash::{SaltString, rand_core::OsRng},
};
use std::sync::{
    Arc, OnceLock,
    atomic::{AtomicU64, AtomicUsize, Ordering},
};
use tokio::sync::Semaphore;

/// Longest password accepted (bytes); longer input is refused before any hashing (SEC-26).
pub const MAX_PASSWORD_BYTES: usize = 1024;
/// Shortest password accepted when one is set.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// Why a password cannot be set.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PasswordRuleError {
    /// Too short to be worth anything.
    #[error("the password must be at least {MIN_PASSWORD_CHARS} characters long")]
    TooShort,
    /// Over the size cap.
    #[error("the password must be at most {MAX_PASSWORD_BYTES} bytes long")]
    TooLong,
}

/// Checks the rules for a new password.
pub fn check_new_password(password: &str) -> Result<(), PasswordRuleError> {
    if password.len() > MAX_PASSWORD_BYTES {
        Err(PasswordRuleError::TooLong)
    } else if password.chars().count() < MIN_PASSWORD_CHARS {
        Err(PasswordRuleError::TooShort)
    } else {
        Ok(())
    }
}

fn argon2() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("static Argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The hashing queue is full: answer 503 with `Retry-After` at once (SEC-27).
#[derive(Debug, thiserror::Error)]
#[error("the password hashing queue is full")]
pub struct QueueFull;

/// Hashes and verifies passwords off the async runtime: at most `concurrency` at once, at most
/// `queue` more waiting; past that, [`QueueFull`] at once rather than an unbounded queue that a
/// burst of guesses would make real users wait behind.
#[derive(Clone)]
pub struct PasswordHasherPool {
    permits: Arc<Semaphore>,
    admitted: Arc<AtomicUsize>,
    limit: usize,
    verifications: Arc<AtomicU64>,
}

/// A place in the hashing queue, given back on drop.
struct Admitted(Arc<AtomicUsize>);

impl Drop for Admitted {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl PasswordHasherPool {
    /// At most `concurrency` hashes run at once and `queue` more wait their turn.
    pub fn new(concurrency: usize, queue: usize) -> Self {
        let concurrency = concurrency.max(1);
        Self {
            permits: Arc::new(Semaphore::new(concurrency)),
            admitted: Arc::new(AtomicUsize::new(0)),
            limit: concurrency + queue,
            verifications: Arc::new(AtomicU64::new(0)),
        }
    }

    fn admit(&self) -> Result<Admitted, QueueFull> {
        let admitted = self.admitted.fetch_add(1, Ordering::AcqRel);
        let place = Admitted(self.admitted.clone());
        if admitted >= self.limit {
            return Err(QueueFull);
        }
        Ok(place)
    }

    /// How many password verifications ran since start (what a budget must bound, SEC-29).
    pub fn verifications(&self) -> u64 {
        self.verifications.load(Ordering::Acquire)
    }

    /// An Argon2id PHC string for `password`.
    pub async fn hash(&self, password: String) -> anyhow::Result<String> {
        let _place = self.admit()?;
        let _permit = self.permits.acquire().await?;
        tokio::task::spawn_blocking(move || hash_blocking(&password)).await?
    }

    /// Verifies `password` against `phc`; with `None` it verifies against a dummy hash so that
    /// unknown accounts cost the same time as known ones (SEC-28).
    pub async fn verify(&self, password: String, phc: Option<String>) -> anyhow::Result<bool> {
        let _place = self.admit()?;
        let _permit = self.permits.acquire().await?;
        self.verifications.fetch_add(1, Ordering::AcqRel);
        tokio::task::spawn_blocking(move || {
            let known = phc.is_some();
            let phc = phc.unwrap_or_else(|| dummy_hash().to_owned());
            let ok = verify_blocking(&password, &phc)?;
            Ok(ok && known)
        })
        .await?
    }
}

/// Hashes on the current thread (used by the blocking pool and the `user add` command).
pub fn hash_blocking(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("argon2: {e}"))
}

fn verify_blocking(password: &str, phc: &str) -> anyhow::Result<bool> {
    let parsed = PasswordHash::new(phc).map_err(|e| anyhow::anyhow!("stored hash: {e}"))?;
    Ok(argon2()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok())
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        hash_blocking("dummy password for unknown accounts").expect("hashing a constant works")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // SEC-27
    #[tokio::test]
    async fn hashes_are_argon2id_with_owasp_parameters() {
        let pool = PasswordHasherPool::new(2, 8);
        let phc = pool.hash("correct horse battery".into()).await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(
            pool.verify("correct horse battery".into(), Some(phc.clone()))
                .await
                .unwrap()
        );
        assert!(!pool.verify("wrong".into(), Some(phc)).await.unwrap());
    }

    // SEC-27: past the queue, a check is refused at once instead of waiting behind a burst.
    #[tokio::test]
    async fn a_full_queue_refuses_at_once() {
        let pool = PasswordHasherPool::new(1, 0);
        let (first, second) =
            tokio::join!(pool.verify("a".into(), None), pool.verify("b".into(), None));
        assert!(first.is_ok());
        assert!(second.unwrap_err().is::<QueueFull>());
        assert_eq!(pool.verifications(), 1);
        assert!(
            pool.verify("c".into(), None).await.is_ok(),
            "the place was given back"
        );
    }

    // SEC-28
    #[tokio::test]
    async fn unknown_account_never_verifies() {
        let pool = PasswordHasherPool::new(1, 8);
        assert!(
            !pool
                .verify("dummy password for unknown accounts".into(), None)
                .await
                .unwrap()
        );
    }

    // SEC-26
    #[test]
    fn password_rules() {
        assert_eq!(
            check_new_password("short"),
            Err(PasswordRuleError::TooShort)
        );
        assert_eq!(
            check_new_password(&"x".repeat(1025)),
            Err(PasswordRuleError::TooLong)
        );
        assert_eq!(check_new_password("long enough"), Ok(()));
    }
}
