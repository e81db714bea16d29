//! Load: Google Cloud Security Command Center findings, one at a time, as
//! `gcloud scc findings list --format=json` writes them (a list of `{"finding": ...,
//! "resource": ...}`), as the REST API returns them (`listFindingsResults`), or as bare
//! findings. The check is the finding's category (`PUBLIC_BUCKET_ACL`); its
//! `compliances` name CIS, PCI, NIST and ISO ids; the resource keeps its Cloud Asset
//! type and project.

use crate::diag::Problem;
use crate::load::cloud_ids::{asset_type, project_of, resource_label};
use crate::load::findings::{
    FindingsRead, Latest, ResourceKind, ScanFormat, ScanStatus, Severity, parse_timestamp,
};
use crate::load::json_stream::{ElementAt, read_findings};
use crate::load::loose::{Field, Loose, loose_object};
use serde::Deserialize;
use std::io::Read;
use std::path::Path;

/// One element: `{"finding": ..., "resource": ...}`, or a bare finding. Every field is
/// [`Loose`]: a wrong type drops the finding, not the file.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Element {
    #[serde(alias = "findings")]
    finding: Loose<Finding>,
    resource: Loose<Resource>,
    /// A bare finding, where the list holds findings themselves.
    #[serde(flatten)]
    bare: Finding,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct Finding {
    category: Loose<String>,
    state: Loose<String>,
    severity: Loose<String>,
    mute: Loose<String>,
    resource_name: Loose<String>,
    event_time: Loose<String>,
    finding_class: Loose<String>,
    description: Loose<String>,
    compliances: Loose<Vec<Loose<Compliance>>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Compliance {
    standard: Loose<String>,
    version: Loose<String>,
    ids: Loose<Vec<Loose<String>>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct Resource {
    name: Loose<String>,
    #[serde(rename = "type")]
    kind: Loose<String>,
    #[serde(alias = "project_display_name")]
    project_display_name: Loose<String>,
    #[serde(alias = "project_name")]
    project_name: Loose<String>,
}

loose_object!(Element, Finding, Compliance, Resource);

/// A finding's fields once their types are checked.
struct Checked {
    category: Option<String>,
    state: Option<String>,
    severity: Option<String>,
    mute: Option<String>,
    resource_name: Option<String>,
    event_time: Option<String>,
    finding_class: Option<String>,
    description: Option<String>,
    /// Each standard's key words (standard, version) and the ids it names.
    compliances: Vec<(Option<String>, Option<String>, Vec<String>)>,
    resource: CheckedResource,
}

#[derive(Default)]
struct CheckedResource {
    name: Option<String>,
    kind: Option<String>,
    project_display_name: Option<String>,
    project_name: Option<String>,
}

/// Check the types of the fields auditpack uses: the first wrong one is the reason the
/// finding is dropped.
fn check_types(element: Element) -> Result<Checked, String> {
    let (finding, prefix) = match element.finding.take("finding")? {
        Some(finding) => (finding, "finding."),
        None => (element.bare, ""),
    };
    let field = |name: &'static str| Field(prefix, name);
    let mut compliances = Vec::new();
    for (i, c) in finding
        .compliances
        .take_all(field("compliances"))?
        .into_iter()
        .enumerate()
    {
        compliances.push((
            c.standard
                .take(format_args!("{prefix}compliances[{i}].standard"))?,
            c.version
                .take(format_args!("{prefix}compliances[{i}].version"))?,
            c.ids
                .take_all(format_args!("{prefix}compliances[{i}].ids"))?,
        ));
    }
    let resource = match element.resource.take("resource")? {
        Some(r) => CheckedResource {
            name: r.name.take("resource.name")?,
            kind: r.kind.take("resource.type")?,
            project_display_name: r.project_display_name.take("resource.projectDisplayName")?,
            project_name: r.project_name.take("resource.projectName")?,
        },
        None => CheckedResource::default(),
    };
    Ok(Checked {
        category: finding.category.take(field("category"))?,
        state: finding.state.take(field("state"))?,
        severity: finding.severity.take(field("severity"))?,
        mute: finding.mute.take(field("mute"))?,
        resource_name: finding.resource_name.take(field("resourceName"))?,
        event_time: finding.event_time.take(field("eventTime"))?,
        finding_class: finding.finding_class.take(field("findingClass"))?,
        description: finding.description.take(field("description"))?,
        compliances,
        resource,
    })
}

/// Read Security Command Center findings, one at a time.
pub fn read_scc(file: impl Read, size: u64, relative: &Path) -> Result<FindingsRead, Problem> {
    read_findings(
        file,
        size,
        relative,
        ScanFormat::Scc,
        &["listFindingsResults", "findings"],
        check_types,
        fold,
    )
}

fn fold(finding: Checked, at: ElementAt, read: &mut FindingsRead) {
    let resource = finding.resource;
    let Some(category) = finding.category.filter(|c| !c.trim().is_empty()) else {
        read.drop_finding(at, "no category (finding.category)");
        return;
    };
    let class = finding.finding_class.unwrap_or_default();
    if class.eq_ignore_ascii_case("SCC_ERROR") {
        read.set_aside(
            "a Security Command Center error about its own set-up, not about a resource",
        );
        return;
    }
    let status = match finding.state.as_deref().map(str::trim) {
        Some(s) if s.eq_ignore_ascii_case("ACTIVE") => ScanStatus::Fail,
        // An inactive finding: the condition was fixed or no longer holds.
        Some(s) if s.eq_ignore_ascii_case("INACTIVE") => ScanStatus::Pass,
        _ => {
            read.drop_finding(at, "no state ACTIVE or INACTIVE (finding.state)");
            return;
        }
    };
    let Some(name) = finding
        .resource_name
        .or(resource.name)
        .filter(|n| !n.trim().is_empty())
    else {
        read.drop_finding(at, "no resource (finding.resourceName)");
        return;
    };
    let time = match finding.event_time.as_deref().map(str::trim) {
        None | Some("") => 0,
        Some(t) => match parse_timestamp(t) {
            Some(t) => t,
            None => {
                read.drop_finding(at, "eventTime is not a timestamp");
                return;
            }
        },
    };
    let kind = asset_type(&name, resource.kind.as_deref());
    let project = resource
        .project_display_name
        .or_else(|| {
            resource
                .project_name
                .as_deref()
                .and_then(project_of)
                .map(str::to_string)
        })
        .or_else(|| project_of(&name).map(str::to_string))
        .map(|p| format!("project {p}"));
    let label = resource_label(&name, kind.as_deref(), project.as_deref());
    let check = read.check(
        category.trim(),
        finding.description.as_deref().unwrap_or(""),
    );
    for (standard, version, ids) in finding.compliances {
        let key = compliance_key(standard.as_deref().unwrap_or(""), version.as_deref());
        for id in ids {
            read.requirement(check, &key, &id);
        }
    }
    let muted = finding
        .mute
        .as_deref()
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("MUTED"));
    let severity = Severity::parse(finding.severity.as_deref().unwrap_or(""));
    read.record(
        check,
        &label,
        Latest {
            time,
            status,
            muted,
            severity,
        },
    );
    // What the resource is and where it lives, for drift against the inventory.
    read.describe(&label, || ResourceKind {
        provider: "gcp".to_string(),
        account: project_of(&name).unwrap_or_default().to_string(),
        service: String::new(),
        resource_type: kind.unwrap_or_default(),
    });
}

/// The scanner key of one of a finding's `compliances`: `cis` 1.2 is the CIS Google Cloud
/// Foundations Benchmark (`CIS-1.2`), `pci` 3.2.1 is `PCI-3.2.1`, and `iso` ids are ISO/IEC
/// 27001:2013 Annex A ids unless the version says 2022.
pub fn compliance_key(standard: &str, version: Option<&str>) -> String {
    let version = version.map(str::trim).filter(|v| !v.is_empty());
    let standard = standard.trim();
    match standard.to_ascii_lowercase().as_str() {
        "cis" => format!("CIS-{}", version.unwrap_or("GCP")),
        "pci" | "pci-dss" | "pci_dss" => match version {
            Some(v) => format!("PCI-{v}"),
            None => "PCI (no version given)".to_string(),
        },
        "iso" | "iso-27001" | "iso27001" => match version {
            Some(v) if v.contains("2022") => "ISO27001-2022".to_string(),
            _ => "ISO27001-2013".to_string(),
        },
        "hipaa" => "HIPAA".to_string(),
        "soc2" | "soc-2" => "SOC2".to_string(),
        other => match version {
            Some(v) => format!("{}-{v}", other.to_ascii_uppercase()),
            None => other.to_ascii_uppercase(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compliance_keys_keep_their_edition() {
        assert_eq!(compliance_key("cis", Some("1.2")), "CIS-1.2");
        assert_eq!(compliance_key("pci", Some("3.2.1")), "PCI-3.2.1");
        assert_eq!(compliance_key("iso", Some("")), "ISO27001-2013");
        assert_eq!(compliance_key("nist", Some("800-53 R4")), "NIST-800-53 R4");
    }
}
