//! `auditpack build PROJECT [--out DIR]`: write the audit package for a project.
//!
//! The package folder holds audit-package.pdf, audit-workbook.xlsx, snapshot.json
//! and manifest.json, written all at once: a failed run leaves no partial package.

use crate::cli::BuildArgs;
use crate::cmd::{Outcome, audit_project};
use crate::error::Result;
use crate::model::audit::Audit;
use crate::render::package::{Output, render_manifest, write_package};
use crate::render::{pdf, snapshot, xlsx};
use std::path::PathBuf;

/// The build, its arguments resolved.
struct BuildConfig {
    project: PathBuf,
    out: Option<PathBuf>,
}

impl BuildConfig {
    fn new(args: BuildArgs) -> Self {
        BuildConfig {
            project: args.project,
            out: args.out,
        }
    }
}

pub fn run(args: BuildArgs) -> Result<Outcome> {
    let config = BuildConfig::new(args);
    let audited = audit_project(&config.project)?;
    let audit = &audited.audit;
    let target = config
        .out
        .clone()
        .unwrap_or_else(|| config.project.join("out").join(audit.as_of.to_string()));
    let mut outputs = vec![
        Output {
            name: "audit-package.pdf",
            bytes: pdf::render_pdf(audit)?,
        },
        Output {
            name: "audit-workbook.xlsx",
            bytes: xlsx::render_xlsx(audit)?,
        },
        Output {
            name: "snapshot.json",
            bytes: snapshot::render_snapshot(audit)?,
        },
    ];
    let manifest = render_manifest(
        &config.project,
        &audited.inputs,
        &outputs,
        &audit.as_of.to_string(),
    )?;
    outputs.push(Output {
        name: "manifest.json",
        bytes: manifest,
    });
    write_package(&target, &outputs)?;
    report(audit, &target);
    Ok(Outcome::Clean)
}

/// A short account on stderr: what was written, coverage, rows that did not count.
fn report(audit: &Audit, target: &std::path::Path) {
    for row in &audit.reported {
        eprintln!("warning: {}: {}", row.position, row.reasons.join("; "));
    }
    for note in &audit.notes {
        eprintln!("note: {note}");
    }
    for f in &audit.frameworks {
        eprintln!(
            "{}: {:.0}% covered ({} of {} applicable controls met)",
            f.name,
            f.coverage(),
            f.controls.iter().filter(|c| c.status.is_covered()).count(),
            f.applicable()
        );
    }
    eprintln!(
        "evidence: {} rows read = {} mapped + {} reported",
        audit.rows_read,
        audit.rows_mapped(),
        audit.reported.len()
    );
    eprintln!("wrote {}", target.display());
}
