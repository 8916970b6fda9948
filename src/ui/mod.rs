//! Components shared by several pages.

pub mod dialog;
pub mod layout;
pub mod relative_time;
