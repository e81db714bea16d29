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

/// Write beside the target first and rename, so a failed run never leaves half a file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".to_string());
    let staging = path.with_file_name(format!(".{name}.partial-{}", std::process::id()));
    std::fs::write(&staging, bytes).map_err(|e| Error::io("write", &staging, e))?;
    std::fs::rename(&staging, path).map_err(|e| {
        let _ = std::fs::remove_file(&staging);
        Error::io("write", path, e)
    })
}

/// What a command must never write over: the project folder and every input it
/// read (relative to the project), symlinks resolved.
pub fn protected_paths(project: &Path, inputs: &[PathBuf]) -> Vec<PathBuf> {
    std::iter::once(project.to_path_buf())
        .chain(inputs.iter().map(|p| project.join(p)))
        .filter_map(|p| p.canonicalize().ok())
        .collect()
}

/// A file a command writes (`what`: "a report", "the worksheet") may not
/// replace a folder or one of `protected`.
pub fn refuse_overwriting(what: &str, target: &Path, protected: &[PathBuf]) -> Result<()> {
    let refuse = |why: &str| {
        Err(Error::Usage(format!(
            "will not write {what} to {}: {why}; nothing was written",
            target.display()
        )))
    };
    if target.is_dir() {
        return refuse("it is a folder");
    }
    if let Ok(resolved) = target.canonicalize()
        && protected.contains(&resolved)
    {
        return refuse("it is one of the project's inputs");
    }
    Ok(())
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
