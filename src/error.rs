//! Shared: the errors a run can end with.

use crate::diag::Problem;
use std::path::PathBuf;

/// Why a command could not finish.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The inputs have problems; every one found is listed.
    #[error("{}", list(.0))]
    Problems(Vec<Problem>),
    #[error("failed to {action} {} ({source})", .path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("failed to render {what} ({message})")]
    Render { what: String, message: String },
    #[error("{0}")]
    Usage(String),
}

impl Error {
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }

    pub fn render(what: impl Into<String>, message: impl ToString) -> Self {
        Error::Render {
            what: what.into(),
            message: message.to_string(),
        }
    }
}

fn list(problems: &[Problem]) -> String {
    let lines: Vec<String> = problems.iter().map(|p| format!("error: {p}")).collect();
    lines.join("\n")
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
