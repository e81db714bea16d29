//! Load: dates in evidence cells, read strictly; an ambiguous date is an error, never a guess.

use crate::diag::{QUOTED_CHARS, clip};
use chrono::{NaiveDate, NaiveDateTime};

/// Parse a text date: ISO 8601 first, then the project's named formats.
pub fn parse_text_date(text: &str, formats: &[String]) -> Result<NaiveDate, String> {
    let text = text.trim();
    if let Some(date) = parse_iso(text) {
        return Ok(date);
    }
    let mut found: Vec<NaiveDate> = formats.iter().filter_map(|f| parse_with(text, f)).collect();
    found.sort();
    found.dedup();
    match found.as_slice() {
        [date] => Ok(*date),
        [] => Err(explain_unreadable(text, formats)),
        several => Err(format!(
            "ambiguous date \"{}\": the formats in date_formats read it as {}",
            clip(text, QUOTED_CHARS),
            several
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(" or ")
        )),
    }
}

/// `2026-09-30`, `2026/09/30`, or an ISO date-time whose date part is taken.
fn parse_iso(text: &str) -> Option<NaiveDate> {
    for format in ["%Y-%m-%d", "%Y/%m/%d"] {
        if let Ok(date) = NaiveDate::parse_from_str(text, format) {
            return Some(date);
        }
    }
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(text) {
        return Some(dt.date_naive());
    }
    for format in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(text, format) {
            return Some(dt.date());
        }
    }
    None
}

fn parse_with(text: &str, format: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, format).ok().or_else(|| {
        NaiveDateTime::parse_from_str(text, format)
            .ok()
            .map(|d| d.date())
    })
}

fn explain_unreadable(text: &str, formats: &[String]) -> String {
    let shown = clip(text, QUOTED_CHARS);
    let numbers: Vec<u32> = text
        .split(['/', '.', '-'])
        .map(|part| part.trim().parse::<u32>())
        .collect::<Result<_, _>>()
        .unwrap_or_default();
    let hint = if formats.is_empty() {
        "name its format in audit.toml, such as date_formats = [\"%d/%m/%Y\"]".to_string()
    } else {
        format!("it matches none of date_formats ({})", formats.join(", "))
    };
    match numbers.as_slice() {
        [a, b, _] if *a <= 12 && *b <= 12 && a != b => {
            format!("ambiguous date \"{shown}\": day and month could be either way round; {hint}")
        }
        _ => format!("\"{shown}\" is not a date in ISO 8601 form (2026-09-30); {hint}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn iso_dates_and_datetimes_read() {
        assert_eq!(parse_text_date("2026-09-30", &[]), Ok(d(2026, 9, 30)));
        assert_eq!(
            parse_text_date(" 2026-09-30T10:00:00Z ", &[]),
            Ok(d(2026, 9, 30))
        );
        assert_eq!(
            parse_text_date("2026-09-30 08:15:00", &[]),
            Ok(d(2026, 9, 30))
        );
    }

    #[test]
    fn day_month_order_is_never_guessed() {
        let err = parse_text_date("03/04/2026", &[]).unwrap_err();
        assert!(err.starts_with("ambiguous date \"03/04/2026\""), "{err}");
        let err = parse_text_date("15/09/2026", &[]).unwrap_err();
        assert!(err.contains("not a date in ISO 8601 form"), "{err}");
    }

    #[test]
    fn named_formats_settle_the_order() {
        let formats = vec!["%d/%m/%Y".to_string()];
        assert_eq!(parse_text_date("03/04/2026", &formats), Ok(d(2026, 4, 3)));
        let both = vec!["%d/%m/%Y".to_string(), "%m/%d/%Y".to_string()];
        let err = parse_text_date("03/04/2026", &both).unwrap_err();
        assert!(err.contains("2026-03-04 or 2026-04-03"), "{err}");
        assert_eq!(parse_text_date("15/09/2026", &both), Ok(d(2026, 9, 15)));
    }
}
