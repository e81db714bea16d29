//! Load: scanner findings (Prowler, Security Hub, Checkov) read as a stream into
//! per-check, per-resource results. A million findings take the memory of the
//! estate they describe (checks × resources), not of the rows read: each row is
//! folded into the latest result for its check and resource, then dropped.

use crate::diag::{Location, Problem};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

/// The scanner output formats auditpack reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ScanFormat {
    /// Prowler's main CSV (`;`, one row per finding, a `COMPLIANCE` column).
    ProwlerCsv,
    /// Prowler's JSON-OCSF (an array of Detection Findings, `unmapped.compliance`).
    ProwlerOcsf,
    /// Prowler's per-framework compliance CSV (one row per finding and requirement).
    ProwlerComplianceCsv,
    /// AWS Security Finding Format (Security Hub, or Prowler's ASFF output).
    Asff,
    /// Prowler 3's JSON (an array of findings with `CheckID` and a `Compliance` map).
    ProwlerJson,
    /// Checkov's JSON (`checkov -o json`: one report or a list, passed and failed checks).
    Checkov,
    /// Checkov's SARIF (`checkov -o sarif`: `runs[].results`, failed and skipped checks only).
    CheckovSarif,
    /// Prowler 2's CSV (the shell version: `TITLE_ID`, `CHECK_RESULT`, no compliance column).
    Prowler2Csv,
    /// Microsoft Defender for Cloud's CSV downloads: recommendations, or regulatory compliance.
    DefenderCsv,
    /// Defender for Cloud assessments as JSON (`az security assessment list`, the REST API,
    /// Azure Resource Graph `securityresources`, regulatory compliance assessments).
    DefenderJson,
    /// Google Cloud Security Command Center findings (`gcloud scc findings list --format=json`).
    Scc,
    /// AWS Trusted Advisor check results (`aws support describe-trusted-advisor-check-result`).
    TrustedAdvisor,
    /// Azure Advisor recommendations (`az advisor recommendation list`).
    AzureAdvisor,
    /// Google Cloud Recommender recommendations (`gcloud recommender recommendations list`).
    GcpRecommender,
}

impl ScanFormat {
    pub const ALL: [ScanFormat; 14] = [
        ScanFormat::ProwlerCsv,
        ScanFormat::ProwlerOcsf,
        ScanFormat::ProwlerComplianceCsv,
        ScanFormat::Asff,
        ScanFormat::ProwlerJson,
        ScanFormat::Checkov,
        ScanFormat::CheckovSarif,
        ScanFormat::Prowler2Csv,
        ScanFormat::DefenderCsv,
        ScanFormat::DefenderJson,
        ScanFormat::Scc,
        ScanFormat::TrustedAdvisor,
        ScanFormat::AzureAdvisor,
        ScanFormat::GcpRecommender,
    ];

    /// The name used for `format` in `audit.toml`.
    pub fn id(self) -> &'static str {
        match self {
            ScanFormat::ProwlerCsv => "prowler-csv",
            ScanFormat::ProwlerOcsf => "prowler-ocsf",
            ScanFormat::ProwlerComplianceCsv => "prowler-compliance-csv",
            ScanFormat::Asff => "asff",
            ScanFormat::ProwlerJson => "prowler-json",
            ScanFormat::Checkov => "checkov-json",
            ScanFormat::CheckovSarif => "checkov-sarif",
            ScanFormat::Prowler2Csv => "prowler2-csv",
            ScanFormat::DefenderCsv => "defender-csv",
            ScanFormat::DefenderJson => "defender-json",
            ScanFormat::Scc => "scc-json",
            ScanFormat::TrustedAdvisor => "trusted-advisor-json",
            ScanFormat::AzureAdvisor => "azure-advisor-json",
            ScanFormat::GcpRecommender => "gcp-recommender-json",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ScanFormat::ProwlerCsv => "Prowler CSV",
            ScanFormat::ProwlerOcsf => "Prowler OCSF JSON",
            ScanFormat::ProwlerComplianceCsv => "Prowler compliance CSV",
            ScanFormat::Asff => "AWS Security Finding Format",
            ScanFormat::ProwlerJson => "Prowler 3 JSON",
            ScanFormat::Checkov => "Checkov JSON",
            ScanFormat::CheckovSarif => "Checkov SARIF",
            ScanFormat::Prowler2Csv => "Prowler 2 CSV",
            ScanFormat::DefenderCsv => "Defender for Cloud CSV",
            ScanFormat::DefenderJson => "Defender for Cloud JSON",
            ScanFormat::Scc => "Security Command Center JSON",
            ScanFormat::TrustedAdvisor => "Trusted Advisor JSON",
            ScanFormat::AzureAdvisor => "Azure Advisor JSON",
            ScanFormat::GcpRecommender => "Google Cloud Recommender JSON",
        }
    }

    /// The scanner that writes it, for reports.
    pub fn scanner(self) -> &'static str {
        match self {
            ScanFormat::Asff => "Security Hub",
            ScanFormat::Checkov | ScanFormat::CheckovSarif => "Checkov",
            ScanFormat::DefenderCsv | ScanFormat::DefenderJson => "Defender for Cloud",
            ScanFormat::Scc => "Security Command Center",
            ScanFormat::TrustedAdvisor => "Trusted Advisor",
            ScanFormat::AzureAdvisor => "Azure Advisor",
            ScanFormat::GcpRecommender => "Recommender",
            _ => "Prowler",
        }
    }

    /// The shipped check mapping (`frameworks/scanner-checks/<id>.toml`) for this format's check ids.
    pub fn check_mapping(self) -> Option<&'static str> {
        match self {
            ScanFormat::Asff => Some("securityhub"),
            ScanFormat::Checkov | ScanFormat::CheckovSarif => Some("checkov"),
            ScanFormat::ProwlerCsv
            | ScanFormat::ProwlerOcsf
            | ScanFormat::ProwlerComplianceCsv
            | ScanFormat::ProwlerJson
            | ScanFormat::Prowler2Csv => Some("prowler"),
            ScanFormat::DefenderCsv | ScanFormat::DefenderJson => Some("defender"),
            ScanFormat::Scc => Some("scc"),
            ScanFormat::TrustedAdvisor | ScanFormat::AzureAdvisor | ScanFormat::GcpRecommender => {
                Some("advisors")
            }
        }
    }

    /// Whether the shipped check mapping only stands in where the scanner's own
    /// requirement ids name none of auditpack's frameworks (Prowler lists its own).
    pub fn mapping_is_fallback(self) -> bool {
        self.check_mapping() == Some("prowler")
    }

    /// The shipped check mapping that resolves requirements under `key`, for formats whose
    /// findings name controls of a scheme we map rather than hold (Defender's Microsoft
    /// cloud security benchmark ids, its secure score controls).
    pub fn requirement_mapping(self, key: &str) -> Option<&'static str> {
        let defender = matches!(self, ScanFormat::DefenderCsv | ScanFormat::DefenderJson)
            && (key == MCSB_KEY || key == SECURE_SCORE_KEY || key == RECOMMENDATION_KEY);
        // Azure Advisor's security recommendations are Defender for Cloud's.
        let advisor = self == ScanFormat::AzureAdvisor && key == RECOMMENDATION_KEY;
        (defender || advisor).then_some("defender")
    }

    pub fn from_id(id: &str) -> Option<ScanFormat> {
        ScanFormat::ALL
            .into_iter()
            .find(|f| f.id().eq_ignore_ascii_case(id.trim()))
    }
}

/// How each scanner format is told apart when `format` is not set: the kind of file
/// (`csv` or `json`) and what its header or first keys must hold. Errors for a file
/// that matches none name these; the README's table of formats says the same.
pub const SCAN_DETECTION: &[(ScanFormat, &str, &str)] = &[
    (
        ScanFormat::ProwlerCsv,
        "csv",
        "a header with CHECK_ID and COMPLIANCE",
    ),
    (
        ScanFormat::ProwlerComplianceCsv,
        "csv",
        "a header with REQUIREMENTS_ID and CHECKID",
    ),
    (
        ScanFormat::Prowler2Csv,
        "csv",
        "a header with TITLE_ID and CHECK_RESULT (or RESULT and ACCOUNT_NUM)",
    ),
    (
        ScanFormat::ProwlerOcsf,
        "json",
        "\"class_uid\" or \"event_code\" keys",
    ),
    (
        ScanFormat::ProwlerJson,
        "json",
        "\"CheckID\" with \"AssessmentStartTime\" or \"FindingUniqueId\"",
    ),
    (
        ScanFormat::Asff,
        "json",
        "\"SchemaVersion\", \"Findings\" or \"aws.securityhub\"",
    ),
    (
        ScanFormat::Checkov,
        "json",
        "\"check_type\" with \"passed_checks\" or \"failed_checks\"",
    ),
    (
        ScanFormat::CheckovSarif,
        "json",
        "\"runs\" with Checkov's rule ids (\"CKV_...\") or its name",
    ),
    (
        ScanFormat::DefenderCsv,
        "csv",
        "a recommendationId, recommendationName or assessmentKey column with resourceId and state",
    ),
    (
        ScanFormat::DefenderJson,
        "json",
        "\"Microsoft.Security/assessments\", \"regulatoryComplianceAssessments\" or \"resourceDetails\"",
    ),
    (
        ScanFormat::Scc,
        "json",
        "\"canonicalName\", or \"category\" with \"resourceName\" and \"findingClass\"",
    ),
    (
        ScanFormat::TrustedAdvisor,
        "json",
        "\"flaggedResources\" or \"resourcesSummary\"",
    ),
    (
        ScanFormat::AzureAdvisor,
        "json",
        "\"Microsoft.Advisor/recommendations\", or \"impactedField\" with \"shortDescription\"",
    ),
    (
        ScanFormat::GcpRecommender,
        "json",
        "\"recommenderSubtype\" or a \"/recommenders/\" name",
    ),
];

/// The formats a file of this kind (`csv`, `json`) was compared with, each with how.
pub fn compared_formats(kind: &str) -> String {
    let kind = if kind == "txt" { "csv" } else { kind };
    let named: Vec<String> = SCAN_DETECTION
        .iter()
        .filter(|(_, k, _)| *k == kind)
        .map(|(f, _, how)| format!("{} (format = \"{}\": {how})", f.name(), f.id()))
        .collect();
    named.join("; ")
}

/// A file declared as a scan that looks like none of the scanner formats.
pub fn unrecognised_scan(relative: &std::path::Path, kind: &str) -> Problem {
    Problem::new(
        Location::file(relative),
        format!(
            "not a scanner output auditpack recognises: compared with {}; set format = \"...\" to read it as one of them",
            compared_formats(kind)
        ),
    )
}
/// The requirement key under which Defender findings name Microsoft cloud security
/// benchmark controls (`NS-2`), resolved through `frameworks/scanner-checks/defender.toml`.
pub const MCSB_KEY: &str = "MCSB";
/// The requirement key under which Defender recommendations name their secure score control.
pub const SECURE_SCORE_KEY: &str = "Secure score control";
/// The requirement key under which a Defender recommendation (or Azure Advisor's copy of
/// it) names itself by display name, mapped where `defender.toml` lists it.
pub const RECOMMENDATION_KEY: &str = "Defender recommendation";

/// What a check said about a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ScanStatus {
    Pass,
    /// MANUAL, NOT_AVAILABLE, WARNING or anything unrecognised: not a pass.
    Unknown,
    Fail,
}

impl ScanStatus {
    /// PASS/PASSED, FAIL/FAILED; anything else (MANUAL, NOT_AVAILABLE, WARNING) is unknown.
    pub fn parse(text: &str) -> ScanStatus {
        let t = text.trim();
        if t.eq_ignore_ascii_case("pass") || t.eq_ignore_ascii_case("passed") {
            ScanStatus::Pass
        } else if t.eq_ignore_ascii_case("fail") || t.eq_ignore_ascii_case("failed") {
            ScanStatus::Fail
        } else {
            ScanStatus::Unknown
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            ScanStatus::Pass => "pass",
            ScanStatus::Unknown => "not assessed",
            ScanStatus::Fail => "fail",
        }
    }
}

/// Finding severity, ordered so that the worst sorts last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Severity(pub u8);

impl Severity {
    pub fn parse(text: &str) -> Severity {
        let t = text.trim();
        let level = [
            ("informational", 1),
            ("info", 1),
            ("low", 2),
            ("medium", 3),
            ("high", 4),
            ("critical", 5),
        ]
        .iter()
        .find(|(name, _)| t.eq_ignore_ascii_case(name))
        .map_or(0, |(_, l)| *l);
        Severity(level)
    }

    pub fn label(self) -> &'static str {
        [
            "unknown",
            "informational",
            "low",
            "medium",
            "high",
            "critical",
        ]
        .get(usize::from(self.0))
        .copied()
        .unwrap_or("unknown")
    }
}

/// One check the scanner ran, with the requirements it says it tests.
#[derive(Debug, Clone, Default)]
pub struct CheckRecord {
    pub id: String,
    pub title: String,
    /// Scanner framework key to the requirement ids under it, as the scanner wrote
    /// them; each (key, id) once, in order. Keyed by framework so that a repeat is
    /// found by lookup, not by comparing with every id held: one finding may name
    /// 100,000 ids.
    pub requirements: BTreeMap<String, BTreeSet<String>>,
    /// Findings (rows) read for this check.
    pub findings: u64,
    /// The last compliance text parsed, so that repeats are not parsed again.
    last_compliance: String,
}

/// The latest result of one check on one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Latest {
    /// Seconds since 1970 (UTC); 0 where the finding gave no time.
    pub time: i64,
    pub status: ScanStatus,
    pub muted: bool,
    pub severity: Severity,
}

/// The latest result of one check (index into `checks`) on one resource (into `resources`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckResult {
    pub check: u32,
    pub resource: u32,
    pub latest: Latest,
}

/// Everything read from one scanner file.
#[derive(Debug)]
pub struct FindingsRead {
    /// Relative to the project folder.
    pub path: PathBuf,
    pub format: ScanFormat,
    pub checks: Vec<CheckRecord>,
    pub resources: Vec<String>,
    /// The latest result of each check on each resource, ordered by check then resource
    /// (each in the order first seen); filled when reading is done.
    pub latest: Vec<CheckResult>,
    /// The latest results while reading, by (check, resource).
    folding: HashMap<(u32, u32), Latest>,
    /// Findings read and counted.
    pub findings: u64,
    /// Findings dropped, with the first few reasons and positions.
    pub dropped: u64,
    pub dropped_examples: Vec<Problem>,
    check_index: HashMap<String, u32>,
    resource_index: HashMap<String, u32>,
    /// The kinds of resource seen (provider, account, service, type), each once.
    pub kinds: Vec<ResourceKind>,
    /// Per resource (by index), its kind in `kinds`, or [`NO_KIND`] where the scan did not say.
    pub resource_kinds: Vec<u32>,
    kind_index: HashMap<ResourceKind, u32>,
    /// Findings read but set aside as outside any audit's scope (an advisor's cost
    /// recommendation, a not-applicable assessment), counted per reason.
    pub set_aside: BTreeMap<String, u64>,
}

/// What a scan says a resource is and where it lives, for inventory imports and drift.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ResourceKind {
    /// `aws`, `azure`, `gcp`, as the scanner writes it (lowercased).
    pub provider: String,
    /// The account, subscription or project.
    pub account: String,
    /// The scanner's service name (Prowler's `SERVICE_NAME`), if any.
    pub service: String,
    /// The resource type as the scanner writes it (`AwsS3Bucket`, `Microsoft.Sql/servers`).
    pub resource_type: String,
}

/// A resource whose kind the scan did not give.
pub const NO_KIND: u32 = u32::MAX;

/// How many dropped findings are described one by one; the rest are counted.
const DROPPED_EXAMPLES: usize = 20;

impl FindingsRead {
    pub fn new(path: PathBuf, format: ScanFormat) -> Self {
        FindingsRead {
            path,
            format,
            checks: Vec::new(),
            resources: Vec::new(),
            latest: Vec::new(),
            folding: HashMap::new(),
            findings: 0,
            dropped: 0,
            dropped_examples: Vec::new(),
            check_index: HashMap::new(),
            resource_index: HashMap::new(),
            kinds: Vec::new(),
            resource_kinds: Vec::new(),
            kind_index: HashMap::new(),
            set_aside: BTreeMap::new(),
        }
    }

    /// Count a finding that was read but is outside any audit's scope, with why.
    pub(crate) fn set_aside(&mut self, reason: &str) {
        self.findings += 1;
        match self.set_aside.get_mut(reason) {
            Some(n) => *n += 1,
            None => {
                self.set_aside.insert(reason.to_string(), 1);
            }
        }
    }

    /// Note what a resource already recorded is and where it lives; the first
    /// description of a resource stands. Costs one lookup for a resource already described.
    pub(crate) fn describe(&mut self, resource: &str, kind: impl FnOnce() -> ResourceKind) {
        let Some(&index) = self.resource_index.get(resource) else {
            return;
        };
        let Some(slot) = self.resource_kinds.get(index as usize) else {
            return;
        };
        if *slot != NO_KIND {
            return;
        }
        let kind = kind();
        if kind == ResourceKind::default() {
            return;
        }
        let id = match self.kind_index.get(&kind) {
            Some(&id) => id,
            None => {
                let id = self.kinds.len() as u32;
                self.kinds.push(kind.clone());
                self.kind_index.insert(kind, id);
                id
            }
        };
        self.resource_kinds[index as usize] = id;
    }

    /// The index of a check, added on first sight.
    pub(crate) fn check(&mut self, id: &str, title: &str) -> u32 {
        if let Some(&index) = self.check_index.get(id) {
            return index;
        }
        let index = self.checks.len() as u32;
        self.checks.push(CheckRecord {
            id: id.to_string(),
            title: title.to_string(),
            ..CheckRecord::default()
        });
        self.check_index.insert(id.to_string(), index);
        index
    }

    /// Note a check's compliance text; it is parsed only when it differs from the last one.
    pub(crate) fn compliance(
        &mut self,
        check: u32,
        text: &str,
        parse: fn(&str) -> Vec<(String, String)>,
    ) {
        let record = &mut self.checks[check as usize];
        if record.last_compliance == text {
            return;
        }
        for (key, id) in parse(text) {
            record.requirements.entry(key).or_default().insert(id);
        }
        record.last_compliance = text.to_string();
    }

    /// Note a requirement a check names; each (key, id) is kept once.
    pub(crate) fn requirement(&mut self, check: u32, key: &str, id: &str) {
        let (key, id) = (key.trim(), id.trim());
        let record = &mut self.checks[check as usize];
        // Looked up before inserting, so that a repeat allocates nothing.
        match record.requirements.get_mut(key) {
            Some(ids) => {
                if !ids.contains(id) {
                    ids.insert(id.to_string());
                }
            }
            None => {
                let ids = BTreeSet::from([id.to_string()]);
                record.requirements.insert(key.to_string(), ids);
            }
        }
    }

    /// Fold one finding into the latest result of its check on its resource.
    /// Of two results at the same time, the worse one stands, so a failure is never hidden.
    pub(crate) fn record(&mut self, check: u32, resource: &str, result: Latest) {
        self.record_many(check, resource, result, 1);
    }

    /// Fold `findings` findings of one check on one resource, already folded to the
    /// one that stands among them (a Trusted Advisor result flagging it that often).
    pub(crate) fn record_many(
        &mut self,
        check: u32,
        resource: &str,
        result: Latest,
        findings: u64,
    ) {
        let resource = match self.resource_index.get(resource) {
            Some(&index) => index,
            None => {
                let index = self.resources.len() as u32;
                self.resources.push(resource.to_string());
                self.resource_kinds.push(NO_KIND);
                self.resource_index.insert(resource.to_string(), index);
                index
            }
        };
        self.checks[check as usize].findings += findings;
        self.findings += findings;
        self.folding
            .entry((check, resource))
            .and_modify(|held| {
                if (result.time, result.status) > (held.time, held.status) {
                    *held = result;
                }
            })
            .or_insert(result);
    }

    /// Count a finding that cannot be used; the first few are described.
    /// Count a finding dropped; the first few are kept as examples with their place,
    /// which is only made into a [`Location`] then.
    pub(crate) fn drop_finding(&mut self, at: impl Into<Location>, reason: impl Into<String>) {
        self.dropped += 1;
        if self.dropped_examples.len() < DROPPED_EXAMPLES {
            self.dropped_examples.push(Problem::new(at.into(), reason));
        }
    }

    /// Once reading is done: the results in order, in a flat list a third the size of
    /// the table they were folded in (a million of them is 24 MB), and the lookup
    /// tables freed.
    pub(crate) fn finish(&mut self) {
        self.check_index = HashMap::new();
        self.resource_index = HashMap::new();
        self.kind_index = HashMap::new();
        for check in &mut self.checks {
            check.last_compliance = String::new();
        }
        let folded = std::mem::take(&mut self.folding);
        self.latest = folded
            .into_iter()
            .map(|((check, resource), latest)| CheckResult {
                check,
                resource,
                latest,
            })
            .collect();
        self.latest.sort_unstable_by_key(|r| (r.check, r.resource));
    }

    /// Date the results that carry no time (Checkov, Prowler 2) with the scan's date
    /// from audit.toml; results with a time keep theirs.
    pub fn date_undated(&mut self, date: chrono::NaiveDate) {
        let Some(time) = date.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp()) else {
            return;
        };
        for result in &mut self.latest {
            if result.latest.time == 0 {
                result.latest.time = time;
            }
        }
    }

    /// The time of the newest finding, if any gave one.
    pub fn newest(&self) -> Option<i64> {
        self.latest
            .iter()
            .map(|r| r.latest.time)
            .filter(|t| *t > 0)
            .max()
    }
}

/// Per-source settings that change how findings are read.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// The scanner framework key for files that do not carry a version (`ISO27001-2022`).
    pub framework: Option<String>,
    /// A version found in the file name (`2022` in `..._iso27001_2022_aws.csv`).
    pub version_hint: Option<String>,
}

/// Seconds since 1970 from the timestamps scanners write: `2025-02-14 14:27:03.913874`,
/// `2025-02-14T14:27:03Z`, `2025-02-14T14:27:03.913+00:00` or a bare date.
pub fn parse_timestamp(text: &str) -> Option<i64> {
    let t = text.trim();
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(t) {
        return Some(dt.timestamp());
    }
    for format in ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"] {
        if let Ok(dt) = chrono::NaiveDateTime::parse_from_str(t, format) {
            return Some(dt.and_utc().timestamp());
        }
    }
    chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc().timestamp())
}

/// Prowler's `COMPLIANCE` cell: `CIS-1.4: 1.20 | KISA-ISMS-P-2023: 2.5.6, 2.6.4`.
/// Frameworks are separated by ` | `, ids by `, `.
pub fn parse_compliance_cell(text: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for part in text.split(" | ") {
        let Some((key, ids)) = part.split_once(':') else {
            continue;
        };
        let key = key.trim();
        if key.is_empty() {
            continue;
        }
        for id in ids.split(", ") {
            let id = id.trim();
            if !id.is_empty() {
                pairs.push((key.to_string(), id.to_string()));
            }
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compliance_cells_split_into_pairs() {
        let pairs = parse_compliance_cell(
            "CIS-1.4: 1.20 | KISA-ISMS-P-2023: 2.5.6, 2.6.4 | HIPAA: 164_312_b",
        );
        assert_eq!(pairs.len(), 4);
        assert_eq!(
            pairs[1],
            ("KISA-ISMS-P-2023".to_string(), "2.5.6".to_string())
        );
        assert_eq!(pairs[3], ("HIPAA".to_string(), "164_312_b".to_string()));
        // Pieces with no framework or no id name nothing.
        assert!(parse_compliance_cell(": : | | HIPAA: | x").is_empty());
    }

    #[test]
    fn the_latest_result_stands_and_a_tie_keeps_the_failure() {
        let mut read = FindingsRead::new(PathBuf::from("scan.csv"), ScanFormat::ProwlerCsv);
        let check = read.check("s3_bucket_public_access", "");
        let at = |time, status| Latest {
            time,
            status,
            muted: false,
            severity: Severity(3),
        };
        read.record(check, "bucket-a", at(10, ScanStatus::Fail));
        read.record(check, "bucket-a", at(20, ScanStatus::Pass));
        read.record(check, "bucket-b", at(20, ScanStatus::Pass));
        read.record(check, "bucket-b", at(20, ScanStatus::Fail));
        read.finish();
        assert_eq!(read.findings, 4);
        let statuses: Vec<(u32, u32, ScanStatus)> = read
            .latest
            .iter()
            .map(|r| (r.check, r.resource, r.latest.status))
            .collect();
        assert_eq!(
            statuses,
            [(0, 0, ScanStatus::Pass), (0, 1, ScanStatus::Fail)],
            "one result per resource, in the order first seen"
        );
    }

    #[test]
    fn each_requirement_is_kept_once_in_order() {
        let mut read = FindingsRead::new(PathBuf::from("scan.json"), ScanFormat::Asff);
        let check = read.check("IAM.5", "");
        for (key, id) in [
            ("PCI", " 8.4.2 "),
            ("NIST", "AC-3"),
            ("PCI", "8.4.2"),
            ("NIST", "AC-2"),
        ] {
            read.requirement(check, key, id);
        }
        read.compliance(check, "NIST: AC-3, IA-2", parse_compliance_cell);
        let kept: Vec<(&str, &str)> = read.checks[0]
            .requirements
            .iter()
            .flat_map(|(k, ids)| ids.iter().map(move |i| (k.as_str(), i.as_str())))
            .collect();
        assert_eq!(
            kept,
            [
                ("NIST", "AC-2"),
                ("NIST", "AC-3"),
                ("NIST", "IA-2"),
                ("PCI", "8.4.2")
            ]
        );
    }

    #[test]
    fn scanner_timestamps_parse() {
        assert_eq!(
            parse_timestamp("2025-02-14 14:27:03.913874"),
            Some(1739543223)
        );
        assert_eq!(parse_timestamp("2025-02-14T14:27:03Z"), Some(1739543223));
        assert_eq!(parse_timestamp("yesterday"), None);
    }
}
