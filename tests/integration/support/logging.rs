//! Log capture (SEC-08, SEC-30): one global subscriber writing into a buffer for the whole
//! binary, so that tests can search everything the server logged.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();

#[derive(Clone)]
struct BufferWriter(Arc<Mutex<Vec<u8>>>);

impl Write for BufferWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for BufferWriter {
    type Writer = BufferWriter;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Installs the capturing subscriber once (debug level for the app, HTTP traces and SQL).
pub fn init_logging() {
    LOGS.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(
                "active_sessions=debug,tower_http=debug,sqlx=debug",
            ))
            .with_ansi(false)
            .with_writer(BufferWriter(buffer.clone()))
            .try_init();
        buffer
    });
}

/// Everything logged so far by any test of this binary.
pub fn captured_logs() -> String {
    let buffer = LOGS.get().expect("logging initialised");
    String::from_utf8_lossy(&buffer.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
}
