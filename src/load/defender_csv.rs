//! Load: Microsoft Defender for Cloud's CSV downloads, read as a stream: the
//! recommendations export (one row per recommendation and resource, a byte-order mark,
//! a `controls` cell holding JSON) and the regulatory compliance export (one row per
//! standard, control, assessment and resource). Columns are found by header name, in
//! any case and spacing; a file cut short is an error at its last line and field.

use crate::diag::Problem;
use crate::load::cloud_ids::{
    arm_type, defender_standard_key, defender_status, resource_label, subscription_of,
};
use crate::load::findings::{
    FindingsRead, Latest, MCSB_KEY, RECOMMENDATION_KEY, ResourceKind, SECURE_SCORE_KEY, ScanFormat,
    Severity, parse_timestamp,
};
use crate::load::scan_csv::{RowShape, WideRow, header_at, open_csv, read_rows};
use crate::progress::Progress;
use std::io::Read;
use std::path::Path;

/// Header names (lower case, letters and digits only) each column is known by.
const CHECK: &[&str] = &[
    "recommendationid",
    "assessmentkey",
    "assessmentid",
    "recommendationkey",
];
const TITLE: &[&str] = &[
    "recommendationdisplayname",
    "recommendationname",
    "recommendation",
    "assessmentname",
    "assessment",
    "displayname",
];
const RESOURCE: &[&str] = &[
    "resourceid",
    "azureresourceid",
    "nativeresourceid",
    "resource",
];
const RESOURCE_TYPE: &[&str] = &["resourcetype"];
const SUBSCRIPTION: &[&str] = &["subscriptionid", "subscription"];
const ACCOUNT: &[&str] = &["nativecloudaccountid", "cloudaccountid", "accountid"];
const STATUS: &[&str] = &[
    "state",
    "status",
    "resourcestate",
    "resourcestatus",
    "compliancestate",
    "healthstatus",
];
const SEVERITY: &[&str] = &["severity"];
const TIME: &[&str] = &[
    "exportedtimestamp",
    "statuschangedate",
    "firstevaluationdate",
    "lastupdated",
    "timegenerated",
];
const CONTROLS: &[&str] = &["controls", "securitycontrols", "securecontrol"];
const STANDARD: &[&str] = &[
    "standard",
    "compliancestandard",
    "regulatorycompliancestandard",
    "standardname",
];
const CONTROL: &[&str] = &["control", "controlid", "compliancecontrol"];

/// Where each column is, by index.
struct Columns {
    count: usize,
    check: Option<usize>,
    title: Option<usize>,
    resource: usize,
    resource_type: Option<usize>,
    subscription: Option<usize>,
    account: Option<usize>,
    status: usize,
    severity: Option<usize>,
    time: Option<usize>,
    controls: Option<usize>,
    standard: Option<usize>,
    control: Option<usize>,
    names: Vec<String>,
}

fn normalise(header: &[u8]) -> String {
    String::from_utf8_lossy(header)
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

impl Columns {
    fn find(header: &csv::ByteRecord) -> Result<Columns, String> {
        let names: Vec<String> = header.iter().map(normalise).collect();
        let find = |wanted: &[&str]| {
            wanted
                .iter()
                .find_map(|w| names.iter().position(|n| n == w))
        };
        let (check, title) = (find(CHECK), find(TITLE));
        let (resource, status) = (find(RESOURCE), find(STATUS));
        let mut missing = Vec::new();
        if check.is_none() && title.is_none() {
            missing.push("recommendationId or recommendationName");
        }
        if resource.is_none() {
            missing.push("resourceId");
        }
        if status.is_none() {
            missing.push("state");
        }
        if !missing.is_empty() {
            return Err(format!(
                "not a Defender for Cloud CSV export: no {} column (the header has {} columns)",
                missing.join(", "),
                names.len()
            ));
        }
        Ok(Columns {
            count: names.len(),
            check,
            title,
            resource: resource.unwrap_or(0),
            resource_type: find(RESOURCE_TYPE),
            subscription: find(SUBSCRIPTION),
            account: find(ACCOUNT),
            status: status.unwrap_or(0),
            severity: find(SEVERITY),
            time: find(TIME),
            controls: find(CONTROLS),
            standard: find(STANDARD),
            control: find(CONTROL),
            names,
        })
    }
}

/// Passes a file through with each CRLF line end made LF. The portal writes CRLF, and
/// the `csv` crate's record lines run one short after the first CRLF; with LF they are
/// the lines an editor shows.
struct LineEnds<R> {
    inner: R,
    /// A `\r` that ended the last read, held until the next byte shows what it ends.
    held: bool,
}

impl<R: Read> Read for LineEnds<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.len() < 2 {
            return self.inner.read(buf);
        }
        let start = usize::from(self.held);
        if self.held {
            buf[0] = b'\r';
        }
        let n = self.inner.read(&mut buf[start..])?;
        self.held = false;
        if n == 0 {
            return Ok(start);
        }
        let end = start + n;
        let mut kept = 0;
        for i in 0..end {
            let byte = buf[i];
            if byte == b'\r' {
                if i + 1 == end {
                    self.held = true;
                    continue;
                }
                if buf[i + 1] == b'\n' {
                    continue;
                }
            }
            buf[kept] = byte;
            kept += 1;
        }
        if kept == 0 {
            return self.read(buf);
        }
        Ok(kept)
    }
}

/// Read a Defender CSV export as a stream.
pub fn read_defender_csv(
    file: impl Read,
    size: u64,
    relative: &Path,
) -> Result<FindingsRead, Problem> {
    let file = LineEnds {
        inner: file,
        held: false,
    };
    let (mut reader, record) = open_csv(file, relative)?;
    let columns = Columns::find(&record).map_err(|m| Problem::new(header_at(relative, 1), m))?;
    let mut read = FindingsRead::new(relative.to_path_buf(), ScanFormat::DefenderCsv);
    let mut progress = Progress::new(&format!("reading {}", relative.display()), size, "findings");
    let mut last = Last::default();
    let shape = RowShape {
        relative,
        count: columns.count,
        names: &columns.names,
        wide: WideRow::AsShort,
    };
    read_rows(
        &mut reader,
        &shape,
        &mut read,
        &mut progress,
        |record, read| fold_row(record, &columns, read, &mut last),
    )?;
    progress.done();
    read.finish();
    Ok(read)
}

/// What the last row gave, so that a repeat of its resource or time is not worked out
/// again (exports list a resource's recommendations together).
#[derive(Default)]
struct Last {
    /// The resource, type, account and subscription cells, and the label made of them.
    resource: Vec<u8>,
    label: String,
    /// The time cell and its value.
    time: Vec<u8>,
    seconds: i64,
}

/// One row into the findings; on a bad cell, its column and what is wrong.
fn fold_row(
    record: &csv::ByteRecord,
    columns: &Columns,
    read: &mut FindingsRead,
    last: &mut Last,
) -> Result<(), (usize, String)> {
    let text = |column: usize| -> Result<&str, (usize, String)> {
        std::str::from_utf8(record.get(column).unwrap_or_default())
            .map(str::trim)
            .map_err(|_| (column, "the cell is not valid UTF-8 text".to_string()))
    };
    let cell =
        |column: Option<usize>| -> Result<&str, (usize, String)> { column.map_or(Ok(""), text) };
    let status_text = text(columns.status)?;
    if status_text.is_empty() {
        return Err((columns.status, "no state".to_string()));
    }
    let resource = text(columns.resource)?;
    if resource.is_empty() {
        return Err((columns.resource, "no resource id".to_string()));
    }
    let title = cell(columns.title)?;
    let key = match cell(columns.check)? {
        "" => title,
        key => key,
    };
    if key.is_empty() {
        return Err((
            columns.check.or(columns.title).unwrap_or(0),
            "no recommendation id or name".to_string(),
        ));
    }
    let Some(status) = defender_status(status_text) else {
        read.set_aside(&format!(
            "state {status_text}: the recommendation does not assess the resource"
        ));
        return Ok(());
    };
    let raw_time = columns
        .time
        .map_or(&[][..], |c| record.get(c).unwrap_or_default());
    if raw_time != last.time.as_slice() {
        last.seconds = match cell(columns.time)? {
            "" => 0,
            t => parse_timestamp(t).ok_or_else(|| {
                (
                    columns.time.unwrap_or(0),
                    format!("\"{t}\" is not a timestamp"),
                )
            })?,
        };
        last.time = raw_time.to_vec();
    }
    let time = last.seconds;
    // The cells the resource's label is made of, as one key.
    let mut cells = Vec::with_capacity(resource.len() + 64);
    for c in [
        Some(columns.resource),
        columns.resource_type,
        columns.account,
        columns.subscription,
    ]
    .into_iter()
    .flatten()
    {
        cells.extend_from_slice(record.get(c).unwrap_or_default());
        cells.push(0);
    }
    if cells != last.resource {
        let kind = match cell(columns.resource_type)? {
            "" => arm_type(resource),
            t => Some(t.to_string()),
        };
        let scope = match (cell(columns.account)?, cell(columns.subscription)?) {
            ("", "") => subscription_of(resource).map(|s| format!("subscription {s}")),
            ("", s) => Some(format!("subscription {s}")),
            (a, _) => Some(format!("account {a}")),
        };
        last.label = resource_label(resource, kind.as_deref(), scope.as_deref());
        last.resource = cells;
    }
    let check = read.check(key, title);
    if !title.is_empty() {
        read.requirement(check, RECOMMENDATION_KEY, title);
    }
    if let Some(c) = columns.controls {
        read.compliance(check, text(c)?, controls_in_cell);
    }
    if let (Some(s), Some(c)) = (columns.standard, columns.control) {
        let control = control_id(text(c)?);
        if !control.is_empty() {
            let key = defender_standard_key(text(s)?);
            let control = if key == MCSB_KEY {
                control.to_ascii_uppercase()
            } else {
                control.to_string()
            };
            read.requirement(check, &key, &control);
        }
    }
    let severity = Severity::parse(cell(columns.severity)?);
    read.record(
        check,
        &last.label,
        Latest {
            time,
            status,
            muted: false,
            severity,
        },
    );
    // What the resource is and where it lives, for drift against the inventory.
    read.describe(&last.label, || ResourceKind {
        provider: "azure".to_string(),
        account: subscription_of(resource).unwrap_or_default().to_string(),
        service: String::new(),
        resource_type: arm_type(resource).unwrap_or_default(),
    });
    Ok(())
}

/// A control cell may hold the id alone (`NS-2`) or the id and its name.
fn control_id(cell: &str) -> &str {
    let first = cell.split_whitespace().next().unwrap_or("");
    if first.chars().any(|c| c.is_ascii_digit()) {
        first.trim_end_matches([':', '.', ','])
    } else {
        cell
    }
}

/// The `controls` cell: JSON (a list of names or of objects with a name, or an object
/// keyed by name), or plain names separated by commas. Names shaped like Microsoft cloud
/// security benchmark ids (`NS-2`) are benchmark controls; others secure score controls.
pub fn controls_in_cell(cell: &str) -> Vec<(String, String)> {
    let mut names = Vec::new();
    match serde_json::from_str::<serde_json::Value>(cell) {
        Ok(value) => collect_names(&value, &mut names, 0),
        Err(_) => names.extend(cell.split([',', ';']).map(|n| n.trim().to_string())),
    }
    names
        .into_iter()
        .filter(|n| !n.is_empty() && n.len() <= 200)
        .map(|n| {
            let key = if is_mcsb_id(&n) {
                MCSB_KEY
            } else {
                SECURE_SCORE_KEY
            };
            (key.to_string(), n)
        })
        .collect()
}

fn collect_names(value: &serde_json::Value, names: &mut Vec<String>, depth: usize) {
    use serde_json::Value;
    if depth > 4 {
        return;
    }
    match value {
        Value::String(s) => names.push(s.trim().to_string()),
        Value::Array(items) => items
            .iter()
            .for_each(|v| collect_names(v, names, depth + 1)),
        Value::Object(map) => {
            let named = ["controlName", "displayName", "name", "id"]
                .iter()
                .find_map(|k| map.get(*k).and_then(Value::as_str));
            match named {
                Some(n) => names.push(n.trim().to_string()),
                None => names.extend(map.keys().map(|k| k.trim().to_string())),
            }
        }
        _ => {}
    }
}

/// `NS-2`, `IM-1`, `DP-3`: two or three capitals, a dash, a number.
fn is_mcsb_id(name: &str) -> bool {
    let Some((family, number)) = name.split_once('-') else {
        return false;
    };
    (2..=3).contains(&family.len())
        && family.bytes().all(|b| b.is_ascii_uppercase())
        && !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::BufReader;

    #[test]
    fn controls_cells_name_benchmark_and_secure_score_controls() {
        let pairs = controls_in_cell(r#"["Enable MFA", "IM-6"]"#);
        assert_eq!(
            pairs,
            [
                (SECURE_SCORE_KEY.to_string(), "Enable MFA".to_string()),
                (MCSB_KEY.to_string(), "IM-6".to_string())
            ]
        );
        assert_eq!(
            controls_in_cell(r#"{"Secure management ports": 1}"#).len(),
            1
        );
        assert_eq!(controls_in_cell("NS-2, Encrypt data in transit").len(), 2);
        assert!(controls_in_cell("").is_empty());
    }

    #[test]
    fn crlf_line_ends_become_lf_across_reads() {
        for chunk in [1, 2, 3, 7, 64] {
            let source = b"a,b\r\n1,\r2\r\n\r\n3,4\r";
            let reader = LineEnds {
                inner: Chunked(&source[..], chunk),
                held: false,
            };
            let mut out = Vec::new();
            let mut reader = BufReader::with_capacity(chunk.max(2), reader);
            std::io::copy(&mut reader, &mut out).unwrap();
            assert_eq!(out, b"a,b\n1,\r2\n\n3,4\r", "chunk {chunk}");
        }
    }

    /// A reader that gives at most `n` bytes a read.
    struct Chunked<'a>(&'a [u8], usize);

    impl Read for Chunked<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.1.min(buf.len()).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn control_cells_give_their_id() {
        assert_eq!(control_id("NS-2 Secure cloud services"), "NS-2");
        assert_eq!(control_id("1.2.1"), "1.2.1");
        assert_eq!(control_id("A.9.2.1: User registration"), "A.9.2.1");
    }
}
