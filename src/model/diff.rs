//! Model: what changed between two snapshots of one organization's audit (an older
//! review cycle and a newer one). No I/O; renderers print the `Changes`.
//!
//! Statuses are compared by rank (see `rank`): a control whose rank got worse
//! regressed, one whose rank got better improved. A control that went stale is
//! listed as "gone stale" rather than among the regressions, but counts as one.

pub use crate::model::diff_keyed::{
    InventoryChange, InventoryEvent, KeyedChange, SiteChange, SiteEvent,
};
use crate::model::diff_keyed::{inventory, sites};
use crate::model::layer::Responsibility;
use crate::model::snapshot::{
    AttestationSnapshot, ControlSnapshot, ExceptionSnapshot, FrameworkSnapshot, Snapshot,
};
use crate::model::status::Status;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// Bumped whenever a field of `auditpack diff --format json` changes meaning or disappears.
pub const DIFF_SCHEMA_VERSION: u32 = 1;

/// How good a status is, 0 best. Not applicable has no rank: moving in or out of
/// scope is neither better nor worse, and is reported as such.
///
/// 0: met (inherited, satisfied); 1: an approved, time-boxed exception;
/// 2: partly met or met once (partial, stale, inherited but unattested);
/// 3: not met (failing, missing).
pub fn rank(status: Status) -> Option<u8> {
    match status {
        Status::Inherited | Status::Satisfied => Some(0),
        Status::Exception => Some(1),
        Status::Partial | Status::Stale | Status::InheritedUnattested => Some(2),
        Status::Failing | Status::Missing => Some(3),
        Status::NotApplicable => None,
    }
}

/// Everything that changed from `old` to `new`, each list in a defined order.
#[derive(Debug, Clone, Serialize)]
pub struct Changes {
    pub diff_schema_version: u32,
    pub old: Side,
    pub new: Side,
    /// Per framework in either snapshot, in the newer snapshot's order.
    pub coverage: Vec<CoverageDelta>,
    /// Every framework's applicable controls pooled.
    pub overall: CoverageDelta,
    /// Worst new status first, then framework and catalog order.
    pub regressed: Vec<StatusChange>,
    /// Controls whose evidence was fresh (or not yet due) in the old snapshot and is stale now.
    pub gone_stale: Vec<StatusChange>,
    /// Worst old status first, then framework and catalog order.
    pub improved: Vec<StatusChange>,
    /// Status changed with no change of rank.
    pub reclassified: Vec<StatusChange>,
    /// Applicable before, not applicable now: what it touches left scope (a
    /// service or site removed or retagged) or a not-applicable entry was added.
    /// Reported, and counted as needing review: coverage must not rise by
    /// dropping obligations unseen.
    pub left_scope: Vec<StatusChange>,
    /// Not applicable before, applicable now.
    pub entered_scope: Vec<StatusChange>,
    /// The derived (or pinned) responsibility changed.
    pub responsibility: Vec<ResponsibilityChange>,
    /// Same responsibility, different rationale: the services behind it changed.
    pub rationale: Vec<ResponsibilityChange>,
    pub exceptions: Vec<ExceptionChange>,
    pub attestations: Vec<AttestationChange>,
    /// Frameworks whose catalog version changed, or that came into or left scope.
    pub catalogs: Vec<CatalogChange>,
    pub inventory: Vec<InventoryChange>,
    /// Sites added, removed or changed.
    pub sites: Vec<SiteChange>,
    /// Vendors added, removed or changed (service, tags, layers, reports).
    pub vendors: Vec<crate::model::diff_keyed::VendorChange>,
    /// CUECs whose status changed.
    pub cuecs: Vec<crate::model::diff_keyed::CuecChange>,
    /// Tabletop phases whose owner or readiness changed, scenarios that came to apply or stopped.
    pub tabletop: Vec<crate::model::diff_tabletop::ReadinessChange>,
    /// Drift between inventory and scans that appeared, was resolved or changed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub drift: Vec<crate::model::diff_drift::DriftChange>,
}

/// The identity of one snapshot.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    pub organization: String,
    pub as_of: NaiveDate,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub tool_version: String,
}

/// Coverage of applicable controls before and after, in percent to one decimal.
#[derive(Debug, Clone, Serialize)]
pub struct CoverageDelta {
    pub framework: String,
    pub name: String,
    pub before: Option<f64>,
    pub after: Option<f64>,
    /// After minus before, in percentage points; None where either side lacks the framework.
    pub delta: Option<f64>,
    pub met_before: usize,
    pub applicable_before: usize,
    pub met_after: usize,
    pub applicable_after: usize,
}

/// One control's status before and after, with the newer reason and evidence.
#[derive(Debug, Clone, Serialize)]
pub struct StatusChange {
    pub framework: String,
    pub control: String,
    pub title: String,
    pub before: Status,
    pub after: Status,
    pub reason_before: String,
    pub reason_after: String,
    /// Evidence counting for it in the newer snapshot.
    pub evidence: Vec<String>,
    pub last_collected: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
}

/// One control's responsibility before and after, with both rationales.
#[derive(Debug, Clone, Serialize)]
pub struct ResponsibilityChange {
    pub framework: String,
    pub control: String,
    pub title: String,
    pub before: Option<Responsibility>,
    pub after: Option<Responsibility>,
    pub rationale_before: String,
    pub rationale_after: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExceptionEvent {
    /// New in the newer snapshot.
    Added,
    /// In force at the older as-of date, lapsed by the newer one.
    Expired,
    /// Its expiry moved later.
    Renewed,
    /// Gone from the newer snapshot before its expiry: closed early.
    Withdrawn,
}

/// An exception, keyed by framework, control and ticket.
#[derive(Debug, Clone, Serialize)]
pub struct ExceptionChange {
    pub event: ExceptionEvent,
    pub framework: String,
    pub control: String,
    pub ticket: String,
    pub reason: String,
    pub approver: String,
    pub expires_before: Option<NaiveDate>,
    pub expires_after: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AttestationEvent {
    Added,
    /// Covered the older as-of date, no longer covers the newer one.
    Expired,
    /// Covers until a later date (a new report or bridge letter).
    Renewed,
    /// Gone from the newer snapshot while it would still cover it.
    Removed,
}

/// A provider attestation, keyed by provider and report.
#[derive(Debug, Clone, Serialize)]
pub struct AttestationChange {
    pub event: AttestationEvent,
    pub provider: String,
    pub report: String,
    pub name: String,
    pub covered_until_before: Option<NaiveDate>,
    pub covered_until_after: Option<NaiveDate>,
}

/// A framework's catalog version or scope changed; controls added or removed with it.
#[derive(Debug, Clone, Serialize)]
pub struct CatalogChange {
    pub framework: String,
    pub name: String,
    /// None where the framework was not in scope.
    pub version_before: Option<String>,
    pub version_after: Option<String>,
    pub added: Vec<ControlRef>,
    pub removed: Vec<ControlRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ControlRef {
    pub id: String,
    pub title: String,
}

impl Changes {
    /// A control got worse: the exit code says so, for CI.
    /// Whether anything got worse or left scope: what makes `diff` exit 1.
    pub fn regressed(&self) -> bool {
        !self.regressed.is_empty() || !self.gone_stale.is_empty() || !self.left_scope.is_empty()
    }

    /// Nothing to report at all.
    pub fn is_empty(&self) -> bool {
        self.regressed.is_empty()
            && self.gone_stale.is_empty()
            && self.improved.is_empty()
            && self.reclassified.is_empty()
            && self.left_scope.is_empty()
            && self.entered_scope.is_empty()
            && self.responsibility.is_empty()
            && self.rationale.is_empty()
            && self.exceptions.is_empty()
            && self.attestations.is_empty()
            && self.catalogs.is_empty()
            && self.inventory.is_empty()
            && self.sites.is_empty()
            && self.vendors.is_empty()
            && self.cuecs.is_empty()
            && self.tabletop.is_empty()
            && self.drift.is_empty()
            && self.coverage.iter().all(|c| c.delta == Some(0.0))
    }
}

/// Compare two snapshots.
pub fn compare(old: &Snapshot, new: &Snapshot) -> Changes {
    let mut changes = Changes {
        diff_schema_version: DIFF_SCHEMA_VERSION,
        old: side(old),
        new: side(new),
        coverage: coverage(old, new),
        overall: overall(old, new),
        regressed: Vec::new(),
        gone_stale: Vec::new(),
        improved: Vec::new(),
        reclassified: Vec::new(),
        left_scope: Vec::new(),
        entered_scope: Vec::new(),
        responsibility: Vec::new(),
        rationale: Vec::new(),
        exceptions: exceptions(old, new),
        attestations: attestations(old, new),
        catalogs: catalogs(old, new),
        inventory: inventory(old, new),
        sites: sites(old, new),
        vendors: crate::model::diff_keyed::vendors(old, new),
        cuecs: crate::model::diff_keyed::cuecs(old, new),
        tabletop: crate::model::diff_tabletop::readiness_changes(old, new),
        drift: crate::model::diff_drift::drift(old, new),
    };
    for after in &new.frameworks {
        if let Some(before) = old.frameworks.iter().find(|f| f.id == after.id) {
            compare_controls(before, after, &mut changes);
        }
    }
    let rank_of = |s: Status| rank(s).unwrap_or(0);
    changes
        .regressed
        .sort_by_key(|c| std::cmp::Reverse(rank_of(c.after)));
    changes
        .improved
        .sort_by_key(|c| std::cmp::Reverse(rank_of(c.before)));
    changes
}

fn side(s: &Snapshot) -> Side {
    Side {
        organization: s.organization.clone(),
        as_of: s.as_of,
        period_start: s.period_start,
        period_end: s.period_end,
        tool_version: s.tool_version.clone(),
    }
}

/// Percent to one decimal, so JSON output does not carry float noise.
fn percent(met: usize, applicable: usize) -> f64 {
    if applicable == 0 {
        return 0.0;
    }
    (1000.0 * met as f64 / applicable as f64).round() / 10.0
}

fn delta(
    framework: &str,
    name: &str,
    before: Option<(usize, usize)>,
    after: Option<(usize, usize)>,
) -> CoverageDelta {
    let b = before.map(|(m, a)| percent(m, a));
    let a = after.map(|(m, a)| percent(m, a));
    CoverageDelta {
        framework: framework.to_string(),
        name: name.to_string(),
        before: b,
        after: a,
        delta: b.zip(a).map(|(b, a)| ((a - b) * 10.0).round() / 10.0),
        met_before: before.map_or(0, |x| x.0),
        applicable_before: before.map_or(0, |x| x.1),
        met_after: after.map_or(0, |x| x.0),
        applicable_after: after.map_or(0, |x| x.1),
    }
}

fn coverage(old: &Snapshot, new: &Snapshot) -> Vec<CoverageDelta> {
    let mut deltas: Vec<CoverageDelta> = new
        .frameworks
        .iter()
        .map(|f| {
            let before = old.frameworks.iter().find(|o| o.id == f.id);
            delta(
                &f.id,
                &f.name,
                before.map(FrameworkSnapshot::met_of_applicable),
                Some(f.met_of_applicable()),
            )
        })
        .collect();
    for f in old
        .frameworks
        .iter()
        .filter(|f| !new.frameworks.iter().any(|n| n.id == f.id))
    {
        deltas.push(delta(&f.id, &f.name, Some(f.met_of_applicable()), None));
    }
    deltas
}

fn overall(old: &Snapshot, new: &Snapshot) -> CoverageDelta {
    let pooled = |s: &Snapshot| {
        s.frameworks
            .iter()
            .map(FrameworkSnapshot::met_of_applicable)
            .fold((0, 0), |(m, a), (fm, fa)| (m + fm, a + fa))
    };
    delta(
        "all",
        "All frameworks",
        Some(pooled(old)),
        Some(pooled(new)),
    )
}

fn compare_controls(before: &FrameworkSnapshot, after: &FrameworkSnapshot, changes: &mut Changes) {
    let old: BTreeMap<&str, &ControlSnapshot> =
        before.controls.iter().map(|c| (c.id.as_str(), c)).collect();
    for now in &after.controls {
        let Some(was) = old.get(now.id.as_str()) else {
            continue;
        };
        if was.status != now.status {
            let change = status_change(&after.id, was, now);
            match (rank(was.status), rank(now.status)) {
                (Some(b), Some(a)) if a > b && now.status == Status::Stale => {
                    changes.gone_stale.push(change)
                }
                (Some(b), Some(a)) if a > b => changes.regressed.push(change),
                (Some(b), Some(a)) if a < b => changes.improved.push(change),
                (Some(_), None) => changes.left_scope.push(change),
                (None, Some(_)) => changes.entered_scope.push(change),
                _ => changes.reclassified.push(change),
            }
        }
        if was.responsibility != now.responsibility || was.rationale != now.rationale {
            let change = ResponsibilityChange {
                framework: after.id.clone(),
                control: now.id.clone(),
                title: now.title.clone(),
                before: was.responsibility,
                after: now.responsibility,
                rationale_before: was.rationale.clone(),
                rationale_after: now.rationale.clone(),
            };
            match was.responsibility != now.responsibility {
                true => changes.responsibility.push(change),
                false => changes.rationale.push(change),
            }
        }
    }
}

fn status_change(framework: &str, was: &ControlSnapshot, now: &ControlSnapshot) -> StatusChange {
    StatusChange {
        framework: framework.to_string(),
        control: now.id.clone(),
        title: now.title.clone(),
        before: was.status,
        after: now.status,
        reason_before: was.status_reason.clone(),
        reason_after: now.status_reason.clone(),
        evidence: now.evidence.clone(),
        last_collected: now.last_collected,
        due: now.due,
    }
}

fn exceptions(old: &Snapshot, new: &Snapshot) -> Vec<ExceptionChange> {
    let before: BTreeMap<_, &ExceptionSnapshot> = old
        .exceptions
        .iter()
        .map(|e| (exception_key(e), e))
        .collect();
    let after: BTreeMap<_, &ExceptionSnapshot> = new
        .exceptions
        .iter()
        .map(|e| (exception_key(e), e))
        .collect();
    let mut changes = Vec::new();
    for (k, e) in &after {
        let event = match before.get(k) {
            None => Some(ExceptionEvent::Added),
            Some(was) if !was.expired && e.expired => Some(ExceptionEvent::Expired),
            Some(was) if e.expires > was.expires && !e.expired => Some(ExceptionEvent::Renewed),
            Some(_) => None,
        };
        if let Some(event) = event {
            changes.push(exception_change(event, before.get(k).copied(), Some(e)));
        }
    }
    for (_, was) in before.iter().filter(|(k, _)| !after.contains_key(*k)) {
        let event = match (was.expired, was.expires < new.as_of) {
            (true, _) => continue,
            (false, true) => ExceptionEvent::Expired,
            (false, false) => ExceptionEvent::Withdrawn,
        };
        changes.push(exception_change(event, Some(was), None));
    }
    changes.sort_by(|a, b| {
        (a.event, &a.framework, &a.control, &a.ticket).cmp(&(
            b.event,
            &b.framework,
            &b.control,
            &b.ticket,
        ))
    });
    changes
}

/// Exceptions pair up by framework, control and ticket: a renewal keeps its ticket.
fn exception_key(e: &ExceptionSnapshot) -> (&str, &str, &str) {
    (&e.framework, &e.control, &e.ticket)
}

fn exception_change(
    event: ExceptionEvent,
    before: Option<&ExceptionSnapshot>,
    after: Option<&ExceptionSnapshot>,
) -> ExceptionChange {
    // One of the two is always there; the newer one describes it best.
    let e = after.or(before);
    let field = |f: fn(&ExceptionSnapshot) -> &String| e.map(f).cloned().unwrap_or_default();
    ExceptionChange {
        event,
        framework: field(|e| &e.framework),
        control: field(|e| &e.control),
        ticket: field(|e| &e.ticket),
        reason: field(|e| &e.reason),
        approver: field(|e| &e.approver),
        expires_before: before.map(|e| e.expires),
        expires_after: after.map(|e| e.expires),
    }
}

fn attestations(old: &Snapshot, new: &Snapshot) -> Vec<AttestationChange> {
    let key = |a: &AttestationSnapshot| (a.provider.clone(), a.report.clone());
    let before: BTreeMap<_, &AttestationSnapshot> =
        old.attestations.iter().map(|a| (key(a), a)).collect();
    let after: BTreeMap<_, &AttestationSnapshot> =
        new.attestations.iter().map(|a| (key(a), a)).collect();
    let mut changes = Vec::new();
    for (k, a) in &after {
        let covers_now = a.covers(new.as_of);
        // An agreement with no end reaches furthest.
        let reach = |a: &AttestationSnapshot| a.covered_until().unwrap_or(NaiveDate::MAX);
        let event = match before.get(k) {
            None => Some(AttestationEvent::Added),
            Some(was) if was.covers(old.as_of) && !covers_now => Some(AttestationEvent::Expired),
            Some(was) if reach(a) > reach(was) => Some(AttestationEvent::Renewed),
            Some(_) => None,
        };
        if let Some(event) = event {
            changes.push(attestation_change(event, before.get(k).copied(), Some(a)));
        }
    }
    for (_, was) in before.iter().filter(|(k, _)| !after.contains_key(*k)) {
        let event = match !was.covers(new.as_of) {
            true if was.covers(old.as_of) => AttestationEvent::Expired,
            true => continue,
            false => AttestationEvent::Removed,
        };
        changes.push(attestation_change(event, Some(was), None));
    }
    changes
        .sort_by(|a, b| (a.event, &a.provider, &a.report).cmp(&(b.event, &b.provider, &b.report)));
    changes
}

fn attestation_change(
    event: AttestationEvent,
    before: Option<&AttestationSnapshot>,
    after: Option<&AttestationSnapshot>,
) -> AttestationChange {
    let a = after.or(before);
    AttestationChange {
        event,
        provider: a.map(|a| a.provider.clone()).unwrap_or_default(),
        report: a.map(|a| a.report.clone()).unwrap_or_default(),
        name: a.map(|a| a.name.clone()).unwrap_or_default(),
        covered_until_before: before.and_then(AttestationSnapshot::covered_until),
        covered_until_after: after.and_then(AttestationSnapshot::covered_until),
    }
}

fn control_refs<'a>(
    controls: &'a [ControlSnapshot],
    absent_from: &'a [ControlSnapshot],
) -> Vec<ControlRef> {
    controls
        .iter()
        .filter(|c| !absent_from.iter().any(|o| o.id == c.id))
        .map(|c| ControlRef {
            id: c.id.clone(),
            title: c.title.clone(),
        })
        .collect()
}

fn catalogs(old: &Snapshot, new: &Snapshot) -> Vec<CatalogChange> {
    let mut changes = Vec::new();
    for f in &new.frameworks {
        let before = old.frameworks.iter().find(|o| o.id == f.id);
        let (added, removed) = match before {
            Some(b) => (
                control_refs(&f.controls, &b.controls),
                control_refs(&b.controls, &f.controls),
            ),
            None => (Vec::new(), Vec::new()),
        };
        let same_version = before.is_some_and(|b| b.version == f.version);
        if same_version && added.is_empty() && removed.is_empty() {
            continue;
        }
        changes.push(CatalogChange {
            framework: f.id.clone(),
            name: f.name.clone(),
            version_before: before.map(|b| b.version.clone()),
            version_after: Some(f.version.clone()),
            added,
            removed,
        });
    }
    for f in old
        .frameworks
        .iter()
        .filter(|f| !new.frameworks.iter().any(|n| n.id == f.id))
    {
        changes.push(CatalogChange {
            framework: f.id.clone(),
            name: f.name.clone(),
            version_before: Some(f.version.clone()),
            version_after: None,
            added: Vec::new(),
            removed: Vec::new(),
        });
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sites_added_removed_and_changed_are_reported() {
        let site = |name: &str, kind| crate::model::site::Site {
            name: name.to_string(),
            kind,
            holds: vec![],
            tags: vec!["phi".to_string()],
            operator: None,
        };
        let mut old = sample();
        old.sites = vec![
            site("Northside", crate::model::site::SiteKind::Clinic),
            site("HQ", crate::model::site::SiteKind::Office),
        ];
        let mut new = old.clone();
        new.sites[0].tags.clear();
        new.sites.remove(1);
        new.sites
            .push(site("Cage", crate::model::site::SiteKind::Colocation));
        let changes = compare(&old, &new);
        let events: Vec<(SiteEvent, &str)> = changes
            .sites
            .iter()
            .map(|c| (c.event, c.name.as_str()))
            .collect();
        assert_eq!(
            events,
            [
                (SiteEvent::Added, "Cage"),
                (SiteEvent::Removed, "HQ"),
                (SiteEvent::Changed, "Northside")
            ]
        );
    }

    fn sample() -> Snapshot {
        let text = include_str!("../../samples/acme-health/previous/snapshot-2026-06-30.json");
        serde_json::from_str(text).expect("the committed sample snapshot parses")
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn ranks_order_met_before_exception_before_partial_before_missing() {
        assert!(rank(Status::Satisfied) < rank(Status::Exception));
        assert!(rank(Status::Exception) < rank(Status::Stale));
        assert_eq!(rank(Status::Stale), rank(Status::InheritedUnattested));
        assert!(rank(Status::Partial) < rank(Status::Failing));
        assert_eq!(rank(Status::Failing), rank(Status::Missing));
        assert_eq!(rank(Status::NotApplicable), None);
    }

    #[test]
    fn an_attestation_that_no_longer_covers_the_as_of_date_expired() {
        let mut old = sample();
        old.attestations
            .retain(|a| a.report == "soc2-type2" && !a.provider.starts_with("vendor:"));
        let mut new = old.clone();
        new.as_of = day("2026-09-30");
        let changes = compare(&old, &new);
        let expired: Vec<&str> = changes
            .attestations
            .iter()
            .filter(|a| a.event == AttestationEvent::Expired)
            .map(|a| a.provider.as_str())
            .collect();
        assert_eq!(expired, ["aws", "azure"]);
        new.attestations.pop();
        let changes = compare(&old, &new);
        assert_eq!(
            changes.attestations.len(),
            2,
            "gone and lapsed is still expired"
        );
    }

    #[test]
    fn an_exception_gone_before_its_expiry_was_withdrawn() {
        let old = sample();
        let mut new = old.clone();
        new.exceptions.retain(|e| e.ticket != "SEC-2291");
        let changes = compare(&old, &new);
        assert_eq!(changes.exceptions.len(), 1);
        assert_eq!(changes.exceptions[0].event, ExceptionEvent::Withdrawn);
    }

    #[test]
    fn a_new_catalog_version_lists_controls_added_and_removed() {
        let old = sample();
        let mut new = old.clone();
        let hipaa = &mut new.frameworks[0];
        hipaa.version = "2026 proposed rule".to_string();
        let mut added = hipaa.controls[0].clone();
        added.id = "164.308(a)(9)".to_string();
        hipaa.controls.push(added);
        hipaa.controls.retain(|c| c.id != "164.308(a)(2)");
        let changes = compare(&old, &new);
        let catalog = &changes.catalogs[0];
        assert_eq!(catalog.version_after.as_deref(), Some("2026 proposed rule"));
        let ids = |c: &[ControlRef]| c.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&catalog.added), ["164.308(a)(9)"]);
        assert_eq!(ids(&catalog.removed), ["164.308(a)(2)"]);
        assert!(changes.regressed.is_empty() && changes.improved.is_empty());
    }

    #[test]
    fn leaving_scope_is_reported_on_its_own_and_needs_review() {
        let old = sample();
        let mut new = old.clone();
        new.frameworks[0].controls[0].status = Status::NotApplicable;
        new.frameworks[0].controls[1].status = Status::InheritedUnattested;
        let changes = compare(&old, &new);
        assert_eq!(changes.left_scope.len(), 1);
        assert!(changes.regressed(), "leaving scope needs review");
        assert_eq!(
            changes.regressed.len(),
            1,
            "satisfied to unattested regressed"
        );
        assert!(changes.regressed());
    }
}
