//! Inline SVG icons for the kind of device (decorative: the row's text names the device).

use crate::sessions::model::DeviceType;
use leptos::prelude::*;

/// The icon of `device` (a plain function: one per row of the sessions page).
pub fn device_icon(device: DeviceType) -> impl IntoView {
    let path = match device {
        DeviceType::Desktop => "M3 4h18v12H3z M8 20h8 M12 16v4",
        DeviceType::Phone => "M7 2h10v20H7z M11 18h2",
        DeviceType::Tablet => "M4 3h16v18H4z M11 18h2",
        DeviceType::Terminal => "M3 4h18v16H3z M7 9l3 3-3 3 M12 15h5",
        DeviceType::Unknown => {
            "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.6v.6 M12 17h.01"
        }
    };
    view! {
        <svg
            class="device-icon"
            viewBox="0 0 24 24"
            width="32"
            height="32"
            aria-hidden="true"
            focusable="false"
            fill="none"
            stroke="currentColor"
            stroke-width="1.6"
            stroke-linecap="round"
            stroke-linejoin="round"
        >
            <path d=path />
        </svg>
    }
}
