//! Render: the OSCAL plan of action and milestones, from the gaps and the
//! exceptions. Each control with a gap (partial, stale, failing, missing,
//! inherited without a report) or under an exception is a risk, open or with
//! its deviation approved, due when auditpack says it is due (an exception at
//! its expiry), and a POA&M item that names it.
//!
//! OSCAL requires at least one item: with nothing open, the one item says so.

use super::{ControlIds, SSP_FILE, Uuids, metadata, prop, text};
use crate::model::audit::{Audit, ControlAudit, FrameworkAudit};
use crate::model::status::Status;
use serde_json::{Value, json};

/// The POA&M's file name in the folder.
pub const FILE: &str = "poam.json";

/// The POA&M document.
pub fn poam(audit: &Audit, ids: &ControlIds) -> Value {
    let uuids = Uuids::new(audit);
    let open: Vec<(&FrameworkAudit, &ControlAudit)> = audit
        .frameworks
        .iter()
        .flat_map(|f| f.controls.iter().map(move |c| (f, c)))
        .filter(|(_, c)| c.status.is_gap() || c.status == Status::Exception)
        .collect();
    let risks: Vec<Value> = open
        .iter()
        .map(|(f, c)| risk(audit, &uuids, ids, f, c))
        .collect();
    let mut items: Vec<Value> = open.iter().map(|(f, c)| item(&uuids, ids, f, c)).collect();
    if items.is_empty() {
        items.push(json!({
            "uuid": uuids.of("poam-item/none"),
            "title": "No open items",
            "description": text(&format!(
                "No control has a gap or an exception as of {}.",
                audit.as_of
            )),
        }));
    }
    let mut plan = json!({
        "uuid": uuids.of("plan-of-action-and-milestones"),
        "metadata": metadata(
            audit,
            &format!("Plan of Action and Milestones: {}", audit.organization),
            &audit.as_of.to_string(),
        ),
        "import-ssp": { "href": SSP_FILE },
    });
    if !risks.is_empty() {
        plan["risks"] = json!(risks);
    }
    plan["poam-items"] = json!(items);
    json!({ "plan-of-action-and-milestones": plan })
}

fn key(framework: &FrameworkAudit, control: &ControlAudit) -> String {
    format!("{}/{}", framework.id, control.id)
}

/// When the gap is due: auditpack's due date, else an exception's expiry.
fn deadline(audit: &Audit, control: &ControlAudit) -> Option<chrono::NaiveDate> {
    control.due.or_else(|| {
        control
            .exception
            .and_then(|i| audit.exceptions.get(i))
            .map(|e| e.expires)
    })
}

fn props(
    audit: &Audit,
    ids: &ControlIds,
    framework: &FrameworkAudit,
    control: &ControlAudit,
) -> Vec<Value> {
    let mut props = vec![
        prop("framework", &framework.id),
        prop("label", &control.id),
        prop("control-id", &ids.control(&framework.id, &control.id)),
        prop("status", control.status.id()),
        prop(
            "responsibility",
            control.responsibility.map_or("none", |r| r.id()),
        ),
    ];
    if let Some(owner) = control.owner.as_deref().filter(|o| !o.trim().is_empty()) {
        props.push(prop("owner", owner));
    }
    if let Some(due) = deadline(audit, control) {
        props.push(prop("due", &due.to_string()));
    }
    if let Some(e) = control.exception.and_then(|i| audit.exceptions.get(i)) {
        props.push(prop("exception-ticket", &e.ticket));
        props.push(prop("exception-expires", &e.expires.to_string()));
    }
    props
}

fn risk(
    audit: &Audit,
    uuids: &Uuids,
    ids: &ControlIds,
    framework: &FrameworkAudit,
    control: &ControlAudit,
) -> Value {
    let (status, statement) = match control.exception.and_then(|i| audit.exceptions.get(i)) {
        Some(e) if control.status == Status::Exception => (
            "deviation-approved",
            format!(
                "Accepted by {} ({}) until {}: {}",
                e.approver, e.ticket, e.expires, e.reason
            ),
        ),
        _ => ("open", control.status_reason.clone()),
    };
    let mut risk = json!({
        "uuid": uuids.of(&format!("risk/{}", key(framework, control))),
        "title": text(&format!("{} {} {}", framework.name, control.id, control.title)),
        "description": text(&format!(
            "{} {} is {}: {}",
            framework.name,
            control.id,
            control.status.label(),
            control.rationale
        )),
        "statement": text(&statement),
        "props": props(audit, ids, framework, control),
        "status": status,
    });
    if let Some(due) = deadline(audit, control) {
        risk["deadline"] = json!(format!("{due}T00:00:00Z"));
    }
    risk
}

fn item(
    uuids: &Uuids,
    ids: &ControlIds,
    framework: &FrameworkAudit,
    control: &ControlAudit,
) -> Value {
    let key = key(framework, control);
    json!({
        "uuid": uuids.of(&format!("poam-item/{key}")),
        "title": text(&format!(
            "{} {}: {} ({})",
            framework.name, control.id, control.title, control.status.label()
        )),
        "description": text(&control.status_reason),
        "props": [
            prop("framework", &framework.id),
            prop("label", &control.id),
            prop("control-id", &ids.control(&framework.id, &control.id)),
        ],
        "related-risks": [{ "risk-uuid": uuids.of(&format!("risk/{key}")) }],
    })
}
