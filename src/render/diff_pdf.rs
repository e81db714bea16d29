//! Render: the changes document (`auditpack diff --pdf`), compiled in-process by Typst
//! from `templates/changes.typ` and the changes as JSON data.

use crate::error::{Error, Result};
use crate::render::diff_view::ChangesView;
use crate::render::typst_world::MemoryWorld;
use chrono::{Datelike, NaiveDate};
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

/// The changes document's template.
pub const CHANGES_TEMPLATE: &str = include_str!("../../templates/changes.typ");
/// The changes section, shared with the package template.
pub const CHANGES_SECTION: &str = include_str!("../../templates/changes-section.typ");
/// The name the templates import the section by.
pub const CHANGES_SECTION_NAME: &str = "changes-section.typ";

/// Compile the changes document, dated with the newer as-of date so output is reproducible.
pub fn render_changes_pdf(view: &ChangesView, as_of: NaiveDate) -> Result<Vec<u8>> {
    let what = "the changes PDF";
    let data = serde_json::to_vec(view).map_err(|e| Error::render(what, e))?;
    let date = Datetime::from_ymd(as_of.year(), as_of.month() as u8, as_of.day() as u8)
        .ok_or_else(|| Error::render(what, format!("as-of date {as_of} is out of range")))?;
    let files = vec![
        ("data.json", data),
        (CHANGES_SECTION_NAME, CHANGES_SECTION.as_bytes().to_vec()),
    ];
    let world = MemoryWorld::new("changes.typ", CHANGES_TEMPLATE.to_string(), files, date)
        .ok_or_else(|| Error::render(what, "a template name is not a valid path"))?;
    let document = typst::compile::<PagedDocument>(&world)
        .output
        .map_err(|errors| Error::render(what, world.describe(&errors)))?;
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
        ident: Smart::Custom("auditpack/changes".to_string()),
        timestamp,
        tagged: false,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(&document, &options)
        .map_err(|errors| Error::render(what, world.describe(&errors)))
}
