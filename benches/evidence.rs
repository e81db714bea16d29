//! Benchmark: evidence registers, against calamine reading the same workbook bare.
//!
//! `cargo bench --bench evidence [-- ROWS] [--only build|ingest]` writes an evidence
//! workbook (ID, Title, Controls, Owner, Collected as a date cell, Result; ids spread
//! over HIPAA, SOC 2 and common controls), then runs each measurement in a child
//! process of its own, so that peak memory (VmHWM) is that step's alone:
//! - the floor: calamine's streaming cell reader visiting every cell, nothing kept;
//! - calamine's whole-sheet read (`worksheet_range`), which the evidence loader uses;
//! - auditpack's ingest and model (`audit_project`), then the workbook it writes;
//! - the whole `auditpack build` (PDF, workbook, HTML report, snapshot, OSCAL,
//!   manifest, package written), with each output timed on its own beside it.
//!
//! Two parts. The build, at 50,000 and 200,000 rows (or ROWS): its time against the
//! streaming floor, and its peak memory against the ingest's (every row is kept in
//! the model, so that is the least a build can hold); the target at 200,000 rows is
//! under 1 GB and 20 s. Then the ingest at 1,000,000 rows (or ROWS).
//!
//! Evidence rows, unlike scanner findings, are each kept: every row is listed in
//! the workbook. The PDF, the HTML report and the OSCAL export count rows per
//! control past 2,000 (`render::view::INDEX_ROWS`), so they follow the controls.
//! `-- ROWS --keep DIR` only writes the project into DIR, to profile a build of it.

mod common;

use auditpack::cli::{Cli, Command};
use auditpack::cmd::audit_project;
use auditpack::render::package::hash_inputs;
use auditpack::render::{html, oscal, pdf, snapshot, xlsx};
use calamine::{Reader, Xlsx, open_workbook};
use clap::Parser;
use common::{Measure, peak_mb, report, run_child, seconds};
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
        "outputs" => {
            // Each output on its own, with the peak so far after it: where memory goes.
            let mut audited = audit_project(project).expect("audit");
            let step = |name: &str, t: Instant, bytes: usize| {
                println!(
                    "{name:9} {:7.3} s  {:7} KB  peak so far {:.0} MB",
                    t.elapsed().as_secs_f64(),
                    bytes / 1024,
                    peak_mb().unwrap_or(0.0)
                );
            };
            step("ingest", start, 0);
            let t = Instant::now();
            let bytes = xlsx::render_xlsx(&audited.audit).expect("workbook");
            step("workbook", t, bytes.len());
            drop(bytes);
            audited.audit.release_scan_results();
            let audit = &audited.audit;
            let t = Instant::now();
            let bytes = pdf::render_pdf(audit, pdf::PdfSettings::default(), None).expect("pdf");
            step("pdf", t, bytes.len());
            drop(bytes);
            let t = Instant::now();
            let bytes = snapshot::render_snapshot(audit).expect("snapshot");
            step("snapshot", t, bytes.len());
            drop(bytes);
            let t = Instant::now();
            let inputs = hash_inputs(project, &audited.inputs).expect("hashes");
            let files = oscal::render_oscal(audit, &inputs).expect("oscal");
            step("oscal", t, files.iter().map(|(_, b)| b.len()).sum());
            drop(files);
            let t = Instant::now();
            let inputs = html::HtmlInputs {
                changes: None,
                files: Vec::new(),
                root_href: String::new(),
                template: None,
                rows_per_control: html::ROWS_PER_CONTROL,
            };
            let bytes = html::render_html(audit, inputs).expect("html");
            step("html", t, bytes.len());
        }
        "build" => {
            // The whole command, as a user runs it: ingest, every output, manifest, writing.
            let out = project.join("out");
            let _ = std::fs::remove_dir_all(&out);
            let cli = Cli::parse_from([
                "auditpack".as_ref(),
                "build".as_ref(),
                project.as_os_str(),
                "--out".as_ref(),
                out.as_os_str(),
            ]);
            let Command::Build(args) = cli.command else {
                unreachable!("parsed as build")
            };
            auditpack::cmd::build::run(args).expect("build");
            report("build", start.elapsed().as_secs_f64());
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
    let rows: Option<u32> = args
        .iter()
        .skip(1)
        .find_map(|a| a.replace('_', "").parse().ok());
    // `--keep DIR` writes the project into DIR and stops there, for profiling.
    let keep = args
        .iter()
        .position(|a| a == "--keep")
        .map(|i| PathBuf::from(&args[i + 1]));
    let only = args
        .iter()
        .position(|a| a == "--only")
        .map(|i| args[i + 1].as_str());
    let root = tempfile::tempdir().expect("temporary folder");
    if let Some(dir) = keep {
        write_project(&dir, rows.unwrap_or(1_000_000));
        return;
    }
    if only != Some("ingest") {
        let sizes = rows.map_or(vec![50_000, 200_000], |r| vec![r]);
        let builds: Vec<(u32, Vec<Measure>)> = sizes
            .iter()
            .map(|&n| (n, build(&root.path().join(format!("build-{n}")), n)))
            .collect();
        println!(
            "rows      floor    ingest   build     build/floor  peak: ingest   build   build/ingest"
        );
        for (n, all) in &builds {
            let peak = |step: &str| peak_of(all, step);
            println!(
                "{n:>7} {:7.2} s {:7.2} s {:7.2} s {:9.2}   {:10.0} MB {:5.0} MB {:9.2}",
                seconds(all, "floor"),
                seconds(all, "ingest"),
                seconds(all, "build"),
                seconds(all, "build") / seconds(all, "floor"),
                peak("ingest"),
                peak("build"),
                peak("build") / peak("ingest"),
            );
        }
        println!("target at 200,000 rows: build under 20 s and 1024 MB peak");
    }
    if only != Some("build") {
        ingest(&root.path().join("ingest"), rows.unwrap_or(1_000_000));
    }
}

/// A project with `rows` evidence rows in `dir`.
fn write_project(dir: &Path, rows: u32) {
    std::fs::create_dir_all(dir).expect("project folder");
    std::fs::write(dir.join("audit.toml"), AUDIT_TOML).expect("audit.toml");
    let t = Instant::now();
    write_workbook(&dir.join("evidence.xlsx"), rows).expect("generate workbook");
    let size = std::fs::metadata(dir.join("evidence.xlsx")).map_or(0, |m| m.len());
    println!(
        "generated {rows} evidence rows in {:.1} s: {} MB",
        t.elapsed().as_secs_f64(),
        size / (1 << 20)
    );
}

/// The peak memory of `step` in MB, 0 if unknown.
fn peak_of(results: &[Measure], step: &str) -> f64 {
    results
        .iter()
        .find(|x| x.0 == step)
        .and_then(|x| x.2.trim_end_matches(" MB").parse().ok())
        .unwrap_or(0.0)
}

/// The whole build at `rows`: floor, ingest, each output, the command.
fn build(project: &Path, rows: u32) -> Vec<Measure> {
    write_project(project, rows);
    let mut all = Vec::new();
    for step in ["floor", "ingest", "outputs", "build"] {
        all.extend(run_child(step, project));
    }
    all
}

/// The ingest at `rows`: the streaming floor, the whole-sheet read, the model.
fn ingest(project: &Path, rows: u32) {
    write_project(project, rows);
    let mut all = Vec::new();
    for step in ["floor", "range", "ingest"] {
        all.extend(run_child(step, project));
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
