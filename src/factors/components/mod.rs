//! The factors' parts of pages: the `/settings/security` page and the second step of `/login`.

pub mod page;
mod recovery_card;
mod second_step_form;
mod totp_card;

pub use second_step_form::SecondStepForm;
