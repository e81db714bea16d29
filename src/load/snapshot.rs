//! Load: a `snapshot.json` written by an earlier run, of this schema version or an older one.
//! Errors name the file and, where the JSON says, the line and column.

use crate::diag::{Location, Problem, json_error};
use crate::error::{Error, Result};
use crate::load::input::{InputKind, read_text};
use crate::model::snapshot::{
    AttestationSnapshot, ControlSnapshot, EvidenceSnapshot, ExceptionSnapshot, FrameworkSnapshot,
    InventorySnapshot, READABLE_SCHEMA_VERSIONS, SNAPSHOT_SCHEMA_VERSION, Snapshot,
};
use chrono::NaiveDate;
use serde::Deserialize;
use std::path::Path;

/// Read and check a snapshot file.
pub fn read_snapshot(path: &Path) -> Result<Snapshot> {
    let text = read_text(path, path, InputKind::Snapshot)
        .map_err(|message| Error::Problems(vec![Problem::new(Location::file(path), message)]))?;
    parse_snapshot(path, &text)
}

/// Parse a snapshot's text; `path` only names it in errors.
pub fn parse_snapshot(path: &Path, text: &str) -> Result<Snapshot> {
    #[derive(Deserialize)]
    struct Header {
        schema_version: Option<serde_json::Value>,
    }
    let header: Header = serde_json::from_str(text).map_err(|e| json_problem(path, &e))?;
    let version = header.schema_version.as_ref().and_then(|v| v.as_u64());
    match version {
        Some(3) => serde_json::from_str(text).map_err(|e| json_problem(path, &e)),
        Some(2) => serde_json::from_str(text)
            .map(without_placeholder_ends)
            .map_err(|e| json_problem(path, &e)),
        Some(1) => serde_json::from_str::<SnapshotV1>(text)
            .map(SnapshotV1::upgrade)
            .map(without_placeholder_ends)
            .map_err(|e| json_problem(path, &e)),
        _ => {
            let found = header
                .schema_version
                .map_or("no schema_version".to_string(), |v| {
                    format!("schema_version {v}")
                });
            let readable: Vec<String> = READABLE_SCHEMA_VERSIONS
                .iter()
                .map(|v| v.to_string())
                .collect();
            let readable = match readable.split_last() {
                Some((last, [])) => last.clone(),
                Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
                None => String::new(),
            };
            Err(problem(
                Location::file(path),
                format!(
                    "failed to read the snapshot ({found}; this auditpack reads schema versions {readable})"
                ),
            ))
        }
    }
}

/// Versions 1 and 2 wrote 9999-12-31 as the end of an agreement that names none;
/// version 3 leaves it empty, and no output prints the placeholder.
fn without_placeholder_ends(mut snapshot: Snapshot) -> Snapshot {
    let placeholder = NaiveDate::from_ymd_opt(9999, 12, 31);
    let reports = snapshot.attestations.iter_mut().chain(
        snapshot
            .vendors
            .iter_mut()
            .flat_map(|v| v.reports.iter_mut()),
    );
    for a in reports {
        if a.period_end == placeholder {
            a.period_end = None;
        }
    }
    snapshot
}

fn problem(location: Location, message: String) -> Error {
    Error::Problems(vec![Problem::new(location, message)])
}

/// A snapshot that does not parse: where, and what serde_json says is wrong.
fn json_problem(path: &Path, error: &serde_json::Error) -> Error {
    let (location, cause) = json_error(path, error);
    let what = match error.classify() {
        serde_json::error::Category::Eof => "the snapshot ends early: truncated? ",
        serde_json::error::Category::Syntax => "not valid JSON: ",
        _ => "",
    };
    problem(
        location,
        format!("failed to read the snapshot ({what}{cause})"),
    )
}

/// Schema version 1: no names beside ids, no exception reasons, no workload tiers.
#[derive(Deserialize)]
struct SnapshotV1 {
    tool_version: String,
    organization: String,
    period_start: NaiveDate,
    period_end: NaiveDate,
    as_of: NaiveDate,
    rows_read: usize,
    rows_mapped: usize,
    rows_reported: usize,
    frameworks: Vec<FrameworkV1>,
    inventory: Vec<InventoryV1>,
    exceptions: Vec<ExceptionV1>,
    attestations: Vec<AttestationV1>,
    evidence: Vec<EvidenceSnapshot>,
}

#[derive(Deserialize)]
struct FrameworkV1 {
    id: String,
    version: String,
    coverage: f64,
    controls: Vec<ControlSnapshot>,
}

#[derive(Deserialize)]
struct InventoryV1 {
    name: String,
    provider: String,
    service: String,
    model: String,
    tags: Vec<String>,
}

#[derive(Deserialize)]
struct ExceptionV1 {
    framework: String,
    control: String,
    ticket: String,
    approver: String,
    expires: NaiveDate,
    expired: bool,
}

#[derive(Deserialize)]
struct AttestationV1 {
    provider: String,
    report: String,
    frameworks: Vec<String>,
    period_start: NaiveDate,
    period_end: NaiveDate,
    bridge_letter_until: Option<NaiveDate>,
}

impl SnapshotV1 {
    /// The current shape; a name version 1 lacks is its id, a reason it lacks is empty.
    fn upgrade(self) -> Snapshot {
        Snapshot {
            schema_version: SNAPSHOT_SCHEMA_VERSION,
            tool_version: self.tool_version,
            organization: self.organization,
            period_start: self.period_start,
            period_end: self.period_end,
            as_of: self.as_of,
            rows_read: self.rows_read,
            rows_mapped: self.rows_mapped,
            rows_reported: self.rows_reported,
            frameworks: self
                .frameworks
                .into_iter()
                .map(|f| FrameworkSnapshot {
                    name: f.id.clone(),
                    id: f.id,
                    version: f.version,
                    coverage: f.coverage,
                    controls: f.controls,
                })
                .collect(),
            inventory: self
                .inventory
                .into_iter()
                .map(|i| InventorySnapshot {
                    service_name: i.service.clone(),
                    name: i.name,
                    provider: i.provider,
                    service: i.service,
                    model: i.model,
                    tier: None,
                    tags: i.tags,
                    layers: Vec::new(),
                })
                .collect(),
            sites: Vec::new(),
            vendors: Vec::new(),
            tabletop: Vec::new(),
            exceptions: self
                .exceptions
                .into_iter()
                .map(|e| ExceptionSnapshot {
                    framework: e.framework,
                    control: e.control,
                    reason: String::new(),
                    ticket: e.ticket,
                    approver: e.approver,
                    approved: None,
                    expires: e.expires,
                    expired: e.expired,
                })
                .collect(),
            attestations: self
                .attestations
                .into_iter()
                .map(|a| AttestationSnapshot {
                    name: format!("{} {}", a.provider.to_uppercase(), a.report),
                    provider: a.provider,
                    report: a.report,
                    frameworks: a.frameworks,
                    validity: None,
                    period_start: a.period_start,
                    period_end: Some(a.period_end),
                    issued: None,
                    bridge_letter_until: a.bridge_letter_until,
                    opinion: None,
                    coverage: String::new(),
                })
                .collect(),
            evidence: self.evidence,
            drift: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_truncated_snapshot_names_its_line_and_column() {
        let text = "{\n  \"schema_version\": 2,\n  \"frameworks\": [";
        let error = parse_snapshot(Path::new("old.json"), text).unwrap_err();
        let message = error.to_string();
        assert!(message.starts_with("error: old.json:3:"), "{message}");
        assert!(message.contains("truncated"), "{message}");
    }

    #[test]
    fn an_unknown_version_says_which_are_read() {
        let error = parse_snapshot(Path::new("s.json"), "{\"schema_version\": 9}").unwrap_err();
        assert_eq!(
            error.to_string(),
            "error: s.json: failed to read the snapshot (schema_version 9; this auditpack reads schema versions 1, 2 and 3)"
        );
    }
}
