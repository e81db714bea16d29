//! Render: the workbook's scanner sheets: one row per scanner file with how
//! every finding was accounted for, and the latest result of every check on
//! every resource, written row by row past a million rows.

use crate::model::audit::Audit;
use crate::render::xlsx::{Styles, WriteText, date, filter, header};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

/// One row per scanner file: how every finding was accounted for.
pub(super) fn scans_sheet(
    sheet: &mut Worksheet,
    audit: &Audit,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name("Scans")?;
    let names = [
        "Source file",
        "Format",
        "Findings in file",
        "Counted",
        "Outside scope",
        "Naming no control held",
        "Dropped",
        "Newest finding",
        "Findings per framework",
        "Not resolved (findings, why)",
    ];
    header(
        sheet,
        &names,
        &[30.0, 22.0, 10.0, 10.0, 10.0, 12.0, 10.0, 12.0, 30.0, 70.0],
        styles,
    )?;
    for (i, scan) in audit.scans.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.text(row, 0, scan.results.path.display().to_string())?;
        sheet.text(row, 1, scan.results.format.name())?;
        for (col, value) in [
            scan.rows(),
            scan.in_scope,
            scan.outside_scope,
            scan.unmapped,
            scan.dropped,
        ]
        .into_iter()
        .enumerate()
        {
            sheet.write_number(row, col as u16 + 2, value as f64)?;
        }
        date(sheet, row, 7, scan.newest, styles)?;
        let per_framework: Vec<String> = scan
            .by_framework
            .iter()
            .map(|(f, n)| format!("{f}: {n}"))
            .collect();
        sheet.text_with_format(row, 8, per_framework.join("; "), &styles.wrap)?;
        let unresolved: Vec<String> = scan
            .unresolved
            .iter()
            .map(|u| format!("{}: {} ({})", u.key, u.findings, u.why))
            .collect();
        sheet.text_with_format(row, 9, unresolved.join("; "), &styles.wrap)?;
    }
    filter(sheet, audit.scans.len() as u32, names.len())
}

/// The latest result of every check on every resource, in file order by check,
/// on as many sheets as Excel's row limit needs, written row by row in constant memory.
pub(super) fn findings_sheets(
    workbook: &mut Workbook,
    audit: &Audit,
    styles: &Styles,
    rows_per_sheet: u32,
) -> Result<(), XlsxError> {
    let names = [
        "Source file",
        "Check",
        "Check title",
        "Resource",
        "Result",
        "Muted",
        "Severity",
        "Time (UTC)",
        "Controls named",
    ];
    let widths = [26.0, 34.0, 40.0, 40.0, 12.0, 7.0, 10.0, 17.0, 40.0];
    let time_format = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let total: u64 = audit
        .scans
        .iter()
        .map(|s| s.results.latest.len() as u64)
        .sum();
    let mut written: u64 = 0;
    let mut sheet_number = 0;
    let mut row = rows_per_sheet; // forces a first sheet
    let mut sheet: Option<&mut Worksheet> = None;
    for scan in &audit.scans {
        let path = scan.results.path.display().to_string();
        // Joined once per check, not once per row: a check runs on thousands of resources.
        let named: Vec<String> = scan.check_controls.iter().map(|c| c.join(", ")).collect();
        for result in &scan.results.latest {
            let (check, resource) = (result.check as usize, result.resource as usize);
            let latest = result.latest;
            if row >= rows_per_sheet {
                sheet_number += 1;
                let next = workbook.add_worksheet_with_constant_memory()?;
                next.set_name(match sheet_number {
                    1 => "Findings".to_string(),
                    n => format!("Findings {n}"),
                })?;
                // Constant-memory sheets cannot be sized to content: fixed widths, set after the filter.
                let rows_here = (total - written).min(u64::from(rows_per_sheet)) as u32;
                filter(next, rows_here, names.len())?;
                header(next, &names, &widths, styles)?;
                sheet = Some(next);
                row = 0;
            }
            let Some(sheet) = sheet.as_deref_mut() else {
                break;
            };
            row += 1;
            written += 1;
            let record = &scan.results.checks[check];
            sheet.text(row, 0, &path)?;
            sheet.text(row, 1, &record.id)?;
            sheet.text(row, 2, &record.title)?;
            sheet.text(row, 3, &scan.results.resources[resource])?;
            sheet.text(row, 4, latest.status.id())?;
            sheet.text(row, 5, if latest.muted { "yes" } else { "no" })?;
            sheet.text(row, 6, latest.severity.label())?;
            if let Some(time) =
                chrono::DateTime::from_timestamp(latest.time, 0).filter(|_| latest.time > 0)
            {
                sheet.write_with_format(row, 7, &time.naive_utc(), &time_format)?;
            }
            sheet.text(row, 8, &named[check])?;
        }
    }
    Ok(())
}
