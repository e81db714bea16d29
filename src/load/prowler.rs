//! Load: Prowler's outputs: the main CSV, the per-framework compliance CSV and JSON-OCSF.
//! Columns are found by header name, never by position: Prowler adds columns between versions.

use crate::diag::{Problem, quoted};
use crate::load::findings::{
    FindingsRead, Latest, ResourceKind, ScanFormat, ScanOptions, ScanStatus, Severity,
    parse_compliance_cell, parse_timestamp,
};
use crate::load::json_stream::{ElementAt, read_findings};
use crate::load::loose::{Loose, loose_object};
use crate::load::scan_csv::{RowShape, WideRow, header_at, open_csv, read_rows};
use crate::progress::Progress;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// The columns a Prowler CSV is read by.
struct Columns {
    count: usize,
    check: usize,
    title: Option<usize>,
    status: usize,
    resource: usize,
    time: Option<usize>,
    muted: Option<usize>,
    severity: Option<usize>,
    /// Main CSV: the `COMPLIANCE` cell.
    compliance: Option<usize>,
    /// Compliance CSV: `REQUIREMENTS_ID` and `FRAMEWORK`.
    requirement: Option<usize>,
    framework: Option<usize>,
    /// Main CSV: what each resource is and where (`PROVIDER`, `ACCOUNT_UID`,
    /// `SERVICE_NAME`, `RESOURCE_TYPE`), for inventory and drift.
    kind: [Option<usize>; 4],
    names: Vec<String>,
}

impl Columns {
    fn find(header: &csv::ByteRecord, format: ScanFormat) -> Result<Columns, String> {
        let names: Vec<String> = header
            .iter()
            .map(|h| {
                String::from_utf8_lossy(h)
                    .trim()
                    .trim_start_matches('\u{feff}')
                    .to_uppercase()
            })
            .collect();
        let find = |wanted: &[&str]| {
            wanted
                .iter()
                .find_map(|w| names.iter().position(|n| n == w))
        };
        type Names = &'static [&'static str];
        let (check, resource, time, required): (Names, Names, Names, Names) = match format {
            ScanFormat::ProwlerComplianceCsv => (
                &["CHECKID"],
                &["RESOURCEID"],
                &["ASSESSMENTDATE"],
                &["REQUIREMENTS_ID", "FRAMEWORK"],
            ),
            _ => (
                &["CHECK_ID"],
                &["RESOURCE_UID", "RESOURCE_ID"],
                &["TIMESTAMP"],
                &["COMPLIANCE"],
            ),
        };
        let mut missing: Vec<&'static str> = Vec::new();
        let mut need = |wanted: &[&'static str]| {
            let found = find(wanted);
            if found.is_none() {
                missing.push(wanted[0]);
            }
            found.unwrap_or(0)
        };
        let check = need(check);
        let status = need(&["STATUS"]);
        let resource = need(resource);
        for column in required {
            need(&[column]);
        }
        if !missing.is_empty() {
            return Err(format!(
                "not a {}: no {} column{} (the header has {})",
                format.name(),
                missing.join(", "),
                if missing.len() > 1 { "s" } else { "" },
                preview(&names)
            ));
        }
        Ok(Columns {
            count: names.len(),
            check,
            title: find(&["CHECK_TITLE", "NAME"]),
            status,
            resource,
            time: find(time),
            muted: find(&["MUTED"]),
            severity: find(&["SEVERITY"]),
            compliance: find(&["COMPLIANCE"]),
            requirement: find(&["REQUIREMENTS_ID"]),
            framework: find(&["FRAMEWORK"]),
            kind: [
                find(&["PROVIDER"]),
                find(&["ACCOUNT_UID", "ACCOUNT_ID", "ACCOUNTID"]),
                find(&["SERVICE_NAME"]),
                find(&["RESOURCE_TYPE"]),
            ],
            names,
        })
    }
}

fn preview(names: &[String]) -> String {
    let shown: Vec<String> = names.iter().take(6).map(|n| quoted(n, 40)).collect();
    let more = names.len().saturating_sub(shown.len());
    match more {
        0 => shown.join(", "),
        n => format!("{}, and {n} more", shown.join(", ")),
    }
}

/// Read a Prowler CSV (main or compliance) as a stream.
pub fn read_prowler_csv(
    file: impl Read,
    size: u64,
    relative: &Path,
    format: ScanFormat,
    options: &ScanOptions,
) -> Result<FindingsRead, Problem> {
    let (mut reader, record) = open_csv(file, relative)?;
    let columns =
        Columns::find(&record, format).map_err(|m| Problem::new(header_at(relative, 1), m))?;
    let mut read = FindingsRead::new(relative.to_path_buf(), format);
    let mut progress = Progress::new(&format!("reading {}", relative.display()), size, "findings");
    let mut last_time: (Vec<u8>, i64) = (Vec::new(), 0);
    let shape = RowShape {
        relative,
        count: columns.count,
        names: &columns.names,
        wide: WideRow::Drop(""),
    };
    read_rows(
        &mut reader,
        &shape,
        &mut read,
        &mut progress,
        |record, read| fold_row(record, &columns, read, &mut last_time, options),
    )?;
    progress.done();
    read.finish();
    Ok(read)
}

/// One CSV row into the findings; on a bad cell, its column and what is wrong.
fn fold_row(
    record: &csv::ByteRecord,
    columns: &Columns,
    read: &mut FindingsRead,
    last_time: &mut (Vec<u8>, i64),
    options: &ScanOptions,
) -> Result<(), (usize, String)> {
    let text = |column: usize| -> Result<&str, (usize, String)> {
        std::str::from_utf8(record.get(column).unwrap_or_default())
            .map_err(|_| (column, "the cell is not valid UTF-8 text".to_string()))
    };
    let check_id = text(columns.check)?.trim();
    if check_id.is_empty() {
        return Err((columns.check, "no check id".to_string()));
    }
    let resource = text(columns.resource)?.trim();
    if resource.is_empty() {
        return Err((columns.resource, "no resource id".to_string()));
    }
    let status_text = text(columns.status)?;
    if status_text.trim().is_empty() {
        return Err((columns.status, "no status".to_string()));
    }
    let time = match columns.time {
        None => 0,
        Some(c) => {
            let raw = record.get(c).unwrap_or_default();
            if raw == last_time.0.as_slice() {
                last_time.1
            } else {
                let parsed = match text(c)?.trim() {
                    "" => 0,
                    t => parse_timestamp(t)
                        .ok_or_else(|| (c, format!("\"{t}\" is not a timestamp")))?,
                };
                *last_time = (raw.to_vec(), parsed);
                parsed
            }
        }
    };
    let title = match columns.title {
        Some(c) => text(c)?,
        None => "",
    };
    let check = read.check(check_id, title);
    if let Some(c) = columns.compliance {
        read.compliance(check, text(c)?, parse_compliance_cell);
    }
    if let (Some(r), Some(f)) = (columns.requirement, columns.framework) {
        let framework = text(f)?.trim();
        match (&options.framework, &options.version_hint) {
            (Some(ours), _) => read.requirement(check, ours, text(r)?),
            (None, Some(version)) if !framework.contains('-') => {
                read.requirement(check, &format!("{framework}-{version}"), text(r)?)
            }
            _ => read.requirement(check, framework, text(r)?),
        }
    }
    let muted = match columns.muted {
        Some(c) => text(c)?.trim().eq_ignore_ascii_case("true"),
        None => false,
    };
    let severity = match columns.severity {
        Some(c) => Severity::parse(text(c)?),
        None => Severity::default(),
    };
    read.record(
        check,
        resource,
        Latest {
            time,
            status: ScanStatus::parse(status_text),
            muted,
            severity,
        },
    );
    read.describe(resource, || {
        let cell = |c: Option<usize>| {
            c.and_then(|c| record.get(c))
                .map(|b| String::from_utf8_lossy(b).trim().to_string())
                .unwrap_or_default()
        };
        ResourceKind {
            provider: cell(columns.kind[0]).to_lowercase(),
            account: cell(columns.kind[1]),
            service: cell(columns.kind[2]),
            resource_type: cell(columns.kind[3]),
        }
    });
    Ok(())
}

/// One OCSF Detection Finding, as far as auditpack reads it. Every field is [`Loose`]:
/// a wrong type drops the finding, not the file.
#[derive(Deserialize, Default)]
#[serde(default)]
struct OcsfFinding {
    metadata: Loose<OcsfMetadata>,
    status_code: Loose<String>,
    /// `Suppressed` when the finding is muted.
    status: Loose<String>,
    severity: Loose<String>,
    finding_info: Loose<OcsfInfo>,
    resources: Loose<Vec<Loose<OcsfResource>>>,
    time: Loose<i64>,
    unmapped: Loose<OcsfUnmapped>,
    cloud: Loose<OcsfCloud>,
}

/// Where the finding's resources live: `cloud.provider`, `cloud.account.uid`.
#[derive(Deserialize, Default)]
#[serde(default)]
struct OcsfCloud {
    provider: Loose<String>,
    account: Loose<OcsfAccount>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OcsfAccount {
    uid: Loose<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OcsfGroup {
    name: Loose<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OcsfMetadata {
    event_code: Loose<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OcsfInfo {
    title: Loose<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OcsfResource {
    uid: Loose<String>,
    name: Loose<String>,
    r#type: Loose<String>,
    /// Prowler writes its service name here.
    group: Loose<OcsfGroup>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OcsfUnmapped {
    compliance: Loose<BTreeMap<String, Loose<Vec<Loose<String>>>>>,
}

loose_object!(
    OcsfFinding,
    OcsfCloud,
    OcsfAccount,
    OcsfGroup,
    OcsfMetadata,
    OcsfInfo,
    OcsfResource,
    OcsfUnmapped,
);

/// An OCSF finding's fields once their types are checked.
struct Ocsf {
    event_code: Option<String>,
    status_code: Option<String>,
    status: Option<String>,
    severity: Option<String>,
    title: Option<String>,
    /// Each resource's id (`uid`, else `name`), service and type.
    resources: Vec<(Option<String>, Option<String>, Option<String>)>,
    time: Option<i64>,
    compliance: Vec<(String, Vec<String>)>,
    provider: Option<String>,
    account: Option<String>,
}

/// Check the types of the fields auditpack uses: the first wrong one is the reason the
/// finding is dropped.
fn check_ocsf(f: OcsfFinding) -> Result<Ocsf, String> {
    let mut resources = Vec::new();
    for (i, r) in f.resources.take_all("resources")?.into_iter().enumerate() {
        let uid = r
            .uid
            .take(format_args!("resources[{i}].uid"))?
            .filter(|u| !u.is_empty());
        let id = match uid {
            Some(uid) => Some(uid),
            None => r.name.take(format_args!("resources[{i}].name"))?,
        };
        let service = match r.group.take(format_args!("resources[{i}].group"))? {
            Some(group) => group.name.take(format_args!("resources[{i}].group.name"))?,
            None => None,
        };
        let kind = r.r#type.take(format_args!("resources[{i}].type"))?;
        resources.push((id, service, kind));
    }
    let mut compliance = Vec::new();
    if let Some(unmapped) = f.unmapped.take("unmapped")? {
        for (key, ids) in unmapped.compliance.take_entries("unmapped.compliance")? {
            let ids = Loose::Got(ids).take_all(format_args!("unmapped.compliance.{key}"))?;
            compliance.push((key, ids));
        }
    }
    let (provider, account) = match f.cloud.take("cloud")? {
        Some(cloud) => (
            cloud.provider.take("cloud.provider")?,
            match cloud.account.take("cloud.account")? {
                Some(account) => account.uid.take("cloud.account.uid")?,
                None => None,
            },
        ),
        None => (None, None),
    };
    Ok(Ocsf {
        event_code: match f.metadata.take("metadata")? {
            Some(m) => m.event_code.take("metadata.event_code")?,
            None => None,
        },
        status_code: f.status_code.take("status_code")?,
        status: f.status.take("status")?,
        severity: f.severity.take("severity")?,
        title: match f.finding_info.take("finding_info")? {
            Some(info) => info.title.take("finding_info.title")?,
            None => None,
        },
        resources,
        time: f.time.take("time")?,
        compliance,
        provider,
        account,
    })
}

/// Read Prowler's JSON-OCSF (a top-level array) one finding at a time.
pub fn read_prowler_ocsf(
    file: impl Read,
    size: u64,
    relative: &Path,
) -> Result<FindingsRead, Problem> {
    read_findings(
        file,
        size,
        relative,
        ScanFormat::ProwlerOcsf,
        &[],
        check_ocsf,
        fold_ocsf,
    )
}

fn fold_ocsf(finding: Ocsf, at: ElementAt, read: &mut FindingsRead) {
    let Some(check_id) = finding.event_code.filter(|c| !c.trim().is_empty()) else {
        read.drop_finding(at, "no check id (metadata.event_code)");
        return;
    };
    let Some(status) = finding.status_code.filter(|s| !s.trim().is_empty()) else {
        read.drop_finding(at, "no status (status_code)");
        return;
    };
    let resources: Vec<(String, Option<String>, Option<String>)> = finding
        .resources
        .into_iter()
        .filter_map(|(id, service, kind)| Some((id?, service, kind)))
        .collect();
    if resources.is_empty() {
        read.drop_finding(at, "no resource (resources[].uid)");
        return;
    }
    let check = read.check(check_id.trim(), finding.title.as_deref().unwrap_or(""));
    for (key, ids) in finding.compliance {
        for id in ids {
            read.requirement(check, &key, &id);
        }
    }
    let latest = Latest {
        time: finding.time.unwrap_or(0),
        status: ScanStatus::parse(&status),
        muted: finding
            .status
            .is_some_and(|s| s.eq_ignore_ascii_case("suppressed")),
        severity: Severity::parse(finding.severity.as_deref().unwrap_or("")),
    };
    let provider = finding.provider.unwrap_or_default().to_lowercase();
    let account = finding.account.unwrap_or_default();
    for (resource, service, resource_type) in resources {
        read.record(check, &resource, latest);
        read.describe(&resource, || ResourceKind {
            provider: provider.clone(),
            account: account.clone(),
            service: service.unwrap_or_default(),
            resource_type: resource_type.unwrap_or_default(),
        });
    }
}
