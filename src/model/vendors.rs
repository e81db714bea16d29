//! Model: vendors (the SaaS a team relies on) as subservice organizations: the
//! layers each operates, the reports it issues, and the complementary user entity
//! controls (CUECs) those reports expect of the team, each with its status.
//!
//! A vendor in scope is a part of the estate like a provider service: it owns the
//! layers `audit.toml` gives it, never the organization's own. Its reports are held
//! attestations whose scope is the vendor itself. A CUEC is a customer obligation:
//! met by the evidence already attached to the controls it maps to.

use crate::diag::{Problem, did_you_mean};
use crate::load::project::{Project, VendorEntry};
use crate::model::assemble::Settings;
use crate::model::audit::{Audit, HeldAttestation};
use crate::model::catalog::Relationship;
use crate::model::layer::{Layer, Owner, ServiceModel};
use crate::model::library::{ControlKey, Library};
use crate::model::status::{EvidenceFact, Status, customer_side};

/// How a vendor is named where a provider id is expected: `vendor:Okta`.
pub const VENDOR_PREFIX: &str = "vendor:";

/// A vendor the project declares.
#[derive(Debug, Clone)]
pub struct Vendor {
    pub name: String,
    /// What the team uses of it (`Workforce Identity`).
    pub service: String,
    pub model: ServiceModel,
    pub tags: Vec<String>,
    /// The layers it operates and who owns each, in layer order.
    pub layers: Vec<(Layer, Owner)>,
    pub cuecs: Vec<Cuec>,
}

/// A complementary user entity control: what the vendor's report expects of the team.
#[derive(Debug, Clone)]
pub struct Cuec {
    pub id: String,
    pub text: String,
    /// The controls it maps to, as people read them (`IAM-03`, `HIPAA 164.312(d)`).
    pub controls: Vec<String>,
    keys: Vec<ControlKey>,
    /// Satisfied, stale, failing, partial or missing; decided once the controls are evaluated.
    pub status: Status,
    pub reason: String,
}

impl Cuec {
    /// Not met at the as-of date: a gap.
    pub fn is_gap(&self) -> bool {
        self.status != Status::Satisfied
    }
}

impl Vendor {
    /// The provider id its reports are held under.
    pub fn provider_id(&self) -> String {
        format!("{VENDOR_PREFIX}{}", self.name)
    }

    /// Who owns `layer` for it; `None` where `audit.toml` does not give it the layer.
    pub fn owner(&self, layer: Layer) -> Option<Owner> {
        self.layers
            .iter()
            .find(|(l, _)| *l == layer)
            .map(|(_, o)| *o)
    }

    /// Whether a framework scoped to `tag` (or to nothing) takes it in.
    pub fn in_scope(&self, tag: Option<&str>) -> bool {
        tag.is_none_or(|t| self.tags.iter().any(|x| x == t))
    }

    /// The layers it holds with `owner`, named, for reports.
    pub fn layers_owned(&self, owner: Owner) -> String {
        let names: Vec<&str> = self
            .layers
            .iter()
            .filter(|(_, o)| *o == owner)
            .map(|(l, _)| l.name())
            .collect();
        names.join(", ")
    }
}

/// Resolve `[[vendors]]`: the vendors, and their reports as held attestations.
pub(crate) fn resolve_vendors(
    project: &Project,
    settings: &Settings,
    problems: &mut Vec<Problem>,
    warnings: &mut Vec<Problem>,
) -> (Vec<Vendor>, Vec<HeldAttestation>) {
    let mut vendors: Vec<Vendor> = Vec::new();
    let mut held = Vec::new();
    for entry in &project.file.vendors {
        let name = entry.name.get_ref().trim().to_string();
        if name.is_empty() {
            problems.push(project.problem(entry.name.span(), "a vendor needs a name"));
            continue;
        }
        if vendors.iter().any(|v| v.name.eq_ignore_ascii_case(&name)) {
            problems.push(project.problem(
                entry.name.span(),
                format!("vendor \"{name}\" is declared twice; each [[vendors]] name is a key"),
            ));
            continue;
        }
        let vendor = Vendor {
            layers: vendor_layers(project, entry, &name, problems),
            cuecs: vendor_cuecs(project, settings, entry, &name, problems),
            name,
            service: entry.service.clone(),
            model: entry.model,
            tags: entry.tags.clone(),
        };
        held.extend(vendor_reports(
            project,
            settings.library,
            entry,
            &vendor,
            (problems, warnings),
        ));
        vendors.push(vendor);
    }
    (vendors, held)
}

fn vendor_layers(
    project: &Project,
    entry: &VendorEntry,
    name: &str,
    problems: &mut Vec<Problem>,
) -> Vec<(Layer, Owner)> {
    let mut layers = Vec::new();
    for (id, owner) in &entry.layers {
        let Some(layer) = Layer::ALL.iter().copied().find(|l| l.id() == id.get_ref()) else {
            let ids = Layer::ALL.iter().map(|l| l.id());
            let message = match did_you_mean(id.get_ref(), ids.clone()) {
                Some(s) => format!("unknown layer \"{}\"; did you mean \"{s}\"?", id.get_ref()),
                None => format!(
                    "unknown layer \"{}\" (known: {})",
                    id.get_ref(),
                    ids.collect::<Vec<_>>().join(", ")
                ),
            };
            problems.push(project.problem(id.span(), message));
            continue;
        };
        if layer.is_organizational() {
            let own: Vec<&str> = Layer::ALL
                .iter()
                .filter(|l| l.is_organizational())
                .map(|l| l.id())
                .collect();
            problems.push(project.problem(
                id.span(),
                format!(
                    "vendor \"{name}\" cannot be given {} ({}): it is the organization's own whatever it uses (organizational layers: {})",
                    layer.id(),
                    layer.name(),
                    own.join(", ")
                ),
            ));
            continue;
        }
        if needs_source(layer, *owner) && entry.layers_source.is_none() {
            problems.push(project.problem(
                id.span(),
                format!(
                    "vendor \"{name}\" is given {} alone: name the document that says so with layers_source (its report's system description, its trust page). A vendor keeps the logs and backups of its own service; reviewing them and testing recovery stay yours either way",
                    layer.id()
                ),
            ));
        }
        layers.push((layer, *owner));
    }
    layers.sort();
    layers
}

/// Whether giving `layer` to a provider or vendor alone needs a cited document:
/// logging and continuity decide whether monitoring and recovery controls look
/// inherited, so they are never taken on the team's word alone.
pub(crate) fn needs_source(layer: Layer, owner: Owner) -> bool {
    owner == Owner::Provider && matches!(layer, Layer::Logging | Layer::Continuity)
}

fn vendor_cuecs(
    project: &Project,
    settings: &Settings,
    entry: &VendorEntry,
    name: &str,
    problems: &mut Vec<Problem>,
) -> Vec<Cuec> {
    let library = settings.library;
    let scope = settings.reference_scope();
    let mut cuecs: Vec<Cuec> = Vec::new();
    for cuec in &entry.cuecs {
        let id = cuec.id.get_ref().trim().to_string();
        if cuecs.iter().any(|c| c.id == id) {
            problems.push(project.problem(
                cuec.id.span(),
                format!("CUEC \"{id}\" of vendor \"{name}\" is listed twice"),
            ));
            continue;
        }
        if cuec.controls.is_empty() {
            problems.push(project.problem(
                cuec.id.span(),
                format!(
                    "CUEC \"{id}\" of vendor \"{name}\" maps to no control; name the common or framework controls that meet it"
                ),
            ));
        }
        let mut keys = Vec::new();
        for reference in &cuec.controls {
            match library.resolve(reference.get_ref(), None, &scope) {
                Ok(key) if !keys.contains(&key) => keys.push(key),
                Ok(_) => {}
                Err(message) => problems.push(project.problem(reference.span(), message)),
            }
        }
        cuecs.push(Cuec {
            controls: keys.iter().map(|k| control_label(library, *k)).collect(),
            keys,
            id,
            text: cuec.text.clone(),
            status: Status::Missing,
            reason: String::new(),
        });
    }
    cuecs
}

/// `IAM-03` for a common control, `HIPAA 164.312(d)` for a framework's.
fn control_label(library: &Library, key: ControlKey) -> String {
    match Some(key.framework) == library.common() {
        true => library.control(key).id.clone(),
        false => library.display(key),
    }
}

fn vendor_reports(
    project: &Project,
    library: &Library,
    entry: &VendorEntry,
    vendor: &Vendor,
    (problems, warnings): (&mut Vec<Problem>, &mut Vec<Problem>),
) -> Vec<HeldAttestation> {
    let mut held = Vec::new();
    for report in &entry.reports {
        let scheme_id = report.scheme.get_ref();
        let Some(scheme) = library.reports.scheme(scheme_id) else {
            let ids = library.reports.schemes.iter().map(|s| s.id.as_str());
            let message = match did_you_mean(scheme_id, ids.clone()) {
                Some(s) => format!("unknown report scheme \"{scheme_id}\"; did you mean \"{s}\"?"),
                None => format!(
                    "unknown report scheme \"{scheme_id}\" (frameworks/attestations.toml defines: {})",
                    ids.collect::<Vec<_>>().join(", ")
                ),
            };
            problems.push(project.problem(report.scheme.span(), message));
            continue;
        };
        let written = crate::model::validity::Written {
            name: &report.name,
            at: report.scheme.span(),
            period_start: report.period_start.as_ref(),
            period_end: report.period_end.as_ref(),
            issued: report.issued.as_ref(),
            bridge_letter_until: report.bridge_letter_until.as_ref(),
            opinion: report.opinion.as_ref(),
            exceptions: &report.exceptions,
        };
        let checked = scheme.check(&library.reports, &written, project.file.audit.as_of);
        problems.extend(
            checked
                .errors
                .into_iter()
                .map(|(span, m)| project.problem(span, m)),
        );
        warnings.extend(
            checked
                .warnings
                .into_iter()
                .map(|(span, m)| project.problem(span, m)),
        );
        let Some(dates) = checked.dates else {
            continue;
        };
        held.push(HeldAttestation {
            provider: vendor.provider_id(),
            report: scheme.id.clone(),
            scheme: scheme.id.clone(),
            name: report.name.clone(),
            // A vendor report's scope is the vendor itself.
            services: vec![vendor.name.clone()],
            validity: scheme.validity,
            claim: scheme.claim.clone(),
            frameworks: frameworks_backed(library, &scheme.id),
            period_start: dates.period_start,
            period_end: dates.period_end,
            issued: dates.issued,
            bridge_letter_until: dates.bridge_letter_until,
            opinion: dates.opinion,
            exceptions: report.exceptions.clone(),
            caveats: dates.caveats,
            bridge_caveat: dates.bridge_caveat,
            backs_nothing: dates.backs_nothing,
            coverage: String::new(),
            needs: Vec::new(),
            obtained_from: report.obtained_from.clone(),
        });
    }
    held
}

/// The frameworks whose rules accept a report of `scheme`.
pub(crate) fn frameworks_backed(library: &Library, scheme: &str) -> Vec<String> {
    let scheme = scheme.to_string();
    library
        .reports
        .rules
        .iter()
        .filter(|r| r.any_of.contains(&scheme) || r.requires.contains(&scheme))
        .map(|r| r.framework.clone())
        .collect()
}

/// Decide every CUEC from the evidence attached to the controls it maps to.
pub(crate) fn decide_cuecs(vendors: &mut [Vendor], library: &Library, audit: &Audit) {
    for cuec in vendors.iter_mut().flat_map(|v| v.cuecs.iter_mut()) {
        (cuec.status, cuec.reason) = decide(cuec, library, audit);
    }
}

/// No control counts as met while a vendor's CUEC mapped to it is unmet: the
/// vendor's report vouches for its side only on the condition that the team
/// does its part. An inherited or satisfied control that an unmet CUEC maps to
/// (directly, or through a common control's links) becomes partial, naming it.
pub(crate) fn hold_to_cuecs(audit: &mut Audit, vendors: &[Vendor], library: &Library) {
    for vendor in vendors {
        for cuec in vendor.cuecs.iter().filter(|c| c.is_gap()) {
            for key in cuec_targets(cuec, library) {
                let catalog = &library.catalogs[key.framework];
                let Some(control) = audit
                    .frameworks
                    .iter_mut()
                    .find(|f| f.id == catalog.id)
                    .and_then(|f| f.controls.get_mut(key.control))
                else {
                    continue;
                };
                if !control.status.is_covered() {
                    continue;
                }
                control.status_reason = format!(
                    "{}; but {}'s CUEC {} is not met ({})",
                    control.status_reason, vendor.name, cuec.id, cuec.reason
                );
                control.status = Status::Partial;
            }
        }
    }
}

/// The framework controls a CUEC maps to: those it names, and those the common
/// controls it names link to.
fn cuec_targets(cuec: &Cuec, library: &Library) -> Vec<ControlKey> {
    let mut targets = Vec::new();
    for &key in &cuec.keys {
        match Some(key.framework) == library.common() {
            true => targets.extend(library.links_from(key).iter().map(|(to, _)| *to)),
            false => targets.push(key),
        }
    }
    targets.sort();
    targets.dedup();
    targets
}

/// One CUEC: satisfied when one mapped control in scope has fresh passing evidence;
/// missing when none has any; otherwise the best of what they have, named.
fn decide(cuec: &Cuec, library: &Library, audit: &Audit) -> (Status, String) {
    let mut results: Vec<(Status, String)> = Vec::new();
    let mut outside = Vec::new();
    for &key in &cuec.keys {
        let label = control_label(library, key);
        match control_evidence(key, library, audit) {
            Some((facts, window)) => {
                let (status, reason) = customer_side(&facts, window, audit.as_of);
                results.push((status, format!("{label}: {reason}")));
            }
            None => outside.push(label),
        }
    }
    let rank = |s: Status| crate::model::diff::rank(s).unwrap_or(u8::MAX);
    let with_evidence: Vec<&(Status, String)> = results
        .iter()
        .filter(|(s, _)| *s != Status::Missing)
        .collect();
    if let Some(best) = with_evidence.iter().min_by_key(|(s, _)| rank(*s)) {
        let (status, reason) = (*best).clone();
        return match status {
            Status::Satisfied => (Status::Satisfied, format!("met through {reason}")),
            _ => (status, format!("not met: {reason}")),
        };
    }
    let named: Vec<String> = cuec
        .keys
        .iter()
        .map(|k| control_label(library, *k))
        .filter(|l| !outside.contains(l))
        .collect();
    let mut reason = match named.is_empty() {
        true => "no evidence: it maps to no control in scope".to_string(),
        false => format!("no evidence for {}", named.join(" or ")),
    };
    if !outside.is_empty() {
        reason.push_str(&format!(
            " ({} outside the frameworks in scope)",
            outside.join(", ")
        ));
    }
    (Status::Missing, reason)
}

/// The evidence attached to one control, with its freshness window; `None` for a
/// framework control outside the frameworks in scope.
///
/// A framework control's is what counts for it in the audit. A common control's
/// is every row naming it, or naming a framework control `equivalent` to it.
fn control_evidence<'a>(
    key: ControlKey,
    library: &Library,
    audit: &'a Audit,
) -> Option<(Vec<EvidenceFact<'a>>, u32)> {
    let catalog = &library.catalogs[key.framework];
    if Some(key.framework) != library.common() {
        let framework = audit.frameworks.iter().find(|f| f.id == catalog.id)?;
        let control = framework.controls.get(key.control)?;
        let facts = audit.evidence_facts(&control.evidence);
        return Some((facts, control.freshness_days));
    }
    let control = library.control(key);
    let mut names: Vec<(&str, &str)> = vec![(catalog.id.as_str(), control.id.as_str())];
    for (to, relationship) in library.links_from(key) {
        if *relationship == Relationship::Equivalent {
            names.push((
                library.catalogs[to.framework].id.as_str(),
                library.control(*to).id.as_str(),
            ));
        }
    }
    let facts = audit
        .evidence
        .iter()
        .filter(|e| {
            e.controls
                .iter()
                .any(|(f, c)| names.contains(&(f.as_str(), c.as_str())))
        })
        .map(|e| EvidenceFact {
            id: &e.id,
            collected: e.collected,
            expires: e.expires,
            outcome: e.outcome,
            full: true,
            via: None,
        })
        .collect();
    let window = control.cadence_days.unwrap_or(audit.default_freshness_days);
    Some((facts, window))
}
