//! Render: the check verdict as a GitLab Code Quality report, for merge-request widgets.

use crate::error::{Error, Result};
use crate::model::gate::{Gate, Level};
use crate::render::check::{SourceMap, fingerprint, sentence};
use serde::Serialize;

#[derive(Serialize)]
struct Issue {
    description: String,
    check_name: &'static str,
    fingerprint: String,
    severity: &'static str,
    location: IssueLocation,
}

#[derive(Serialize)]
struct IssueLocation {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
}

/// One issue per violation, located as in the SARIF log.
pub fn render_codequality(gate: &Gate, sources: &SourceMap) -> Result<Vec<u8>> {
    let issues: Vec<Issue> = gate
        .violations
        .iter()
        .map(|v| {
            let at = sources.locate(v);
            Issue {
                description: sentence(v),
                check_name: v.rule.id(),
                fingerprint: fingerprint(v),
                severity: match v.level {
                    Level::Error => "major",
                    Level::Warning => "minor",
                    Level::Note => "info",
                },
                location: IssueLocation {
                    path: at.path,
                    lines: Lines { begin: at.line },
                },
            }
        })
        .collect();
    crate::render::json::to_json_pretty(&issues)
        .map_err(|e| Error::render("the GitLab Code Quality report", e))
}
