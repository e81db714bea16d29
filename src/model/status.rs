//! Model: the status of one control at the as-of date, from evidence, exceptions and attestations.

use crate::load::evidence::Outcome;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a control stands at the as-of date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Provider-owned, and a held attestation covers the framework and period.
    Inherited,
    /// Provider-owned (or the provider's part of a shared control), with no held attestation.
    InheritedUnattested,
    /// The latest evidence passes and is fresh.
    Satisfied,
    /// The latest evidence passes only in part.
    Partial,
    /// Evidence exists but is older than its freshness window, or has expired.
    Stale,
    /// The latest evidence failed.
    Failing,
    /// An approved, unexpired exception.
    Exception,
    /// No evidence.
    Missing,
    /// Out of scope, with the reason.
    NotApplicable,
}

impl Status {
    pub const ALL: [Status; 9] = [
        Status::Inherited,
        Status::InheritedUnattested,
        Status::Satisfied,
        Status::Partial,
        Status::Stale,
        Status::Failing,
        Status::Exception,
        Status::Missing,
        Status::NotApplicable,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Status::Inherited => "inherited",
            Status::InheritedUnattested => "inherited-unattested",
            Status::Satisfied => "satisfied",
            Status::Partial => "partial",
            Status::Stale => "stale",
            Status::Failing => "failing",
            Status::Exception => "exception",
            Status::Missing => "missing",
            Status::NotApplicable => "not-applicable",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Inherited => "inherited",
            Status::InheritedUnattested => "inherited, unattested",
            Status::Satisfied => "satisfied",
            Status::Partial => "partial",
            Status::Stale => "stale",
            Status::Failing => "failing",
            Status::Exception => "exception",
            Status::Missing => "missing",
            Status::NotApplicable => "not applicable",
        }
    }

    /// Counts toward coverage: the control is met at the as-of date.
    pub fn is_covered(self) -> bool {
        matches!(self, Status::Inherited | Status::Satisfied)
    }

    /// Belongs in the gaps list.
    pub fn is_gap(self) -> bool {
        matches!(
            self,
            Status::InheritedUnattested
                | Status::Partial
                | Status::Stale
                | Status::Failing
                | Status::Missing
        )
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The facts about one piece of evidence that decide a status.
#[derive(Debug, Clone)]
pub struct EvidenceFact<'a> {
    pub id: &'a str,
    pub collected: Option<NaiveDate>,
    pub expires: Option<NaiveDate>,
    pub outcome: Outcome,
    /// False where it counts only in part (through an `intersects` link).
    pub full: bool,
    /// The common control it came through.
    pub via: Option<&'a str>,
}

/// The customer's side of a control. Evidence that fully meets it decides first;
/// evidence through an `intersects` link can make it partial, never satisfied.
pub fn customer_side(
    evidence: &[EvidenceFact],
    window_days: u32,
    as_of: NaiveDate,
) -> (Status, String) {
    let full: Vec<EvidenceFact> = evidence.iter().filter(|e| e.full).cloned().collect();
    let decided = latest_decides(&full, window_days, as_of);
    if decided.0 == Status::Satisfied || full.len() == evidence.len() {
        return decided;
    }
    let capped: Vec<EvidenceFact> = evidence
        .iter()
        .map(|e| {
            let mut e = e.clone();
            if !e.full && e.outcome == Outcome::Pass {
                e.outcome = Outcome::Partial;
            }
            e
        })
        .collect();
    latest_decides(&capped, window_days, as_of)
}

fn latest_decides(
    evidence: &[EvidenceFact],
    window_days: u32,
    as_of: NaiveDate,
) -> (Status, String) {
    // Latest by date; on the same date the worse result counts, so a failure is never hidden.
    let Some(latest) = evidence.iter().max_by(|a, b| {
        a.collected
            .cmp(&b.collected)
            .then(a.outcome.cmp(&b.outcome))
    }) else {
        return (Status::Missing, "no evidence".to_string());
    };
    let mut when = latest
        .collected
        .map_or("with no collected date".to_string(), |d| {
            format!("collected {d}")
        });
    if let Some(via) = latest.via {
        let how = if latest.full {
            ""
        } else {
            ", which covers it only in part"
        };
        when.push_str(&format!(", through common control {via}{how}"));
    }
    if latest.outcome == Outcome::Fail {
        return (
            Status::Failing,
            format!("latest evidence {} ({when}) failed", latest.id),
        );
    }
    if let Some(expires) = latest.expires
        && expires < as_of
    {
        return (
            Status::Stale,
            format!("latest evidence {} expired on {expires}", latest.id),
        );
    }
    let Some(collected) = latest.collected else {
        return (
            Status::Stale,
            format!(
                "latest evidence {} has no collected date, so its age is unknown",
                latest.id
            ),
        );
    };
    let age = (as_of - collected).num_days();
    if age > i64::from(window_days) {
        return (
            Status::Stale,
            format!(
                "latest evidence {} is {age} days old ({when}); the window is {window_days} days",
                latest.id
            ),
        );
    }
    if latest.outcome == Outcome::Partial {
        return (
            Status::Partial,
            format!("latest evidence {} ({when}) passed in part", latest.id),
        );
    }
    (
        Status::Satisfied,
        format!("evidence {} ({when}) passed", latest.id),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn fact(id: &str, collected: NaiveDate, outcome: Outcome) -> EvidenceFact<'_> {
        EvidenceFact {
            id,
            collected: Some(collected),
            expires: None,
            outcome,
            full: true,
            via: None,
        }
    }

    #[test]
    fn the_latest_evidence_decides() {
        let evidence = [
            fact("old", d(1, 1), Outcome::Fail),
            fact("new", d(9, 1), Outcome::Pass),
        ];
        assert_eq!(customer_side(&evidence, 90, d(9, 30)).0, Status::Satisfied);
        let evidence = [
            fact("old", d(8, 1), Outcome::Pass),
            fact("new", d(9, 1), Outcome::Fail),
        ];
        assert_eq!(customer_side(&evidence, 90, d(9, 30)).0, Status::Failing);
    }

    #[test]
    fn a_failure_on_the_same_day_wins() {
        let evidence = [
            fact("a", d(9, 1), Outcome::Pass),
            fact("b", d(9, 1), Outcome::Fail),
        ];
        assert_eq!(customer_side(&evidence, 90, d(9, 30)).0, Status::Failing);
    }

    #[test]
    fn old_or_expired_evidence_is_stale() {
        let evidence = [fact("a", d(1, 2), Outcome::Pass)];
        let (status, why) = customer_side(&evidence, 90, d(9, 30));
        assert_eq!(status, Status::Stale);
        assert!(why.contains("271 days old"), "{why}");
        let mut expired = fact("b", d(9, 1), Outcome::Pass);
        expired.expires = Some(d(9, 15));
        assert_eq!(customer_side(&[expired], 90, d(9, 30)).0, Status::Stale);
        assert_eq!(customer_side(&[], 90, d(9, 30)).0, Status::Missing);
    }

    #[test]
    fn an_intersecting_link_alone_gives_partial() {
        let mut linked = fact("a", d(9, 1), Outcome::Pass);
        linked.full = false;
        linked.via = Some("IAM-03");
        let (status, why) = customer_side(std::slice::from_ref(&linked), 90, d(9, 30));
        assert_eq!(status, Status::Partial);
        assert!(
            why.contains("through common control IAM-03, which covers it only in part"),
            "{why}"
        );
        let direct = fact("b", d(8, 1), Outcome::Pass);
        assert_eq!(
            customer_side(&[linked, direct], 90, d(9, 30)).0,
            Status::Satisfied
        );
    }
}
