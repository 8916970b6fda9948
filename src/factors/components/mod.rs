//! The factors' parts of pages: the `/settings/security` page and the second step of `/login`.

pub mod page;
mod passkey_action;
mod passkeys_card;
mod recovery_card;
mod second_step_form;
mod totp_card;

pub use passkey_action::{PasskeyAction, PasskeyCeremony};
pub use second_step_form::SecondStepForm;
