//! Render: the system the plan describes, as OSCAL names it: parties, one
//! component per provider service, vendor and colocation site in scope, one
//! leveraged authorization per held report (an agreement such as a BAA is none:
//! it authorizes nothing), and back-matter resources for both.

use super::summary::{self, Summary};
use super::{Inputs, Uuids, core_prop, prop, text};
use crate::model::audit::{Audit, HeldAttestation, ValidityKind};
use crate::model::layer::{Layer, Owner};
use crate::model::reports::Provided;
use crate::model::site::SiteKind;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

/// A part of the estate a provider runs: a component of the plan.
pub struct Part {
    pub uuid: String,
    pub provider: String,
    pub provider_name: String,
    pub service: String,
    pub name: String,
    /// What it is: a cloud service, a vendor, a colocation site.
    pub kind: &'static str,
    /// Who owns each layer it has.
    pub owners: Vec<(Layer, Owner)>,
    /// The workloads or uses that make it part of the system.
    pub uses: Vec<String>,
    /// Indexes into `Audit::attestations` of the reports covering it.
    pub attestations: Vec<usize>,
}

impl Part {
    pub fn owner(&self, layer: Layer) -> Option<Owner> {
        self.owners
            .iter()
            .find(|(l, _)| *l == layer)
            .map(|(_, o)| *o)
    }
}

/// Everything the plan's parts refer to by UUID.
pub struct System {
    pub this_system: String,
    pub organization: String,
    /// By (provider id, service).
    pub parts: BTreeMap<(String, String), Part>,
    /// Provider id to (party UUID, name).
    pub providers: BTreeMap<String, (String, String)>,
    /// Owner name to party UUID.
    pub people: BTreeMap<String, String>,
    /// Per held attestation: (leveraged-authorization UUID, back-matter resource
    /// UUID); an agreement has no leveraged authorization.
    pub leveraged: Vec<(Option<String>, String)>,
    /// Per evidence row used: its back-matter resource UUID. Empty when the rows
    /// are counted per control (`summary`).
    pub evidence: BTreeMap<usize, String>,
    /// Past the row bound: the workbook and evidence files the per-control counts cite.
    pub summary: Option<Summary>,
}

impl System {
    pub fn new(audit: &Audit, uuids: &Uuids) -> Self {
        let mut parts: BTreeMap<(String, String), Part> = BTreeMap::new();
        let mut add = |provided: &Provided, kind, owners: Vec<(Layer, Owner)>, used_by: &str| {
            let key = (provided.provider.clone(), provided.service.clone());
            let part = parts.entry(key).or_insert_with(|| Part {
                uuid: uuids.of(&format!(
                    "component/{}/{}",
                    provided.provider, provided.service
                )),
                provider: provided.provider.clone(),
                provider_name: provided.provider_name.clone(),
                service: provided.service.clone(),
                name: provided.name.clone(),
                kind,
                owners,
                uses: Vec::new(),
                attestations: Vec::new(),
            });
            if !used_by.is_empty() && !part.uses.iter().any(|u| u == used_by) {
                part.uses.push(used_by.to_string());
            }
        };
        for item in &audit.inventory {
            let provided = Provided {
                provider: item.provider.clone(),
                provider_name: item.provider_name.clone(),
                service: item.service.clone(),
                name: crate::model::responsibility::short_service_name(&item.service_name),
            };
            add(&provided, "service", item.owners.clone(), &item.name);
        }
        for vendor in &audit.vendors {
            let provided = Provided {
                provider: vendor.provider_id(),
                provider_name: vendor.name.clone(),
                service: vendor.name.clone(),
                name: vendor.service.clone(),
            };
            add(&provided, "service", vendor.layers.clone(), &vendor.service);
        }
        for site in audit
            .sites
            .iter()
            .filter(|s| s.kind == SiteKind::Colocation)
        {
            let operator = site
                .operator
                .clone()
                .unwrap_or_else(|| "the colocation provider".to_string());
            let provided = Provided {
                provider: format!("colocation:{operator}"),
                provider_name: operator,
                service: site.name.clone(),
                name: site.label(),
            };
            let owners = Layer::ALL
                .iter()
                .filter_map(|l| site.owner(*l).map(|o| (*l, o)))
                .collect();
            add(&provided, "physical", owners, "");
        }
        // Anything a control names that the estate above did not hold.
        for control in audit.frameworks.iter().flat_map(|f| &f.controls) {
            for provided in &control.provided {
                add(provided, "service", Vec::new(), "");
            }
        }
        for (i, held) in audit.attestations.iter().enumerate() {
            for part in parts.values_mut() {
                if held.provider == part.provider && held.services.contains(&part.service) {
                    part.attestations.push(i);
                }
            }
        }
        let mut providers = BTreeMap::new();
        for part in parts.values() {
            providers
                .entry(part.provider.clone())
                .or_insert_with(|| part.provider_name.clone());
        }
        for held in &audit.attestations {
            providers
                .entry(held.provider.clone())
                .or_insert_with(|| held.provider_label());
        }
        let providers = providers
            .into_iter()
            .map(|(id, name)| {
                let uuid = uuids.of(&format!("party/provider/{id}"));
                (id, (uuid, name))
            })
            .collect();
        let mut people = BTreeMap::new();
        for control in audit.frameworks.iter().flat_map(|f| &f.controls) {
            for name in control.owner.iter().chain(&control.backup_owner) {
                people
                    .entry(name.clone())
                    .or_insert_with(|| uuids.of(&format!("party/person/{name}")));
            }
        }
        let mut keys = UniqueKeys::default();
        let leveraged = audit
            .attestations
            .iter()
            .map(|h| {
                let key = keys.unique(format!(
                    "{}/{}/{}/{}",
                    h.provider, h.scheme, h.name, h.period_start
                ));
                (
                    (!h.is_agreement())
                        .then(|| uuids.of(&format!("leveraged-authorization/{key}"))),
                    uuids.of(&format!("resource/attestation/{key}")),
                )
            })
            .collect();
        let used: BTreeSet<usize> = audit
            .frameworks
            .iter()
            .flat_map(|f| &f.controls)
            .flat_map(|c| c.evidence.iter().map(|u| u.index))
            .collect();
        let used = used.into_iter().filter(|i| *i < audit.evidence.len());
        let (evidence, summary) = match summary::per_control(audit) {
            true => (BTreeMap::new(), Some(Summary::new(audit, uuids, used))),
            false => {
                let mut keys = UniqueKeys::default();
                let evidence = used
                    .map(|i| {
                        let key = keys.unique(audit.evidence[i].id.clone());
                        (i, uuids.of(&format!("resource/evidence/{key}")))
                    })
                    .collect();
                (evidence, None)
            }
        };
        System {
            this_system: uuids.of("component/this-system"),
            organization: uuids.of("party/organization"),
            parts,
            providers,
            people,
            leveraged,
            evidence,
            summary,
        }
    }

    /// The part a control's provider side names.
    pub fn part(&self, provided: &Provided) -> Option<&Part> {
        self.parts
            .get(&(provided.provider.clone(), provided.service.clone()))
    }

    /// `metadata.parties`: the organization, each provider and vendor, each control owner.
    pub fn parties(&self, audit: &Audit) -> Vec<Value> {
        let mut parties = vec![json!({
            "uuid": self.organization,
            "type": "organization",
            "name": text(&audit.organization),
        })];
        for (id, (uuid, name)) in &self.providers {
            parties.push(json!({
                "uuid": uuid,
                "type": "organization",
                "name": text(name),
                "props": [prop("provider-id", id)],
            }));
        }
        for (name, uuid) in &self.people {
            parties.push(json!({ "uuid": uuid, "type": "person", "name": text(name) }));
        }
        parties
    }

    /// `system-implementation.components`: this system, then every provider part.
    pub fn components(&self, audit: &Audit) -> Vec<Value> {
        let mut components = vec![json!({
            "uuid": self.this_system,
            "type": "this-system",
            "title": text(&format!("{} (this system)", audit.organization)),
            "description": text(&format!(
                "What {} runs and secures itself: its data, identities, configuration, software and procedures across the estate in scope.",
                audit.organization
            )),
            "status": { "state": "operational" },
            "responsible-roles": [{ "role-id": "system-owner", "party-uuids": [self.organization] }],
        })];
        for part in self.parts.values() {
            let mut props = vec![core_prop("implementation-point", "external")];
            props.extend(
                part.attestations
                    .iter()
                    .filter_map(|i| self.leveraged.get(*i).and_then(|(uuid, _)| uuid.as_ref()))
                    .map(|uuid| core_prop("leveraged-authorization-uuid", uuid)),
            );
            props.push(prop("provider-id", &part.provider));
            props.push(prop("service-id", &part.service));
            let uses = match part.uses.is_empty() {
                true => String::new(),
                false => format!("; used by {}", part.uses.join(", ")),
            };
            let mut component = json!({
                "uuid": part.uuid,
                "type": part.kind,
                "title": text(&format!("{} {}", part.provider_name, part.name)),
                "description": text(&format!(
                    "{} run by {}{uses}.",
                    part.name, part.provider_name
                )),
                "props": props,
                "status": { "state": "operational" },
            });
            if let Some((party, _)) = self.providers.get(&part.provider) {
                component["responsible-roles"] =
                    json!([{ "role-id": "provider", "party-uuids": [party] }]);
            }
            components.push(component);
        }
        components
    }

    /// `system-implementation.leveraged-authorizations`: one per held report. An
    /// agreement (a BAA) authorizes nothing, so it is a back-matter resource only.
    pub fn leveraged_authorizations(&self, audit: &Audit) -> Vec<Value> {
        audit
            .attestations
            .iter()
            .zip(&self.leveraged)
            .filter_map(|(held, (uuid, resource))| uuid.as_ref().map(|u| (held, u, resource)))
            .map(|(held, uuid, resource)| {
                let party = self
                    .providers
                    .get(&held.provider)
                    .map_or(self.organization.clone(), |(p, _)| p.clone());
                let mut props = vec![
                    prop("scheme", &held.scheme),
                    prop("validity", held.validity.id()),
                ];
                props.extend(validity_props(held));
                props.push(prop("services", &held.services.join(", ")));
                // The date it was granted: a report's issue date where recorded; else
                // its examined period's end, the earliest it can have been issued.
                let (authorized, basis) = match (held.validity, held.issued, held.period_end) {
                    (ValidityKind::ExaminedPeriod, Some(issued), _) => (issued, "issued"),
                    (ValidityKind::ExaminedPeriod, None, Some(end)) => {
                        (end, "period-end (issue date not recorded)")
                    }
                    _ => (held.period_start, "issued"),
                };
                props.push(prop("date-authorized-basis", basis));
                let mut remarks = held.coverage.clone();
                if remarks.is_empty() {
                    remarks = held.period_text();
                }
                json!({
                    "uuid": uuid,
                    "title": text(&format!("{} ({})", held.name, held.provider_label())),
                    "props": props,
                    "links": [{ "href": format!("#{resource}"), "rel": "reference" }],
                    "party-uuid": party,
                    "date-authorized": authorized.to_string(),
                    "remarks": text(&remarks),
                })
            })
            .collect()
    }

    /// `back-matter.resources`: each held attestation, then each evidence row relied on.
    /// An attestation links to `audit.toml`, which declares it, and an evidence
    /// row to its evidence file, each with the SHA-256 the manifest lists.
    pub fn resources(&self, audit: &Audit, inputs: &Inputs) -> Vec<Value> {
        let declared = inputs.rlink(crate::load::project::PROJECT_FILE);
        let mut resources = Vec::new();
        for (held, (_, uuid)) in audit.attestations.iter().zip(&self.leveraged) {
            let (kind, scope) = match held.is_agreement() {
                true => ("agreement", "eligible under it"),
                false => ("attestation", "in scope"),
            };
            let mut props = vec![
                prop("scheme", &held.scheme),
                prop("kind", kind),
                prop("validity", held.validity.id()),
            ];
            props.extend(validity_props(held));
            let mut resource = json!({
                "uuid": uuid,
                "title": text(&held.name),
                "description": text(&format!(
                    "{} from {}, {}; {scope}: {}",
                    held.scheme,
                    held.provider_label(),
                    held.period_text(),
                    held.services.join(", ")
                )),
                "props": props,
            });
            let mut rlinks: Vec<Value> = declared.iter().cloned().collect();
            if let Some(from) = held
                .obtained_from
                .as_deref()
                .and_then(crate::render::safe_link)
            {
                rlinks.push(json!({ "href": from }));
            }
            if !rlinks.is_empty() {
                resource["rlinks"] = json!(rlinks);
            }
            resources.push(resource);
        }
        resources.extend(self.evidence_resources(audit, inputs));
        resources
    }

    /// A back-matter resource per evidence row relied on, in `evidence` order; past
    /// the row bound, the workbook and each evidence file instead.
    pub fn evidence_resources(&self, audit: &Audit, inputs: &Inputs) -> Vec<Value> {
        if let Some(summary) = &self.summary {
            return summary.resources(audit, inputs);
        }
        let mut resources = Vec::new();
        for (index, uuid) in &self.evidence {
            let e = &audit.evidence[*index];
            let mut props = vec![
                prop("kind", "evidence"),
                prop("evidence-id", &e.id),
                prop("outcome", e.outcome.id()),
                prop("origin", &e.origin.to_string()),
            ];
            if let Some(d) = e.collected {
                props.push(prop("collected", &d.to_string()));
            }
            if let Some(d) = e.expires {
                props.push(prop("expires", &d.to_string()));
            }
            if let Some(owner) = &e.owner {
                props.push(prop("owner", owner));
            }
            let mut resource = json!({
                "uuid": uuid,
                "title": text(&format!("{}: {}", e.id, e.title)),
                "props": props,
            });
            if let Some(d) = evidence_description(e).filter(|d| !d.trim().is_empty()) {
                resource["description"] = json!(text(&d));
            }
            let file = summary::file_of(e);
            let mut rlinks: Vec<Value> = inputs.rlink(&file).into_iter().collect();
            if let Some(link) = e.link.as_deref().and_then(crate::render::safe_link) {
                rlinks.push(json!({ "href": link }));
            }
            if !rlinks.is_empty() {
                resource["rlinks"] = json!(rlinks);
            }
            resources.push(resource);
        }
        resources
    }
}

/// A held document's dates as props, each named for what it is; a date it does
/// not have (an agreement's end) is left out, never filled with a placeholder.
fn validity_props(held: &HeldAttestation) -> Vec<Value> {
    let mut props = Vec::new();
    let (start, end) = match held.validity {
        ValidityKind::ExaminedPeriod => ("examined-period-start", "examined-period-end"),
        ValidityKind::Certificate => ("issued", "expires"),
        ValidityKind::CurrentFromDate => ("dated", "current-until"),
        ValidityKind::Agreement => ("in-force-from", "in-force-until"),
    };
    props.push(prop(start, &held.period_start.to_string()));
    if let Some(e) = held.period_end {
        props.push(prop(end, &e.to_string()));
    }
    if let (ValidityKind::ExaminedPeriod, Some(i)) = (held.validity, held.issued) {
        props.push(prop("issued", &i.to_string()));
    }
    if let Some(b) = held.bridge_letter_until {
        props.push(prop("bridge-letter-until", &b.to_string()));
    }
    if let Some(o) = held.opinion {
        props.push(prop("opinion", o.id()));
    }
    props
}

/// What an evidence row says: a scan's findings summary, else its description.
pub fn evidence_description(e: &crate::model::audit::Evidence) -> Option<String> {
    match (&e.description, &e.findings) {
        (_, Some(f)) => Some(f.sentence()),
        (Some(d), None) => Some(d.clone()),
        (None, None) => None,
    }
}

/// Keys made unique by a counter where the same key comes twice.
#[derive(Default)]
struct UniqueKeys(BTreeMap<String, usize>);

impl UniqueKeys {
    fn unique(&mut self, key: String) -> String {
        let n = self.0.entry(key.clone()).or_insert(0);
        *n += 1;
        match *n {
            1 => key,
            n => format!("{key}#{n}"),
        }
    }
}
