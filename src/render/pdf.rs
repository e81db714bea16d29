//! Render: the audit package PDF, compiled in-process by Typst from a template and JSON data.

use crate::error::{Error, Result};
use crate::model::audit::Audit;
use crate::render::typst_world::MemoryWorld;
use crate::render::view::package_view;
use chrono::Datelike;
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

/// The template shipped with the tool.
pub const PACKAGE_TEMPLATE: &str = include_str!("../../templates/audit-package.typ");

/// Compile the package PDF. The document date is the as-of date, so output is reproducible.
pub fn render_pdf(audit: &Audit) -> Result<Vec<u8>> {
    let data =
        serde_json::to_vec(&package_view(audit)).map_err(|e| Error::render("the PDF data", e))?;
    let as_of = audit.as_of;
    let date = Datetime::from_ymd(as_of.year(), as_of.month() as u8, as_of.day() as u8)
        .ok_or_else(|| {
            Error::render(
                "the PDF",
                format!("as-of date {as_of} is out of Typst's range"),
            )
        })?;
    let world = MemoryWorld::new(
        "audit-package.typ",
        PACKAGE_TEMPLATE.to_string(),
        vec![("data.json", data)],
        date,
    )
    .ok_or_else(|| Error::render("the PDF", "invalid virtual path"))?;
    let compiled = typst::compile::<PagedDocument>(&world);
    let document = compiled
        .output
        .map_err(|errors| Error::render("the PDF", world.describe(&errors)))?;
    let timestamp = Datetime::from_ymd_hms(
        as_of.year(),
        as_of.month() as u8,
        as_of.day() as u8,
        0,
        0,
        0,
    )
    .map(Timestamp::new_utc);
    let options = PdfOptions {
        ident: Smart::Custom("auditpack/audit-package".to_string()),
        timestamp,
        tagged: false,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(&document, &options)
        .map_err(|errors| Error::render("the PDF", world.describe(&errors)))
}
