//! Render: the audit workbook. Every value from input is written as text or a typed
//! value, never as a formula.

use crate::error::{Error, Result};
use crate::model::audit::Audit;
use crate::model::layer::Layer;
use crate::model::status::Status;
use crate::render::diff_view::ChangesView;
use crate::render::xlsx_scans;
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    Chart, ChartType, ConditionalFormatText, ConditionalFormatTextRule, DataValidation,
    DocProperties, ExcelDateTime, Format, FormatBorder, Url, Workbook, Worksheet, XlsxError,
};
use std::borrow::Cow;

/// Choices a reviewer can pick in the "Reviewer status" column.
const REVIEWER_CHOICES: [&str; 4] = [
    "Agreed",
    "Query raised",
    "Evidence requested",
    "Not applicable",
];

/// Status label prefixes and their fill colours. "inherited," (unattested) comes
/// before "inherited": the first matching rule wins.
const STATUS_FILLS: [(&str, &str); 8] = [
    ("inherited,", "FFEB9C"),
    ("inherited", "C6EFCE"),
    ("satisfied", "C6EFCE"),
    ("partial", "FFEB9C"),
    ("stale", "FFEB9C"),
    ("failing", "FFC7CE"),
    ("missing", "FFC7CE"),
    ("exception", "E4DFEC"),
];

/// The most text a cell holds: 32,767 UTF-16 units.
const CELL_LIMIT: usize = 32_767;

/// Text as a cell can hold it. Longer text (a CSV cell, a control's list of a thousand
/// evidence rows) is cut with a note of how much is left out, rather than failing the
/// workbook; the PDF and the Evidence sheet's rows hold all of it.
pub(crate) fn cell_text(text: &str) -> Cow<'_, str> {
    if text.len() <= CELL_LIMIT || text.encode_utf16().count() <= CELL_LIMIT {
        return Cow::Borrowed(text);
    }
    let total = text.chars().count();
    // The note is ASCII and under 100 units; keep what fits before it.
    let mut units = 0;
    let kept: String = text
        .chars()
        .take_while(|c| {
            units += c.len_utf16();
            units <= CELL_LIMIT - 100
        })
        .collect();
    let left_out = total - kept.chars().count();
    Cow::Owned(format!(
        "{kept} [... {left_out} more characters: a cell holds 32,767]"
    ))
}

/// Writing text to a cell, cut to what a cell holds.
pub(crate) trait WriteText {
    fn text(&mut self, row: u32, col: u16, text: impl AsRef<str>) -> Result<&mut Self, XlsxError>;
    fn text_with_format(
        &mut self,
        row: u32,
        col: u16,
        text: impl AsRef<str>,
        format: &Format,
    ) -> Result<&mut Self, XlsxError>;
}

impl WriteText for Worksheet {
    fn text(&mut self, row: u32, col: u16, text: impl AsRef<str>) -> Result<&mut Self, XlsxError> {
        self.write_string(row, col, cell_text(text.as_ref()))
    }

    fn text_with_format(
        &mut self,
        row: u32,
        col: u16,
        text: impl AsRef<str>,
        format: &Format,
    ) -> Result<&mut Self, XlsxError> {
        self.write_string_with_format(row, col, cell_text(text.as_ref()), format)
    }
}

fn xlsx_error(e: XlsxError) -> Error {
    Error::render("the workbook", e)
}

/// Build the workbook in memory. Its creation time is the as-of date, so output is reproducible.
pub fn render_xlsx(audit: &Audit) -> Result<Vec<u8>> {
    render_xlsx_with_changes(audit, None)
}

/// As `render_xlsx`, with a Changes sheet when `changes` since the previous review are given.
pub fn render_xlsx_with_changes(audit: &Audit, changes: Option<&ChangesView>) -> Result<Vec<u8>> {
    if audit.evidence.len() > EXCEL_DATA_ROWS as usize {
        return Err(Error::render(
            "the workbook",
            format!(
                "{} evidence rows are more than the {EXCEL_DATA_ROWS} an Excel sheet holds; build the PDF and snapshot alone with --format pdf --format json",
                audit.evidence.len()
            ),
        ));
    }
    build(audit, changes, EXCEL).map_err(xlsx_error)
}

pub(super) struct Styles {
    pub(super) header: Format,
    pub(super) date: Format,
    pub(super) wrap: Format,
    percent: Format,
}

/// `limits` are Excel's; tests lower them to see a split or a streamed sheet.
fn build(
    audit: &Audit,
    changes: Option<&ChangesView>,
    limits: Limits,
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let as_of = audit.as_of;
    let created =
        ExcelDateTime::from_ymd(as_of.year() as u16, as_of.month() as u8, as_of.day() as u8)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(format!("{} audit workbook", audit.organization))
            .set_company(&audit.organization)
            .set_author("auditpack")
            .set_creation_datetime(&created),
    );
    let styles = Styles {
        header: Format::new()
            .set_bold()
            .set_background_color("D9E2F3")
            .set_border_bottom(FormatBorder::Thin),
        date: Format::new().set_num_format("yyyy-mm-dd"),
        wrap: Format::new().set_text_wrap(),
        percent: Format::new().set_num_format("0%"),
    };
    summary_sheet(workbook.add_worksheet(), audit, &styles)?;
    controls_sheet(workbook.add_worksheet(), audit, &styles)?;
    matrix_sheet(workbook.add_worksheet(), audit, &styles)?;
    // A very large Evidence sheet is written a row at a time, as the Findings sheets
    // are: held in memory, a million rows take about 1.4 GB.
    match audit.evidence.len() > limits.streamed_evidence_rows {
        true => evidence_sheet(
            workbook.add_worksheet_with_constant_memory()?,
            audit,
            &styles,
            true,
        )?,
        false => evidence_sheet(workbook.add_worksheet(), audit, &styles, false)?,
    }
    reported_sheet(workbook.add_worksheet(), audit, &styles)?;
    gaps_sheet(workbook.add_worksheet(), audit, &styles)?;
    exceptions_sheet(workbook.add_worksheet(), audit, &styles)?;
    attestations_sheet(workbook.add_worksheet(), audit, &styles)?;
    crate::render::xlsx_vendors::vendors_sheet(workbook.add_worksheet(), audit, &styles)?;
    crate::render::xlsx_vendors::cuecs_sheet(workbook.add_worksheet(), audit, &styles)?;
    if let Some(tabletop) = &audit.tabletop {
        crate::render::xlsx_tabletop::readiness_sheet(workbook.add_worksheet(), tabletop)?;
    }
    if let Some(changes) = changes {
        crate::render::diff_xlsx::changes_sheet(workbook.add_worksheet(), changes)?;
    }
    if !audit.scans.is_empty() {
        crate::render::xlsx_drift::drift_sheet(workbook.add_worksheet(), audit, &styles)?;
        xlsx_scans::scans_sheet(workbook.add_worksheet(), audit, &styles)?;
        xlsx_scans::findings_sheets(&mut workbook, audit, &styles, limits.rows_per_sheet)?;
    }
    workbook.save_to_buffer()
}

/// Data rows a sheet holds below its header: Excel's limit is 1,048,576 rows.
const EXCEL_DATA_ROWS: u32 = 1_048_575;

#[derive(Clone, Copy)]
struct Limits {
    /// Findings continue on a new sheet past this many rows.
    rows_per_sheet: u32,
    /// Above this many rows the Evidence sheet is streamed, and not sized to its content.
    streamed_evidence_rows: usize,
}

const EXCEL: Limits = Limits {
    rows_per_sheet: EXCEL_DATA_ROWS,
    streamed_evidence_rows: 100_000,
};

/// Header row with filter and frozen panes; `widths` sizes the columns.
pub(super) fn header(
    sheet: &mut Worksheet,
    names: &[&str],
    widths: &[f64],
    styles: &Styles,
) -> Result<(), XlsxError> {
    for (col, name) in names.iter().enumerate() {
        sheet.text_with_format(0, col as u16, *name, &styles.header)?;
        sheet.set_column_width(col as u16, widths.get(col).copied().unwrap_or(14.0))?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Autofilter over the header and `rows` data rows; then columns are sized to
/// their content, up to about 60 characters (long text wraps).
pub(super) fn filter(sheet: &mut Worksheet, rows: u32, columns: usize) -> Result<(), XlsxError> {
    sheet.autofilter(0, 0, rows.max(1), (columns - 1) as u16)?;
    sheet.set_autofit_max_width(MAX_COLUMN_PIXELS);
    sheet.autofit();
    Ok(())
}

/// The widest a column is sized to fit its content, in pixels (about 60 characters).
const MAX_COLUMN_PIXELS: u32 = 420;

pub(super) fn date(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: Option<NaiveDate>,
    styles: &Styles,
) -> Result<(), XlsxError> {
    if let Some(d) = value {
        sheet.write_with_format(row, col, &d, &styles.date)?;
    }
    Ok(())
}

fn summary_sheet(sheet: &mut Worksheet, audit: &Audit, styles: &Styles) -> Result<(), XlsxError> {
    sheet.set_name("Summary")?;
    let mut names = vec![
        "Framework",
        "Version",
        "Controls",
        "Applicable",
        "Coverage",
        "Inherited",
        "Shared",
        "Customer",
    ];
    names.extend(Status::ALL.iter().map(|s| s.label()));
    header(
        sheet,
        &names,
        &[28.0, 22.0, 10.0, 11.0, 10.0, 10.0, 10.0, 10.0],
        styles,
    )?;
    for (i, f) in audit.frameworks.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.text(row, 0, &f.name)?;
        sheet.text(row, 1, &f.version)?;
        sheet.write_number(row, 2, f.controls.len() as f64)?;
        sheet.write_number(row, 3, f.applicable() as f64)?;
        sheet.write_number_with_format(row, 4, f.coverage() / 100.0, &styles.percent)?;
        use crate::model::layer::Responsibility as R;
        for (col, r) in [(5, R::Inherited), (6, R::Shared), (7, R::Customer)] {
            sheet.write_number(row, col, f.count_responsibility(r) as f64)?;
        }
        for (j, status) in Status::ALL.iter().enumerate() {
            sheet.write_number(row, 8 + j as u16, f.count(*status) as f64)?;
        }
    }
    if !audit.frameworks.is_empty() {
        let last = audit.frameworks.len() as u32;
        let mut chart = Chart::new(ChartType::Bar);
        chart.title().set_name("Coverage of applicable controls");
        chart
            .add_series()
            .set_name("Coverage")
            .set_categories(("Summary", 1, 0, last, 0))
            .set_values(("Summary", 1, 4, last, 4));
        chart.legend().set_hidden();
        sheet.insert_chart(last + 9, 0, &chart)?;
    }
    let after = audit.frameworks.len() as u32 + 2;
    let facts = [
        ("Organization", audit.organization.clone()),
        (
            "Audit period",
            format!("{} to {}", audit.period_start, audit.period_end),
        ),
        ("As of", audit.as_of.to_string()),
        ("Evidence rows read", audit.rows_read.to_string()),
        ("Evidence rows mapped", audit.rows_mapped().to_string()),
        ("Evidence rows reported", audit.reported.len().to_string()),
    ];
    for (i, (label, value)) in facts.iter().enumerate() {
        sheet.text_with_format(after + i as u32, 0, *label, &styles.header)?;
        sheet.text(after + i as u32, 1, value)?;
    }
    Ok(())
}

fn controls_sheet(sheet: &mut Worksheet, audit: &Audit, styles: &Styles) -> Result<(), XlsxError> {
    sheet.set_name("Controls")?;
    let names = [
        "Framework",
        "Control",
        "Title",
        "Family",
        "Responsibility",
        "Rationale",
        "Owner",
        "Backup owner",
        "Status",
        "Status reason",
        "Evidence",
        "Last collected",
        "Due",
        "Reviewer status",
        "Reviewer notes",
    ];
    let widths = [
        10.0, 18.0, 36.0, 28.0, 13.0, 60.0, 20.0, 20.0, 20.0, 60.0, 24.0, 13.0, 13.0, 18.0, 40.0,
    ];
    header(sheet, &names, &widths, styles)?;
    let mut row = 0;
    for f in &audit.frameworks {
        for c in &f.controls {
            row += 1;
            let evidence: Vec<String> =
                c.evidence.iter().map(|u| audit.evidence_label(u)).collect();
            let cells = [
                f.id.as_str(),
                c.id.as_str(),
                c.title.as_str(),
                f.family_name(&c.family),
                c.responsibility.map_or("n/a", |r| r.id()),
            ];
            for (col, text) in cells.iter().enumerate() {
                sheet.text(row, col as u16, *text)?;
            }
            sheet.text_with_format(row, 5, &c.rationale, &styles.wrap)?;
            sheet.text(row, 6, c.owner.as_deref().unwrap_or(""))?;
            sheet.text(row, 7, c.backup_owner.as_deref().unwrap_or(""))?;
            sheet.text(row, 8, c.status.label())?;
            sheet.text_with_format(row, 9, &c.status_reason, &styles.wrap)?;
            sheet.text(row, 10, evidence.join(", "))?;
            date(sheet, row, 11, c.last_collected, styles)?;
            date(sheet, row, 12, c.due, styles)?;
        }
    }
    colour_statuses(sheet, row, 8)?;
    if row > 0 {
        let choices = DataValidation::new().allow_list_strings(&REVIEWER_CHOICES)?;
        sheet.add_data_validation(1, 13, row, 13, &choices)?;
    }
    filter(sheet, row, names.len())
}

/// Fill a status column by its value, so a reviewer sees the gaps at a glance.
pub(super) fn colour_statuses(
    sheet: &mut Worksheet,
    last_row: u32,
    column: u16,
) -> Result<(), XlsxError> {
    if last_row == 0 {
        return Ok(());
    }
    for (prefix, fill) in STATUS_FILLS {
        let rule = ConditionalFormatText::new()
            .set_rule(ConditionalFormatTextRule::BeginsWith(prefix.to_string()))
            .set_format(Format::new().set_background_color(fill));
        sheet.add_conditional_format(1, column, last_row, column, &rule)?;
    }
    Ok(())
}

/// A link from evidence: a real hyperlink only for web addresses Excel accepts, text otherwise.
fn link(sheet: &mut Worksheet, row: u32, col: u16, value: Option<&str>) -> Result<(), XlsxError> {
    let Some(value) = value else { return Ok(()) };
    let web = value.starts_with("https://") || value.starts_with("http://");
    if web
        && value.len() < 2000
        && !value.contains(char::is_whitespace)
        && sheet.write_url(row, col, Url::new(value)).is_ok()
    {
        return Ok(());
    }
    sheet.text(row, col, value)?;
    Ok(())
}

/// `streamed`: the sheet is in constant-memory mode, so rows go in order and the
/// columns keep their set widths.
fn evidence_sheet(
    sheet: &mut Worksheet,
    audit: &Audit,
    styles: &Styles,
    streamed: bool,
) -> Result<(), XlsxError> {
    sheet.set_name("Evidence")?;
    let rows = audit.evidence.len();
    if streamed {
        sheet.autofilter(0, 0, rows.max(1) as u32, 12)?;
    }
    let names = [
        "ID",
        "Title",
        "Source file",
        "Sheet",
        "Row",
        "Controls",
        "Collected",
        "Result",
        "Owner",
        "Reviewer",
        "Expires",
        "Link",
        "Description",
    ];
    header(
        sheet,
        &names,
        &[
            16.0, 40.0, 26.0, 14.0, 7.0, 36.0, 12.0, 9.0, 18.0, 18.0, 12.0, 30.0, 40.0,
        ],
        styles,
    )?;
    for (i, e) in audit.evidence.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.text(row, 0, &e.id)?;
        sheet.text(row, 1, &e.title)?;
        sheet.text(row, 2, e.origin.path.display().to_string())?;
        sheet.text(row, 3, e.origin.sheet.as_deref().unwrap_or(""))?;
        sheet.write_number(row, 4, f64::from(e.origin.row))?;
        let controls: Vec<String> = e.controls.iter().map(|(f, c)| format!("{f} {c}")).collect();
        sheet.text(row, 5, controls.join(", "))?;
        date(sheet, row, 6, e.collected, styles)?;
        let result = e.outcome.id().to_string();
        sheet.text(
            row,
            7,
            if e.outcome_stated {
                result
            } else {
                format!("{result} (assumed)")
            },
        )?;
        sheet.text(row, 8, e.owner.as_deref().unwrap_or(""))?;
        sheet.text(row, 9, e.reviewer.as_deref().unwrap_or(""))?;
        date(sheet, row, 10, e.expires, styles)?;
        link(sheet, row, 11, e.link.as_deref())?;
        sheet.text(row, 12, e.description.as_deref().unwrap_or(""))?;
    }
    match streamed {
        true => Ok(()),
        false => filter(sheet, rows as u32, names.len()),
    }
}

fn reported_sheet(sheet: &mut Worksheet, audit: &Audit, styles: &Styles) -> Result<(), XlsxError> {
    sheet.set_name("Unmapped")?;
    let names = ["Position", "Source file", "Sheet", "Row", "Title", "Reason"];
    header(sheet, &names, &[36.0, 26.0, 14.0, 7.0, 40.0, 70.0], styles)?;
    let mut last = audit.reported.len() as u32;
    for scan in &audit.scans {
        for dropped in &scan.dropped_examples {
            last += 1;
            sheet.text(last, 0, dropped)?;
            sheet.text(last, 1, scan.results.path.display().to_string())?;
            sheet.text(last, 4, "(scanner finding, dropped)")?;
            sheet.text_with_format(last, 5, dropped, &styles.wrap)?;
        }
        let more = scan.dropped - scan.dropped_examples.len() as u64;
        if more > 0 {
            last += 1;
            sheet.text(last, 1, scan.results.path.display().to_string())?;
            sheet.text(last, 4, "(scanner findings, dropped)")?;
            sheet.text(
                last,
                5,
                format!("{more} more findings dropped; see the scanner file"),
            )?;
        }
    }
    for (i, r) in audit.reported.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.text(row, 0, &r.position)?;
        sheet.text(row, 1, r.origin.path.display().to_string())?;
        sheet.text(row, 2, r.origin.sheet.as_deref().unwrap_or(""))?;
        sheet.write_number(row, 3, f64::from(r.origin.row))?;
        sheet.text(row, 4, r.title.as_deref().unwrap_or(""))?;
        sheet.text_with_format(row, 5, r.reasons.join("; "), &styles.wrap)?;
    }
    filter(sheet, last, names.len())
}

fn matrix_sheet(sheet: &mut Worksheet, audit: &Audit, styles: &Styles) -> Result<(), XlsxError> {
    sheet.set_name("Responsibility matrix")?;
    let mut names = vec!["Workload", "Provider", "Service", "Model", "Tier", "Tags"];
    names.extend(Layer::ALL.iter().map(|l| l.name()));
    let mut widths = vec![22.0, 10.0, 22.0, 8.0, 8.0, 14.0];
    widths.extend([14.0; Layer::ALL.len()]);
    header(sheet, &names, &widths, styles)?;
    for (i, item) in audit.inventory.iter().enumerate() {
        let row = i as u32 + 1;
        let tier = item.tier.map(|t| t.id().to_string()).unwrap_or_default();
        let cells = [
            item.name.as_str(),
            item.provider_name.as_str(),
            item.service_name.as_str(),
            item.model.name(),
            tier.as_str(),
        ];
        for (col, text) in cells.iter().enumerate() {
            sheet.text(row, col as u16, *text)?;
        }
        sheet.text(row, 5, item.tags.join(", "))?;
        // Each owner under its own layer's column, whatever order or subset the
        // workload lists: a position is not a layer.
        for (layer, owner) in &item.owners {
            if let Some(j) = Layer::ALL.iter().position(|l| l == layer) {
                sheet.text(row, 6 + j as u16, owner.id())?;
            }
        }
    }
    filter(sheet, audit.inventory.len() as u32, names.len())
}

fn gaps_sheet(sheet: &mut Worksheet, audit: &Audit, styles: &Styles) -> Result<(), XlsxError> {
    sheet.set_name("Gaps")?;
    let names = [
        "Framework",
        "Control",
        "Title",
        "Status",
        "Why",
        "Owner",
        "Due",
    ];
    header(
        sheet,
        &names,
        &[10.0, 18.0, 36.0, 20.0, 70.0, 24.0, 13.0],
        styles,
    )?;
    let mut row = 0;
    for f in &audit.frameworks {
        for c in f.controls.iter().filter(|c| c.status.is_gap()) {
            row += 1;
            sheet.text(row, 0, &f.id)?;
            sheet.text(row, 1, &c.id)?;
            sheet.text(row, 2, &c.title)?;
            sheet.text(row, 3, c.status.label())?;
            sheet.text_with_format(row, 4, &c.status_reason, &styles.wrap)?;
            sheet.text(row, 5, c.owner.as_deref().unwrap_or(""))?;
            date(sheet, row, 6, c.due, styles)?;
        }
    }
    colour_statuses(sheet, row, 3)?;
    filter(sheet, row, names.len())
}

fn exceptions_sheet(
    sheet: &mut Worksheet,
    audit: &Audit,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name("Exceptions")?;
    let names = [
        "Framework",
        "Control",
        "Reason",
        "Ticket",
        "Approver",
        "Approved",
        "Expires",
        "Expired",
    ];
    header(
        sheet,
        &names,
        &[10.0, 18.0, 60.0, 14.0, 24.0, 12.0, 12.0, 9.0],
        styles,
    )?;
    for (i, e) in audit.exceptions.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.text(row, 0, &e.framework)?;
        sheet.text(row, 1, &e.control)?;
        sheet.text_with_format(row, 2, &e.reason, &styles.wrap)?;
        sheet.text(row, 3, &e.ticket)?;
        sheet.text(row, 4, &e.approver)?;
        date(sheet, row, 5, e.approved, styles)?;
        date(sheet, row, 6, Some(e.expires), styles)?;
        sheet.text(row, 7, if e.expired { "yes" } else { "no" })?;
    }
    filter(sheet, audit.exceptions.len() as u32, names.len())
}

fn attestations_sheet(
    sheet: &mut Worksheet,
    audit: &Audit,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name("Attestations")?;
    let names = [
        "Provider",
        "Report or agreement",
        "Valid as",
        "Frameworks it backs",
        "Period start",
        "Period end",
        "Issued",
        "Bridged to",
        "Opinion",
        "Services in use",
        "Over the audit period",
        "Obtained from",
    ];
    header(
        sheet,
        &names,
        &[
            10.0, 36.0, 16.0, 30.0, 12.0, 12.0, 12.0, 12.0, 12.0, 30.0, 60.0, 28.0,
        ],
        styles,
    )?;
    for (i, a) in audit.attestations.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.text(row, 0, a.provider_label())?;
        sheet.text(row, 1, &a.name)?;
        sheet.text(row, 2, a.validity.id())?;
        sheet.text_with_format(row, 3, a.backs_text(), &styles.wrap)?;
        date(sheet, row, 4, Some(a.period_start), styles)?;
        date(sheet, row, 5, a.period_end, styles)?;
        date(sheet, row, 6, a.issued, styles)?;
        date(sheet, row, 7, a.bridge_letter_until, styles)?;
        sheet.text(row, 8, a.opinion.map_or("", |o| o.id()))?;
        sheet.text_with_format(
            row,
            9,
            crate::render::view::scope_text(a, audit),
            &styles.wrap,
        )?;
        sheet.text_with_format(row, 10, &a.coverage, &styles.wrap)?;
        sheet.text(row, 11, a.obtained_from.as_deref().unwrap_or(""))?;
    }
    filter(sheet, audit.attestations.len() as u32, names.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};

    #[test]
    fn text_longer_than_a_cell_holds_is_cut_with_a_note() {
        assert_eq!(cell_text("short"), "short");
        let exact = "x".repeat(CELL_LIMIT);
        assert_eq!(cell_text(&exact), exact);
        let long = "x".repeat(40_000);
        let cut = cell_text(&long);
        assert!(cut.encode_utf16().count() <= CELL_LIMIT);
        let kept = cut.chars().take_while(|c| *c == 'x').count();
        assert!(cut.ends_with(&format!(
            " [... {} more characters: a cell holds 32,767]",
            40_000 - kept
        )));
        // An emoji outside the basic plane takes two UTF-16 units: 20,000 of them are 40,000.
        let emoji = "🔒".repeat(20_000);
        let cut = cell_text(&emoji);
        assert!(
            cut.encode_utf16().count() <= CELL_LIMIT,
            "cut by units, not chars"
        );
        assert!(cut.contains("more characters"));
    }

    /// The audit of a HIPAA project on AWS whose one evidence source is `name`.
    fn audit_with(name: &str, contents: &str) -> Audit {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(
            root.join("audit.toml"),
            format!("[organization]\nname = \"T\"\n[audit]\nperiod_start = 2026-01-01\nperiod_end = 2026-03-31\nas_of = 2026-03-31\nframeworks = [\"hipaa\"]\n\
             [[inventory]]\nname = \"w\"\nprovider = \"aws\"\nservice = \"ec2\"\ntags = [\"phi\"]\n[[evidence]]\npath = \"{name}\"\n"),
        )
        .unwrap();
        std::fs::write(root.join(name), contents).unwrap();
        crate::cmd::audit_project(root).unwrap().audit
    }

    #[test]
    fn findings_beyond_a_sheets_rows_continue_on_the_next_sheet() {
        let mut csv = String::from("TIMESTAMP;CHECK_ID;STATUS;RESOURCE_UID;COMPLIANCE\n");
        for resource in ["a", "b", "c"] {
            csv.push_str(&format!(
                "2026-03-20 10:00:00;trail_on;PASS;{resource};HIPAA: 164_312_b\n"
            ));
        }
        let audit = audit_with("scan.csv", &csv);
        let limits = Limits {
            rows_per_sheet: 2,
            ..EXCEL
        };
        let bytes = build(&audit, None, limits).unwrap();
        let mut workbook = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let names = workbook.sheet_names();
        assert!(
            names.ends_with(&["Findings".to_string(), "Findings 2".to_string()]),
            "{names:?}"
        );
        let first = workbook.worksheet_range("Findings").unwrap();
        let second = workbook.worksheet_range("Findings 2").unwrap();
        assert_eq!(
            (first.height(), second.height()),
            (3, 2),
            "header and rows on each sheet"
        );
        assert_eq!(second.get((1, 3)), Some(&Data::String("c".into())));
    }

    #[test]
    fn a_large_evidence_sheet_is_streamed_with_every_row_and_its_filter() {
        let mut csv = String::from("ID,Title,Controls,Collected\n");
        for i in 1..=5 {
            csv.push_str(&format!("E-{i},Review {i},HIPAA 164.312(d),2026-03-0{i}\n"));
        }
        let audit = audit_with("ev.csv", &csv);
        let streamed = Limits {
            streamed_evidence_rows: 2,
            ..EXCEL
        };
        let bytes = build(&audit, None, streamed).unwrap();
        let sheet_xml = |bytes: &[u8]| {
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
            let mut xml = String::new();
            std::io::Read::read_to_string(
                &mut zip.by_name("xl/worksheets/sheet4.xml").unwrap(),
                &mut xml,
            )
            .unwrap();
            xml
        };
        assert!(sheet_xml(&bytes).contains("<autoFilter ref=\"A1:M6\"/>"));
        let mut workbook = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let evidence = workbook.worksheet_range("Evidence").unwrap();
        assert_eq!(evidence.height(), 6, "a header and every row");
        assert_eq!(evidence.get((5, 1)), Some(&Data::String("Review 5".into())));
        assert!(matches!(evidence.get((5, 6)), Some(Data::DateTime(_))));
        // The same rows held in memory give the same cells.
        let held = build(&audit, None, EXCEL).unwrap();
        let mut workbook = Xlsx::new(std::io::Cursor::new(held)).unwrap();
        assert_eq!(workbook.worksheet_range("Evidence").unwrap(), evidence);
    }
}
