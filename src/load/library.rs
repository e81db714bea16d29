//! Load: the catalogs and provider models embedded in the binary, plus a project's own.

use crate::diag::{Location, Problem};
use crate::error::{Error, Result};
use crate::model::catalog::Catalog;
use crate::model::library::Library;
use crate::model::provider::Provider;
use std::path::Path;

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
pub fn load_library(project_root: Option<&Path>) -> Result<Library> {
    let mut problems = Vec::new();
    let mut catalogs: Vec<Catalog> = Vec::new();
    let mut providers: Vec<Provider> = Vec::new();
    for (name, text) in BUILTIN_CATALOGS {
        if let Some(c) = parse::<Catalog>(
            Path::new("frameworks").join(name).as_path(),
            text,
            &mut problems,
        ) {
            catalogs.push(c);
        }
    }
    for (name, text) in BUILTIN_PROVIDERS {
        let path = Path::new("frameworks/responsibility").join(name);
        if let Some(p) = parse::<Provider>(&path, text, &mut problems) {
            providers.push(p);
        }
    }
    if let Some(root) = project_root {
        for (path, text) in project_files(&root.join("frameworks"))? {
            let shown = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            if let Some(c) = parse::<Catalog>(&shown, &text, &mut problems) {
                catalogs.retain(|existing| existing.id != c.id);
                catalogs.push(c);
            }
        }
        for (path, text) in project_files(&root.join("frameworks/responsibility"))? {
            let shown = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            if let Some(p) = parse::<Provider>(&shown, &text, &mut problems) {
                providers.retain(|existing| existing.id != p.id);
                providers.push(p);
            }
        }
    }
    for catalog in &catalogs {
        for message in catalog.check() {
            problems.push(Problem::new(
                Location::file(format!("catalog {}", catalog.id)),
                message,
            ));
        }
    }
    for provider in &providers {
        for message in provider.check() {
            problems.push(Problem::new(
                Location::file(format!("provider {}", provider.id)),
                message,
            ));
        }
    }
    if !problems.is_empty() {
        return Err(Error::Problems(problems));
    }
    let library = Library::new(catalogs, providers);
    if !library.broken_links.is_empty() {
        let problems = library
            .broken_links
            .iter()
            .map(|m| Problem::new(Location::file("catalog common"), m.clone()))
            .collect();
        return Err(Error::Problems(problems));
    }
    Ok(library)
}

/// The `.toml` files of a folder, sorted by name; none when the folder does not exist.
fn project_files(folder: &Path) -> Result<Vec<(std::path::PathBuf, String)>> {
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io("read folder", folder, e)),
    };
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            std::fs::read_to_string(&p)
                .map(|t| (p.clone(), t))
                .map_err(|e| Error::io("read", &p, e))
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
