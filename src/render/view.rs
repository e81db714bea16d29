//! Render: the data the PDF template reads, made for it from the audit.
//! Every value is a string or a number: the template prints, it does not compute.

use crate::diag::clip;
use crate::model::audit::{Audit, ControlAudit, FrameworkAudit};
use crate::model::layer::{Layer, Owner, Responsibility};
use crate::model::status::Status;
use serde::Serialize;

/// The most rows the PDF's evidence index and its list of reported rows hold.
/// Past it the index gives counts per control and points to the workbook, which
/// holds every row: a 200,000-row register would be 9,000 pages and gigabytes
/// of layout memory, and no auditor reads it on paper.
pub const INDEX_ROWS: usize = 2_000;

/// Whether the evidence index, here and in every output that follows it (the
/// HTML report, the OSCAL export), counts rows per control instead of naming each.
pub fn index_counts_per_control(audit: &Audit) -> bool {
    audit.evidence.len() > INDEX_ROWS
}

/// The most evidence rows named in one control's entry; the rest are counted.
pub const EVIDENCE_PER_CONTROL: usize = 20;

/// The most characters of one input value the PDF prints; the workbook keeps it
/// whole. Typst's line breaking needs memory far beyond the text's size.
const TEXT_CHARS: usize = 1_000;

/// Input text as the PDF prints it.
fn shown(text: &str) -> String {
    clip(text, TEXT_CHARS).into_owned()
}

#[derive(Serialize)]
pub struct PackageView {
    pub title: String,
    pub organization: String,
    pub period: String,
    pub as_of: String,
    pub tool: String,
    pub frameworks: Vec<FrameworkView>,
    pub statuses: Vec<StatusName>,
    pub inventory: Vec<InventoryView>,
    /// The organization's own premises, with the layers each brings.
    pub sites: Vec<SiteView>,
    /// The layers that are the organization's own whatever it uses, named.
    pub organizational_layers: String,
    pub matrices: Vec<String>,
    /// "Where each responsibility comes from", per provider model in use.
    pub model_sources: Vec<ModelSourcesView>,
    pub attestations: Vec<AttestationView>,
    /// Vendors (subservice organizations): their reports and CUECs.
    pub vendors: Vec<VendorView>,
    /// CUECs not met at the as-of date, for the gaps section.
    pub cuec_gaps: Vec<CuecView>,
    pub exceptions: Vec<ExceptionView>,
    /// The evidence index, row by row, up to `INDEX_ROWS`; empty past it.
    pub evidence: Vec<EvidenceView>,
    /// Past `INDEX_ROWS` evidence rows: how many count for each control instead.
    pub evidence_counts: Vec<EvidenceCountView>,
    pub evidence_rows: usize,
    /// Rows reported, the first `INDEX_ROWS` of them.
    pub reported: Vec<ReportedView>,
    pub rows_read: usize,
    pub rows_mapped: usize,
    pub rows_reported: usize,
    pub notes: Vec<String>,
    /// What a focused document keeps; empty for the whole package.
    pub focus: String,
    pub left_out: Vec<LeftOutView>,
    /// Exceptions and attestations lapsing within 30 days of the as-of date.
    pub expiring: Vec<String>,
    /// Scanner files: every finding accounted for, and what did not resolve.
    pub scans: Vec<ScanView>,
    /// Drift between the inventory and the scans: findings, then notes.
    pub drift: Vec<String>,
    /// Changes since the previous review, when `build --previous` gave one.
    pub changes: Option<crate::render::diff_view::ChangesView>,
    /// Tabletop readiness: the shipped incident scenarios over the whole estate.
    pub tabletop: Option<crate::render::view_tabletop::TabletopView>,
}

#[derive(Serialize)]
pub struct ScanView {
    pub source: String,
    pub format: String,
    pub accounting: String,
    pub by_framework: String,
    pub unresolved: Vec<UnresolvedView>,
    pub dropped: Vec<String>,
}

#[derive(Serialize)]
pub struct UnresolvedView {
    pub key: String,
    pub findings: u64,
    pub ids: String,
    pub why: String,
}

#[derive(Serialize)]
pub struct LeftOutView {
    pub framework: String,
    pub responsibility: String,
    pub count: usize,
    pub why: String,
}

#[derive(Serialize)]
pub struct StatusName {
    pub id: &'static str,
    pub label: &'static str,
}

#[derive(Serialize)]
pub struct FrameworkView {
    pub id: String,
    pub name: String,
    pub version: String,
    pub publisher: String,
    pub scope: String,
    pub controls: usize,
    pub applicable: usize,
    pub coverage: f64,
    pub coverage_text: String,
    /// Count per status, in `Status::ALL` order.
    pub counts: Vec<usize>,
    pub inherited: usize,
    pub shared: usize,
    pub customer: usize,
    pub families: Vec<FamilyView>,
    pub gaps: Vec<ControlView>,
    /// Inherited controls, each with the attestation it rests on.
    pub inherited_controls: Vec<ControlView>,
    /// Which reports back its inherited controls, and why.
    pub report_rule: String,
}

#[derive(Serialize)]
pub struct FamilyView {
    pub id: String,
    pub name: String,
    pub controls: Vec<ControlView>,
}

#[derive(Serialize)]
pub struct ControlView {
    pub id: String,
    pub title: String,
    pub responsibility: String,
    pub rationale: String,
    pub owner: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub status_reason: String,
    pub evidence: String,
    pub attributes: String,
    pub attestations: String,
    /// The CUECs of the vendors it rests on, with their status.
    pub cuecs: String,
    /// A fragment id for a link to it: `control-<framework>-<id>`, safe in a URL.
    pub anchor: String,
    /// When fresh evidence is next due, and in how many days of the as-of date.
    pub due: String,
    pub due_in_days: Option<i64>,
    /// Its evidence rows one by one, up to the limit `package_view_with` was given.
    pub evidence_items: Vec<EvidenceItemView>,
    /// How many rows count for it in all.
    pub evidence_rows: usize,
}

/// One evidence row counting for a control, with the file it came from.
#[derive(Serialize)]
pub struct EvidenceItemView {
    pub label: String,
    /// The evidence file, relative to the project.
    pub path: String,
    pub source: String,
}

#[derive(Serialize)]
pub struct InventoryView {
    pub name: String,
    pub provider: String,
    pub service: String,
    pub model: String,
    pub tier: String,
    pub tags: String,
    /// Layers the provider secures, shares, and leaves to the customer.
    pub provider_layers: String,
    pub shared_layers: String,
    pub customer_layers: String,
}

#[derive(Serialize)]
pub struct SiteView {
    pub name: String,
    pub kind: String,
    pub holds: String,
    pub tags: String,
    pub customer_layers: String,
    pub provider_layers: String,
}

/// Where a provider model's owners come from, for the services in scope.
#[derive(Serialize)]
pub struct ModelSourcesView {
    pub provider: String,
    pub matrix: String,
    /// `[id] document (version; checked date)`.
    pub documents: Vec<String>,
    pub rows: Vec<RowSourcesView>,
    pub departures: Vec<CellSourceView>,
}

#[derive(Serialize)]
pub struct RowSourcesView {
    pub model: String,
    pub services: String,
    pub cells: Vec<CellSourceView>,
}

/// One owner and where it comes from.
#[derive(Serialize)]
pub struct CellSourceView {
    pub head: String,
    pub source: String,
    pub at: String,
}

#[derive(Serialize)]
pub struct AttestationView {
    pub provider: String,
    pub name: String,
    /// `report` or `agreement`.
    pub kind: &'static str,
    /// The frameworks it backs, and those it backs only beside a document not held.
    pub frameworks: String,
    pub period: String,
    /// The services in use it covers: `in scope: EC2, RDS`, `eligible under it: EC2`.
    pub scope: String,
    /// What it backs over the audit period, in the words controls print.
    pub coverage: String,
    pub obtained_from: String,
}

#[derive(Serialize)]
pub struct VendorView {
    pub name: String,
    pub service: String,
    pub model: String,
    pub tags: String,
    /// Layers it secures, and those it shares with the organization.
    pub provider_layers: String,
    pub shared_layers: String,
    pub reports: Vec<VendorReportView>,
    pub cuecs: Vec<CuecView>,
}

#[derive(Serialize)]
pub struct VendorReportView {
    pub name: String,
    pub kind: String,
    pub frameworks: String,
    /// `2025-10-01 to 2026-09-30, bridged to 2026-12-31`.
    pub period: String,
    /// What it backs over the audit period, in the words controls print, or
    /// which days it leaves.
    pub coverage: String,
}

#[derive(Serialize)]
pub struct CuecView {
    pub vendor: String,
    pub id: String,
    pub text: String,
    pub controls: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub reason: String,
}

#[derive(Serialize)]
pub struct ExceptionView {
    pub control: String,
    pub reason: String,
    pub ticket: String,
    pub approver: String,
    pub expires: String,
    pub expired: bool,
}

#[derive(Serialize)]
pub struct EvidenceView {
    pub id: String,
    pub title: String,
    pub source: String,
    pub collected: String,
    pub result: String,
    pub controls: String,
    /// The evidence file, relative to the project.
    pub path: String,
    /// The row's own link, when it is an http(s) URL; other schemes are left out.
    pub link: String,
}

#[derive(Serialize)]
pub struct EvidenceCountView {
    pub control: String,
    pub rows: usize,
}

#[derive(Serialize)]
pub struct ReportedView {
    pub position: String,
    pub title: String,
    pub reasons: String,
}

pub fn package_view(audit: &Audit) -> PackageView {
    package_view_with(audit, EVIDENCE_PER_CONTROL)
}

/// As `package_view`, each control listing up to `per_control` evidence rows one by one.
pub fn package_view_with(audit: &Audit, per_control: usize) -> PackageView {
    PackageView {
        title: format!("{} audit package", audit.organization),
        organization: audit.organization.clone(),
        period: format!("{} to {}", audit.period_start, audit.period_end),
        as_of: audit.as_of.to_string(),
        tool: format!("auditpack {}", env!("CARGO_PKG_VERSION")),
        frameworks: audit
            .frameworks
            .iter()
            .map(|f| framework_view(f, audit, per_control))
            .collect(),
        statuses: Status::ALL
            .iter()
            .map(|s| StatusName {
                id: s.id(),
                label: s.label(),
            })
            .collect(),
        inventory: audit
            .inventory
            .iter()
            .map(|i| InventoryView {
                name: i.name.clone(),
                provider: i.provider_name.clone(),
                service: i.service_name.clone(),
                model: i.model.name().to_string(),
                tier: i.tier.map(|t| t.id().to_string()).unwrap_or_default(),
                tags: i.tags.join(", "),
                provider_layers: layers_owned(&i.owners, Owner::Provider),
                shared_layers: layers_owned(&i.owners, Owner::Shared),
                customer_layers: layers_owned(&i.owners, Owner::Customer),
            })
            .collect(),
        sites: audit.sites.iter().map(site_view).collect(),
        model_sources: audit.matrices.iter().map(model_sources_view).collect(),
        organizational_layers: Layer::ALL
            .iter()
            .filter(|l| l.is_organizational())
            .map(|l| l.name())
            .collect::<Vec<_>>()
            .join(", "),
        matrices: audit
            .matrices
            .iter()
            .map(|m| match m.reviewed {
                Some(d) => format!("{} ({}), reviewed {d}", m.name, m.version),
                None => format!("{} ({}), no review recorded", m.name, m.version),
            })
            .collect(),
        attestations: audit
            .attestations
            .iter()
            .map(|a| AttestationView {
                provider: a.provider_label(),
                name: a.name.clone(),
                kind: match a.is_agreement() {
                    true => "agreement",
                    false => "report",
                },
                frameworks: a.backs_text(),
                period: a.period_text(),
                scope: scope_text(a, audit),
                coverage: a.coverage.clone(),
                obtained_from: a.obtained_from.clone().unwrap_or_default(),
            })
            .collect(),
        vendors: audit
            .vendors
            .iter()
            .map(|v| vendor_view(v, audit))
            .collect(),
        cuec_gaps: audit
            .vendors
            .iter()
            .flat_map(|v| {
                v.cuecs
                    .iter()
                    .filter(|c| c.is_gap())
                    .map(|c| cuec_view(v, c))
            })
            .collect(),
        exceptions: audit
            .exceptions
            .iter()
            .map(|e| ExceptionView {
                control: format!("{} {}", e.framework, e.control),
                reason: e.reason.clone(),
                ticket: e.ticket.clone(),
                approver: e.approver.clone(),
                expires: e.expires.to_string(),
                expired: e.expired,
            })
            .collect(),
        evidence: match index_counts_per_control(audit) {
            false => audit.evidence.iter().map(evidence_view).collect(),
            true => Vec::new(),
        },
        evidence_counts: match index_counts_per_control(audit) {
            false => Vec::new(),
            true => evidence_counts(audit),
        },
        evidence_rows: audit.evidence.len(),
        reported: audit
            .reported
            .iter()
            .take(INDEX_ROWS)
            .map(|r| ReportedView {
                position: shown(&r.position),
                title: shown(r.title.as_deref().unwrap_or_default()),
                reasons: shown(&r.reasons.join("; ")),
            })
            .collect(),
        scans: audit.scans.iter().map(scan_view).collect(),
        drift: audit.drift.lines().iter().map(|l| shown(l)).collect(),
        rows_read: audit.rows_read,
        rows_mapped: audit.rows_mapped(),
        rows_reported: audit.reported.len(),
        notes: audit.notes.clone(),
        expiring: audit.expiring_within(30),
        changes: None,
        tabletop: audit
            .tabletop
            .as_ref()
            .map(crate::render::view_tabletop::tabletop_view),
        focus: audit.focus.clone().unwrap_or_default(),
        left_out: audit
            .left_out
            .iter()
            .map(|l| LeftOutView {
                framework: l.framework.clone(),
                responsibility: l.responsibility.clone(),
                count: l.count,
                why: l.why.clone(),
            })
            .collect(),
    }
}

fn layers_owned(owners: &[(Layer, Owner)], owner: Owner) -> String {
    let layers: Vec<&str> = owners
        .iter()
        .filter(|(_, o)| *o == owner)
        .map(|(l, _)| l.name())
        .collect();
    layers.join(", ")
}

fn framework_view(framework: &FrameworkAudit, audit: &Audit, limit: usize) -> FrameworkView {
    let families = framework
        .families
        .iter()
        .map(|(id, name)| FamilyView {
            id: id.clone(),
            name: name.clone(),
            controls: framework
                .controls
                .iter()
                .filter(|c| c.family == *id)
                .map(|c| control_view(c, &framework.id, audit, limit))
                .collect(),
        })
        .filter(|f| !f.controls.is_empty())
        .collect();
    FrameworkView {
        id: framework.id.clone(),
        name: framework.name.clone(),
        version: framework.version.clone(),
        publisher: framework.publisher.clone(),
        scope: framework
            .scope_tag
            .as_ref()
            .map_or("every service in the inventory".to_string(), |t| {
                format!("services tagged \"{t}\"")
            }),
        controls: framework.controls.len(),
        applicable: framework.applicable(),
        coverage: framework.coverage(),
        coverage_text: format!("{:.0}%", framework.coverage()),
        counts: Status::ALL.iter().map(|s| framework.count(*s)).collect(),
        inherited: framework.count_responsibility(Responsibility::Inherited),
        shared: framework.count_responsibility(Responsibility::Shared),
        customer: framework.count_responsibility(Responsibility::Customer),
        families,
        report_rule: framework.report_rule.clone(),
        inherited_controls: framework
            .controls
            .iter()
            .filter(|c| c.responsibility == Some(Responsibility::Inherited))
            .map(|c| control_view(c, &framework.id, audit, limit))
            .collect(),
        gaps: framework
            .controls
            .iter()
            .filter(|c| c.status.is_gap())
            .map(|c| control_view(c, &framework.id, audit, limit))
            .collect(),
    }
}

fn model_sources_view(m: &crate::model::audit::MatrixUsed) -> ModelSourcesView {
    let used = &m.sources;
    ModelSourcesView {
        provider: m.provider.to_uppercase(),
        matrix: format!("{} ({})", m.name, m.version),
        documents: used
            .documents
            .iter()
            .map(|(id, document)| format!("[{id}] {document}"))
            .collect(),
        rows: used
            .rows
            .iter()
            .map(|r| RowSourcesView {
                model: r.model.name().to_string(),
                services: r.services.join(", "),
                cells: r
                    .cells
                    .iter()
                    .map(|(layer, owner, source, at)| CellSourceView {
                        head: format!("{}: {}", layer.name(), owner.id()),
                        source: source.clone(),
                        at: at.clone(),
                    })
                    .collect(),
            })
            .collect(),
        departures: used
            .departures
            .iter()
            .map(|d| CellSourceView {
                head: format!("{}, {}: {}", d.service, d.layer.name(), d.owner.id()),
                source: d.source.clone(),
                at: d.reason.clone(),
            })
            .collect(),
    }
}

fn site_view(site: &crate::model::site::Site) -> SiteView {
    let owned = |owner: Owner| {
        Layer::ALL
            .iter()
            .filter(|&&l| site.owner(l) == Some(owner))
            .map(|l| l.name())
            .collect::<Vec<_>>()
            .join(", ")
    };
    SiteView {
        name: shown(&site.name),
        kind: site.kind.name().to_string(),
        holds: site
            .holds
            .iter()
            .map(|h| h.name())
            .collect::<Vec<_>>()
            .join(", "),
        tags: site.tags.join(", "),
        customer_layers: owned(Owner::Customer),
        provider_layers: match owned(Owner::Provider) {
            layers if layers.is_empty() => String::new(),
            layers => format!(
                "{}: {layers}",
                site.operator
                    .as_deref()
                    .unwrap_or("the colocation provider")
            ),
        },
    }
}

/// The services in use a held document covers, as its kind says it:
/// `in scope: EC2, RDS`, or for an agreement `eligible under it: EC2, RDS`.
pub fn scope_text(a: &crate::model::audit::HeldAttestation, audit: &Audit) -> String {
    let mut names: Vec<String> = Vec::new();
    for item in audit
        .inventory
        .iter()
        .filter(|i| i.provider == a.provider && a.services.contains(&i.service))
    {
        let name = crate::model::responsibility::short_service_name(&item.service_name);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    for vendor in audit
        .vendors
        .iter()
        .filter(|v| v.provider_id() == a.provider)
    {
        names.push(vendor.service.clone());
    }
    let what = match a.is_agreement() {
        true => "eligible under it",
        false => "in scope",
    };
    match names.is_empty() {
        true => format!("{what}: none of the services in use"),
        false => format!("{what}: {}", names.join(", ")),
    }
}

fn vendor_view(vendor: &crate::model::vendors::Vendor, audit: &Audit) -> VendorView {
    let provider = vendor.provider_id();
    VendorView {
        name: shown(&vendor.name),
        service: shown(&vendor.service),
        model: vendor.model.name().to_string(),
        tags: vendor.tags.join(", "),
        provider_layers: vendor.layers_owned(Owner::Provider),
        shared_layers: vendor.layers_owned(Owner::Shared),
        reports: audit
            .attestations
            .iter()
            .filter(|a| a.provider == provider)
            .map(|a| VendorReportView {
                name: shown(&a.name),
                kind: a.scheme.clone(),
                frameworks: a.backs_text(),
                period: a.period_text(),
                coverage: a.coverage.clone(),
            })
            .collect(),
        cuecs: vendor.cuecs.iter().map(|c| cuec_view(vendor, c)).collect(),
    }
}

fn cuec_view(
    vendor: &crate::model::vendors::Vendor,
    cuec: &crate::model::vendors::Cuec,
) -> CuecView {
    CuecView {
        vendor: shown(&vendor.name),
        id: shown(&cuec.id),
        text: shown(&cuec.text),
        controls: cuec.controls.join(", "),
        status: cuec.status.id(),
        status_label: cuec.status.label(),
        reason: shown(&cuec.reason),
    }
}

fn evidence_view(e: &crate::model::audit::Evidence) -> EvidenceView {
    EvidenceView {
        id: shown(&e.id),
        title: shown(&e.title),
        source: shown(&e.origin.to_string()),
        collected: e.collected.map(|d| d.to_string()).unwrap_or_default(),
        result: e.outcome.id().to_string(),
        controls: shown(
            &e.controls
                .iter()
                .map(|(f, c)| format!("{f} {c}"))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        path: e.origin.path.to_string_lossy().replace('\\', "/"),
        link: web_link(e.link.as_deref()),
    }
}

/// How many evidence rows count for each control that has any, in catalog order.
fn evidence_counts(audit: &Audit) -> Vec<EvidenceCountView> {
    audit
        .frameworks
        .iter()
        .flat_map(|f| {
            f.controls
                .iter()
                .filter(|c| !c.evidence.is_empty())
                .map(move |c| EvidenceCountView {
                    control: format!("{} {}", f.name, c.id),
                    rows: c.evidence.len(),
                })
        })
        .collect()
}

fn control_view(
    control: &ControlAudit,
    framework: &str,
    audit: &Audit,
    limit: usize,
) -> ControlView {
    let mut evidence: Vec<String> = control
        .evidence
        .iter()
        .take(EVIDENCE_PER_CONTROL)
        .map(|u| shown(&audit.evidence_label(u)))
        .collect();
    if control.evidence.len() > EVIDENCE_PER_CONTROL {
        evidence.push(format!(
            "and {} more rows (the workbook's Evidence sheet lists them all)",
            control.evidence.len() - EVIDENCE_PER_CONTROL
        ));
    }
    ControlView {
        id: control.id.clone(),
        title: shown(&control.title),
        responsibility: control
            .responsibility
            .map_or("n/a".to_string(), |r| r.to_string()),
        rationale: control.rationale.clone(),
        owner: match (&control.owner, &control.backup_owner) {
            (Some(o), Some(b)) => format!("{o} (backup {b})"),
            (Some(o), None) => o.clone(),
            _ => "unassigned".to_string(),
        },
        status: control.status.id(),
        status_label: control.status.label(),
        status_reason: shown(&control.status_reason),
        evidence: evidence.join(", "),
        attributes: control
            .attributes
            .get("requirement")
            .cloned()
            .unwrap_or_default(),
        attestations: control.attestations.join("; "),
        cuecs: control
            .vendors
            .iter()
            .filter_map(|name| audit.vendors.iter().find(|v| v.name == *name))
            .flat_map(|v| {
                v.cuecs
                    .iter()
                    .map(move |c| format!("{} {} ({})", v.name, c.id, c.status.label()))
            })
            .collect::<Vec<_>>()
            .join(", "),
        anchor: anchor(framework, &control.id),
        due: control.due.map(|d| d.to_string()).unwrap_or_default(),
        due_in_days: control.due.map(|d| (d - audit.as_of).num_days()),
        evidence_items: control
            .evidence
            .iter()
            .take(limit)
            .map(|u| {
                let origin = &audit.evidence[u.index].origin;
                EvidenceItemView {
                    label: shown(&audit.evidence_label(u)),
                    path: origin.path.to_string_lossy().replace('\\', "/"),
                    source: shown(&origin.to_string()),
                }
            })
            .collect(),
        evidence_rows: control.evidence.len(),
    }
}

/// `control-<framework>-<id>`: letters, digits and `.()-_` kept, so
/// `control-hipaa-164.308(a)(1)` reads as the control; any other character
/// (a space, `#`, `%`) is written as `~` and its code, which keeps ids unique.
fn anchor(framework: &str, id: &str) -> String {
    let mut out = String::from("control");
    for part in [framework, id] {
        out.push('-');
        for c in part.chars() {
            match c.is_ascii_alphanumeric() || matches!(c, '.' | '(' | ')' | '-' | '_') {
                true => out.push(c),
                false => out.push_str(&format!("~{:x}~", c as u32)),
            }
        }
    }
    out
}

/// The link as given when it is an http or https URL; empty otherwise, so a
/// `javascript:` or `file:` link in evidence never becomes a live link. A
/// relative link would resolve against the report's folder, not the project's,
/// so the report shows it as text only.
fn web_link(link: Option<&str>) -> String {
    match link.and_then(super::safe_link) {
        Some(l) if l.to_ascii_lowercase().starts_with("http") && l.contains("://") => l.to_string(),
        _ => String::new(),
    }
}

/// How many unresolved ids a report shows per scanner key; the rest are counted.
const IDS_SHOWN: usize = 8;

fn scan_view(scan: &crate::model::audit::ScanAudit) -> ScanView {
    let by_framework: Vec<String> = scan
        .by_framework
        .iter()
        .map(|(f, n)| format!("{f} {n}"))
        .collect();
    let mut dropped = scan.dropped_examples.clone();
    let more = scan.dropped - scan.dropped_examples.len() as u64;
    if more > 0 {
        dropped.push(format!("and {more} more findings dropped"));
    }
    ScanView {
        source: scan.results.path.display().to_string(),
        format: scan.results.format.name().to_string(),
        accounting: scan.accounting(),
        by_framework: by_framework.join(", "),
        unresolved: scan
            .unresolved
            .iter()
            .map(|u| {
                let shown: Vec<&str> = u.ids.iter().take(IDS_SHOWN).map(String::as_str).collect();
                let more = u.ids.len().saturating_sub(shown.len());
                UnresolvedView {
                    key: u.key.clone(),
                    findings: u.findings,
                    ids: match more {
                        0 => shown.join(", "),
                        n => format!("{} and {n} more", shown.join(", ")),
                    },
                    why: u.why.clone(),
                }
            })
            .collect(),
        dropped,
    }
}
