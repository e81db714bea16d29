//! Model: assemble the audit from the project's settings, the library and the evidence read.
//! Settings that name unknown things are errors; evidence rows that cannot count are reported.

use crate::diag::{Problem, did_you_mean};
use crate::load::evidence::{EvidenceRead, EvidenceRow};
use crate::load::project::Project;
use crate::model::audit::*;
use crate::model::layer::{Layer, Responsibility};
use crate::model::library::{ControlKey, Library};
use crate::model::responsibility::{ScopedService, derive, short_service_name};
use crate::model::status::{EvidenceFact, Status, customer_side};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use toml::Spanned;

/// What a key of `audit.toml` names: a whole framework, a family or one control.
#[derive(Debug, Clone)]
enum Target {
    Framework(usize),
    Family(usize, String),
    Control(ControlKey),
}

/// The project's settings, resolved against the library.
struct Settings<'a> {
    library: &'a Library,
    frameworks: Vec<usize>,
    services: Vec<(usize, ScopedService<'a>)>,
    owners: Vec<(Target, String, Option<String>)>,
    freshness: BTreeMap<ControlKey, u32>,
    exceptions: BTreeMap<ControlKey, usize>,
    pins: BTreeMap<ControlKey, (Responsibility, String)>,
    not_applicable: BTreeMap<ControlKey, String>,
}

/// Build the audit; every problem in the settings is returned together.
pub fn assemble(
    project: &Project,
    library: &Library,
    read: EvidenceRead,
) -> Result<Audit, Vec<Problem>> {
    let mut problems = read.errors.clone();
    let file = &project.file;
    let mut resolve_list = |entries: &[Spanned<String>]| -> Vec<usize> {
        let mut found = Vec::new();
        for entry in entries {
            match library.catalog_index(entry.get_ref()) {
                Some(i) if !found.contains(&i) => found.push(i),
                Some(_) => {}
                None => problems.push(
                    project.problem(entry.span(), library.unknown_framework(entry.get_ref())),
                ),
            }
        }
        found
    };
    let frameworks = resolve_list(&file.audit.frameworks);
    if file.audit.period_start > file.audit.period_end {
        problems.push(project.problem(
            0..0,
            format!(
                "the audit period starts ({}) after it ends ({})",
                file.audit.period_start, file.audit.period_end
            ),
        ));
    }
    let mut settings = Settings {
        library,
        frameworks,
        services: Vec::new(),
        owners: Vec::new(),
        freshness: BTreeMap::new(),
        exceptions: BTreeMap::new(),
        pins: BTreeMap::new(),
        not_applicable: BTreeMap::new(),
    };
    let inventory = resolve_inventory(project, &mut settings, &mut problems);
    resolve_controls(project, &mut settings, &mut problems);
    let attestations = resolve_attestations(project, library, &mut problems);
    let exceptions = collect_exceptions(project, &mut settings, &mut problems);
    let matrices = matrices_used(project, library, &settings, &mut problems);
    if !problems.is_empty() {
        problems.sort();
        problems.dedup();
        return Err(problems);
    }
    let rows_read = read.rows_read();
    let (evidence, mut reported) = map_evidence(&read.rows, &settings, file.audit.as_of);
    reported.extend(read.rejected.iter().map(|r| {
        ReportedRow {
            origin: r.origin.clone(),
            title: r.title.clone(),
            reasons: r.problems.iter().map(|p| p.message.clone()).collect(),
            position: r
                .problems
                .first()
                .map(|p| p.location.to_string())
                .unwrap_or_default(),
        }
    }));
    reported.sort_by(|a, b| a.origin.cmp(&b.origin));
    let mut notes = read.skipped_sheets.clone();
    notes.extend(matrix_notes(&matrices, library));
    let mut audit = Audit {
        organization: file.organization.name.clone(),
        period_start: file.audit.period_start,
        period_end: file.audit.period_end,
        as_of: file.audit.as_of,
        default_freshness_days: file.audit.freshness_days,
        frameworks: Vec::new(),
        inventory,
        attestations,
        exceptions,
        evidence,
        reported,
        rows_read,
        notes,
        matrices,
    };
    audit.frameworks = settings
        .frameworks
        .iter()
        .map(|&f| evaluate_framework(f, project, &settings, &audit))
        .collect();
    Ok(audit)
}

fn resolve_inventory<'a>(
    project: &Project,
    settings: &mut Settings<'a>,
    problems: &mut Vec<Problem>,
) -> Vec<InventoryItem> {
    let library = settings.library;
    let mut items = Vec::new();
    for (index, entry) in project.file.inventory.iter().enumerate() {
        let Some(provider) = library.provider(entry.provider.get_ref()) else {
            let ids: Vec<&str> = library.providers.iter().map(|p| p.id.as_str()).collect();
            problems.push(project.problem(
                entry.provider.span(),
                unknown("provider", entry.provider.get_ref(), &ids),
            ));
            continue;
        };
        let Some(service) = provider.service(entry.service.get_ref()) else {
            let ids: Vec<&str> = provider.services.iter().map(|s| s.id.as_str()).collect();
            problems.push(project.problem(
                entry.service.span(),
                unknown(
                    &format!("{} service", provider.short_name),
                    entry.service.get_ref(),
                    &ids,
                ),
            ));
            continue;
        };
        settings
            .services
            .push((index, ScopedService { provider, service }));
        items.push(InventoryItem {
            name: entry.name.clone(),
            provider: provider.id.clone(),
            provider_name: provider.short_name.clone(),
            service: service.id.clone(),
            service_name: short_service_name(&service.name),
            model: service.model,
            tier: entry.tier,
            tags: entry.tags.clone(),
            owners: Layer::ALL
                .iter()
                .map(|&l| (l, provider.owner(service, l)))
                .collect(),
        });
    }
    items
}

fn unknown(what: &str, wanted: &str, known: &[&str]) -> String {
    match did_you_mean(wanted, known.iter().copied()) {
        Some(s) => format!("unknown {what} \"{wanted}\"; did you mean \"{s}\"?"),
        None => format!("unknown {what} \"{wanted}\" (known: {})", known.join(", ")),
    }
}

/// Resolve `hipaa`, `hipaa:164.308` (a family) or `hipaa:164.312(d)` (a control).
fn resolve_target(library: &Library, text: &str) -> Result<Target, String> {
    if let Some(f) = library.catalog_index(text) {
        return Ok(Target::Framework(f));
    }
    let Some((framework, rest)) = text.split_once(':') else {
        return library
            .resolve(text, None, &(0..library.catalogs.len()).collect::<Vec<_>>())
            .map(Target::Control);
    };
    let Some(f) = library.catalog_index(framework.trim()) else {
        return Err(library.unknown_framework(framework.trim()));
    };
    let rest = rest.trim();
    if library.catalogs[f].family(rest).is_some() {
        return Ok(Target::Family(f, rest.to_string()));
    }
    library.resolve(rest, Some(f), &[f]).map(Target::Control)
}

fn resolve_control(
    project: &Project,
    library: &Library,
    key: &Spanned<String>,
    problems: &mut Vec<Problem>,
) -> Option<ControlKey> {
    match resolve_target(library, key.get_ref()) {
        Ok(Target::Control(k)) => Some(k),
        Ok(_) => {
            problems.push(project.problem(
                key.span(),
                format!(
                    "\"{}\" names a framework or family; a single control is needed here",
                    key.get_ref()
                ),
            ));
            None
        }
        Err(message) => {
            problems.push(project.problem(key.span(), message));
            None
        }
    }
}

fn resolve_controls(project: &Project, settings: &mut Settings, problems: &mut Vec<Problem>) {
    let library = settings.library;
    let file = &project.file;
    for (key, entry) in &file.owners {
        match resolve_target(library, key.get_ref()) {
            Ok(target) => settings
                .owners
                .push((target, entry.owner.clone(), entry.backup.clone())),
            Err(message) => problems.push(project.problem(key.span(), message)),
        }
    }
    for (key, days) in &file.freshness {
        if let Some(k) = resolve_control(project, library, key, problems) {
            settings.freshness.insert(k, *days);
        }
    }
    for pin in &file.pins {
        if let Some(k) = resolve_control(project, library, &pin.control, problems) {
            settings
                .pins
                .insert(k, (pin.responsibility, pin.reason.clone()));
        }
    }
    for entry in &file.not_applicable {
        if let Some(k) = resolve_control(project, library, &entry.control, problems) {
            settings.not_applicable.insert(k, entry.reason.clone());
        }
    }
    for key in file.scope.keys() {
        if library.catalog_index(key.get_ref()).is_none() {
            problems.push(project.problem(key.span(), library.unknown_framework(key.get_ref())));
        }
    }
}

fn collect_exceptions(
    project: &Project,
    settings: &mut Settings,
    problems: &mut Vec<Problem>,
) -> Vec<Exception> {
    let library = settings.library;
    let as_of = project.file.audit.as_of;
    let mut exceptions = Vec::new();
    for entry in &project.file.exceptions {
        let Some(key) = resolve_control(project, library, &entry.control, problems) else {
            continue;
        };
        settings.exceptions.insert(key, exceptions.len());
        exceptions.push(Exception {
            framework: library.catalogs[key.framework].id.clone(),
            control: library.control(key).id.clone(),
            reason: entry.reason.clone(),
            ticket: entry.ticket.clone(),
            approver: entry.approver.clone(),
            approved: entry.approved,
            expires: entry.expires,
            expired: entry.expires < as_of,
        });
    }
    exceptions
}

fn resolve_attestations(
    project: &Project,
    library: &Library,
    problems: &mut Vec<Problem>,
) -> Vec<HeldAttestation> {
    let mut held = Vec::new();
    for entry in &project.file.attestations {
        let Some(provider) = library.provider(entry.provider.get_ref()) else {
            let ids: Vec<&str> = library.providers.iter().map(|p| p.id.as_str()).collect();
            problems.push(project.problem(
                entry.provider.span(),
                unknown("provider", entry.provider.get_ref(), &ids),
            ));
            continue;
        };
        let Some(kind) = provider.attestation(entry.report.get_ref()) else {
            let ids: Vec<&str> = provider
                .attestations
                .iter()
                .map(|a| a.id.as_str())
                .collect();
            problems.push(project.problem(
                entry.report.span(),
                unknown(
                    &format!("{} attestation", provider.short_name),
                    entry.report.get_ref(),
                    &ids,
                ),
            ));
            continue;
        };
        let frameworks = match &entry.frameworks {
            None => kind.frameworks.clone(),
            Some(list) => {
                let mut ids = Vec::new();
                for f in list {
                    match library.catalog_index(f.get_ref()) {
                        Some(i) => ids.push(library.catalogs[i].id.clone()),
                        None => problems.push(
                            project.problem(f.span(), library.unknown_framework(f.get_ref())),
                        ),
                    }
                }
                ids
            }
        };
        if entry.period_start > entry.period_end {
            problems.push(project.problem(
                entry.report.span(),
                "the attestation period starts after it ends",
            ));
        }
        held.push(HeldAttestation {
            provider: provider.id.clone(),
            report: kind.id.clone(),
            name: kind.name.clone(),
            frameworks,
            period_start: entry.period_start,
            period_end: entry.period_end,
            bridge_letter_until: entry.bridge_letter_until,
            obtained_from: entry
                .obtained_from
                .clone()
                .or_else(|| kind.obtained_from.clone()),
        });
    }
    held
}

fn matrices_used(
    project: &Project,
    library: &Library,
    settings: &Settings,
    problems: &mut Vec<Problem>,
) -> Vec<MatrixUsed> {
    let review = project.file.matrix_review.as_ref();
    if let Some(review) = review {
        for (provider, version) in &review.versions {
            if library.provider(provider).is_none() {
                let ids: Vec<&str> = library.providers.iter().map(|p| p.id.as_str()).collect();
                problems.push(project.problem(version.span(), unknown("provider", provider, &ids)));
            }
        }
    }
    let mut used: Vec<MatrixUsed> = Vec::new();
    for (_, scoped) in &settings.services {
        if used.iter().any(|m| m.provider == scoped.provider.id) {
            continue;
        }
        let reviewed_version = review.and_then(|r| r.versions.get(&scoped.provider.id));
        used.push(MatrixUsed {
            provider: scoped.provider.id.clone(),
            name: scoped.provider.matrix.name.clone(),
            version: scoped.provider.matrix.version.clone(),
            reviewed: review
                .filter(|_| reviewed_version.is_some())
                .map(|r| r.reviewed),
        });
    }
    used.sort_by(|a, b| a.provider.cmp(&b.provider));
    used
}

fn matrix_notes(used: &[MatrixUsed], library: &Library) -> Vec<String> {
    used.iter()
        .filter(|m| m.reviewed.is_none())
        .map(|m| {
            let name = library
                .provider(&m.provider)
                .map_or(m.provider.as_str(), |p| p.short_name.as_str());
            format!(
                "the {name} responsibility matrix ({}) has no review recorded in [matrix_review]",
                m.version
            )
        })
        .collect()
}

/// Resolve each row's references; a row that cannot count is reported with its reasons.
fn map_evidence(
    rows: &[EvidenceRow],
    settings: &Settings,
    as_of: NaiveDate,
) -> (Vec<Evidence>, Vec<ReportedRow>) {
    let library = settings.library;
    let mut evidence = Vec::new();
    let mut reported = Vec::new();
    for row in rows {
        let mut reasons = Vec::new();
        let default = match row.framework.as_deref() {
            None => None,
            Some(f) => match library
                .catalog_index(f)
                .or_else(|| prefix_framework(library, f))
            {
                Some(i) => Some(i),
                None => {
                    reasons.push(library.unknown_framework(f));
                    None
                }
            },
        };
        let mut controls = Vec::new();
        let mut outside = Vec::new();
        for reference in &row.references {
            match library.resolve(reference, default, &settings.frameworks) {
                Ok(key) if settings.frameworks.contains(&key.framework) => controls.push(key),
                Ok(key) => outside.push(library.catalogs[key.framework].id.clone()),
                Err(message) => reasons.push(message),
            }
        }
        if reasons.is_empty() && controls.is_empty() {
            outside.sort();
            outside.dedup();
            reasons.push(format!(
                "names only controls of frameworks not in scope ({})",
                outside.join(", ")
            ));
        }
        if let Some(collected) = row.collected
            && collected > as_of
        {
            reasons.push(format!(
                "collected {collected}, after the as-of date {as_of}"
            ));
        }
        if !reasons.is_empty() {
            reported.push(ReportedRow {
                origin: row.origin.clone(),
                title: Some(row.title.clone()),
                reasons,
                position: row.references_at.to_string(),
            });
            continue;
        }
        controls.sort();
        controls.dedup();
        evidence.push(Evidence {
            id: row.id.clone(),
            title: row.title.clone(),
            origin: row.origin.clone(),
            description: row.description.clone(),
            owner: row.owner.clone(),
            collected: row.collected,
            expires: row.expires,
            outcome: row.outcome,
            outcome_stated: row.outcome_stated,
            link: row.link.clone(),
            reviewer: row.reviewer.clone(),
            controls: controls
                .iter()
                .map(|k| {
                    (
                        library.catalogs[k.framework].id.clone(),
                        library.control(*k).id.clone(),
                    )
                })
                .collect(),
        });
    }
    (evidence, reported)
}

fn prefix_framework(library: &Library, name: &str) -> Option<usize> {
    library.catalogs.iter().position(|c| {
        c.prefixes
            .iter()
            .any(|p| p.eq_ignore_ascii_case(name.trim()))
    })
}

fn evaluate_framework(
    framework: usize,
    project: &Project,
    settings: &Settings,
    audit: &Audit,
) -> FrameworkAudit {
    let catalog = &settings.library.catalogs[framework];
    let tag = project
        .file
        .scope
        .iter()
        .find(|(k, _)| k.get_ref().eq_ignore_ascii_case(&catalog.id))
        .map(|(_, t)| t.clone())
        .or_else(|| catalog.scope_tag.clone());
    let mut scoped: Vec<ScopedService> = Vec::new();
    for (index, service) in &settings.services {
        let tagged = tag
            .as_ref()
            .is_none_or(|t| project.file.inventory[*index].tags.iter().any(|x| x == t));
        let seen = scoped
            .iter()
            .any(|s| s.provider.id == service.provider.id && s.service.id == service.service.id);
        if tagged && !seen {
            scoped.push(*service);
        }
    }
    let mut families: Vec<(String, String)> = Vec::new();
    for family in &catalog.families {
        if family.parent.is_none() {
            families.push((family.id.clone(), family.name.clone()));
        }
    }
    let controls = (0..catalog.controls.len())
        .map(|control| {
            evaluate_control(
                ControlKey { framework, control },
                tag.as_deref(),
                &scoped,
                settings,
                audit,
            )
        })
        .collect();
    FrameworkAudit {
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
    scoped: &[ScopedService],
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
    let mut evidence: Vec<usize> = audit
        .evidence
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            e.controls
                .iter()
                .any(|(f, c)| *f == catalog.id && *c == control.id)
        })
        .map(|(i, _)| i)
        .collect();
    evidence.sort_by(|a, b| {
        audit.evidence[*b]
            .collected
            .cmp(&audit.evidence[*a].collected)
            .then(a.cmp(b))
    });
    let last_collected = evidence.first().and_then(|&i| audit.evidence[i].collected);
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
        exception,
    };
    if let Some(reason) = settings.not_applicable.get(&key) {
        result.status_reason = format!("not applicable: {reason}");
        result.rationale = result.status_reason.clone();
        return result;
    }
    if scoped.is_empty() {
        result.status_reason = match tag {
            Some(t) => {
                format!("not applicable: no service in the inventory carries the scope tag \"{t}\"")
            }
            None => "not applicable: the inventory lists no services".to_string(),
        };
        result.rationale = result.status_reason.clone();
        return result;
    }
    let derivation = derive(control, scoped);
    let (responsibility, rationale) = match settings.pins.get(&key) {
        Some((pinned, reason)) => {
            result.pinned = true;
            (
                *pinned,
                format!(
                    "pinned to {pinned}: {reason} (derived {})",
                    derivation.rationale
                ),
            )
        }
        None => (derivation.responsibility, derivation.rationale.clone()),
    };
    result.responsibility = Some(responsibility);
    result.rationale = rationale;
    let (status, reason, attestations) = decide_status(
        responsibility,
        &derivation.providers,
        &catalog.id,
        &result,
        audit,
    );
    result.status = status;
    result.status_reason = reason;
    result.attestations = attestations;
    result
}

/// Combine the provider side (attestations) and the customer side (evidence, exception).
fn decide_status(
    responsibility: Responsibility,
    providers: &[String],
    framework: &str,
    control: &ControlAudit,
    audit: &Audit,
) -> (Status, String, Vec<String>) {
    let (attested, provider_reason, names) = provider_side(providers, framework, audit);
    if responsibility == Responsibility::Inherited {
        let status = if attested {
            Status::Inherited
        } else {
            Status::InheritedUnattested
        };
        return (status, provider_reason, names);
    }
    let facts: Vec<EvidenceFact> = control
        .evidence
        .iter()
        .map(|&i| {
            let e = &audit.evidence[i];
            EvidenceFact {
                id: &e.id,
                collected: e.collected,
                expires: e.expires,
                outcome: e.outcome,
            }
        })
        .collect();
    let (mut status, mut reason) = customer_side(&facts, control.freshness_days, audit.as_of);
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
    }
    (status, reason, names)
}

/// Whether held attestations cover `framework` over the audit period for every provider involved.
fn provider_side(
    providers: &[String],
    framework: &str,
    audit: &Audit,
) -> (bool, String, Vec<String>) {
    let mut names = Vec::new();
    let mut missing = Vec::new();
    let mut notes = Vec::new();
    for provider in providers {
        let covering = audit.attestations.iter().find(|a| {
            a.provider == *provider
                && a.frameworks.iter().any(|f| f == framework)
                && a.period_start <= audit.period_end
                && a.covered_until() >= audit.period_start
        });
        match covering {
            Some(a) => {
                names.push(format!("{} ({})", a.name, a.period_text()));
                if a.covered_until() < audit.period_end {
                    notes.push(format!(
                        "{} covers only until {}, before the audit period ends; ask for a bridge letter",
                        a.name,
                        a.covered_until()
                    ));
                }
            }
            None => missing.push(provider.to_uppercase()),
        }
    }
    if missing.is_empty() {
        let mut reason = format!("attested by {}", names.join("; "));
        for note in notes {
            reason.push_str(&format!("; {note}"));
        }
        (true, reason, names)
    } else {
        let reason = format!(
            "no held attestation from {} covers {framework} for {} to {}",
            missing.join(", "),
            audit.period_start,
            audit.period_end
        );
        (false, reason, names)
    }
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
