//! Render: the workbook's Vendors and CUECs sheets: each vendor with the layers it
//! operates and its reports, and each complementary user entity control with its status.

use crate::model::audit::Audit;
use crate::model::layer::Owner;
use crate::render::xlsx::{Styles, WriteText, colour_statuses, date, filter, header};
use rust_xlsxwriter::{Worksheet, XlsxError};

/// One row per vendor report (a vendor with none has one row of its own).
pub(super) fn vendors_sheet(
    sheet: &mut Worksheet,
    audit: &Audit,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name("Vendors")?;
    let names = [
        "Vendor",
        "Service",
        "Model",
        "Tags",
        "Secures",
        "Shares",
        "Report",
        "Kind",
        "Frameworks",
        "Period start",
        "Period end",
        "Bridged to",
        "Coverage of the audit period",
        "CUECs",
        "CUECs not met",
    ];
    header(
        sheet,
        &names,
        &[
            16.0, 24.0, 8.0, 14.0, 36.0, 30.0, 34.0, 14.0, 18.0, 12.0, 12.0, 12.0, 50.0, 8.0, 10.0,
        ],
        styles,
    )?;
    let mut row = 0;
    for vendor in &audit.vendors {
        let provider = vendor.provider_id();
        let reports: Vec<_> = audit
            .attestations
            .iter()
            .filter(|a| a.provider == provider)
            .collect();
        let unmet = vendor.cuecs.iter().filter(|c| c.is_gap()).count();
        let rows = reports.len().max(1);
        for i in 0..rows {
            row += 1;
            sheet.text(row, 0, &vendor.name)?;
            sheet.text(row, 1, &vendor.service)?;
            sheet.text(row, 2, vendor.model.name())?;
            sheet.text(row, 3, vendor.tags.join(", "))?;
            sheet.text_with_format(row, 4, vendor.layers_owned(Owner::Provider), &styles.wrap)?;
            sheet.text_with_format(row, 5, vendor.layers_owned(Owner::Shared), &styles.wrap)?;
            match reports.get(i) {
                Some(a) => {
                    sheet.text(row, 6, &a.name)?;
                    sheet.text(row, 7, &a.scheme)?;
                    sheet.text_with_format(row, 8, a.backs_text(), &styles.wrap)?;
                    date(sheet, row, 9, Some(a.period_start), styles)?;
                    date(sheet, row, 10, a.period_end, styles)?;
                    date(sheet, row, 11, a.bridge_letter_until, styles)?;
                    sheet.text_with_format(row, 12, &a.coverage, &styles.wrap)?;
                }
                None => {
                    sheet.text(row, 6, "no report held")?;
                }
            }
            sheet.write_number(row, 13, vendor.cuecs.len() as f64)?;
            sheet.write_number(row, 14, unmet as f64)?;
        }
    }
    filter(sheet, row, names.len())
}

/// One row per CUEC, its status coloured as the Controls sheet's are.
pub(super) fn cuecs_sheet(
    sheet: &mut Worksheet,
    audit: &Audit,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name("CUECs")?;
    let names = ["Vendor", "CUEC", "Expects", "Maps to", "Status", "Why"];
    header(sheet, &names, &[16.0, 12.0, 60.0, 28.0, 14.0, 70.0], styles)?;
    let mut row = 0;
    for vendor in &audit.vendors {
        for cuec in &vendor.cuecs {
            row += 1;
            sheet.text(row, 0, &vendor.name)?;
            sheet.text(row, 1, &cuec.id)?;
            sheet.text_with_format(row, 2, &cuec.text, &styles.wrap)?;
            sheet.text(row, 3, cuec.controls.join(", "))?;
            sheet.text(row, 4, cuec.status.label())?;
            sheet.text_with_format(row, 5, &cuec.reason, &styles.wrap)?;
        }
    }
    colour_statuses(sheet, row, 4)?;
    filter(sheet, row, names.len())
}
