//! `auditpack build PROJECT [--out DIR] [--framework ID]... [--responsibility KIND]... [--format F]... [--previous SNAPSHOT]`:
//! write the audit package for a project.
//!
//! The package folder holds audit-package.pdf, audit-workbook.xlsx, audit-report.html, snapshot.json,
//! the OSCAL export in oscal/ and manifest.json, written all at once: a failed run
//! leaves no partial package.
//! Filters give focused documents, such as the HIPAA customer-controls PDF:
//! `--framework hipaa --responsibility customer --responsibility shared --format pdf`.
//! The snapshot always holds the whole audit, so later diffs compare like with like.
//! `--previous SNAPSHOT` adds "Changes since the previous review" to the PDF and a Changes sheet.

use crate::cli::{BuildArgs, OutputFormat};
use crate::cmd::{Outcome, audit_project, project_claims};
use crate::error::{Error, Result};
use crate::load::html_template::{html_rows_per_control, load_html_template};
use crate::load::snapshot::read_snapshot;
use crate::load::template::load_template;
use crate::model::audit::Audit;
use crate::model::diff::compare;
use crate::model::focus::{Focus, apply_focus};
use crate::model::layer::Responsibility;
use crate::model::snapshot::snapshot_of;
use crate::progress::while_busy;
use crate::render::diff_view::changes_view;
use crate::render::package::{
    Output, check_package_target, hash_inputs, render_manifest_hashed, write_package,
};
use crate::render::{html, oscal, pdf, snapshot, xlsx};
use std::path::{Path, PathBuf};

/// The build, its arguments resolved.
struct BuildConfig {
    project: PathBuf,
    out: Option<PathBuf>,
    focus: Focus,
    formats: Vec<OutputFormat>,
    pdf: pdf::PdfSettings,
    /// The previous review's snapshot, to report changes since.
    previous: Option<PathBuf>,
}

impl BuildConfig {
    fn new(args: BuildArgs) -> Result<Self> {
        let responsibilities = args
            .responsibilities
            .iter()
            .map(|&r| Responsibility::from(r))
            .collect();
        let formats = if args.formats.is_empty() {
            vec![
                OutputFormat::Pdf,
                OutputFormat::Xlsx,
                OutputFormat::Json,
                OutputFormat::Oscal,
                OutputFormat::Html,
            ]
        } else {
            args.formats
        };
        let pdf = pdf::PdfSettings {
            archival: args.pdf_standard.is_some(),
            date: source_date_epoch()?,
        };
        Ok(BuildConfig {
            project: args.project,
            out: args.out,
            focus: Focus {
                frameworks: args.frameworks,
                responsibilities,
            },
            formats,
            pdf,
            previous: args.previous,
        })
    }

    fn target(&self, audit: &Audit) -> PathBuf {
        let folder = match self.focus.is_whole() {
            true => audit.as_of.to_string(),
            false => format!("{}-{}", audit.as_of, self.focus.slug()),
        };
        self.out
            .clone()
            .unwrap_or_else(|| self.project.join("out").join(folder))
    }
}

pub fn run(args: BuildArgs) -> Result<Outcome> {
    let config = BuildConfig::new(args)?;
    if let Some(out) = &config.out {
        check_package_target(out, project_claims(&config.project, &[]).protected())?;
    }
    let mut audited = audit_project(&config.project)?;
    let template = load_template(&audited.project)?;
    let html_template = load_html_template(&audited.project)?;
    if let Some(t) = &html_template {
        audited.inputs.push(t.path.clone());
    }
    if let Some(t) = &template {
        audited.inputs.extend(t.inputs.iter().cloned());
    }
    let current = snapshot_of(&audited.audit);
    let snapshot = snapshot::write_snapshot(&current)?;
    let changes = match &config.previous {
        Some(path) => Some(changes_view(&compare(&read_snapshot(path)?, &current))),
        None => None,
    };
    // A copy of every evidence row (about 800 bytes each): not held through the
    // outputs that follow, the PDF's layout among them.
    drop(current);
    apply_focus(&mut audited.audit, &config.focus).map_err(Error::Usage)?;
    refocus_tabletop(&mut audited, &config.focus)?;
    // The workbook first: it lists every scanner result, which are then freed.
    let workbook = match config.formats.contains(&OutputFormat::Xlsx) {
        true => Some(while_busy("writing the workbook", || {
            xlsx::render_xlsx_with_changes(&audited.audit, changes.as_ref())
        })?),
        false => None,
    };
    audited.audit.release_scan_results();
    let audit = &audited.audit;
    let mut outputs = Vec::new();
    if config.formats.contains(&OutputFormat::Pdf) {
        outputs.push(Output {
            name: "audit-package.pdf".to_string(),
            bytes: while_busy("laying out the PDF", || {
                pdf::render_pdf_with_changes(audit, config.pdf, template.as_ref(), changes.clone())
            })?,
        });
    }
    if let Some(bytes) = workbook {
        outputs.push(Output {
            name: "audit-workbook.xlsx".to_string(),
            bytes,
        });
    }
    if config.formats.contains(&OutputFormat::Json) {
        outputs.push(Output {
            name: "snapshot.json".to_string(),
            bytes: snapshot,
        });
    }
    // Hashed once: the manifest lists them and the OSCAL back matter cites them.
    let inputs = hash_inputs(&config.project, &audited.inputs)?;
    if config.formats.contains(&OutputFormat::Oscal) {
        for (name, bytes) in oscal::render_oscal(audit, &inputs)? {
            outputs.push(Output { name, bytes });
        }
    }
    if config.formats.contains(&OutputFormat::Html) {
        let html_inputs = html::HtmlInputs {
            changes,
            files: evidence_files(&audited.project, &inputs),
            root_href: html::root_href(
                &absolute(&config.target(audit)),
                &absolute(&config.project),
            ),
            template: html_template.as_ref(),
            rows_per_control: html_rows_per_control(&audited.project)
                .unwrap_or(html::ROWS_PER_CONTROL),
        };
        outputs.push(Output {
            name: html::REPORT_FILE.to_string(),
            bytes: while_busy("writing the HTML report", || {
                html::render_html(audit, html_inputs)
            })?,
        });
    }
    let manifest = render_manifest_hashed(&inputs, &outputs, &audit.as_of.to_string())?;
    outputs.push(Output {
        name: "manifest.json".to_string(),
        bytes: manifest,
    });
    let target = config.target(audit);
    let mut claims = project_claims(&config.project, &audited.inputs);
    if let Some(previous) = &config.previous {
        claims.protect(previous);
    }
    write_package(&target, &outputs, claims.protected())?;
    report(audit, &target);
    Ok(Outcome::Clean)
}

/// A focused document's tabletop readiness rests on the frameworks it keeps; one
/// focused on some responsibilities leaves it out, since a phase's controls span them.
fn refocus_tabletop(audited: &mut crate::cmd::Audited, focus: &Focus) -> Result<()> {
    if focus.is_whole() {
        return Ok(());
    }
    audited.audit.tabletop = match focus.responsibilities.is_empty() {
        true => {
            let catalog = crate::load::scenarios::load_scenarios(&audited.library)?;
            Some(crate::model::tabletop::run_all(
                &catalog,
                &audited.audit,
                &audited.library,
            ))
        }
        false => None,
    };
    Ok(())
}

/// The project's evidence files, each once, with the SHA-256 the manifest records,
/// for the HTML report.
fn evidence_files(
    project: &crate::load::project::Project,
    inputs: &[crate::render::package::Entry],
) -> Vec<html::EvidenceFile> {
    let evidence: std::collections::BTreeSet<String> = project
        .file
        .evidence
        .iter()
        .map(|s| s.path.get_ref().to_string_lossy().replace('\\', "/"))
        .collect();
    inputs
        .iter()
        .filter(|entry| evidence.contains(&entry.path))
        .map(|entry| html::EvidenceFile {
            path: entry.path.clone(),
            sha256: entry.sha256.clone(),
            bytes: entry.bytes,
        })
        .collect()
}

/// A path made absolute with symbolic links resolved as far as it exists, so the
/// report's links from the package to the project are right.
fn absolute(path: &Path) -> PathBuf {
    if let Ok(resolved) = path.canonicalize() {
        return resolved;
    }
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
    match (parent.map(absolute), path.file_name()) {
        (Some(parent), Some(name)) => parent.join(name),
        _ => std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()),
    }
}

/// The document date from `SOURCE_DATE_EPOCH`, the reproducible-builds convention, if set.
fn source_date_epoch() -> Result<Option<chrono::NaiveDateTime>> {
    let Ok(text) = std::env::var("SOURCE_DATE_EPOCH") else {
        return Ok(None);
    };
    let seconds: i64 = text.trim().parse().map_err(|_| {
        Error::Usage(format!(
            "SOURCE_DATE_EPOCH must be whole seconds since 1970, not \"{text}\""
        ))
    })?;
    chrono::DateTime::from_timestamp(seconds, 0)
        .map(|d| Some(d.naive_utc()))
        .ok_or_else(|| Error::Usage(format!("SOURCE_DATE_EPOCH {seconds} is out of range")))
}

/// A line on stderr, any control characters from input escaped.
macro_rules! say {
    ($($arg:tt)*) => {
        eprintln!("{}", crate::diag::printable(&format!($($arg)*)))
    };
}

/// A short account on stderr: what was written, coverage, rows that did not count.
fn report(audit: &Audit, target: &Path) {
    for row in &audit.reported {
        say!("warning: {}: {}", row.position, row.reasons.join("; "));
    }
    for warning in &audit.warnings {
        say!("warning: {warning}");
    }
    for note in &audit.notes {
        say!("note: {note}");
    }
    if let Some(focus) = &audit.focus {
        say!("focused on {focus}");
    }
    for f in &audit.frameworks {
        say!(
            "{}: {:.0}% covered ({} of {} applicable controls met)",
            f.name,
            f.coverage(),
            f.controls.iter().filter(|c| c.status.is_covered()).count(),
            f.applicable()
        );
    }
    say!(
        "evidence: {} rows read = {} mapped + {} reported",
        audit.rows_read,
        audit.rows_mapped(),
        audit.reported.len()
    );
    for scan in &audit.scans {
        for dropped in &scan.dropped_examples {
            say!("warning: {dropped}");
        }
        if scan.dropped > scan.dropped_examples.len() as u64 {
            say!(
                "warning: {} more findings dropped in {}",
                scan.dropped - scan.dropped_examples.len() as u64,
                scan.results.path.display()
            );
        }
        say!("scan: {}", scan.accounting());
        for (framework, findings) in &scan.by_framework {
            say!(
                "  {framework}: {findings} {} its controls",
                plural(*findings, "finding names", "findings name")
            );
        }
        for u in &scan.unresolved {
            // Findings a reader set aside (cost advice, a not-applicable assessment)
            // are outside the audit's scope by their nature, not ids that failed to
            // resolve.
            let what = if u.key == "set aside" {
                "set aside".to_string()
            } else {
                format!("unresolved {}", u.key)
            };
            say!(
                "  {what}: {} {} ({})",
                u.findings,
                plural(u.findings, "finding", "findings"),
                u.why
            );
        }
    }
    say!("wrote {}", target.display());
}

fn plural(n: u64, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}
