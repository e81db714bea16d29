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

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// audit-package.pdf
    Pdf,
    /// audit-workbook.xlsx
    Xlsx,
    /// snapshot.json
    Json,
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
    /// Show the controls of one catalog.
    Show {
        /// Framework id, such as hipaa.
        id: String,
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
    },
    /// Show a catalog's links to common controls, and what else each reaches.
    Map {
        /// Framework id, such as hipaa, or common for the common controls.
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
