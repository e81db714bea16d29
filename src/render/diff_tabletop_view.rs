//! Render: tabletop readiness changes as a section of the changes view (terminal,
//! workbook and PDF alike): one row per phase whose owner or readiness changed.

use crate::model::diff_tabletop::ReadinessChange;
use crate::model::tabletop::{PhaseOwner, Readiness};
use crate::render::diff_view::{ChangeRow, SectionView};

/// The "Tabletop readiness" section of a diff.
pub fn readiness_section(changes: &[ReadinessChange]) -> SectionView {
    SectionView {
        id: "tabletop",
        title: "Tabletop readiness",
        note: "Incident response phases whose owner changed or that moved between ready and gap, and scenarios that came to apply or stopped applying to the estate.",
        before_label: "Before",
        after_label: "After",
        rows: changes.iter().map(row).collect(),
    }
}

fn row(c: &ReadinessChange) -> ChangeRow {
    let item = match c.phase {
        Some(phase) => format!("{} {}", c.scenario, phase.id()),
        None => c.scenario.clone(),
    };
    let side = |owner: Option<PhaseOwner>, readiness: Option<Readiness>| match (c.phase, readiness)
    {
        (_, None) => "not applicable".to_string(),
        (None, Some(r)) => format!("applies, {}", r.id()),
        (Some(_), Some(r)) => format!(
            "{}, {}",
            owner.map_or("nobody in scope", PhaseOwner::id),
            r.id()
        ),
    };
    ChangeRow {
        framework: String::new(),
        item,
        title: c.title.clone(),
        before: side(c.owner_before, c.readiness_before),
        after: side(c.owner_after, c.readiness_after),
        why_before: c.gaps_before.join("; "),
        why_after: c.gaps_after.join("; "),
    }
}
