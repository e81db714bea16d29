//! Render: outputs made from the finished audit. Renderers only read the model.

pub mod check;
pub mod diff_pdf;
pub mod diff_tabletop_view;
pub mod diff_text;
pub mod diff_view;
pub mod diff_xlsx;
pub mod evidence_requests;
pub mod html;
pub mod inventory_toml;
pub mod json;
pub mod oscal;
pub mod package;
pub mod pdf;
pub mod snapshot;
pub mod tabletop_pdf;
pub mod tabletop_text;
pub mod typst_world;
pub mod view;
pub mod view_tabletop;
pub mod xlsx;
mod xlsx_drift;
pub mod xlsx_scans;
pub mod xlsx_tabletop;
mod xlsx_vendors;

/// A cell for a CSV file that a spreadsheet might open: text that a spreadsheet
/// would run as a formula gets a leading apostrophe, as OWASP recommends.
pub fn csv_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}
