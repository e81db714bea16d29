//! `auditpack frameworks [list | show ID | map ID]`: the catalogs auditpack knows,
//! their controls, and how they link through common controls.

use crate::cli::{FrameworksAction, FrameworksArgs, TableFormat};
use crate::cmd::{Outcome, print_stdout};
use crate::diag::printable;
use crate::error::{Error, Result};
use crate::load::library::load_library;
use crate::model::catalog::Catalog;
use crate::model::library::{ControlKey, Library};
use crate::model::scanner_checks::CheckMappingFile;
use crate::render::csv_safe;

/// The library with the project's declared services, when a project with an `audit.toml` is given.
fn with_declared(mut library: Library, project: Option<&std::path::Path>) -> Result<Library> {
    let Some(root) = project else {
        return Ok(library);
    };
    if !root.join(crate::load::project::PROJECT_FILE).exists() {
        return Ok(library);
    }
    let project = crate::load::project::load_project(root)?;
    crate::model::declared::declare_services(&project, &mut library).map_err(Error::Problems)?;
    Ok(library)
}

pub fn run(args: FrameworksArgs) -> Result<Outcome> {
    let library = load_library(args.project.as_deref())?;
    let action = args.action.unwrap_or(FrameworksAction::List);
    // Tables are for a terminal: a project's own catalog text is shown escaped there.
    let table = match &action {
        FrameworksAction::List => true,
        FrameworksAction::Show { format, .. } | FrameworksAction::Map { format, .. } => {
            matches!(format, TableFormat::Table)
        }
    };
    let text = match action {
        FrameworksAction::List => list(&library),
        FrameworksAction::Show {
            id,
            format,
            services,
        } if services
            || (library.catalog_index(&id).is_none() && library.provider(&id).is_some()) =>
        {
            let library = with_declared(library, args.project.as_deref())?;
            crate::cmd::frameworks_services::show(&library, &id, format)?
        }
        FrameworksAction::Show { id, format, .. } => {
            let index = library
                .catalog_index(&id)
                .ok_or_else(|| Error::Usage(library.unknown_framework(&id)))?;
            show(&library.catalogs[index], format)?
        }
        FrameworksAction::Map { id, format } => match library.catalog_index(&id) {
            Some(index) => map(&library, index, format)?,
            None => match check_mapping(&library, &id) {
                Some(file) => check_map(&library, file, format)?,
                None => return Err(Error::Usage(unknown_map(&library, &id))),
            },
        },
    };
    match table {
        true => print_stdout(&printable(&text))?,
        false => print_stdout(&text)?,
    }
    Ok(Outcome::Clean)
}

fn list(library: &Library) -> String {
    let rows: Vec<Vec<String>> = library
        .catalogs
        .iter()
        .map(|c| {
            vec![
                c.id.clone(),
                c.name.clone(),
                c.version.clone(),
                c.controls.len().to_string(),
                c.publisher.clone(),
            ]
        })
        .collect();
    align(&["id", "name", "version", "controls", "publisher"], &rows)
}

fn show(catalog: &Catalog, format: TableFormat) -> Result<String> {
    let header = ["id", "family", "title", "layers", "attributes"];
    let rows: Vec<Vec<String>> = catalog
        .controls
        .iter()
        .map(|c| {
            let layers: Vec<&str> = c.layers.iter().map(|l| l.id()).collect();
            let attributes: Vec<String> = c
                .attributes
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            vec![
                c.id.clone(),
                c.family.clone(),
                c.title.clone(),
                layers.join(" "),
                attributes.join("; "),
            ]
        })
        .collect();
    match format {
        TableFormat::Json => json_text(catalog),
        other => tabulate(&header, &rows, other),
    }
}

/// One row per link between a control and a common control, with what else it
/// reaches and why the link is as strong as it is.
fn map(library: &Library, framework: usize, format: TableFormat) -> Result<String> {
    let catalog = &library.catalogs[framework];
    let header = [
        "id",
        "title",
        "common",
        "relationship",
        "also counts for",
        "reason",
    ];
    let mut rows: Vec<Vec<String>> = Vec::new();
    for (index, control) in catalog.controls.iter().enumerate() {
        let key = ControlKey {
            framework,
            control: index,
        };
        let links = if Some(framework) == library.common() {
            library.links_from(key)
        } else {
            library.links_to(key)
        };
        if links.is_empty() {
            rows.push(vec![
                control.id.clone(),
                control.title.clone(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
        for &(other, relationship) in links {
            let link = if Some(framework) == library.common() {
                library.link(key, other)
            } else {
                library.link(other, key)
            };
            let reason = link.and_then(|l| l.reason()).unwrap_or_default();
            let all: Vec<usize> = (0..library.catalogs.len()).collect();
            let reached: Vec<String> = if Some(framework) == library.common() {
                Vec::new()
            } else {
                library
                    .reach(other, &all)
                    .iter()
                    .filter(|r| r.key.framework != framework && r.key != other)
                    .map(|r| library.display(r.key) + if r.full { "" } else { " (partial)" })
                    .collect()
            };
            rows.push(vec![
                control.id.clone(),
                control.title.clone(),
                library.display(other),
                relationship.id().to_string(),
                reached.join(", "),
                reason.to_string(),
            ]);
        }
    }
    match format {
        TableFormat::Json => {
            let objects: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| {
                    header
                        .iter()
                        .zip(r)
                        .map(|(h, v)| (h.to_string(), serde_json::Value::from(v.as_str())))
                        .collect()
                })
                .collect();
            json_text(&objects)
        }
        other => tabulate(&header, &rows, other),
    }
}

/// A shipped scanner check mapping by its scanner id (`securityhub`, `checkov`, `prowler`).
fn check_mapping<'a>(library: &'a Library, id: &str) -> Option<&'a CheckMappingFile> {
    library
        .shipped_checks
        .files
        .iter()
        .find(|f| f.scanner.eq_ignore_ascii_case(id.trim()))
}

fn unknown_map(library: &Library, id: &str) -> String {
    let scanners: Vec<&str> = library
        .shipped_checks
        .files
        .iter()
        .map(|f| f.scanner.as_str())
        .collect();
    format!(
        "{}; or a scanner's shipped check mapping: {}",
        library.unknown_framework(id),
        scanners.join(", ")
    )
}

/// One row per shipped check: the common controls it counts for, what they reach, and
/// where the check's meaning was read and why it serves them.
fn check_map(library: &Library, file: &CheckMappingFile, format: TableFormat) -> Result<String> {
    let header = ["check", "title", "common", "reaches", "source", "reason"];
    let all: Vec<usize> = (0..library.catalogs.len()).collect();
    let rows: Vec<Vec<String>> = file
        .checks
        .iter()
        .map(|check| {
            let keys = library.shipped_checks.controls(&file.scanner, &check.id);
            let common: Vec<String> = keys.iter().map(|k| library.display(*k)).collect();
            let mut reached: Vec<String> = keys
                .iter()
                .flat_map(|k| {
                    library
                        .reach(*k, &all)
                        .into_iter()
                        .filter(|r| r.key != *k && Some(r.key.framework) != library.common())
                        .map(|r| library.display(r.key) + if r.full { "" } else { " (partial)" })
                        .collect::<Vec<_>>()
                })
                .collect();
            reached.sort();
            reached.dedup();
            vec![
                check.id.clone(),
                check.title.clone(),
                common.join(", "),
                reached.join(", "),
                check.source.clone(),
                check.reason.clone(),
            ]
        })
        .collect();
    match format {
        TableFormat::Json => json_text(&objects(&header, &rows)),
        other => tabulate(&header, &rows, other),
    }
}

/// Rows as JSON objects keyed by the header.
fn objects(header: &[&str], rows: &[Vec<String>]) -> Vec<serde_json::Value> {
    rows.iter()
        .map(|r| {
            header
                .iter()
                .zip(r)
                .map(|(h, v)| (h.to_string(), serde_json::Value::from(v.as_str())))
                .collect()
        })
        .collect()
}

pub(crate) fn tabulate(
    header: &[&str],
    rows: &[Vec<String>],
    format: TableFormat,
) -> Result<String> {
    if format != TableFormat::Csv {
        return Ok(align(header, rows));
    }
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut write = |row: Vec<&str>| {
        let safe: Vec<_> = row.into_iter().map(csv_safe).collect();
        writer
            .write_record(safe.iter().map(|c| c.as_ref()))
            .map_err(|e| Error::render("CSV", e))
    };
    write(header.to_vec())?;
    for row in rows {
        write(row.iter().map(String::as_str).collect())?;
    }
    let bytes = writer.into_inner().map_err(|e| Error::render("CSV", e))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Columns padded to their widest cell; the last column is not padded.
fn align(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let last = cells.len() - 1;
        let padded: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i == last {
                    c.to_string()
                } else {
                    format!("{c:<w$}", w = widths[i])
                }
            })
            .collect();
        padded.join("  ").trim_end().to_string() + "\n"
    };
    let mut text = line(header.to_vec());
    for row in rows {
        text.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    text
}

/// JSON for standard output, every control character escaped.
pub(crate) fn json_text<T: serde::Serialize + ?Sized>(value: &T) -> Result<String> {
    let bytes = crate::render::json::to_json_pretty(value).map_err(|e| Error::render("JSON", e))?;
    Ok(crate::render::json::json_text(bytes))
}
