//! Render: `snapshot.json`, what a later review cycle diffs against.

use crate::error::{Error, Result};
use crate::model::audit::Audit;
use serde::Serialize;

/// Bumped whenever a field changes meaning or disappears.
pub const SNAPSHOT_SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Snapshot<'a> {
    schema_version: u32,
    tool_version: &'static str,
    organization: &'a str,
    period_start: String,
    period_end: String,
    as_of: String,
    rows_read: usize,
    rows_mapped: usize,
    rows_reported: usize,
    frameworks: Vec<FrameworkSnapshot<'a>>,
    inventory: Vec<InventorySnapshot<'a>>,
    exceptions: Vec<ExceptionSnapshot<'a>>,
    attestations: Vec<AttestationSnapshot<'a>>,
    evidence: Vec<EvidenceSnapshot<'a>>,
}

#[derive(Serialize)]
struct FrameworkSnapshot<'a> {
    id: &'a str,
    version: &'a str,
    coverage: f64,
    controls: Vec<ControlSnapshot<'a>>,
}

#[derive(Serialize)]
struct ControlSnapshot<'a> {
    id: &'a str,
    title: &'a str,
    family: &'a str,
    responsibility: Option<&'static str>,
    rationale: &'a str,
    pinned: bool,
    status: &'static str,
    status_reason: &'a str,
    owner: Option<&'a str>,
    backup_owner: Option<&'a str>,
    evidence: Vec<&'a str>,
    /// Evidence that counts through a common control, with how fully.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    evidence_through_links: Vec<LinkedEvidence<'a>>,
    last_collected: Option<String>,
    due: Option<String>,
}

#[derive(Serialize)]
struct LinkedEvidence<'a> {
    id: &'a str,
    via: &'a str,
    full: bool,
}

#[derive(Serialize)]
struct InventorySnapshot<'a> {
    name: &'a str,
    provider: &'a str,
    service: &'a str,
    model: &'static str,
    tags: &'a [String],
}

#[derive(Serialize)]
struct ExceptionSnapshot<'a> {
    framework: &'a str,
    control: &'a str,
    ticket: &'a str,
    approver: &'a str,
    expires: String,
    expired: bool,
}

#[derive(Serialize)]
struct AttestationSnapshot<'a> {
    provider: &'a str,
    report: &'a str,
    frameworks: &'a [String],
    period_start: String,
    period_end: String,
    bridge_letter_until: Option<String>,
}

#[derive(Serialize)]
struct EvidenceSnapshot<'a> {
    id: &'a str,
    title: &'a str,
    source: String,
    collected: Option<String>,
    expires: Option<String>,
    result: String,
    controls: Vec<String>,
}

pub fn render_snapshot(audit: &Audit) -> Result<Vec<u8>> {
    let snapshot = Snapshot {
        schema_version: SNAPSHOT_SCHEMA_VERSION,
        tool_version: env!("CARGO_PKG_VERSION"),
        organization: &audit.organization,
        period_start: audit.period_start.to_string(),
        period_end: audit.period_end.to_string(),
        as_of: audit.as_of.to_string(),
        rows_read: audit.rows_read,
        rows_mapped: audit.rows_mapped(),
        rows_reported: audit.reported.len(),
        frameworks: audit
            .frameworks
            .iter()
            .map(|f| FrameworkSnapshot {
                id: &f.id,
                version: &f.version,
                coverage: (f.coverage() * 10.0).round() / 10.0,
                controls: f
                    .controls
                    .iter()
                    .map(|c| ControlSnapshot {
                        id: &c.id,
                        title: &c.title,
                        family: &c.family,
                        responsibility: c.responsibility.map(|r| r.id()),
                        rationale: &c.rationale,
                        pinned: c.pinned,
                        status: c.status.id(),
                        status_reason: &c.status_reason,
                        owner: c.owner.as_deref(),
                        backup_owner: c.backup_owner.as_deref(),
                        evidence: c
                            .evidence
                            .iter()
                            .map(|u| audit.evidence[u.index].id.as_str())
                            .collect(),
                        evidence_through_links: c
                            .evidence
                            .iter()
                            .filter_map(|u| {
                                u.via.as_deref().map(|via| LinkedEvidence {
                                    id: &audit.evidence[u.index].id,
                                    via,
                                    full: u.full,
                                })
                            })
                            .collect(),
                        last_collected: c.last_collected.map(|d| d.to_string()),
                        due: c.due.map(|d| d.to_string()),
                    })
                    .collect(),
            })
            .collect(),
        inventory: audit
            .inventory
            .iter()
            .map(|i| InventorySnapshot {
                name: &i.name,
                provider: &i.provider,
                service: &i.service,
                model: i.model.name(),
                tags: &i.tags,
            })
            .collect(),
        exceptions: audit
            .exceptions
            .iter()
            .map(|e| ExceptionSnapshot {
                framework: &e.framework,
                control: &e.control,
                ticket: &e.ticket,
                approver: &e.approver,
                expires: e.expires.to_string(),
                expired: e.expired,
            })
            .collect(),
        attestations: audit
            .attestations
            .iter()
            .map(|a| AttestationSnapshot {
                provider: &a.provider,
                report: &a.report,
                frameworks: &a.frameworks,
                period_start: a.period_start.to_string(),
                period_end: a.period_end.to_string(),
                bridge_letter_until: a.bridge_letter_until.map(|d| d.to_string()),
            })
            .collect(),
        evidence: audit
            .evidence
            .iter()
            .map(|e| EvidenceSnapshot {
                id: &e.id,
                title: &e.title,
                source: e.origin.to_string(),
                collected: e.collected.map(|d| d.to_string()),
                expires: e.expires.map(|d| d.to_string()),
                result: e.outcome.id().to_string(),
                controls: e.controls.iter().map(|(f, c)| format!("{f} {c}")).collect(),
            })
            .collect(),
    };
    let mut bytes =
        serde_json::to_vec_pretty(&snapshot).map_err(|e| Error::render("the snapshot", e))?;
    bytes.push(b'\n');
    Ok(bytes)
}
