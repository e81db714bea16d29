//! Render: the tabletop facilitator's worksheet (`auditpack tabletop --pdf`),
//! compiled in-process by Typst from `templates/tabletop.typ` and the exercise as JSON data.

use crate::error::Result;
use crate::model::tabletop::Tabletop;
use crate::render::typst_world::compile_dated_pdf;

/// The worksheet's template.
pub const TABLETOP_TEMPLATE: &str = include_str!("../../templates/tabletop.typ");

/// Compile the worksheet, dated with the as-of date so output is reproducible.
pub fn render_tabletop_pdf(tabletop: &Tabletop) -> Result<Vec<u8>> {
    let what = "the tabletop worksheet PDF";
    let data = crate::render::tabletop_text::render_json(tabletop)?;
    let as_of = tabletop.as_of;
    compile_dated_pdf(
        what,
        ("tabletop.typ", TABLETOP_TEMPLATE),
        vec![("data.json", data)],
        as_of,
        "auditpack/tabletop",
    )
}
