//! Render: the verdict of `auditpack check`, as a short text, stable JSON, and the
//! reports CI systems read (SARIF, JUnit XML, GitLab Code Quality).

pub mod gitlab;
pub mod junit;
pub mod sarif;

use crate::diag::printable;
use crate::model::gate::{Anchor, Gate, Level, RuleId, Violation};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Violations of one rule the text verdict names before saying how many more there are.
const NAMED_PER_RULE: usize = 10;

/// The most characters of one violation the text verdict prints; the JSON has them all.
const SENTENCE_CHARS: usize = 240;

/// Where in the project's files each anchor lies: the lines of `audit.toml`'s entries.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    /// Put before project-relative paths so they read from the repository root
    /// (the working folder), as code-scanning services expect; empty otherwise.
    pub prefix: PathBuf,
    /// The line of each framework's entry in `frameworks = [...]`, by id.
    pub framework_lines: BTreeMap<String, u32>,
    /// The line of each `[[exceptions]]` entry, by index into `Audit::exceptions`.
    pub exception_lines: Vec<u32>,
    /// The line of each attestation's entry, by index into `Audit::attestations`.
    pub attestation_lines: Vec<Option<u32>>,
}

/// A place in a file, relative to the repository root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceLine {
    pub path: String,
    /// 1-based.
    pub line: u32,
}

impl SourceMap {
    /// Where a violation points: its latest evidence row, else the `audit.toml`
    /// line that scopes it, else `audit.toml:1`.
    pub fn locate(&self, violation: &Violation) -> SourceLine {
        let settings = |line: Option<u32>| SourceLine {
            path: self.path(Path::new(crate::load::project::PROJECT_FILE)),
            line: line.unwrap_or(1).max(1),
        };
        match &violation.anchor {
            Anchor::Evidence(origin) => SourceLine {
                path: self.path(&origin.path),
                line: origin.row.max(1),
            },
            Anchor::Framework(id) => settings(self.framework_lines.get(id).copied()),
            Anchor::Exception(i) => settings(self.exception_lines.get(*i).copied()),
            Anchor::Attestation(i) => settings(self.attestation_lines.get(*i).copied().flatten()),
            Anchor::Project => settings(self.framework_lines.values().min().copied()),
        }
    }

    fn path(&self, relative: &Path) -> String {
        self.prefix
            .join(relative)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/")
    }
}

/// `hipaa 164.308(a)(2)`, `hipaa`, or the attestation's name: what a violation is about.
pub fn subject(v: &Violation) -> String {
    match (&v.framework, &v.control) {
        (Some(f), Some(c)) => format!("{f} {c}"),
        (Some(f), None) => f.clone(),
        _ => v.title.clone(),
    }
}

/// One line for a violation: `hipaa 164.308(a)(2) Security management: missing: no evidence (owner: X)`.
pub fn sentence(v: &Violation) -> String {
    let mut text = match (&v.control, v.status) {
        (Some(_), Some(status)) if matches!(v.rule, RuleId::FailOn | RuleId::WarnOn) => {
            format!(
                "{} {}: {}: {}",
                subject(v),
                v.title,
                status.label(),
                v.reason
            )
        }
        (Some(_), _) => format!("{} {}: {}", subject(v), v.title, v.reason),
        (None, _) => format!("{}: {}", v.title, v.reason),
    };
    if let Some(owner) = &v.owner {
        let _ = write!(text, " (owner: {owner})");
    }
    text
}

/// The short verdict for a terminal or a CI log.
pub fn render_text(gate: &Gate, project: &Path) -> String {
    let mut out = String::new();
    let failed = gate.count(Level::Error);
    let _ = match gate.passed {
        true => writeln!(
            out,
            "check passed for {} as of {}",
            gate.organization, gate.as_of
        ),
        false => writeln!(
            out,
            "check FAILED for {} as of {}: {failed} violation{}",
            gate.organization,
            gate.as_of,
            if failed == 1 { "" } else { "s" }
        ),
    };
    let rules = gate.rules.active();
    let mut described: Vec<String> = rules.iter().map(|r| gate.rules.describe(*r)).collect();
    if let Some(b) = &gate.rules.baseline {
        described.push(format!("only what got worse since {b}"));
    }
    let _ = writeln!(out, "rules: {}", described.join("; "));
    let coverage: Vec<String> = gate
        .coverage
        .iter()
        .chain(std::iter::once(&gate.overall))
        .map(|c| format!("{} {}%", c.framework, c.coverage))
        .collect();
    let _ = writeln!(out, "coverage: {}", coverage.join(", "));
    for rule in rules {
        let caught: Vec<&Violation> = gate.violations.iter().filter(|v| v.rule == rule).collect();
        if caught.is_empty() {
            continue;
        }
        let (errors, warnings, notes) = (
            caught.iter().filter(|v| v.level == Level::Error).count(),
            caught.iter().filter(|v| v.level == Level::Warning).count(),
            caught.iter().filter(|v| v.level == Level::Note).count(),
        );
        let mut counts = Vec::new();
        for (n, what) in [
            (errors, "failing"),
            (warnings, "warnings"),
            (notes, "unchanged since the baseline"),
        ] {
            if n > 0 {
                counts.push(format!("{n} {what}"));
            }
        }
        let _ = writeln!(out, "\n{} ({}):", rule.id(), counts.join(", "));
        let mut shown: Vec<&&Violation> =
            caught.iter().filter(|v| v.level != Level::Note).collect();
        shown.sort_by_key(|v| v.level);
        for v in shown.iter().take(NAMED_PER_RULE) {
            let mark = match v.level {
                Level::Error => "error",
                Level::Warning => "warning",
                Level::Note => "note",
            };
            let _ = writeln!(
                out,
                "  {mark}: {}",
                crate::diag::clip(&sentence(v), SENTENCE_CHARS)
            );
        }
        if shown.len() > NAMED_PER_RULE {
            let _ = writeln!(out, "  ... and {} more", shown.len() - NAMED_PER_RULE);
        }
    }
    let _ = writeln!(
        out,
        "\nsee every violation: auditpack check {} --format json",
        project.display()
    );
    printable(&out).into_owned()
}

/// A violation with the place reports point at.
#[derive(Serialize)]
struct Located<'a> {
    #[serde(flatten)]
    violation: &'a Violation,
    location: SourceLine,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    check_schema_version: u32,
    organization: &'a str,
    as_of: chrono::NaiveDate,
    passed: bool,
    rules: &'a crate::model::gate::Rules,
    active_rules: Vec<RuleId>,
    coverage: &'a [crate::model::gate::CoverageVerdict],
    overall: &'a crate::model::gate::CoverageVerdict,
    errors: usize,
    warnings: usize,
    notes: usize,
    violations: Vec<Located<'a>>,
}

/// `--format json`: stable, `check_schema_version` 1.
pub fn render_json(gate: &Gate, sources: &SourceMap) -> crate::error::Result<Vec<u8>> {
    let report = JsonReport {
        check_schema_version: gate.check_schema_version,
        organization: &gate.organization,
        as_of: gate.as_of,
        passed: gate.passed,
        rules: &gate.rules,
        active_rules: gate.rules.active(),
        coverage: &gate.coverage,
        overall: &gate.overall,
        errors: gate.count(Level::Error),
        warnings: gate.count(Level::Warning),
        notes: gate.count(Level::Note),
        violations: gate
            .violations
            .iter()
            .map(|v| Located {
                violation: v,
                location: sources.locate(v),
            })
            .collect(),
    };
    crate::render::json::to_json_pretty(&report)
        .map_err(|e| crate::error::Error::render("the check verdict as JSON", e))
}

/// A stable, opaque fingerprint of what a violation is about: framework, control (or
/// subject) and rule, so CI services track one result across runs.
pub fn fingerprint(v: &Violation) -> String {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    for part in [
        v.framework.as_deref().unwrap_or(""),
        v.control.as_deref().unwrap_or(&v.title),
        v.rule.id(),
        // An exception lapsing and evidence falling due are two results for one control.
        if matches!(v.anchor, Anchor::Exception(_)) {
            "exception"
        } else {
            ""
        },
    ] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}
