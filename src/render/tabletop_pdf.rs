//! Render: the tabletop facilitator's worksheet (`auditpack tabletop --pdf`),
//! compiled in-process by Typst from `templates/tabletop.typ` and the exercise as JSON data.

use crate::error::{Error, Result};
use crate::model::tabletop::Tabletop;
use crate::render::typst_world::MemoryWorld;
use chrono::Datelike;
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

/// The worksheet's template.
pub const TABLETOP_TEMPLATE: &str = include_str!("../../templates/tabletop.typ");

/// Compile the worksheet, dated with the as-of date so output is reproducible.
pub fn render_tabletop_pdf(tabletop: &Tabletop) -> Result<Vec<u8>> {
    let what = "the tabletop worksheet PDF";
    let data = crate::render::tabletop_text::render_json(tabletop)?;
    let as_of = tabletop.as_of;
    let date = Datetime::from_ymd(as_of.year(), as_of.month() as u8, as_of.day() as u8)
        .ok_or_else(|| Error::render(what, format!("as-of date {as_of} is out of range")))?;
    let world = MemoryWorld::new(
        "tabletop.typ",
        TABLETOP_TEMPLATE.to_string(),
        vec![("data.json", data)],
        date,
    )
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
        ident: Smart::Custom("auditpack/tabletop".to_string()),
        timestamp,
        tagged: false,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(&document, &options)
        .map_err(|errors| Error::render(what, world.describe(&errors)))
}
