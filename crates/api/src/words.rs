//! Times in words, the same in the page (server and browser) and the CLI: "3 minutes ago",
//! "2 days", "26 Nov 2026, 14:02 UTC", and reading back the RFC 3339 times the API sends.

/// "just now", "3 minutes ago", "in 29 days"…
pub fn relative(now: i64, then: i64) -> String {
    let diff = now - then;
    let secs = diff.unsigned_abs();
    if secs < 60 {
        return if diff >= 0 {
            "just now".into()
        } else {
            "in less than a minute".into()
        };
    }
    let (n, unit) = match secs {
        s if s < 3_600 => (s / 60, "minute"),
        s if s < 86_400 => (s / 3_600, "hour"),
        s if s < 30 * 86_400 => (s / 86_400, "day"),
        s if s < 365 * 86_400 => (s / (30 * 86_400), "month"),
        s => (s / (365 * 86_400), "year"),
    };
    let plural = if n == 1 { "" } else { "s" };
    if diff >= 0 {
        format!("{n} {unit}{plural} ago")
    } else {
        format!("in {n} {unit}{plural}")
    }
}

/// A duration in words: "less than a minute", "1 minute", "3 hours", "2 days".
pub fn duration_words(secs: i64) -> String {
    let secs = secs.unsigned_abs();
    let (n, unit) = match secs {
        s if s < 60 => return "less than a minute".into(),
        s if s < 3_600 => (s / 60, "minute"),
        s if s < 86_400 => (s / 3_600, "hour"),
        s => (s / 86_400, "day"),
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// (year, month 1–12, day) of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// "26 Nov 2026, 14:02 UTC" (or "26 Nov 2026" with `date_only`), the same on server and browser.
pub fn utc_text(unix: i64, date_only: bool) -> String {
    let (year, month, day) = civil_from_days(unix.div_euclid(86_400));
    let secs = unix.rem_euclid(86_400);
    let month = MONTHS[(month - 1) as usize];
    if date_only {
        format!("{day} {month} {year}")
    } else {
        format!(
            "{day} {month} {year}, {:02}:{:02} UTC",
            secs / 3_600,
            secs % 3_600 / 60
        )
    }
}

/// Seconds since the epoch of an RFC 3339 time as the API writes it (`2026-11-26T14:02:00Z`,
/// optional fraction, `Z` or `±hh:mm`).
pub fn unix_from_rfc3339(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if bytes.len() < 20 || bytes[4] != b'-' || bytes[7] != b'-' || bytes[13] != b':' {
        return None;
    }
    let num = |range: std::ops::Range<usize>| text.get(range)?.parse::<i64>().ok();
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut rest = &text[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        rest = fraction.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let hours: i64 = rest.get(1..3)?.parse().ok()?;
            let minutes: i64 = rest.get(4..6)?.parse().ok()?;
            sign * (hours * 3600 + minutes * 60)
        }
    };
    // days_from_civil (H. Hinnant).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_times_read_naturally() {
        assert_eq!(relative(1000, 990), "just now");
        assert_eq!(relative(1000, 1000 - 60), "1 minute ago");
        assert_eq!(relative(1000, 1000 - 7200), "2 hours ago");
        assert_eq!(relative(0, 3 * 86_400), "in 3 days");
        assert_eq!(relative(400 * 86_400, 0), "1 year ago");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration_words(5), "less than a minute");
        assert_eq!(duration_words(120), "2 minutes");
        assert_eq!(duration_words(3_600), "1 hour");
        assert_eq!(duration_words(3 * 86_400 + 5), "3 days");
    }

    #[test]
    fn utc_reads_as_people_write_it() {
        assert_eq!(utc_text(1_795_701_720, false), "26 Nov 2026, 14:02 UTC");
        assert_eq!(utc_text(1_795_701_720, true), "26 Nov 2026");
        assert_eq!(utc_text(0, false), "1 Jan 1970, 00:00 UTC");
        assert_eq!(utc_text(951_782_400, true), "29 Feb 2000");
        assert_eq!(utc_text(-86_400, true), "31 Dec 1969");
    }

    #[test]
    fn rfc3339_reads_back() {
        assert_eq!(
            unix_from_rfc3339("2026-11-26T14:02:00Z"),
            Some(1_795_701_720)
        );
        assert_eq!(
            unix_from_rfc3339("2026-11-26T15:02:00.5+01:00"),
            Some(1_795_701_720)
        );
        assert_eq!(unix_from_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(unix_from_rfc3339("2000-02-29T00:00:00Z"), Some(951_782_400));
        assert_eq!(unix_from_rfc3339("yesterday"), None);
        for t in [0, 951_782_400, 1_795_701_720, 4_102_444_800] {
            let (y, m, d) = civil_from_days(t / 86_400);
            let text = format!("{y:04}-{m:02}-{d:02}T00:00:00Z");
            assert_eq!(unix_from_rfc3339(&text), Some(t - t % 86_400));
        }
    }
}
