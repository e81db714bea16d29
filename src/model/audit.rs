//! Model: the finished audit of one project at its as-of date, which every renderer reads.

use crate::load::evidence::{Origin, Outcome};
use crate::load::project::Tier;
use crate::model::layer::{Layer, Owner, Responsibility, ServiceModel};
use crate::model::status::Status;
use chrono::NaiveDate;
use std::collections::BTreeMap;

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
    pub attestations: Vec<HeldAttestation>,
    pub exceptions: Vec<Exception>,
    pub evidence: Vec<Evidence>,
    pub reported: Vec<ReportedRow>,
    pub rows_read: usize,
    /// Things the run noticed that are not errors (skipped sheets, matrix versions).
    pub notes: Vec<String>,
    /// The provider matrices used, as `provider: name version`.
    pub matrices: Vec<MatrixUsed>,
    /// What a focused document keeps, when it is one.
    pub focus: Option<String>,
    /// Controls a focused document leaves out, counted, with why.
    pub left_out: Vec<LeftOut>,
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
}

/// A provider attestation the team holds.
#[derive(Debug)]
pub struct HeldAttestation {
    pub provider: String,
    pub report: String,
    pub name: String,
    pub frameworks: Vec<String>,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub bridge_letter_until: Option<NaiveDate>,
    pub obtained_from: Option<String>,
}

impl HeldAttestation {
    /// The last day the provider vouches for: the report period, or its bridge letter.
    pub fn covered_until(&self) -> NaiveDate {
        self.bridge_letter_until
            .map_or(self.period_end, |b| b.max(self.period_end))
    }

    /// `2025-04-01 to 2026-03-31, bridged to 2026-09-30`.
    pub fn period_text(&self) -> String {
        match self.bridge_letter_until {
            Some(b) if b > self.period_end => format!(
                "{} to {}, bridged to {b}",
                self.period_start, self.period_end
            ),
            _ => format!("{} to {}", self.period_start, self.period_end),
        }
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
    /// In-scope controls it counts for, directly or through common controls.
    pub reached: Vec<Reached>,
}

/// An in-scope control a row counts for.
#[derive(Debug, Clone)]
pub struct Reached {
    pub framework: String,
    pub control: String,
    pub full: bool,
    pub via: Option<String>,
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
    pub fn rows_mapped(&self) -> usize {
        self.evidence.len()
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
        for a in self
            .attestations
            .iter()
            .filter(|a| a.covered_until() >= self.as_of && a.covered_until() <= horizon)
        {
            soon.push(format!(
                "{} ({}) covers only until {}",
                a.name,
                a.provider.to_uppercase(),
                a.covered_until()
            ));
        }
        soon
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
