//! Model: assemble the audit from the project's settings, the library and the evidence read.
//! Settings that name unknown things are errors; evidence rows that cannot count are reported.

use crate::diag::{Problem, did_you_mean};
use crate::load::evidence::EvidenceRead;
use crate::load::project::Project;
use crate::model::audit::*;
use crate::model::evaluate::evaluate_framework;
use crate::model::evidence_map::map_evidence;
use crate::model::findings_map::{map_findings, resolve_check_maps};
use crate::model::layer::{Layer, Responsibility};
use crate::model::library::{ControlKey, Library};
use crate::model::provider::Service;
use crate::model::responsibility::{ScopedService, short_service_name};
use crate::model::site::Site;
use crate::model::vendors::{Vendor, decide_cuecs, frameworks_backed, resolve_vendors};
use std::collections::BTreeMap;
use toml::Spanned;

/// What a key of `audit.toml` names: a whole framework, a family or one control.
#[derive(Debug, Clone)]
pub(crate) enum Target {
    Framework(usize),
    Family(usize, String),
    Control(ControlKey),
}

/// The project's settings, resolved against the library.
pub(crate) struct Settings<'a> {
    pub(crate) library: &'a Library,
    pub(crate) frameworks: Vec<usize>,
    pub(crate) services: Vec<(usize, ScopedService<'a>)>,
    pub(crate) sites: Vec<Site>,
    /// Vendors declared, in scope for a framework by their tags as services are.
    pub(crate) vendors: Vec<Vendor>,
    pub(crate) owners: Vec<(Target, String, Option<String>)>,
    pub(crate) freshness: BTreeMap<ControlKey, u32>,
    pub(crate) exceptions: BTreeMap<ControlKey, usize>,
    pub(crate) pins: BTreeMap<ControlKey, (Responsibility, String)>,
    pub(crate) not_applicable: BTreeMap<ControlKey, String>,
}

impl Settings<'_> {
    /// Where unprefixed references resolve: the frameworks in scope and the common controls.
    pub(crate) fn reference_scope(&self) -> Vec<usize> {
        self.frameworks
            .iter()
            .copied()
            .chain(self.library.common())
            .collect()
    }
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
        sites: sites_of(project),
        vendors: Vec::new(),
        owners: Vec::new(),
        freshness: BTreeMap::new(),
        exceptions: BTreeMap::new(),
        pins: BTreeMap::new(),
        not_applicable: BTreeMap::new(),
    };
    let inventory = resolve_inventory(project, &mut settings, &mut problems);
    check_scope_tags(project, &settings, &mut problems);
    resolve_controls(project, &mut settings, &mut problems);
    let mut warnings = Vec::new();
    let mut attestations = resolve_attestations(project, library, &mut problems, &mut warnings);
    let (vendors, vendor_reports) =
        resolve_vendors(project, &settings, &mut problems, &mut warnings);
    settings.vendors = vendors;
    attestations.extend(vendor_reports);
    library.reports.describe(
        &mut attestations,
        (file.audit.period_start, file.audit.period_end),
        file.audit.as_of,
    );
    let exceptions = collect_exceptions(project, &mut settings, &mut problems);
    let matrices = matrices_used(project, library, &settings, &mut problems);
    let check_maps = resolve_check_maps(project, &settings, &mut problems);
    if !problems.is_empty() {
        problems.sort();
        problems.dedup();
        return Err(problems);
    }
    let rows_read = read.rows_read();
    let (mut evidence, mut reported) = map_evidence(read.rows, &settings, file.audit.as_of);
    let (scanned, scans) = map_findings(read.findings, &check_maps, project, &settings);
    evidence.extend(scanned);
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
    let mut notes = read.notes.clone();
    notes.extend(matrix_notes(&matrices, library));
    let mut audit = Audit {
        organization: file.organization.name.clone(),
        period_start: file.audit.period_start,
        period_end: file.audit.period_end,
        as_of: file.audit.as_of,
        default_freshness_days: file.audit.freshness_days,
        frameworks: Vec::new(),
        inventory,
        sites: settings.sites.clone(),
        vendors: Vec::new(),
        attestations,
        exceptions,
        evidence,
        reported,
        rows_read,
        notes,
        warnings,
        matrices,
        scans,
        focus: None,
        left_out: Vec::new(),
        tabletop: None,
        drift: Default::default(),
    };
    let scanned: Vec<&crate::load::findings::FindingsRead> =
        audit.scans.iter().map(|s| &s.results).collect();
    audit.drift = crate::model::drift::compare(&audit.inventory, &scanned, &library.providers);
    audit.frameworks = settings
        .frameworks
        .iter()
        .map(|&f| evaluate_framework(f, project, &settings, &audit))
        .collect();
    let gaps: Vec<String> = audit
        .frameworks
        .iter()
        .flat_map(|f| {
            f.provider_gaps
                .iter()
                .map(move |gap| format!("{}: the provider's side is not backed: {gap}", f.name))
        })
        .collect();
    audit.notes.extend(gaps);
    let mut vendors = std::mem::take(&mut settings.vendors);
    decide_cuecs(&mut vendors, library, &audit);
    crate::model::vendors::hold_to_cuecs(&mut audit, &vendors, library);
    audit.vendors = vendors;
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
        let Some(provider) = find_provider(project, library, &entry.provider, problems) else {
            continue;
        };
        let Some(service) = provider.service(entry.service.get_ref()) else {
            if crate::model::declared::was_declared(project, &provider.id, entry.service.get_ref())
            {
                continue; // its declaration's problems are reported instead
            }
            problems.push(project.problem(
                entry.service.span(),
                crate::model::declared::unknown_service(provider, entry.service.get_ref()),
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
            service_name: crate::model::declared::shown_name(
                service,
                short_service_name(&service.name),
            ),
            model: service.model,
            tier: entry.tier,
            tags: entry.tags.clone(),
            owners: Layer::ALL
                .iter()
                .filter_map(|&l| provider.owner(service, l).map(|o| (l, o)))
                .collect(),
            sources: Layer::ALL
                .iter()
                .filter(|&&l| provider.owner(service, l).is_some())
                .map(|&l| {
                    let (document, at) = provider
                        .source_of(service, l)
                        .unwrap_or_else(|| ("no source given".to_string(), String::new()));
                    (l, document, at)
                })
                .collect(),
        });
    }
    items
}

fn sites_of(project: &Project) -> Vec<Site> {
    project
        .file
        .sites
        .iter()
        .map(|s| Site {
            name: s.name.clone(),
            kind: s.kind,
            holds: s.holds.clone(),
            tags: s.tags.clone(),
            operator: s.operator.clone(),
        })
        .collect()
}

/// The tag that scopes a framework: `[scope]` in audit.toml, else its catalog's.
pub(crate) fn scope_tag(
    project: &Project,
    catalog: &crate::model::catalog::Catalog,
) -> Option<String> {
    project
        .file
        .scope
        .iter()
        .find(|(k, _)| k.get_ref().eq_ignore_ascii_case(&catalog.id))
        .map(|(_, t)| t.clone())
        .or_else(|| catalog.scope_tag.clone())
}

/// A framework scoped to a tag that nothing carries would silently be "not
/// applicable" from end to end (a typo in `phi` hides every HIPAA gap): an error
/// naming the tag and what was looked at.
fn check_scope_tags(project: &Project, settings: &Settings, problems: &mut Vec<Problem>) {
    let file = &project.file;
    for entry in &file.audit.frameworks {
        let Some(index) = settings.library.catalog_index(entry.get_ref()) else {
            continue;
        };
        let catalog = &settings.library.catalogs[index];
        let Some(tag) = scope_tag(project, catalog) else {
            continue;
        };
        let tagged = file.inventory.iter().any(|i| i.tags.contains(&tag))
            || file.sites.iter().any(|s| s.tags.contains(&tag))
            || file.vendors.iter().any(|v| v.tags.contains(&tag));
        if tagged {
            continue;
        }
        let looked_at: Vec<String> = file
            .inventory
            .iter()
            .map(|i| (&i.name, &i.tags))
            .chain(file.sites.iter().map(|s| (&s.name, &s.tags)))
            .chain(file.vendors.iter().map(|v| (v.name.get_ref(), &v.tags)))
            .map(|(name, tags)| match tags.is_empty() {
                true => format!("{name} (no tags)"),
                false => format!("{name} ({})", tags.join(", ")),
            })
            .collect();
        let seen = match looked_at.is_empty() {
            true => {
                "the project lists no [[inventory]], [[sites]] or [[vendors]] entries".to_string()
            }
            false => format!("none of {} does", looked_at.join("; ")),
        };
        problems.push(project.problem(
            entry.span(),
            format!(
                "{} applies to what carries the scope tag \"{tag}\", and {seen}; tag the services and sites that hold its data, or set [scope] {} = \"...\"",
                catalog.name, catalog.id
            ),
        ));
    }
}

/// The provider a setting names, or a problem with a suggestion.
fn find_provider<'l>(
    project: &Project,
    library: &'l Library,
    name: &Spanned<String>,
    problems: &mut Vec<Problem>,
) -> Option<&'l crate::model::provider::Provider> {
    let found = library.provider(name.get_ref());
    if found.is_none() {
        let ids: Vec<&str> = library.providers.iter().map(|p| p.id.as_str()).collect();
        problems.push(project.problem(name.span(), unknown("provider", name.get_ref(), &ids)));
    }
    found
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
    warnings: &mut Vec<Problem>,
) -> Vec<HeldAttestation> {
    let mut held = Vec::new();
    for entry in &project.file.attestations {
        let Some(provider) = find_provider(project, library, &entry.provider, problems) else {
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
        let scheme = kind.scheme().to_string();
        let Some(kind_of_report) = library.reports.scheme(&scheme) else {
            problems.push(project.problem(
                entry.report.span(),
                format!(
                    "{} report {} is of kind \"{scheme}\", which frameworks/attestations.toml does not define",
                    provider.short_name, kind.id
                ),
            ));
            continue;
        };
        // Which frameworks its kind backs, by the rules; a project may only narrow that.
        let mut frameworks = frameworks_backed(library, &scheme);
        if let Some(list) = &entry.frameworks {
            for f in list {
                if library.catalog_index(f.get_ref()).is_none() {
                    problems
                        .push(project.problem(f.span(), library.unknown_framework(f.get_ref())));
                }
            }
            frameworks.retain(|id| list.iter().any(|f| f.get_ref().eq_ignore_ascii_case(id)));
        }
        let written = crate::model::validity::Written {
            name: &kind.name,
            at: entry.report.span(),
            period_start: entry.period_start.as_ref(),
            period_end: entry.period_end.as_ref(),
            issued: entry.issued.as_ref(),
            bridge_letter_until: entry.bridge_letter_until.as_ref(),
            opinion: entry.opinion.as_ref(),
            exceptions: &entry.exceptions,
        };
        let checked = kind_of_report.check(&library.reports, &written, project.file.audit.as_of);
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
        let services = match &entry.services {
            None => kind.services.clone(),
            Some(list) => {
                for s in list {
                    if provider.service(s.get_ref()).is_none() {
                        let ids: Vec<&str> =
                            provider.services.iter().map(|s| s.id.as_str()).collect();
                        problems.push(project.problem(
                            s.span(),
                            unknown(
                                &format!("{} service", provider.short_name),
                                s.get_ref(),
                                &ids,
                            ),
                        ));
                    }
                }
                list.iter().map(|s| s.get_ref().clone()).collect()
            }
        };
        held.push(HeldAttestation {
            provider: provider.id.clone(),
            report: kind.id.clone(),
            scheme,
            name: kind.name.clone(),
            services,
            validity: kind_of_report.validity,
            claim: kind_of_report.claim.clone(),
            frameworks,
            period_start: dates.period_start,
            period_end: dates.period_end,
            issued: dates.issued,
            bridge_letter_until: dates.bridge_letter_until,
            opinion: dates.opinion,
            exceptions: entry.exceptions.clone(),
            caveats: dates.caveats,
            bridge_caveat: dates.bridge_caveat,
            backs_nothing: dates.backs_nothing,
            coverage: String::new(),
            needs: Vec::new(),
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
        let mut services: Vec<(&Service, String)> = Vec::new();
        for (_, s) in &settings.services {
            if s.provider.id == scoped.provider.id
                && !services.iter().any(|(known, _)| known.id == s.service.id)
            {
                let name = crate::model::declared::shown_name(s.service, s.short_name());
                services.push((s.service, name));
            }
        }
        used.push(MatrixUsed {
            provider: scoped.provider.id.clone(),
            name: scoped.provider.matrix.name.clone(),
            version: scoped.provider.matrix.version.clone(),
            reviewed: review
                .filter(|_| reviewed_version.is_some())
                .map(|r| r.reviewed),
            sources: scoped.provider.sources_used(&services),
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
