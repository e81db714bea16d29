//! Render: the workbook's Drift sheet: services the scans saw that no inventory
//! entry declares (findings), declared services no scan saw (notes), and scan
//! resources no provider service names (counted).

use crate::model::audit::Audit;
use crate::render::xlsx::{Styles, WriteText, filter, header};
use rust_xlsxwriter::{Worksheet, XlsxError};

/// One row per drift finding, note and unrecognised kind of resource.
pub(super) fn drift_sheet(
    sheet: &mut Worksheet,
    audit: &Audit,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name("Drift")?;
    let names = [
        "Kind",
        "Provider",
        "Service",
        "Service name",
        "Account",
        "Resources",
        "Seen by / declared by",
        "What it means",
    ];
    header(
        sheet,
        &names,
        &[12.0, 9.0, 16.0, 30.0, 16.0, 10.0, 30.0, 60.0],
        styles,
    )?;
    let drift = &audit.drift;
    let mut row = 0;
    for u in &drift.unlisted {
        row += 1;
        sheet.text(row, 0, "finding")?;
        sheet.text(row, 1, &u.provider)?;
        sheet.text(row, 2, &u.service)?;
        sheet.text(row, 3, &u.service_name)?;
        sheet.text(row, 4, &u.account)?;
        sheet.write(row, 5, u.resources as f64)?;
        sheet.text(row, 6, u.scans.join(", "))?;
        sheet.text_with_format(
            row,
            7,
            "Scans saw it and no [[inventory]] entry declares it: controls may be derived without it",
            &styles.wrap,
        )?;
    }
    for u in &drift.unseen {
        row += 1;
        sheet.text(row, 0, "note")?;
        sheet.text(row, 1, &u.provider)?;
        sheet.text(row, 2, &u.service)?;
        sheet.text(row, 3, &u.service_name)?;
        sheet.text(row, 6, u.entries.join(", "))?;
        sheet.text_with_format(
            row,
            7,
            "Declared in the inventory; no scan saw it (not scanned, or no longer used)",
            &styles.wrap,
        )?;
    }
    for (label, count) in &drift.unrecognised {
        row += 1;
        sheet.text(row, 0, "unrecognised")?;
        sheet.text(row, 3, label)?;
        sheet.write(row, 5, *count as f64)?;
        sheet.text_with_format(
            row,
            7,
            "No provider service lists this kind of resource, so it is not compared",
            &styles.wrap,
        )?;
    }
    filter(sheet, row, names.len())
}
