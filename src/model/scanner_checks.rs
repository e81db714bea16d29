//! Model: shipped check mappings: a scanner's own check ids (Security Hub control
//! `IAM.6`, Checkov `CKV_AWS_19`) to the common controls their results are evidence
//! for. Each entry says where the check's meaning was read (`source`) and why it
//! serves the controls (`reason`); an entry without either does not load.

use crate::model::library::{COMMON, ControlKey, Library};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

/// One mapping file (`frameworks/scanner-checks/<scanner>.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckMappingFile {
    /// The mapping's id, as `ScanFormat::check_mapping` names it (`securityhub`).
    pub scanner: String,
    pub name: String,
    /// Where the check ids and titles were checked.
    pub source: String,
    /// How the mapping was judged.
    pub note: String,
    pub checks: Vec<CheckMapping>,
}

/// One check and the common controls its results are evidence for.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckMapping {
    pub id: String,
    /// The check's title, as the scanner's documentation gives it.
    pub title: String,
    /// Common control ids (`IAM-03`).
    pub controls: Vec<String>,
    /// Where the check's meaning was read: a page or file, with its version.
    pub source: String,
    /// Why a result of this check is evidence for these controls.
    pub reason: String,
}

/// Every shipped mapping, resolved against the common controls.
#[derive(Debug, Default)]
pub struct ShippedChecks {
    pub files: Vec<CheckMappingFile>,
    /// Per scanner: check id to common controls.
    by_scanner: BTreeMap<String, HashMap<String, Vec<ControlKey>>>,
}

impl ShippedChecks {
    /// Resolve the files against the library's common controls; problems name the file
    /// and entry (an unknown control, a missing source or reason, a repeated id).
    pub fn new(files: Vec<CheckMappingFile>, library: &Library) -> (Self, Vec<String>) {
        let mut problems = Vec::new();
        let mut by_scanner: BTreeMap<String, HashMap<String, Vec<ControlKey>>> = BTreeMap::new();
        for file in &files {
            let checks = by_scanner.entry(file.scanner.clone()).or_default();
            for check in &file.checks {
                let mut say = |m: String| {
                    problems.push(format!("{} check {}: {m}", file.scanner, check.id));
                };
                if check.source.trim().is_empty() {
                    say("no source".to_string());
                }
                if check.reason.trim().is_empty() {
                    say("no reason".to_string());
                }
                if check.controls.is_empty() {
                    say("names no control".to_string());
                }
                let mut keys = Vec::new();
                for control in &check.controls {
                    match library.control_in(COMMON, control) {
                        Some(key) => keys.push(key),
                        None => say(format!("unknown common control \"{control}\"")),
                    }
                }
                if checks.insert(check.id.clone(), keys).is_some() {
                    say("mapped twice".to_string());
                }
            }
        }
        (ShippedChecks { files, by_scanner }, problems)
    }

    /// The common controls a scanner's check counts for; none when it is not mapped.
    pub fn controls(&self, scanner: &str, check: &str) -> &[ControlKey] {
        self.by_scanner
            .get(scanner)
            .and_then(|checks| checks.get(check.trim()))
            .map_or(&[], Vec::as_slice)
    }
}
