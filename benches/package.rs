//! Benchmark: a quarterly package for all five frameworks.
//!
//! `cargo bench --bench package [-- ROWS]` generates a project (AWS and GCP
//! workloads tagged phi and cde, ROWS evidence rows spread over the common
//! controls and the five catalogs), then times each stage and reports pages.
//! The OSCAL export is timed against a floor measured in the same run: the
//! snapshot JSON of the same audit (the model written once as JSON, with no
//! OSCAL structure), so `oscal / floor` says what the OSCAL shape costs.

use auditpack::cmd::audit_project;
use auditpack::render::{html, pdf, xlsx};
use std::fmt::Write as _;
use std::time::Instant;

const AUDIT_TOML: &str = r#"
[organization]
name = "Benchmark Corp"

[audit]
period_start = 2026-07-01
period_end = 2026-09-30
as_of = 2026-09-30
frameworks = ["hipaa", "soc2", "iso27001", "pci-dss", "cis"]

[[inventory]]
name = "web"
provider = "aws"
service = "ec2"
tags = ["phi", "cde"]

[[inventory]]
name = "db"
provider = "aws"
service = "rds"
tags = ["phi", "cde"]

[[inventory]]
name = "api"
provider = "gcp"
service = "cloud-run"
tags = ["phi"]

[[attestations]]
provider = "aws"
report = "soc2-type2"
period_start = 2025-10-01
period_end = 2026-09-30
frameworks = ["soc2", "hipaa", "iso27001", "pci-dss", "cis"]

[[evidence]]
path = "evidence.csv"
"#;

fn main() {
    let rows: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(2_000);
    let library = auditpack::load::library::load_library(None).expect("the shipped catalogs load");
    let ids: Vec<String> = library
        .catalogs
        .iter()
        .flat_map(|c| {
            c.controls
                .iter()
                .map(move |k| format!("{} {}", c.prefixes.first().unwrap_or(&c.id), k.id))
        })
        .collect();
    let folder = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(folder.path().join("audit.toml"), AUDIT_TOML).unwrap();
    let mut csv = String::from("id,title,controls,collected,result\n");
    for i in 0..rows {
        let result = ["pass", "pass", "pass", "fail", "partial"][i % 5];
        let day = 1 + i % 28;
        let _ = writeln!(
            csv,
            "B-{i},Generated evidence {i},{},2026-09-{day:02},{result}",
            ids[(i * 7919) % ids.len()]
        );
    }
    std::fs::write(folder.path().join("evidence.csv"), csv).unwrap();

    let start = Instant::now();
    let audited = audit_project(folder.path()).expect("the generated project audits");
    let audit_time = start.elapsed();
    let start = Instant::now();
    let pdf = pdf::render_pdf(&audited.audit, pdf::PdfSettings::default(), None)
        .expect("the PDF renders");
    let pdf_time = start.elapsed();
    let start = Instant::now();
    let workbook = xlsx::render_xlsx(&audited.audit).expect("the workbook renders");
    let xlsx_time = start.elapsed();
    let start = Instant::now();
    let report = html::render_html(
        &audited.audit,
        html::HtmlInputs {
            changes: None,
            files: Vec::new(),
            root_href: String::new(),
            template: None,
            rows_per_control: html::ROWS_PER_CONTROL,
        },
    )
    .expect("the HTML report renders");
    let html_time = start.elapsed();
    let start = Instant::now();
    let snapshot = auditpack::render::snapshot::write_snapshot(
        &auditpack::model::snapshot::snapshot_of(&audited.audit),
    )
    .expect("the snapshot renders");
    let floor_time = start.elapsed();
    // Hashed for the manifest in a build anyway: not the export's cost.
    let inputs = auditpack::render::package::hash_inputs(folder.path(), &audited.inputs)
        .expect("the inputs hash");
    let start = Instant::now();
    let oscal = auditpack::render::oscal::render_oscal(&audited.audit, &inputs)
        .expect("the OSCAL export renders");
    let oscal_time = start.elapsed();
    let oscal_bytes: usize = oscal.iter().map(|(_, b)| b.len()).sum();
    let pages = lopdf::Document::load_mem(&pdf)
        .map(|d| d.get_pages().len())
        .unwrap_or(0);
    let controls: usize = audited
        .audit
        .frameworks
        .iter()
        .map(|f| f.controls.len())
        .sum();
    println!(
        "evidence rows {rows}, controls {controls}, mapped {}",
        audited.audit.rows_mapped()
    );
    println!("load + model {:>8.1} ms", audit_time.as_secs_f64() * 1e3);
    println!(
        "PDF          {:>8.1} ms  ({} bytes, {pages} pages)",
        pdf_time.as_secs_f64() * 1e3,
        pdf.len()
    );
    println!(
        "XLSX         {:>8.1} ms  ({} bytes)",
        xlsx_time.as_secs_f64() * 1e3,
        workbook.len()
    );
    println!(
        "HTML         {:>8.1} ms  ({} bytes)",
        html_time.as_secs_f64() * 1e3,
        report.len()
    );
    println!(
        "snapshot JSON {:>7.1} ms  ({} bytes; the OSCAL floor)",
        floor_time.as_secs_f64() * 1e3,
        snapshot.len()
    );
    println!(
        "OSCAL        {:>8.1} ms  ({oscal_bytes} bytes in {} files; oscal / floor = {:.2})",
        oscal_time.as_secs_f64() * 1e3,
        oscal.len(),
        oscal_time.as_secs_f64() / floor_time.as_secs_f64().max(1e-9)
    );
}
