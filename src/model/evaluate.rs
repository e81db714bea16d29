//! Model: each control's responsibility, owner and status at the as-of date.

use crate::load::project::Project;
use crate::model::assemble::scope_tag;
use crate::model::assemble::{Settings, Target};
use crate::model::audit::{Audit, ControlAudit, EvidenceUse, FrameworkAudit};
use crate::model::layer::Responsibility;
use crate::model::library::ControlKey;
use crate::model::reports::ProviderSide;
use crate::model::responsibility::{Unit, derive};
use crate::model::status::{Status, customer_side};
use std::collections::BTreeMap;

pub(crate) fn evaluate_framework(
    framework: usize,
    project: &Project,
    settings: &Settings,
    audit: &Audit,
) -> FrameworkAudit {
    let catalog = &settings.library.catalogs[framework];
    let tag = scope_tag(project, catalog);
    let mut scoped: Vec<Unit> = Vec::new();
    for (index, service) in &settings.services {
        let tagged = tag
            .as_ref()
            .is_none_or(|t| project.file.inventory[*index].tags.iter().any(|x| x == t));
        let seen = scoped.iter().any(|u| {
            matches!(u, Unit::Service(s) if s.provider.id == service.provider.id && s.service.id == service.service.id)
        });
        if tagged && !seen {
            scoped.push(Unit::Service(*service));
        }
    }
    for site in &settings.sites {
        if tag.as_ref().is_none_or(|t| site.tags.contains(t)) {
            scoped.push(Unit::Site(site));
        }
    }
    for vendor in &settings.vendors {
        if vendor.in_scope(tag.as_deref()) {
            scoped.push(Unit::Vendor(vendor));
        }
    }
    let mut families: Vec<(String, String)> = Vec::new();
    for family in &catalog.families {
        if family.parent.is_none() {
            families.push((family.id.clone(), family.name.clone()));
        }
    }
    // One pass over the evidence per framework, not one per control.
    let library = settings.library;
    let mut by_control: BTreeMap<usize, Vec<EvidenceUse>> = BTreeMap::new();
    for (index, e) in audit.evidence.iter().enumerate() {
        for r in e.reached.iter().filter(|r| r.key.framework == framework) {
            by_control
                .entry(r.key.control)
                .or_default()
                .push(EvidenceUse {
                    index,
                    full: r.full,
                    via: r.via.map(|common| library.control(common).id.clone()),
                });
        }
    }
    let controls = (0..catalog.controls.len())
        .map(|control| {
            let evidence = by_control.remove(&control).unwrap_or_default();
            evaluate_control(
                ControlKey { framework, control },
                tag.as_deref(),
                &scoped,
                evidence,
                settings,
                audit,
            )
        })
        .collect();
    let provider_gaps = scoped
        .iter()
        .filter_map(Unit::provider_run)
        .filter_map(|part| {
            let side = library.reports.provider_side(
                &catalog.id,
                std::slice::from_ref(&part),
                &audit.attestations,
                (audit.period_start, audit.period_end),
                audit.as_of,
            );
            (!side.backed).then_some(side.reason)
        })
        .collect();
    let report_rule = library.reports.rule(&catalog.id).map_or_else(
        || "No rule in frameworks/attestations.toml says which reports back it.".to_string(),
        |r| r.reason.clone(),
    );
    FrameworkAudit {
        provider_gaps,
        report_rule,
        id: catalog.id.clone(),
        name: catalog.name.clone(),
        version: catalog.version.clone(),
        publisher: catalog.publisher.clone(),
        scope_tag: tag,
        families,
        controls,
    }
}

fn evaluate_control(
    key: ControlKey,
    tag: Option<&str>,
    scoped: &[Unit],
    mut evidence: Vec<EvidenceUse>,
    settings: &Settings,
    audit: &Audit,
) -> ControlAudit {
    let library = settings.library;
    let catalog = &library.catalogs[key.framework];
    let control = library.control(key);
    let family = catalog
        .top_family(&control.family)
        .map_or(control.family.clone(), |f| f.id.clone());
    let (owner, backup_owner) = owner_of(key, &control.family, settings);
    let window = settings
        .freshness
        .get(&key)
        .copied()
        .or(control.cadence_days)
        .unwrap_or(audit.default_freshness_days);
    evidence.sort_by(|a, b| {
        audit.evidence[b.index]
            .collected
            .cmp(&audit.evidence[a.index].collected)
            .then(a.index.cmp(&b.index))
    });
    let last_collected = evidence
        .first()
        .and_then(|u| audit.evidence[u.index].collected);
    let exception = settings.exceptions.get(&key).copied();
    let mut result = ControlAudit {
        id: control.id.clone(),
        title: control.title.clone(),
        description: control.description.clone(),
        family,
        layers: control.layers.clone(),
        attributes: control.attributes.clone(),
        responsibility: None,
        rationale: String::new(),
        pinned: false,
        status: Status::NotApplicable,
        status_reason: String::new(),
        owner,
        backup_owner,
        evidence,
        last_collected,
        due: last_collected.and_then(|d| d.checked_add_days(chrono::Days::new(window.into()))),
        freshness_days: window,
        attestations: Vec::new(),
        vendors: Vec::new(),
        provided: Vec::new(),
        backing: Vec::new(),
        exception,
    };
    if let Some(reason) = settings.not_applicable.get(&key) {
        result.status_reason = format!("not applicable: {reason}");
        result.rationale = result.status_reason.clone();
        return result;
    }
    let derivation = derive(control, scoped);
    let (responsibility, rationale) = match (settings.pins.get(&key), derivation.responsibility) {
        (Some((pinned, reason)), _) => {
            result.pinned = true;
            (
                *pinned,
                format!(
                    "pinned to {pinned}: {reason} (derived {})",
                    derivation.rationale
                ),
            )
        }
        (None, Some(derived)) => (derived, derivation.rationale.clone()),
        (None, None) => {
            result.status_reason = match tag {
                Some(t) => format!(
                    "{} among what carries the scope tag \"{t}\"",
                    derivation.rationale
                ),
                None => derivation.rationale.clone(),
            };
            result.rationale = result.status_reason.clone();
            return result;
        }
    };
    result.responsibility = Some(responsibility);
    result.rationale = rationale;
    // A pin to shared or inherited over a derivation that found no provider
    // part: the pin's reason speaks for the providers in scope, whose reports
    // must then back it.
    let provided = match derivation.provided.is_empty() {
        true => scoped.iter().filter_map(Unit::provider_run).collect(),
        false => derivation.provided.clone(),
    };
    let provider_side = settings.library.reports.provider_side(
        &catalog.id,
        &provided,
        &audit.attestations,
        (audit.period_start, audit.period_end),
        audit.as_of,
    );
    let backing = provider_side.parts.clone();
    let (status, reason, attestations) =
        decide_status(responsibility, provider_side, &result, audit);
    result.status = status;
    result.status_reason = reason;
    result.attestations = attestations;
    if responsibility != Responsibility::Customer {
        result.provided = provided;
        result.backing = backing;
    }
    result.vendors = derivation
        .provided
        .iter()
        .filter(|p| p.provider.starts_with("vendor:"))
        .map(|p| p.provider_name.clone())
        .collect();
    result
}

/// Combine the provider side (attestations) and the customer side (evidence, exception).
fn decide_status(
    responsibility: Responsibility,
    provider_side: ProviderSide,
    control: &ControlAudit,
    audit: &Audit,
) -> (Status, String, Vec<String>) {
    let ProviderSide {
        backed: attested,
        reason: provider_reason,
        reports: names,
        ..
    } = provider_side;
    if responsibility == Responsibility::Inherited {
        let status = if attested {
            Status::Inherited
        } else {
            Status::InheritedUnattested
        };
        return (status, provider_reason, names);
    }
    let facts = audit.evidence_facts(&control.evidence);
    let (mut status, mut reason) = customer_side(&facts, control.freshness_days, audit.as_of);
    (status, reason) = with_scan_results(status, reason, control, audit);
    if let Some(exception) = control.exception.map(|i| &audit.exceptions[i])
        && status != Status::Satisfied
    {
        if exception.expired {
            reason = format!(
                "{reason}; exception {} expired on {}",
                exception.ticket, exception.expires
            );
        } else {
            status = Status::Exception;
            reason = format!(
                "exception {} approved by {} until {} ({reason})",
                exception.ticket, exception.approver, exception.expires
            );
        }
    }
    if responsibility == Responsibility::Shared {
        if status == Status::Satisfied && !attested {
            return (
                Status::InheritedUnattested,
                format!("{reason}, but the provider's part is not attested: {provider_reason}"),
                names,
            );
        }
        reason = format!("{reason}; provider side: {provider_reason}");
        return (status, reason, names);
    }
    // The customer's own control relies on no provider report, so none is named.
    (status, reason, Vec::new())
}

/// Scanner evidence adds its counts to the reason; failures that are muted, and
/// that audit.toml counts as exceptions, turn a pass into an exception.
fn with_scan_results(
    status: Status,
    mut reason: String,
    control: &ControlAudit,
    audit: &Audit,
) -> (Status, String) {
    let mut excepted = 0;
    for used in &control.evidence {
        let evidence = &audit.evidence[used.index];
        let Some(summary) = &evidence.findings else {
            continue;
        };
        // Reached through a common control, the summary is another control's: name it,
        // or two summaries from one file read the same.
        let source = match used.via {
            None => evidence.origin.path.display().to_string(),
            Some(_) => audit.evidence_label(used),
        };
        reason.push_str(&format!(
            "; {} {source}: {}",
            summary.scanner,
            summary.sentence()
        ));
        if let Some(worst) = summary.worst_text() {
            reason.push_str(&format!(" ({worst})"));
        }
        excepted += summary.excepted;
    }
    if status == Status::Satisfied && excepted > 0 {
        return (
            Status::Exception,
            format!(
                "{reason}; {excepted} failing resource result(s) are muted in the scanner, which audit.toml counts as exceptions"
            ),
        );
    }
    (status, reason)
}

/// The most specific owner entry: the control, then its family and parents, then the framework.
fn owner_of(
    key: ControlKey,
    family: &str,
    settings: &Settings,
) -> (Option<String>, Option<String>) {
    let catalog = &settings.library.catalogs[key.framework];
    let mut families = vec![family.to_string()];
    let mut current = catalog.family(family);
    for _ in 0..catalog.families.len() {
        match current.and_then(|f| f.parent.as_deref()) {
            Some(parent) => {
                families.push(parent.to_string());
                current = catalog.family(parent);
            }
            None => break,
        }
    }
    let rank = |target: &Target| match target {
        Target::Control(k) if *k == key => Some(0),
        Target::Family(f, id) if *f == key.framework => {
            families.iter().position(|x| x == id).map(|p| p + 1)
        }
        Target::Framework(f) if *f == key.framework => Some(usize::MAX),
        _ => None,
    };
    settings
        .owners
        .iter()
        .filter_map(|(target, owner, backup)| rank(target).map(|r| (r, owner, backup)))
        .min_by_key(|(r, _, _)| *r)
        .map_or((None, None), |(_, owner, backup)| {
            (Some(owner.clone()), backup.clone())
        })
}
