//! Render: tabletop readiness in workbooks: the package's "Tabletop readiness" sheet,
//! and the facilitator's workbook of `auditpack tabletop --xlsx` (a row per phase with
//! its question and empty answer columns, and a sheet to record the exercise as
//! evidence). Every value is written as a string, never as a formula.

use crate::error::{Error, Result};
use crate::model::tabletop::{PhaseOwner, PhaseRun, ScenarioRun, Tabletop};
use crate::render::xlsx::WriteText;
use chrono::Datelike;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatBorder, Workbook, Worksheet, XlsxError,
};

/// The name of the package workbook's sheet.
pub const READINESS_SHEET: &str = "Tabletop readiness";

/// The columns every readiness row has, before a worksheet's own.
const COLUMNS: [(&str, f64); 10] = [
    ("Scenario", 24.0),
    ("Title", 30.0),
    ("Phase", 20.0),
    ("Owner", 12.0),
    ("Readiness", 14.0),
    ("Named owners", 30.0),
    ("Why this owner", 50.0),
    ("Controls behind the phase", 40.0),
    ("Gaps", 60.0),
    ("Reaches", 30.0),
];

/// The columns the facilitator's worksheet adds.
const WORKSHEET_COLUMNS: [(&str, f64); 5] = [
    ("Question for the room", 50.0),
    ("Evidence that shows readiness", 40.0),
    ("Scanner checks", 30.0),
    ("Answer / notes", 50.0),
    ("Follow-up actions", 40.0),
];

/// The evidence sheet columns that record an exercise held (read by the evidence loader).
pub const RECORD_COLUMNS: [&str; 7] = [
    "ID",
    "Title",
    "Controls",
    "Date",
    "Result",
    "Owner",
    "Description",
];

struct Formats {
    header: Format,
    wrap: Format,
    gap: Format,
}

fn formats() -> Formats {
    Formats {
        header: Format::new()
            .set_bold()
            .set_background_color("D9E2F3")
            .set_border_bottom(FormatBorder::Thin),
        wrap: Format::new().set_text_wrap(),
        gap: Format::new().set_bold().set_font_color("B42318"),
    }
}

fn header(sheet: &mut Worksheet, columns: &[(&str, f64)], f: &Formats) -> Result<(), XlsxError> {
    for (col, (name, width)) in columns.iter().enumerate() {
        sheet.text_with_format(0, col as u16, *name, &f.header)?;
        sheet.set_column_width(col as u16, *width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The package's sheet: a row per phase of each scenario that applies, and a row
/// for each that does not, saying why.
pub(super) fn readiness_sheet(sheet: &mut Worksheet, tabletop: &Tabletop) -> Result<(), XlsxError> {
    sheet.set_name(READINESS_SHEET)?;
    let f = formats();
    header(sheet, &COLUMNS, &f)?;
    let rows = write_rows(sheet, tabletop, &f, |_, _, _| Ok(()))?;
    sheet.autofilter(0, 0, rows.max(1), (COLUMNS.len() - 1) as u16)?;
    Ok(())
}

/// Write every scenario's rows; `extra` writes a phase row's further columns.
fn write_rows(
    sheet: &mut Worksheet,
    tabletop: &Tabletop,
    f: &Formats,
    mut extra: impl FnMut(&mut Worksheet, u32, &PhaseRun) -> Result<(), XlsxError>,
) -> Result<u32, XlsxError> {
    let mut row = 0;
    for scenario in &tabletop.scenarios {
        if !scenario.applies {
            row += 1;
            sheet.text(row, 0, &scenario.id)?;
            sheet.text(row, 1, &scenario.title)?;
            sheet.text(row, 4, "not applicable")?;
            sheet.text_with_format(
                row,
                9,
                scenario
                    .not_applicable_reason
                    .as_deref()
                    .unwrap_or_default(),
                &f.wrap,
            )?;
            continue;
        }
        for phase in &scenario.phases {
            row += 1;
            phase_row(sheet, row, scenario, phase, f)?;
            extra(sheet, row, phase)?;
        }
    }
    Ok(row)
}

fn phase_row(
    sheet: &mut Worksheet,
    row: u32,
    scenario: &ScenarioRun,
    phase: &PhaseRun,
    f: &Formats,
) -> Result<(), XlsxError> {
    sheet.text(row, 0, &scenario.id)?;
    sheet.text(row, 1, &scenario.title)?;
    sheet.text(row, 2, phase.phase.name())?;
    sheet.text(
        row,
        3,
        phase.owner.map_or("nobody in scope", PhaseOwner::id),
    )?;
    match phase.readiness {
        crate::model::tabletop::Readiness::Ready => sheet.text(row, 4, "ready")?,
        crate::model::tabletop::Readiness::Gap => sheet.text_with_format(row, 4, "gap", &f.gap)?,
    };
    sheet.text_with_format(row, 5, phase.named_owners.join("; "), &f.wrap)?;
    sheet.text_with_format(row, 6, &phase.rationale, &f.wrap)?;
    let controls: Vec<String> = phase
        .controls
        .iter()
        .map(|c| format!("{} {} ({})", c.framework, c.id, c.status.label()))
        .collect();
    sheet.text_with_format(row, 7, controls.join("; "), &f.wrap)?;
    sheet.text_with_format(row, 8, phase.gaps.join("\n"), &f.wrap)?;
    let reaches = match scenario.affected.is_empty() {
        true => "the organization itself".to_string(),
        false => scenario.affected.join(", "),
    };
    sheet.text_with_format(row, 9, reaches, &f.wrap)?;
    Ok(())
}

/// The facilitator's workbook: the Worksheet sheet (a row per phase, with its
/// question and empty answer columns) and the Record sheet (the evidence row that
/// records the exercise once held).
pub fn render_tabletop_xlsx(tabletop: &Tabletop) -> Result<Vec<u8>> {
    build(tabletop).map_err(|e| Error::render("the tabletop workbook", e))
}

fn build(tabletop: &Tabletop) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let as_of = tabletop.as_of;
    let created =
        ExcelDateTime::from_ymd(as_of.year() as u16, as_of.month() as u8, as_of.day() as u8)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(format!("{} tabletop exercise", tabletop.organization))
            .set_company(&tabletop.organization)
            .set_author("auditpack")
            .set_creation_datetime(&created),
    );
    let f = formats();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Worksheet")?;
    let columns: Vec<(&str, f64)> = COLUMNS.iter().chain(&WORKSHEET_COLUMNS).copied().collect();
    header(sheet, &columns, &f)?;
    let first = COLUMNS.len() as u16;
    let rows = write_rows(sheet, tabletop, &f, |sheet, row, phase| {
        sheet.text_with_format(row, first, &phase.question, &f.wrap)?;
        let common: Vec<String> = phase
            .common
            .iter()
            .map(|c| format!("{} {}", c.id, c.title))
            .collect();
        sheet.text_with_format(row, first + 1, common.join("; "), &f.wrap)?;
        sheet.text_with_format(row, first + 2, phase.checks.join(", "), &f.wrap)?;
        Ok(())
    })?;
    sheet.autofilter(0, 0, rows.max(1), (columns.len() - 1) as u16)?;
    record_sheet(workbook.add_worksheet(), tabletop, &f)?;
    workbook.save_to_buffer()
}

/// The evidence row to fill in once the exercise is held; saved as CSV and listed
/// under `[[evidence]]`, it counts for the incident response test controls.
fn record_sheet(sheet: &mut Worksheet, tabletop: &Tabletop, f: &Formats) -> Result<(), XlsxError> {
    sheet.set_name("Record")?;
    let widths = [12.0, 40.0, 50.0, 12.0, 10.0, 20.0, 60.0];
    let columns: Vec<(&str, f64)> = RECORD_COLUMNS.iter().copied().zip(widths).collect();
    header(sheet, &columns, f)?;
    let scenarios: Vec<&str> = tabletop
        .scenarios
        .iter()
        .filter(|s| s.applies)
        .map(|s| s.id.as_str())
        .collect();
    sheet.text(1, 0, "TT-1")?;
    sheet.text(1, 1, format!("Tabletop exercise: {}", scenarios.join(", ")))?;
    sheet.text_with_format(1, 2, tabletop.exercise_references(), &f.wrap)?;
    sheet.text(1, 3, "YYYY-MM-DD")?;
    sheet.text(1, 4, "pass")?;
    sheet.text(1, 5, "facilitator")?;
    sheet.text_with_format(
        1,
        6,
        "Participants: names and roles. Scenario(s) run, findings and follow-up tickets.",
        &f.wrap,
    )?;
    sheet.text_with_format(
        3,
        0,
        "Fill in the date held, the result (pass, partial or fail) and the participants; save this sheet as CSV in the project and list it under [[evidence]] in audit.toml. The row then counts as evidence for the controls in its Controls cell.",
        &f.wrap,
    )?;
    Ok(())
}
