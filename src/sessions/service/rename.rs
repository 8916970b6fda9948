//! Naming a session ("Work laptop").

use super::detail;
use crate::error::AppError;
use crate::platform::state::AppState;
use crate::sessions::caller::Caller;
use crate::sessions::model::SessionView;
use crate::sessions::repository;
use crate::sessions::token::is_public_id;

/// Names (or with a blank `label`, un-names) the caller's live session `id`; its detail after.
/// Unknown, foreign, ended and malformed ids are `NotFound` (SEC-18); a refused name is
/// `InvalidInput` and changes nothing.
#[tracing::instrument(skip_all, fields(user_id = %caller.user_id, session = %caller.public_id))]
pub async fn rename(
    state: &AppState,
    caller: &Caller,
    id: &str,
    label: Option<&str>,
) -> Result<SessionView, AppError> {
    if !is_public_id(id) {
        return Err(AppError::NotFound);
    }
    let label = crate::sessions::label::clean(label).map_err(AppError::invalid)?;
    let live = super::live_now(state);
    if !repository::set_label(&state.db, caller.user_id, id, label.as_deref(), live).await? {
        return Err(AppError::NotFound);
    }
    detail(state, caller, id).await
}
