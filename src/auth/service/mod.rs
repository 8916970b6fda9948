//! Everything that involves a password or ends the caller's own sign-in: login, the development
//! login, logout, re-authentication, "sign out all other sessions" (which may ask for the password)
//! changing the password, and turning two-step sign-in off (which may sign out the others). Adapters call these; these call the users and sessions services.
//! One file per use case.
//!
//! Password attempts are reserved in per-address and per-account failure budgets *before* Argon2
//! runs and count as failures until the password proves otherwise, so parallel guesses cannot all
//! be evaluated against one budget (SEC-27, SEC-29; `platform::failure_budget`), whichever
//! instances they reach (SEC-43).

mod finish;
mod login;
mod passkeys;
mod password;
mod reauth;
mod second_step;
mod sign_out;
mod two_step_off;

pub use login::{DEMO_EMAIL, LoginOutcome, SignedIn, dev_login, login};
pub use passkeys::{
    AddPasskey, PasskeyAdded, PasskeySignIn, add_passkey, remove_passkey, sign_in_with_passkey,
};
pub use password::{PasswordChange, PasswordChanged, change_password};
pub use reauth::{Reauth, confirm_code, confirm_password, reauthenticated, stepped_up};
pub use second_step::{SecondStep, complete_second_step};
pub use sign_out::{logout, not_me, sign_out_others};
pub use two_step_off::{TurnOff, turn_off_totp};
