//! Render: the changes document (`auditpack diff --pdf`), compiled in-process by Typst
//! from `templates/changes.typ` and the changes as JSON data.

use crate::error::{Error, Result};
use crate::render::diff_view::ChangesView;
use crate::render::typst_world::compile_dated_pdf;
use chrono::NaiveDate;

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
    let files = vec![
        ("data.json", data),
        (CHANGES_SECTION_NAME, CHANGES_SECTION.as_bytes().to_vec()),
    ];
    compile_dated_pdf(
        what,
        ("changes.typ", CHANGES_TEMPLATE),
        files,
        as_of,
        "auditpack/changes",
    )
}
