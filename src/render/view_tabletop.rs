//! Render: the "Tabletop readiness" part of the package view: per scenario, each
//! response phase's owner and readiness, and what holds a phase back. Every value
//! is a string for the template, clipped as the rest of the view is.

use crate::diag::clip;
use crate::model::tabletop::{PhaseOwner, Readiness, ScenarioRun, Tabletop};
use serde::Serialize;

/// The most characters of a reason the package shows for a scenario that does not apply.
const REASON_CHARS: usize = 240;

#[derive(Debug, Clone, Serialize)]
pub struct TabletopView {
    /// The frameworks whose controls decide readiness.
    pub frameworks: String,
    pub catalog_version: String,
    /// One sentence with the counts.
    pub headline: String,
    pub scenarios: Vec<ScenarioView>,
    /// The controls an exercise held and recorded as evidence counts for.
    pub exercise_controls: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScenarioView {
    pub id: String,
    pub title: String,
    pub applies: bool,
    /// `ready`, `N phase(s) with gaps` or `not applicable`.
    pub verdict: String,
    pub gap: bool,
    /// Why it does not apply; what it reaches when it does.
    pub reach: String,
    pub phases: Vec<PhaseCellView>,
    /// Per phase with a gap, the controls not ready (`framework id: status`); the
    /// package's Gaps section gives each one's reason.
    pub gaps: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PhaseCellView {
    pub phase: String,
    pub owner: String,
    /// `ready` or `gap`.
    pub readiness: String,
    pub named_owners: String,
}

/// The section's view of an exercise run over the whole estate.
pub fn tabletop_view(tabletop: &Tabletop) -> TabletopView {
    let applicable: Vec<&ScenarioRun> = tabletop.scenarios.iter().filter(|s| s.applies).collect();
    let with_gaps = applicable.iter().filter(|s| gap_count(s) > 0).count();
    let phases: usize = applicable.iter().map(|s| gap_count(s)).sum();
    TabletopView {
        frameworks: match tabletop.frameworks.is_empty() {
            true => "no framework".to_string(),
            false => tabletop.frameworks.join(", "),
        },
        catalog_version: tabletop.catalog_version.clone(),
        headline: format!(
            "{} scenarios, {} apply to this estate: {} ready, {} with gaps ({} phases).",
            tabletop.scenarios.len(),
            applicable.len(),
            applicable.len() - with_gaps,
            with_gaps,
            phases
        ),
        scenarios: tabletop.scenarios.iter().map(scenario_view).collect(),
        exercise_controls: tabletop.exercise_references(),
    }
}

fn gap_count(s: &ScenarioRun) -> usize {
    s.phases
        .iter()
        .filter(|p| p.readiness == Readiness::Gap)
        .count()
}

fn scenario_view(s: &ScenarioRun) -> ScenarioView {
    let gaps = gap_count(s);
    let verdict = match (s.applies, gaps) {
        (false, _) => "not applicable".to_string(),
        (true, 0) => "ready".to_string(),
        (true, n) => format!("{n} phase(s) with gaps"),
    };
    ScenarioView {
        id: s.id.clone(),
        title: s.title.clone(),
        applies: s.applies,
        verdict,
        gap: gaps > 0,
        reach: match &s.not_applicable_reason {
            Some(why) => clip(why, REASON_CHARS).into_owned(),
            None if s.affected.is_empty() => "reaches the organization itself".to_string(),
            None => format!("reaches {}", s.affected.join(", ")),
        },
        phases: s
            .phases
            .iter()
            .map(|p| PhaseCellView {
                phase: p.phase.name().to_string(),
                owner: p
                    .owner
                    .map_or("nobody in scope", PhaseOwner::id)
                    .to_string(),
                readiness: p.readiness.id().to_string(),
                named_owners: p.named_owners.join("; "),
            })
            .collect(),
        gaps: s
            .phases
            .iter()
            .filter(|p| p.readiness == Readiness::Gap)
            .map(|p| format!("{}: {}", p.phase.name(), p.gap_controls().join("; ")))
            .collect(),
    }
}
