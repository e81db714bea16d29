//! Load: Prowler 3's JSON output (`prowler <provider> -M json`), an array of findings
//! with `CheckID`, `Status`, `ResourceArn`/`ResourceId` and a `Compliance` map of
//! framework keys to requirement ids, read one finding at a time.

use crate::diag::{Location, Problem};
use crate::load::cloud_ids::element_as;
use crate::load::findings::{
    FindingsRead, Latest, ResourceKind, ScanFormat, ScanStatus, Severity, opt_string,
    parse_timestamp,
};
use crate::load::json_stream::{CountingReader, stream_json};
use crate::progress::Progress;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// One Prowler 3 finding, as far as auditpack reads it (field names from Prowler 3's
/// `Check_Output_JSON` model).
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ProwlerFinding {
    #[serde(default, deserialize_with = "opt_string")]
    assessment_start_time: Option<String>,
    #[serde(default, rename = "CheckID", deserialize_with = "opt_string")]
    check_id: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    check_title: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    status: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    severity: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    resource_arn: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    resource_id: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    resource_name: Option<String>,
    /// Later 3.x releases mark muted findings.
    #[serde(default)]
    muted: Option<bool>,
    #[serde(default)]
    compliance: Option<BTreeMap<String, Vec<String>>>,
    #[serde(default, deserialize_with = "opt_string")]
    provider: Option<String>,
    #[serde(default, rename = "AccountId", deserialize_with = "opt_string")]
    account_id: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    service_name: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    resource_type: Option<String>,
}

/// Read a Prowler 3 JSON file (a top-level array) one finding at a time.
pub fn read_prowler_json(
    file: impl Read,
    size: u64,
    relative: &Path,
) -> Result<FindingsRead, Problem> {
    let mut read = FindingsRead::new(relative.to_path_buf(), ScanFormat::ProwlerJson);
    let mut progress = Progress::new(&format!("reading {}", relative.display()), size, "findings");
    let counter = CountingReader::new(file);
    let bytes = counter.counter();
    let mut index = 0u64;
    let mut each = |value: serde_json::Value| {
        index += 1;
        if index.is_multiple_of(16_384) {
            progress.tick(bytes.get(), read.findings);
        }
        // A wrong type drops this finding with its reason; the rest are read.
        match element_as::<ProwlerFinding>(value) {
            Ok(finding) => fold_finding(finding, index, relative, &mut read),
            Err(why) => read.drop_finding(
                Location::Element {
                    path: relative.to_path_buf(),
                    index,
                },
                why,
            ),
        }
    };
    stream_json(counter, relative, &[], &mut each)?;
    progress.done();
    read.finish();
    Ok(read)
}

fn fold_finding(finding: ProwlerFinding, index: u64, relative: &Path, read: &mut FindingsRead) {
    let at = || Location::Element {
        path: relative.to_path_buf(),
        index,
    };
    let Some(check_id) = finding.check_id.filter(|c| !c.trim().is_empty()) else {
        read.drop_finding(at(), "no check id (CheckID)");
        return;
    };
    let Some(status) = finding.status.filter(|s| !s.trim().is_empty()) else {
        read.drop_finding(at(), "no status (Status)");
        return;
    };
    // AWS findings carry an ARN and a short id; Azure and GCP an id and a name.
    let resource = [
        finding.resource_arn,
        finding.resource_id,
        finding.resource_name,
    ]
    .into_iter()
    .flatten()
    .find(|r| !r.trim().is_empty());
    let Some(resource) = resource else {
        read.drop_finding(
            at(),
            "no resource (ResourceArn, ResourceId or ResourceName)",
        );
        return;
    };
    let time = match finding.assessment_start_time.as_deref().map(str::trim) {
        None | Some("") => 0,
        Some(text) => match parse_timestamp(text) {
            Some(t) => t,
            None => {
                read.drop_finding(at(), "AssessmentStartTime is not a timestamp");
                return;
            }
        },
    };
    let check = read.check(
        check_id.trim(),
        finding.check_title.as_deref().unwrap_or(""),
    );
    for (key, ids) in finding.compliance.unwrap_or_default() {
        for id in ids {
            read.requirement(check, &key, &id);
        }
    }
    let latest = Latest {
        time,
        status: ScanStatus::parse(&status),
        muted: finding.muted.unwrap_or(false),
        severity: Severity::parse(finding.severity.as_deref().unwrap_or("")),
    };
    read.record(check, resource.trim(), latest);
    read.describe(resource.trim(), || ResourceKind {
        provider: finding.provider.unwrap_or_default().to_lowercase(),
        account: finding.account_id.unwrap_or_default(),
        service: finding.service_name.unwrap_or_default(),
        resource_type: finding.resource_type.unwrap_or_default(),
    });
}
