//! Render: a tabletop exercise for the terminal (one block per scenario) and as stable JSON.

use crate::diag::{clip, printable};
use crate::error::{Error, Result};
use crate::model::tabletop::{PhaseRun, Readiness, ScenarioRun, Tabletop};
use serde::Serialize;
use std::fmt::Write;

/// The version of the JSON shape; it changes only when a key changes meaning or goes.
pub const TABLETOP_SCHEMA_VERSION: u32 = 1;

/// The most characters of a status reason a gap line shows; the JSON keeps it whole.
const REASON_CHARS: usize = 160;

#[derive(Serialize)]
struct Document<'a> {
    tabletop_schema_version: u32,
    #[serde(flatten)]
    tabletop: &'a Tabletop,
    summary: Summary,
    exercise_record: ExerciseRecord,
}

/// The evidence row that records the exercise once held: the columns the evidence
/// loader reads, and the controls its `Controls` cell names for the frameworks in scope.
#[derive(Serialize)]
struct ExerciseRecord {
    columns: [&'static str; 7],
    controls: String,
}

/// Counts a reader (or CI) looks at first.
#[derive(Serialize)]
struct Summary {
    scenarios: usize,
    applicable: usize,
    ready: usize,
    with_gaps: usize,
    phases_with_gaps: usize,
}

fn summary(tabletop: &Tabletop) -> Summary {
    let applicable: Vec<&ScenarioRun> = tabletop.scenarios.iter().filter(|s| s.applies).collect();
    let gaps = |s: &ScenarioRun| {
        s.phases
            .iter()
            .filter(|p| p.readiness == Readiness::Gap)
            .count()
    };
    Summary {
        scenarios: tabletop.scenarios.len(),
        applicable: applicable.len(),
        ready: applicable.iter().filter(|s| gaps(s) == 0).count(),
        with_gaps: applicable.iter().filter(|s| gaps(s) > 0).count(),
        phases_with_gaps: applicable.iter().map(|s| gaps(s)).sum(),
    }
}

/// Stable JSON (`tabletop_schema_version` 1), control characters escaped.
pub fn render_json(tabletop: &Tabletop) -> Result<Vec<u8>> {
    let document = Document {
        tabletop_schema_version: TABLETOP_SCHEMA_VERSION,
        tabletop,
        summary: summary(tabletop),
        exercise_record: ExerciseRecord {
            columns: crate::render::xlsx_tabletop::RECORD_COLUMNS,
            controls: tabletop.exercise_references(),
        },
    };
    crate::render::json::to_json_pretty(&document)
        .map_err(|e| Error::render("the tabletop exercise as JSON", e))
}

/// The facilitator's summary: per scenario, its phases with owner, readiness and gaps.
pub fn render_text(tabletop: &Tabletop) -> String {
    let mut out = String::new();
    let frameworks = match tabletop.frameworks.is_empty() {
        true => "no framework".to_string(),
        false => tabletop.frameworks.join(", "),
    };
    let _ = writeln!(
        out,
        "Tabletop exercise: {} at {} (readiness from {frameworks})\n",
        tabletop.organization, tabletop.as_of
    );
    for scenario in &tabletop.scenarios {
        scenario_block(&mut out, scenario);
    }
    let s = summary(tabletop);
    let _ = writeln!(
        out,
        "{} scenario(s), {} apply: {} ready, {} with gaps ({} phase(s)).",
        s.scenarios, s.applicable, s.ready, s.with_gaps, s.phases_with_gaps
    );
    printable(&out).into_owned()
}

fn scenario_block(out: &mut String, scenario: &ScenarioRun) {
    if let Some(why) = &scenario.not_applicable_reason {
        let _ = writeln!(out, "{}: {}\n  {why}\n", scenario.id, scenario.title);
        return;
    }
    let gaps = scenario
        .phases
        .iter()
        .filter(|p| p.readiness == Readiness::Gap)
        .count();
    let verdict = match gaps {
        0 => "ready".to_string(),
        n => format!("{n} phase(s) with gaps"),
    };
    let _ = writeln!(out, "{}: {} [{verdict}]", scenario.id, scenario.title);
    let _ = writeln!(out, "  {}", scenario.summary);
    if !scenario.affected.is_empty() {
        let _ = writeln!(out, "  reaches: {}", scenario.affected.join(", "));
    }
    for phase in &scenario.phases {
        phase_lines(out, phase);
    }
    out.push('\n');
}

fn phase_lines(out: &mut String, phase: &PhaseRun) {
    let owner = phase.owner.map_or("nobody in scope", |o| o.id());
    let readiness = match phase.readiness {
        Readiness::Ready => "ready",
        Readiness::Gap => "GAP",
    };
    let named = match phase.named_owners.is_empty() {
        true => "no named owner".to_string(),
        false => phase.named_owners.join("; "),
    };
    let _ = writeln!(
        out,
        "  {:<22} {:<9} {:<6} {named}",
        phase.phase.name(),
        owner,
        readiness
    );
    let _ = writeln!(out, "  {:<22} {}", "", phase.rationale);
    for gap in &phase.gaps {
        let _ = writeln!(out, "  {:<22} gap: {}", "", clip(gap, REASON_CHARS));
    }
}
