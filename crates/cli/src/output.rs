//! What the commands print.

use active_sessions_api::{EndedSession, SessionDetail, words};
use std::fmt::Write;

/// Activity this recent reads "Active now", as on the page.
const ACTIVE_NOW_SECS: i64 = 5 * 60;

/// "Work laptop (Firefox 132 on Ubuntu)" or the parsed name alone.
fn display_name(label: Option<&str>, name: &str) -> String {
    match label {
        Some(label) => format!("{label} ({name})"),
        None => name.to_owned(),
    }
}

/// "3 minutes ago" for an RFC 3339 time, "?" when it cannot be read.
fn ago(now: i64, rfc3339: &str) -> String {
    words::unix_from_rfc3339(rfc3339).map_or_else(|| "?".into(), |t| words::relative(now, t))
}

/// The `sessions list` table, with what the page shows: ID, KIND, CURRENT, NAME (label and
/// parsed name), FROM (address · country), LAST ACTIVE, SIGNED IN. One line each, the id first so
/// that scripts can take the first field.
pub fn sessions_table(sessions: &[SessionDetail], now: i64) -> String {
    let rows: Vec<[String; 7]> = sessions
        .iter()
        .map(|s| {
            let place = match (&s.ip, &s.country) {
                (Some(ip), Some(country)) => format!("{ip} · {}", country.name),
                (Some(ip), None) => format!("{ip} · location unknown"),
                (None, _) => "unknown".to_owned(),
            };
            let active = match words::unix_from_rfc3339(&s.last_active_at) {
                Some(t) if now - t < ACTIVE_NOW_SECS => "Active now".to_owned(),
                _ => ago(now, &s.last_active_at),
            };
            [
                s.id.clone(),
                s.kind.as_str().to_owned(),
                if s.is_current { "yes" } else { "" }.to_owned(),
                display_name(s.label.as_deref(), &s.name),
                place,
                active,
                ago(now, &s.created_at),
            ]
        })
        .collect();
    let header = [
        "ID",
        "KIND",
        "CURRENT",
        "NAME",
        "FROM",
        "LAST ACTIVE",
        "SIGNED IN",
    ];
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[&str]| {
        let mut out = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            if i + 1 == cells.len() {
                out.push_str(cell);
            } else {
                let pad = w - cell.chars().count();
                let _ = write!(out, "{cell}{}  ", " ".repeat(pad));
            }
        }
        out.trim_end().to_owned() + "\n"
    };
    let mut out = line(&header);
    for row in &rows {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        out.push_str(&line(&cells));
    }
    out
}

/// The `sessions history` table: ENDED, KIND, NAME, HOW; a line below each session whose token
/// was presented again after it ended.
pub fn ended_table(ended: &[EndedSession]) -> String {
    if ended.is_empty() {
        return "No session ended in the last 30 days.\n".into();
    }
    let mut out = format!("{:<20}  {:<4}  {:<32}  HOW\n", "ENDED", "KIND", "NAME");
    for e in ended {
        let name = match &e.label {
            Some(label) => format!("{label} ({})", e.name),
            None => e.name.clone(),
        };
        let _ = writeln!(
            out,
            "{:<20}  {:<4}  {:<32}  {}",
            e.ended_at,
            e.kind.as_str(),
            name,
            e.ended_reason.describe(e.ended_by.as_deref())
        );
        if e.refused_after > 0 {
            let _ = writeln!(
                out,
                "{:<20}  {:<4}  {:<32}  token presented again {} time{} (last {}), refused",
                "",
                "",
                "",
                e.refused_after,
                if e.refused_after == 1 { "" } else { "s" },
                e.last_refused_at.as_deref().unwrap_or("?")
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use active_sessions_api::{ClientInfo, Country, DeviceType, SessionKind};

    fn session(id: &str, kind: SessionKind, current: bool, name: &str) -> SessionDetail {
        SessionDetail {
            id: id.into(),
            created_at: "2026-11-26T10:00:00Z".into(),
            expires_at: "2026-12-26T10:00:00Z".into(),
            last_active_at: "2026-11-26T13:58:00Z".into(),
            is_current: current,
            kind,
            user_agent: None,
            name: name.into(),
            device_type: DeviceType::Desktop,
            client: ClientInfo::default(),
            ip: Some("203.0.113.7".into()),
            country: None,
            sign_in_method: "password".into(),
            mfa_factors: vec![],
            mfa_updated_at: None,
            label: None,
            same_browser: false,
            reauth_failures: 0,
        }
    }

    #[test]
    fn table_shows_what_the_page_shows_and_keeps_the_id_first() {
        let now = words::unix_from_rfc3339("2026-11-26T14:00:00Z").unwrap();
        let mut laptop = session(
            "V2ViU2Vzc2lvbklkMDAwMg",
            SessionKind::Web,
            false,
            "Firefox 132 on Ubuntu",
        );
        laptop.label = Some("Work laptop".into());
        laptop.country = Some(Country {
            code: "DE".into(),
            name: "Germany".into(),
        });
        laptop.last_active_at = "2026-11-26T11:00:00Z".into();
        let table = sessions_table(
            &[
                session(
                    "Q2xpU2Vzc2lvbklkMDAwMQ",
                    SessionKind::Cli,
                    true,
                    "active-sessions CLI on Linux",
                ),
                laptop,
            ],
            now,
        );
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("ID"), "{table}");
        let first = |line: &str| line.split_whitespace().next().unwrap().to_owned();
        assert_eq!(first(lines[1]), "Q2xpU2Vzc2lvbklkMDAwMQ");
        assert!(lines[1].contains("  cli   yes  "), "{table}");
        assert!(lines[1].contains("active-sessions CLI on Linux"));
        assert!(lines[1].contains("Active now"));
        assert!(lines[1].contains("4 hours ago"));
        assert!(lines[2].contains("Work laptop (Firefox 132 on Ubuntu)"));
        assert!(lines[2].contains("203.0.113.7 · Germany"));
        assert!(lines[2].contains("3 hours ago"));
    }
}
