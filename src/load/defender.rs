//! Load: Microsoft Defender for Cloud assessments as JSON, one at a time: the array
//! `az security assessment list` writes, the REST API's `{"value": [...]}`, Azure
//! Resource Graph's `securityresources` rows (`az graph query`: `{"data": [...]}`), and
//! regulatory compliance assessments (`az security regulatory-compliance-assessments
//! list`, or Resource Graph rows of that type), whose id names the standard and control.
//! Each assessment keeps its resource with its ARM type and subscription.

use crate::diag::{Location, Problem};
use crate::load::cloud_ids::{
    arm_type, defender_standard_key, defender_status, element_as, resource_label, subscription_of,
    without_bom,
};
use crate::load::findings::{
    FindingsRead, Latest, MCSB_KEY, RECOMMENDATION_KEY, ResourceKind, ScanFormat, Severity,
    opt_string, parse_timestamp,
};
use crate::load::json_stream::{CountingReader, stream_json};
use crate::progress::Progress;
use serde::Deserialize;
use std::io::Read;
use std::path::Path;

/// One assessment. The CLI flattens `properties` into the object in some versions, so
/// every field is looked for in both places.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Element {
    #[serde(default, deserialize_with = "opt_string")]
    id: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    name: Option<String>,
    #[serde(default, rename = "type", deserialize_with = "opt_string")]
    kind: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    subscription_id: Option<String>,
    #[serde(default)]
    properties: Option<Body>,
    #[serde(flatten)]
    top: Body,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Body {
    #[serde(default, deserialize_with = "opt_string")]
    display_name: Option<String>,
    #[serde(default)]
    resource_details: Option<ResourceDetails>,
    #[serde(default)]
    status: Option<AssessmentStatus>,
    #[serde(default)]
    metadata: Option<Metadata>,
    /// Regulatory compliance assessments: `Passed`, `Failed`, `Skipped`, `Unsupported`.
    #[serde(default, deserialize_with = "opt_string")]
    state: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    description: Option<String>,
}

#[derive(Deserialize, Default)]
struct ResourceDetails {
    #[serde(
        default,
        alias = "Id",
        alias = "ResourceId",
        deserialize_with = "opt_string"
    )]
    id: Option<String>,
    #[serde(default, alias = "ResourceType", deserialize_with = "opt_string")]
    #[serde(rename = "resourceType")]
    resource_type: Option<String>,
    #[serde(default, alias = "NativeResourceId", deserialize_with = "opt_string")]
    #[serde(rename = "nativeResourceId")]
    native_id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct AssessmentStatus {
    #[serde(default, deserialize_with = "opt_string")]
    code: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    cause: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    status_change_date: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    first_evaluation_date: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Metadata {
    #[serde(default, deserialize_with = "opt_string")]
    display_name: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    severity: Option<String>,
}

/// Read Defender assessments as JSON, one at a time.
pub fn read_defender_json(
    file: impl Read,
    size: u64,
    relative: &Path,
) -> Result<FindingsRead, Problem> {
    let mut read = FindingsRead::new(relative.to_path_buf(), ScanFormat::DefenderJson);
    let mut progress = Progress::new(&format!("reading {}", relative.display()), size, "findings");
    let counter = CountingReader::new(without_bom(file).map_err(|e| {
        Problem::new(
            Location::file(relative),
            format!("failed to read the file ({e})"),
        )
    })?);
    let bytes = counter.counter();
    let mut index = 0u64;
    let mut each = |value: serde_json::Value| {
        index += 1;
        if index.is_multiple_of(16_384) {
            progress.tick(bytes.get(), read.findings);
        }
        let at = Location::Element {
            path: relative.to_path_buf(),
            index,
        };
        match element_as::<Element>(value) {
            Ok(element) => fold(element, at, &mut read),
            Err(why) => read.drop_finding(at, why),
        }
    };
    stream_json(counter, relative, &["value", "data"], &mut each)?;
    progress.done();
    read.finish();
    Ok(read)
}

fn fold(element: Element, at: Location, read: &mut FindingsRead) {
    let Element {
        id,
        name,
        kind,
        subscription_id,
        properties,
        top,
    } = element;
    let body = properties.unwrap_or(top);
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
    let Some(code) = body.status.as_ref().and_then(|s| s.code.clone()) else {
        read.drop_finding(at, "no status (properties.status.code)");
        return;
    };
    let Some(status) = defender_status(&code) else {
        let cause = body.status.as_ref().and_then(|s| s.cause.clone());
        read.set_aside(&format!(
            "not applicable to the resource ({})",
            cause.as_deref().unwrap_or(code.trim())
        ));
        return;
    };
    let details = body.resource_details.unwrap_or_default();
    // The assessment's own id ends `/providers/Microsoft.Security/assessments/<key>`;
    // what comes before is the resource.
    let resource = details
        .id
        .or(details.native_id)
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
        .or_else(|| body.metadata.as_ref().and_then(|m| m.display_name.clone()))
        .unwrap_or_default();
    let Some(key) = name
        .filter(|n| !n.trim().is_empty())
        .or_else(|| (!title.trim().is_empty()).then(|| title.clone()))
    else {
        read.drop_finding(at, "no assessment key (name) or display name");
        return;
    };
    let time = body
        .status
        .as_ref()
        .and_then(|s| {
            s.status_change_date
                .as_deref()
                .or(s.first_evaluation_date.as_deref())
        })
        .and_then(parse_timestamp)
        .unwrap_or(0);
    // Resource Graph lower-cases its types; the id keeps the provider's spelling.
    let kind = arm_type(&resource).or(details.resource_type);
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
        .metadata
        .as_ref()
        .and_then(|m| m.severity.as_deref())
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
    body: Body,
    at: Location,
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
