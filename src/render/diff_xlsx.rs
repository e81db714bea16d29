//! Render: the changes workbook (`auditpack diff --xlsx`) and the Changes sheet of the
//! package workbook. Every value from a snapshot is written as a string, never a formula.

use crate::error::{Error, Result};
use crate::render::diff_view::ChangesView;
use crate::render::xlsx::WriteText;
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatBorder, Workbook, Worksheet, XlsxError,
};

const CHANGE_COLUMNS: [(&str, f64); 8] = [
    ("Change", 16.0),
    ("Framework", 10.0),
    ("Control or item", 20.0),
    ("Title", 36.0),
    ("Before", 22.0),
    ("After", 22.0),
    ("Why, before", 60.0),
    ("Why, after", 60.0),
];

/// A workbook with a Summary sheet (coverage) and a Changes sheet (one row per change).
/// Its creation time is the newer as-of date, so output is reproducible.
pub fn render_changes_xlsx(view: &ChangesView, as_of: NaiveDate) -> Result<Vec<u8>> {
    build(view, as_of).map_err(|e| Error::render("the changes workbook", e))
}

fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_background_color("D9E2F3")
        .set_border_bottom(FormatBorder::Thin)
}

fn build(view: &ChangesView, as_of: NaiveDate) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let created =
        ExcelDateTime::from_ymd(as_of.year() as u16, as_of.month() as u8, as_of.day() as u8)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(format!(
                "{} changes since the previous review",
                view.organization
            ))
            .set_author("auditpack")
            .set_creation_datetime(&created),
    );
    summary_sheet(workbook.add_worksheet(), view)?;
    changes_sheet(workbook.add_worksheet(), view)?;
    workbook.save_to_buffer()
}

fn summary_sheet(sheet: &mut Worksheet, view: &ChangesView) -> Result<(), XlsxError> {
    sheet.set_name("Summary")?;
    let header = header_format();
    let names = [
        ("Framework", 28.0),
        (&*format!("Coverage {}", view.old_as_of), 26.0),
        (&*format!("Coverage {}", view.new_as_of), 26.0),
        ("Change", 14.0),
    ];
    for (col, (name, width)) in names.iter().enumerate() {
        sheet.text_with_format(0, col as u16, *name, &header)?;
        sheet.set_column_width(col as u16, *width)?;
    }
    for (i, c) in view.coverage.iter().enumerate() {
        let row = i as u32 + 1;
        for (col, text) in [&c.framework, &c.before, &c.after, &c.delta]
            .iter()
            .enumerate()
        {
            sheet.text(row, col as u16, *text)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, (view.coverage.len() as u32).max(1), 3)?;
    let after = view.coverage.len() as u32 + 2;
    for (i, line) in view.headline.iter().enumerate() {
        sheet.text(after + i as u32, 0, line)?;
    }
    Ok(())
}

/// One row per change, the kind in the first column so a reviewer can filter by it.
pub fn changes_sheet(sheet: &mut Worksheet, view: &ChangesView) -> Result<(), XlsxError> {
    sheet.set_name("Changes")?;
    let header = header_format();
    let wrap = Format::new().set_text_wrap();
    for (col, (name, width)) in CHANGE_COLUMNS.iter().enumerate() {
        sheet.text_with_format(0, col as u16, *name, &header)?;
        sheet.set_column_width(col as u16, *width)?;
    }
    let mut row = 0;
    for section in &view.sections {
        for change in &section.rows {
            row += 1;
            let cells = [
                section.id,
                &change.framework,
                &change.item,
                &change.title,
                &change.before,
                &change.after,
            ];
            for (col, text) in cells.iter().enumerate() {
                sheet.text(row, col as u16, *text)?;
            }
            sheet.text_with_format(row, 6, &change.why_before, &wrap)?;
            sheet.text_with_format(row, 7, &change.why_after, &wrap)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, row.max(1), (CHANGE_COLUMNS.len() - 1) as u16)?;
    Ok(())
}
