//! Model: how tabletop readiness changed between two snapshots: per scenario and
//! phase, a new owner or a move between ready and gap, and scenarios that came to
//! apply or stopped applying.

use crate::model::readiness::{PhaseReadiness, ScenarioReadiness};
use crate::model::snapshot::Snapshot;
use crate::model::tabletop::{Phase, PhaseOwner, Readiness};
use serde::Serialize;

/// One phase of one scenario whose owner or readiness changed, or a scenario
/// whose applicability changed (then `phase` is `None`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReadinessChange {
    pub scenario: String,
    pub title: String,
    pub phase: Option<Phase>,
    pub owner_before: Option<PhaseOwner>,
    pub owner_after: Option<PhaseOwner>,
    /// None where the scenario did not apply on that side.
    pub readiness_before: Option<Readiness>,
    pub readiness_after: Option<Readiness>,
    /// The controls that held the phase back, on each side.
    pub gaps_before: Vec<String>,
    pub gaps_after: Vec<String>,
}

impl ReadinessChange {
    /// A phase that was ready is now a gap.
    pub fn regressed(&self) -> bool {
        self.readiness_before == Some(Readiness::Ready)
            && self.readiness_after == Some(Readiness::Gap)
    }
}

/// Readiness changes, in the new snapshot's scenario order. A snapshot written
/// before readiness was kept has none to compare, so it yields no change.
pub fn readiness_changes(old: &Snapshot, new: &Snapshot) -> Vec<ReadinessChange> {
    if old.tabletop.is_empty() || new.tabletop.is_empty() {
        return Vec::new();
    }
    let mut changes = Vec::new();
    for after in &new.tabletop {
        let Some(before) = old.tabletop.iter().find(|s| s.id == after.id) else {
            continue;
        };
        compare_scenario(before, after, &mut changes);
    }
    changes
}

fn compare_scenario(
    before: &ScenarioReadiness,
    after: &ScenarioReadiness,
    changes: &mut Vec<ReadinessChange>,
) {
    if before.applies != after.applies {
        changes.push(ReadinessChange {
            scenario: after.id.clone(),
            title: after.title.clone(),
            phase: None,
            owner_before: None,
            owner_after: None,
            readiness_before: overall(before),
            readiness_after: overall(after),
            gaps_before: Vec::new(),
            gaps_after: Vec::new(),
        });
        return;
    }
    for now in &after.phases {
        let Some(was) = before.phases.iter().find(|p| p.phase == now.phase) else {
            continue;
        };
        if was.owner != now.owner || was.readiness != now.readiness {
            changes.push(phase_change(after, was, now));
        }
    }
}

/// A scenario's readiness as a whole: a gap when any phase has one.
fn overall(s: &ScenarioReadiness) -> Option<Readiness> {
    s.applies.then(
        || match s.phases.iter().any(|p| p.readiness == Readiness::Gap) {
            true => Readiness::Gap,
            false => Readiness::Ready,
        },
    )
}

fn phase_change(
    scenario: &ScenarioReadiness,
    was: &PhaseReadiness,
    now: &PhaseReadiness,
) -> ReadinessChange {
    ReadinessChange {
        scenario: scenario.id.clone(),
        title: scenario.title.clone(),
        phase: Some(now.phase),
        owner_before: was.owner,
        owner_after: now.owner,
        readiness_before: Some(was.readiness),
        readiness_after: Some(now.readiness),
        gaps_before: was.gaps.clone(),
        gaps_after: now.gaps.clone(),
    }
}
