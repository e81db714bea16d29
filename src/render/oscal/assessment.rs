//! Render: OSCAL assessment results, and the small assessment plan they import.
//!
//! auditpack's evaluation is the assessment: one result for the as-of date whose
//! observations are the evidence rows the controls rely on (spreadsheet rows
//! examined; scanner files' per-control summaries, tested by the scanner), and
//! whose findings are the controls that are failing or missing, each citing the
//! observations behind it and the plan's implemented requirement. Past the PDF's
//! row bound the observations are one per control, counting its rows
//! (`summary`), so the file follows the controls, not the rows.
//!
//! OSCAL requires the results to import an assessment plan, so a minimal one is
//! written beside them: it imports the plan and reviews every control.

use super::summary::{self, Summary, Tally};
use super::system::{System, evidence_description};
use super::{ControlIds, Inputs, SSP_FILE, Uuids, metadata, prop, text, timestamp};
use crate::model::audit::{Audit, ControlAudit, Evidence, FrameworkAudit};
use crate::model::status::Status;
use serde_json::{Value, json};

/// The assessment plan's file name in the folder.
pub const PLAN_FILE: &str = "assessment-plan.json";
/// The assessment results' file name in the folder.
pub const RESULTS_FILE: &str = "assessment-results.json";

/// The statuses a finding is written for: the control is not met and nothing excuses it.
pub fn is_finding(status: Status) -> bool {
    matches!(status, Status::Failing | Status::Missing)
}

/// The assessment plan: auditpack's automated evaluation of every control of the plan.
pub fn assessment_plan(audit: &Audit) -> Value {
    let uuids = Uuids::new(audit);
    json!({ "assessment-plan": {
        "uuid": uuids.of("assessment-plan"),
        "metadata": metadata(
            audit,
            &format!("Assessment Plan: {}", audit.organization),
            &audit.as_of.to_string(),
        ),
        "import-ssp": { "href": SSP_FILE },
        "reviewed-controls": reviewed_controls(),
    }})
}

fn reviewed_controls() -> Value {
    json!({
        "description": "Every control of the system security plan, evaluated by auditpack from the evidence register, scanner exports and provider attestations.",
        "control-selections": [{ "include-all": {} }],
    })
}

/// The assessment results document.
pub fn assessment_results(audit: &Audit, ids: &ControlIds, inputs: &Inputs) -> Value {
    let uuids = Uuids::new(audit);
    let system = System::new(audit, &uuids);
    let observations: Vec<Value> = match &system.summary {
        Some(summary) => audit
            .frameworks
            .iter()
            .flat_map(|f| f.controls.iter().map(move |c| (f, c)))
            .filter_map(|(f, c)| {
                let tally = summary.tally(audit, c)?;
                Some(control_observation(audit, &uuids, summary, &tally, f, c))
            })
            .collect(),
        None => system
            .evidence
            .iter()
            .map(|(index, resource)| observation(audit, &uuids, *index, resource))
            .collect(),
    };
    let findings: Vec<Value> = audit
        .frameworks
        .iter()
        .flat_map(|f| f.controls.iter().map(move |c| (f, c)))
        .filter(|(_, c)| is_finding(c.status))
        .map(|(f, c)| finding(&system, &uuids, ids, f, c))
        .collect();
    let mut result = json!({
        "uuid": uuids.of("assessment-results/result"),
        "title": text(&format!("auditpack evaluation as of {}", audit.as_of)),
        "description": text(&format!(
            "The status of every control at {}, derived from evidence, scanner results and provider attestations for the audit period {} to {}. Findings are the controls that are failing or missing.",
            audit.as_of, audit.period_start, audit.period_end
        )),
        "start": format!("{}T00:00:00Z", audit.period_start),
        "end": timestamp(audit),
        "reviewed-controls": reviewed_controls(),
    });
    if !observations.is_empty() {
        result["observations"] = json!(observations);
    }
    if !findings.is_empty() {
        result["findings"] = json!(findings);
    }
    let mut document = json!({
        "uuid": uuids.of("assessment-results"),
        "metadata": metadata(
            audit,
            &format!("Assessment Results: {}", audit.organization),
            &audit.as_of.to_string(),
        ),
        "import-ap": { "href": PLAN_FILE },
        "results": [result],
    });
    let resources = system.evidence_resources(audit, inputs);
    if !resources.is_empty() {
        document["back-matter"] = json!({ "resources": resources });
    }
    json!({ "assessment-results": document })
}

/// The UUID of the observation of one evidence row.
fn observation_uuid(uuids: &Uuids, resource: &str) -> String {
    uuids.of(&format!("observation/{resource}"))
}

/// One evidence row as an observation: examined (a register row) or tested (a scan).
fn observation(audit: &Audit, uuids: &Uuids, index: usize, resource: &str) -> Value {
    let e: &Evidence = &audit.evidence[index];
    let (method, kind) = match &e.findings {
        Some(f) => ("TEST", format!("scanner results ({})", f.scanner)),
        None => ("EXAMINE", "evidence row".to_string()),
    };
    let mut props = vec![
        prop("evidence-id", &e.id),
        prop("outcome", e.outcome.id()),
        prop("origin", &e.origin.to_string()),
    ];
    if let Some(owner) = &e.owner {
        props.push(prop("owner", owner));
    }
    let described = evidence_description(e).unwrap_or_else(|| e.title.clone());
    let mut observation = json!({
        "uuid": observation_uuid(uuids, resource),
        "title": text(&format!("{}: {}", e.id, e.title)),
        "description": text(&format!("{kind}: {described}")),
        "props": props,
        "methods": [method],
        "relevant-evidence": [{
            "href": format!("#{resource}"),
            "description": text(&format!("{} ({})", e.id, e.origin)),
        }],
        "collected": format!("{}T00:00:00Z", e.collected.unwrap_or(audit.as_of)),
    });
    if let Some(expires) = e.expires {
        observation["expires"] = json!(format!("{expires}T00:00:00Z"));
    }
    observation
}

/// Past the row bound, one control's evidence rows as one observation: how many
/// of which kind and result, pointing to the workbook that lists them and the
/// files they come from.
fn control_observation(
    audit: &Audit,
    uuids: &Uuids,
    summary: &Summary,
    tally: &Tally,
    framework: &FrameworkAudit,
    control: &ControlAudit,
) -> Value {
    let mut props = vec![prop("framework", &framework.id), prop("label", &control.id)];
    props.extend(tally.props());
    let methods: &[&str] = match tally.tested {
        true => &["EXAMINE", "TEST"],
        false => &["EXAMINE"],
    };
    let evidence: Vec<Value> = summary::references(summary, tally)
        .into_iter()
        .map(|(uuid, what)| json!({ "href": format!("#{uuid}"), "description": text(&what) }))
        .collect();
    json!({
        "uuid": summary::observation_uuid(uuids, framework, control),
        "title": text(&format!(
            "{} {}: {}",
            framework.name,
            control.id,
            summary::rows(tally.rows, "evidence row")
        )),
        "description": text(&tally.sentence(framework, control)),
        "props": props,
        "methods": methods,
        "relevant-evidence": evidence,
        "collected": format!("{}T00:00:00Z", tally.latest.unwrap_or(audit.as_of)),
    })
}

/// A failing or missing control as a finding against its control id.
fn finding(
    system: &System,
    uuids: &Uuids,
    ids: &ControlIds,
    framework: &FrameworkAudit,
    control: &ControlAudit,
) -> Value {
    let key = format!("{}/{}", framework.id, control.id);
    let mut props = vec![
        prop("framework", &framework.id),
        prop("label", &control.id),
        prop("status", control.status.id()),
        prop(
            "responsibility",
            control.responsibility.map_or("none", |r| r.id()),
        ),
    ];
    for (name, value) in [
        ("owner", control.owner.clone()),
        ("due", control.due.map(|d| d.to_string())),
    ] {
        if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
            props.push(prop(name, &v));
        }
    }
    let reason = match control.status {
        Status::Failing => "fail",
        _ => "other",
    };
    let mut finding = json!({
        "uuid": uuids.of(&format!("finding/{key}")),
        "title": text(&format!("{} {} {}: {}", framework.name, control.id, control.title, control.status.label())),
        "description": text(&control.status_reason),
        "props": props,
        "target": {
            "type": "objective-id",
            "target-id": ids.control(&framework.id, &control.id),
            "status": { "state": "not-satisfied", "reason": reason },
        },
        "implementation-statement-uuid": super::ssp::requirement_uuid(uuids, framework, control),
    });
    let mut related: Vec<Value> = Vec::new();
    match &system.summary {
        Some(_) if !control.evidence.is_empty() => {
            let uuid = summary::observation_uuid(uuids, framework, control);
            related.push(json!({ "observation-uuid": uuid }));
        }
        Some(_) => {}
        None => {
            for used in &control.evidence {
                if let Some(resource) = system.evidence.get(&used.index) {
                    let uuid = observation_uuid(uuids, resource);
                    let entry = json!({ "observation-uuid": uuid });
                    if !related.contains(&entry) {
                        related.push(entry);
                    }
                }
            }
        }
    }
    if !related.is_empty() {
        finding["related-observations"] = json!(related);
    }
    finding
}
