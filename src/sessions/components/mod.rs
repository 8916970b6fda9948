//! The Active sessions page, one component per file.

pub mod device_icon;
pub mod filter;
pub mod list;
pub mod others_dialog;
pub mod page;
pub mod proof;
pub mod recently_ended;
pub mod revoke_dialog;
pub mod row;
pub mod weak_dialog;
