//! `auditpack check PROJECT [--framework ID]... [--responsibility KIND]... [--as-of DATE|today]
//! [--fail-on S,...] [--warn-on S,...] [--min-coverage [FRAMEWORK=]PCT]... [--expiring-within DAYS]
//! [--baseline SNAPSHOT] [--format text|json] [--sarif FILE] [--junit FILE] [--gitlab-codequality FILE]`:
//! the compliance gate for CI.
//!
//! Rules come from `[check]` in `audit.toml`, each overridden by its flag. Exit 0
//! when the gate passes (warnings allowed), 1 when a rule trips, 2 on errors.
//! Report files are written atomically and never over one of the project's inputs.

use crate::cli::{AsOf, CheckArgs, CheckFormat, StatusArg};
use crate::cmd::diff::load_side;
use crate::cmd::{Audited, Outcome, audit_project_as_of, print_summary, project_claims};
use crate::diag::{Location, Problem, did_you_mean};
use crate::error::{Error, Result};
use crate::load::project::{CheckSettings, Project};
use crate::model::audit::Audit;
use crate::model::focus::{Focus, apply_focus};
use crate::model::gate::{Rules, judge};
use crate::model::layer::Responsibility;
use crate::model::status::Status;
use crate::render::check::{self, SourceMap, gitlab, junit, sarif};
use crate::render::json::json_text;
use crate::render::target::write_output;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The check, its flags resolved; the rules are resolved once `[check]` is read.
struct CheckConfig {
    project: PathBuf,
    as_of: Option<chrono::NaiveDate>,
    focus: Focus,
    args: CheckArgs,
}

impl CheckConfig {
    fn new(args: CheckArgs) -> Self {
        let as_of = args.as_of.map(|a| match a {
            AsOf::Today => chrono::Local::now().date_naive(),
            AsOf::Date(d) => d,
        });
        let responsibilities = args
            .responsibilities
            .iter()
            .map(|&r| Responsibility::from(r))
            .collect();
        CheckConfig {
            project: args.project.clone(),
            as_of,
            focus: Focus {
                frameworks: args.frameworks.clone(),
                responsibilities,
            },
            args,
        }
    }

    /// Flags over `[check]` over the defaults; framework ids checked against the project.
    fn rules(&self, project: &Project, audit: &Audit) -> Result<(Rules, Option<PathBuf>)> {
        let empty = CheckSettings {
            fail_on: None,
            warn_on: None,
            min_coverage: None,
            min_coverage_by_framework: BTreeMap::new(),
            expiring_within: None,
            baseline: None,
        };
        let settings = project.file.check.as_ref().unwrap_or(&empty);
        let flags = |list: &[StatusArg]| list.iter().map(|s| status(*s)).collect::<Vec<_>>();
        let fail_on = match self.args.fail_on.is_empty() {
            false => flags(&self.args.fail_on),
            true => settings
                .fail_on
                .clone()
                .unwrap_or_else(|| vec![Status::Missing, Status::Failing]),
        };
        let warn_on = match self.args.warn_on.is_empty() {
            false => flags(&self.args.warn_on),
            true => settings.warn_on.clone().unwrap_or_default(),
        };
        let ids: Vec<&str> = audit.frameworks.iter().map(|f| f.id.as_str()).collect();
        let known = |name: &str| ids.iter().find(|id| id.eq_ignore_ascii_case(name));
        let unknown = |name: &str| {
            let hint = did_you_mean(name, ids.iter().copied())
                .map(|s| format!("; did you mean \"{s}\"?"))
                .unwrap_or_default();
            format!(
                "{name} is not among this project's frameworks ({}){hint}",
                ids.join(", ")
            )
        };
        let mut problems = Vec::new();
        let mut min_coverage = None;
        if let Some(p) = &settings.min_coverage {
            min_coverage = Some(*p.get_ref());
            check_percent(project, p, &mut problems);
        }
        let mut by_framework = BTreeMap::new();
        for (name, p) in &settings.min_coverage_by_framework {
            check_percent(project, p, &mut problems);
            match known(name.get_ref()) {
                Some(id) => {
                    by_framework.insert(id.to_string(), *p.get_ref());
                }
                None => problems.push(project.problem(
                    name.span(),
                    format!(
                        "[check] min_coverage_by_framework: {}",
                        unknown(name.get_ref())
                    ),
                )),
            }
        }
        if !problems.is_empty() {
            return Err(Error::Problems(problems));
        }
        for t in &self.args.min_coverage {
            match &t.framework {
                None => min_coverage = Some(t.percent),
                Some(name) => match known(name) {
                    Some(id) => {
                        by_framework.insert(id.to_string(), t.percent);
                    }
                    None => return Err(Error::Usage(format!("--min-coverage {}", unknown(name)))),
                },
            }
        }
        // (where the baseline is read, how the gate names it)
        let baseline = match (&self.args.baseline, &settings.baseline) {
            (Some(flag), _) => Some((flag.clone(), flag.clone())),
            (None, Some(path)) => Some((baseline_inside(project, path)?, project.root.join(path))),
            (None, None) => None,
        };
        let rules = Rules {
            fail_on,
            warn_on,
            min_coverage,
            min_coverage_by_framework: by_framework,
            expiring_within: self.args.expiring_within.or(settings.expiring_within),
            baseline: baseline
                .as_ref()
                .map(|(_, shown)| shown.display().to_string()),
        };
        Ok((rules, baseline.map(|(read, _)| read)))
    }

    /// The report files asked for, with their renderers' names.
    fn reports(&self) -> Vec<(&Path, Report)> {
        let a = &self.args;
        [
            (a.sarif.as_deref(), Report::Sarif),
            (a.junit.as_deref(), Report::Junit),
            (a.gitlab_codequality.as_deref(), Report::CodeQuality),
        ]
        .into_iter()
        .filter_map(|(path, report)| path.map(|p| (p, report)))
        .collect()
    }
}

#[derive(Clone, Copy)]
enum Report {
    Sarif,
    Junit,
    CodeQuality,
}

impl Report {
    /// The report in words, for a refusal.
    fn what(self) -> &'static str {
        match self {
            Report::Sarif => "the SARIF report",
            Report::Junit => "the JUnit report",
            Report::CodeQuality => "the GitLab code quality report",
        }
    }
}

pub fn run(args: CheckArgs) -> Result<Outcome> {
    let config = CheckConfig::new(args);
    let Audited {
        project,
        mut audit,
        inputs,
        ..
    } = audit_project_as_of(&config.project, config.as_of)?;
    let (rules, baseline_path) = config.rules(&project, &audit)?;
    let baseline = baseline_path.as_deref().map(load_side).transpose()?;
    let mut claims = project_claims(&project.root, &inputs);
    if let Some(baseline) = &baseline_path {
        claims.protect(baseline);
    }
    let mut reports = Vec::new();
    for (path, report) in config.reports() {
        reports.push((claims.claim_file(report.what(), path)?, report));
    }
    apply_focus(&mut audit, &config.focus).map_err(Error::Usage)?;
    let gate = judge(&audit, rules, baseline.as_ref());
    let sources = source_map(&project, &audit);
    for (destination, report) in &reports {
        let bytes = match report {
            Report::Sarif => sarif::render_sarif(&gate, &sources)?,
            Report::Junit => junit::render_junit(&audit, &gate),
            Report::CodeQuality => gitlab::render_codequality(&gate, &sources)?,
        };
        write_output(destination, &bytes)?;
    }
    let text = match config.args.format {
        CheckFormat::Text => check::render_text(&gate, &config.project),
        CheckFormat::Json => json_text(check::render_json(&gate, &sources)?),
    };
    print_summary(&text, &claims)?;
    Ok(match gate.passed {
        true => Outcome::Clean,
        false => Outcome::Findings,
    })
}

/// `[check] baseline` is a path the project names: like every such path, it must
/// lie inside the project folder or a folder `[inputs] folders` names.
fn baseline_inside(project: &Project, path: &Path) -> Result<PathBuf> {
    project.folders.inside(path).map_err(|why| {
        Error::Problems(vec![Problem::new(
            Location::file(project.root.join(crate::load::project::PROJECT_FILE)),
            format!("[check] baseline: {why}"),
        )])
    })
}

fn status(arg: StatusArg) -> Status {
    match arg {
        StatusArg::Inherited => Status::Inherited,
        StatusArg::InheritedUnattested => Status::InheritedUnattested,
        StatusArg::Satisfied => Status::Satisfied,
        StatusArg::Partial => Status::Partial,
        StatusArg::Stale => Status::Stale,
        StatusArg::Failing => Status::Failing,
        StatusArg::Exception => Status::Exception,
        StatusArg::Missing => Status::Missing,
        StatusArg::NotApplicable => Status::NotApplicable,
    }
}

fn check_percent(project: &Project, p: &toml::Spanned<f64>, problems: &mut Vec<Problem>) {
    if !(0.0..=100.0).contains(p.get_ref()) {
        problems.push(project.problem(
            p.span(),
            format!(
                "[check] expected a percentage from 0 to 100, found {}",
                p.get_ref()
            ),
        ));
    }
}

/// The lines of `audit.toml` that violations point at, and the project's place in the repository.
fn source_map(project: &Project, audit: &Audit) -> SourceMap {
    let line = |span: std::ops::Range<usize>| match project.at(span) {
        Location::Text { line, .. } => u32::try_from(line).unwrap_or(1),
        _ => 1,
    };
    let mut map = SourceMap {
        prefix: repository_prefix(&project.root),
        ..SourceMap::default()
    };
    for f in &audit.frameworks {
        if let Some(entry) = project
            .file
            .audit
            .frameworks
            .iter()
            .find(|e| e.get_ref().eq_ignore_ascii_case(&f.id))
        {
            map.framework_lines.insert(f.id.clone(), line(entry.span()));
        }
    }
    map.exception_lines = project
        .file
        .exceptions
        .iter()
        .map(|e| line(e.control.span()))
        .collect();
    map.attestation_lines = audit
        .attestations
        .iter()
        .map(|a| {
            let same = |x: &str, y: &str| x.eq_ignore_ascii_case(y);
            if let Some(vendor) = a
                .provider
                .strip_prefix(crate::model::vendors::VENDOR_PREFIX)
            {
                let entry = project
                    .file
                    .vendors
                    .iter()
                    .find(|v| same(v.name.get_ref(), vendor))?;
                let report = entry
                    .reports
                    .iter()
                    .find(|r| same(r.scheme.get_ref(), &a.report));
                return Some(report.map_or(line(entry.name.span()), |r| line(r.scheme.span())));
            }
            project
                .file
                .attestations
                .iter()
                .find(|e| {
                    same(e.provider.get_ref(), &a.provider) && same(e.report.get_ref(), &a.report)
                })
                .map(|e| line(e.provider.span()))
        })
        .collect();
    map
}

/// The project folder relative to the working folder, when inside it: CI runs from the
/// repository root, and code-scanning services read paths from there.
fn repository_prefix(root: &Path) -> PathBuf {
    let (Ok(here), Ok(project)) = (std::env::current_dir(), root.canonicalize()) else {
        return PathBuf::new();
    };
    let here = here.canonicalize().unwrap_or(here);
    project
        .strip_prefix(&here)
        .map(Path::to_path_buf)
        .unwrap_or_default()
}
