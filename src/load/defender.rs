//! Load: Microsoft Defender for Cloud assessments as JSON, one at a time: the array
//! `az security assessment list` writes, the REST API's `{"value": [...]}`, Azure
//! Resource Graph's `securityresources` rows (`az graph query`: `{"data": [...]}`), and
//! regulatory compliance assessments (`az security regulatory-compliance-assessments
//! list`, or Resource Graph rows of that type), whose id names the standard and control.
//! Each assessment keeps its resource with its ARM type and subscription.

use crate::diag::Problem;
use crate::load::cloud_ids::{
    arm_type, defender_standard_key, defender_status, resource_label, subscription_of,
};
use crate::load::findings::{
    FindingsRead, Latest, MCSB_KEY, RECOMMENDATION_KEY, ResourceKind, ScanFormat, Severity,
    parse_timestamp,
};
use crate::load::json_stream::{ElementAt, read_findings};
use crate::load::loose::{Field, Loose, loose_object};
use serde::Deserialize;
use std::io::Read;
use std::path::Path;

/// One assessment. The CLI flattens `properties` into the object in some versions, so
/// every field is looked for in both places. Every field is [`Loose`]: a wrong type
/// drops the assessment, not the file.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct Element {
    id: Loose<String>,
    name: Loose<String>,
    #[serde(rename = "type")]
    kind: Loose<String>,
    subscription_id: Loose<String>,
    properties: Loose<Body>,
    #[serde(flatten)]
    top: Body,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct Body {
    display_name: Loose<String>,
    resource_details: Loose<ResourceDetails>,
    status: Loose<AssessmentStatus>,
    metadata: Loose<Metadata>,
    /// Regulatory compliance assessments: `Passed`, `Failed`, `Skipped`, `Unsupported`.
    state: Loose<String>,
    description: Loose<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ResourceDetails {
    #[serde(alias = "Id", alias = "ResourceId")]
    id: Loose<String>,
    #[serde(rename = "resourceType", alias = "ResourceType")]
    resource_type: Loose<String>,
    #[serde(rename = "nativeResourceId", alias = "NativeResourceId")]
    native_id: Loose<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct AssessmentStatus {
    code: Loose<String>,
    cause: Loose<String>,
    status_change_date: Loose<String>,
    first_evaluation_date: Loose<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct Metadata {
    display_name: Loose<String>,
    severity: Loose<String>,
}

loose_object!(Element, Body, ResourceDetails, AssessmentStatus, Metadata);

/// An assessment's fields once their types are checked.
struct Assessment {
    id: Option<String>,
    name: Option<String>,
    kind: Option<String>,
    subscription_id: Option<String>,
    body: Checked,
}

#[derive(Default)]
struct Checked {
    display_name: Option<String>,
    resource_id: Option<String>,
    resource_type: Option<String>,
    native_id: Option<String>,
    code: Option<String>,
    cause: Option<String>,
    /// `statusChangeDate`, else `firstEvaluationDate`.
    changed: Option<String>,
    metadata_display_name: Option<String>,
    severity: Option<String>,
    state: Option<String>,
    description: Option<String>,
}

/// Check the types of the fields auditpack uses: the first wrong one is the reason the
/// assessment is dropped.
fn check_types(e: Element) -> Result<Assessment, String> {
    let (body, prefix) = match e.properties.take("properties")? {
        Some(body) => (body, "properties."),
        None => (e.top, ""),
    };
    let field = |name: &'static str| Field(prefix, name);
    let mut checked = Checked {
        display_name: body.display_name.take(field("displayName"))?,
        state: body.state.take(field("state"))?,
        description: body.description.take(field("description"))?,
        ..Checked::default()
    };
    if let Some(details) = body.resource_details.take(field("resourceDetails"))? {
        checked.resource_id = details.id.take(field("resourceDetails.id"))?;
        checked.resource_type = details
            .resource_type
            .take(field("resourceDetails.resourceType"))?;
        checked.native_id = details
            .native_id
            .take(field("resourceDetails.nativeResourceId"))?;
    }
    if let Some(status) = body.status.take(field("status"))? {
        checked.code = status.code.take(field("status.code"))?;
        checked.cause = status.cause.take(field("status.cause"))?;
        let changed = status
            .status_change_date
            .take(field("status.statusChangeDate"))?;
        let first = status
            .first_evaluation_date
            .take(field("status.firstEvaluationDate"))?;
        checked.changed = changed.or(first);
    }
    if let Some(metadata) = body.metadata.take(field("metadata"))? {
        checked.metadata_display_name =
            metadata.display_name.take(field("metadata.displayName"))?;
        checked.severity = metadata.severity.take(field("metadata.severity"))?;
    }
    Ok(Assessment {
        id: e.id.take("id")?,
        name: e.name.take("name")?,
        kind: e.kind.take("type")?,
        subscription_id: e.subscription_id.take("subscriptionId")?,
        body: checked,
    })
}

/// Read Defender assessments as JSON, one at a time.
pub fn read_defender_json(
    file: impl Read,
    size: u64,
    relative: &Path,
) -> Result<FindingsRead, Problem> {
    read_findings(
        file,
        size,
        relative,
        ScanFormat::DefenderJson,
        &["value", "data"],
        check_types,
        fold,
    )
}

fn fold(assessment: Assessment, at: ElementAt, read: &mut FindingsRead) {
    let Assessment {
        id,
        name,
        kind,
        subscription_id,
        body,
    } = assessment;
    let id = id.unwrap_or_default();
    let kind = kind.unwrap_or_default().to_ascii_lowercase();
    if kind.ends_with("regulatorycomplianceassessments") || body.state.is_some() {
        return fold_compliance(&id, name, subscription_id, body, at, read);
    }
    if !kind.is_empty() && kind != "microsoft.security/assessments" {
        read.set_aside(&format!(
            "a Resource Graph row of type {kind}, not an assessment"
        ));
        return;
    }
    let Some(code) = body.code.clone() else {
        read.drop_finding(at, "no status (properties.status.code)");
        return;
    };
    let Some(status) = defender_status(&code) else {
        let cause = body.cause.clone();
        read.set_aside(&format!(
            "not applicable to the resource ({})",
            cause.as_deref().unwrap_or(code.trim())
        ));
        return;
    };
    // The assessment's own id ends `/providers/Microsoft.Security/assessments/<key>`;
    // what comes before is the resource.
    let resource = body
        .resource_id
        .or(body.native_id)
        .filter(|r| !r.trim().is_empty())
        .or_else(|| {
            let lower = id.to_ascii_lowercase();
            lower
                .find("/providers/microsoft.security/assessments/")
                .map(|at| id[..at].to_string())
        });
    let Some(resource) = resource.filter(|r| !r.trim().is_empty()) else {
        read.drop_finding(at, "no resource (properties.resourceDetails.id)");
        return;
    };
    let title = body
        .display_name
        .or(body.metadata_display_name)
        .unwrap_or_default();
    let Some(key) = name
        .filter(|n| !n.trim().is_empty())
        .or_else(|| (!title.trim().is_empty()).then(|| title.clone()))
    else {
        read.drop_finding(at, "no assessment key (name) or display name");
        return;
    };
    let time = body
        .changed
        .as_deref()
        .and_then(parse_timestamp)
        .unwrap_or(0);
    // Resource Graph lower-cases its types; the id keeps the provider's spelling.
    let kind = arm_type(&resource).or(body.resource_type);
    let subscription = subscription_id.or_else(|| subscription_of(&resource).map(str::to_string));
    let label = resource_label(
        &resource,
        kind.as_deref(),
        subscription
            .as_deref()
            .map(|s| format!("subscription {s}"))
            .as_deref(),
    );
    let check = read.check(key.trim(), title.trim());
    if !title.trim().is_empty() {
        read.requirement(check, RECOMMENDATION_KEY, title.trim());
    }
    let severity = body
        .severity
        .as_deref()
        .map(Severity::parse)
        .unwrap_or_default();
    read.record(
        check,
        &label,
        Latest {
            time,
            status,
            muted: false,
            severity,
        },
    );
    // What the resource is and where it lives, for drift against the inventory.
    read.describe(&label, || ResourceKind {
        provider: "azure".to_string(),
        account: subscription.unwrap_or_default(),
        service: String::new(),
        resource_type: kind.unwrap_or_default(),
    });
}

/// A regulatory compliance assessment: its id names the standard and the control
/// (`.../regulatoryComplianceStandards/PCI-DSS-4/regulatoryComplianceControls/1.2.1/
/// regulatoryComplianceAssessments/<key>`); its state covers the subscription.
fn fold_compliance(
    id: &str,
    name: Option<String>,
    subscription_id: Option<String>,
    body: Checked,
    at: ElementAt,
    read: &mut FindingsRead,
) {
    let after = |segment: &str| -> Option<String> {
        let mut parts = id.split('/');
        parts.find(|p| p.eq_ignore_ascii_case(segment))?;
        parts.next().map(str::to_string)
    };
    let (Some(standard), Some(control)) = (
        after("regulatoryComplianceStandards"),
        after("regulatoryComplianceControls"),
    ) else {
        read.drop_finding(
            at,
            "a regulatory compliance assessment whose id names no standard and control",
        );
        return;
    };
    let state = body.state.unwrap_or_default();
    let Some(status) = defender_status(&state) else {
        read.set_aside(&format!(
            "regulatory compliance assessment {}",
            state.trim().to_ascii_lowercase()
        ));
        return;
    };
    let key = name
        .or_else(|| after("regulatoryComplianceAssessments"))
        .unwrap_or_else(|| format!("{standard}/{control}"));
    let subscription = subscription_id
        .or_else(|| subscription_of(id).map(str::to_string))
        .unwrap_or_else(|| "the subscription".to_string());
    let check = read.check(key.trim(), body.description.as_deref().unwrap_or("").trim());
    let key = defender_standard_key(&standard);
    // Resource Graph lower-cases ids; benchmark control ids are upper case (`IM-6`).
    let control = if key == MCSB_KEY {
        control.to_ascii_uppercase()
    } else {
        control
    };
    read.requirement(check, &key, &control);
    read.record(
        check,
        &format!("subscription {subscription}"),
        Latest {
            time: 0,
            status,
            muted: false,
            severity: Severity::default(),
        },
    );
}
