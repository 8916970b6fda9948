//! The stored token: `credentials.json` in the config directory, readable by the owner only.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// What `login` saves.
#[derive(Debug, Serialize, Deserialize)]
pub struct Credentials {
    /// Server the token belongs to.
    pub server: String,
    /// Bearer token.
    pub token: String,
    /// Public id of the CLI's own session.
    pub session_id: String,
}

fn dir() -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("ACTIVE_SESSIONS_CONFIG_DIR") {
        return Ok(PathBuf::from(dir));
    }
    dirs::config_dir()
        .map(|d| d.join("active-sessions"))
        .ok_or_else(|| "cannot find a config directory; set ACTIVE_SESSIONS_CONFIG_DIR".into())
}

fn path() -> Result<PathBuf, String> {
    Ok(dir()?.join("credentials.json"))
}

/// Saved credentials, if any.
pub fn load() -> Result<Option<Credentials>, String> {
    let path = path()?;
    match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text).map(Some).map_err(|e| {
            format!(
                "{} is damaged ({e}); run `logout` or delete it",
                path.display()
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

/// Saves credentials with mode 0600 (created that way, never world-readable in between).
pub fn save(credentials: &Credentials) -> Result<PathBuf, String> {
    let dir = dir()?;
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let path = dir.join("credentials.json");
    let tmp = dir.join(".credentials.json.tmp");
    let text = serde_json::to_string_pretty(credentials).map_err(|e| e.to_string())?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(&tmp)
        .map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| e.to_string())?;
    }
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(|e| e.to_string())?;
    file.sync_all().map_err(|e| e.to_string())?;
    std::fs::rename(&tmp, &path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

/// Forgets the credentials.
pub fn remove() -> Result<(), String> {
    match std::fs::remove_file(path()?) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e.to_string()),
    }
}
