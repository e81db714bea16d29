//! `auditpack inventory import FILE... [--tag KEY=VALUE:SCOPE] [--write PROJECT]`:
//! the inventory from what exists. Reads `terraform show -json` output (state or
//! plan, child modules included), Prowler CSV or OCSF and Security Hub ASFF, and
//! prints `[[inventory]]` entries grouped by workload, or merges them into
//! `PROJECT/audit.toml` keeping its comments and order. Resource types no
//! provider service names are listed with their counts.
//!
//! Exit 0 when it ran, 2 when a file cannot be read.

use crate::cli::{InventoryAction, InventoryArgs, InventoryImportArgs};
use crate::cmd::{Outcome, print_stdout};
use crate::diag::{Location, Problem, printable};
use crate::error::{Error, Result};
use crate::load::findings::{FindingsRead, ScanFormat};
use crate::load::input::{InputKind, open_stream, read_text, within_limit};
use crate::load::library::load_library;
use crate::load::project::{PROJECT_FILE, ProjectFile};
use crate::load::terraform::read_terraform;
use crate::model::inventory_import::{Found, ScopeRule, found_in_scan, found_in_terraform, group};
use crate::render::inventory_toml::{inventory_toml, merge_inventory, unknown_comment};
use crate::render::target::{Claims, write_output};
use std::io::Read;
use std::path::Path;

pub fn run(args: InventoryArgs) -> Result<Outcome> {
    match args.action {
        InventoryAction::Import(import) => run_import(import),
    }
}

fn run_import(args: InventoryImportArgs) -> Result<Outcome> {
    let rules = args
        .tags
        .iter()
        .map(|t| ScopeRule::parse(t))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(Error::Usage)?;
    if let Some(project) = &args.write
        && !project.join(PROJECT_FILE).is_file()
    {
        return Err(Error::Usage(format!(
            "{} is not an auditpack project (no {PROJECT_FILE} in it); `auditpack init` writes one",
            project.display()
        )));
    }
    let library = load_library(args.write.as_deref())?;
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for path in &args.files {
        match read_file(path) {
            Ok(more) => found.extend(more),
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Problems(problems));
    }
    let imported = group(&found, &library.providers, &rules);
    let unknown = unknown_comment(&imported);
    if !unknown.is_empty() {
        eprint!("{}", printable(&unknown.replace("\n#", "\nnote:")));
    }
    let Some(project) = args.write else {
        print_stdout(&printable(&inventory_toml(&imported)))?;
        return Ok(Outcome::Clean);
    };
    let path = project.join(PROJECT_FILE);
    // Edited in place: a link or a device there is refused, never replaced by a copy.
    let target = Claims::default().claim_file("the merged inventory", &path)?;
    let problem =
        |message: String| Error::Problems(vec![Problem::new(Location::file(&path), message)]);
    let existing = read_text(&path, &path, InputKind::Settings).map_err(problem)?;
    let (merged, added) = merge_inventory(&existing, &imported).map_err(problem)?;
    // What is written must still load as a project file.
    toml::from_str::<ProjectFile>(&merged).map_err(|e| {
        problem(format!(
            "the merged file would not load ({})",
            e.message().trim()
        ))
    })?;
    if merged != existing {
        write_output(&target, merged.as_bytes())?;
    }
    let total = imported.entries().count();
    eprintln!(
        "{}: {added} [[inventory]] entr{} added, {} already there",
        path.display(),
        if added == 1 { "y" } else { "ies" },
        total - added
    );
    Ok(Outcome::Clean)
}

/// The resources in one file: Terraform JSON, or a scanner output auditpack reads.
/// Like every input it must be a regular file, checked before it is opened (a named
/// pipe would block), and no larger than its kind allows: a scan's limit until its
/// first bytes say which kind it is.
fn read_file(path: &Path) -> std::result::Result<Vec<Found>, Problem> {
    let at = || Location::file(path);
    let (mut file, size) =
        open_stream(path, path, InputKind::Scan).map_err(|message| Problem::new(at(), message))?;
    let mut head = vec![0; 64 * 1024];
    let n = read_head(&mut file, &mut head)
        .map_err(|e| Problem::new(at(), format!("failed to read the file ({e})")))?;
    let head_text = String::from_utf8_lossy(&head[..n]).into_owned();
    if is_terraform(&head_text) {
        within_limit(path, size, InputKind::Terraform)
            .map_err(|message| Problem::new(at(), message))?;
        file.set_limit(InputKind::Terraform.limit().saturating_sub(n as u64));
    }
    let rest = std::io::Cursor::new(head[..n].to_vec()).chain(file);
    let source = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    if is_terraform(&head_text) {
        let read = read_terraform(rest, path)?;
        return Ok(read
            .resources
            .into_iter()
            .map(|r| found_in_terraform(r, &source))
            .collect());
    }
    let read: FindingsRead = match scan_format(&head_text) {
        Some(ScanFormat::ProwlerCsv) => crate::load::prowler::read_prowler_csv(
            rest,
            size,
            path,
            ScanFormat::ProwlerCsv,
            &Default::default(),
        )?,
        Some(ScanFormat::ProwlerOcsf) => crate::load::prowler::read_prowler_ocsf(rest, size, path)?,
        Some(ScanFormat::Asff) => crate::load::asff::read_asff(rest, size, path)?,
        Some(ScanFormat::ProwlerJson) => {
            crate::load::prowler_json::read_prowler_json(rest, size, path)?
        }
        _ => {
            return Err(Problem::new(
                at(),
                "not a format inventory import reads: expected `terraform show -json` output, a Prowler CSV or OCSF JSON, or Security Hub ASFF",
            ));
        }
    };
    Ok(found_in_scan(&read))
}

fn read_head(file: &mut impl Read, head: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < head.len() {
        match file.read(&mut head[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// `terraform show -json` output opens with `format_version` and names its values.
fn is_terraform(head: &str) -> bool {
    head.trim_start().starts_with('{')
        && head.contains("\"format_version\"")
        && (head.contains("\"values\"")
            || head.contains("\"planned_values\"")
            || head.contains("\"terraform_version\""))
}

/// The scanner format, by the same signs the evidence loader reads.
fn scan_format(head: &str) -> Option<ScanFormat> {
    let first_line = head.lines().next().unwrap_or_default().to_uppercase();
    let has = |name: &str| {
        first_line
            .split([';', ',', '\t', '|'])
            .any(|c| c.trim().trim_start_matches('\u{feff}') == name)
    };
    if has("CHECK_ID") && has("COMPLIANCE") {
        Some(ScanFormat::ProwlerCsv)
    } else if head.contains("\"event_code\"") || head.contains("\"class_uid\"") {
        Some(ScanFormat::ProwlerOcsf)
    } else if head.contains("\"CheckID\"") {
        Some(ScanFormat::ProwlerJson)
    } else if head.contains("\"SchemaVersion\"") || head.contains("\"Findings\"") {
        Some(ScanFormat::Asff)
    } else {
        None
    }
}
