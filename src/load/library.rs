//! Load: the catalogs and provider models embedded in the binary, plus a project's own.

use crate::diag::{Location, Problem};
use crate::error::{Error, Result};
use crate::load::input::{InputFolders, InputKind, read_text};
use crate::model::catalog::Catalog;
use crate::model::library::{COMMON, Library};
use crate::model::provider::Provider;
use crate::model::reports::ReportRules;
use crate::model::scanner_checks::{CheckMappingFile, ShippedChecks};
use std::path::{Path, PathBuf};

/// Which reports back which framework, shipped with the tool.
pub const REPORT_RULES: &str = include_str!("../../frameworks/attestations.toml");

/// Catalogs shipped with the tool: (file name, contents).
pub const BUILTIN_CATALOGS: &[(&str, &str)] = &[
    ("cis.toml", include_str!("../../frameworks/cis.toml")),
    ("common.toml", include_str!("../../frameworks/common.toml")),
    ("hipaa.toml", include_str!("../../frameworks/hipaa.toml")),
    (
        "iso27001.toml",
        include_str!("../../frameworks/iso27001.toml"),
    ),
    (
        "pci-dss.toml",
        include_str!("../../frameworks/pci-dss.toml"),
    ),
    ("soc2.toml", include_str!("../../frameworks/soc2.toml")),
];

/// Shipped mappings of scanners' check ids to common controls: (file name, contents).
pub const BUILTIN_CHECK_MAPPINGS: &[(&str, &str)] = &[
    (
        "securityhub.toml",
        include_str!("../../frameworks/scanner-checks/securityhub.toml"),
    ),
    (
        "checkov.toml",
        include_str!("../../frameworks/scanner-checks/checkov.toml"),
    ),
    (
        "prowler.toml",
        include_str!("../../frameworks/scanner-checks/prowler.toml"),
    ),
    (
        "defender.toml",
        include_str!("../../frameworks/scanner-checks/defender.toml"),
    ),
    (
        "scc.toml",
        include_str!("../../frameworks/scanner-checks/scc.toml"),
    ),
    (
        "advisors.toml",
        include_str!("../../frameworks/scanner-checks/advisors.toml"),
    ),
];

/// Provider models shipped with the tool: (file name, contents).
pub const BUILTIN_PROVIDERS: &[(&str, &str)] = &[
    (
        "aws.toml",
        include_str!("../../frameworks/responsibility/aws.toml"),
    ),
    (
        "azure.toml",
        include_str!("../../frameworks/responsibility/azure.toml"),
    ),
    (
        "gcp.toml",
        include_str!("../../frameworks/responsibility/gcp.toml"),
    ),
];

/// The shipped library, with a project's `frameworks/` added or replacing by id.
/// Problems name the file they are in; the project files read are kept in `Library::sources`.
pub fn load_library(project_root: Option<&Path>) -> Result<Library> {
    let mut problems = Vec::new();
    let mut catalogs: Vec<(PathBuf, Catalog)> = Vec::new();
    let mut providers: Vec<(PathBuf, Provider)> = Vec::new();
    for (name, text) in BUILTIN_CATALOGS {
        let path = Path::new("frameworks").join(name);
        if let Some(c) = parse::<Catalog>(&path, text, &mut problems) {
            catalogs.push((path, c));
        }
    }
    for (name, text) in BUILTIN_PROVIDERS {
        let path = Path::new("frameworks/responsibility").join(name);
        if let Some(p) = parse::<Provider>(&path, text, &mut problems) {
            providers.push((path, p));
        }
    }
    let mut sources = Vec::new();
    if let Some(root) = project_root {
        let folders = InputFolders::project(root).map_err(Error::Usage)?;
        for (path, text) in project_files(&folders, root, "frameworks")? {
            let shown = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            sources.push(shown.clone());
            if let Some(c) = parse::<Catalog>(&shown, &text, &mut problems) {
                catalogs.retain(|(_, existing)| existing.id != c.id);
                catalogs.push((shown, c));
            }
        }
        for (path, text) in project_files(&folders, root, "frameworks/responsibility")? {
            let shown = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            sources.push(shown.clone());
            if let Some(p) = parse::<Provider>(&shown, &text, &mut problems) {
                providers.retain(|(_, existing)| existing.id != p.id);
                providers.push((shown, p));
            }
        }
    }
    for (path, catalog) in &catalogs {
        problems.extend(
            catalog
                .check()
                .into_iter()
                .map(|m| Problem::new(Location::file(path), m)),
        );
    }
    for (path, provider) in &providers {
        problems.extend(
            provider
                .check()
                .into_iter()
                .map(|m| Problem::new(Location::file(path), m)),
        );
    }
    if !problems.is_empty() {
        return Err(Error::Problems(problems));
    }
    let common_path = catalogs
        .iter()
        .find(|(_, c)| c.id == COMMON)
        .map(|(p, _)| p.clone());
    let mut library = Library::new(
        catalogs.into_iter().map(|(_, c)| c).collect(),
        providers.into_iter().map(|(_, p)| p).collect(),
    );
    if !library.broken_links.is_empty() {
        let at = Location::file(common_path.unwrap_or_default());
        let problems = library
            .broken_links
            .iter()
            .map(|m| Problem::new(at.clone(), m.clone()))
            .collect();
        return Err(Error::Problems(problems));
    }
    let rules_path = Path::new("frameworks/attestations.toml");
    let mut problems = Vec::new();
    if let Some(rules) = parse::<ReportRules>(rules_path, REPORT_RULES, &mut problems) {
        problems.extend(
            rules
                .check()
                .into_iter()
                .map(|m| Problem::new(Location::file(rules_path), m)),
        );
        library.reports = rules;
    }
    if !problems.is_empty() {
        return Err(Error::Problems(problems));
    }
    let mut mappings = Vec::new();
    let mut problems = Vec::new();
    for (name, text) in BUILTIN_CHECK_MAPPINGS {
        let path = Path::new("frameworks/scanner-checks").join(name);
        if let Some(m) = parse::<CheckMappingFile>(&path, text, &mut problems) {
            mappings.push((path, m));
        }
    }
    let mut resolved = Vec::new();
    for (path, mapping) in mappings {
        let (_, unresolved) = ShippedChecks::new(vec![mapping.clone()], &library);
        problems.extend(
            unresolved
                .into_iter()
                .map(|m| Problem::new(Location::file(&path), m)),
        );
        resolved.push(mapping);
    }
    if !problems.is_empty() {
        return Err(Error::Problems(problems));
    }
    library.shipped_checks = ShippedChecks::new(resolved, &library).0;
    library.sources = sources;
    Ok(library)
}

/// The `.toml` files of a project's folder, sorted by name; none when the folder
/// does not exist. Each must be a regular file inside the project.
fn project_files(
    folders: &InputFolders,
    root: &Path,
    relative: &str,
) -> Result<Vec<(PathBuf, String)>> {
    let folder = root.join(relative);
    let entries = match std::fs::read_dir(&folder) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io("read folder", &folder, e)),
    };
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml") && !p.is_dir())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let shown = Path::new(relative).join(p.file_name().unwrap_or_default());
            folders
                .resolve(&shown, InputKind::Settings)
                .and_then(|resolved| read_text(&resolved, &shown, InputKind::Settings))
                .map(|t| (p.clone(), t))
                .map_err(|message| {
                    Error::Problems(vec![Problem::new(Location::file(&shown), message)])
                })
        })
        .collect()
}

fn parse<T: serde::de::DeserializeOwned>(
    path: &Path,
    text: &str,
    problems: &mut Vec<Problem>,
) -> Option<T> {
    match toml::from_str(text) {
        Ok(value) => Some(value),
        Err(e) => {
            let location = match e.span() {
                Some(span) => Location::in_text(path, text, span.start),
                None => Location::file(path),
            };
            problems.push(Problem::new(location, e.message().trim_end().to_string()));
            None
        }
    }
}
