//! The factors' parts of pages.

mod second_step_form;

pub use second_step_form::SecondStepForm;
