//! CLI: every command-line type, in one place.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Map framework controls onto the cloud shared responsibility model and
/// render audit packages from the evidence spreadsheets a team already keeps.
#[derive(Debug, Parser)]
#[command(name = "auditpack", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write the audit package (PDF, XLSX, snapshot, manifest) for a project.
    Build(BuildArgs),
    /// List every problem in a project's inputs; exit 1 if there is any.
    Validate(ValidateArgs),
    /// List the framework catalogs auditpack knows, or show one.
    Frameworks(FrameworksArgs),
    /// Compare two review cycles (snapshots or project folders); exit 1 if a control regressed.
    Diff(DiffArgs),
    /// The compliance gate for CI: exit 1 when a rule trips, with SARIF, JUnit and GitLab reports.
    Check(CheckArgs),
    /// Run incident scenarios against the responsibility map: who detects, contains,
    /// remediates, recovers and notifies, and whether each phase is ready; exit 1 on a gap.
    Tabletop(TabletopArgs),
    /// Build the inventory from what exists: Terraform state or plan JSON, and scanner output.
    Inventory(InventoryArgs),
    /// Write a working project for a newcomer: a commented audit.toml and an evidence request list.
    Init(InitArgs),
}

#[derive(Debug, Args)]
pub struct InventoryArgs {
    #[command(subcommand)]
    pub action: InventoryAction,
}

#[derive(Debug, Subcommand)]
pub enum InventoryAction {
    /// Print [[inventory]] entries, grouped by workload, for the resources in FILEs.
    Import(InventoryImportArgs),
}

#[derive(Debug, Args)]
pub struct InventoryImportArgs {
    /// `terraform show -json` output (state or plan), Prowler CSV or OCSF JSON, Security Hub ASFF.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// A scope tag from a resource tag (repeatable): KEY=VALUE:SCOPE, such as pci=true:cde.
    #[arg(long = "tag", value_name = "KEY=VALUE:SCOPE")]
    pub tags: Vec<String>,
    /// Merge the entries into PROJECT/audit.toml, keeping its comments and order.
    #[arg(long, value_name = "PROJECT")]
    pub write: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create (it may exist, but must hold no audit.toml).
    pub dir: PathBuf,
    /// A provider the team uses (repeatable): aws, azure, gcp.
    #[arg(long = "provider", value_name = "ID")]
    pub providers: Vec<String>,
    /// A framework to audit against (repeatable), such as --framework hipaa [default: soc2]
    #[arg(long = "framework", value_name = "ID")]
    pub frameworks: Vec<String>,
    /// Take the providers and the inventory from `terraform show -json` output.
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,
    /// The organization's name, for the package's title page.
    #[arg(long, value_name = "NAME")]
    pub organization: Option<String>,
}

#[derive(Debug, Args)]
pub struct TabletopArgs {
    /// The project folder (holds audit.toml).
    pub project: PathBuf,
    /// Only this scenario (repeatable), such as --scenario leaked-access-key [default: all]
    #[arg(long = "scenario", value_name = "ID")]
    pub scenarios: Vec<String>,
    /// Only this framework's controls decide readiness (repeatable), such as --framework hipaa.
    #[arg(long = "framework", value_name = "ID")]
    pub frameworks: Vec<String>,
    /// What to print on standard output.
    #[arg(long, value_enum, default_value_t = TabletopFormat::Text)]
    pub format: TabletopFormat,
    /// Also write a facilitator's worksheet as a PDF.
    #[arg(long, value_name = "FILE")]
    pub pdf: Option<PathBuf>,
    /// Also write a facilitator's workbook: a row per phase with empty answer
    /// columns, and the evidence row that records the exercise once held.
    #[arg(long, value_name = "FILE")]
    pub xlsx: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TabletopFormat {
    /// One block per scenario: phases, owners, readiness, gaps.
    Text,
    /// Stable JSON (tabletop_schema_version 1), described in README.md.
    Json,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The project folder (holds audit.toml).
    pub project: PathBuf,
    /// Output folder [default: PROJECT/out/AS-OF, or AS-OF-FOCUS for a focused build]
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Only this framework (repeatable), such as --framework hipaa.
    #[arg(long = "framework", value_name = "ID")]
    pub frameworks: Vec<String>,
    /// Only controls with this responsibility (repeatable).
    #[arg(long = "responsibility", value_enum, value_name = "KIND")]
    pub responsibilities: Vec<ResponsibilityArg>,
    /// Only these outputs (repeatable) [default: all of them]
    #[arg(long = "format", value_enum, value_name = "FORMAT")]
    pub formats: Vec<OutputFormat>,
    /// Write the PDF to an archival standard.
    #[arg(long, value_enum, value_name = "STANDARD")]
    pub pdf_standard: Option<PdfStandardArg>,
    /// The previous review's snapshot.json: adds "Changes since the previous review".
    #[arg(long, value_name = "SNAPSHOT")]
    pub previous: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The older review: a snapshot.json, or a project folder audited in memory.
    pub old: PathBuf,
    /// The newer review: a snapshot.json, or a project folder audited in memory.
    pub new: PathBuf,
    /// What to print on standard output.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Also write the changes as a workbook.
    #[arg(long, value_name = "FILE")]
    pub xlsx: Option<PathBuf>,
    /// Also write the changes as a PDF document.
    #[arg(long, value_name = "FILE")]
    pub pdf: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The project folder (holds audit.toml).
    pub project: PathBuf,
    /// Only this framework (repeatable), such as --framework hipaa.
    #[arg(long = "framework", value_name = "ID")]
    pub frameworks: Vec<String>,
    /// Only controls with this responsibility (repeatable).
    #[arg(long = "responsibility", value_enum, value_name = "KIND")]
    pub responsibilities: Vec<ResponsibilityArg>,
    /// Judge the project at this date instead of its as_of: YYYY-MM-DD, or today.
    #[arg(long, value_name = "DATE", value_parser = parse_as_of)]
    pub as_of: Option<AsOf>,
    /// Statuses that fail the gate [default: [check] fail_on, else missing,failing]
    #[arg(long, value_enum, value_delimiter = ',', value_name = "STATUS,...")]
    pub fail_on: Vec<StatusArg>,
    /// Statuses reported as warnings; they never fail the gate.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "STATUS,...")]
    pub warn_on: Vec<StatusArg>,
    /// Lowest coverage allowed, in percent: PCT over every framework, or FRAMEWORK=PCT (repeatable).
    #[arg(long, value_name = "[FRAMEWORK=]PCT", value_parser = parse_coverage)]
    pub min_coverage: Vec<CoverageThreshold>,
    /// Fail on evidence falling due, exceptions and attestations lapsing within DAYS of the as-of date.
    #[arg(long, value_name = "DAYS")]
    pub expiring_within: Option<u32>,
    /// A snapshot.json (or project folder): fail only on controls that got worse since it.
    #[arg(long, value_name = "SNAPSHOT")]
    pub baseline: Option<PathBuf>,
    /// What to print on standard output.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Also write a SARIF 2.1.0 log (GitHub code scanning).
    #[arg(long, value_name = "FILE")]
    pub sarif: Option<PathBuf>,
    /// Also write a JUnit XML report: a test suite per framework, a test case per control.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Also write a GitLab Code Quality report.
    #[arg(long, value_name = "FILE")]
    pub gitlab_codequality: Option<PathBuf>,
}

/// `--as-of`: a date, or the clock's today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsOf {
    Today,
    Date(chrono::NaiveDate),
}

fn parse_as_of(text: &str) -> Result<AsOf, String> {
    if text.eq_ignore_ascii_case("today") {
        return Ok(AsOf::Today);
    }
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(AsOf::Date)
        .map_err(|_| format!("expected a date such as 2026-09-30, or today, not \"{text}\""))
}

/// `--min-coverage`: a threshold for every framework pooled, or for one.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverageThreshold {
    /// None: the pooled coverage of every framework checked.
    pub framework: Option<String>,
    pub percent: f64,
}

fn parse_coverage(text: &str) -> Result<CoverageThreshold, String> {
    let (framework, number) = match text.split_once('=') {
        Some((f, n)) if !f.trim().is_empty() => (Some(f.trim().to_string()), n),
        Some(_) => return Err("expected FRAMEWORK=PCT, such as hipaa=90".to_string()),
        None => (None, text),
    };
    let number = number.trim().trim_end_matches('%');
    match number.parse::<f64>() {
        Ok(percent) if (0.0..=100.0).contains(&percent) => {
            Ok(CoverageThreshold { framework, percent })
        }
        _ => Err(format!(
            "expected a percentage from 0 to 100, not \"{number}\""
        )),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// A short verdict: the rules, what tripped them, the command to see more.
    Text,
    /// Stable JSON (check_schema_version 1), described in README.md.
    Json,
}

/// A control status, as `--fail-on` and `--warn-on` name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusArg {
    Inherited,
    InheritedUnattested,
    Satisfied,
    Partial,
    Stale,
    Failing,
    Exception,
    Missing,
    NotApplicable,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// A report for people; coloured on a terminal unless NO_COLOR is set.
    Text,
    /// Stable JSON (diff_schema_version 1), described in README.md.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PdfStandardArg {
    /// PDF/A-2b
    #[value(name = "a-2b")]
    A2b,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ResponsibilityArg {
    Inherited,
    Shared,
    Customer,
}

impl From<ResponsibilityArg> for crate::model::layer::Responsibility {
    fn from(arg: ResponsibilityArg) -> Self {
        match arg {
            ResponsibilityArg::Inherited => Self::Inherited,
            ResponsibilityArg::Shared => Self::Shared,
            ResponsibilityArg::Customer => Self::Customer,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// audit-package.pdf
    Pdf,
    /// audit-workbook.xlsx
    Xlsx,
    /// snapshot.json
    Json,
    /// oscal/: a catalog per framework, profile.json and ssp.json (OSCAL 1.1)
    Oscal,
    /// audit-report.html: the package as one offline page, with filters and search
    Html,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The project folder (holds audit.toml).
    pub project: PathBuf,
}

#[derive(Debug, Args)]
pub struct FrameworksArgs {
    #[command(subcommand)]
    pub action: Option<FrameworksAction>,
    /// Include the catalogs of this project's frameworks/ folder.
    #[arg(long, global = true)]
    pub project: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum FrameworksAction {
    /// List the catalogs (the default).
    List,
    /// Show the controls of one catalog, or a provider's services (`show aws --services`).
    Show {
        /// Framework id, such as hipaa; or a provider id (aws, azure, gcp) with --services.
        id: String,
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
        /// List the provider's services: model, category, overrides with their sources, ids.
        #[arg(long)]
        services: bool,
    },
    /// Show a catalog's links to common controls, and what else each reaches.
    Map {
        /// Framework id, such as hipaa, or common for the common controls; or a scanner
        /// (securityhub, checkov, prowler) for its shipped check mapping, with each entry's source.
        id: String,
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    Table,
    Csv,
    Json,
}
