//! Model: whether one held document is valid by the rules for its kind, and
//! which days of the audit period it backs, and how.
//!
//! `Scheme::check` reads a document's dates as `audit.toml` writes them (each
//! with its position, for errors) at the as-of date: a Type 2 report whose
//! period has not ended cannot be held, a bridge letter is dated no later than
//! the as-of date, an AOC is dated, not a period. `cover` then says, day by day,
//! which documents back a part of the estate: what an independent party
//! examined or signed before a bridge letter, which is relied on, never attested.

use crate::load::project::{Day, Opinion};
use crate::model::audit::HeldAttestation;
use crate::model::reports::{ReportRules, Scheme, ValidityKind};
use chrono::{Months, NaiveDate};
use std::ops::Range;
use toml::Spanned;

/// A held document as `audit.toml` writes it, each value with its position.
pub struct Written<'a> {
    pub name: &'a str,
    /// The entry's key (`report`, `scheme`): where a problem without a value of its own points.
    pub at: Range<usize>,
    pub period_start: Option<&'a Spanned<Day>>,
    pub period_end: Option<&'a Spanned<Day>>,
    pub issued: Option<&'a Spanned<Day>>,
    pub bridge_letter_until: Option<&'a Spanned<Day>>,
    pub opinion: Option<&'a Spanned<Opinion>>,
    pub exceptions: &'a [String],
}

/// A held document's dates and findings once the rules for its kind accept them.
#[derive(Debug, Clone)]
pub struct Dates {
    pub period_start: NaiveDate,
    pub period_end: Option<NaiveDate>,
    pub issued: Option<NaiveDate>,
    pub bridge_letter_until: Option<NaiveDate>,
    pub opinion: Option<Opinion>,
    pub caveats: Vec<String>,
    pub bridge_caveat: Option<String>,
    pub backs_nothing: Option<String>,
}

/// What the rules make of a written document: its dates when nothing is wrong
/// with them, the errors, and the warnings that do not stop it counting.
#[derive(Debug, Default)]
pub struct Checked {
    pub dates: Option<Dates>,
    pub errors: Vec<(Range<usize>, String)>,
    pub warnings: Vec<(Range<usize>, String)>,
}

fn value(day: Option<&Spanned<Day>>) -> Option<(NaiveDate, Range<usize>)> {
    day.map(|d| (d.get_ref().0, d.span()))
}

impl Scheme {
    /// Check a held document's dates against the rules for its kind, at `as_of`.
    pub fn check(&self, rules: &ReportRules, w: &Written, as_of: NaiveDate) -> Checked {
        let mut checked = Checked::default();
        let name = w.name;
        let kind = &self.name;
        let article = match kind.starts_with(['A', 'E', 'I', 'O', 'U']) {
            true => "an",
            false => "a",
        };
        let a_kind = format!("{article} {kind}");
        let mut missing: Vec<&str> = Vec::new();
        let mut require = |field: Option<(NaiveDate, Range<usize>)>, what: &'static str| {
            if field.is_none() {
                missing.push(what);
            }
            field
        };
        let start = value(w.period_start);
        let end = value(w.period_end);
        let issued = value(w.issued);
        let bridge = value(w.bridge_letter_until);
        let (start, end) = match self.validity {
            ValidityKind::ExaminedPeriod => (
                require(start, "period_start: the first day of the examined period"),
                require(end, "period_end: the last day of the examined period"),
            ),
            ValidityKind::Certificate => (
                require(start, "period_start: the date the certificate was issued"),
                require(end, "period_end: the date it expires"),
            ),
            ValidityKind::CurrentFromDate => {
                let months = self.current_months.unwrap_or(12);
                for (field, span) in [("period_start", &start), ("period_end", &end)] {
                    if let Some((_, span)) = span {
                        checked.errors.push((
                            span.clone(),
                            format!(
                                "{name}: {a_kind} is current for {months} months from its date, not over a period; give its date as issued, without {field}"
                            ),
                        ));
                    }
                }
                let date = require(issued.clone(), "issued: the date it was signed");
                let end = date.as_ref().and_then(|(d, span)| {
                    d.checked_add_months(Months::new(months))
                        .and_then(|d| d.pred_opt())
                        .map(|e| (e, span.clone()))
                });
                (date, end)
            }
            ValidityKind::Agreement => {
                (require(start, "period_start: the day it took effect"), end)
            }
        };
        let errors = &mut checked.errors;
        errors.extend(
            missing
                .into_iter()
                .map(|what| (w.at.clone(), format!("{name} needs {what}"))),
        );
        if let Some((b, span)) = &bridge
            && !self.bridge_letters
        {
            let why = match self.validity {
                ValidityKind::CurrentFromDate => "is current for a year from its date",
                ValidityKind::Agreement => "is in force until it ends",
                _ => "covers only its own period",
            };
            errors.push((
                span.clone(),
                format!(
                    "{name} has no bridge letters: {a_kind} {why}; hold the current one (bridge letter to {b})"
                ),
            ));
        }
        if self.validity != ValidityKind::ExaminedPeriod {
            if let Some(o) = w.opinion {
                errors.push((
                    o.span(),
                    format!("{name}: {a_kind} carries no service auditor's opinion; only an examined report (SOC 1, 2 or 3 Type 2) does"),
                ));
            }
            if !w.exceptions.is_empty() {
                errors.push((
                    w.at.clone(),
                    format!("{name}: {a_kind} lists no exceptions found in testing; only an examined report (SOC 1, 2 or 3 Type 2) does"),
                ));
            }
            if let (Some((_, span)), false) =
                (&issued, self.validity == ValidityKind::CurrentFromDate)
            {
                let what = match self.validity {
                    ValidityKind::Agreement => "the day it took effect",
                    _ => "its issue date",
                };
                errors.push((
                    span.clone(),
                    format!("{name}: {a_kind} is dated by period_start ({what}); drop issued"),
                ));
            }
        }
        if let (Some((s, _)), Some((e, span))) = (&start, &end)
            && s > e
        {
            errors.push((
                span.clone(),
                format!("{name}: its period starts ({s}) after it ends ({e})"),
            ));
        }
        match self.validity {
            ValidityKind::ExaminedPeriod => {
                if let Some((e, span)) = &end
                    && *e >= as_of
                {
                    errors.push((
                        span.clone(),
                        format!(
                            "{name}: its examined period ends {e}, on or after the as-of date {as_of}; {a_kind} is issued after its period ends, so it cannot be held yet (hold the previous report, with a bridge letter)"
                        ),
                    ));
                }
                if let Some((i, span)) = &issued {
                    if *i > as_of {
                        errors.push((
                            span.clone(),
                            format!("{name} is dated {i}, after the as-of date {as_of}: it cannot be held yet"),
                        ));
                    } else if let Some((e, _)) = &end
                        && i <= e
                    {
                        errors.push((
                            span.clone(),
                            format!("{name} is dated {i}, before its examined period ended ({e}); {a_kind} is issued after its period ends"),
                        ));
                    }
                }
            }
            ValidityKind::Certificate | ValidityKind::CurrentFromDate => {
                if let Some((s, span)) = &start
                    && *s > as_of
                {
                    errors.push((
                        span.clone(),
                        format!("{name} is dated {s}, after the as-of date {as_of}: it cannot be held yet"),
                    ));
                }
            }
            ValidityKind::Agreement => {}
        }
        let mut bridge_caveat = None;
        if let (Some((b, span)), Some((e, _)), true) = (&bridge, &end, self.bridge_letters) {
            let longest = rules.bridge_letter.longest_months;
            if *b > as_of {
                errors.push((
                    span.clone(),
                    format!("{name}: its bridge letter runs to {b}, after the as-of date {as_of}; a bridge letter vouches for days already past, so it is dated no later than the as-of date"),
                ));
            } else if b <= e {
                errors.push((
                    span.clone(),
                    format!("{name}: its bridge letter ({b}) does not reach past the examined period's end ({e}); a bridge letter covers the days after it"),
                ));
            } else if e
                .checked_add_months(Months::new(longest))
                .is_some_and(|limit| *b > limit)
            {
                let days = (*b - *e).num_days();
                checked.warnings.push((
                    span.clone(),
                    format!("{name}: its bridge letter runs to {b}, {days} days past the examined period's end ({e}), longer than {longest} months; hold the newer report if the provider has issued one"),
                ));
                bridge_caveat = Some(format!(
                    "bridge letter {days} days past the examined period, longer than {longest} months"
                ));
            }
        }
        let mut caveats = Vec::new();
        let mut backs_nothing = None;
        let opinion = w.opinion.map(|o| *o.get_ref());
        if let Some(o) = opinion
            && let Some(rule) = rules.opinion(o)
        {
            if !rule.backs {
                backs_nothing = Some(format!(
                    "carries {} opinion, which backs nothing",
                    match o {
                        Opinion::Disclaimer => "a disclaimer of".to_string(),
                        Opinion::Adverse => "an adverse".to_string(),
                        other => format!("a {}", other.id()),
                    }
                ));
            }
            caveats.extend(rule.shown.clone());
        }
        if !w.exceptions.is_empty() {
            caveats.push(format!("exceptions noted in {}", w.exceptions.join(", ")));
        }
        if checked.errors.is_empty()
            && let Some((start, _)) = start
        {
            checked.dates = Some(Dates {
                period_start: start,
                period_end: end.map(|(e, _)| e),
                issued: issued.map(|(i, _)| i),
                bridge_letter_until: bridge.map(|(b, _)| b),
                opinion,
                caveats,
                bridge_caveat,
                backs_nothing,
            });
        }
        checked
    }
}

/// How a document backs a run of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// Inside a report's examined period.
    Attested,
    /// After it, covered only by its bridge letter.
    Bridge,
    /// Between a certificate's issue and expiry.
    Certified,
    /// An AOC current at the as-of date.
    Current,
    /// An agreement in force.
    InForce,
}

impl Claim {
    /// Backed by what an independent party examined or signed, not a management letter.
    pub fn examined(self) -> bool {
        self != Claim::Bridge
    }
}

/// A run of days one held document backs, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backed {
    /// Index into the held documents (`Audit::attestations`).
    pub document: usize,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub claim: Claim,
}

/// The days a package judges: the audit period's, up to the as-of date.
pub fn judged((start, end): (NaiveDate, NaiveDate), as_of: NaiveDate) -> (NaiveDate, NaiveDate) {
    (start, end.min(as_of).max(start))
}

/// The runs of days one document backs, and how, at `as_of`; `window` is the
/// days judged, which an AOC current at the as-of date backs whole.
pub fn backs(
    h: &HeldAttestation,
    window: (NaiveDate, NaiveDate),
    as_of: NaiveDate,
) -> Vec<(NaiveDate, NaiveDate, Claim)> {
    use crate::model::audit::ValidityKind as V;
    if h.backs_nothing.is_some() {
        return Vec::new();
    }
    let start = h.period_start;
    match (h.validity, h.period_end) {
        (V::ExaminedPeriod, Some(end)) => {
            let mut runs = vec![(start, end, Claim::Attested)];
            if let (Some(b), Some(after)) = (h.bridge_letter_until, end.succ_opt())
                && b > end
            {
                runs.push((after, b, Claim::Bridge));
            }
            runs
        }
        (V::Certificate, Some(end)) => vec![(start, end, Claim::Certified)],
        (V::CurrentFromDate, Some(end)) if start <= as_of && as_of <= end => {
            vec![(window.0, window.1, Claim::Current)]
        }
        (V::Agreement, end) => vec![(start, end.unwrap_or(NaiveDate::MAX), Claim::InForce)],
        _ => Vec::new(),
    }
}

/// The days of `window` one document leaves uncovered at `as_of`, in words;
/// `None` when it backs every one.
pub fn uncovered(
    h: &HeldAttestation,
    window: (NaiveDate, NaiveDate),
    as_of: NaiveDate,
) -> Option<String> {
    use crate::model::audit::ValidityKind as V;
    if let Some(why) = &h.backs_nothing {
        return Some(why.clone());
    }
    let (start, end) = window;
    if h.validity == V::CurrentFromDate {
        return match backs(h, window, as_of).is_empty() {
            true => Some(format!(
                "is current only to {}, not at the as-of date {as_of}",
                h.period_end.map_or(String::new(), |e| e.to_string())
            )),
            false => None,
        };
    }
    let mut gaps = Vec::new();
    if h.period_start > start {
        let last = h.period_start.pred_opt().unwrap_or(start);
        let verb = match h.validity {
            V::Agreement => "is in force from",
            V::Certificate => "is issued",
            _ => "starts",
        };
        gaps.push(format!(
            "{verb} {}: {start} to {} of the audit period is not covered",
            h.period_start,
            last.min(end)
        ));
    }
    if let (Some(until), Some(period_end)) = (h.covered_until(), h.period_end)
        && until < end
    {
        let first = until.succ_opt().unwrap_or(end).max(start);
        let why = match (h.validity, h.bridge_letter_until) {
            (V::ExaminedPeriod, Some(b)) if b > period_end => format!("is bridged only to {b}"),
            (V::ExaminedPeriod, _) => format!("ends {period_end} with no bridge letter"),
            (V::Certificate, _) => format!("expires {period_end}"),
            _ => format!("ends {period_end}"),
        };
        gaps.push(format!(
            "{why}: {first} to {end} of the audit period is not covered"
        ));
    }
    match gaps.is_empty() {
        true => None,
        false => Some(gaps.join(", and ")),
    }
}

/// The documents that together back every day of `window` (successive reports
/// may hand over to each other), preferring what was examined over a bridge
/// letter on each day; or the days they leave uncovered.
pub fn cover(
    documents: &[(usize, &HeldAttestation)],
    window: (NaiveDate, NaiveDate),
    as_of: NaiveDate,
) -> Result<Vec<Backed>, String> {
    let runs: Vec<(usize, NaiveDate, NaiveDate, Claim)> = documents
        .iter()
        .flat_map(|(i, h)| {
            backs(h, window, as_of)
                .into_iter()
                .map(move |(from, to, claim)| (*i, from, to, claim))
        })
        .collect();
    let (start, end) = window;
    let mut pieces: Vec<Backed> = Vec::new();
    let mut day = start;
    while day <= end {
        let best = runs
            .iter()
            .filter(|(_, from, to, _)| *from <= day && *to >= day)
            .max_by_key(|(i, _, to, claim)| (claim.examined(), *to, std::cmp::Reverse(*i)));
        let Some(&(document, _, to, claim)) = best else {
            let resumes = runs
                .iter()
                .map(|(_, from, _, _)| *from)
                .filter(|d| *d > day)
                .min()
                .and_then(|d| d.pred_opt())
                .map_or(end, |d| d.min(end));
            return Err(match documents {
                [(_, one)] => match uncovered(one, window, as_of) {
                    Some(gap) => format!("{} {gap}", one.name),
                    None => format!(
                        "{} leaves {day} to {resumes} of the audit period not covered",
                        one.name
                    ),
                },
                _ => {
                    let names: Vec<&str> = documents.iter().map(|(_, h)| h.name.as_str()).collect();
                    format!(
                        "{} leave {day} to {resumes} of the audit period not covered",
                        names.join(" and ")
                    )
                }
            });
        };
        let mut until = to.min(end);
        if !claim.examined()
            && let Some(next) = runs
                .iter()
                .filter(|(_, from, _, c)| c.examined() && *from > day && *from <= until)
                .map(|(_, from, _, _)| *from)
                .min()
        {
            until = next.pred_opt().unwrap_or(until);
        }
        match pieces.last_mut() {
            Some(last) if last.document == document && last.claim == claim => last.to = until,
            _ => pieces.push(Backed {
                document,
                from: day,
                to: until,
                claim,
            }),
        }
        match until.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
    }
    Ok(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> ReportRules {
        toml::from_str(include_str!("../../frameworks/attestations.toml")).unwrap()
    }

    fn date(d: &str) -> NaiveDate {
        NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()
    }

    /// The rules' verdict on a written document at `as_of`: (errors, warnings).
    fn check(scheme: &str, toml_text: &str, as_of: &str) -> (Checked, Vec<String>, Vec<String>) {
        #[derive(serde::Deserialize)]
        struct Entry {
            period_start: Option<Spanned<Day>>,
            period_end: Option<Spanned<Day>>,
            issued: Option<Spanned<Day>>,
            bridge_letter_until: Option<Spanned<Day>>,
            opinion: Option<Spanned<Opinion>>,
            #[serde(default)]
            exceptions: Vec<String>,
        }
        let entry: Entry = toml::from_str(toml_text).unwrap();
        let written = Written {
            name: "R",
            at: 0..0,
            period_start: entry.period_start.as_ref(),
            period_end: entry.period_end.as_ref(),
            issued: entry.issued.as_ref(),
            bridge_letter_until: entry.bridge_letter_until.as_ref(),
            opinion: entry.opinion.as_ref(),
            exceptions: &entry.exceptions,
        };
        let rules = rules();
        let checked = rules
            .scheme(scheme)
            .unwrap()
            .check(&rules, &written, date(as_of));
        let errors = checked.errors.iter().map(|(_, m)| m.clone()).collect();
        let warnings = checked.warnings.iter().map(|(_, m)| m.clone()).collect();
        (checked, errors, warnings)
    }

    #[test]
    fn a_type2_report_whose_period_has_not_ended_cannot_be_held() {
        let (checked, errors, _) = check(
            "soc2-type2",
            "period_start = 2026-01-01\nperiod_end = 2026-12-31",
            "2026-10-15",
        );
        assert!(checked.dates.is_none());
        assert_eq!(
            errors,
            [
                "R: its examined period ends 2026-12-31, on or after the as-of date 2026-10-15; a SOC 2 Type 2 report is issued after its period ends, so it cannot be held yet (hold the previous report, with a bridge letter)"
            ]
        );
        // Ending on the as-of date is as impossible as ending after it.
        let (_, errors, _) = check(
            "soc2-type2",
            "period_start = 2025-10-01\nperiod_end = 2026-09-30",
            "2026-09-30",
        );
        assert_eq!(errors.len(), 1, "{errors:?}");
    }

    #[test]
    fn an_issued_date_must_fall_after_the_period_and_by_the_as_of_date() {
        let period = "period_start = 2025-04-01\nperiod_end = 2026-03-31\n";
        let (_, errors, _) = check(
            "soc2-type2",
            &format!("{period}issued = 2026-10-01"),
            "2026-09-30",
        );
        assert_eq!(
            errors,
            ["R is dated 2026-10-01, after the as-of date 2026-09-30: it cannot be held yet"]
        );
        let (_, errors, _) = check(
            "soc2-type2",
            &format!("{period}issued = 2026-03-01"),
            "2026-09-30",
        );
        assert_eq!(
            errors,
            [
                "R is dated 2026-03-01, before its examined period ended (2026-03-31); a SOC 2 Type 2 report is issued after its period ends"
            ]
        );
        let (checked, errors, _) = check(
            "soc2-type2",
            &format!("{period}issued = 2026-05-15"),
            "2026-09-30",
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(checked.dates.unwrap().issued, Some(date("2026-05-15")));
    }

    #[test]
    fn a_bridge_letter_past_the_as_of_date_is_an_error_and_a_long_one_a_warning() {
        let period = "period_start = 2025-04-01\nperiod_end = 2026-03-31\n";
        let (_, errors, _) = check(
            "soc2-type2",
            &format!("{period}bridge_letter_until = 2026-12-31"),
            "2026-09-30",
        );
        assert_eq!(
            errors,
            [
                "R: its bridge letter runs to 2026-12-31, after the as-of date 2026-09-30; a bridge letter vouches for days already past, so it is dated no later than the as-of date"
            ]
        );
        let (checked, errors, warnings) = check(
            "soc2-type2",
            &format!("{period}bridge_letter_until = 2026-09-30"),
            "2026-09-30",
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            warnings,
            [
                "R: its bridge letter runs to 2026-09-30, 183 days past the examined period's end (2026-03-31), longer than 3 months; hold the newer report if the provider has issued one"
            ]
        );
        assert_eq!(
            checked.dates.unwrap().bridge_caveat.as_deref(),
            Some("bridge letter 183 days past the examined period, longer than 3 months")
        );
        // Exactly three months is what providers issue: no warning.
        let (_, errors, warnings) = check(
            "soc2-type2",
            &format!("{period}bridge_letter_until = 2026-06-30"),
            "2026-09-30",
        );
        assert!(
            errors.is_empty() && warnings.is_empty(),
            "{errors:?} {warnings:?}"
        );
    }

    #[test]
    fn an_aoc_is_dated_not_a_period() {
        let (_, errors, _) = check(
            "pci-dss-aoc",
            "period_start = 2025-06-01\nperiod_end = 2026-05-31",
            "2026-09-30",
        );
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors.contains(&"R needs issued: the date it was signed".to_string()));
        let (checked, errors, _) = check("pci-dss-aoc", "issued = 2026-03-01", "2026-09-30");
        assert!(errors.is_empty(), "{errors:?}");
        let dates = checked.dates.unwrap();
        assert_eq!(
            (dates.period_start, dates.period_end),
            (date("2026-03-01"), Some(date("2027-02-28")))
        );
    }

    #[test]
    fn an_opinion_decides_what_a_report_backs() {
        let period = "period_start = 2025-04-01\nperiod_end = 2026-03-31\n";
        let (checked, _, _) = check(
            "soc2-type2",
            &format!("{period}opinion = \"qualified\"\nexceptions = [\"CC6.2\", \"CC7.1\"]"),
            "2026-09-30",
        );
        let dates = checked.dates.unwrap();
        assert_eq!(
            dates.caveats,
            ["qualified opinion", "exceptions noted in CC6.2, CC7.1"]
        );
        assert_eq!(dates.backs_nothing, None);
        for (opinion, words) in [
            ("adverse", "carries an adverse opinion, which backs nothing"),
            (
                "disclaimer",
                "carries a disclaimer of opinion, which backs nothing",
            ),
        ] {
            let (checked, _, _) = check(
                "soc2-type2",
                &format!("{period}opinion = \"{opinion}\""),
                "2026-09-30",
            );
            assert_eq!(checked.dates.unwrap().backs_nothing.as_deref(), Some(words));
        }
        let (_, errors, _) = check(
            "iso27001",
            "period_start = 2025-06-01\nperiod_end = 2028-05-31\nopinion = \"unqualified\"",
            "2026-09-30",
        );
        assert_eq!(
            errors,
            [
                "R: an ISO/IEC 27001 certificate carries no service auditor's opinion; only an examined report (SOC 1, 2 or 3 Type 2) does"
            ]
        );
    }
}
