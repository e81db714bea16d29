//! Model: evidence rows resolved to the controls they count for, directly or
//! through common controls; a row that counts for nothing is reported with why.

use crate::load::evidence::EvidenceRow;
use crate::model::assemble::Settings;
use crate::model::audit::{Evidence, ReportedRow};
use crate::model::library::{Library, Reach};
use chrono::NaiveDate;

/// Resolve each row's references; a row that cannot count is reported with its reasons.
pub(crate) fn map_evidence(
    rows: Vec<EvidenceRow>,
    settings: &Settings,
    as_of: NaiveDate,
) -> (Vec<Evidence>, Vec<ReportedRow>) {
    let library = settings.library;
    let mut evidence = Vec::with_capacity(rows.len());
    let mut reported = Vec::new();
    // Unprefixed references resolve in the frameworks in scope and the common controls.
    let lookup = settings.reference_scope();
    for row in rows {
        let mut reasons = Vec::new();
        let default = match row.framework.as_deref() {
            None => None,
            Some(f) => match library
                .catalog_index(f)
                .or_else(|| prefix_framework(library, f))
            {
                Some(i) => Some(i),
                None => {
                    reasons.push(library.unknown_framework(f));
                    None
                }
            },
        };
        let mut named = Vec::new();
        let mut reached: Vec<Reach> = Vec::new();
        for reference in &row.references {
            match library.resolve(reference, default, &lookup) {
                Ok(key) => {
                    named.push(key);
                    for reach in library.reach(key, &settings.frameworks) {
                        reach.merge_into(&mut reached);
                    }
                }
                Err(message) => reasons.push(message),
            }
        }
        if reasons.is_empty() && reached.is_empty() {
            let mut outside: Vec<&str> = named
                .iter()
                .map(|k| library.catalogs[k.framework].id.as_str())
                .collect();
            outside.sort();
            outside.dedup();
            reasons.push(format!(
                "names only controls outside the frameworks in scope ({}), with no common-control link into them",
                outside.join(", ")
            ));
        }
        if let Some(collected) = row.collected
            && collected > as_of
        {
            reasons.push(format!(
                "collected {collected}, after the as-of date {as_of}"
            ));
        }
        if !reasons.is_empty() {
            reported.push(ReportedRow {
                origin: row.origin,
                title: Some(row.title),
                reasons,
                position: row.references_at.to_string(),
            });
            continue;
        }
        named.sort();
        named.dedup();
        reached.sort();
        evidence.push(Evidence {
            id: row.id,
            title: row.title,
            origin: row.origin,
            description: row.description,
            owner: row.owner,
            collected: row.collected,
            expires: row.expires,
            outcome: row.outcome,
            outcome_stated: row.outcome_stated,
            link: row.link,
            reviewer: row.reviewer,
            controls: named
                .iter()
                .map(|k| {
                    (
                        library.catalogs[k.framework].id.clone(),
                        library.control(*k).id.clone(),
                    )
                })
                .collect(),
            reached,
            findings: None,
        });
    }
    (evidence, reported)
}

fn prefix_framework(library: &Library, name: &str) -> Option<usize> {
    library.catalogs.iter().position(|c| {
        c.prefixes
            .iter()
            .any(|p| p.eq_ignore_ascii_case(name.trim()))
    })
}
