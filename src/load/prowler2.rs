//! Load: Prowler 2's CSV (the shell version, `prowler -M csv`), still pinned by teams
//! that have not moved to Prowler 3. Its header (`include/csv_header`) is
//! `PROFILE, ACCOUNT_NUM, REGION, TITLE_ID, CHECK_RESULT, ITEM_SCORED, ITEM_LEVEL,
//! TITLE_TEXT, CHECK_RESULT_EXTENDED, ...` and, from 2.5, `CHECK_RESOURCE_ID`; older
//! 2.x releases wrote `PROFILE, ACCOUNT_NUM, REGION, TITLE_ID, RESULT, SCORED, LEVEL,
//! TITLE_TEXT, NOTES` (later with `COMPLIANCE, SEVERITY, SERVICENAME`). Some versions
//! end every line with the separator: the empty field past the header is passed over.
//!
//! - The check is the name in brackets at the start of `TITLE_TEXT`
//!   (`[check11] Avoid the use of the root account`), else `TITLE_ID` (`1.1`).
//! - The resource is `CHECK_RESOURCE_ID` where the row has one, else the account and
//!   region: Prowler 2 writes no resource id for most checks, so their rows fold per
//!   account and region, and a failure among them fails that account and region.
//! - `CHECK_RESULT` is PASS or FAIL; WARNING is a failure the allowlist set aside
//!   (read as muted); INFO is not assessed.
//! - Rows carry no time: the scan's time comes from the file name Prowler 2 gives its
//!   output (`prowler-output-ACCOUNT-20220314093000.csv`), else from the `TIMESTAMP:` in
//!   the notes of row 0.0 (`Show report generation info`, which is set aside: it is
//!   about the run, not a check), else none.
//!
//! Prowler 2 does not quote its cells, so a message holding the separator makes a row
//! of the wrong width; it is dropped with its line, and the rest count.

use crate::diag::{Problem, quoted};
use crate::load::findings::{
    FindingsRead, Latest, ScanFormat, ScanStatus, Severity, parse_timestamp,
};
use crate::load::scan_csv::{RowShape, WideRow, header_at, open_csv, read_rows};
use crate::progress::Progress;
use std::io::Read;
use std::path::Path;

struct Columns {
    count: usize,
    account: Option<usize>,
    region: Option<usize>,
    title_id: usize,
    result: usize,
    title: Option<usize>,
    severity: Option<usize>,
    resource: Option<usize>,
    /// `CHECK_RESULT_EXTENDED`, or `NOTES` in older 2.x releases.
    notes: Option<usize>,
    names: Vec<String>,
}

impl Columns {
    fn find(header: &csv::ByteRecord) -> Result<Columns, String> {
        let names: Vec<String> = header
            .iter()
            .map(|h| {
                String::from_utf8_lossy(h)
                    .trim()
                    .trim_start_matches('\u{feff}')
                    .to_uppercase()
            })
            .collect();
        let find = |name: &str| names.iter().position(|n| n == name);
        // Older 2.x releases named the columns `RESULT`, `SCORED`, `LEVEL`, `NOTES`, `SEVERITY`.
        let result = find("CHECK_RESULT").or_else(|| find("RESULT"));
        let (Some(title_id), Some(result)) = (find("TITLE_ID"), result) else {
            let shown: Vec<String> = names.iter().take(6).map(|n| quoted(n, 40)).collect();
            return Err(format!(
                "not a {}: no TITLE_ID and CHECK_RESULT (or RESULT) columns (the header has {})",
                ScanFormat::Prowler2Csv.name(),
                shown.join(", ")
            ));
        };
        Ok(Columns {
            count: names.len(),
            account: find("ACCOUNT_NUM"),
            region: find("REGION"),
            title_id,
            result,
            title: find("TITLE_TEXT"),
            severity: find("CHECK_SEVERITY").or_else(|| find("SEVERITY")),
            resource: find("CHECK_RESOURCE_ID"),
            notes: find("CHECK_RESULT_EXTENDED").or_else(|| find("NOTES")),
            names,
        })
    }
}

/// Read a Prowler 2 CSV as a stream.
pub fn read_prowler2_csv(
    file: impl Read,
    size: u64,
    relative: &Path,
) -> Result<FindingsRead, Problem> {
    let (mut reader, record) = open_csv(file, relative)?;
    let columns = Columns::find(&record).map_err(|m| Problem::new(header_at(relative, 1), m))?;
    let mut time = time_in_name(relative).unwrap_or(0);
    let mut read = FindingsRead::new(relative.to_path_buf(), ScanFormat::Prowler2Csv);
    let mut progress = Progress::new(&format!("reading {}", relative.display()), size, "findings");
    let shape = RowShape {
        relative,
        count: columns.count,
        names: &columns.names,
        wide: WideRow::Drop(" (a message holding the separator?)"),
    };
    read_rows(
        &mut reader,
        &shape,
        &mut read,
        &mut progress,
        |record, read| fold_row(record, &columns, &mut time, read),
    )?;
    progress.done();
    read.finish();
    Ok(read)
}

fn fold_row(
    record: &csv::ByteRecord,
    columns: &Columns,
    time: &mut i64,
    read: &mut FindingsRead,
) -> Result<(), (usize, String)> {
    let text = |column: usize| -> Result<&str, (usize, String)> {
        std::str::from_utf8(record.get(column).unwrap_or_default())
            .map(str::trim)
            .map_err(|_| (column, "the cell is not valid UTF-8 text".to_string()))
    };
    let optional = |column: Option<usize>| column.map_or(Ok(""), text);
    let title = optional(columns.title)?;
    // Row 0.0 (`Show report generation info`) is about the run, not a check: its notes
    // give the scan's time where the file name does not.
    if text(columns.title_id)? == "0.0" {
        if *time == 0 {
            *time = timestamp_in_notes(optional(columns.notes)?).unwrap_or(0);
        }
        read.set_aside("Prowler 2's report information row (0.0), not a check");
        return Ok(());
    }
    let check_id = match bracketed_name(title) {
        Some(name) => name,
        None => text(columns.title_id)?,
    };
    if check_id.is_empty() {
        return Err((
            columns.title_id,
            "no check id (TITLE_ID or [name] in TITLE_TEXT)".into(),
        ));
    }
    let result = text(columns.result)?;
    let (status, muted) = match result.to_ascii_uppercase().as_str() {
        "" => return Err((columns.result, "no CHECK_RESULT".into())),
        "WARNING" => (ScanStatus::Fail, true),
        other => (ScanStatus::parse(other), false),
    };
    let resource = match optional(columns.resource)? {
        "" => {
            let (account, region) = (optional(columns.account)?, optional(columns.region)?);
            if account.is_empty() {
                return Err((
                    columns.account.unwrap_or(0),
                    "no resource (CHECK_RESOURCE_ID or ACCOUNT_NUM)".into(),
                ));
            }
            match region {
                "" => account.to_string(),
                region => format!("{account}/{region}"),
            }
        }
        id => id.to_string(),
    };
    let title = title.trim_start_matches(&format!("[{check_id}]")).trim();
    let check = read.check(check_id, title);
    let severity = Severity::parse(optional(columns.severity)?);
    read.record(
        check,
        &resource,
        Latest {
            time: *time,
            status,
            muted,
            severity,
        },
    );
    Ok(())
}

/// `check11` in `[check11] Avoid the use of the root account (Scored)`.
fn bracketed_name(title: &str) -> Option<&str> {
    let rest = title.strip_prefix('[')?;
    let (name, _) = rest.split_once(']')?;
    let name = name.trim();
    (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then_some(name)
}

/// The time in row 0.0's notes: `ARN: arn:aws:iam::...  TIMESTAMP: 2021-01-31T18:34:14+0000`.
fn timestamp_in_notes(notes: &str) -> Option<i64> {
    let (_, after) = notes.split_once("TIMESTAMP:")?;
    let stamp = after.split_whitespace().next()?;
    chrono::DateTime::parse_from_str(stamp, "%Y-%m-%dT%H:%M:%S%z")
        .ok()
        .map(|t| t.timestamp())
        .or_else(|| parse_timestamp(stamp))
}

/// The time in Prowler 2's output name: `prowler-output-123456789012-20220314093000.csv`.
fn time_in_name(relative: &Path) -> Option<i64> {
    let stem = relative.file_stem()?.to_str()?;
    let stamp = stem.rsplit('-').next()?;
    if stamp.len() != 14 || !stamp.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    chrono::NaiveDateTime::parse_from_str(stamp, "%Y%m%d%H%M%S")
        .ok()
        .map(|t| t.and_utc().timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_check_is_the_bracketed_name_in_the_title() {
        assert_eq!(
            bracketed_name("[check11] Avoid the use of the root account (Scored)"),
            Some("check11")
        );
        assert_eq!(bracketed_name("[extra7100] x"), Some("extra7100"));
        assert_eq!(bracketed_name("Avoid [check11]"), None);
        assert_eq!(bracketed_name("[] x"), None);
    }

    #[test]
    fn the_scan_time_is_read_from_the_report_information_row() {
        assert_eq!(
            timestamp_in_notes(
                "ARN: arn:aws:iam::123456789012:user/example  TIMESTAMP: 2021-01-31T18:34:14+0000"
            ),
            Some(1612118054)
        );
        assert_eq!(timestamp_in_notes("no time here"), None);
    }

    #[test]
    fn the_scan_time_is_read_from_prowler_2s_file_name() {
        assert_eq!(
            time_in_name(Path::new(
                "scans/prowler-output-123456789012-20220314093000.csv"
            )),
            Some(1647250200)
        );
        assert_eq!(time_in_name(Path::new("scans/prowler2.csv")), None);
    }
}
