//! `auditpack diff OLD NEW [--format text|json] [--xlsx FILE] [--pdf FILE]`:
//! what changed between two review cycles.
//!
//! Each side is a `snapshot.json` or a project folder, audited in memory (nothing is
//! written into it). The report lists coverage per framework, controls regressed,
//! gone stale, improved, responsibility changes with both rationales, exceptions,
//! attestations, catalog and inventory changes. Exit 1 when a control regressed
//! or went stale, so CI can gate on it; 0 otherwise; 2 on errors.

use crate::cli::{DiffArgs, DiffFormat};
use crate::cmd::{Outcome, audit_project, print_summary, project_claims};
use crate::error::{Error, Result};
use crate::load::snapshot::read_snapshot;
use crate::model::diff::compare;
use crate::model::snapshot::{Snapshot, snapshot_of};
use crate::render::diff_view::changes_view;
use crate::render::json::json_text;
use crate::render::target::{Claims, write_output};
use crate::render::{diff_pdf, diff_text, diff_xlsx};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// The diff, its arguments resolved.
struct DiffConfig {
    old: PathBuf,
    new: PathBuf,
    format: DiffFormat,
    colour: bool,
    xlsx: Option<PathBuf>,
    pdf: Option<PathBuf>,
}

impl DiffConfig {
    fn new(args: DiffArgs) -> Self {
        // https://no-color.org: any non-empty NO_COLOR turns colour off.
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        DiffConfig {
            old: args.old,
            new: args.new,
            format: args.format,
            colour: std::io::stdout().is_terminal() && !no_color,
            xlsx: args.xlsx,
            pdf: args.pdf,
        }
    }
}

pub fn run(args: DiffArgs) -> Result<Outcome> {
    let config = DiffConfig::new(args);
    let (old, old_inputs) = read_side(&config.old)?;
    let (new, new_inputs) = read_side(&config.new)?;
    // Neither side, nor anything a side's project read, is written over.
    let mut claims = old_inputs;
    for input in new_inputs.protected() {
        claims.protect(input);
    }
    let xlsx = config
        .xlsx
        .as_deref()
        .map(|p| claims.claim_file("the changes workbook", p))
        .transpose()?;
    let pdf = config
        .pdf
        .as_deref()
        .map(|p| claims.claim_file("the changes PDF", p))
        .transpose()?;
    let changes = compare(&old, &new);
    let view = changes_view(&changes);
    if let Some(destination) = &xlsx {
        write_output(
            destination,
            &diff_xlsx::render_changes_xlsx(&view, new.as_of)?,
        )?;
    }
    if let Some(destination) = &pdf {
        write_output(
            destination,
            &diff_pdf::render_changes_pdf(&view, new.as_of)?,
        )?;
    }
    let text = match config.format {
        DiffFormat::Text => diff_text::render_text(&view, config.colour),
        DiffFormat::Json => {
            let bytes = crate::render::json::to_json_pretty(&changes)
                .map_err(|e| Error::render("the changes as JSON", e))?;
            json_text(bytes)
        }
    };
    print_summary(&text, &claims)?;
    Ok(match changes.regressed() {
        true => Outcome::Findings,
        false => Outcome::Clean,
    })
}

/// A snapshot file as read, or a project folder audited in memory.
pub fn load_side(path: &Path) -> Result<Snapshot> {
    read_side(path).map(|(snapshot, _)| snapshot)
}

/// One side of a diff, and the files it was read from (the snapshot, or the
/// project folder and every input its audit read) as claims no output may take.
fn read_side(path: &Path) -> Result<(Snapshot, Claims)> {
    if path.is_dir() {
        let audited = audit_project(path)?;
        let claims = project_claims(path, &audited.inputs);
        return Ok((snapshot_of(&audited.audit), claims));
    }
    // Anything else that is there is read as a snapshot, whose reader refuses what
    // is not a regular file (a named pipe, a device) with that reason.
    if path.exists() {
        return Ok((read_snapshot(path)?, Claims::new([path])));
    }
    Err(Error::Usage(format!(
        "failed to read {} (neither a snapshot file nor a project folder)",
        path.display()
    )))
}
