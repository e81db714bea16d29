//! Benchmark: a million evidence rows in one workbook, against calamine reading it bare.
//!
//! `cargo bench --bench evidence [-- ROWS]` (default 1,000,000) writes an evidence
//! workbook (ID, Title, Controls, Owner, Collected as a date cell, Result; ids spread
//! over HIPAA, SOC 2 and common controls), then runs each measurement in a child
//! process of its own, so that peak memory (VmHWM) is that step's alone:
//! - the floor: calamine's streaming cell reader visiting every cell, nothing kept;
//! - calamine's whole-sheet read (`worksheet_range`), which the evidence loader uses;
//! - auditpack's ingest and model (`audit_project`), then the workbook it writes.
//!
//! Evidence rows, unlike scanner findings, are each kept: every row is listed in
//! the package. The PDF is not measured here; its evidence index grows with the
//! rows (about 1.5 MB of Typst layout a page; see the package benchmark).
//! `-- ROWS --keep DIR` only writes the project into DIR, to profile a build of it.

mod common;

use auditpack::cmd::audit_project;
use auditpack::render::xlsx;
use calamine::{Reader, Xlsx, open_workbook};
use common::{report, run_child, seconds};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::path::{Path, PathBuf};
use std::time::Instant;

const AUDIT_TOML: &str = r#"
[organization]
name = "Evidence Benchmark Corp"

[audit]
period_start = 2026-07-01
period_end = 2026-09-30
as_of = 2026-09-30
frameworks = ["hipaa", "soc2"]

[[inventory]]
name = "estate"
provider = "aws"
service = "ec2"
tags = ["phi"]

[[evidence]]
path = "evidence.xlsx"
"#;

const CONTROLS: [&str; 12] = [
    "HIPAA 164.312(d)",
    "HIPAA 164.312(b)",
    "HIPAA 164.308(a)(1)(ii)(D)",
    "HIPAA 164.312(a)(2)(iv)",
    "SOC2 CC6.1",
    "SOC2 CC6.6",
    "SOC2 CC7.2",
    "SOC2 CC8.1",
    "IAM-03",
    "LOG-02",
    "CRY-03",
    "HIPAA 164.308(a)(5)(ii)(C)",
];

fn write_workbook(path: &Path, rows: u32) -> Result<(), rust_xlsxwriter::XlsxError> {
    let mut workbook = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    sheet.set_name("Evidence")?;
    for (col, name) in ["ID", "Title", "Controls", "Owner", "Collected", "Result"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, col as u16, *name)?;
    }
    for i in 1..=rows {
        let n = i as usize;
        sheet.write_string(i, 0, format!("EV-{i:07}"))?;
        sheet.write_string(
            i,
            1,
            format!(
                "Quarterly access review of system {} by the platform team",
                n % 997
            ),
        )?;
        sheet.write_string(i, 2, CONTROLS[n % CONTROLS.len()])?;
        sheet.write_string(i, 3, ["Priya Shah", "Marcus Lee", "Jonas Weber"][n % 3])?;
        let day = ExcelDateTime::from_ymd(2026, 9, 1 + (n % 28) as u8)?;
        sheet.write_datetime_with_format(i, 4, &day, &date)?;
        sheet.write_string(i, 5, ["pass", "pass", "pass", "fail", "partial"][n % 5])?;
    }
    workbook.save(path)
}

fn child(step: &str, project: &Path) {
    let file = project.join("evidence.xlsx");
    let start = Instant::now();
    match step {
        "floor" => {
            let mut workbook: Xlsx<_> = open_workbook(&file).expect("workbook");
            let mut reader = workbook.worksheet_cells_reader("Evidence").expect("sheet");
            let mut cells = 0u64;
            while reader.next_cell().expect("cell").is_some() {
                cells += 1;
            }
            assert!(cells > 0);
            report("floor", start.elapsed().as_secs_f64());
        }
        "range" => {
            let mut workbook: Xlsx<_> = open_workbook(&file).expect("workbook");
            let range = workbook.worksheet_range("Evidence").expect("sheet");
            assert!(range.height() > 1);
            report("range", start.elapsed().as_secs_f64());
        }
        "ingest" => {
            let audited = audit_project(project).expect("audit");
            assert!(audited.audit.rows_read > 0);
            report("ingest", start.elapsed().as_secs_f64());
            let t = Instant::now();
            let bytes = xlsx::render_xlsx(&audited.audit).expect("workbook");
            println!(
                "  rows read {}, mapped {}; workbook {} KB",
                audited.audit.rows_read,
                audited.audit.rows_mapped(),
                bytes.len() / 1024
            );
            report("workbook", t.elapsed().as_secs_f64());
        }
        _ => panic!("unknown step {step}"),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--child") {
        child(&args[i + 1], Path::new(&args[i + 2]));
        return;
    }
    let rows: u32 = args
        .iter()
        .skip(1)
        .find_map(|a| a.replace('_', "").parse().ok())
        .unwrap_or(1_000_000);
    // `--keep DIR` writes the project into DIR and stops there, for profiling.
    let keep = args
        .iter()
        .position(|a| a == "--keep")
        .map(|i| PathBuf::from(&args[i + 1]));
    let root = tempfile::tempdir().expect("temporary folder");
    let project: PathBuf = keep.clone().unwrap_or_else(|| root.path().to_path_buf());
    std::fs::create_dir_all(&project).expect("project folder");
    std::fs::write(project.join("audit.toml"), AUDIT_TOML).expect("audit.toml");
    let t = Instant::now();
    write_workbook(&project.join("evidence.xlsx"), rows).expect("generate workbook");
    let size = std::fs::metadata(project.join("evidence.xlsx")).map_or(0, |m| m.len());
    println!(
        "generated {rows} evidence rows in {:.1} s: {} MB",
        t.elapsed().as_secs_f64(),
        size / (1 << 20)
    );
    if keep.is_some() {
        return;
    }
    let mut all = Vec::new();
    for step in ["floor", "range", "ingest"] {
        all.extend(run_child(step, &project));
    }
    for (step, seconds, memory) in &all {
        println!("{step:10} {seconds:8.3} s   peak {memory}");
    }
    println!(
        "ingest / streaming floor = {:.2}; ingest / whole-sheet read = {:.2}",
        seconds(&all, "ingest") / seconds(&all, "floor"),
        seconds(&all, "ingest") / seconds(&all, "range")
    );
}
