//! Render: the OSCAL system security plan. One implemented requirement per
//! control in scope, with by-components that say who does what, as OSCAL's
//! leveraged-authorization model and FedRAMP's inheritance guidance put it:
//! an inherited control has only provider components, each carrying what is
//! `inherited` from it; a shared control has those components, each also
//! carrying the customer's part as `satisfied`, and `this-system` with the
//! customer's implementation; a customer control has only `this-system`.
//!
//! No `export` is written: an export is what a system offers the systems that
//! leverage it, which belongs in the provider's own plan, not its customer's.

use super::summary;
use super::system::{Part, System};
use super::{ControlIds, Inputs, Uuids, implementation_state, metadata, profile, prop, text};
use crate::model::audit::{Audit, ControlAudit, FrameworkAudit};
use crate::model::layer::{Layer, Owner, Responsibility};
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// The plan document.
pub fn ssp(audit: &Audit, ids: &ControlIds, inputs: &Inputs) -> Value {
    let uuids = Uuids::new(audit);
    let system = System::new(audit, &uuids);
    let mut meta = metadata(
        audit,
        &format!("System Security Plan: {}", audit.organization),
        &audit.as_of.to_string(),
    );
    meta.insert("roles".into(), json!(roles()));
    meta.insert("parties".into(), json!(system.parties(audit)));
    meta.insert(
        "responsible-parties".into(),
        json!(responsible_parties(&system)),
    );
    meta.insert(
        "props".into(),
        json!([
            prop("audit-period-start", &audit.period_start.to_string()),
            prop("audit-period-end", &audit.period_end.to_string()),
        ]),
    );
    let mut implementation = json!({
        "users": users(&system, &uuids),
        "components": system.components(audit),
    });
    let leveraged = system.leveraged_authorizations(audit);
    if !leveraged.is_empty() {
        implementation["leveraged-authorizations"] = json!(leveraged);
    }
    let requirements: Vec<Value> = audit
        .frameworks
        .iter()
        .flat_map(|f| f.controls.iter().map(move |c| (f, c)))
        .map(|(f, c)| requirement(audit, &system, &uuids, ids, f, c))
        .collect();
    let mut plan = json!({
        "uuid": uuids.of("system-security-plan"),
        "metadata": meta,
        "import-profile": { "href": profile::FILE },
        "system-characteristics": characteristics(audit, &uuids),
        "system-implementation": implementation,
        "control-implementation": {
            "description": text(&format!(
                "Every control of {} at {}: who is responsible (derived from the layers it touches and who owns them for each part of the estate), its status from evidence and provider attestations, and why.",
                audit.frameworks.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join(", "),
                audit.as_of
            )),
            "implemented-requirements": requirements,
        },
    });
    let resources = system.resources(audit, inputs);
    if !resources.is_empty() {
        plan["back-matter"] = json!({ "resources": resources });
    }
    json!({ "system-security-plan": plan })
}

fn roles() -> Vec<Value> {
    [
        ("system-owner", "System Owner"),
        ("control-owner", "Control Owner"),
        ("control-backup-owner", "Control Backup Owner"),
        (
            "provider",
            "Provider (cloud provider, vendor or colocation operator)",
        ),
    ]
    .iter()
    .map(|(id, title)| json!({ "id": id, "title": title }))
    .collect()
}

fn responsible_parties(system: &System) -> Vec<Value> {
    let mut parties =
        vec![json!({ "role-id": "system-owner", "party-uuids": [system.organization] })];
    let providers: Vec<&String> = system.providers.values().map(|(uuid, _)| uuid).collect();
    if !providers.is_empty() {
        parties.push(json!({ "role-id": "provider", "party-uuids": providers }));
    }
    parties
}

/// `users`: each control owner; a system owner where the project names none.
fn users(system: &System, uuids: &Uuids) -> Vec<Value> {
    let mut users: Vec<Value> = system
        .people
        .keys()
        .map(|name| {
            json!({
                "uuid": uuids.of(&format!("user/{name}")),
                "title": text(name),
                "role-ids": ["control-owner"],
            })
        })
        .collect();
    if users.is_empty() {
        users.push(json!({
            "uuid": uuids.of("user/system-owner"),
            "title": "System owner",
            "role-ids": ["system-owner"],
        }));
    }
    users
}

/// `system-characteristics`: name, description, information types from the scope
/// tags, status, and the authorization boundary from the inventory, sites and vendors.
fn characteristics(audit: &Audit, uuids: &Uuids) -> Value {
    let mut tags: BTreeSet<&str> = BTreeSet::new();
    tags.extend(
        audit
            .inventory
            .iter()
            .flat_map(|i| i.tags.iter().map(String::as_str)),
    );
    tags.extend(
        audit
            .sites
            .iter()
            .flat_map(|s| s.tags.iter().map(String::as_str)),
    );
    tags.extend(
        audit
            .vendors
            .iter()
            .flat_map(|v| v.tags.iter().map(String::as_str)),
    );
    tags.extend(
        audit
            .frameworks
            .iter()
            .filter_map(|f| f.scope_tag.as_deref()),
    );
    let mut information: Vec<Value> = tags
        .iter()
        .map(|tag| {
            let holders: Vec<&str> = audit
                .inventory
                .iter()
                .filter(|i| i.tags.iter().any(|t| t == tag))
                .map(|i| i.name.as_str())
                .chain(
                    audit
                        .sites
                        .iter()
                        .filter(|s| s.tags.iter().any(|t| t == tag))
                        .map(|s| s.name.as_str()),
                )
                .chain(
                    audit
                        .vendors
                        .iter()
                        .filter(|v| v.tags.iter().any(|t| t == tag))
                        .map(|v| v.name.as_str()),
                )
                .collect();
            let frameworks: Vec<&str> = audit
                .frameworks
                .iter()
                .filter(|f| f.scope_tag.as_deref() == Some(tag))
                .map(|f| f.name.as_str())
                .collect();
            let scoped = match frameworks.is_empty() {
                true => String::new(),
                false => format!(" It brings {} into scope.", frameworks.join(", ")),
            };
            json!({
                "uuid": uuids.of(&format!("information-type/{tag}")),
                "title": text(tag),
                "description": text(&format!(
                    "Information carrying the scope tag \"{tag}\", held by: {}.{scoped}",
                    if holders.is_empty() { "nothing in the inventory".to_string() } else { holders.join(", ") }
                )),
                "props": [prop("scope-tag", tag)],
            })
        })
        .collect();
    if information.is_empty() {
        information.push(json!({
            "uuid": uuids.of("information-type/organization"),
            "title": "Organization information",
            "description": "The inventory carries no scope tags: the organization's information as a whole.",
        }));
    }
    let mut boundary = Vec::new();
    for item in &audit.inventory {
        let tier = item
            .tier
            .map_or(String::new(), |t| format!(", tier {}", t.id()));
        boundary.push(format!(
            "{} ({} {}, {}{tier})",
            item.name,
            item.provider_name,
            item.service_name,
            item.model.name()
        ));
    }
    for site in &audit.sites {
        boundary.push(format!("{} (site)", site.label()));
    }
    for vendor in &audit.vendors {
        boundary.push(format!("{} {} (vendor)", vendor.name, vendor.service));
    }
    json!({
        "system-ids": [{ "identifier-type": super::NAMESPACE, "id": text(&audit.organization) }],
        "system-name": text(&audit.organization),
        "description": text(&format!(
            "The systems of {} in scope of its audit for {} to {}, as of {}.",
            audit.organization, audit.period_start, audit.period_end, audit.as_of
        )),
        "system-information": { "information-types": information },
        "status": { "state": "operational" },
        "authorization-boundary": {
            "description": text(&match boundary.is_empty() {
                true => "Nothing in the inventory, sites or vendors.".to_string(),
                false => format!("The boundary holds: {}.", boundary.join("; ")),
            }),
        },
    })
}

/// One control's implemented requirement.
fn requirement(
    audit: &Audit,
    system: &System,
    uuids: &Uuids,
    ids: &ControlIds,
    framework: &FrameworkAudit,
    control: &ControlAudit,
) -> Value {
    let mut props = vec![
        prop("framework", &framework.id),
        prop("label", &control.id),
        prop("status", control.status.id()),
        prop(
            "responsibility",
            control.responsibility.map_or("none", |r| r.id()),
        ),
        prop("rationale", &control.rationale),
        prop("status-reason", &control.status_reason),
    ];
    if control.pinned {
        props.push(prop("pinned", "true"));
    }
    let dated = [
        ("owner", control.owner.clone()),
        ("backup-owner", control.backup_owner.clone()),
        (
            "last-collected",
            control.last_collected.map(|d| d.to_string()),
        ),
        ("due", control.due.map(|d| d.to_string())),
    ];
    for (name, value) in dated {
        if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
            props.push(prop(name, &v));
        }
    }
    if let Some(e) = control.exception.and_then(|i| audit.exceptions.get(i)) {
        props.push(prop("exception-ticket", &e.ticket));
        props.push(prop("exception-expires", &e.expires.to_string()));
    }
    let mut requirement = json!({
        "uuid": requirement_uuid(uuids, framework, control),
        "control-id": ids.control(&framework.id, &control.id),
        "props": props,
        "by-components": by_components(audit, system, uuids, framework, control),
    });
    let mut roles = Vec::new();
    for (role, name) in [
        ("control-owner", &control.owner),
        ("control-backup-owner", &control.backup_owner),
    ] {
        if let Some(party) = name.as_ref().and_then(|n| system.people.get(n)) {
            roles.push(json!({ "role-id": role, "party-uuids": [party] }));
        }
    }
    if !roles.is_empty() {
        requirement["responsible-roles"] = json!(roles);
    }
    requirement
}

/// The UUID of a control's implemented requirement, which findings cite.
pub fn requirement_uuid(
    uuids: &Uuids,
    framework: &FrameworkAudit,
    control: &ControlAudit,
) -> String {
    uuids.of(&format!("requirement/{}/{}", framework.id, control.id))
}

/// Who implements the control: provider parts for its provider side, this
/// system for the customer's, as its responsibility says.
fn by_components(
    audit: &Audit,
    system: &System,
    uuids: &Uuids,
    framework: &FrameworkAudit,
    control: &ControlAudit,
) -> Vec<Value> {
    let key = format!("{}/{}", framework.id, control.id);
    let parts: Vec<&Part> = control
        .provided
        .iter()
        .filter_map(|p| system.part(p))
        .collect();
    let mut components = Vec::new();
    let shared = control.responsibility == Some(Responsibility::Shared);
    if matches!(
        control.responsibility,
        Some(Responsibility::Inherited | Responsibility::Shared)
    ) {
        for part in &parts {
            components.push(provider_part(
                system, uuids, framework, control, part, shared,
            ));
        }
    }
    if components.is_empty() || shared {
        let mut ours = json!({
            "component-uuid": system.this_system,
            "uuid": uuids.of(&format!("by-component/{key}/this-system")),
            "description": text(&control.rationale),
            "implementation-status": {
                "state": implementation_state(control.status),
                "remarks": text(&control.status_reason),
            },
        });
        let links: Vec<Value> = match &system.summary {
            // Past the row bound: the workbook and the files, with the rows counted.
            Some(summary) => summary
                .tally(audit, control)
                .map(|tally| summary::references(summary, &tally))
                .unwrap_or_default()
                .into_iter()
                .map(|(uuid, what)| {
                    json!({ "href": format!("#{uuid}"), "rel": "reference", "text": text(&what) })
                })
                .collect(),
            None => control
                .evidence
                .iter()
                .filter_map(|u| {
                    system.evidence.get(&u.index).map(|uuid| {
                        json!({
                            "href": format!("#{uuid}"),
                            "rel": "reference",
                            "text": text(&audit.evidence_label(u)),
                        })
                    })
                })
                .collect(),
        };
        if !links.is_empty() {
            ours["links"] = json!(links);
        }
        components.push(ours);
    }
    components
}

/// A provider part's by-component: what is inherited from it, and for a shared
/// control the customer's part it leaves, satisfied by this system.
fn provider_part(
    system: &System,
    uuids: &Uuids,
    framework: &FrameworkAudit,
    control: &ControlAudit,
    part: &Part,
    shared: bool,
) -> Value {
    let key = format!(
        "{}/{}/{}/{}",
        framework.id, control.id, part.provider, part.service
    );
    let layers = |wanted: &[Owner]| -> Vec<&'static str> {
        control
            .layers
            .iter()
            .filter(|l| part.owner(**l).is_some_and(|o| wanted.contains(&o)))
            .map(|l| l.name())
            .collect()
    };
    let provider_layers = layers(&[Owner::Provider, Owner::Shared]);
    let what = match provider_layers.is_empty() {
        true => "its part of the control".to_string(),
        false => provider_layers.join(", "),
    };
    // The model's own verdict for this part, in the words every output prints.
    let side = control
        .backing
        .iter()
        .find(|b| b.part.provider == part.provider && b.part.service == part.service);
    let backing: &[usize] = side.map_or(&[], |b| b.documents.as_slice());
    let (state, remarks) = match side {
        Some(b) if b.backed => ("implemented", b.words.clone()),
        Some(b) => ("partial", b.words.clone()),
        None => (
            "partial",
            format!(
                "no held report backs {} for {} over the audit period",
                framework.name, part.name
            ),
        ),
    };
    let mut component = json!({
        "component-uuid": part.uuid,
        "uuid": uuids.of(&format!("by-component/{key}")),
        "description": text(&format!(
            "{} secures {what} for {}: {}",
            part.provider_name, part.name, control.rationale
        )),
        "implementation-status": { "state": state, "remarks": text(&remarks) },
        "inherited": [{
            "uuid": uuids.of(&format!("inherited/{key}")),
            "description": text(&format!(
                "Inherited from {}: {what} for {}.",
                part.provider_name, part.name
            )),
        }],
    });
    if shared {
        let mut ours: Vec<&str> = layers(&[Owner::Customer, Owner::Shared]);
        ours.extend(
            control
                .layers
                .iter()
                .filter(|l| Layer::is_organizational(**l))
                .map(|l| l.name()),
        );
        let what = match ours.is_empty() {
            true => "the rest of the control".to_string(),
            false => ours.join(", "),
        };
        component["satisfied"] = json!([{
            "uuid": uuids.of(&format!("satisfied/{key}")),
            "description": text(&format!(
                "The customer's part beside {} for {}: {what}, implemented by this system.",
                part.provider_name, part.name
            )),
        }]);
    }
    let links: Vec<Value> = backing
        .iter()
        .filter_map(|i| system.leveraged.get(*i))
        .map(|(_, resource)| json!({ "href": format!("#{resource}"), "rel": "reference" }))
        .collect();
    if !links.is_empty() {
        component["links"] = json!(links);
    }
    component
}
