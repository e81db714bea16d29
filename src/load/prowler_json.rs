//! Load: Prowler 3's JSON output (`prowler <provider> -M json`), an array of findings
//! with `CheckID`, `Status`, `ResourceArn`/`ResourceId` and a `Compliance` map of
//! framework keys to requirement ids, read one finding at a time.

use crate::diag::Problem;
use crate::load::findings::{
    FindingsRead, Latest, ResourceKind, ScanFormat, ScanStatus, Severity, parse_timestamp,
};
use crate::load::json_stream::{ElementAt, read_findings};
use crate::load::loose::{Loose, loose_object};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// One Prowler 3 finding, as far as auditpack reads it (field names from Prowler 3's
/// `Check_Output_JSON` model). Every field is [`Loose`]: a wrong type drops the finding.
#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct ProwlerFinding {
    assessment_start_time: Loose<String>,
    #[serde(rename = "CheckID")]
    check_id: Loose<String>,
    check_title: Loose<String>,
    status: Loose<String>,
    severity: Loose<String>,
    resource_arn: Loose<String>,
    resource_id: Loose<String>,
    resource_name: Loose<String>,
    /// Later 3.x releases mark muted findings.
    muted: Loose<bool>,
    compliance: Loose<BTreeMap<String, Loose<Vec<Loose<String>>>>>,
    provider: Loose<String>,
    #[serde(rename = "AccountId")]
    account_id: Loose<String>,
    service_name: Loose<String>,
    resource_type: Loose<String>,
}

loose_object!(ProwlerFinding);

/// A finding's fields once their types are checked.
struct Finding {
    assessment_start_time: Option<String>,
    check_id: Option<String>,
    check_title: Option<String>,
    status: Option<String>,
    severity: Option<String>,
    resources: [Option<String>; 3],
    muted: bool,
    compliance: Vec<(String, Vec<String>)>,
    provider: Option<String>,
    account_id: Option<String>,
    service_name: Option<String>,
    resource_type: Option<String>,
}

/// Check the types of the fields auditpack uses: the first wrong one is the reason the
/// finding is dropped.
fn check_types(f: ProwlerFinding) -> Result<Finding, String> {
    let mut compliance = Vec::new();
    for (key, ids) in f.compliance.take_entries("Compliance")? {
        let ids = Loose::Got(ids).take_all(format_args!("Compliance.{key}"))?;
        compliance.push((key, ids));
    }
    Ok(Finding {
        assessment_start_time: f.assessment_start_time.take("AssessmentStartTime")?,
        check_id: f.check_id.take("CheckID")?,
        check_title: f.check_title.take("CheckTitle")?,
        status: f.status.take("Status")?,
        severity: f.severity.take("Severity")?,
        resources: [
            f.resource_arn.take("ResourceArn")?,
            f.resource_id.take("ResourceId")?,
            f.resource_name.take("ResourceName")?,
        ],
        muted: f.muted.take("Muted")?.unwrap_or(false),
        compliance,
        provider: f.provider.take("Provider")?,
        account_id: f.account_id.take("AccountId")?,
        service_name: f.service_name.take("ServiceName")?,
        resource_type: f.resource_type.take("ResourceType")?,
    })
}

/// Read a Prowler 3 JSON file (a top-level array) one finding at a time.
pub fn read_prowler_json(
    file: impl Read,
    size: u64,
    relative: &Path,
) -> Result<FindingsRead, Problem> {
    read_findings(
        file,
        size,
        relative,
        ScanFormat::ProwlerJson,
        &[],
        check_types,
        fold_finding,
    )
}

fn fold_finding(finding: Finding, at: ElementAt, read: &mut FindingsRead) {
    let Some(check_id) = finding.check_id.filter(|c| !c.trim().is_empty()) else {
        read.drop_finding(at, "no check id (CheckID)");
        return;
    };
    let Some(status) = finding.status.filter(|s| !s.trim().is_empty()) else {
        read.drop_finding(at, "no status (Status)");
        return;
    };
    // AWS findings carry an ARN and a short id; Azure and GCP an id and a name.
    let resource = finding
        .resources
        .into_iter()
        .flatten()
        .find(|r| !r.trim().is_empty());
    let Some(resource) = resource else {
        read.drop_finding(at, "no resource (ResourceArn, ResourceId or ResourceName)");
        return;
    };
    let time = match finding.assessment_start_time.as_deref().map(str::trim) {
        None | Some("") => 0,
        Some(text) => match parse_timestamp(text) {
            Some(t) => t,
            None => {
                read.drop_finding(at, "AssessmentStartTime is not a timestamp");
                return;
            }
        },
    };
    let check = read.check(
        check_id.trim(),
        finding.check_title.as_deref().unwrap_or(""),
    );
    for (key, ids) in finding.compliance {
        for id in ids {
            read.requirement(check, &key, &id);
        }
    }
    let latest = Latest {
        time,
        status: ScanStatus::parse(&status),
        muted: finding.muted,
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
