//! Benchmark: a million scanner findings, against the floor of reading the same file bare.
//!
//! `cargo bench --bench scanners [-- FINDINGS [--resources N]]` (default 1,000,000
//! over 4,000 resources) generates a Prowler CSV (42 columns, realistic text, 250
//! checks naming HIPAA, SOC 2, ISO, PCI and CIS Benchmark ids) and the same findings as
//! JSON-OCSF, then runs each measurement in a child process of its own, so that
//! peak memory (VmHWM) is that step's alone:
//! - the floor: the `csv` crate reading every record of the file, nothing else;
//! - auditpack's ingest and model (`audit_project`) on the CSV, then each output,
//!   the manifest among them (it hashes every input: the scan file is read again);
//! - the whole `auditpack build` command on the CSV, as a user runs it (ingest,
//!   outputs, manifest, package written): the figure the target is judged on;
//! - `auditpack check` on the CSV with its JSON verdict and SARIF, JUnit and Code
//!   Quality reports: a CI gate should cost about what reading the inputs does;
//! - ingest and build on the OCSF file;
//! - Security Hub (`security_hub`): the same number of ASFF control findings as
//!   `get-findings` writes them, against serde_json reading the file bare.
//!
//! `-- --only securityhub`, `--only defender` (or `--defender`) or `--only prowler` runs one case alone;
//! with `--keep DIR`, the Security Hub or Prowler case only writes its projects to DIR.
//! - the same for a Microsoft Defender for Cloud CSV export (`cloud/mod.rs`;
//!   `--defender` runs that case alone).

mod cloud;
mod common;

use auditpack::cli::{Cli, Command};
use auditpack::cmd::audit_project;
use auditpack::render::package::{Output, render_manifest};
use auditpack::render::{pdf, snapshot, xlsx};
use clap::Parser;
use common::{peak_mb, report, run_child, seconds};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

const AUDIT_TOML: &str = r#"
[organization]
name = "Scanner Benchmark Corp"

[audit]
period_start = 2026-07-01
period_end = 2026-09-30
as_of = 2026-09-30
frameworks = ["hipaa", "soc2", "iso27001", "pci-dss", "cis"]

[[inventory]]
name = "estate"
provider = "aws"
service = "ec2"
tags = ["phi", "cde"]

[[evidence]]
path = "scan.FORMAT"
"#;

const CHECKS: usize = 250;
/// Resources scanned, unless `--resources N` says otherwise: 250 checks on 4,000
/// resources make every one of a million findings a distinct (check, resource).
const RESOURCES: usize = 4_000;

/// Requirement ids in Prowler's spellings, drawn from per check.
const HIPAA: [&str; 8] = [
    "164_308_a_1_ii_d",
    "164_312_b",
    "164_312_a_2_iv",
    "164_312_e_1",
    "164_308_a_3_i",
    "164_312_d",
    "164_308_a_5_ii_c",
    "164_312_c_1",
];
const SOC2: [&str; 6] = ["cc_6_1", "cc_6_6", "cc_7_2", "cc_7_1", "cc_8_1", "a_1_2"];
const ISO: [&str; 6] = ["A.8.15", "A.8.16", "A.8.24", "A.8.5", "A.8.20", "A.5.15"];
const PCI: [&str; 6] = ["10.2.1.1", "3.5.1.2", "8.4.2", "1.2.5.3", "11.3.1", "7.2.1"];

fn compliance(check: usize) -> String {
    format!(
        "CIS-3.0: 1.{} | HIPAA: {}, {} | SOC2: {} | ISO27001-2022: {} | PCI-4.0: {} | KISA-ISMS-P-2023: 2.9.{} | ENS-RD2022: op.exp.8.aws.ct.{} | MITRE-ATTACK: T1190, T1078",
        check % 22,
        HIPAA[check % 8],
        HIPAA[(check / 8) % 8],
        SOC2[check % 6],
        ISO[(check / 3) % 6],
        PCI[(check / 5) % 6],
        check % 7,
        check % 4
    )
}

fn status(i: usize) -> &'static str {
    match i % 20 {
        0..=2 => "FAIL",
        3 => "MANUAL",
        _ => "PASS",
    }
}

const HEADER: &str = "AUTH_METHOD;TIMESTAMP;ACCOUNT_UID;ACCOUNT_NAME;ACCOUNT_EMAIL;ACCOUNT_ORGANIZATION_UID;ACCOUNT_ORGANIZATION_NAME;ACCOUNT_TAGS;FINDING_UID;PROVIDER;CHECK_ID;CHECK_TITLE;CHECK_TYPE;STATUS;STATUS_EXTENDED;MUTED;SERVICE_NAME;SUBSERVICE_NAME;SEVERITY;RESOURCE_TYPE;RESOURCE_UID;RESOURCE_NAME;RESOURCE_DETAILS;RESOURCE_TAGS;PARTITION;REGION;DESCRIPTION;RISK;RELATED_URL;REMEDIATION_RECOMMENDATION_TEXT;REMEDIATION_RECOMMENDATION_URL;REMEDIATION_CODE_NATIVEIAC;REMEDIATION_CODE_TERRAFORM;REMEDIATION_CODE_CLI;REMEDIATION_CODE_OTHER;COMPLIANCE;CATEGORIES;DEPENDS_ON;RELATED_TO;NOTES;PROWLER_VERSION;ADDITIONAL_URLS";

const RISK: &str = "A resource reachable from the internet, or one that keeps no record of who used it, widens what an attacker can do and narrows what responders can see, and the check looks at the setting that closes that gap and reports each resource on its own.";

fn write_csv(path: &Path, findings: usize, resources: usize) -> std::io::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    writeln!(out, "{HEADER}")?;
    let compliances: Vec<String> = (0..CHECKS).map(compliance).collect();
    for i in 0..findings {
        let check = i % CHECKS;
        let resource = (i / CHECKS) % resources;
        let severity = ["low", "medium", "high", "critical"][check % 4];
        let muted = if i % 50 == 7 { "True" } else { "False" };
        writeln!(
            out,
            "profile;2026-09-{:02} 04:00:00.000000;111122223333;prod;;o-1;acme;;prowler-aws-check_{check}-111122223333-us-east-1-res{resource};aws;check_{check};Check that setting {check} is on;Software and Configuration Checks;{};Resource res{resource} has setting {check} {};{muted};service{};;{severity};AwsEc2Instance;arn:aws:ec2:us-east-1:111122223333:instance/res{resource};res{resource};;env=prod | team=platform;aws;us-east-1;Check that setting {check} is on for every resource.;{RISK};https://docs.aws.amazon.com/check{check};Turn the setting on and keep it on through infrastructure code.;https://docs.aws.amazon.com/fix{check};;;aws ec2 modify --setting {check};;{};internet-exposed | logging;;;;5.10.0;https://example.com/guide/{check}",
            20 + (i / (CHECKS * resources)) % 8,
            status(i / 7),
            status(i / 7).to_lowercase(),
            check % 30,
            compliances[check],
        )?;
    }
    out.flush()
}

fn write_ocsf(path: &Path, findings: usize, resources: usize) -> std::io::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    writeln!(out, "[")?;
    for i in 0..findings {
        let check = i % CHECKS;
        let resource = (i / CHECKS) % resources;
        let hipaa = HIPAA[check % 8];
        let soc2 = SOC2[check % 6];
        let comma = if i + 1 < findings { "," } else { "" };
        writeln!(
            out,
            r#"{{"message":"Resource res{resource} setting {check}","metadata":{{"event_code":"check_{check}","product":{{"name":"Prowler","version":"5.10.0"}},"version":"1.4.0"}},"severity":"Medium","status":"{}","status_code":"{}","finding_info":{{"title":"Check that setting {check} is on","uid":"f-{i}"}},"resources":[{{"uid":"arn:aws:ec2:us-east-1:111122223333:instance/res{resource}","name":"res{resource}","region":"us-east-1"}}],"risk_details":"{RISK}","time":1790481600,"unmapped":{{"compliance":{{"HIPAA":["{hipaa}"],"SOC2":["{soc2}"],"CIS-3.0":["1.{}"]}}}}}}{comma}"#,
            if i % 50 == 7 { "Suppressed" } else { "New" },
            status(i / 7),
            check % 22,
        )?;
    }
    writeln!(out, "]")?;
    out.flush()
}

/// Child steps: each runs alone in its own process.
fn child(step: &str, target: &Path) {
    let start = Instant::now();
    match step {
        "floor" => {
            let mut reader = csv::ReaderBuilder::new()
                .delimiter(b';')
                .flexible(true)
                .from_path(target)
                .expect("scan file");
            let mut record = csv::ByteRecord::new();
            let mut rows = 0u64;
            while reader.read_byte_record(&mut record).expect("record") {
                rows += 1;
            }
            assert!(rows > 0);
            report("floor", start.elapsed().as_secs_f64());
        }
        "floor-json" => {
            // The floor for JSON: serde_json checking every byte, keeping nothing.
            let file = std::fs::File::open(target).expect("scan file");
            let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::with_capacity(
                1 << 20,
                file,
            ));
            serde::Deserialize::deserialize(&mut de)
                .map(|_: serde::de::IgnoredAny| ())
                .expect("JSON");
            report("floor", start.elapsed().as_secs_f64());
        }
        "ingest" => {
            let audited = audit_project(target).expect("audit");
            report("ingest", start.elapsed().as_secs_f64());
            let t = Instant::now();
            let snapshot = snapshot::render_snapshot(&audited.audit).expect("snapshot");
            let snapshot_s = t.elapsed().as_secs_f64();
            let t = Instant::now();
            let workbook = xlsx::render_xlsx(&audited.audit).expect("xlsx");
            let xlsx_s = t.elapsed().as_secs_f64();
            let xlsx_mb = peak_mb().unwrap_or(0.0);
            let results: usize = audited
                .audit
                .scans
                .iter()
                .map(|s| s.results.latest.len())
                .sum();
            let mut audited = audited;
            audited.audit.release_scan_results();
            let t = Instant::now();
            let pdf =
                pdf::render_pdf(&audited.audit, pdf::PdfSettings::default(), None).expect("pdf");
            let pdf_s = t.elapsed().as_secs_f64();
            // The manifest hashes every input (the scan file too) and output.
            let t = Instant::now();
            let outputs: Vec<Output> = [pdf, workbook, snapshot]
                .into_iter()
                .zip(["audit-package.pdf", "audit-workbook.xlsx", "snapshot.json"])
                .map(|(bytes, name)| Output {
                    name: name.to_string(),
                    bytes,
                })
                .collect();
            let manifest =
                render_manifest(target, &audited.inputs, &outputs, "2026-09-30").expect("manifest");
            let manifest_s = t.elapsed().as_secs_f64();
            println!(
                "OUTPUTS snapshot {snapshot_s:.3} s ({} KB), xlsx {xlsx_s:.3} s ({} KB, peak so far {xlsx_mb:.0} MB), pdf {pdf_s:.3} s ({} KB), manifest {manifest_s:.3} s ({} B), results {}",
                outputs[2].bytes.len() / 1024,
                outputs[1].bytes.len() / 1024,
                outputs[0].bytes.len() / 1024,
                manifest.len(),
                results
            );
            report("outputs", snapshot_s + pdf_s + xlsx_s + manifest_s);
            report("total", start.elapsed().as_secs_f64());
        }
        "build" => {
            // The whole command, as a user runs it: ingest, outputs, manifest, writing.
            let out = target.join("out");
            let cli = Cli::parse_from([
                "auditpack".as_ref(),
                "build".as_ref(),
                target.as_os_str(),
                "--out".as_ref(),
                out.as_os_str(),
            ]);
            let Command::Build(args) = cli.command else {
                unreachable!("parsed as build")
            };
            auditpack::cmd::build::run(args).expect("build");
            report("build", start.elapsed().as_secs_f64());
        }
        "check" => {
            // The CI gate with every report it writes, as a pipeline runs it.
            let report_at = |name: &str| target.join(name).into_os_string();
            let cli = Cli::parse_from([
                "auditpack".into(),
                "check".into(),
                target.as_os_str().to_owned(),
                "--format".into(),
                "json".into(),
                "--sarif".into(),
                report_at("check.sarif"),
                "--junit".into(),
                report_at("check.xml"),
                "--gitlab-codequality".into(),
                report_at("codequality.json"),
            ]);
            let Command::Check(args) = cli.command else {
                unreachable!("parsed as check")
            };
            // Exit 1 (rules tripped) is an outcome, not a failure of the step.
            auditpack::cmd::check::run(args).expect("check");
            report("check", start.elapsed().as_secs_f64());
        }
        "floor-defender" => {
            assert!(cloud::floor(target) > 0);
            report("floor", start.elapsed().as_secs_f64());
        }
        _ => panic!("unknown step {step}"),
    }
}

fn project(root: &Path, format: &str) -> PathBuf {
    let dir = root.join(format);
    std::fs::create_dir_all(&dir).expect("project folder");
    std::fs::write(dir.join("audit.toml"), AUDIT_TOML.replace("FORMAT", format))
        .expect("audit.toml");
    dir
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--child") {
        child(&args[i + 1], Path::new(&args[i + 2]));
        return;
    }
    let resources: usize = args
        .iter()
        .position(|a| a == "--resources")
        .and_then(|i| args.get(i + 1)?.parse().ok())
        .unwrap_or(RESOURCES);
    let findings: usize = args
        .iter()
        .skip(1)
        .take_while(|a| *a != "--resources")
        .find_map(|a| a.replace('_', "").parse().ok())
        .unwrap_or(1_000_000);
    let root = tempfile::tempdir().expect("temporary folder");
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1))
        .map(String::as_str);
    let only = if args.iter().any(|a| a == "--defender") {
        Some("defender")
    } else {
        only
    };
    if only == Some("securityhub") {
        // `--keep DIR` only writes the project there, to profile a build of it.
        if let Some(keep) = args
            .iter()
            .position(|a| a == "--keep")
            .and_then(|i| args.get(i + 1))
        {
            let dir = project(Path::new(keep), "asff.json");
            write_asff(&dir.join("scan.asff.json"), findings, resources).expect("generate ASFF");
            println!("wrote {}", dir.display());
            return;
        }
        security_hub(root.path(), findings, resources);
        return;
    }
    if only == Some("defender") {
        cloud::run(root.path(), findings, resources);
        return;
    }
    let keep = args
        .iter()
        .position(|a| a == "--keep")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from);
    let base = keep.clone().unwrap_or_else(|| root.path().to_path_buf());
    let csv_project = project(&base, "csv");
    let ocsf_project = project(&base, "json");
    let t = Instant::now();
    write_csv(&csv_project.join("scan.csv"), findings, resources).expect("generate CSV");
    write_ocsf(&ocsf_project.join("scan.json"), findings, resources).expect("generate OCSF");
    if keep.is_some() {
        // `--only prowler --keep DIR` only writes the two Prowler projects there.
        println!(
            "wrote {} and {}",
            csv_project.display(),
            ocsf_project.display()
        );
        return;
    }
    let size = |p: PathBuf| std::fs::metadata(p).map_or(0, |m| m.len()) / (1 << 20);
    println!(
        "generated {findings} findings ({CHECKS} checks on {resources} resources) in {:.1} s: CSV {} MB, OCSF {} MB",
        t.elapsed().as_secs_f64(),
        size(csv_project.join("scan.csv")),
        size(ocsf_project.join("scan.json"))
    );
    let floor = run_child("floor", &csv_project.join("scan.csv"));
    let csv = run_child("ingest", &csv_project);
    let csv_build = run_child("build", &csv_project);
    let csv_check = run_child("check", &csv_project);
    let ocsf_floor = run_child("floor-json", &ocsf_project.join("scan.json"));
    let ocsf = run_child("ingest", &ocsf_project);
    let ocsf_build = run_child("build", &ocsf_project);
    for (name, results) in [
        ("bare csv read", &floor),
        ("auditpack, Prowler CSV", &csv),
        ("auditpack build, CSV", &csv_build),
        ("auditpack check, CSV", &csv_check),
        ("bare JSON read, OCSF", &ocsf_floor),
        ("auditpack, OCSF JSON", &ocsf),
        ("auditpack build, OCSF", &ocsf_build),
    ] {
        for (step, seconds, memory) in results {
            println!("{name:24} {step:8} {seconds:8.3} s   peak {memory}");
        }
    }
    let floor_s = seconds(&floor, "floor");
    let ingest_s = seconds(&csv, "ingest");
    let outputs_s = seconds(&csv, "outputs");
    let build_s = seconds(&csv_build, "build");
    let check_s = seconds(&csv_check, "check");
    println!(
        "ingest / floor = {:.2}; build / (floor + outputs) = {:.2} (target under 1.5); check / ingest = {:.2} (target about 1)",
        ingest_s / floor_s,
        build_s / (floor_s + outputs_s),
        check_s / ingest_s
    );
    let ocsf_floor_s = seconds(&ocsf_floor, "floor");
    println!(
        "OCSF: ingest / floor = {:.2}; build / (floor + outputs) = {:.2} (target under 1.5)",
        seconds(&ocsf, "ingest") / ocsf_floor_s,
        seconds(&ocsf_build, "build") / (ocsf_floor_s + seconds(&ocsf, "outputs"))
    );
    if only != Some("prowler") {
        security_hub(root.path(), findings, resources);
        cloud::run(root.path(), findings, resources);
    }
}

/// Security Hub control ids: the first ones are in the shipped mapping
/// (`frameworks/scanner-checks/securityhub.toml`); the rest of the 250 are not, as in a
/// real account where FSBP runs hundreds of controls.
const HUB_CONTROLS: [&str; 20] = [
    "IAM.1",
    "IAM.3",
    "IAM.6",
    "CloudTrail.1",
    "CloudTrail.2",
    "S3.1",
    "S3.5",
    "S3.8",
    "EC2.2",
    "EC2.7",
    "EC2.9",
    "EC2.19",
    "KMS.4",
    "RDS.2",
    "RDS.3",
    "RDS.11",
    "SSM.2",
    "GuardDuty.1",
    "Config.1",
    "EFS.1",
];

fn hub_control(check: usize) -> String {
    match HUB_CONTROLS.get(check) {
        Some(id) => id.to_string(),
        None => format!("Service{}.{}", check % 30, check),
    }
}

/// `aws securityhub get-findings` output: `{"Findings": [...]}`, one consolidated
/// control finding per check and resource, about 1 KB each.
fn write_asff(path: &Path, findings: usize, resources: usize) -> std::io::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    writeln!(out, "{{\"Findings\": [")?;
    let controls: Vec<String> = (0..CHECKS).map(hub_control).collect();
    for i in 0..findings {
        let check = i % CHECKS;
        let resource = (i / CHECKS) % resources;
        let control = &controls[check];
        let status = match status(i / 7) {
            "PASS" => "PASSED",
            "FAIL" => "FAILED",
            _ => "NOT_AVAILABLE",
        };
        let workflow = if i % 50 == 7 { "SUPPRESSED" } else { "NEW" };
        let severity = ["LOW", "MEDIUM", "HIGH", "CRITICAL"][check % 4];
        let comma = if i + 1 < findings { "," } else { "" };
        writeln!(
            out,
            r#"{{"SchemaVersion":"2018-10-08","Id":"arn:aws:securityhub:us-east-1:111122223333:security-control/{control}/finding/{i:08}","ProductArn":"arn:aws:securityhub:us-east-1::product/aws/securityhub","GeneratorId":"security-control/{control}","AwsAccountId":"111122223333","Types":["Software and Configuration Checks/Industry and Regulatory Standards"],"CreatedAt":"2026-09-01T04:00:00.000Z","UpdatedAt":"2026-09-{:02}T04:00:00.000Z","Severity":{{"Label":"{severity}","Normalized":40}},"Title":"Control {control} should be enabled","Description":"This control checks whether setting {check} is on for the resource.","Remediation":{{"Recommendation":{{"Text":"For information on how to correct this issue, consult the documentation.","Url":"https://docs.aws.amazon.com/console/securityhub/{control}/remediation"}}}},"Resources":[{{"Type":"AwsEc2Instance","Id":"arn:aws:ec2:us-east-1:111122223333:instance/res{resource}","Partition":"aws","Region":"us-east-1"}}],"Compliance":{{"Status":"{status}","SecurityControlId":"{control}","AssociatedStandards":[{{"StandardsId":"standards/aws-foundational-security-best-practices/v/1.0.0"}}]}},"WorkflowState":"NEW","Workflow":{{"Status":"{workflow}"}},"RecordState":"ACTIVE","ProductFields":{{"aws/securityhub/ProductName":"Security Hub"}}}}{comma}"#,
            20 + (i / (CHECKS * resources)) % 8,
        )?;
    }
    writeln!(out, "]}}")?;
    out.flush()
}

/// The Security Hub case: a bare serde_json read of the file (the floor), auditpack's
/// ingest with each output, and the whole build command.
fn security_hub(root: &Path, findings: usize, resources: usize) {
    let dir = project(root, "asff.json");
    let scan = dir.join("scan.asff.json");
    let t = Instant::now();
    write_asff(&scan, findings, resources).expect("generate ASFF");
    println!(
        "generated {findings} Security Hub findings in {:.1} s: {} MB",
        t.elapsed().as_secs_f64(),
        std::fs::metadata(&scan).map_or(0, |m| m.len()) / (1 << 20)
    );
    let floor = run_child("floor-json", &scan);
    let ingest = run_child("ingest", &dir);
    let build = run_child("build", &dir);
    for (name, results) in [
        ("bare JSON read, ASFF", &floor),
        ("auditpack, ASFF", &ingest),
        ("auditpack build, ASFF", &build),
    ] {
        for (step, seconds, memory) in results {
            println!("{name:24} {step:8} {seconds:8.3} s   peak {memory}");
        }
    }
    let floor_s = seconds(&floor, "floor");
    println!(
        "Security Hub: ingest / floor = {:.2}; build / (floor + outputs) = {:.2} (target under 1.5)",
        seconds(&ingest, "ingest") / floor_s,
        seconds(&build, "build") / (floor_s + seconds(&ingest, "outputs"))
    );
}
