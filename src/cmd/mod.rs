//! Commands: one file per subcommand, each resolving its arguments before any work.

pub mod build;
pub mod check;
pub mod diff;
pub mod frameworks;
pub mod frameworks_services;
pub mod init;
pub mod inventory;
pub mod tabletop;
pub mod validate;

use crate::error::{Error, Result};
use crate::load::evidence_files::read_sources;
use crate::load::library::load_library;
use crate::load::project::{Project, load_project};
use crate::model::assemble::assemble;
use crate::model::audit::Audit;
use crate::render::target::Claims;
use std::io::Write;
use std::path::{Path, PathBuf};

/// How a command that ran to the end went.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Clean,
    /// Exit 1: the command found something (problems, gaps, differences).
    Findings,
}

/// A project loaded and audited, with the input files it read.
pub struct Audited {
    pub project: Project,
    pub audit: Audit,
    /// The catalogs and provider models the audit was built from.
    pub library: crate::model::library::Library,
    /// Input files relative to the project folder.
    pub inputs: Vec<PathBuf>,
}

/// Load a project folder and build its audit.
pub fn audit_project(root: &Path) -> Result<Audited> {
    audit_project_as_of(root, None)
}

/// Load a project folder and build its audit at `as_of`, or at the project's as-of date.
pub fn audit_project_as_of(root: &Path, as_of: Option<chrono::NaiveDate>) -> Result<Audited> {
    if !root.is_dir() {
        return Err(Error::Usage(format!("{} is not a folder", root.display())));
    }
    let mut project = load_project(root)?;
    if let Some(date) = as_of {
        project.file.audit.as_of = date;
    }
    let mut library = load_library(Some(root))?;
    let declared = crate::model::declared::declare_services(&project, &mut library);
    let read = read_sources(
        &project.folders,
        &project.file.evidence,
        &project.file.audit.date_formats,
        &|span| project.at(span),
    );
    // Every problem of the settings together: the declared services' and the rest.
    let mut audit = match (declared, assemble(&project, &library, read)) {
        (Ok(()), Ok(audit)) => audit,
        (declared, assembled) => {
            let mut problems = declared.err().unwrap_or_default();
            problems.extend(assembled.err().unwrap_or_default());
            problems.sort();
            problems.dedup();
            return Err(Error::Problems(problems));
        }
    };
    // Tabletop readiness rests on the finished statuses; the package and snapshot show it.
    let scenarios = crate::load::scenarios::load_scenarios(&library)?;
    audit.tabletop = Some(crate::model::tabletop::run_all(
        &scenarios, &audit, &library,
    ));
    let inputs = input_files(&project, &library.sources);
    Ok(Audited {
        project,
        audit,
        library,
        inputs,
    })
}

/// Every file the audit read, relative to the project: settings, evidence, the project's own catalogs.
fn input_files(project: &Project, library_sources: &[PathBuf]) -> Vec<PathBuf> {
    let mut inputs = vec![PathBuf::from(crate::load::project::PROJECT_FILE)];
    inputs.extend(
        project
            .file
            .evidence
            .iter()
            .map(|e| e.path.get_ref().clone()),
    );
    inputs.extend(library_sources.iter().cloned());
    inputs.sort();
    inputs.dedup();
    inputs
}

/// The outputs a command may claim: never the project folder or an input it
/// read (`inputs` relative to the project).
pub fn project_claims(project: &Path, inputs: &[PathBuf]) -> Claims {
    Claims::new(
        std::iter::once(project.to_path_buf()).chain(inputs.iter().map(|p| project.join(p))),
    )
}

/// A command's own summary: to standard output, or to standard error when a
/// report was asked for on standard output (`--sarif -`), so the two never mix.
pub fn print_summary(text: &str, claims: &Claims) -> Result<()> {
    if claims.stdout_taken() {
        eprint!("{text}");
        return Ok(());
    }
    print_stdout(text)
}

/// Write command output to stdout; a closed pipe (`| head`) is not an error.
pub fn print_stdout(text: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::io("write", "standard output", e))
        }
        _ => Ok(()),
    }
}
