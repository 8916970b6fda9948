//! Components shared by several pages.

pub mod action_error;
pub mod code_field;
pub mod dialog;
pub mod layout;
pub mod local_time;
pub mod password_field;
pub mod relative_time;
pub mod suspend;
