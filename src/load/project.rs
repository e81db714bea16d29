//! Load: the project file `audit.toml`, parsed with positions kept for later errors.

use crate::diag::{Location, Problem};
use crate::error::{Error, Result};
use crate::load::input::{InputFolders, InputKind, read_text};
use crate::model::layer::Responsibility;
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The file name of a project's settings.
pub const PROJECT_FILE: &str = "audit.toml";

/// `audit.toml`, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectFile {
    pub organization: Organization,
    pub audit: AuditSettings,
    #[serde(default)]
    pub matrix_review: Option<MatrixReview>,
    /// Per-control freshness windows in days, keyed `framework:control`.
    #[serde(default)]
    pub freshness: BTreeMap<Spanned<String>, u32>,
    /// Overrides of a framework's scope tag, keyed by framework id.
    #[serde(default)]
    pub scope: BTreeMap<Spanned<String>, String>,
    #[serde(default)]
    pub inventory: Vec<InventoryEntry>,
    /// Provider services auditpack's catalog lacks, declared by the project.
    #[serde(default)]
    pub services: Vec<ServiceEntry>,
    /// The organization's own premises: offices, clinics, stores, server rooms, colocation.
    #[serde(default)]
    pub sites: Vec<SiteEntry>,
    /// Control owners keyed by `framework`, `framework:family` or `framework:control`.
    #[serde(default)]
    pub owners: BTreeMap<Spanned<String>, OwnerEntry>,
    #[serde(default)]
    pub exceptions: Vec<ExceptionEntry>,
    #[serde(default)]
    pub attestations: Vec<AttestationEntry>,
    /// SaaS the team relies on, as subservice organizations with their reports and CUECs.
    #[serde(default)]
    pub vendors: Vec<VendorEntry>,
    #[serde(default)]
    pub pins: Vec<PinEntry>,
    #[serde(default)]
    pub not_applicable: Vec<NotApplicableEntry>,
    #[serde(default)]
    pub evidence: Vec<EvidenceSource>,
    #[serde(default)]
    pub report: Option<ReportSettings>,
    #[serde(default)]
    pub inputs: Option<InputSettings>,
    /// The rules of `auditpack check`; its flags override them.
    #[serde(default)]
    pub check: Option<CheckSettings>,
}

/// `[check]`: the gate's rules, so a pipeline's command line stays short.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckSettings {
    /// Statuses that fail the gate (default: missing and failing).
    #[serde(default)]
    pub fail_on: Option<Vec<crate::model::status::Status>>,
    /// Statuses reported as warnings.
    #[serde(default)]
    pub warn_on: Option<Vec<crate::model::status::Status>>,
    /// Lowest coverage allowed over every framework pooled, in percent.
    #[serde(default)]
    pub min_coverage: Option<Spanned<f64>>,
    /// Lowest coverage allowed per framework, keyed by framework id.
    #[serde(default)]
    pub min_coverage_by_framework: BTreeMap<Spanned<String>, Spanned<f64>>,
    /// Fail on evidence, exceptions and attestations lapsing within this many days.
    #[serde(default)]
    pub expiring_within: Option<u32>,
    /// A snapshot (or project folder), relative to the project: fail only on what got worse since.
    #[serde(default)]
    pub baseline: Option<PathBuf>,
}

/// Where inputs may come from beyond the project folder.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputSettings {
    /// Folders outside the project that evidence may be read from, relative to it.
    #[serde(default)]
    pub folders: Vec<Spanned<PathBuf>>,
}

/// How the PDF looks: a project's own Typst template instead of the shipped one.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportSettings {
    /// A `.typ` file in the project; files beside it (a logo) are available to it.
    pub template: Option<Spanned<PathBuf>>,
    /// A tera template in the project for audit-report.html, in place of the shipped one.
    pub html_template: Option<Spanned<PathBuf>>,
    /// How many evidence rows the HTML report lists under each control before it
    /// gives the count and points to the workbook.
    pub html_rows_per_control: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    pub name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditSettings {
    #[serde(deserialize_with = "date")]
    pub period_start: NaiveDate,
    #[serde(deserialize_with = "date")]
    pub period_end: NaiveDate,
    #[serde(deserialize_with = "date")]
    pub as_of: NaiveDate,
    pub frameworks: Vec<Spanned<String>>,
    #[serde(default = "default_freshness")]
    pub freshness_days: u32,
    /// strftime formats accepted for text dates in evidence, beyond ISO 8601.
    #[serde(default)]
    pub date_formats: Vec<String>,
}

fn default_freshness() -> u32 {
    90
}

/// When the team last reviewed the providers' matrices, and which versions.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatrixReview {
    #[serde(deserialize_with = "date")]
    pub reviewed: NaiveDate,
    /// Matrix version reviewed, keyed by provider id.
    pub versions: BTreeMap<String, Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InventoryEntry {
    /// What the team calls this workload (`patient-portal`).
    pub name: String,
    pub provider: Spanned<String>,
    pub service: Spanned<String>,
    #[serde(default)]
    pub tier: Option<Tier>,
    #[serde(default)]
    pub tags: Vec<String>,
}

/// A provider service the catalog lacks, as the project declares it: `[[services]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceEntry {
    pub provider: Spanned<String>,
    pub id: Spanned<String>,
    pub name: String,
    pub model: crate::model::layer::ServiceModel,
    #[serde(default)]
    pub category: Option<crate::model::provider::ServiceCategory>,
    /// Why the project declares it; the source of its overrides unless they cite one.
    pub reason: String,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub overrides: Vec<ServiceOverrideEntry>,
    #[serde(default)]
    pub ids: crate::model::provider::ServiceIds,
}

/// Where a declared service departs from its model's row.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceOverrideEntry {
    pub layer: Spanned<String>,
    pub owner: crate::model::layer::Owner,
    pub reason: String,
    /// The document it comes from (title, version, URL), when the project has one.
    #[serde(default)]
    pub source: Option<String>,
}

/// One of the organization's sites, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteEntry {
    pub name: String,
    pub kind: crate::model::site::SiteKind,
    /// What it holds: workstations, paper-records, payment-terminals, servers, media.
    #[serde(default)]
    pub holds: Vec<crate::model::site::SiteAsset>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// For a colocation site: the provider whose building it is.
    #[serde(default)]
    pub operator: Option<String>,
}

/// How sensitive the data a service holds is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    Low,
    Medium,
    High,
}

impl Tier {
    pub fn id(self) -> &'static str {
        match self {
            Tier::Low => "low",
            Tier::Medium => "medium",
            Tier::High => "high",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OwnerEntry {
    pub owner: String,
    #[serde(default)]
    pub backup: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExceptionEntry {
    pub control: Spanned<String>,
    pub reason: String,
    pub ticket: String,
    pub approver: String,
    #[serde(default, deserialize_with = "optional_date")]
    pub approved: Option<NaiveDate>,
    #[serde(deserialize_with = "date")]
    pub expires: NaiveDate,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttestationEntry {
    pub provider: Spanned<String>,
    /// An attestation id from the provider's list (`soc2-type2`).
    pub report: Spanned<String>,
    /// For a report, the first day it covers (a certificate: its issue date); for
    /// an agreement (a BAA), the day it took effect. A PCI DSS AOC has its date instead.
    #[serde(default)]
    pub period_start: Option<Spanned<Day>>,
    /// For a report, the last day it covers (a certificate: its expiry);
    /// an agreement may leave it out while in force.
    #[serde(default)]
    pub period_end: Option<Spanned<Day>>,
    /// The date the report was issued (signed); a PCI DSS AOC's date.
    #[serde(default)]
    pub issued: Option<Spanned<Day>>,
    /// The provider services in its scope, where the team's copy says otherwise
    /// than the provider's published list (narrower or wider).
    #[serde(default)]
    pub services: Option<Vec<Spanned<String>>>,
    /// A bridge (or continued operations) letter extends coverage to this date.
    #[serde(default)]
    pub bridge_letter_until: Option<Spanned<Day>>,
    /// The service auditor's opinion, where the report gives one.
    #[serde(default)]
    pub opinion: Option<Spanned<Opinion>>,
    /// The provider controls the report found exceptions in, as it numbers them.
    #[serde(default)]
    pub exceptions: Vec<String>,
    /// Overrides the frameworks the provider's list gives for this report.
    #[serde(default)]
    pub frameworks: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub obtained_from: Option<String>,
}

/// A service auditor's opinion on an examined report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Opinion {
    Unqualified,
    Qualified,
    Adverse,
    Disclaimer,
}

impl Opinion {
    pub const ALL: [Opinion; 4] = [
        Opinion::Unqualified,
        Opinion::Qualified,
        Opinion::Adverse,
        Opinion::Disclaimer,
    ];

    /// As `audit.toml` and `frameworks/attestations.toml` write it.
    pub fn id(self) -> &'static str {
        match self {
            Opinion::Unqualified => "unqualified",
            Opinion::Qualified => "qualified",
            Opinion::Adverse => "adverse",
            Opinion::Disclaimer => "disclaimer",
        }
    }
}

/// A calendar date in `audit.toml`, kept with its position where it is `Spanned`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day(pub NaiveDate);

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        date(deserializer).map(Day)
    }
}

/// A vendor (a subservice organization), as written: `[[vendors]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VendorEntry {
    /// How the team names the vendor (`Okta`): its key.
    pub name: Spanned<String>,
    /// What the team uses of it (`Workforce Identity`).
    pub service: String,
    pub model: crate::model::layer::ServiceModel,
    /// Scope tags, as on inventory entries.
    #[serde(default)]
    pub tags: Vec<String>,
    /// The layers it operates and who owns each; layers not listed are not the vendor's to say.
    #[serde(default)]
    pub layers: BTreeMap<Spanned<String>, crate::model::layer::Owner>,
    /// The vendor's document that says which layers it operates (required where
    /// it is given logging or continuity alone).
    #[serde(default)]
    pub layers_source: Option<String>,
    #[serde(default)]
    pub reports: Vec<VendorReportEntry>,
    /// Complementary user entity controls its reports expect of the team.
    #[serde(default)]
    pub cuecs: Vec<CuecEntry>,
}

/// A report (or agreement) a vendor issued that the team holds; its dates and
/// findings are read as a provider's `[[attestations]]` entry's are.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VendorReportEntry {
    /// A scheme id from `frameworks/attestations.toml` (`soc2-type2`).
    pub scheme: Spanned<String>,
    pub name: String,
    #[serde(default)]
    pub period_start: Option<Spanned<Day>>,
    /// An agreement (a BAA) may leave it out while in force.
    #[serde(default)]
    pub period_end: Option<Spanned<Day>>,
    #[serde(default)]
    pub issued: Option<Spanned<Day>>,
    /// Only where the scheme has bridge letters.
    #[serde(default)]
    pub bridge_letter_until: Option<Spanned<Day>>,
    #[serde(default)]
    pub opinion: Option<Spanned<Opinion>>,
    #[serde(default)]
    pub exceptions: Vec<String>,
    #[serde(default)]
    pub obtained_from: Option<String>,
}

/// A complementary user entity control, as the vendor's report words it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CuecEntry {
    pub id: Spanned<String>,
    pub text: String,
    /// Common controls (`IAM-03`) or framework controls (`SOC2 CC6.1`), resolved as evidence references are.
    pub controls: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PinEntry {
    pub control: Spanned<String>,
    pub responsibility: Responsibility,
    pub reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotApplicableEntry {
    pub control: Spanned<String>,
    pub reason: String,
}

/// One evidence spreadsheet and how to read it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceSource {
    pub path: Spanned<PathBuf>,
    /// Sheets to read; all sheets when empty.
    #[serde(default)]
    pub sheets: Vec<String>,
    #[serde(default)]
    pub format: Option<Spanned<String>>,
    #[serde(default)]
    pub delimiter: Option<char>,
    /// Header names for fields, where the file does not use a known alias.
    #[serde(default)]
    pub columns: BTreeMap<Spanned<String>, String>,
    /// strftime formats for text dates in this source.
    #[serde(default)]
    pub date_formats: Vec<String>,
    /// Framework assumed for references without a prefix; for a scanner's
    /// compliance CSV, the framework its requirement ids belong to.
    #[serde(default)]
    pub framework: Option<Spanned<String>>,
    /// Scanner files: how muted (suppressed) findings count.
    #[serde(default)]
    pub muted: MutedFindings,
    /// Scanner files: controls a check counts for, beyond those the scanner names
    /// (`accessanalyzer_enabled = ["IAM-05"]`).
    #[serde(default)]
    pub checks: BTreeMap<String, Vec<Spanned<String>>>,
    /// Scanner files: the date the scan ran, for findings that carry no time of their
    /// own (Checkov, Prowler 2); findings with a time keep it.
    #[serde(default, deserialize_with = "optional_date")]
    pub collected: Option<NaiveDate>,
}

/// How muted or suppressed scanner findings count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MutedFindings {
    /// As the result they carry: a muted failure is still a failure.
    #[default]
    Result,
    /// As approved exceptions: a muted failure does not fail the control, which shows as an exception.
    Exception,
}

/// A loaded project: its settings and the text they came from, for positions.
#[derive(Debug)]
pub struct Project {
    pub root: PathBuf,
    /// The folders its inputs may be read from.
    pub folders: InputFolders,
    pub file: ProjectFile,
    pub source_path: PathBuf,
    pub source: String,
}

impl Project {
    /// The location of a span of `audit.toml`.
    pub fn at(&self, span: std::ops::Range<usize>) -> Location {
        Location::in_text(&self.source_path, &self.source, span.start)
    }

    pub fn problem(&self, span: std::ops::Range<usize>, message: impl Into<String>) -> Problem {
        Problem::new(self.at(span), message)
    }
}

/// Read and parse `<root>/audit.toml`.
pub fn load_project(root: &Path) -> Result<Project> {
    let source_path = root.join(PROJECT_FILE);
    let mut folders = InputFolders::project(root).map_err(Error::Usage)?;
    if !source_path.exists() {
        return Err(Error::Usage(format!(
            "{} is not an auditpack project (no {PROJECT_FILE} in it)",
            root.display()
        )));
    }
    let source = folders
        .resolve(Path::new(PROJECT_FILE), InputKind::Settings)
        .and_then(|path| read_text(&path, &source_path, InputKind::Settings))
        .map_err(|message| {
            Error::Problems(vec![Problem::new(Location::file(&source_path), message)])
        })?;
    let file: ProjectFile = toml::from_str(&source).map_err(|e| {
        let location = match e.span() {
            Some(span) => Location::in_text(&source_path, &source, span.start),
            None => Location::file(&source_path),
        };
        Error::Problems(vec![Problem::new(
            location,
            e.message().trim_end().to_string(),
        )])
    })?;
    let allowed = file.inputs.iter().flat_map(|i| &i.folders);
    let problems: Vec<Problem> = allowed
        .filter_map(|folder| {
            let at = Location::in_text(&source_path, &source, folder.span().start);
            folders
                .allow(folder.get_ref())
                .err()
                .map(|message| Problem::new(at, format!("[inputs] folders: {message}")))
        })
        .collect();
    if !problems.is_empty() {
        return Err(Error::Problems(problems));
    }
    Ok(Project {
        root: root.to_path_buf(),
        folders,
        file,
        source_path,
        source,
    })
}

fn date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
    let value = toml::value::Datetime::deserialize(deserializer)?;
    to_date(&value).map_err(serde::de::Error::custom)
}

fn optional_date<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<NaiveDate>, D::Error> {
    date(deserializer).map(Some)
}

fn to_date(value: &toml::value::Datetime) -> Result<NaiveDate, String> {
    match (value.date, value.time) {
        (Some(d), None) => NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())
            .ok_or_else(|| format!("{value} is not a calendar date")),
        _ => Err(format!("expected a date such as 2026-09-30, found {value}")),
    }
}
