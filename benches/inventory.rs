//! Benchmark: `inventory import` of a 50 MB Terraform state and of a million
//! scanner findings, each against the floor of parsing the same file bare.
//!
//! `cargo bench --bench inventory [-- MB [FINDINGS]]` (defaults 50 and 1,000,000)
//! generates a `terraform show -json` state of about MB megabytes (resources of
//! about 1 KB each, in child modules, with tags and nested attributes) and a
//! Prowler CSV of FINDINGS findings over 20,000 resources of 12 services, then
//! runs each step in a child process of its own, so that peak memory (VmHWM) is
//! that step's alone:
//! - `tf-floor`: serde_json parsing the state and keeping nothing (`IgnoredAny`);
//! - `tf-tree`: serde_json reading it into a `Value` tree, for comparison;
//! - `tf-import`: auditpack's loader, resolution and grouping, and the TOML;
//! - `scan-floor`: the `csv` crate reading every record of the scan, nothing else;
//! - `scan-import`: auditpack's Prowler loader, resolution and grouping.

mod common;

use auditpack::load::library::load_library;
use auditpack::load::prowler::read_prowler_csv;
use auditpack::load::terraform::read_terraform;
use auditpack::model::inventory_import::{found_in_scan, found_in_terraform, group};
use auditpack::render::inventory_toml::inventory_toml;
use common::{peak_mb, report, run_child, seconds};
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Instant;

const TYPES: [&str; 12] = [
    "aws_instance",
    "aws_s3_bucket",
    "aws_db_instance",
    "aws_lambda_function",
    "aws_iam_role",
    "aws_security_group",
    "aws_kms_key",
    "aws_sqs_queue",
    "aws_dynamodb_table",
    "aws_cloudwatch_log_group",
    "aws_route53_record",
    "aws_ssm_parameter",
];

const SERVICES: [&str; 12] = [
    "ec2",
    "s3",
    "rds",
    "awslambda",
    "iam",
    "vpc",
    "kms",
    "sqs",
    "dynamodb",
    "cloudwatch",
    "route53",
    "account",
];

fn resource(w: &mut impl Write, module: &str, i: usize) -> std::io::Result<()> {
    let kind = TYPES[i % TYPES.len()];
    let address = format!("{module}{kind}.r{i}");
    write!(
        w,
        r#"{{"address":"{address}","mode":"managed","type":"{kind}","name":"r{i}","provider_name":"registry.terraform.io/hashicorp/aws","schema_version":1,"values":{{"arn":"arn:aws:service:us-east-1:111122223333:thing/r{i}","id":"id-{i:08}","tags":{{"workload":"app-{w}","DataClassification":"{class}","Name":"resource-{i}"}},"tags_all":{{"workload":"app-{w}","DataClassification":"{class}","Name":"resource-{i}","ManagedBy":"terraform"}},"settings":[{{"name":"retention","value":"30","nested":{{"enabled":true,"window":"Sun:03:00-Sun:04:00","list":[1,2,3,4,5,6,7,8]}}}}],"description":"A generated resource with enough attributes to weigh what a real one does in a state file: policies, rules and settings that an inventory never reads.","policy":"{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],\"Resource\":\"*\"}}]}}","timeouts":null}},"sensitive_values":{{"tags":{{}},"settings":[{{}}]}}}}"#,
        w = i % 40,
        class = if i.is_multiple_of(3) {
            "restricted"
        } else {
            "internal"
        },
    )
}

/// A state of about `mb` megabytes: the root module and 20 child modules, each with one nested.
fn write_state(path: &Path, mb: usize) -> std::io::Result<()> {
    let mut w = BufWriter::new(std::fs::File::create(path)?);
    let total = mb * 1024 * 1024 / 960;
    let per_module = total / 41 + 1;
    let mut i = 0;
    let mut resources = |w: &mut BufWriter<std::fs::File>, module: &str| -> std::io::Result<()> {
        write!(w, "\"resources\":[")?;
        for n in 0..per_module {
            if n > 0 {
                write!(w, ",")?;
            }
            resource(w, module, i)?;
            i += 1;
        }
        write!(w, "]")
    };
    write!(
        w,
        r#"{{"format_version":"1.0","terraform_version":"1.9.5","values":{{"outputs":{{}},"root_module":{{"#
    )?;
    resources(&mut w, "")?;
    write!(w, ",\"child_modules\":[")?;
    for m in 0..20 {
        if m > 0 {
            write!(w, ",")?;
        }
        let module = format!("module.m{m}.");
        write!(w, "{{\"address\":\"module.m{m}\",")?;
        resources(&mut w, &module)?;
        let nested = format!("module.m{m}.module.n.");
        write!(
            w,
            ",\"child_modules\":[{{\"address\":\"module.m{m}.module.n\","
        )?;
        resources(&mut w, &nested)?;
        write!(w, "}}]}}")?;
    }
    writeln!(w, "]}}}}}}")?;
    w.flush()
}

/// A Prowler CSV with the columns inventory import reads and realistic filler.
fn write_scan(path: &Path, findings: usize) -> std::io::Result<()> {
    let mut w = BufWriter::new(std::fs::File::create(path)?);
    writeln!(
        w,
        "TIMESTAMP;ACCOUNT_UID;PROVIDER;CHECK_ID;CHECK_TITLE;STATUS;STATUS_EXTENDED;MUTED;SERVICE_NAME;SEVERITY;RESOURCE_TYPE;RESOURCE_UID;REGION;DESCRIPTION;COMPLIANCE"
    )?;
    for i in 0..findings {
        let resource = i % 20_000;
        let service = SERVICES[resource % SERVICES.len()];
        writeln!(
            w,
            "2026-09-01 03:00:00.000000;{account};aws;{service}_check_{check};Check {check} of {service};{status};The resource r{resource} was checked.;False;{service};medium;Other;arn:aws:{service}:us-east-1:{account}:r{resource};us-east-1;A generated check description of ordinary length.;SOC2: cc_6_1 | HIPAA: 164_312_b",
            account = 111_122_223_330 + (resource % 3),
            check = i / 20_000,
            status = if i.is_multiple_of(7) { "FAIL" } else { "PASS" },
        )?;
    }
    w.flush()
}

fn child(step: &str, target: &Path) {
    let start = Instant::now();
    let library = || load_library(None).expect("library");
    match step {
        "tf-floor" => {
            let file = std::io::BufReader::new(std::fs::File::open(target).unwrap());
            let _: serde::de::IgnoredAny = serde_json::from_reader(file).expect("JSON");
        }
        "tf-tree" => {
            let file = std::io::BufReader::new(std::fs::File::open(target).unwrap());
            let value: serde_json::Value = serde_json::from_reader(file).expect("JSON");
            std::hint::black_box(&value);
        }
        "tf-import" => {
            let library = library();
            let file = std::fs::File::open(target).unwrap();
            let read = read_terraform(file, target).expect("state");
            let found: Vec<_> = read
                .resources
                .into_iter()
                .map(|r| found_in_terraform(r, "state.json"))
                .collect();
            let imported = group(&found, &library.providers, &[]);
            let text = inventory_toml(&imported);
            println!(
                "{} resources, {} entries, {} unknown, {} bytes of TOML",
                imported.resources,
                imported.entries().count(),
                imported.unknown.values().sum::<u64>(),
                text.len()
            );
        }
        "scan-floor" => {
            let mut reader = csv::ReaderBuilder::new()
                .delimiter(b';')
                .from_path(target)
                .unwrap();
            let mut record = csv::ByteRecord::new();
            let mut rows = 0u64;
            while reader.read_byte_record(&mut record).unwrap() {
                rows += 1;
            }
            std::hint::black_box(rows);
        }
        "scan-import" => {
            let library = library();
            let file = std::fs::File::open(target).unwrap();
            let size = file.metadata().map(|m| m.len()).unwrap_or(0);
            let read = read_prowler_csv(
                file,
                size,
                target,
                auditpack::load::findings::ScanFormat::ProwlerCsv,
                &Default::default(),
            )
            .expect("scan");
            let imported = group(&found_in_scan(&read), &library.providers, &[]);
            println!(
                "{} findings, {} resources, {} entries, {} unknown",
                read.findings,
                imported.resources,
                imported.entries().count(),
                imported.unknown.values().sum::<u64>()
            );
        }
        other => panic!("unknown step {other}"),
    }
    report(step, start.elapsed().as_secs_f64());
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--child") {
        child(&args[i + 1], Path::new(&args[i + 2]));
        return;
    }
    let numbers: Vec<usize> = args.iter().skip(1).filter_map(|a| a.parse().ok()).collect();
    let mb = numbers.first().copied().unwrap_or(50);
    let findings = numbers.get(1).copied().unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("temporary folder");
    let state = dir.path().join("state.json");
    let scan = dir.path().join("scan.csv");
    write_state(&state, mb).expect("state written");
    write_scan(&scan, findings).expect("scan written");
    let size = |p: &Path| {
        std::fs::metadata(p)
            .map(|m| m.len() as f64 / 1e6)
            .unwrap_or(0.0)
    };
    println!(
        "state {:.1} MB, scan {:.1} MB ({findings} findings); peak memory of this process {:?} MB",
        size(&state),
        size(&scan),
        peak_mb()
    );
    let mut all = Vec::new();
    for (step, path) in [
        ("tf-floor", &state),
        ("tf-tree", &state),
        ("tf-import", &state),
        ("scan-floor", &scan),
        ("scan-import", &scan),
    ] {
        all.extend(run_child(step, path));
    }
    for (step, secs, memory) in &all {
        println!("{step:12} {secs:7.2} s  {memory}");
    }
    let ratio = |a: &str, b: &str| seconds(&all, a) / seconds(&all, b).max(1e-9);
    println!(
        "tf-import / tf-floor = {:.2}; scan-import / scan-floor = {:.2}",
        ratio("tf-import", "tf-floor"),
        ratio("scan-import", "scan-floor")
    );
}
