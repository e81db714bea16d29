//! Model: the tabletop readiness summary a snapshot keeps per scenario (who owns
//! each response phase and whether it is ready), so a later cycle can diff it.

use crate::model::tabletop::{Phase, PhaseOwner, PhaseRun, Readiness, ScenarioRun, Tabletop};
use serde::{Deserialize, Serialize};

/// One scenario as the snapshot keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioReadiness {
    pub id: String,
    pub title: String,
    /// Whether anything in the estate is reached by it; a scenario that does not
    /// apply has no phases.
    pub applies: bool,
    pub phases: Vec<PhaseReadiness>,
}

/// One phase of a scenario: its owner, its readiness and the controls that hold it back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhaseReadiness {
    pub phase: Phase,
    /// None where nothing in scope runs the phase's layers.
    pub owner: Option<PhaseOwner>,
    pub readiness: Readiness,
    /// `framework id: status` for each control behind the phase that is not ready.
    #[serde(default)]
    pub gaps: Vec<String>,
}

/// The readiness summary of an exercise, scenario by scenario in catalog order.
pub fn readiness_of(tabletop: &Tabletop) -> Vec<ScenarioReadiness> {
    tabletop.scenarios.iter().map(scenario_readiness).collect()
}

fn scenario_readiness(s: &ScenarioRun) -> ScenarioReadiness {
    ScenarioReadiness {
        id: s.id.clone(),
        title: s.title.clone(),
        applies: s.applies,
        phases: s.phases.iter().map(phase_readiness).collect(),
    }
}

fn phase_readiness(p: &PhaseRun) -> PhaseReadiness {
    PhaseReadiness {
        phase: p.phase,
        owner: p.owner,
        readiness: p.readiness,
        gaps: p.gap_controls(),
    }
}
