//! Render: the changes between two snapshots as rows of text, made for the terminal
//! report, the changes workbook and the PDF templates. Every value is a string.

use crate::model::diff::{
    AttestationChange, CatalogChange, Changes, CoverageDelta, ExceptionChange, InventoryChange,
    ResponsibilityChange, StatusChange,
};
use crate::model::snapshot::InventorySnapshot;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct ChangesView {
    pub organization: String,
    pub old_as_of: String,
    pub new_as_of: String,
    /// One sentence per kind of change, with its count.
    pub headline: Vec<String>,
    pub coverage: Vec<CoverageRow>,
    /// In report order; a section with no rows says so.
    pub sections: Vec<SectionView>,
    pub regressed: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct CoverageRow {
    pub framework: String,
    pub before: String,
    pub after: String,
    pub delta: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    /// Short, stable: the `Change` column of the workbook.
    pub id: &'static str,
    pub title: &'static str,
    pub note: &'static str,
    pub before_label: &'static str,
    pub after_label: &'static str,
    pub rows: Vec<ChangeRow>,
}

/// One change. `why_before`/`why_after` carry status reasons or rationales.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeRow {
    pub framework: String,
    pub item: String,
    pub title: String,
    pub before: String,
    pub after: String,
    pub why_before: String,
    pub why_after: String,
}

pub fn changes_view(changes: &Changes) -> ChangesView {
    let sections = vec![
        status_section(
            "regressed",
            "Regressed",
            "Controls whose status got worse.",
            &changes.regressed,
        ),
        stale_section(&changes.gone_stale),
        status_section(
            "improved",
            "Improved",
            "Controls whose status got better.",
            &changes.improved,
        ),
        status_section(
            "reclassified",
            "Status changed, same rank",
            "A different status of the same rank.",
            &changes.reclassified,
        ),
        status_section(
            "left_scope",
            "Left scope",
            "Controls that applied before and do not now: the services or sites they touch left scope, or a not-applicable entry was added. Each needs a reason an auditor accepts.",
            &changes.left_scope,
        ),
        status_section(
            "entered_scope",
            "Entered scope",
            "Controls that did not apply before and do now.",
            &changes.entered_scope,
        ),
        responsibility_section(
            "responsibility",
            "Responsibility changes",
            "Who secures the control changed, usually because the services in scope changed.",
            &changes.responsibility,
        ),
        responsibility_section(
            "rationale",
            "Rationale changes",
            "Same responsibility, but the services behind it changed.",
            &changes.rationale,
        ),
        exception_section(&changes.exceptions),
        attestation_section(&changes.attestations),
        catalog_section(&changes.catalogs),
        inventory_section(&changes.inventory),
        site_section(&changes.sites),
        vendor_section(&changes.vendors),
        cuec_section(&changes.cuecs),
        crate::render::diff_tabletop_view::readiness_section(&changes.tabletop),
    ];
    // Only when there is drift to compare, so that diffs of projects without
    // scans read as they always did.
    let mut sections = sections;
    if !changes.drift.is_empty() {
        sections.push(keyed_section(
            ("drift", "Inventory drift"),
            "Services the scans saw that the inventory does not declare (findings), and declared services no scan saw (notes), appeared, resolved or changed.",
            &changes.drift,
            |d: Option<&crate::model::snapshot::DriftSnapshot>| {
                d.map_or(String::new(), |d| match d.kind.as_str() {
                    "finding" => format!("{} resource(s) undeclared", d.resources),
                    _ => "declared, not seen".to_string(),
                })
            },
        ));
    }
    ChangesView {
        organization: changes.new.organization.clone(),
        old_as_of: changes.old.as_of.to_string(),
        new_as_of: changes.new.as_of.to_string(),
        headline: headline(changes, &sections),
        coverage: changes
            .coverage
            .iter()
            .chain(std::iter::once(&changes.overall))
            .map(coverage_row)
            .collect(),
        sections,
        regressed: changes.regressed(),
    }
}

fn headline(changes: &Changes, sections: &[SectionView]) -> Vec<String> {
    if changes.is_empty() {
        return vec!["No changes.".to_string()];
    }
    let overall = &changes.overall;
    let mut lines = vec![format!(
        "Overall coverage {} to {} ({}).",
        percent(overall.before),
        percent(overall.after),
        points(overall.delta)
    )];
    for s in sections.iter().filter(|s| !s.rows.is_empty()) {
        lines.push(format!("{}: {}", s.title, s.rows.len()));
    }
    lines
}

fn percent(value: Option<f64>) -> String {
    value.map_or("n/a".to_string(), |v| format!("{v:.1}%"))
}

fn points(value: Option<f64>) -> String {
    match value {
        Some(v) if v > 0.0 => format!("+{v:.1} points"),
        Some(v) if v < 0.0 => format!("{v:.1} points"),
        Some(_) => "no change".to_string(),
        None => "n/a".to_string(),
    }
}

fn coverage_row(c: &CoverageDelta) -> CoverageRow {
    let count = |met: usize, applicable: usize, value: Option<f64>| match value {
        Some(_) => format!("{} ({met} of {applicable})", percent(value)),
        None => "not in scope".to_string(),
    };
    CoverageRow {
        framework: c.name.clone(),
        before: count(c.met_before, c.applicable_before, c.before),
        after: count(c.met_after, c.applicable_after, c.after),
        delta: points(c.delta),
    }
}

fn status_section(
    id: &'static str,
    title: &'static str,
    note: &'static str,
    changes: &[StatusChange],
) -> SectionView {
    SectionView {
        id,
        title,
        note,
        before_label: "Before",
        after_label: "After",
        rows: changes
            .iter()
            .map(|c| ChangeRow {
                framework: c.framework.clone(),
                item: c.control.clone(),
                title: c.title.clone(),
                before: c.before.label().to_string(),
                after: c.after.label().to_string(),
                why_before: c.reason_before.clone(),
                why_after: c.reason_after.clone(),
            })
            .collect(),
    }
}

fn stale_section(changes: &[StatusChange]) -> SectionView {
    let mut section = status_section(
        "gone-stale",
        "Evidence gone stale",
        "Controls whose evidence was fresh at the previous review and is past its window now.",
        changes,
    );
    for (row, c) in section.rows.iter_mut().zip(changes) {
        let evidence = c.evidence.join(", ");
        let dates = match (c.last_collected, c.due) {
            (Some(l), Some(d)) => format!("; collected {l}, due {d}"),
            (Some(l), None) => format!("; collected {l}"),
            _ => String::new(),
        };
        if !evidence.is_empty() {
            row.after = format!("stale ({evidence}{dates})");
        }
    }
    section
}

fn responsibility_section(
    id: &'static str,
    title: &'static str,
    note: &'static str,
    changes: &[ResponsibilityChange],
) -> SectionView {
    let name = |r: Option<crate::model::layer::Responsibility>| {
        r.map_or("n/a".to_string(), |r| r.to_string())
    };
    SectionView {
        id,
        title,
        note,
        before_label: "Before",
        after_label: "After",
        rows: changes
            .iter()
            .map(|c| ChangeRow {
                framework: c.framework.clone(),
                item: c.control.clone(),
                title: c.title.clone(),
                before: name(c.before),
                after: name(c.after),
                why_before: c.rationale_before.clone(),
                why_after: c.rationale_after.clone(),
            })
            .collect(),
    }
}

fn date(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn exception_section(changes: &[ExceptionChange]) -> SectionView {
    SectionView {
        id: "exceptions",
        title: "Exceptions",
        note: "Exceptions added, expired, renewed or withdrawn; before and after are expiry dates.",
        before_label: "Expired/expires before",
        after_label: "Expires after",
        rows: changes
            .iter()
            .map(|c| ChangeRow {
                framework: c.framework.clone(),
                item: c.control.clone(),
                title: format!("{} {}", kebab(&c.event), c.ticket),
                before: date(c.expires_before),
                after: date(c.expires_after),
                why_before: match c.expires_after {
                    None => exception_reason(c),
                    Some(_) => String::new(),
                },
                why_after: match c.expires_after {
                    Some(_) => exception_reason(c),
                    None => String::new(),
                },
            })
            .collect(),
    }
}

fn exception_reason(c: &ExceptionChange) -> String {
    match c.approver.is_empty() {
        true => c.reason.clone(),
        false => format!("{} (approved by {})", c.reason, c.approver),
    }
}

/// The serialized name of an event enum, such as `expired`.
fn kebab(event: &impl Serialize) -> String {
    serde_json::to_value(event)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn attestation_section(changes: &[AttestationChange]) -> SectionView {
    SectionView {
        id: "attestations",
        title: "Provider attestations",
        note: "Before and after are the last day each attestation covers.",
        before_label: "Covered until before",
        after_label: "Covered until after",
        rows: changes
            .iter()
            .map(|c| ChangeRow {
                framework: String::new(),
                item: format!("{} {}", provider_label(&c.provider), c.report),
                title: format!("{}: {}", kebab(&c.event), c.name),
                before: date(c.covered_until_before),
                after: date(c.covered_until_after),
                why_before: String::new(),
                why_after: String::new(),
            })
            .collect(),
    }
}

fn catalog_section(changes: &[CatalogChange]) -> SectionView {
    let ids = |controls: &[crate::model::diff::ControlRef]| {
        controls
            .iter()
            .map(|c| c.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    SectionView {
        id: "catalogs",
        title: "Catalog changes",
        note: "A framework's catalog version changed, or the framework came into or left scope.",
        before_label: "Version before",
        after_label: "Version after",
        rows: changes
            .iter()
            .map(|c| ChangeRow {
                framework: c.framework.clone(),
                item: String::new(),
                title: c.name.clone(),
                before: c.version_before.clone().unwrap_or("not in scope".into()),
                after: c.version_after.clone().unwrap_or("not in scope".into()),
                why_before: match c.removed.is_empty() {
                    true => String::new(),
                    false => format!("removed: {}", ids(&c.removed)),
                },
                why_after: match c.added.is_empty() {
                    true => String::new(),
                    false => format!("added: {}", ids(&c.added)),
                },
            })
            .collect(),
    }
}

fn workload(i: Option<&InventorySnapshot>) -> String {
    i.map_or(String::new(), |i| {
        let tags = match i.tags.is_empty() {
            true => String::new(),
            false => format!(" [{}]", i.tags.join(", ")),
        };
        format!("{} {} ({}){tags}", i.provider, i.service, i.model)
    })
}

fn site_section(changes: &[crate::model::diff::SiteChange]) -> SectionView {
    let shown = |s: Option<&crate::model::site::Site>| {
        s.map_or(String::new(), |s| {
            let holds: Vec<&str> = s.holds.iter().map(|h| h.name()).collect();
            format!(
                "{} [{}] holding {}",
                s.kind.name(),
                s.tags.join(", "),
                holds.join(", ")
            )
        })
    };
    keyed_section(
        ("sites", "Sites"),
        "The organization's own premises added, removed, or changed (kind, holdings, tags, operator).",
        changes,
        shown,
    )
}

/// `AWS`, or a vendor's own name.
fn provider_label(provider: &str) -> String {
    match provider.strip_prefix(crate::model::vendors::VENDOR_PREFIX) {
        Some(vendor) => vendor.to_string(),
        None => provider.to_uppercase(),
    }
}

fn vendor_section(changes: &[crate::model::diff_keyed::VendorChange]) -> SectionView {
    let shown = |v: Option<&crate::model::snapshot::VendorSnapshot>| {
        v.map_or(String::new(), |v| {
            let reports: Vec<String> = v
                .reports
                .iter()
                .map(|r| match r.covered_until() {
                    Some(until) => format!("{} to {until}", r.name),
                    None => format!("{} (in force, no end)", r.name),
                })
                .collect();
            format!(
                "{} ({}) [{}]; reports: {}",
                v.service,
                v.model,
                v.tags.join(", "),
                match reports.is_empty() {
                    true => "none".to_string(),
                    false => reports.join(", "),
                }
            )
        })
    };
    keyed_section(
        ("vendors", "Vendors"),
        "Vendors (subservice organizations) added, removed, or changed (service, tags, layers they operate, reports held).",
        changes,
        shown,
    )
}

fn cuec_section(changes: &[crate::model::diff_keyed::CuecChange]) -> SectionView {
    let status = |s: Option<crate::model::status::Status>| {
        s.map_or("not listed".to_string(), |s| s.label().to_string())
    };
    SectionView {
        id: "cuecs",
        title: "Complementary user entity controls",
        note: "CUECs whose status changed, or that a vendor's list gained or dropped.",
        before_label: "Before",
        after_label: "After",
        rows: changes
            .iter()
            .map(|c| ChangeRow {
                framework: c.vendor.clone(),
                item: c.id.clone(),
                title: c.text.clone(),
                before: status(c.before),
                after: status(c.after),
                why_before: c.reason_before.clone(),
                why_after: c.reason_after.clone(),
            })
            .collect(),
    }
}

fn inventory_section(changes: &[InventoryChange]) -> SectionView {
    keyed_section(
        ("inventory", "Inventory"),
        "Workloads added, removed, moved to another service, retagged, or reowned (the provider model now gives a layer to another owner or cites another source).",
        changes,
        workload,
    )
}

/// A section of things keyed by name, each row its event and how it read before and after.
fn keyed_section<E: Serialize, T>(
    (id, title): (&'static str, &'static str),
    note: &'static str,
    changes: &[crate::model::diff::KeyedChange<E, T>],
    shown: impl Fn(Option<&T>) -> String,
) -> SectionView {
    SectionView {
        id,
        title,
        note,
        before_label: "Before",
        after_label: "After",
        rows: changes
            .iter()
            .map(|c| ChangeRow {
                framework: String::new(),
                item: c.name.clone(),
                title: kebab(&c.event),
                before: shown(c.before.as_ref()),
                after: shown(c.after.as_ref()),
                why_before: String::new(),
                why_after: String::new(),
            })
            .collect(),
    }
}
