//! Commands: one file per subcommand, each resolving its arguments before any work.

pub mod build;
pub mod diff;
pub mod frameworks;
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
    /// Input files relative to the project folder.
    pub inputs: Vec<PathBuf>,
}

/// Load a project folder and build its audit.
pub fn audit_project(root: &Path) -> Result<Audited> {
    if !root.is_dir() {
        return Err(Error::Usage(format!("{} is not a folder", root.display())));
    }
    let project = load_project(root)?;
    let library = load_library(Some(root))?;
    let read = read_sources(
        &project.folders,
        &project.file.evidence,
        &project.file.audit.date_formats,
        &|span| project.at(span),
    );
    let audit = assemble(&project, &library, read).map_err(Error::Problems)?;
    let inputs = input_files(&project, &library.sources);
    Ok(Audited {
        project,
        audit,
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
