//! Model: which provider reports back which framework, how each kind of document
//! is valid, and what the documents a team holds back over the audit period.
//!
//! The rules are data (`frameworks/attestations.toml`): a SOC 2 report backs SOC 2,
//! ISO 27001 and CIS, not PCI DSS; HIPAA needs a BAA beside an independent report.
//! Each kind is valid in its own way: a Type 2 report covers its examined period and
//! exists only once that period has ended, and the days after it that only a bridge
//! letter covers are relied on, never attested; a certificate is valid between issue
//! and expiry; an AOC is current for a year from its date; a BAA is an agreement in
//! force, evidence of no control (`model::validity` checks each document's dates
//! and says which days it backs). The days judged are the audit period's up to
//! the as-of date: no document speaks for days that have not happened.

use crate::load::project::Opinion;
use crate::model::audit::HeldAttestation;
use crate::model::validity::{Backed, Claim, cover, judged, uncovered};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The rules file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportRules {
    pub bridge_letter: BridgeLetterRule,
    pub opinions: Vec<OpinionRule>,
    pub schemes: Vec<Scheme>,
    pub rules: Vec<Rule>,
}

/// What a bridge (or continued operations) letter may do.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BridgeLetterRule {
    /// The words for the days only a bridge letter covers.
    pub claim: String,
    /// A letter reaching further past its report's period than this is a
    /// warning, printed beside each control it backs.
    pub longest_months: u32,
    pub source: String,
}

/// What a service auditor's opinion lets a report back.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpinionRule {
    pub id: Opinion,
    pub backs: bool,
    /// Printed beside each control a report with this opinion backs.
    #[serde(default)]
    pub shown: Option<String>,
    pub source: String,
}

/// How a kind of document is valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ValidityKind {
    /// A report on an examined period of operation (SOC 1/2/3 Type 2), issued after it ends.
    ExaminedPeriod,
    /// Valid from its issue date to its expiry (an ISO certificate).
    Certificate,
    /// Current for a number of months from its date (a PCI DSS AOC).
    CurrentFromDate,
    /// An agreement in force (a BAA): evidence of no control.
    Agreement,
}

impl ValidityKind {
    /// As `frameworks/attestations.toml` and the snapshot write it.
    pub fn id(self) -> &'static str {
        match self {
            ValidityKind::ExaminedPeriod => "examined-period",
            ValidityKind::Certificate => "certificate",
            ValidityKind::CurrentFromDate => "current-from-date",
            ValidityKind::Agreement => "agreement",
        }
    }
}

/// A kind of report or agreement.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scheme {
    pub id: String,
    pub name: String,
    pub validity: ValidityKind,
    /// The words the package prints for what a document of this kind backs.
    pub claim: String,
    /// Whether a bridge (or continued operations) letter may follow its period.
    pub bridge_letters: bool,
    /// How long a `current-from-date` document stays current.
    #[serde(default)]
    pub current_months: Option<u32>,
    #[serde(default)]
    pub note: Option<String>,
    pub source: String,
    /// Where its validity rule comes from, or that it is reasoned.
    pub validity_source: String,
}

/// Which reports back one framework's inherited controls.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub framework: String,
    /// One report of any of these schemes.
    pub any_of: Vec<String>,
    /// And one of each of these, too (HIPAA: a BAA).
    #[serde(default)]
    pub requires: Vec<String>,
    pub reason: String,
    pub source: String,
}

/// A part of the estate whose layers a provider owns or shares for a control.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Provided {
    pub provider: String,
    /// How reports name the provider: `AWS`.
    pub provider_name: String,
    /// The service id (`ec2`), or the vendor (a colocation site's operator) whose reports cover it.
    pub service: String,
    /// How reports name it: `EC2`.
    pub name: String,
}

/// One part of the estate's provider side: the documents behind it and the
/// words the package prints, or why it is not backed.
#[derive(Debug, Clone)]
pub struct PartSide {
    pub part: Provided,
    pub backed: bool,
    /// Indexes into `Audit::attestations` of the documents relied on.
    pub documents: Vec<usize>,
    /// What the documents back, in the words of `frameworks/attestations.toml`,
    /// or why they do not.
    pub words: String,
}

/// The provider side of one control: backed, with the documents; or not, with why.
#[derive(Debug, Clone)]
pub struct ProviderSide {
    /// Held documents back every part on every day judged.
    pub backed: bool,
    pub reason: String,
    /// Documents relied on, as `name (dates)`.
    pub reports: Vec<String>,
    pub parts: Vec<PartSide>,
}

impl ReportRules {
    pub fn scheme(&self, id: &str) -> Option<&Scheme> {
        self.schemes.iter().find(|s| s.id == id)
    }

    pub fn rule(&self, framework: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.framework == framework)
    }

    pub fn opinion(&self, id: Opinion) -> Option<&OpinionRule> {
        self.opinions.iter().find(|o| o.id == id)
    }

    /// Problems in the rules themselves: a rule naming a scheme that does not
    /// exist, an agreement accepted alone, an opinion without its rule.
    pub fn check(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for rule in &self.rules {
            for id in rule.any_of.iter().chain(&rule.requires) {
                if self.scheme(id).is_none() {
                    problems.push(format!(
                        "the rule for {} names report kind \"{id}\", which no [[schemes]] entry defines",
                        rule.framework
                    ));
                }
            }
            for id in &rule.any_of {
                if self
                    .scheme(id)
                    .is_some_and(|s| s.validity == ValidityKind::Agreement)
                {
                    problems.push(format!(
                        "the rule for {} accepts \"{id}\" alone; an agreement evidences no control, so it may only be required beside a report (requires)",
                        rule.framework
                    ));
                }
            }
        }
        for scheme in &self.schemes {
            if scheme.bridge_letters && scheme.validity != ValidityKind::ExaminedPeriod {
                problems.push(format!(
                    "scheme \"{}\" has bridge letters, which follow only an examined period",
                    scheme.id
                ));
            }
            if scheme.validity == ValidityKind::CurrentFromDate && scheme.current_months.is_none() {
                problems.push(format!(
                    "scheme \"{}\" is current from its date but says for how long nowhere (current_months)",
                    scheme.id
                ));
            }
        }
        for opinion in Opinion::ALL {
            if self.opinion(opinion).is_none() {
                problems.push(format!(
                    "no [[opinions]] entry says what a report with a {} opinion backs",
                    opinion.id()
                ));
            }
        }
        problems
    }

    /// Whether the held documents back `framework` for every part of the estate
    /// in `provided` on every day of the period up to `as_of`, and why.
    pub fn provider_side(
        &self,
        framework: &str,
        provided: &[Provided],
        held: &[HeldAttestation],
        period: (NaiveDate, NaiveDate),
        as_of: NaiveDate,
    ) -> ProviderSide {
        let unbacked = |reason: String| ProviderSide {
            backed: false,
            reason,
            reports: Vec::new(),
            parts: Vec::new(),
        };
        if provided.is_empty() {
            return unbacked("no provider or vendor in scope runs any part of it".to_string());
        }
        let Some(rule) = self.rule(framework) else {
            return unbacked(format!("no rule says which reports back {framework}"));
        };
        let window = judged(period, as_of);
        let for_framework: Vec<(usize, &HeldAttestation)> = held
            .iter()
            .enumerate()
            .filter(|(_, h)| h.frameworks.iter().any(|f| f == framework))
            .collect();
        let mut parts = Vec::new();
        let mut phrases: Vec<String> = Vec::new();
        let mut reports: Vec<String> = Vec::new();
        let mut gaps: Vec<String> = Vec::new();
        for part in provided {
            match self.backing(rule, part, &for_framework, window, as_of) {
                Ok(pieces) => {
                    let mut documents: Vec<usize> = Vec::new();
                    for piece in &pieces {
                        if !documents.contains(&piece.document) {
                            documents.push(piece.document);
                        }
                    }
                    let words = self.phrases(held, &pieces);
                    for &d in &documents {
                        let name = format!("{} ({})", held[d].name, held[d].period_text());
                        if !reports.contains(&name) {
                            reports.push(name);
                        }
                    }
                    for phrase in &words {
                        if !phrases.contains(phrase) {
                            phrases.push(phrase.clone());
                        }
                    }
                    parts.push(PartSide {
                        part: part.clone(),
                        backed: true,
                        documents,
                        words: words.join("; "),
                    });
                }
                Err(why) => {
                    if !gaps.contains(&why) {
                        gaps.push(why.clone());
                    }
                    parts.push(PartSide {
                        part: part.clone(),
                        backed: false,
                        documents: Vec::new(),
                        words: why,
                    });
                }
            }
        }
        if gaps.is_empty() {
            let covered: Vec<&str> = provided.iter().map(|p| p.name.as_str()).collect();
            ProviderSide {
                backed: true,
                reason: format!("{} for {}", phrases.join("; "), covered.join(", ")),
                reports,
                parts,
            }
        } else {
            ProviderSide {
                backed: false,
                reason: gaps.join("; "),
                reports,
                parts,
            }
        }
    }

    /// The words for what each document backs, one phrase per document in the
    /// order they first back a day: `attested by AWS SOC 2 Type II report
    /// (2025-10-01 to 2026-09-30), then relied on (bridge letter) for 2026-10-01
    /// to 2026-12-15`; `certified: ...`; `agreement in force: ...`.
    pub fn phrases(&self, held: &[HeldAttestation], pieces: &[Backed]) -> Vec<String> {
        let mut order: Vec<usize> = Vec::new();
        for piece in pieces {
            if !order.contains(&piece.document) {
                order.push(piece.document);
            }
        }
        order
            .into_iter()
            .map(|d| {
                let runs: Vec<&Backed> = pieces.iter().filter(|p| p.document == d).collect();
                self.phrase(&held[d], &runs)
            })
            .collect()
    }

    /// The words for the runs of days one document backs.
    fn phrase(&self, h: &HeldAttestation, runs: &[&Backed]) -> String {
        let end = h.period_end.map_or(String::new(), |e| e.to_string());
        let days = |claim: Claim| -> Vec<String> {
            runs.iter()
                .filter(|r| r.claim == claim)
                .map(|r| format!("{} to {}", r.from, r.to))
                .collect()
        };
        let with = |mut notes: Vec<String>| {
            notes.extend(h.caveats.iter().cloned());
            notes.join("; ")
        };
        let attested = days(Claim::Attested);
        let bridged = days(Claim::Bridge);
        let bridge = &self.bridge_letter.claim;
        match h.validity {
            ValidityKind::ExaminedPeriod if bridged.is_empty() => format!(
                "{} {} ({})",
                h.claim,
                h.name,
                with(vec![format!("{} to {end}", h.period_start)])
            ),
            ValidityKind::ExaminedPeriod if attested.is_empty() => {
                let b = h.bridge_letter_until.map_or(end.clone(), |b| b.to_string());
                let mut notes = vec![format!("{} to {end}, bridged to {b}", h.period_start)];
                notes.extend(h.bridge_caveat.clone());
                format!(
                    "{bridge} for {}: {} ({})",
                    bridged.join(", "),
                    h.name,
                    with(notes)
                )
            }
            ValidityKind::ExaminedPeriod => {
                let caveat = h
                    .bridge_caveat
                    .as_ref()
                    .map_or(String::new(), |c| format!(" ({c})"));
                format!(
                    "{} {} ({}), then {bridge} for {}{caveat}",
                    h.claim,
                    h.name,
                    with(vec![format!("{} to {end}", h.period_start)]),
                    bridged.join(", ")
                )
            }
            ValidityKind::Agreement => format!(
                "{}: {} ({})",
                h.claim,
                h.name,
                with(vec![match h.period_end {
                    Some(e) => format!("{} to {e}", h.period_start),
                    None => format!("from {}", h.period_start),
                }])
            ),
            ValidityKind::Certificate | ValidityKind::CurrentFromDate => {
                format!("{}: {} ({})", h.claim, h.name, with(vec![h.period_text()]))
            }
        }
    }

    /// The documents that back `rule` for one part of the estate, or why none does.
    fn backing(
        &self,
        rule: &Rule,
        part: &Provided,
        held: &[(usize, &HeldAttestation)],
        window: (NaiveDate, NaiveDate),
        as_of: NaiveDate,
    ) -> Result<Vec<Backed>, String> {
        let of_provider: Vec<(usize, &HeldAttestation)> = held
            .iter()
            .copied()
            .filter(|(_, h)| h.provider == part.provider)
            .collect();
        let mut pieces = self.one_of(&rule.any_of, part, &of_provider, window, as_of)?;
        for required in &rule.requires {
            pieces.extend(self.one_of(
                std::slice::from_ref(required),
                part,
                &of_provider,
                window,
                as_of,
            )?);
        }
        Ok(pieces)
    }

    /// The held documents of one of `schemes` that back the part on every day
    /// judged, or why none does.
    fn one_of(
        &self,
        schemes: &[String],
        part: &Provided,
        held: &[(usize, &HeldAttestation)],
        window: (NaiveDate, NaiveDate),
        as_of: NaiveDate,
    ) -> Result<Vec<Backed>, String> {
        let wanted: Vec<String> = schemes
            .iter()
            .map(|s| self.scheme(s).map_or(s.clone(), |s| s.name.clone()))
            .collect();
        let wanted = wanted.join(" or ");
        let of_kind: Vec<(usize, &HeldAttestation)> = held
            .iter()
            .copied()
            .filter(|(_, h)| schemes.contains(&h.scheme))
            .collect();
        if of_kind.is_empty() {
            return Err(format!(
                "no {wanted} from {} is held for {}",
                part.provider_name, part.name
            ));
        }
        let in_scope: Vec<(usize, &HeldAttestation)> = of_kind
            .iter()
            .copied()
            .filter(|(_, h)| h.services.contains(&part.service))
            .collect();
        if in_scope.is_empty() {
            let names: Vec<&str> = of_kind.iter().map(|(_, h)| h.name.as_str()).collect();
            return Err(format!(
                "{} is outside the scope of {}",
                part.name,
                names.join(" and ")
            ));
        }
        cover(&in_scope, window, as_of)
    }
}

impl ReportRules {
    /// Say, for every held document, what it backs over the days judged and
    /// which frameworks it counts for only beside a document not held.
    pub fn describe(
        &self,
        held: &mut [HeldAttestation],
        period: (NaiveDate, NaiveDate),
        as_of: NaiveDate,
    ) {
        let window = judged(period, as_of);
        let described: Vec<(String, Vec<(String, String)>)> = held
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let coverage = match cover(&[(i, h)], window, as_of) {
                    Ok(pieces) => self.phrases(held, &pieces).join("; "),
                    Err(_) => uncovered(h, window, as_of).unwrap_or_default(),
                };
                (coverage, self.needs(h, held, window, as_of))
            })
            .collect();
        for (h, (coverage, needs)) in held.iter_mut().zip(described) {
            h.coverage = coverage;
            h.needs = needs;
        }
    }

    /// The frameworks `h` counts for whose rule requires another kind of
    /// document beside it that the same provider's documents do not give for
    /// its services over the days judged.
    fn needs(
        &self,
        h: &HeldAttestation,
        held: &[HeldAttestation],
        window: (NaiveDate, NaiveDate),
        as_of: NaiveDate,
    ) -> Vec<(String, String)> {
        let mut needs = Vec::new();
        if h.is_agreement() {
            return needs;
        }
        for framework in &h.frameworks {
            let Some(rule) = self.rule(framework) else {
                continue;
            };
            if !rule.any_of.contains(&h.scheme) {
                continue;
            }
            for required in &rule.requires {
                let name = self.scheme(required).map_or(required.as_str(), |s| &s.name);
                let candidates: Vec<&HeldAttestation> = held
                    .iter()
                    .filter(|g| g.provider == h.provider && g.scheme == *required)
                    .filter(|g| g.services.iter().any(|s| h.services.contains(s)))
                    .collect();
                let why = match candidates.as_slice() {
                    [] => Some(format!("no {name} is held beside it")),
                    found if found.iter().all(|g| uncovered(g, window, as_of).is_some()) => {
                        Some(format!("no {name} is in force over the audit period"))
                    }
                    _ => None,
                };
                if let Some(why) = why {
                    needs.push((framework.clone(), why));
                }
            }
        }
        needs
    }
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

    /// A document held for EC2, as the rules would accept it.
    fn held(scheme: &str, start: &str, end: Option<&str>, bridge: Option<&str>) -> HeldAttestation {
        let kind = rules().scheme(scheme).unwrap().clone();
        HeldAttestation {
            provider: "aws".into(),
            report: scheme.into(),
            scheme: scheme.into(),
            name: format!("AWS {scheme}"),
            services: vec!["ec2".into()],
            validity: kind.validity,
            claim: kind.claim.clone(),
            frameworks: ["soc2", "iso27001", "pci-dss", "hipaa", "cis"]
                .map(String::from)
                .into(),
            period_start: date(start),
            period_end: end.map(date),
            issued: None,
            bridge_letter_until: bridge.map(date),
            opinion: None,
            exceptions: Vec::new(),
            caveats: Vec::new(),
            bridge_caveat: None,
            backs_nothing: None,
            coverage: String::new(),
            needs: Vec::new(),
            obtained_from: None,
        }
    }

    fn ec2() -> Vec<Provided> {
        vec![Provided {
            provider: "aws".into(),
            provider_name: "AWS".into(),
            service: "ec2".into(),
            name: "EC2".into(),
        }]
    }

    const Q3: (NaiveDate, NaiveDate) = (
        NaiveDate::from_ymd_opt(2026, 7, 1).unwrap(),
        NaiveDate::from_ymd_opt(2026, 9, 30).unwrap(),
    );
    const AS_OF: NaiveDate = NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();

    #[test]
    fn the_shipped_rules_are_consistent() {
        assert_eq!(rules().check(), Vec::<String>::new());
    }

    #[test]
    fn an_agreement_accepted_alone_is_an_error_in_the_rules() {
        let mut rules = rules();
        rules.rules[0].any_of.push("hipaa-baa".into());
        assert!(
            rules.check()[0].contains("an agreement evidences no control"),
            "{:?}",
            rules.check()
        );
    }

    #[test]
    fn a_soc2_report_backs_cis_but_not_pci() {
        let soc2 = [held(
            "soc2-type2",
            "2025-07-01",
            Some("2026-06-30"),
            Some("2026-09-30"),
        )];
        let cis = rules().provider_side("cis", &ec2(), &soc2, Q3, AS_OF);
        assert!(cis.backed, "{}", cis.reason);
        let pci = rules().provider_side("pci-dss", &ec2(), &soc2, Q3, AS_OF);
        assert_eq!(
            pci.reason,
            "no PCI DSS Attestation of Compliance from AWS is held for EC2"
        );
    }

    #[test]
    fn days_only_a_bridge_letter_covers_are_relied_on_never_attested() {
        let soc2 = [held(
            "soc2-type2",
            "2025-09-01",
            Some("2026-08-31"),
            Some("2026-09-30"),
        )];
        let side = rules().provider_side("soc2", &ec2(), &soc2, Q3, AS_OF);
        assert!(side.backed);
        assert_eq!(
            side.reason,
            "attested by AWS soc2-type2 (2025-09-01 to 2026-08-31), then relied on (bridge letter) for 2026-09-01 to 2026-09-30 for EC2"
        );
        // A report that ended before the period: every day is the bridge letter's.
        let mut old = held(
            "soc2-type2",
            "2025-04-01",
            Some("2026-03-31"),
            Some("2026-09-30"),
        );
        old.bridge_caveat =
            Some("bridge letter 183 days past the examined period, longer than 3 months".into());
        let side = rules().provider_side("soc2", &ec2(), &[old], Q3, AS_OF);
        assert!(!side.reason.contains("attested"), "{}", side.reason);
        assert_eq!(
            side.reason,
            "relied on (bridge letter) for 2026-07-01 to 2026-09-30: AWS soc2-type2 (2025-04-01 to 2026-03-31, bridged to 2026-09-30; bridge letter 183 days past the examined period, longer than 3 months) for EC2"
        );
    }

    #[test]
    fn a_newer_report_is_preferred_over_a_bridge_letter_on_the_days_it_examined() {
        let both = [
            held(
                "soc2-type2",
                "2025-01-01",
                Some("2025-12-31"),
                Some("2026-09-30"),
            ),
            held("soc2-type2", "2025-08-01", Some("2026-07-31"), None),
        ];
        let side = rules().provider_side("soc2", &ec2(), &both, Q3, AS_OF);
        let claims: Vec<(usize, Claim, NaiveDate, NaiveDate)> = match rules().backing(
            rules().rule("soc2").unwrap(),
            &ec2()[0],
            &[(0, &both[0]), (1, &both[1])],
            Q3,
            AS_OF,
        ) {
            Ok(pieces) => pieces
                .iter()
                .map(|p| (p.document, p.claim, p.from, p.to))
                .collect(),
            Err(e) => panic!("{e}"),
        };
        assert_eq!(
            claims,
            [
                (1, Claim::Attested, date("2026-07-01"), date("2026-07-31")),
                (0, Claim::Bridge, date("2026-08-01"), date("2026-09-30")),
            ],
            "{}",
            side.reason
        );
    }

    #[test]
    fn a_report_ending_mid_period_names_the_days_it_leaves() {
        let soc2 = [held("soc2-type2", "2025-04-01", Some("2026-08-15"), None)];
        let side = rules().provider_side("soc2", &ec2(), &soc2, Q3, AS_OF);
        assert!(!side.backed);
        assert_eq!(
            side.reason,
            "AWS soc2-type2 ends 2026-08-15 with no bridge letter: 2026-08-16 to 2026-09-30 of the audit period is not covered"
        );
        let bridged = [held(
            "soc2-type2",
            "2025-04-01",
            Some("2026-08-15"),
            Some("2026-09-15"),
        )];
        let side = rules().provider_side("soc2", &ec2(), &bridged, Q3, AS_OF);
        assert_eq!(
            side.reason,
            "AWS soc2-type2 is bridged only to 2026-09-15: 2026-09-16 to 2026-09-30 of the audit period is not covered"
        );
    }

    #[test]
    fn the_days_judged_stop_at_the_as_of_date() {
        let soc2 = [held(
            "soc2-type2",
            "2025-07-01",
            Some("2026-06-30"),
            Some("2026-08-15"),
        )];
        let mid_quarter = date("2026-08-15");
        let side = rules().provider_side("soc2", &ec2(), &soc2, Q3, mid_quarter);
        assert!(side.backed, "{}", side.reason);
        assert!(
            side.reason.contains("for 2026-07-01 to 2026-08-15"),
            "{}",
            side.reason
        );
    }

    #[test]
    fn an_aoc_is_current_for_a_year_from_its_date_not_over_a_period() {
        // Dated in the middle of the period: January and February are not "uncovered".
        let mut aoc = held("pci-dss-aoc", "2026-08-01", Some("2027-07-31"), None);
        let side = rules().provider_side("pci-dss", &ec2(), std::slice::from_ref(&aoc), Q3, AS_OF);
        assert!(side.backed, "{}", side.reason);
        assert_eq!(
            side.reason,
            "current AOC: AWS pci-dss-aoc (dated 2026-08-01, current to 2027-07-31) for EC2"
        );
        // Lapsed before the as-of date: not current.
        aoc.period_start = date("2025-08-01");
        aoc.period_end = Some(date("2026-07-31"));
        let side = rules().provider_side("pci-dss", &ec2(), &[aoc], Q3, AS_OF);
        assert_eq!(
            side.reason,
            "AWS pci-dss-aoc is current only to 2026-07-31, not at the as-of date 2026-09-30"
        );
    }

    #[test]
    fn an_aoc_backs_only_the_services_it_lists() {
        let mut aoc = held("pci-dss-aoc", "2026-03-01", Some("2027-02-28"), None);
        aoc.services = vec!["rds".into()];
        let side = rules().provider_side("pci-dss", &ec2(), &[aoc], Q3, AS_OF);
        assert_eq!(side.reason, "EC2 is outside the scope of AWS pci-dss-aoc");
    }

    #[test]
    fn a_certificate_is_certified_between_issue_and_expiry() {
        let cert = [held("iso27001", "2024-06-01", Some("2027-05-31"), None)];
        let side = rules().provider_side("iso27001", &ec2(), &cert, Q3, AS_OF);
        assert_eq!(
            side.reason,
            "certified: AWS iso27001 (2024-06-01 to 2027-05-31) for EC2"
        );
        let expired = [held("iso27001", "2023-08-01", Some("2026-07-31"), None)];
        let side = rules().provider_side("iso27001", &ec2(), &expired, Q3, AS_OF);
        assert_eq!(
            side.reason,
            "AWS iso27001 expires 2026-07-31: 2026-08-01 to 2026-09-30 of the audit period is not covered"
        );
    }

    #[test]
    fn hipaa_needs_a_baa_in_force_listing_the_service_and_the_baa_backs_nothing_alone() {
        let soc2 = held(
            "soc2-type2",
            "2025-07-01",
            Some("2026-06-30"),
            Some("2026-09-30"),
        );
        let side = rules().provider_side("hipaa", &ec2(), std::slice::from_ref(&soc2), Q3, AS_OF);
        assert_eq!(
            side.reason,
            "no HIPAA Business Associate Agreement from AWS is held for EC2"
        );
        let mut baa = held("hipaa-baa", "2024-01-01", None, None);
        baa.services = vec!["rds".into()];
        let side = rules().provider_side("hipaa", &ec2(), &[soc2.clone(), baa.clone()], Q3, AS_OF);
        assert_eq!(side.reason, "EC2 is outside the scope of AWS hipaa-baa");
        baa.services = vec!["ec2".into()];
        let side = rules().provider_side("hipaa", &ec2(), &[soc2, baa.clone()], Q3, AS_OF);
        assert!(side.backed);
        assert!(
            side.reason
                .ends_with("; agreement in force: AWS hipaa-baa (from 2024-01-01) for EC2"),
            "{}",
            side.reason
        );
        // The agreement alone: no report, so nothing is backed.
        let side = rules().provider_side("hipaa", &ec2(), &[baa], Q3, AS_OF);
        assert!(!side.backed);
        assert_eq!(
            side.reason,
            "no SOC 2 Type 2 report or ISO/IEC 27001 certificate or HITRUST r2 certification from AWS is held for EC2"
        );
    }

    #[test]
    fn a_report_backs_hipaa_only_beside_a_baa_and_the_tables_say_so() {
        let rules = rules();
        let mut held_docs = vec![held(
            "soc2-type2",
            "2025-07-01",
            Some("2026-06-30"),
            Some("2026-09-30"),
        )];
        rules.describe(&mut held_docs, Q3, AS_OF);
        assert_eq!(
            held_docs[0].backs_text(),
            "soc2, iso27001, pci-dss, cis; not hipaa: no HIPAA Business Associate Agreement is held beside it"
        );
        held_docs.push(held("hipaa-baa", "2024-01-01", None, None));
        rules.describe(&mut held_docs, Q3, AS_OF);
        assert_eq!(
            held_docs[0].backs_text(),
            "soc2, iso27001, pci-dss, hipaa, cis"
        );
        assert_eq!(
            held_docs[1].backs_text(),
            "none by itself: an agreement, required beside a report for soc2, iso27001, pci-dss, hipaa, cis"
        );
        assert_eq!(
            held_docs[1].coverage,
            "agreement in force: AWS hipaa-baa (from 2024-01-01)"
        );
    }

    #[test]
    fn an_adverse_opinion_backs_nothing_and_a_qualified_one_is_shown() {
        let mut soc2 = held(
            "soc2-type2",
            "2025-07-01",
            Some("2026-06-30"),
            Some("2026-09-30"),
        );
        soc2.caveats = vec!["qualified opinion".into()];
        let side = rules().provider_side("soc2", &ec2(), std::slice::from_ref(&soc2), Q3, AS_OF);
        assert!(side.backed);
        assert!(
            side.reason
                .contains("2026-06-30, bridged to 2026-09-30; qualified opinion)"),
            "{}",
            side.reason
        );
        soc2.backs_nothing = Some("carries an adverse opinion, which backs nothing".into());
        let side = rules().provider_side("soc2", &ec2(), &[soc2], Q3, AS_OF);
        assert!(!side.backed);
        assert_eq!(
            side.reason,
            "AWS soc2-type2 carries an adverse opinion, which backs nothing"
        );
    }
}
