//! Render: the evidence request list (what auditors call a PBC list, "prepared
//! by client"): one row per customer or shared control of the frameworks in
//! scope, with what the control asks for, its owner from `[owners]` and when
//! its evidence is due. Its headers are the ones the evidence loader reads
//! (`Framework`, `Controls`, `Owner`, `Title`, `Collected`, `Result`, `Link`,
//! `Reviewer`), so the team fills in a row and `build` reads it back as it is;
//! a row nobody has filled in yet (no title, date, result, link or reviewer) is
//! an open request, which the loader passes over.

use crate::model::audit::Audit;
use crate::model::layer::Responsibility;
use crate::render::xlsx::WriteText;
use chrono::Datelike;
use chrono::NaiveDate;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatBorder, Workbook, XlsxError};

/// The sheet the list is written to, and that `audit.toml` names.
pub const REQUEST_SHEET: &str = "Evidence";

/// The columns, in order; the loader reads those it knows and ignores the rest.
pub const REQUEST_COLUMNS: [&str; 13] = [
    "Framework",
    "Controls",
    "Control title",
    "Responsibility",
    "Requested evidence",
    "Owner",
    "Due",
    "Collect after",
    "Title",
    "Collected",
    "Result",
    "Link",
    "Reviewer",
];

/// One request: a control the team must evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceRequest {
    pub framework: String,
    pub control: String,
    pub title: String,
    pub responsibility: &'static str,
    pub asks: String,
    pub owner: String,
    /// The first collection is due one freshness window (the control's cadence,
    /// else the project's) into the period, and no later than the as-of date.
    pub due: NaiveDate,
    /// Evidence collected before this date is stale at the as-of date.
    pub collect_after: NaiveDate,
}

/// Every customer or shared control of the frameworks in scope, in catalog order.
pub fn evidence_requests(audit: &Audit) -> Vec<EvidenceRequest> {
    let mut requests = Vec::new();
    for framework in &audit.frameworks {
        for control in &framework.controls {
            let responsibility = match control.responsibility {
                Some(Responsibility::Customer) => "customer",
                Some(Responsibility::Shared) => "shared",
                _ => continue,
            };
            let window = chrono::Days::new(control.freshness_days.into());
            let due = audit
                .period_start
                .checked_add_days(window)
                .map_or(audit.as_of, |d| d.min(audit.as_of));
            let collect_after = audit.as_of.checked_sub_days(window).unwrap_or(audit.as_of);
            requests.push(EvidenceRequest {
                framework: framework.id.clone(),
                control: control.id.clone(),
                title: control.title.clone(),
                responsibility,
                asks: control.description.clone(),
                owner: control.owner.clone().unwrap_or_default(),
                due,
                collect_after,
            });
        }
    }
    requests
}

/// The list as a workbook, dated `as_of` so the same project gives the same bytes.
pub fn render_requests_xlsx(
    requests: &[EvidenceRequest],
    organization: &str,
    as_of: NaiveDate,
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let created =
        ExcelDateTime::from_ymd(as_of.year() as u16, as_of.month() as u8, as_of.day() as u8)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(format!("{organization} evidence requests"))
            .set_author("auditpack")
            .set_creation_datetime(&created),
    );
    let sheet = workbook.add_worksheet();
    sheet.set_name(REQUEST_SHEET)?;
    let bold = Format::new()
        .set_bold()
        .set_background_color("D9E2F3")
        .set_border_bottom(FormatBorder::Thin);
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let wrap = Format::new().set_text_wrap();
    let widths = [
        10.0, 16.0, 30.0, 12.0, 60.0, 18.0, 11.0, 11.0, 30.0, 11.0, 9.0, 30.0, 16.0,
    ];
    for (col, name) in REQUEST_COLUMNS.iter().enumerate() {
        sheet.text_with_format(0, col as u16, *name, &bold)?;
        sheet.set_column_width(col as u16, widths[col])?;
    }
    sheet.set_freeze_panes(1, 2)?;
    for (i, r) in requests.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.text(row, 0, &r.framework)?;
        sheet.text(row, 1, &r.control)?;
        sheet.text_with_format(row, 2, &r.title, &wrap)?;
        sheet.text(row, 3, r.responsibility)?;
        sheet.text_with_format(row, 4, &r.asks, &wrap)?;
        sheet.text(row, 5, &r.owner)?;
        sheet.write_with_format(row, 6, &r.due, &date)?;
        sheet.write_with_format(row, 7, &r.collect_after, &date)?;
    }
    sheet.autofilter(
        0,
        0,
        requests.len().max(1) as u32,
        (REQUEST_COLUMNS.len() - 1) as u16,
    )?;
    workbook.save_to_buffer()
}
