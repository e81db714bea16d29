//! Model: the finished audit of one project at its as-of date, which every renderer reads.

use crate::load::evidence::{Origin, Outcome};
use crate::load::project::Tier;
use crate::model::layer::{Layer, Owner, Responsibility, ServiceModel};
use crate::model::library::Reach;
use crate::model::status::Status;
use chrono::NaiveDate;
use std::collections::BTreeMap;

pub use crate::model::reports::ValidityKind;

/// Everything a package says about one project.
#[derive(Debug)]
pub struct Audit {
    pub organization: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub as_of: NaiveDate,
    pub default_freshness_days: u32,
    pub frameworks: Vec<FrameworkAudit>,
    pub inventory: Vec<InventoryItem>,
    /// The organization's own premises.
    pub sites: Vec<crate::model::site::Site>,
    /// Vendors (subservice organizations), with their CUECs decided.
    pub vendors: Vec<crate::model::vendors::Vendor>,
    pub attestations: Vec<HeldAttestation>,
    pub exceptions: Vec<Exception>,
    pub evidence: Vec<Evidence>,
    pub reported: Vec<ReportedRow>,
    pub rows_read: usize,
    /// Things the run noticed that are not errors (skipped sheets, matrix versions).
    pub notes: Vec<String>,
    /// Problems in the settings that do not stop the build (a bridge letter
    /// longer than the rules expect), each where it is written.
    pub warnings: Vec<crate::diag::Problem>,
    /// The provider matrices used, as `provider: name version`.
    pub matrices: Vec<MatrixUsed>,
    /// Scanner files read, with how their findings were accounted for.
    pub scans: Vec<ScanAudit>,
    /// What a focused document keeps, when it is one.
    pub focus: Option<String>,
    /// Controls a focused document leaves out, counted, with why.
    pub left_out: Vec<LeftOut>,
    /// The shipped incident scenarios run over the whole audit (before any focus);
    /// `None` until the command that loads the project runs them.
    pub tabletop: Option<crate::model::tabletop::Tabletop>,
    /// Services the scans saw that the inventory does not declare, and the reverse.
    pub drift: crate::model::drift::Drift,
}

/// Controls of one responsibility that a focused document leaves out.
#[derive(Debug, Clone)]
pub struct LeftOut {
    pub framework: String,
    pub responsibility: String,
    pub count: usize,
    pub why: String,
}

#[derive(Debug, Clone)]
pub struct MatrixUsed {
    pub provider: String,
    pub name: String,
    pub version: String,
    pub reviewed: Option<NaiveDate>,
    /// Where its owners come from, for the services in scope.
    pub sources: crate::model::provider::SourcesUsed,
}

/// One framework in scope, with every control's result.
#[derive(Debug)]
pub struct FrameworkAudit {
    pub id: String,
    pub name: String,
    pub version: String,
    pub publisher: String,
    pub scope_tag: Option<String>,
    /// Top-level families in catalog order: (id, name).
    pub families: Vec<(String, String)>,
    pub controls: Vec<ControlAudit>,
    /// Parts of the estate in scope that a provider or vendor runs and that no
    /// held report backs for this framework, with why (a PHI service outside
    /// the BAA, a CDE service outside the AOC, a report ending mid-period).
    pub provider_gaps: Vec<String>,
    /// Which reports back this framework's inherited controls, and why.
    pub report_rule: String,
}

/// One control's responsibility and status, with the reasons for both.
#[derive(Debug)]
pub struct ControlAudit {
    pub id: String,
    pub title: String,
    pub description: String,
    /// Top-level family id.
    pub family: String,
    pub layers: Vec<Layer>,
    pub attributes: BTreeMap<String, String>,
    /// None where the control is not applicable (no service in scope).
    pub responsibility: Option<Responsibility>,
    pub rationale: String,
    pub pinned: bool,
    pub status: Status,
    pub status_reason: String,
    pub owner: Option<String>,
    pub backup_owner: Option<String>,
    /// The evidence that counts for it, newest first.
    pub evidence: Vec<EvidenceUse>,
    pub last_collected: Option<NaiveDate>,
    /// When fresh evidence is next due: last collected plus the window.
    pub due: Option<NaiveDate>,
    pub freshness_days: u32,
    /// Names of the held attestations the provider side relies on.
    pub attestations: Vec<String>,
    /// Vendors whose layers the control touches: their CUECs are the other half of it.
    pub vendors: Vec<String>,
    /// The parts of the estate whose provider owns or shares a layer the control
    /// touches (empty for a customer control): the provider side of it.
    pub provided: Vec<crate::model::reports::Provided>,
    /// Per part of the estate in `provided`: the held documents behind it and
    /// what they back, in the words every output prints.
    pub backing: Vec<crate::model::reports::PartSide>,
    /// Index into `Audit::exceptions`.
    pub exception: Option<usize>,
}

/// One piece of evidence counting for a control.
#[derive(Debug, Clone)]
pub struct EvidenceUse {
    /// Index into `Audit::evidence`.
    pub index: usize,
    /// Fully meets the control; false where it came through an `intersects` link.
    pub full: bool,
    /// The common control it came through, when the row named another control.
    pub via: Option<String>,
}

/// A workload of the inventory, with who owns each layer for it.
#[derive(Debug)]
pub struct InventoryItem {
    pub name: String,
    pub provider: String,
    pub provider_name: String,
    pub service: String,
    pub service_name: String,
    pub model: ServiceModel,
    pub tier: Option<Tier>,
    pub tags: Vec<String>,
    pub owners: Vec<(Layer, Owner)>,
    /// Where each owner comes from: (layer, document, where in it).
    pub sources: Vec<(Layer, String, String)>,
}

/// A provider report (or agreement) the team holds, with its dates checked
/// against the rules for its kind (`model::reports`).
#[derive(Debug, Clone)]
pub struct HeldAttestation {
    pub provider: String,
    pub report: String,
    /// The kind of report (`soc2-type2`), as `frameworks/attestations.toml` names it.
    pub scheme: String,
    pub name: String,
    /// The provider services in its scope (a BAA: those eligible under it).
    pub services: Vec<String>,
    /// How its kind is valid: over an examined period, between issue and
    /// expiry, for a year from its date, or in force as an agreement.
    pub validity: ValidityKind,
    /// The words the package prints for what it backs (`attested by`, `certified`).
    pub claim: String,
    /// The frameworks whose rules accept its kind of report.
    pub frameworks: Vec<String>,
    /// The first day it covers: an examined period's start, a certificate's
    /// issue date, an AOC's date, the day an agreement took effect.
    pub period_start: NaiveDate,
    /// The last day it covers: an examined period's end, a certificate's expiry,
    /// the last day an AOC is current; `None` for an agreement still in force.
    pub period_end: Option<NaiveDate>,
    /// The date the report was issued, where the team recorded it.
    pub issued: Option<NaiveDate>,
    pub bridge_letter_until: Option<NaiveDate>,
    /// The service auditor's opinion, where given.
    pub opinion: Option<crate::load::project::Opinion>,
    /// The provider controls the report found exceptions in.
    pub exceptions: Vec<String>,
    /// Printed beside every control it backs: a qualified opinion, exceptions noted.
    pub caveats: Vec<String>,
    /// Printed beside every control its bridge letter backs: a bridge letter
    /// reaching further past the period than the rules expect.
    pub bridge_caveat: Option<String>,
    /// Why it backs nothing (an adverse opinion, a disclaimer), when it does not.
    pub backs_nothing: Option<String>,
    /// What it backs over the days judged, in the words every output prints,
    /// or the days it leaves uncovered.
    pub coverage: String,
    /// Frameworks its kind counts for whose rule needs another document beside
    /// it that is not held: (framework, why). A SOC 2 report backs HIPAA only
    /// beside a BAA in force.
    pub needs: Vec<(String, String)>,
    pub obtained_from: Option<String>,
}

impl HeldAttestation {
    /// How reports name who issued it: `AWS`, or a vendor's name.
    pub fn provider_label(&self) -> String {
        match self
            .provider
            .strip_prefix(crate::model::vendors::VENDOR_PREFIX)
        {
            Some(vendor) => vendor.to_string(),
            None => self.provider.to_uppercase(),
        }
    }

    /// Issued by a vendor declared in `audit.toml`, not a cloud provider.
    pub fn is_vendor(&self) -> bool {
        self.provider
            .starts_with(crate::model::vendors::VENDOR_PREFIX)
    }

    /// An agreement (a BAA): evidence of no control.
    pub fn is_agreement(&self) -> bool {
        self.validity == ValidityKind::Agreement
    }

    /// The frameworks it backs, as every table of held documents prints them:
    /// `soc2, iso27001, cis; not hipaa: no HIPAA Business Associate Agreement
    /// in force is held beside it`. An agreement backs none by itself.
    pub fn backs_text(&self) -> String {
        if let Some(why) = &self.backs_nothing {
            return format!("none: it {why}");
        }
        if self.is_agreement() {
            return match self.frameworks.is_empty() {
                true => "none: an agreement, evidence of no control".to_string(),
                false => format!(
                    "none by itself: an agreement, required beside a report for {}",
                    self.frameworks.join(", ")
                ),
            };
        }
        let backed: Vec<&str> = self
            .frameworks
            .iter()
            .filter(|f| !self.needs.iter().any(|(n, _)| n == *f))
            .map(String::as_str)
            .collect();
        let mut text = backed.join(", ");
        for (framework, why) in &self.needs {
            if !text.is_empty() {
                text.push_str("; ");
            }
            text.push_str(&format!("not {framework}: {why}"));
        }
        text
    }

    /// The last day the provider vouches for anything: the period, its bridge
    /// letter, the expiry, the last day an AOC is current; `None` for an
    /// agreement with no end.
    pub fn covered_until(&self) -> Option<NaiveDate> {
        let end = self.period_end?;
        Some(self.bridge_letter_until.map_or(end, |b| b.max(end)))
    }

    /// Its dates in words, as every output prints them:
    /// `2025-04-01 to 2026-03-31, bridged to 2026-06-30`, `dated 2026-03-01,
    /// current to 2027-02-28`, `in force from 2024-03-01`.
    pub fn period_text(&self) -> String {
        let mut text = match (self.validity, self.period_end) {
            (ValidityKind::Agreement, None) => format!("in force from {}", self.period_start),
            (ValidityKind::Agreement, Some(end)) => {
                format!("in force {} to {end}", self.period_start)
            }
            (ValidityKind::CurrentFromDate, Some(end)) => {
                format!("dated {}, current to {end}", self.period_start)
            }
            (_, Some(end)) => format!("{} to {end}", self.period_start),
            (_, None) => format!("from {}", self.period_start),
        };
        if let (Some(b), Some(end)) = (self.bridge_letter_until, self.period_end)
            && b > end
        {
            text.push_str(&format!(", bridged to {b}"));
        }
        text
    }
}

/// An approved deviation from a control.
#[derive(Debug)]
pub struct Exception {
    pub framework: String,
    pub control: String,
    pub reason: String,
    pub ticket: String,
    pub approver: String,
    pub approved: Option<NaiveDate>,
    pub expires: NaiveDate,
    pub expired: bool,
}

/// One evidence row that maps to controls.
#[derive(Debug)]
pub struct Evidence {
    pub id: String,
    pub title: String,
    pub origin: Origin,
    pub description: Option<String>,
    pub owner: Option<String>,
    pub collected: Option<NaiveDate>,
    pub expires: Option<NaiveDate>,
    pub outcome: Outcome,
    pub outcome_stated: bool,
    pub link: Option<String>,
    pub reviewer: Option<String>,
    /// Controls the row names, as (framework id, control id), in or out of scope.
    pub controls: Vec<(String, String)>,
    /// In-scope controls it counts for, directly or through common controls: keys
    /// into the library, not names, as there may be a million rows.
    pub reached: Vec<Reach>,
    /// Scanner results summarised for one control, where the evidence is a scan.
    /// Boxed: most evidence is spreadsheet rows, and there may be a million of them.
    pub findings: Option<Box<FindingSummary>>,
}

/// What one scanner file says about one control, over all resources its checks ran on.
#[derive(Debug, Clone)]
pub struct FindingSummary {
    pub scanner: &'static str,
    pub resources: u64,
    pub pass: u64,
    pub fail: u64,
    /// MANUAL, NOT_AVAILABLE and the like: not passes.
    pub unknown: u64,
    /// Failing but muted, counted as exceptions because audit.toml says so.
    pub excepted: u64,
    /// The worst failing resources, as (resource, severity), worst first.
    pub worst: Vec<(String, String)>,
}

impl FindingSummary {
    /// `38 of 40 resources pass, 2 fail`.
    pub fn sentence(&self) -> String {
        let mut parts = vec![format!(
            "{} of {} resource{} pass",
            self.pass,
            self.resources,
            if self.resources == 1 { "" } else { "s" }
        )];
        if self.fail > 0 {
            parts.push(format!("{} fail", self.fail));
        }
        if self.unknown > 0 {
            parts.push(format!("{} not assessed (manual)", self.unknown));
        }
        if self.excepted > 0 {
            parts.push(format!("{} fail but are muted (exceptions)", self.excepted));
        }
        parts.join(", ")
    }

    /// `failing: bucket-a (high), bucket-b (medium) and 3 more`, or None when nothing fails.
    pub fn worst_text(&self) -> Option<String> {
        if self.worst.is_empty() {
            return None;
        }
        let named: Vec<String> = self
            .worst
            .iter()
            .map(|(r, s)| format!("{r} ({s})"))
            .collect();
        let more = self.fail.saturating_sub(self.worst.len() as u64);
        Some(match more {
            0 => format!("failing: {}", named.join(", ")),
            n => format!("failing: {} and {n} more", named.join(", ")),
        })
    }
}

/// One scanner file: what it held and how every finding was accounted for.
#[derive(Debug)]
pub struct ScanAudit {
    /// The latest result per check and resource, kept for the workbook.
    pub results: crate::load::findings::FindingsRead,
    /// Per check (by index), the controls it names, as people write them.
    pub check_controls: Vec<Vec<String>>,
    pub newest: Option<NaiveDate>,
    pub findings: u64,
    pub dropped: u64,
    pub dropped_examples: Vec<String>,
    /// Findings of checks whose controls count in this audit.
    pub in_scope: u64,
    /// Findings of checks naming only controls outside the frameworks in scope.
    pub outside_scope: u64,
    /// Findings of checks naming no control auditpack holds.
    pub unmapped: u64,
    /// Findings per framework (our id) whose checks name one of its controls.
    pub by_framework: Vec<(String, u64)>,
    /// Scanner framework keys and ids that did not resolve, counted.
    pub unresolved: Vec<UnresolvedKey>,
}

impl ScanAudit {
    /// Findings read plus those dropped: every row of the file.
    pub fn rows(&self) -> u64 {
        self.findings + self.dropped
    }

    /// `scans/aws.csv (Prowler CSV): 40 findings = 30 in scope + 2 outside + 8 unmapped + 0 dropped`.
    pub fn accounting(&self) -> String {
        format!(
            "{} ({}): {} findings = {} counted + {} for controls outside the frameworks in scope + {} naming no control auditpack holds + {} dropped",
            self.results.path.display(),
            self.results.format.name(),
            self.rows(),
            self.in_scope,
            self.outside_scope,
            self.unmapped,
            self.dropped
        )
    }
}

/// A scanner framework key whose ids did not resolve.
#[derive(Debug, Clone)]
pub struct UnresolvedKey {
    pub key: String,
    /// Findings of checks naming it.
    pub findings: u64,
    pub ids: std::collections::BTreeSet<String>,
    pub why: String,
}

/// An evidence row that does not count, with every reason.
#[derive(Debug)]
pub struct ReportedRow {
    pub origin: Origin,
    pub title: Option<String>,
    pub reasons: Vec<String>,
    /// Where the first reason points: `file [Sheet] B12` or `file:12:3`.
    pub position: String,
}

impl FrameworkAudit {
    pub fn count(&self, status: Status) -> usize {
        self.controls.iter().filter(|c| c.status == status).count()
    }

    pub fn applicable(&self) -> usize {
        self.controls.len() - self.count(Status::NotApplicable)
    }

    /// Share of applicable controls met (inherited or satisfied), in percent.
    pub fn coverage(&self) -> f64 {
        let applicable = self.applicable();
        if applicable == 0 {
            return 0.0;
        }
        let covered = self
            .controls
            .iter()
            .filter(|c| c.status.is_covered())
            .count();
        100.0 * covered as f64 / applicable as f64
    }

    pub fn count_responsibility(&self, r: Responsibility) -> usize {
        self.controls
            .iter()
            .filter(|c| c.responsibility == Some(r))
            .count()
    }

    pub fn family_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.families
            .iter()
            .find(|(f, _)| f == id)
            .map_or(id, |(_, n)| n)
    }
}

impl Audit {
    /// Free every scan's per-resource results. The workbook is their only reader; the
    /// per-control summaries, counts and accounting stay. Done before the PDF, whose
    /// layout is the build's largest use of memory, so the two do not add up.
    pub fn release_scan_results(&mut self) {
        for scan in &mut self.scans {
            scan.results.latest = Vec::new();
        }
    }

    /// Spreadsheet rows that count; scanner summaries are accounted for in `scans`.
    pub fn rows_mapped(&self) -> usize {
        self.evidence
            .iter()
            .filter(|e| e.findings.is_none())
            .count()
    }

    /// Exceptions and attestations that lapse within `days` after the as-of date, as sentences.
    pub fn expiring_within(&self, days: u64) -> Vec<String> {
        let horizon = self
            .as_of
            .checked_add_days(chrono::Days::new(days))
            .unwrap_or(self.as_of);
        let mut soon = Vec::new();
        for e in self
            .exceptions
            .iter()
            .filter(|e| !e.expired && e.expires <= horizon)
        {
            soon.push(format!(
                "exception {} on {} {} expires {}",
                e.ticket, e.framework, e.control, e.expires
            ));
        }
        for a in &self.attestations {
            let Some(until) = a.covered_until() else {
                continue;
            };
            if until >= self.as_of && until <= horizon {
                soon.push(format!(
                    "{} ({}) covers only until {until}",
                    a.name,
                    a.provider_label(),
                ));
            }
        }
        soon
    }

    /// The facts a status is decided from, for each piece of evidence used.
    pub fn evidence_facts<'a>(
        &'a self,
        uses: &'a [EvidenceUse],
    ) -> Vec<crate::model::status::EvidenceFact<'a>> {
        uses.iter()
            .map(|u| {
                let e = &self.evidence[u.index];
                crate::model::status::EvidenceFact {
                    id: &e.id,
                    collected: e.collected,
                    expires: e.expires,
                    outcome: e.outcome,
                    full: u.full,
                    via: u.via.as_deref(),
                }
            })
            .collect()
    }

    /// `E-1`, or `E-1 via IAM-03` / `E-1 via IAM-03 (partial)` where it came through a link.
    pub fn evidence_label(&self, used: &EvidenceUse) -> String {
        let id = &self.evidence[used.index].id;
        match (&used.via, used.full) {
            (None, _) => id.clone(),
            (Some(via), true) => format!("{id} via {via}"),
            (Some(via), false) => format!("{id} via {via} (partial)"),
        }
    }
}
