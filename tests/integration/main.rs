//! The integration suite: every test starts the real server in-process on 127.0.0.1:0 with a
//! fresh database (SQLite by default, PostgreSQL with `TEST_DATABASE=postgres`) and speaks HTTP
//! to it. Each security test names the checklist item it proves (`// SEC-NN`, see
//! `../shared/SECURITY-CHECKLIST.md`).

mod alerts;
mod auth;
mod cli_grants;
mod concurrency;
mod cross_site;
mod ended;
mod grant_approval;
mod headers;
mod hostile_input;
mod intruder;
mod lifecycle;
mod lockout;
mod login_limits;
mod outage;
mod pages;
mod passkey_second_step;
mod passkeys;
mod passkeys_flow;
mod reliability;
mod rename;
mod restarts;
mod revoke;
mod secrets;
mod security;
mod security_page;
mod sessions_api;
mod shared_limits;
mod signing_out;
mod step_up;
mod support;
mod tokens;
mod two_step;
mod two_step_codes;
mod two_step_off;
mod user_agents;
mod weak_sessions;
mod words;
