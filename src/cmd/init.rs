//! `auditpack init DIR [--provider ID]... [--framework ID]... [--from terraform.json]`:
//! a working project for a newcomer. Writes a commented `audit.toml` for the
//! chosen providers and frameworks (its inventory imported from Terraform with
//! `--from`, else one starter entry per provider to replace), and the evidence
//! request list `evidence/evidence-requests.xlsx`: one row per customer or
//! shared control, with what it asks for, its owner and when it is due, under
//! the headers the evidence loader reads. `build` on the new project runs and
//! shows every control the team must evidence as missing.
//!
//! The audit period is the calendar quarter of today (of `SOURCE_DATE_EPOCH`
//! when set, so that tests and reproducible runs get the same files).
//!
//! Exit 0 when the project was written, 2 on a usage error.

use crate::cli::InitArgs;
use crate::cmd::Outcome;
use crate::diag::{Location, Problem};
use crate::error::{Error, Result};
use crate::load::evidence_files::read_sources;
use crate::load::input::{InputKind, open_stream};
use crate::load::library::load_library;
use crate::load::project::{PROJECT_FILE, load_project};
use crate::load::terraform::read_terraform;
use crate::model::assemble::assemble;
use crate::model::inventory_import::{Imported, found_in_terraform, group};
use crate::model::library::{COMMON, Library};
use crate::render::evidence_requests::{REQUEST_SHEET, evidence_requests, render_requests_xlsx};
use crate::render::target::{Claims, Destination, write_output};
use chrono::{Datelike, NaiveDate};
use std::path::{Path, PathBuf};

/// Where the evidence request list is written, relative to the project.
pub const REQUEST_LIST: &str = "evidence/evidence-requests.xlsx";

/// The arguments resolved against the library.
struct InitConfig {
    dir: PathBuf,
    organization: String,
    providers: Vec<String>,
    /// (framework id, its scope tag).
    frameworks: Vec<(String, Option<String>)>,
    imported: Option<Imported>,
    period: (NaiveDate, NaiveDate),
}

pub fn run(args: InitArgs) -> Result<Outcome> {
    let library = load_library(None)?;
    let config = InitConfig::new(args, &library)?;
    let toml_path = config.dir.join(PROJECT_FILE);
    let list = config.dir.join(REQUEST_LIST);
    let text = project_toml(&config);
    // What is written must load: a name or tag that broke it would leave a
    // project that `init` then refuses to touch again.
    toml::from_str::<crate::load::project::ProjectFile>(&text).map_err(|e| {
        Error::Usage(format!(
            "failed to write {} (the file made from these arguments would not load: {}); nothing was written",
            toml_path.display(),
            e.message().trim()
        ))
    })?;
    let mut claims = Claims::default();
    let toml_target = claims.claim_file("the project file", &toml_path)?;
    let list_target = claims.claim_file("the evidence request list", &list)?;
    std::fs::create_dir_all(config.dir.join("evidence"))
        .map_err(|e| Error::io("create", config.dir.join("evidence"), e))?;
    write_output(&toml_target, text.as_bytes())?;
    let requests = match request_list(&config, &library) {
        Ok(requests) => requests,
        Err(e) => {
            // Nothing half done: the project file was absent before this run.
            if let Destination::File { resolved, .. } = &toml_target {
                let _ = std::fs::remove_file(resolved);
            }
            return Err(e);
        }
    };
    write_output(&list_target, &requests.1)?;
    eprintln!(
        "wrote {} and {} ({} evidence requests)\nnext: fill in the list (Title, Collected, Result, Link), then run `auditpack build {}`",
        toml_path.display(),
        list.display(),
        requests.0,
        config.dir.display()
    );
    Ok(Outcome::Clean)
}

/// The evidence request list (how many requests, the workbook), made from the
/// project just written, audited without evidence.
fn request_list(config: &InitConfig, library: &Library) -> Result<(usize, Vec<u8>)> {
    let mut project = load_project(&config.dir)?;
    project.file.evidence.clear();
    let read = read_sources(&project.folders, &[], &[], &|span| project.at(span));
    let audit = assemble(&project, library, read).map_err(Error::Problems)?;
    let requests = evidence_requests(&audit);
    let bytes = render_requests_xlsx(&requests, &config.organization, audit.as_of)
        .map_err(|e| Error::render("the evidence request list", e))?;
    Ok((requests.len(), bytes))
}

impl InitConfig {
    fn new(args: InitArgs, library: &Library) -> Result<InitConfig> {
        for file in [PROJECT_FILE, REQUEST_LIST] {
            if std::fs::symlink_metadata(args.dir.join(file)).is_ok() {
                return Err(Error::Usage(format!(
                    "{} already holds an {file}; init never replaces it, so nothing was written",
                    args.dir.display()
                )));
            }
        }
        if let Some(name) = &args.organization
            && let Some(c) = name.chars().find(|c| c.is_control())
        {
            return Err(Error::Usage(format!(
                "--organization holds a control character (U+{:04X}); a name is one line of text. Nothing was written",
                c as u32
            )));
        }
        let mut frameworks = Vec::new();
        let wanted = match args.frameworks.is_empty() {
            true => vec!["soc2".to_string()],
            false => args.frameworks,
        };
        for id in &wanted {
            let catalog = library
                .catalog_index(id)
                .map(|i| &library.catalogs[i])
                .filter(|c| c.id != COMMON)
                .ok_or_else(|| Error::Usage(library.unknown_framework(id)))?;
            if !frameworks.iter().any(|(f, _)| *f == catalog.id) {
                frameworks.push((catalog.id.clone(), catalog.scope_tag.clone()));
            }
        }
        let mut providers = Vec::new();
        for id in &args.providers {
            let provider = library
                .providers
                .iter()
                .find(|p| p.id.eq_ignore_ascii_case(id))
                .ok_or_else(|| {
                    let ids: Vec<&str> = library.providers.iter().map(|p| p.id.as_str()).collect();
                    Error::Usage(format!(
                        "unknown provider \"{id}\" (known: {})",
                        ids.join(", ")
                    ))
                })?;
            if !providers.contains(&provider.id) {
                providers.push(provider.id.clone());
            }
        }
        let imported = match &args.from {
            Some(path) => Some(import(path, library)?),
            None => None,
        };
        for entry in imported.iter().flat_map(Imported::entries) {
            if !providers.contains(&entry.provider) {
                providers.push(entry.provider.clone());
            }
        }
        if providers.is_empty() {
            return Err(Error::Usage(
                "name the providers the team uses (--provider aws) or a Terraform file (--from terraform.json)".to_string(),
            ));
        }
        let organization = args
            .organization
            .unwrap_or_else(|| "Example Organization".to_string());
        Ok(InitConfig {
            dir: args.dir,
            organization,
            providers,
            frameworks,
            imported,
            period: current_quarter(),
        })
    }
}

fn import(path: &Path, library: &Library) -> Result<Imported> {
    // A regular file, checked before it is opened (a named pipe would block), and
    // capped: the stream ends at the limit, however long the file grows.
    let (file, _) = open_stream(path, path, InputKind::Terraform)
        .map_err(|message| Error::Problems(vec![Problem::new(Location::file(path), message)]))?;
    let read = read_terraform(file, path).map_err(|p| Error::Problems(vec![p]))?;
    let source = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let found: Vec<_> = read
        .resources
        .into_iter()
        .map(|r| found_in_terraform(r, &source))
        .collect();
    Ok(group(&found, &library.providers, &[]))
}

/// The calendar quarter holding today (or `SOURCE_DATE_EPOCH`).
fn current_quarter() -> (NaiveDate, NaiveDate) {
    let today = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
        .map_or_else(|| chrono::Utc::now().date_naive(), |d| d.date_naive());
    let first_month = (today.month0() / 3) * 3 + 1;
    let start = NaiveDate::from_ymd_opt(today.year(), first_month, 1).unwrap_or(today);
    let end = start
        .checked_add_months(chrono::Months::new(3))
        .and_then(|d| d.pred_opt())
        .unwrap_or(today);
    (start, end)
}

/// A TOML basic string.
fn quote(text: &str) -> String {
    toml_edit::Value::from(text).to_string().trim().to_string()
}

/// The starter service for a provider with no imported inventory.
fn starter_service(provider: &str) -> &'static str {
    match provider {
        "aws" => "ec2",
        "azure" => "virtual-machines",
        "gcp" => "compute-engine",
        _ => "",
    }
}

/// The commented `audit.toml`.
fn project_toml(config: &InitConfig) -> String {
    let (start, end) = config.period;
    let ids: Vec<String> = config.frameworks.iter().map(|(id, _)| quote(id)).collect();
    let scopes: Vec<String> = config
        .frameworks
        .iter()
        .filter_map(|(_, tag)| tag.as_deref().map(quote))
        .collect();
    let mut t = String::new();
    t.push_str(&format!(
        "# The auditpack project of {}: written by `auditpack init`.\n\
         # Fill in {REQUEST_LIST}, then run `auditpack build .`.\n\n\
         [organization]\nname = {}\n\n\
         [audit]\nperiod_start = {start}\nperiod_end = {end}\nas_of = {end}\n\
         frameworks = [{}]\n\
         freshness_days = 90            # evidence older than this is stale, unless a control says otherwise\n\n",
        config.organization.replace('\n', " "),
        quote(&config.organization),
        ids.join(", ")
    ));
    t.push_str(
        "# What the team runs: each entry is a provider service, named as the team names it.\n\
         # Scope tags decide which frameworks apply (\"phi\" for HIPAA, \"cde\" for PCI DSS).\n\
         # `auditpack inventory import terraform.json --write .` adds entries from what exists.\n",
    );
    match &config.imported {
        Some(imported) if imported.entries().next().is_some() => {
            t.push_str(
                "# Imported from Terraform; every entry carries every scope tag: narrow them.\n",
            );
            for entry in imported.entries() {
                t.push_str(&inventory_entry(
                    &entry.name,
                    &entry.provider,
                    &entry.service,
                    &scopes,
                ));
            }
        }
        _ => {
            t.push_str("# A starting point: replace it with the services the team uses.\n");
            for provider in &config.providers {
                let service = starter_service(provider);
                if !service.is_empty() {
                    t.push_str(&inventory_entry(
                        "main-workload",
                        provider,
                        service,
                        &scopes,
                    ));
                }
            }
        }
    }
    t.push_str(
        "\n# Who owns the controls, by framework (or framework:family, framework:control);\n\
         # the evidence request list names them.\n[owners]\n",
    );
    for (id, _) in &config.frameworks {
        t.push_str(&format!(
            "{} = {{ owner = \"Compliance lead\" }}\n",
            quote(id)
        ));
    }
    t.push_str(&format!(
        "\n# The evidence request list: one row per control the team must evidence.\n\
         # Rows not filled in yet are open requests; build reads the filled ones.\n\
         [[evidence]]\npath = {}\nsheets = [{}]\n",
        quote(REQUEST_LIST),
        quote(REQUEST_SHEET)
    ));
    t
}

fn inventory_entry(name: &str, provider: &str, service: &str, scopes: &[String]) -> String {
    format!(
        "\n[[inventory]]\nname = {}\nprovider = {}\nservice = {}\ntags = [{}]\n",
        quote(name),
        quote(provider),
        quote(service),
        scopes.join(", ")
    )
}
