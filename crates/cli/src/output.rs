//! What the commands print.

use active_sessions_api::{EndedSession, SessionSummary};
use std::fmt::Write;

/// Characters of the user agent shown in the table.
const USER_AGENT_WIDTH: usize = 60;

/// The `sessions list` table: ID, KIND, CURRENT, CREATED, EXPIRES, USER AGENT; one line each,
/// the id first so that scripts can take the first field.
pub fn sessions_table(sessions: &[SessionSummary]) -> String {
    let mut out = format!(
        "{:<22}  {:<4}  {:<7}  {:<20}  {:<20}  USER AGENT\n",
        "ID", "KIND", "CURRENT", "CREATED", "EXPIRES"
    );
    for s in sessions {
        let ua: String = s
            .user_agent
            .as_deref()
            .unwrap_or("-")
            .chars()
            .take(USER_AGENT_WIDTH)
            .collect();
        let _ = writeln!(
            out,
            "{:<22}  {:<4}  {:<7}  {:<20}  {:<20}  {}",
            s.id,
            s.kind.as_str(),
            if s.is_current { "yes" } else { "" },
            s.created_at,
            s.expires_at,
            ua
        );
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
    use active_sessions_api::SessionKind;

    fn session(id: &str, kind: SessionKind, current: bool, ua: Option<&str>) -> SessionSummary {
        SessionSummary {
            id: id.into(),
            created_at: "2026-11-26T10:00:00Z".into(),
            expires_at: "2026-12-26T10:00:00Z".into(),
            is_current: current,
            kind,
            user_agent: ua.map(Into::into),
        }
    }

    #[test]
    fn table_has_the_columns_scripts_rely_on() {
        let firefox =
            "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0";
        let table = sessions_table(&[
            session(
                "Q2xpU2Vzc2lvbklkMDAwMQ",
                SessionKind::Cli,
                true,
                Some("active-sessions-cli/0.1.0 (linux; x86_64)"),
            ),
            session(
                "V2ViU2Vzc2lvbklkMDAwMg",
                SessionKind::Web,
                false,
                Some(firefox),
            ),
            session("short", SessionKind::Web, false, None),
        ]);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 4);
        let header: Vec<&str> = lines[0].split_whitespace().collect();
        assert_eq!(
            header,
            [
                "ID", "KIND", "CURRENT", "CREATED", "EXPIRES", "USER", "AGENT"
            ]
        );
        let first = |line: &str| line.split_whitespace().next().unwrap().to_owned();
        assert!(lines[1].contains("  cli   yes  "));
        assert_eq!(first(lines[1]), "Q2xpU2Vzc2lvbklkMDAwMQ");
        assert!(lines[2].contains("  web  "));
        assert!(lines[2].ends_with(&firefox[..USER_AGENT_WIDTH]));
        assert!(lines[2].contains("Ubuntu; Linux x86_64; rv:132.0"));
        assert_eq!(first(lines[3]), "short");
        assert!(lines[3].ends_with("  -"));
    }
}
