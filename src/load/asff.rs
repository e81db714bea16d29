//! Load: AWS Security Finding Format, as `aws securityhub get-findings` writes it
//! (`{"Findings": [...]}`), as exports and integrations wrap it (`findings`, an
//! EventBridge event's `detail.findings`, or an array of such events) or as Prowler
//! writes it (a bare array).
//! `Compliance.Status` is the result; the check is the Security Hub control
//! (`Compliance.SecurityControlId`, else `ProductFields.ControlId`), which the shipped
//! mapping resolves; `Compliance.RelatedRequirements` names requirements directly.

use crate::diag::Problem;
use crate::load::findings::{
    FindingsRead, Latest, ResourceKind, ScanFormat, ScanStatus, Severity, parse_timestamp,
};
use crate::load::json_stream::{ElementAt, read_findings};
use crate::load::loose::{Loose, loose_object};
use serde::Deserialize;
use std::io::Read;
use std::path::Path;

/// One finding as far as auditpack reads it, or (when `detail` is there) an EventBridge
/// event carrying findings. Every field is [`Loose`], so a wrong type drops the finding
/// it is in, not the file, and the stream is read straight into these structs.
#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct AsffFinding {
    generator_id: Loose<String>,
    title: Loose<String>,
    severity: Loose<AsffSeverity>,
    resources: Loose<Vec<Loose<AsffResource>>>,
    compliance: Loose<AsffCompliance>,
    product_fields: Loose<AsffProductFields>,
    workflow: Loose<AsffWorkflow>,
    record_state: Loose<String>,
    updated_at: Loose<String>,
    aws_account_id: Loose<String>,
    /// Set when the array element is an EventBridge event, not a finding: the
    /// findings it carries (several events saved in one array).
    #[serde(rename = "detail")]
    event: Loose<AsffEventDetail>,
}

/// An EventBridge event's `detail`: the findings it carries.
#[derive(Deserialize, Default)]
#[serde(default)]
struct AsffEventDetail {
    findings: Loose<Vec<Loose<AsffFinding>>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct AsffSeverity {
    label: Loose<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct AsffResource {
    id: Loose<String>,
    r#type: Loose<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct AsffCompliance {
    status: Loose<String>,
    related_requirements: Loose<Vec<Loose<String>>>,
    security_control_id: Loose<String>,
    associated_standards: Loose<Vec<Loose<AsffStandard>>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct AsffStandard {
    standards_id: Loose<String>,
}

/// The product fields auditpack reads: older control findings name their control and
/// standard here. Other product fields are free-form and not read.
#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct AsffProductFields {
    control_id: Loose<String>,
    rule_id: Loose<String>,
    standards_arn: Loose<String>,
    standards_guide_arn: Loose<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct AsffWorkflow {
    status: Loose<String>,
}

loose_object!(
    AsffFinding,
    AsffEventDetail,
    AsffSeverity,
    AsffResource,
    AsffCompliance,
    AsffStandard,
    AsffProductFields,
    AsffWorkflow,
);

/// Where the findings array may sit: `get-findings` output, exports, an EventBridge event.
pub const ASFF_ENVELOPES: &[&str] = &["Findings", "findings", "detail.findings"];

/// Read an ASFF file one finding at a time.
pub fn read_asff(file: impl Read, size: u64, relative: &Path) -> Result<FindingsRead, Problem> {
    read_findings(
        file,
        size,
        relative,
        ScanFormat::Asff,
        ASFF_ENVELOPES,
        unwrap_event,
        |element, at, read| match element {
            Element::Finding(finding) => fold_asff(finding, at, read),
            // The findings of an event are placed at the event's element.
            Element::Event(findings) => {
                for finding in findings {
                    fold_asff(finding, at, read);
                }
            }
        },
    )
}

/// An element of the findings array: a finding, or an EventBridge event carrying some.
/// Each is moved once on its way to the fold; boxing the finding would cost an
/// allocation per finding instead.
#[allow(clippy::large_enum_variant)]
enum Element {
    Finding(AsffFinding),
    Event(Vec<AsffFinding>),
}

/// An event's findings, where the element is an event; a wrong `detail` drops it whole.
fn unwrap_event(mut finding: AsffFinding) -> Result<Element, String> {
    Ok(match std::mem::take(&mut finding.event).take("detail")? {
        Some(detail) => Element::Event(detail.findings.take_all("detail.findings")?),
        None => Element::Finding(finding),
    })
}

/// A finding's fields as auditpack uses them, once their types are checked.
struct Checked {
    generator_id: Option<String>,
    title: Option<String>,
    severity: Option<String>,
    resources: Vec<(String, Option<String>)>,
    compliance: Option<Compliance>,
    product: ProductFields,
    suppressed: bool,
    archived: bool,
    updated_at: Option<String>,
    account: Option<String>,
}

struct Compliance {
    status: Option<String>,
    related_requirements: Vec<String>,
    security_control_id: Option<String>,
    standards: Vec<String>,
}

#[derive(Default)]
struct ProductFields {
    control_id: Option<String>,
    rule_id: Option<String>,
    standards: Vec<String>,
}

/// Check the types of the fields auditpack uses: the first wrong one is the reason the
/// finding is dropped. Free-form product fields of odd types are passed over.
fn check_types(finding: AsffFinding) -> Result<Checked, String> {
    let resources = finding
        .resources
        .take_all("Resources")?
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let id = r.id.take(format_args!("Resources[{i}].Id"))?;
            let kind = r.r#type.take(format_args!("Resources[{i}].Type"))?;
            Ok(id.map(|id| (id, kind)))
        })
        .collect::<Result<Vec<_>, String>>()?
        .into_iter()
        .flatten()
        .collect();
    let compliance = match finding.compliance.take("Compliance")? {
        Some(c) => Some(Compliance {
            status: c.status.take("Compliance.Status")?,
            related_requirements: c
                .related_requirements
                .take_all("Compliance.RelatedRequirements")?,
            security_control_id: c.security_control_id.take("Compliance.SecurityControlId")?,
            standards: c
                .associated_standards
                .take_all("Compliance.AssociatedStandards")?
                .into_iter()
                .filter_map(|s| s.standards_id.ok())
                .collect(),
        }),
        None => None,
    };
    let product = finding
        .product_fields
        .ok()
        .map(|p| ProductFields {
            control_id: p.control_id.ok(),
            rule_id: p.rule_id.ok(),
            standards: [p.standards_arn.ok(), p.standards_guide_arn.ok()]
                .into_iter()
                .flatten()
                .collect(),
        })
        .unwrap_or_default();
    let workflow = finding.workflow.take("Workflow")?;
    let workflow_status = match workflow {
        Some(w) => w.status.take("Workflow.Status")?,
        None => None,
    };
    let severity = match finding.severity.take("Severity")? {
        Some(s) => s.label.take("Severity.Label")?,
        None => None,
    };
    let record_state = finding.record_state.take("RecordState")?;
    Ok(Checked {
        generator_id: finding.generator_id.take("GeneratorId")?,
        title: finding.title.take("Title")?,
        severity,
        resources,
        compliance,
        product,
        suppressed: workflow_status.is_some_and(|s| s.eq_ignore_ascii_case("suppressed")),
        archived: record_state.is_some_and(|s| s.eq_ignore_ascii_case("archived")),
        updated_at: finding.updated_at.take("UpdatedAt")?,
        account: finding.aws_account_id.take("AwsAccountId")?,
    })
}

fn fold_asff(finding: AsffFinding, at: ElementAt, read: &mut FindingsRead) {
    let finding = match check_types(finding) {
        Ok(finding) => finding,
        Err(why) => return read.drop_finding(at, why),
    };
    if finding.archived {
        read.drop_finding(
            at,
            "archived finding (RecordState ARCHIVED): no longer current",
        );
        return;
    }
    let Some(compliance) = finding.compliance else {
        read.drop_finding(at, "no Compliance object: not a compliance check result");
        return;
    };
    let standards = compliance
        .standards
        .iter()
        .chain(&finding.product.standards);
    let control_id = finding.product.control_id.or(finding.product.rule_id);
    // A CIS Benchmark control found without a Security Hub control id (findings
    // written before consolidated control findings) is named by its CIS number.
    let cis = standards
        .into_iter()
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
            at,
            "no check id (Compliance.SecurityControlId, ProductFields.ControlId or GeneratorId)",
        );
        return;
    };
    if let (Some(key), Some(id)) = (&cis, &control_id) {
        check_id = format!("{key}/{}", id.trim());
    }
    let Some(status) = compliance.status.filter(|s| !s.trim().is_empty()) else {
        read.drop_finding(at, "no Compliance.Status");
        return;
    };
    let resources: Vec<(String, Option<String>)> = finding
        .resources
        .into_iter()
        .filter(|(id, _)| !id.trim().is_empty())
        .collect();
    if resources.is_empty() {
        read.drop_finding(at, "no resource (Resources[].Id)");
        return;
    }
    let time = match finding.updated_at.as_deref().map(parse_timestamp) {
        Some(Some(t)) => t,
        Some(None) => {
            read.drop_finding(at, "UpdatedAt is not a timestamp");
            return;
        }
        None => 0,
    };
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
    let latest = Latest {
        time,
        status: ScanStatus::parse(&status),
        muted: finding.suppressed,
        severity: Severity::parse(finding.severity.as_deref().unwrap_or("")),
    };
    let account = finding.account.unwrap_or_default();
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

/// The scanner key of a CIS AWS Foundations Benchmark standard, from its id or ARN
/// (`.../cis-aws-foundations-benchmark/v/1.2.0`): `CIS AWS Foundations Benchmark v1.2.0`.
fn cis_benchmark(standard: &str) -> Option<String> {
    let (_, after) = standard.split_once("cis-aws-foundations-benchmark")?;
    let version = after.trim_start_matches('/').trim_start_matches("v/");
    let version = version.split('/').next().unwrap_or_default();
    Some(format!("CIS AWS Foundations Benchmark v{version}"))
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
