//! Load: AWS Security Finding Format, as `aws securityhub get-findings` writes it
//! (`{"Findings": [...]}`), as exports and integrations wrap it (`findings`, an
//! EventBridge event's `detail.findings`, or an array of such events) or as Prowler
//! writes it (a bare array).
//! `Compliance.Status` is the result; the check is the Security Hub control
//! (`Compliance.SecurityControlId`, else `ProductFields.ControlId`), which the shipped
//! mapping resolves; `Compliance.RelatedRequirements` names requirements directly.

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

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AsffFinding {
    #[serde(default, deserialize_with = "opt_string")]
    generator_id: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    title: Option<String>,
    #[serde(default)]
    severity: AsffSeverity,
    #[serde(default)]
    resources: Vec<AsffResource>,
    #[serde(default)]
    compliance: Option<AsffCompliance>,
    #[serde(default)]
    product_fields: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    workflow: AsffWorkflow,
    #[serde(default, deserialize_with = "opt_string")]
    record_state: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    updated_at: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    aws_account_id: Option<String>,
    /// Set when the array element is an EventBridge event, not a finding: the
    /// findings it carries (several events saved in one array).
    #[serde(default, rename = "detail")]
    event: Option<AsffEventDetail>,
}

/// An EventBridge event's `detail`: the findings it carries.
#[derive(Deserialize, Default)]
struct AsffEventDetail {
    #[serde(default)]
    findings: Vec<AsffFinding>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
struct AsffSeverity {
    #[serde(default, deserialize_with = "opt_string")]
    label: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AsffResource {
    #[serde(default, deserialize_with = "opt_string")]
    id: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    r#type: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
struct AsffCompliance {
    #[serde(default, deserialize_with = "opt_string")]
    status: Option<String>,
    #[serde(default)]
    related_requirements: Vec<String>,
    #[serde(default, deserialize_with = "opt_string")]
    security_control_id: Option<String>,
    #[serde(default)]
    associated_standards: Vec<AsffStandard>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
struct AsffStandard {
    #[serde(default, deserialize_with = "opt_string")]
    standards_id: Option<String>,
}

/// Where the findings array may sit: `get-findings` output, exports, an EventBridge event.
pub const ASFF_ENVELOPES: &[&str] = &["Findings", "findings", "detail.findings"];

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
struct AsffWorkflow {
    #[serde(default, deserialize_with = "opt_string")]
    status: Option<String>,
}

/// Read an ASFF file one finding at a time.
pub fn read_asff(file: impl Read, size: u64, relative: &Path) -> Result<FindingsRead, Problem> {
    let mut read = FindingsRead::new(relative.to_path_buf(), ScanFormat::Asff);
    let mut progress = Progress::new(&format!("reading {}", relative.display()), size, "findings");
    let counter = CountingReader::new(file);
    let bytes = counter.counter();
    let mut index = 0u64;
    let mut each = |value: serde_json::Value| {
        index += 1;
        if index.is_multiple_of(16_384) {
            progress.tick(bytes.get(), read.findings);
        }
        // A wrong type drops this finding (or event) with its reason; the rest are read.
        let finding = match element_as::<AsffFinding>(value) {
            Ok(finding) => finding,
            Err(why) => {
                let at = Location::Element {
                    path: relative.to_path_buf(),
                    index,
                };
                read.drop_finding(at, why);
                return;
            }
        };
        match finding.event {
            // The findings of an event are placed at the event's element.
            Some(detail) => {
                for inner in detail.findings {
                    fold_asff(inner, index, relative, &mut read);
                }
            }
            None => fold_asff(finding, index, relative, &mut read),
        }
    };
    stream_json(counter, relative, ASFF_ENVELOPES, &mut each)?;
    progress.done();
    read.finish();
    Ok(read)
}

fn fold_asff(finding: AsffFinding, index: u64, relative: &Path, read: &mut FindingsRead) {
    let at = || Location::Element {
        path: relative.to_path_buf(),
        index,
    };
    if finding
        .record_state
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case("archived"))
    {
        read.drop_finding(
            at(),
            "archived finding (RecordState ARCHIVED): no longer current",
        );
        return;
    }
    let Some(compliance) = finding.compliance else {
        read.drop_finding(at(), "no Compliance object: not a compliance check result");
        return;
    };
    let standards = standards_of(&compliance, &finding.product_fields);
    let control_id = product_field(&finding.product_fields, "ControlId")
        .or_else(|| product_field(&finding.product_fields, "RuleId"));
    // A CIS Benchmark control found without a Security Hub control id (findings
    // written before consolidated control findings) is named by its CIS number.
    let cis = standards
        .iter()
        .find_map(|s| cis_benchmark(s))
        .filter(|_| compliance.security_control_id.is_none());
    let check_id = compliance
        .security_control_id
        .clone()
        .or_else(|| control_id.clone())
        .or(finding.generator_id)
        .filter(|c| !c.trim().is_empty());
    let Some(mut check_id) = check_id else {
        read.drop_finding(
            at(),
            "no check id (Compliance.SecurityControlId, ProductFields.ControlId or GeneratorId)",
        );
        return;
    };
    if let (Some(key), Some(id)) = (&cis, &control_id) {
        check_id = format!("{key}/{}", id.trim());
    }
    let Some(status) = compliance.status.filter(|s| !s.trim().is_empty()) else {
        read.drop_finding(at(), "no Compliance.Status");
        return;
    };
    let resources: Vec<(String, Option<String>)> = finding
        .resources
        .into_iter()
        .filter_map(|r| r.id.filter(|i| !i.trim().is_empty()).map(|i| (i, r.r#type)))
        .collect();
    if resources.is_empty() {
        read.drop_finding(at(), "no resource (Resources[].Id)");
        return;
    }
    let check = read.check(check_id.trim(), finding.title.as_deref().unwrap_or(""));
    for requirement in &compliance.related_requirements {
        for (key, id) in parse_related_requirement(requirement) {
            read.requirement(check, &key, &id);
        }
    }
    if let (Some(key), Some(id)) = (cis, control_id.as_deref()) {
        let id = id.trim().trim_start_matches("CIS.");
        read.requirement(check, &key, id);
    }
    let time = match finding.updated_at.as_deref().map(parse_timestamp) {
        Some(Some(t)) => t,
        Some(None) => {
            read.drop_finding(at(), "UpdatedAt is not a timestamp");
            return;
        }
        None => 0,
    };
    let latest = Latest {
        time,
        status: ScanStatus::parse(&status),
        muted: finding
            .workflow
            .status
            .is_some_and(|s| s.eq_ignore_ascii_case("suppressed")),
        severity: Severity::parse(finding.severity.label.as_deref().unwrap_or("")),
    };
    let account = finding.aws_account_id.unwrap_or_default();
    for (resource, resource_type) in resources {
        read.record(check, &resource, latest);
        read.describe(&resource, || ResourceKind {
            provider: "aws".to_string(),
            account: account.clone(),
            service: String::new(),
            resource_type: resource_type.unwrap_or_default(),
        });
    }
}

/// The standards a finding belongs to: `Compliance.AssociatedStandards[].StandardsId`,
/// else the older `ProductFields.StandardsArn` or `StandardsGuideArn`.
fn standards_of(
    compliance: &AsffCompliance,
    fields: &BTreeMap<String, serde_json::Value>,
) -> Vec<String> {
    let mut standards: Vec<String> = compliance
        .associated_standards
        .iter()
        .filter_map(|s| s.standards_id.clone())
        .collect();
    for name in ["StandardsArn", "StandardsGuideArn"] {
        standards.extend(product_field(fields, name));
    }
    standards
}

/// The scanner key of a CIS AWS Foundations Benchmark standard, from its id or ARN
/// (`.../cis-aws-foundations-benchmark/v/1.2.0`): `CIS AWS Foundations Benchmark v1.2.0`.
fn cis_benchmark(standard: &str) -> Option<String> {
    let (_, after) = standard.split_once("cis-aws-foundations-benchmark")?;
    let version = after.trim_start_matches('/').trim_start_matches("v/");
    let version = version.split('/').next().unwrap_or_default();
    Some(format!("CIS AWS Foundations Benchmark v{version}"))
}

fn product_field(fields: &BTreeMap<String, serde_json::Value>, name: &str) -> Option<String> {
    fields
        .get(name)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

/// `Compliance.RelatedRequirements` entries come in three shapes:
/// Prowler's `HIPAA 164_308_a_1_ii_a 164_312_b` (a key, then ids),
/// Security Hub's `PCI DSS 1.2.1` and `NIST.800-53.r5 AC-3` (a key, then one id), and
/// `CIS AWS Foundations Benchmark v1.2.0/1.1` (key and id split by a slash).
pub fn parse_related_requirement(text: &str) -> Vec<(String, String)> {
    let text = text.trim();
    if let Some((key, id)) = text.rsplit_once('/') {
        return vec![(key.trim().to_string(), id.trim().to_string())];
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    match words.as_slice() {
        [] | [_] => Vec::new(),
        [key, ids @ ..]
            if ids.len() > 1
                && ids.iter().all(|i| i.contains(['_', '.']))
                && !key.contains('.') =>
        {
            ids.iter()
                .map(|id| (key.to_string(), id.to_string()))
                .collect()
        }
        [rest @ .., id] => vec![(rest.join(" "), id.to_string())],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cis_standards_are_named_by_their_version() {
        assert_eq!(
            cis_benchmark("arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0")
                .as_deref(),
            Some("CIS AWS Foundations Benchmark v1.2.0")
        );
        assert_eq!(
            cis_benchmark("standards/cis-aws-foundations-benchmark/v/1.4.0").as_deref(),
            Some("CIS AWS Foundations Benchmark v1.4.0")
        );
        assert_eq!(
            cis_benchmark("standards/aws-foundational-security-best-practices/v/1.0.0"),
            None
        );
    }

    #[test]
    fn related_requirements_in_each_shape() {
        let pairs = |t| parse_related_requirement(t);
        assert_eq!(
            pairs("PCI DSS 1.2.1"),
            vec![("PCI DSS".into(), "1.2.1".into())]
        );
        assert_eq!(
            pairs("NIST.800-53.r5 AC-3"),
            vec![("NIST.800-53.r5".into(), "AC-3".into())]
        );
        assert_eq!(
            pairs("HIPAA 164_308_a_1_ii_a 164_312_b"),
            vec![
                ("HIPAA".into(), "164_308_a_1_ii_a".into()),
                ("HIPAA".into(), "164_312_b".into())
            ]
        );
        assert_eq!(
            pairs("CIS AWS Foundations Benchmark v1.2.0/1.1"),
            vec![("CIS AWS Foundations Benchmark v1.2.0".into(), "1.1".into())]
        );
    }
}
