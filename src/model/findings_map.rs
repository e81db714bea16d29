//! Model: scanner findings resolved to controls and summarised per control.
//!
//! Each control a scanner names gets one piece of evidence per scanner file: how
//! many resources pass and fail its checks at their latest result, and which
//! fail worst. A control fails when any resource fails its latest check;
//! results the scanner could not assess (MANUAL, NOT_AVAILABLE) are not passes.

use crate::diag::Problem;
use crate::load::evidence::{Origin, Outcome};
use crate::load::findings::{CheckResult, FindingsRead, ScanStatus, Severity};
use crate::load::project::{MutedFindings, Project};
use crate::model::assemble::Settings;
use crate::model::audit::{Evidence, FindingSummary, ScanAudit, UnresolvedKey};
use crate::model::library::ControlKey;
use crate::model::scanner_ids::not_held_note;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// How many failing resources a control's summary names; the rest are counted.
pub const WORST_NAMED: usize = 5;

/// Per `[[evidence]]` entry: check id to the controls audit.toml adds for it.
pub(crate) type CheckMaps = BTreeMap<usize, HashMap<String, Vec<ControlKey>>>;

/// Resolve the `checks` tables of scanner sources; unknown controls are settings errors.
pub(crate) fn resolve_check_maps(
    project: &Project,
    settings: &Settings,
    problems: &mut Vec<Problem>,
) -> CheckMaps {
    let library = settings.library;
    let lookup = settings.reference_scope();
    let mut maps = CheckMaps::new();
    for (index, source) in project.file.evidence.iter().enumerate() {
        for (check, references) in &source.checks {
            for reference in references {
                match library.resolve(reference.get_ref(), None, &lookup) {
                    Ok(key) => maps
                        .entry(index)
                        .or_default()
                        .entry(check.clone())
                        .or_default()
                        .push(key),
                    Err(message) => problems.push(project.problem(reference.span(), message)),
                }
            }
        }
    }
    maps
}

/// One resource's standing on one control: the worst of its checks' latest results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Standing {
    Pass,
    Unknown,
    /// Fails, but the finding is muted and audit.toml counts muted findings as exceptions.
    Excepted,
    Fail,
}

#[derive(Debug, Clone, Copy)]
struct ResourceResult {
    standing: Standing,
    severity: Severity,
    time: i64,
}

/// Turn every scanner file into per-control evidence and a summary of what it held.
pub(crate) fn map_findings(
    reads: Vec<(usize, FindingsRead)>,
    check_maps: &CheckMaps,
    project: &Project,
    settings: &Settings,
) -> (Vec<Evidence>, Vec<ScanAudit>) {
    let mut evidence = Vec::new();
    let mut scans = Vec::new();
    for (source, read) in reads {
        let muted = project.file.evidence[source].muted;
        let empty = HashMap::new();
        let extra = check_maps.get(&source).unwrap_or(&empty);
        let (named, mut scan) = resolve_checks(read, extra, settings);
        let mut counted: BTreeSet<ControlKey> = BTreeSet::new();
        for (key, resources) in aggregate(&scan.results, &named, muted) {
            if let Some(e) = control_evidence(key, &resources, &scan, settings) {
                counted.insert(key);
                evidence.push(e);
            }
        }
        for (keys, record) in named.iter().zip(&scan.results.checks) {
            if keys.iter().any(|k| counted.contains(k)) {
                scan.in_scope += record.findings;
            } else if keys.is_empty() {
                scan.unmapped += record.findings;
            } else {
                scan.outside_scope += record.findings;
            }
        }
        set_aside(&mut scan);
        scans.push(scan);
    }
    evidence.sort_by(|a, b| a.id.cmp(&b.id));
    (evidence, scans)
}

/// Findings the reader set aside (an advisor's cost advice, a not-applicable assessment)
/// count as outside the audit's scope, each reason listed with its count.
fn set_aside(scan: &mut ScanAudit) {
    for (reason, findings) in &scan.results.set_aside {
        scan.outside_scope += findings;
        scan.unresolved.push(UnresolvedKey {
            key: "set aside".to_string(),
            findings: *findings,
            ids: BTreeSet::new(),
            why: reason.clone(),
        });
    }
}

/// The controls each check names (through the scanner's ids and audit.toml's `checks`),
/// with what did not resolve counted per scanner framework key.
fn resolve_checks(
    read: FindingsRead,
    extra: &HashMap<String, Vec<ControlKey>>,
    settings: &Settings,
) -> (Vec<Vec<ControlKey>>, ScanAudit) {
    let library = settings.library;
    let mut named = Vec::with_capacity(read.checks.len());
    let mut unresolved: BTreeMap<String, UnresolvedKey> = BTreeMap::new();
    let mut by_framework: BTreeMap<String, u64> = BTreeMap::new();
    for check in &read.checks {
        // audit.toml's `checks` for a check replace the shipped mapping of it.
        let own = extra.get(&check.id);
        let mut keys: Vec<ControlKey> = match (own, read.format.check_mapping()) {
            (Some(own), _) => own.clone(),
            (None, Some(_)) if read.format.mapping_is_fallback() => Vec::new(),
            (None, Some(mapping)) => library.shipped_checks.controls(mapping, &check.id).to_vec(),
            (None, None) => Vec::new(),
        };
        let mut named_by_scanner = false;
        // Key by key: what a key resolves through is looked up once, not per id (one
        // finding may name 100,000 ids under one key).
        for (key, ids) in &check.requirements {
            let mapping = read.format.requirement_mapping(key);
            let framework = library.scanner.framework(key);
            let mut missing = Vec::new();
            for id in ids {
                match (mapping, framework) {
                    (Some(mapping), _) => match library.shipped_checks.controls(mapping, id) {
                        [] => missing.push(id),
                        mapped => keys.extend_from_slice(mapped),
                    },
                    (None, Some(framework)) => match library.scanner.resolve_in(framework, id) {
                        Some(k) => {
                            named_by_scanner = true;
                            keys.push(k);
                        }
                        None => missing.push(id),
                    },
                    (None, None) => missing.push(id),
                }
            }
            if missing.is_empty() {
                continue;
            }
            let entry = unresolved
                .entry(key.clone())
                .or_insert_with(|| UnresolvedKey {
                    key: key.clone(),
                    findings: 0,
                    ids: BTreeSet::new(),
                    why: match (mapping, framework) {
                        (Some(mapping), _) => format!("not in the shipped {mapping} mapping"),
                        (None, Some(framework)) => {
                            format!("ids not found in {}", library.catalogs[framework].id)
                        }
                        (None, None) => not_held_note(key),
                    },
                });
            entry.ids.extend(missing.into_iter().cloned());
            entry.findings += check.findings;
        }
        // Prowler's shipped mapping stands in only where its own list named none of ours.
        if own.is_none()
            && !named_by_scanner
            && read.format.mapping_is_fallback()
            && let Some(mapping) = read.format.check_mapping()
        {
            keys.extend_from_slice(library.shipped_checks.controls(mapping, &check.id));
        }
        keys.sort();
        keys.dedup();
        let frameworks: BTreeSet<&str> = keys
            .iter()
            .map(|k| library.catalogs[k.framework].id.as_str())
            .collect();
        for f in frameworks {
            *by_framework.entry(f.to_string()).or_default() += check.findings;
        }
        named.push(keys);
    }
    let check_controls = named
        .iter()
        .map(|keys| keys.iter().map(|k| library.display(*k)).collect())
        .collect();
    let scan = ScanAudit {
        newest: read
            .newest()
            .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
            .map(|d| d.date_naive()),
        findings: read.findings,
        dropped: read.dropped,
        dropped_examples: read
            .dropped_examples
            .iter()
            .map(|p| format!("{}: {}", p.location, p.message))
            .collect(),
        by_framework: by_framework.into_iter().collect(),
        unresolved: unresolved.into_values().collect(),
        in_scope: 0,
        outside_scope: 0,
        unmapped: 0,
        check_controls,
        results: read,
    };
    (named, scan)
}

/// Each named control's resources at the worst of their checks' latest results.
fn aggregate(
    read: &FindingsRead,
    named: &[Vec<ControlKey>],
    muted: MutedFindings,
) -> BTreeMap<ControlKey, HashMap<u32, ResourceResult>> {
    let mut per_control: BTreeMap<ControlKey, HashMap<u32, ResourceResult>> = BTreeMap::new();
    for &CheckResult {
        check,
        resource,
        latest,
    } in &read.latest
    {
        let keys = &named[check as usize];
        if keys.is_empty() {
            continue;
        }
        let standing = match latest.status {
            ScanStatus::Pass => Standing::Pass,
            ScanStatus::Unknown => Standing::Unknown,
            ScanStatus::Fail if latest.muted && muted == MutedFindings::Exception => {
                Standing::Excepted
            }
            ScanStatus::Fail => Standing::Fail,
        };
        let result = ResourceResult {
            standing,
            severity: if standing >= Standing::Excepted {
                latest.severity
            } else {
                Severity::default()
            },
            time: latest.time,
        };
        for key in keys {
            per_control
                .entry(*key)
                .or_default()
                .entry(resource)
                .and_modify(|held| {
                    if (result.standing, result.severity) > (held.standing, held.severity) {
                        held.standing = result.standing;
                        held.severity = result.severity;
                    }
                    held.time = held.time.max(result.time);
                })
                .or_insert(result);
        }
    }
    per_control
}

/// The evidence one scanner file gives one control, if the control reaches the audit's scope.
fn control_evidence(
    key: ControlKey,
    resources: &HashMap<u32, ResourceResult>,
    scan: &ScanAudit,
    settings: &Settings,
) -> Option<Evidence> {
    let library = settings.library;
    let reached = library.reach(key, &settings.frameworks);
    if reached.is_empty() {
        return None;
    }
    let count = |s: Standing| resources.values().filter(|r| r.standing == s).count() as u64;
    let mut failing: Vec<(Severity, &str)> = resources
        .iter()
        .filter(|(_, r)| r.standing == Standing::Fail)
        .map(|(i, r)| (r.severity, scan.results.resources[*i as usize].as_str()))
        .collect();
    failing.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    let summary = FindingSummary {
        scanner: scan.results.format.scanner(),
        resources: resources.len() as u64,
        pass: count(Standing::Pass),
        fail: count(Standing::Fail),
        unknown: count(Standing::Unknown),
        excepted: count(Standing::Excepted),
        worst: failing
            .iter()
            .take(WORST_NAMED)
            .map(|(s, r)| (r.to_string(), s.label().to_string()))
            .collect(),
    };
    let outcome = if summary.fail > 0 {
        Outcome::Fail
    } else if summary.unknown > 0 {
        Outcome::Partial
    } else {
        Outcome::Pass
    };
    let newest = resources.values().map(|r| r.time).filter(|t| *t > 0).max();
    let collected: Option<NaiveDate> = newest
        .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
        .map(|d| d.date_naive());
    let path = scan.results.path.clone();
    let display = library.display(key);
    Some(Evidence {
        id: format!("{}: {display}", path.display()),
        title: format!("{} scan: {}", summary.scanner, summary.sentence()),
        origin: Origin {
            path,
            sheet: None,
            row: 0,
        },
        description: summary.worst_text(),
        owner: None,
        collected,
        expires: None,
        outcome,
        outcome_stated: true,
        link: None,
        reviewer: None,
        controls: vec![(
            library.catalogs[key.framework].id.clone(),
            library.control(key).id.clone(),
        )],
        reached,
        findings: Some(Box::new(summary)),
    })
}
