//! Model: the snapshot of one audit, what `snapshot.json` holds and what a later review diffs.
//!
//! The schema is documented in `schema/snapshot.schema.json`. Version 2 adds names
//! (framework, service, attestation), the exception's reason and approval date, and the
//! workload's tier to version 1; version 3 says how each attestation is valid (its
//! kind, issue date, opinion and what it backs) and leaves an agreement's end empty
//! when it names none. `load::snapshot` still reads versions 1 and 2.

use crate::model::audit::Audit;
use crate::model::layer::Responsibility;
use crate::model::status::Status;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Bumped whenever a field changes meaning, appears as required, or disappears.
pub const SNAPSHOT_SCHEMA_VERSION: u32 = 3;

/// Every schema version this build reads.
pub const READABLE_SCHEMA_VERSIONS: [u32; 3] = [1, 2, 3];

/// One audit at its as-of date: every control's responsibility and status, and the facts behind them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub schema_version: u32,
    pub tool_version: String,
    pub organization: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub as_of: NaiveDate,
    pub rows_read: usize,
    pub rows_mapped: usize,
    pub rows_reported: usize,
    pub frameworks: Vec<FrameworkSnapshot>,
    pub inventory: Vec<InventorySnapshot>,
    /// The organization's own premises (absent before sites were modelled).
    #[serde(default)]
    pub sites: Vec<crate::model::site::Site>,
    /// Vendors (subservice organizations), their reports and CUEC statuses (absent before vendors were modelled).
    #[serde(default)]
    pub vendors: Vec<VendorSnapshot>,
    pub exceptions: Vec<ExceptionSnapshot>,
    pub attestations: Vec<AttestationSnapshot>,
    pub evidence: Vec<EvidenceSnapshot>,
    /// Per incident scenario, who owns each response phase and whether it is ready
    /// (absent before tabletop readiness was kept).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tabletop: Vec<crate::model::readiness::ScenarioReadiness>,
    /// Drift between the inventory and the scans (absent when there is none,
    /// and in snapshots written before drift was kept).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub drift: Vec<DriftSnapshot>,
}

/// One drift finding (a service scans saw that no inventory entry declares) or
/// note (a declared service no scan saw).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DriftSnapshot {
    /// `finding aws dynamodb 111122223333`: what identifies it between cycles.
    pub key: String,
    /// `finding` or `note`.
    pub kind: String,
    pub provider: String,
    pub service: String,
    /// Findings: the account, subscription or project; notes: empty.
    pub account: String,
    /// Findings: resources seen; notes: 0.
    pub resources: u64,
    /// The sentence the package prints.
    pub text: String,
}

/// One framework in scope, at the catalog version used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrameworkSnapshot {
    pub id: String,
    pub name: String,
    /// The catalog version: a change between snapshots explains added and removed controls.
    pub version: String,
    /// Share of applicable controls met, in percent, rounded to one decimal.
    pub coverage: f64,
    pub controls: Vec<ControlSnapshot>,
}

/// One control's responsibility, status, owner and evidence, with the reasons.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ControlSnapshot {
    pub id: String,
    pub title: String,
    pub family: String,
    /// None where the control is not applicable.
    pub responsibility: Option<Responsibility>,
    pub rationale: String,
    pub pinned: bool,
    pub status: Status,
    pub status_reason: String,
    pub owner: Option<String>,
    pub backup_owner: Option<String>,
    /// Ids of the evidence counting for it, newest first.
    pub evidence: Vec<String>,
    /// Evidence that counts through a common control, with how fully.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence_through_links: Vec<LinkedEvidence>,
    pub last_collected: Option<NaiveDate>,
    /// When fresh evidence is next due.
    pub due: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkedEvidence {
    pub id: String,
    pub via: String,
    pub full: bool,
}

/// A workload of the inventory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InventorySnapshot {
    pub name: String,
    pub provider: String,
    pub service: String,
    pub service_name: String,
    /// `IaaS`, `PaaS` or `SaaS`.
    pub model: String,
    pub tier: Option<String>,
    pub tags: Vec<String>,
    /// Who owns each layer for it, and where that comes from (absent in older snapshots).
    #[serde(default)]
    pub layers: Vec<LayerOwnerSnapshot>,
}

/// The owner of one layer for one workload, with its source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LayerOwnerSnapshot {
    pub layer: crate::model::layer::Layer,
    pub owner: crate::model::layer::Owner,
    pub source: String,
    pub at: String,
}

/// A vendor: what it operates, its reports, and its CUECs with their status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VendorSnapshot {
    pub name: String,
    pub service: String,
    /// `IaaS`, `PaaS` or `SaaS`.
    pub model: String,
    pub tags: Vec<String>,
    pub layers: Vec<VendorLayerSnapshot>,
    pub reports: Vec<AttestationSnapshot>,
    pub cuecs: Vec<CuecSnapshot>,
}

/// A layer a vendor operates, and who owns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VendorLayerSnapshot {
    pub layer: crate::model::layer::Layer,
    pub owner: crate::model::layer::Owner,
}

/// A complementary user entity control and its status at the as-of date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CuecSnapshot {
    pub id: String,
    pub text: String,
    /// The controls it maps to, as `IAM-03` or `HIPAA 164.312(d)`.
    pub controls: Vec<String>,
    pub status: Status,
    pub reason: String,
}

/// An approved deviation from a control.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExceptionSnapshot {
    pub framework: String,
    pub control: String,
    pub reason: String,
    pub ticket: String,
    pub approver: String,
    pub approved: Option<NaiveDate>,
    pub expires: NaiveDate,
    /// Past its expiry at the as-of date.
    pub expired: bool,
}

/// A provider report or agreement held.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttestationSnapshot {
    pub provider: String,
    pub report: String,
    pub name: String,
    pub frameworks: Vec<String>,
    /// How its kind is valid (absent before version 3).
    #[serde(default)]
    pub validity: Option<crate::model::reports::ValidityKind>,
    pub period_start: NaiveDate,
    /// `None` for an agreement that names no end (version 2 wrote 9999-12-31).
    pub period_end: Option<NaiveDate>,
    #[serde(default)]
    pub issued: Option<NaiveDate>,
    pub bridge_letter_until: Option<NaiveDate>,
    #[serde(default)]
    pub opinion: Option<crate::load::project::Opinion>,
    /// What it backs over the audit period, in the package's words (absent before version 3).
    #[serde(default)]
    pub coverage: String,
}

impl AttestationSnapshot {
    /// The last day the provider vouches for: the period, or its bridge letter;
    /// `None` for an agreement with no end.
    pub fn covered_until(&self) -> Option<NaiveDate> {
        let end = self.period_end?;
        Some(self.bridge_letter_until.map_or(end, |b| b.max(end)))
    }

    /// Whether it still vouches for `day`: an agreement with no end always does.
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.covered_until().is_none_or(|until| until >= day)
    }
}

/// One evidence row that maps to controls.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceSnapshot {
    pub id: String,
    pub title: String,
    pub source: String,
    pub collected: Option<NaiveDate>,
    pub expires: Option<NaiveDate>,
    /// `pass`, `partial` or `fail`.
    pub result: String,
    /// Controls the row names, as `framework control`.
    pub controls: Vec<String>,
}

impl FrameworkSnapshot {
    /// Applicable controls, and those met (inherited or satisfied).
    pub fn met_of_applicable(&self) -> (usize, usize) {
        let applicable = self
            .controls
            .iter()
            .filter(|c| c.status != Status::NotApplicable);
        let met = applicable.clone().filter(|c| c.status.is_covered()).count();
        (met, applicable.count())
    }
}

/// The snapshot of a finished audit. The whole audit: call it before any focus is applied.
pub fn snapshot_of(audit: &Audit) -> Snapshot {
    Snapshot {
        schema_version: SNAPSHOT_SCHEMA_VERSION,
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        organization: audit.organization.clone(),
        period_start: audit.period_start,
        period_end: audit.period_end,
        as_of: audit.as_of,
        rows_read: audit.rows_read,
        rows_mapped: audit.rows_mapped(),
        rows_reported: audit.reported.len(),
        frameworks: audit
            .frameworks
            .iter()
            .map(|f| FrameworkSnapshot {
                id: f.id.clone(),
                name: f.name.clone(),
                version: f.version.clone(),
                coverage: (f.coverage() * 10.0).round() / 10.0,
                controls: f.controls.iter().map(|c| control_of(c, audit)).collect(),
            })
            .collect(),
        inventory: audit
            .inventory
            .iter()
            .map(|i| InventorySnapshot {
                name: i.name.clone(),
                provider: i.provider.clone(),
                service: i.service.clone(),
                service_name: i.service_name.clone(),
                model: i.model.name().to_string(),
                tier: i.tier.map(|t| t.id().to_string()),
                tags: i.tags.clone(),
                layers: i
                    .owners
                    .iter()
                    .zip(&i.sources)
                    .map(|((layer, owner), (_, source, at))| LayerOwnerSnapshot {
                        layer: *layer,
                        owner: *owner,
                        source: source.clone(),
                        at: at.clone(),
                    })
                    .collect(),
            })
            .collect(),
        sites: audit.sites.clone(),
        vendors: audit.vendors.iter().map(|v| vendor_of(v, audit)).collect(),
        exceptions: audit
            .exceptions
            .iter()
            .map(|e| ExceptionSnapshot {
                framework: e.framework.clone(),
                control: e.control.clone(),
                reason: e.reason.clone(),
                ticket: e.ticket.clone(),
                approver: e.approver.clone(),
                approved: e.approved,
                expires: e.expires,
                expired: e.expired,
            })
            .collect(),
        attestations: audit.attestations.iter().map(attestation_of).collect(),
        evidence: audit
            .evidence
            .iter()
            .map(|e| EvidenceSnapshot {
                id: e.id.clone(),
                title: e.title.clone(),
                source: e.origin.to_string(),
                collected: e.collected,
                expires: e.expires,
                result: e.outcome.id().to_string(),
                controls: e.controls.iter().map(|(f, c)| format!("{f} {c}")).collect(),
            })
            .collect(),
        tabletop: audit
            .tabletop
            .as_ref()
            .map(crate::model::readiness::readiness_of)
            .unwrap_or_default(),
        drift: drift_of(&audit.drift),
    }
}

fn drift_of(drift: &crate::model::drift::Drift) -> Vec<DriftSnapshot> {
    let findings = drift.unlisted.iter().map(|u| DriftSnapshot {
        key: format!("finding {} {} {}", u.provider, u.service, u.account),
        kind: "finding".to_string(),
        provider: u.provider.clone(),
        service: u.service.clone(),
        account: u.account.clone(),
        resources: u.resources,
        text: u.sentence(),
    });
    let notes = drift.unseen.iter().map(|u| DriftSnapshot {
        key: format!("note {} {}", u.provider, u.service),
        kind: "note".to_string(),
        provider: u.provider.clone(),
        service: u.service.clone(),
        account: String::new(),
        resources: 0,
        text: u.sentence(),
    });
    findings.chain(notes).collect()
}

fn attestation_of(a: &crate::model::audit::HeldAttestation) -> AttestationSnapshot {
    AttestationSnapshot {
        provider: a.provider.clone(),
        report: a.report.clone(),
        name: a.name.clone(),
        frameworks: a.frameworks.clone(),
        validity: Some(a.validity),
        period_start: a.period_start,
        period_end: a.period_end,
        issued: a.issued,
        bridge_letter_until: a.bridge_letter_until,
        opinion: a.opinion,
        coverage: a.coverage.clone(),
    }
}

fn vendor_of(v: &crate::model::vendors::Vendor, audit: &Audit) -> VendorSnapshot {
    let provider = v.provider_id();
    VendorSnapshot {
        name: v.name.clone(),
        service: v.service.clone(),
        model: v.model.name().to_string(),
        tags: v.tags.clone(),
        layers: v
            .layers
            .iter()
            .map(|(layer, owner)| VendorLayerSnapshot {
                layer: *layer,
                owner: *owner,
            })
            .collect(),
        reports: audit
            .attestations
            .iter()
            .filter(|a| a.provider == provider)
            .map(attestation_of)
            .collect(),
        cuecs: v
            .cuecs
            .iter()
            .map(|c| CuecSnapshot {
                id: c.id.clone(),
                text: c.text.clone(),
                controls: c.controls.clone(),
                status: c.status,
                reason: c.reason.clone(),
            })
            .collect(),
    }
}

fn control_of(c: &crate::model::audit::ControlAudit, audit: &Audit) -> ControlSnapshot {
    ControlSnapshot {
        id: c.id.clone(),
        title: c.title.clone(),
        family: c.family.clone(),
        responsibility: c.responsibility,
        rationale: c.rationale.clone(),
        pinned: c.pinned,
        status: c.status,
        status_reason: c.status_reason.clone(),
        owner: c.owner.clone(),
        backup_owner: c.backup_owner.clone(),
        evidence: c
            .evidence
            .iter()
            .map(|u| audit.evidence[u.index].id.clone())
            .collect(),
        evidence_through_links: c
            .evidence
            .iter()
            .filter_map(|u| {
                u.via.as_ref().map(|via| LinkedEvidence {
                    id: audit.evidence[u.index].id.clone(),
                    via: via.clone(),
                    full: u.full,
                })
            })
            .collect(),
        last_collected: c.last_collected,
        due: c.due,
    }
}
