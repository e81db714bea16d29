//! Model: which provider reports back which framework, and whether the reports a
//! team holds cover a service over the whole audit period.
//!
//! The rules are data (`frameworks/attestations.toml`): a SOC 2 report backs SOC 2,
//! ISO 27001 and CIS, not PCI DSS; HIPAA needs a BAA beside an independent report;
//! an ISO certificate has no bridge letter. A report counts for a service only if
//! the service is in its scope and it covers every day of the audit period.

use crate::model::audit::HeldAttestation;
use chrono::NaiveDate;
use serde::Deserialize;

/// The rules file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportRules {
    pub schemes: Vec<Scheme>,
    pub rules: Vec<Rule>,
}

/// A kind of report or agreement.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scheme {
    pub id: String,
    pub name: String,
    /// Whether a bridge (or continued operations) letter may extend its period.
    pub bridge_letters: bool,
    /// An agreement (a BAA), not a report on controls.
    #[serde(default)]
    pub agreement: bool,
    #[serde(default)]
    pub note: Option<String>,
    pub source: String,
}

impl Scheme {
    /// The last day a held report of this kind named `name` covers, and what is
    /// wrong with its dates: a report needs an end (an agreement may be open-ended),
    /// must not end before it starts, and has a bridge letter only where its kind does.
    pub fn check_period(
        &self,
        name: &str,
        start: NaiveDate,
        end: Option<NaiveDate>,
        bridge_letter: Option<NaiveDate>,
    ) -> (Option<NaiveDate>, Vec<String>) {
        let mut problems = Vec::new();
        let end = match (end, self.agreement) {
            (Some(end), _) => Some(end),
            (None, true) => Some(crate::model::audit::OPEN_ENDED),
            (None, false) => {
                problems.push(format!(
                    "{name} ({}) needs period_end: the last day it covers",
                    self.name
                ));
                None
            }
        };
        if end.is_some_and(|end| start > end) {
            problems.push(format!("{name}: the report period starts after it ends"));
        }
        if bridge_letter.is_some() && !self.bridge_letters {
            problems.push(format!(
                "{name} has no bridge letters: a {} covers only its own period; hold the current one",
                self.name
            ));
        }
        (end, problems)
    }
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

/// The provider side of one control: backed, with the reports; or not, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderSide {
    pub attested: bool,
    pub reason: String,
    /// Reports relied on, as `name (period)`.
    pub reports: Vec<String>,
}

impl ReportRules {
    pub fn scheme(&self, id: &str) -> Option<&Scheme> {
        self.schemes.iter().find(|s| s.id == id)
    }

    pub fn rule(&self, framework: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.framework == framework)
    }

    /// Problems in the rules themselves: a rule naming a scheme that does not exist.
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
        }
        problems
    }

    /// Whether the held reports back `framework` for every part of the estate
    /// in `provided` over the period, and why.
    pub fn provider_side(
        &self,
        framework: &str,
        provided: &[Provided],
        held: &[HeldAttestation],
        period: (NaiveDate, NaiveDate),
    ) -> ProviderSide {
        if provided.is_empty() {
            return ProviderSide {
                attested: false,
                reason: "no provider or vendor in scope runs any part of it".to_string(),
                reports: Vec::new(),
            };
        }
        let Some(rule) = self.rule(framework) else {
            return ProviderSide {
                attested: false,
                reason: format!("no rule says which reports back {framework}"),
                reports: Vec::new(),
            };
        };
        let mut reports = Vec::new();
        let mut gaps = Vec::new();
        let for_framework: Vec<&HeldAttestation> = held
            .iter()
            .filter(|h| h.frameworks.iter().any(|f| f == framework))
            .collect();
        for part in provided {
            match self.backing(rule, part, &for_framework, period) {
                Ok(names) => {
                    for name in names {
                        if !reports.contains(&name) {
                            reports.push(name);
                        }
                    }
                }
                Err(why) => gaps.push(why),
            }
        }
        if gaps.is_empty() {
            let covered: Vec<&str> = provided.iter().map(|p| p.name.as_str()).collect();
            ProviderSide {
                attested: true,
                reason: format!(
                    "attested by {} for {}",
                    reports.join("; "),
                    covered.join(", ")
                ),
                reports,
            }
        } else {
            gaps.dedup();
            ProviderSide {
                attested: false,
                reason: gaps.join("; "),
                reports,
            }
        }
    }

    /// The reports that back `rule` for one part of the estate, or why none does.
    fn backing(
        &self,
        rule: &Rule,
        part: &Provided,
        held: &[&HeldAttestation],
        period: (NaiveDate, NaiveDate),
    ) -> Result<Vec<String>, String> {
        let of_provider: Vec<&HeldAttestation> = held
            .iter()
            .copied()
            .filter(|h| h.provider == part.provider)
            .collect();
        let mut names = Vec::new();
        let report = self.one_of(&rule.any_of, part, &of_provider, period)?;
        names.push(report);
        for required in &rule.requires {
            names.push(self.one_of(std::slice::from_ref(required), part, &of_provider, period)?);
        }
        Ok(names)
    }

    /// A held report of one of `schemes` that covers the part over the period, or why none does.
    fn one_of(
        &self,
        schemes: &[String],
        part: &Provided,
        held: &[&HeldAttestation],
        period: (NaiveDate, NaiveDate),
    ) -> Result<String, String> {
        let wanted: Vec<String> = schemes
            .iter()
            .map(|s| self.scheme(s).map_or(s.clone(), |s| s.name.clone()))
            .collect();
        let wanted = wanted.join(" or ");
        let of_kind: Vec<&&HeldAttestation> = held
            .iter()
            .filter(|h| schemes.contains(&h.scheme))
            .collect();
        if of_kind.is_empty() {
            return Err(format!(
                "no {wanted} from {} is held for {}",
                part.provider_name, part.name
            ));
        }
        let in_scope: Vec<&&&HeldAttestation> = of_kind
            .iter()
            .filter(|h| h.services.contains(&part.service))
            .collect();
        if in_scope.is_empty() {
            let names: Vec<&str> = of_kind.iter().map(|h| h.name.as_str()).collect();
            return Err(format!(
                "{} is outside the scope of {}",
                part.name,
                names.join(" and ")
            ));
        }
        let reports: Vec<&HeldAttestation> = in_scope.iter().map(|h| ***h).collect();
        cover(&reports, period)
    }
}

/// The reports that together cover every day of `period` (successive reports
/// may hand over to each other), or the days they leave uncovered.
fn cover(
    reports: &[&HeldAttestation],
    (start, end): (NaiveDate, NaiveDate),
) -> Result<String, String> {
    if let [one] = reports {
        return match one.uncovered((start, end)) {
            None => Ok(format!("{} ({})", one.name, one.period_text())),
            Some(gap) => Err(format!("{} {gap}", one.name)),
        };
    }
    let mut used: Vec<&HeldAttestation> = Vec::new();
    let mut day = start;
    while day <= end {
        let next = reports
            .iter()
            .filter(|h| h.period_start <= day && h.covered_until() >= day)
            .max_by_key(|h| h.covered_until());
        match next {
            Some(h) => {
                used.push(h);
                match h.covered_until().succ_opt() {
                    Some(after) => day = after,
                    None => break,
                }
            }
            None => {
                let resumes = reports
                    .iter()
                    .map(|h| h.period_start)
                    .filter(|d| *d > day)
                    .min()
                    .and_then(|d| d.pred_opt())
                    .map_or(end, |d| d.min(end));
                let names: Vec<&str> = reports.iter().map(|h| h.name.as_str()).collect();
                return Err(format!(
                    "{} leave {day} to {resumes} of the audit period not covered",
                    names.join(" and ")
                ));
            }
        }
    }
    let named: Vec<String> = used
        .iter()
        .map(|h| format!("{} ({})", h.name, h.period_text()))
        .collect();
    Ok(named.join(" then "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> ReportRules {
        toml::from_str(include_str!("../../frameworks/attestations.toml")).unwrap()
    }

    fn held(
        scheme: &str,
        services: &[&str],
        start: &str,
        end: Option<&str>,
        bridge: Option<&str>,
    ) -> HeldAttestation {
        let date = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
        HeldAttestation {
            provider: "aws".into(),
            report: scheme.into(),
            scheme: scheme.into(),
            name: format!("AWS {scheme}"),
            services: services.iter().map(|s| s.to_string()).collect(),
            agreement: scheme == "hipaa-baa",
            frameworks: ["soc2", "iso27001", "pci-dss", "hipaa", "cis"]
                .map(String::from)
                .into(),
            period_start: date(start),
            period_end: end.map_or(crate::model::audit::OPEN_ENDED, date),
            bridge_letter_until: bridge.map(date),
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

    #[test]
    fn the_shipped_rules_name_only_known_schemes() {
        assert_eq!(rules().check(), Vec::<String>::new());
    }

    #[test]
    fn a_soc2_report_backs_cis_but_not_pci() {
        let soc2 = [held(
            "soc2-type2",
            &["ec2"],
            "2025-10-01",
            Some("2026-09-30"),
            None,
        )];
        let cis = rules().provider_side("cis", &ec2(), &soc2, Q3);
        assert!(cis.attested, "{}", cis.reason);
        let pci = rules().provider_side("pci-dss", &ec2(), &soc2, Q3);
        assert_eq!(
            pci.reason,
            "no PCI DSS Attestation of Compliance from AWS is held for EC2"
        );
    }

    #[test]
    fn a_report_ending_mid_period_names_the_days_it_leaves() {
        let soc2 = [held(
            "soc2-type2",
            &["ec2"],
            "2025-04-01",
            Some("2026-08-15"),
            None,
        )];
        let side = rules().provider_side("soc2", &ec2(), &soc2, Q3);
        assert!(!side.attested);
        assert_eq!(
            side.reason,
            "AWS soc2-type2 ends 2026-08-15 with no bridge letter: 2026-08-16 to 2026-09-30 of the audit period is not covered"
        );
        let bridged = [held(
            "soc2-type2",
            &["ec2"],
            "2025-04-01",
            Some("2026-03-31"),
            Some("2026-09-30"),
        )];
        assert!(rules().provider_side("soc2", &ec2(), &bridged, Q3).attested);
    }

    #[test]
    fn successive_reports_cover_the_period_together() {
        let aoc = |start, end| held("pci-dss-aoc", &["ec2"], start, Some(end), None);
        let both = [
            aoc("2025-08-01", "2026-07-31"),
            aoc("2026-08-01", "2027-07-31"),
        ];
        let side = rules().provider_side("pci-dss", &ec2(), &both, Q3);
        assert!(side.attested, "{}", side.reason);
        let gap = [
            aoc("2025-08-01", "2026-07-31"),
            aoc("2026-08-15", "2027-08-14"),
        ];
        let side = rules().provider_side("pci-dss", &ec2(), &gap, Q3);
        assert_eq!(
            side.reason,
            "AWS pci-dss-aoc and AWS pci-dss-aoc leave 2026-08-01 to 2026-08-14 of the audit period not covered"
        );
    }

    #[test]
    fn hipaa_needs_a_baa_listing_the_service() {
        let soc2 = held(
            "soc2-type2",
            &["ec2"],
            "2025-10-01",
            Some("2026-09-30"),
            None,
        );
        let side = rules().provider_side("hipaa", &ec2(), std::slice::from_ref(&soc2), Q3);
        assert_eq!(
            side.reason,
            "no HIPAA Business Associate Agreement from AWS is held for EC2"
        );
        let baa = held("hipaa-baa", &["rds"], "2024-01-01", None, None);
        let side = rules().provider_side("hipaa", &ec2(), &[soc2.clone(), baa], Q3);
        assert_eq!(side.reason, "EC2 is outside the scope of AWS hipaa-baa");
        let baa = held("hipaa-baa", &["ec2"], "2024-01-01", None, None);
        assert!(
            rules()
                .provider_side("hipaa", &ec2(), &[soc2, baa], Q3)
                .attested
        );
    }
}
