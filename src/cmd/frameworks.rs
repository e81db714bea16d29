//! `auditpack frameworks [list | show ID]`: the catalogs auditpack knows, and their controls.

use crate::cli::{FrameworksAction, FrameworksArgs, TableFormat};
use crate::cmd::{Outcome, print_stdout};
use crate::error::{Error, Result};
use crate::load::library::load_library;
use crate::model::catalog::Catalog;
use crate::model::library::Library;

pub fn run(args: FrameworksArgs) -> Result<Outcome> {
    let library = load_library(args.project.as_deref())?;
    let text = match args.action.unwrap_or(FrameworksAction::List) {
        FrameworksAction::List => list(&library),
        FrameworksAction::Show { id, format } => {
            let index = library
                .catalog_index(&id)
                .ok_or_else(|| Error::Usage(library.unknown_framework(&id)))?;
            show(&library.catalogs[index], format)?
        }
    };
    print_stdout(&text)?;
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
    Ok(match format {
        TableFormat::Table => align(&header, &rows),
        TableFormat::Csv => {
            let mut writer = csv::Writer::from_writer(Vec::new());
            let write = |w: &mut csv::Writer<Vec<u8>>, row: &[String]| {
                w.write_record(row).map_err(|e| Error::render("CSV", e))
            };
            write(&mut writer, &header.map(String::from))?;
            for row in &rows {
                write(&mut writer, row)?;
            }
            let bytes = writer.into_inner().map_err(|e| Error::render("CSV", e))?;
            String::from_utf8_lossy(&bytes).into_owned()
        }
        TableFormat::Json => {
            let mut text =
                serde_json::to_string_pretty(catalog).map_err(|e| Error::render("JSON", e))?;
            text.push('\n');
            text
        }
    })
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
