//! Fresh recovery codes, shown once: each in an element with `data-recovery-code`, and a
//! download of them as text.

use leptos::prelude::*;

/// The recovery codes just made.
#[component]
pub fn RecoveryCard(codes: Vec<String>) -> impl IntoView {
    // The codes use only letters, digits and `-`: the newline is the one character to encode.
    let download = format!("data:text/plain;charset=utf-8,{}%0A", codes.join("%0A"));
    view! {
        <section class="card recovery-codes" aria-labelledby="recovery-title">
            <h2 id="recovery-title">"Your recovery codes"</h2>
            <p class="notice warning" role="status">
                "Save these codes now: they are shown only once. Each one signs you in once if "
                "you lose your phone."
            </p>
            <ol class="codes">
                {codes
                    .into_iter()
                    .map(|code| {
                        let text = code.clone();
                        view! { <li><code data-recovery-code=code>{text}</code></li> }
                    })
                    .collect_view()}
            </ol>
            <a class="button secondary" href=download download="recovery-codes.txt">
                "Download as text"
            </a>
        </section>
    }
}
