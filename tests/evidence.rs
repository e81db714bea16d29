//! Evidence: CSV and spreadsheets are read by header, with aliases, and bad cells are reported by position.

use crate::common::{Project, audit_toml, control, snapshot};
use rust_xlsxwriter::{Format, Workbook};

fn project_with(evidence_path: &str, source_extra: &str) -> Project {
    let project = Project::empty();
    let extra = format!("[[evidence]]\npath = \"{evidence_path}\"\n{source_extra}");
    project.write(
        "audit.toml",
        audit_toml("\"hipaa\", \"soc2\"", &[("aws", "ec2", "phi")], &extra),
    );
    project
}

#[test]
fn a_terminal_escape_in_a_cell_is_shown_escaped_in_every_report() {
    let project = project_with("ev.csv", "");
    project.write(
        "ev.csv",
        "Title,Controls\nMFA \u{1b}]0;pwned\u{7}report,HIPAA 164.312(zz)\u{1b}[2J\n",
    );
    for args in [
        &["validate", "{}"][..],
        &["build", "{}", "--out", "{}/pkg"][..],
    ] {
        let run = project.run(args);
        let output = format!("{}{}", run.stdout, run.stderr);
        assert!(
            output.contains("164.312(zz)\\u{1b}[2J"),
            "{args:?}: {output}"
        );
        assert!(
            !output.chars().any(|c| c.is_control() && c != '\n'),
            "{args:?}: {output:?}"
        );
    }
}

#[test]
fn a_csv_export_may_open_with_title_lines_and_the_lines_of_a_bad_one_are_named() {
    let project = project_with("ev.csv", "");
    project.write(
        "ev.csv",
        "Evidence export,,\nGenerated 2026-03-31,,\n\nTitle,Controls,Collected\nMFA report,HIPAA 164.312(d),2026-03-10\n",
    );
    let run = project.run(&["validate", "{}"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "note: ev.csv: the header is line 4; the 2 line(s) above it are read as a title, not evidence"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("1 evidence rows read = 1 mapped + 0 reported")
    );
    // No header at all: the error names the first line, where one was expected.
    project.write("ev.csv", "Item,Notes\nMFA report,HIPAA 164.312(d)\n");
    let run = project.run(&["validate", "{}"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("error: ev.csv:1:1: no column for controls or title"),
        "{}",
        run.stdout
    );
}

#[test]
fn csv_with_bom_semicolons_and_crlf_reads_by_alias() {
    let project = project_with("ev.csv", "");
    project.write(
        "ev.csv",
        "\u{feff}Evidence ID;Evidence Title;Control Reference(s);Date Collected;Outcome\r\nX1;MFA report;HIPAA 164.312(d), SOC2 CC6.1;2026-03-10;Passed\r\n",
    );
    let s = snapshot(&project.build());
    assert_eq!(control(&s, "hipaa", "164.312(d)")["evidence"][0], "X1");
    assert_eq!(control(&s, "soc2", "CC6.1")["evidence"][0], "X1");
    assert_eq!(s["rows_read"], 1);
}

#[test]
fn tab_separated_evidence_and_unprefixed_ids_resolve() {
    let project = project_with("ev.tsv", "format = \"csv\"\n");
    project.write(
        "ev.tsv",
        "title\tcontrol\tcollected\nMFA report\t164.312(d)\t2026-03-10\n",
    );
    let s = snapshot(&project.build());
    assert_eq!(control(&s, "hipaa", "164.312(d)")["status"], "satisfied");
}

#[test]
fn column_overrides_name_unusual_headers() {
    let project = project_with(
        "ev.csv",
        "columns = { title = \"Artefact name\", controls = \"Maps To\" }\n",
    );
    project.write(
        "ev.csv",
        "Artefact name,Maps To\nMFA report,HIPAA 164.312(d)\n",
    );
    let s = snapshot(&project.build());
    assert_eq!(control(&s, "hipaa", "164.312(d)")["evidence"][0], "ev#2");
}

#[test]
fn a_sheet_without_the_required_columns_is_an_error_naming_the_file() {
    let project = project_with("ev.csv", "");
    project.write("ev.csv", "Name,Date\nMFA report,2026-03-10\n");
    let run = project.run(&["build", "{}"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("ev.csv:1:1: no column for controls"),
        "{}",
        run.stderr
    );
}

#[test]
fn ambiguous_references_are_reported_not_guessed() {
    let project = Project::empty();
    let extra = "[[evidence]]\npath = \"ev.csv\"\n";
    project.write(
        "audit.toml",
        audit_toml("\"cis\", \"iso27001\"", &[("aws", "ec2", "any")], extra),
    );
    project.write(
        "ev.csv",
        "title,control\nChange plan,6.3\nChange plan,ISO 6.3\n",
    );
    let run = project.run(&["validate", "{}"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains(
            "ev.csv:2:2 (control): ambiguous reference \"6.3\": it could be CIS 6.3 or ISO 6.3"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("2 evidence rows read = 1 mapped + 1 reported"),
        "{}",
        run.stdout
    );
}

fn workbook_with_bad_cells(path: &std::path::Path) {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name("Evidence").unwrap();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (col, name) in ["Title", "Controls", "Owner", "Collected", "Result"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, col as u16, *name).unwrap();
    }
    let good = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    sheet.write_string(1, 0, "Good row").unwrap();
    sheet.write_string(1, 1, "HIPAA 164.312(d)").unwrap();
    sheet.write_with_format(1, 3, &good, &date).unwrap();
    sheet.write_string(1, 4, "pass").unwrap();
    sheet.write_string(2, 0, "Number for a date").unwrap();
    sheet.write_string(2, 1, "HIPAA 164.312(b)").unwrap();
    sheet.write_number(2, 3, 46000.0).unwrap();
    sheet.write_string(3, 0, "Odd result").unwrap();
    sheet.write_string(3, 1, "HIPAA 164.312(b)").unwrap();
    sheet.write_string(3, 4, "maybe").unwrap();
    workbook.save(path).unwrap();
}

#[test]
fn a_table_below_a_title_reports_the_cells_a_user_sees_and_an_empty_named_sheet_is_an_error() {
    let project = project_with("ev.xlsx", "");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name("Evidence").unwrap();
    // A title above the table, which starts at C4 right of blank columns.
    sheet.write_string(0, 0, "Q1 evidence tracker").unwrap();
    sheet
        .write_string(1, 0, "Fill in one row per piece of evidence")
        .unwrap();
    for (col, name) in ["Title", "Controls", "Collected"].iter().enumerate() {
        sheet.write_string(3, 2 + col as u16, *name).unwrap();
    }
    sheet.write_string(4, 2, "MFA report").unwrap();
    sheet.write_string(4, 3, "HIPAA 164.312(d)").unwrap();
    sheet.write_string(4, 4, "2026-03-01").unwrap();
    sheet.write_string(6, 2, "Log review").unwrap();
    sheet.write_string(6, 3, "HIPAA 164.312(b)").unwrap();
    sheet.write_string(6, 4, "last week").unwrap();
    workbook.add_worksheet().set_name("Later").unwrap();
    workbook.save(project.path().join("ev.xlsx")).unwrap();
    let run = project.run(&["validate", "{}"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains("ev.xlsx [Evidence] E7: "),
        "the bad date is E7, where the user sees it: {}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("2 evidence rows read = 1 mapped + 1 reported"),
        "{}",
        run.stdout
    );
    let build = project.run(&["build", "{}"]);
    assert!(
        build.stderr.contains(
            "ev.xlsx [Evidence]: the header is row 4; the 2 row(s) above it are read as a title, not evidence"
        ),
        "{}",
        build.stderr
    );
    // Named in audit.toml, the empty sheet is an error; found by itself, it is passed over.
    let named = project_with("ev.xlsx", "sheets = [\"Evidence\", \"Later\"]\n");
    std::fs::copy(project.path().join("ev.xlsx"), named.path().join("ev.xlsx")).unwrap();
    let run = named.run(&["validate", "{}"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("ev.xlsx: sheet \"Later\" is empty"),
        "{}",
        run.stdout
    );
}

#[test]
fn ods_and_xls_read_whole_report_the_same_cells_as_xlsx_streamed() {
    for file in ["offset.ods", "offset.xls"] {
        let project = project_with(file, "");
        std::fs::copy(
            crate::common::fixtures().join("workbooks").join(file),
            project.path().join(file),
        )
        .unwrap();
        let run = project.run(&["validate", "{}"]);
        assert_eq!(run.code, 1, "{file}: {}", run.stdout);
        assert!(
            run.stdout.contains(&format!("{file} [Evidence] E7: ")),
            "{file}: {}",
            run.stdout
        );
        assert!(
            run.stdout
                .contains("2 evidence rows read = 1 mapped + 1 reported"),
            "{file}: {}",
            run.stdout
        );
    }
}

#[test]
fn a_cell_past_excels_last_column_is_an_error_not_an_allocation() {
    let project = project_with("far-column.xlsx", "");
    std::fs::copy(
        crate::common::fixtures().join("workbooks/far-column.xlsx"),
        project.path().join("far-column.xlsx"),
    )
    .unwrap();
    let run = project.run(&["validate", "{}"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "far-column.xlsx: failed to read sheet \"Evidence\" (row 7 has a cell in column 321272406, past Excel's last column XFD)"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn spreadsheet_cells_are_typed_and_bad_ones_reported_by_cell() {
    let project = project_with("ev.xlsx", "");
    workbook_with_bad_cells(&project.path().join("ev.xlsx"));
    let run = project.run(&["validate", "{}"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("ev.xlsx [Evidence] D3: the number 46000 is not a date"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("ev.xlsx [Evidence] E4: unknown result \"maybe\""),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("3 evidence rows read = 1 mapped + 2 reported"),
        "{}",
        run.stdout
    );
    let s = snapshot(&project.build());
    assert_eq!(
        control(&s, "hipaa", "164.312(d)")["last_collected"],
        "2026-03-01"
    );
}

#[test]
fn a_file_that_is_not_a_workbook_is_an_error_not_a_panic() {
    let project = project_with("ev.xlsx", "");
    project.write("ev.xlsx", "this is not a zip file");
    let run = project.run(&["build", "{}"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("ev.xlsx: failed to open the workbook"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"));
}

#[test]
fn a_row_that_is_not_utf8_is_reported_and_the_others_still_count() {
    let project = project_with("ev.csv", "");
    project.write("ev.csv", b"title,controls\nok,HIPAA 164.312(d)\nbad \xff byte,HIPAA 164.312(b)\nalso ok,HIPAA 164.312(b)\n");
    let run = project.run(&["validate", "{}"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("ev.csv:3: the row is not valid UTF-8 text"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("3 evidence rows read = 2 mapped + 1 reported"),
        "{}",
        run.stdout
    );
}
