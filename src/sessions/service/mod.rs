//! The only way into the sessions repository, one file per use case: resolving a token to its
//! caller (`authenticate`), starting sessions (`sign_in`), reading them (`list`), naming them
//! (`rename`), ending them (`revoke`, and `ending` for every way a session ends), password proofs
//! (`reauth`), the facts the not-me page needs (`facts`) and the ended ones (`history`).
//!
//! Every way a session ends — sign-out, revoke, revoke others, password change, the per-user cap,
//! account disabled or deleted, expiry, "This wasn't me" — goes through [`ending::end_in`], which
//! records why and by whom and reports whether the caller's own session was among them.

mod authenticate;
mod ending;
mod facts;
mod history;
mod list;
mod reauth;
mod rename;
mod revoke;
mod sign_in;

pub use crate::sessions::repository::{EndTarget, LaterFactor, LaterProof};

use crate::platform::state::AppState;
use crate::sessions::repository::LiveAt;

/// Which sessions are live now, by the state's clock and idle limit.
pub(crate) fn live_now(state: &AppState) -> LiveAt {
    LiveAt {
        now: state.now(),
        idle_secs: state.idle_secs(),
    }
}
pub use authenticate::{TOUCH_INTERVAL_SECS, authenticate};
pub use ending::{EndReason, EndRequest, Ended, EndedBy, end, end_in};
pub use facts::{DeviceState, SessionFacts, device_of_in, facts};
pub use history::{ENDED_KEPT_SECS, EndedEntry, ended, purge_ended};
pub use list::{Visit, detail, list, list_for_page};
pub use reauth::{
    drop_passkey_proofs_in, drop_second_factor_in, live_authenticated_at_in, mark_authenticated,
    mark_factor_proved_in, needs_passkey, needs_password, needs_reauth, needs_totp, reauth_refusal,
    record_reauth_failure, rotate_token_in,
};
pub use rename::rename;
pub use revoke::{
    RevokeRequest, UNUSED_AFTER_SECS, revoke, revoke_reason, sign_out_unused, sign_out_weak,
};
pub use sign_in::{Start, sign_in, sign_in_in, signed_in_before_in, start_in};
