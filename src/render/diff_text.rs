//! Render: the changes between two snapshots as a report for a person at a terminal.
//! Colour only when asked (the command decides: a terminal, and no `NO_COLOR`).

use crate::diag::printable as p;
use crate::render::diff_view::{ChangesView, SectionView};
use std::fmt::Write as _;

const BOLD: &str = "\x1b[1m";
const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

/// Paints text when colour is on.
struct Paint(bool);

impl Paint {
    fn wrap(&self, style: &str, text: &str) -> String {
        match self.0 {
            true => format!("{style}{text}{RESET}"),
            false => text.to_string(),
        }
    }
}

/// The whole report, ending in a newline.
pub fn render_text(view: &ChangesView, colour: bool) -> String {
    let paint = Paint(colour);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        paint.wrap(
            BOLD,
            &format!(
                "Changes for {}: {} to {}",
                p(&view.organization),
                view.old_as_of,
                view.new_as_of
            )
        )
    );
    for line in &view.headline {
        let _ = writeln!(out, "{}", p(line));
    }
    let _ = writeln!(out, "\n{}", paint.wrap(BOLD, "Coverage"));
    let width = view
        .coverage
        .iter()
        .map(|c| c.framework.chars().count())
        .max()
        .unwrap_or(0);
    for c in &view.coverage {
        let _ = writeln!(
            out,
            "  {:width$}  {} -> {}  {}",
            p(&c.framework),
            c.before,
            c.after,
            c.delta
        );
    }
    for section in view.sections.iter().filter(|s| !s.rows.is_empty()) {
        section_text(&mut out, section, &paint);
    }
    out
}

fn section_text(out: &mut String, section: &SectionView, paint: &Paint) {
    let style = match section.id {
        "regressed" | "gone-stale" => RED,
        "improved" => GREEN,
        _ => BOLD,
    };
    let title = format!("{} ({})", section.title, section.rows.len());
    let _ = writeln!(out, "\n{}", paint.wrap(style, &title));
    if section.id == "rationale" {
        let _ = writeln!(
            out,
            "  {}",
            paint.wrap(
                DIM,
                "both rationales of each: --format json, --xlsx or --pdf"
            )
        );
    }
    for row in &section.rows {
        let what: Vec<&str> = [row.framework.as_str(), row.item.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        let change = match (row.before.is_empty(), row.after.is_empty()) {
            (false, false) => format!("{} -> {}", row.before, row.after),
            (false, true) => format!("{} -> (gone)", row.before),
            (true, false) => format!("(new) -> {}", row.after),
            (true, true) => String::new(),
        };
        // Rationale-only changes can be dozens when one workload moves: one line each.
        if section.id == "rationale" {
            let line = format!("{}  {}  {}", what.join(" "), row.title, row.after);
            let _ = writeln!(out, "  {}", p(&line));
            continue;
        }
        let line = format!("{}  {}  {}", what.join(" "), row.title, change);
        let _ = writeln!(out, "  {}", p(&line));
        for (label, why) in [("was", &row.why_before), ("now", &row.why_after)] {
            if !why.is_empty() {
                let _ = writeln!(out, "      {} {}", paint.wrap(DIM, label), p(why));
            }
        }
    }
}
