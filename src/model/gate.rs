//! Model: the `check` gate. Rules applied to a finished audit give violations,
//! each with what tripped it and where it comes from. No I/O; renderers print the `Gate`.
//!
//! A control trips `fail-on` or `warn-on` by its status, a framework (or every
//! framework pooled) trips `min-coverage`, and evidence falling due, exceptions
//! and attestations lapsing trip `expiring-within`. With a baseline, a status or
//! coverage violation fails only where it got worse since (diff's `rank` order);
//! the rest are kept as notes, so old gaps stay visible without failing the build.

use crate::load::evidence::Origin;
use crate::model::audit::{Audit, ControlAudit, FrameworkAudit};
use crate::model::diff::rank;
use crate::model::layer::Responsibility;
use crate::model::snapshot::Snapshot;
use crate::model::status::Status;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// Bumped whenever a field of `auditpack check --format json` changes meaning or disappears.
pub const CHECK_SCHEMA_VERSION: u32 = 1;

/// Evidence cited per violation at most; the count says how many there are.
const EVIDENCE_CITED: usize = 5;

/// The gate's rules, resolved from flags and `[check]`.
#[derive(Debug, Clone, Serialize)]
pub struct Rules {
    pub fail_on: Vec<Status>,
    pub warn_on: Vec<Status>,
    /// Over every framework checked, pooled, in percent.
    pub min_coverage: Option<f64>,
    /// Per framework id, in percent.
    pub min_coverage_by_framework: BTreeMap<String, f64>,
    pub expiring_within: Option<u32>,
    /// The baseline as named, when there is one.
    pub baseline: Option<String>,
}

impl Rules {
    /// The rules in force, in the order reports list them.
    pub fn active(&self) -> Vec<RuleId> {
        let mut rules = Vec::new();
        if !self.fail_on.is_empty() {
            rules.push(RuleId::FailOn);
        }
        if !self.warn_on.is_empty() {
            rules.push(RuleId::WarnOn);
        }
        if self.min_coverage.is_some() || !self.min_coverage_by_framework.is_empty() {
            rules.push(RuleId::MinCoverage);
        }
        if self.expiring_within.is_some() {
            rules.push(RuleId::ExpiringWithin);
        }
        rules
    }

    /// What one rule asks, in words: `fails on missing, failing`.
    pub fn describe(&self, rule: RuleId) -> String {
        let statuses = |list: &[Status]| list.iter().map(|s| s.id()).collect::<Vec<_>>().join(", ");
        match rule {
            RuleId::FailOn => format!("fails on {}", statuses(&self.fail_on)),
            RuleId::WarnOn => format!("warns on {}", statuses(&self.warn_on)),
            RuleId::MinCoverage => {
                let mut parts: Vec<String> = self
                    .min_coverage
                    .iter()
                    .map(|p| format!("{p}% overall"))
                    .collect();
                parts.extend(
                    self.min_coverage_by_framework
                        .iter()
                        .map(|(f, p)| format!("{p}% for {f}")),
                );
                format!("coverage of at least {}", parts.join(", "))
            }
            RuleId::ExpiringWithin => format!(
                "fails on evidence falling due, exceptions and attestations lapsing within {} days",
                self.expiring_within.unwrap_or(0)
            ),
        }
    }
}

/// One rule of the gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleId {
    FailOn,
    WarnOn,
    MinCoverage,
    ExpiringWithin,
}

impl RuleId {
    pub fn id(self) -> &'static str {
        match self {
            RuleId::FailOn => "fail-on",
            RuleId::WarnOn => "warn-on",
            RuleId::MinCoverage => "min-coverage",
            RuleId::ExpiringWithin => "expiring-within",
        }
    }

    /// A short name, as code-scanning services show a rule.
    pub fn title(self) -> &'static str {
        match self {
            RuleId::FailOn => "Control status fails the gate",
            RuleId::WarnOn => "Control status needs attention",
            RuleId::MinCoverage => "Coverage below the threshold",
            RuleId::ExpiringWithin => "Evidence, exception or attestation lapsing soon",
        }
    }
}

/// How much a violation matters to the gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Fails the gate.
    Error,
    /// Reported; the gate still passes.
    Warning,
    /// A known gap, no worse than in the baseline: reported, never failing.
    Note,
}

/// How a violation compares with the baseline, when one is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BaselineState {
    /// Not in the baseline, or not applicable there.
    New,
    /// Worse than in the baseline.
    Worse,
    /// No worse than in the baseline.
    Unchanged,
}

/// What a violation points at in the project's files, for reports that need a place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchor {
    /// The row the control's latest evidence came from.
    Evidence(Origin),
    /// The framework's entry in `audit.toml`.
    Framework(String),
    /// An entry of `Audit::exceptions`, by index.
    Exception(usize),
    /// An entry of `Audit::attestations`, by index.
    Attestation(usize),
    /// `audit.toml` as a whole.
    Project,
}

/// A piece of evidence a violation cites.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceCited {
    pub id: String,
    pub title: String,
    /// `evidence.csv:12` or `tracker.xlsx [Evidence] row 4`.
    pub source: String,
    pub collected: Option<NaiveDate>,
}

/// One thing a rule caught.
#[derive(Debug, Clone, Serialize)]
pub struct Violation {
    pub rule: RuleId,
    pub level: Level,
    /// None for the pooled coverage and for attestations.
    pub framework: Option<String>,
    /// None for coverage and attestations.
    pub control: Option<String>,
    /// The control's title, the framework's or attestation's name.
    pub title: String,
    pub responsibility: Option<Responsibility>,
    pub status: Option<Status>,
    pub reason: String,
    pub owner: Option<String>,
    pub due: Option<NaiveDate>,
    /// The newest evidence first, at most five; `evidence_count` says how many count.
    pub evidence: Vec<EvidenceCited>,
    pub evidence_count: usize,
    /// Set only when a baseline is given.
    pub baseline: Option<BaselineState>,
    #[serde(skip)]
    pub anchor: Anchor,
}

/// Coverage of one framework (or all pooled) against its threshold.
#[derive(Debug, Clone, Serialize)]
pub struct CoverageVerdict {
    /// `all` for every framework pooled.
    pub framework: String,
    pub name: String,
    /// Percent to one decimal.
    pub coverage: f64,
    pub met: usize,
    pub applicable: usize,
    pub threshold: Option<f64>,
    /// In the baseline, where it has this framework.
    pub baseline: Option<f64>,
}

/// The gate's verdict on one audit.
#[derive(Debug, Clone, Serialize)]
pub struct Gate {
    pub check_schema_version: u32,
    pub organization: String,
    pub as_of: NaiveDate,
    pub passed: bool,
    pub rules: Rules,
    pub coverage: Vec<CoverageVerdict>,
    pub overall: CoverageVerdict,
    pub violations: Vec<Violation>,
}

impl Gate {
    pub fn count(&self, level: Level) -> usize {
        self.violations.iter().filter(|v| v.level == level).count()
    }

    /// The violations one control has, in rule order.
    pub fn of_control<'a>(
        &'a self,
        framework: &'a str,
        control: &'a str,
    ) -> impl Iterator<Item = &'a Violation> + 'a {
        self.violations.iter().filter(move |v| {
            v.framework.as_deref() == Some(framework) && v.control.as_deref() == Some(control)
        })
    }
}

/// Apply the rules to an audit (already focused), comparing with a baseline if given.
pub fn judge(audit: &Audit, rules: Rules, baseline: Option<&Snapshot>) -> Gate {
    let mut violations = Vec::new();
    for (rule, statuses, level) in [
        (RuleId::FailOn, &rules.fail_on, Level::Error),
        (RuleId::WarnOn, &rules.warn_on, Level::Warning),
    ] {
        for framework in &audit.frameworks {
            for control in &framework.controls {
                let caught = statuses.contains(&control.status)
                    && !(rule == RuleId::WarnOn && rules.fail_on.contains(&control.status));
                if !caught {
                    continue;
                }
                let state = baseline.map(|b| control_state(b, &framework.id, control));
                let level = match (level, state) {
                    (Level::Error, Some(BaselineState::Unchanged)) => Level::Note,
                    (level, _) => level,
                };
                let reason = control.status_reason.clone();
                let mut v = control_violation(audit, framework, control, rule, level, reason);
                v.baseline = state;
                violations.push(v);
            }
        }
    }
    let coverage: Vec<CoverageVerdict> = audit
        .frameworks
        .iter()
        .map(|f| {
            let (met, applicable) = met_of_applicable(f);
            CoverageVerdict {
                framework: f.id.clone(),
                name: f.name.clone(),
                coverage: percent(met, applicable),
                met,
                applicable,
                threshold: rules.min_coverage_by_framework.get(&f.id).copied(),
                baseline: baseline.and_then(|b| {
                    b.frameworks
                        .iter()
                        .find(|o| o.id == f.id)
                        .map(|o| pooled_percent([o.met_of_applicable()]))
                }),
            }
        })
        .collect();
    let overall = CoverageVerdict {
        framework: "all".to_string(),
        name: "All frameworks".to_string(),
        coverage: pooled_percent(coverage.iter().map(|c| (c.met, c.applicable))),
        met: coverage.iter().map(|c| c.met).sum(),
        applicable: coverage.iter().map(|c| c.applicable).sum(),
        threshold: rules.min_coverage,
        baseline: baseline.map(|b| {
            pooled_percent(
                b.frameworks
                    .iter()
                    .filter(|o| audit.frameworks.iter().any(|f| f.id == o.id))
                    .map(|o| o.met_of_applicable()),
            )
        }),
    };
    for verdict in coverage.iter().chain(std::iter::once(&overall)) {
        if let Some(v) = coverage_violation(verdict, baseline.is_some()) {
            violations.push(v);
        }
    }
    if let Some(days) = rules.expiring_within {
        violations.extend(expiring(audit, days));
    }
    Gate {
        check_schema_version: CHECK_SCHEMA_VERSION,
        organization: audit.organization.clone(),
        as_of: audit.as_of,
        passed: !violations.iter().any(|v| v.level == Level::Error),
        rules,
        coverage,
        overall,
        violations,
    }
}

/// How a control's status compares with the baseline's, by diff's rank.
fn control_state(baseline: &Snapshot, framework: &str, control: &ControlAudit) -> BaselineState {
    let before = baseline
        .frameworks
        .iter()
        .find(|f| f.id == framework)
        .and_then(|f| f.controls.iter().find(|c| c.id == control.id))
        .and_then(|c| rank(c.status));
    match (before, rank(control.status)) {
        (None, _) => BaselineState::New,
        (Some(b), Some(a)) if a > b => BaselineState::Worse,
        _ => BaselineState::Unchanged,
    }
}

fn met_of_applicable(f: &FrameworkAudit) -> (usize, usize) {
    let met = f.controls.iter().filter(|c| c.status.is_covered()).count();
    (met, f.applicable())
}

/// Percent to one decimal, as the diff reports it.
fn percent(met: usize, applicable: usize) -> f64 {
    if applicable == 0 {
        return 0.0;
    }
    (1000.0 * met as f64 / applicable as f64).round() / 10.0
}

fn pooled_percent(parts: impl IntoIterator<Item = (usize, usize)>) -> f64 {
    let (met, applicable) = parts
        .into_iter()
        .fold((0, 0), |(m, a), (pm, pa)| (m + pm, a + pa));
    percent(met, applicable)
}

fn coverage_violation(verdict: &CoverageVerdict, with_baseline: bool) -> Option<Violation> {
    let threshold = verdict.threshold?;
    if verdict.coverage >= threshold {
        return None;
    }
    let state = with_baseline.then_some(match verdict.baseline {
        None => BaselineState::New,
        Some(b) if verdict.coverage < b => BaselineState::Worse,
        Some(_) => BaselineState::Unchanged,
    });
    let mut reason = format!(
        "{}% covered ({} of {} applicable controls met); the threshold is {threshold}%",
        verdict.coverage, verdict.met, verdict.applicable
    );
    if let Some(b) = verdict.baseline {
        reason.push_str(&format!("; {b}% in the baseline"));
    }
    let pooled = verdict.framework == "all";
    Some(Violation {
        rule: RuleId::MinCoverage,
        level: match state {
            Some(BaselineState::Unchanged) => Level::Note,
            _ => Level::Error,
        },
        framework: (!pooled).then(|| verdict.framework.clone()),
        control: None,
        title: verdict.name.clone(),
        responsibility: None,
        status: None,
        reason,
        owner: None,
        due: None,
        evidence: Vec::new(),
        evidence_count: 0,
        baseline: state,
        anchor: match pooled {
            true => Anchor::Project,
            false => Anchor::Framework(verdict.framework.clone()),
        },
    })
}

/// Evidence falling due, exceptions and attestations lapsing within `days` of the as-of date.
fn expiring(audit: &Audit, days: u32) -> Vec<Violation> {
    let horizon = audit
        .as_of
        .checked_add_days(chrono::Days::new(u64::from(days)))
        .unwrap_or(audit.as_of);
    let within = |date: NaiveDate| date >= audit.as_of && date <= horizon;
    let mut found = Vec::new();
    for framework in &audit.frameworks {
        for control in &framework.controls {
            let fresh = matches!(control.status, Status::Satisfied | Status::Partial);
            if let Some(due) = control.due.filter(|d| fresh && within(*d)) {
                let latest = control
                    .evidence
                    .first()
                    .map_or("", |e| audit.evidence[e.index].id.as_str());
                let reason = format!(
                    "evidence {latest} falls due on {due}, within {days} days of {}",
                    audit.as_of
                );
                found.push(control_violation(
                    audit,
                    framework,
                    control,
                    RuleId::ExpiringWithin,
                    Level::Error,
                    reason,
                ));
            }
            if let Some(index) = control.exception {
                let e = &audit.exceptions[index];
                if !e.expired && within(e.expires) {
                    let reason = format!(
                        "exception {} approved by {} expires on {}, within {days} days of {}",
                        e.ticket, e.approver, e.expires, audit.as_of
                    );
                    let mut v = control_violation(
                        audit,
                        framework,
                        control,
                        RuleId::ExpiringWithin,
                        Level::Error,
                        reason,
                    );
                    v.due = Some(e.expires);
                    v.anchor = Anchor::Exception(index);
                    found.push(v);
                }
            }
        }
    }
    let checked = |a: &crate::model::audit::HeldAttestation| {
        a.frameworks.is_empty()
            || audit
                .frameworks
                .iter()
                .any(|f| a.frameworks.contains(&f.id))
    };
    for (index, a) in audit.attestations.iter().enumerate() {
        // An agreement with no end does not lapse.
        let Some(until) = a.covered_until() else {
            continue;
        };
        if !checked(a) || !within(until) {
            continue;
        }
        found.push(Violation {
            rule: RuleId::ExpiringWithin,
            level: Level::Error,
            framework: None,
            control: None,
            title: format!("{} ({})", a.name, a.provider_label()),
            responsibility: None,
            status: None,
            reason: format!(
                "{} ({}) covers only until {until}, within {days} days of {}",
                a.name,
                a.provider_label(),
                audit.as_of
            ),
            owner: None,
            due: Some(until),
            evidence: Vec::new(),
            evidence_count: 0,
            baseline: None,
            anchor: Anchor::Attestation(index),
        });
    }
    found
}

fn control_violation(
    audit: &Audit,
    framework: &FrameworkAudit,
    control: &ControlAudit,
    rule: RuleId,
    level: Level,
    reason: String,
) -> Violation {
    let evidence: Vec<EvidenceCited> = control
        .evidence
        .iter()
        .take(EVIDENCE_CITED)
        .map(|used| {
            let e = &audit.evidence[used.index];
            EvidenceCited {
                id: audit.evidence_label(used),
                title: e.title.clone(),
                source: e.origin.to_string(),
                collected: e.collected,
            }
        })
        .collect();
    let anchor = match control.evidence.first() {
        Some(latest) => Anchor::Evidence(audit.evidence[latest.index].origin.clone()),
        None => Anchor::Framework(framework.id.clone()),
    };
    Violation {
        rule,
        level,
        framework: Some(framework.id.clone()),
        control: Some(control.id.clone()),
        title: control.title.clone(),
        responsibility: control.responsibility,
        status: Some(control.status),
        reason,
        owner: control.owner.clone(),
        due: control.due,
        evidence,
        evidence_count: control.evidence.len(),
        baseline: None,
        anchor,
    }
}
