//! The stored token: `credentials.json` in the config directory (mode 0700), readable by the
//! owner only (mode 0600).
//!
//! A save writes a fresh temporary file beside it (created exclusively, never through a symlink,
//! mode 0600 from the start), syncs it and renames it over `credentials.json`, so the file is
//! always either the old or the new credentials and never readable by anyone else in between.

use serde::{Deserialize, Serialize};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

const FILE_NAME: &str = "credentials.json";

/// What `login` saves.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credentials {
    /// Server the token belongs to (and the only one it is ever sent to).
    pub server: String,
    /// Bearer token.
    pub token: String,
    /// Public id of the CLI's own session.
    pub session_id: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("server", &self.server)
            .field("token", &"<redacted>")
            .field("session_id", &self.session_id)
            .finish()
    }
}

/// `$ACTIVE_SESSIONS_CONFIG_DIR`, else `active-sessions` in the user's config directory.
pub fn dir() -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("ACTIVE_SESSIONS_CONFIG_DIR") {
        return Ok(PathBuf::from(dir));
    }
    dirs::config_dir()
        .map(|d| d.join("active-sessions"))
        .ok_or_else(|| "cannot find a config directory; set ACTIVE_SESSIONS_CONFIG_DIR".into())
}

/// Saved credentials, if any.
pub fn load() -> Result<Option<Credentials>, String> {
    load_from(&dir()?)
}

/// Saves credentials, replacing any saved before; returns the file's path.
pub fn save(credentials: &Credentials) -> Result<PathBuf, String> {
    save_in(&dir()?, credentials)
}

/// Forgets the credentials.
pub fn remove() -> Result<(), String> {
    remove_from(&dir()?)
}

fn load_from(dir: &Path) -> Result<Option<Credentials>, String> {
    let path = dir.join(FILE_NAME);
    match fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text).map(Some).map_err(|e| {
            format!(
                "{} is damaged ({e}); run `logout` or delete it",
                path.display()
            )
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

fn save_in(dir: &Path, credentials: &Credentials) -> Result<PathBuf, String> {
    create_private_dir(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let path = dir.join(FILE_NAME);
    let text = serde_json::to_vec_pretty(credentials).map_err(|e| e.to_string())?;
    let tmp = dir.join(temp_name());
    let file = create_private(&tmp).map_err(|e| format!("cannot create {}: {e}", tmp.display()))?;
    // From here on the temporary file is ours: remove it if anything fails.
    let written = write_synced(file, &text).and_then(|()| fs::rename(&tmp, &path));
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(format!("cannot write {}: {e}", path.display()));
    }
    // Make the rename itself durable; failing that is no reason to fail the login.
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(path)
}

fn remove_from(dir: &Path) -> Result<(), String> {
    let path = dir.join(FILE_NAME);
    match fs::remove_file(&path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("cannot remove {}: {e}", path.display())),
    }
}

/// Creates `dir` and missing parents with mode 0700 (an existing directory is left as it is).
fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// A name no other process or call picks: `.credentials.json.PID.NANOS.N.tmp`.
fn temp_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!(".{FILE_NAME}.{}.{nanos}.{n}.tmp", std::process::id())
}

/// Creates a new file at `path` for writing: fails if anything (a file, a symlink, dangling or
/// not) is already there, never follows a symlink, and is mode 0600 from the start.
fn create_private(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    options.open(path)
}

fn write_synced(mut file: File, bytes: &[u8]) -> io::Result<()> {
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(token: &str) -> Credentials {
        Credentials {
            server: "https://sessions.example.com".into(),
            token: token.into(),
            session_id: "c2Vzc2lvbg".into(),
        }
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name != FILE_NAME)
            .collect()
    }

    #[test]
    fn save_load_remove_round_trip() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("config").join("active-sessions");
        assert_eq!(load_from(&dir).unwrap(), None);
        let path = save_in(&dir, &sample("first")).unwrap();
        assert_eq!(path, dir.join(FILE_NAME));
        assert_eq!(load_from(&dir).unwrap(), Some(sample("first")));
        // A second login replaces the file.
        save_in(&dir, &sample("second")).unwrap();
        assert_eq!(load_from(&dir).unwrap(), Some(sample("second")));
        assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
        remove_from(&dir).unwrap();
        assert_eq!(load_from(&dir).unwrap(), None);
        remove_from(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn file_is_0600_and_new_directory_0700() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("active-sessions");
        let path = save_in(&dir, &sample("secret")).unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&dir), 0o700);
    }

    #[test]
    fn damaged_file_is_reported() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join(FILE_NAME), "{").unwrap();
        assert!(load_from(tmp.path()).unwrap_err().contains("is damaged"));
    }

    #[cfg(unix)]
    #[test]
    fn never_writes_through_a_planted_symlink() {
        let tmp = tempfile::tempdir().unwrap();
        let victim = tmp.path().join("victim");
        fs::write(&victim, "precious").unwrap();
        let planted = tmp.path().join(temp_name());
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        assert!(create_private(&planted).is_err());
        // A dangling symlink is refused too (it would otherwise create its target).
        let dangling = tmp.path().join(temp_name());
        let target = tmp.path().join("would-be-created");
        std::os::unix::fs::symlink(&target, &dangling).unwrap();
        assert!(create_private(&dangling).is_err());
        assert!(!target.exists());
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
    }

    #[test]
    fn a_failed_save_leaves_no_temporary_file() {
        let tmp = tempfile::tempdir().unwrap();
        // A directory where the file should go: the rename fails.
        fs::create_dir(tmp.path().join(FILE_NAME)).unwrap();
        assert!(save_in(tmp.path(), &sample("secret")).is_err());
        assert!(
            leftovers(tmp.path()).is_empty(),
            "{:?}",
            leftovers(tmp.path())
        );
    }

    #[test]
    fn temp_names_are_unique_and_hidden() {
        let (a, b) = (temp_name(), temp_name());
        assert_ne!(a, b);
        assert!(a.starts_with(".credentials.json.") && a.ends_with(".tmp"));
    }

    #[test]
    fn debug_hides_the_token() {
        assert!(!format!("{:?}", sample("hunter2")).contains("hunter2"));
    }
}
