//! `auditpack inventory import` (Terraform state and plan, scanner output,
//! `--write`) and drift between the inventory and the scans.

use crate::common::{Project, fixtures};
use calamine::{Data, Reader, Xlsx, open_workbook};
use std::collections::BTreeMap;

/// (name, provider, service) → tags, from `[[inventory]]` TOML.
fn entries(text: &str) -> BTreeMap<(String, String, String), Vec<String>> {
    let value: toml::Table = toml::from_str(text).expect("the printed entries are TOML");
    let list = value
        .get("inventory")
        .and_then(|v| v.as_array())
        .cloned()
        .unwrap_or_default();
    list.iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap().to_string();
            let tags = e["tags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap().to_string())
                .collect();
            ((s("name"), s("provider"), s("service")), tags)
        })
        .collect()
}

fn key(name: &str, provider: &str, service: &str) -> (String, String, String) {
    (name.to_string(), provider.to_string(), service.to_string())
}

fn terraform(name: &str) -> String {
    fixtures()
        .join("terraform")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn a_terraform_state_with_child_modules_becomes_entries_by_workload() {
    let project = Project::empty();
    let state = terraform("state.json");
    let run = project.run(&[
        "inventory",
        "import",
        &state,
        "--tag",
        "DataClassification=restricted:phi",
        "--tag",
        "pci=true:cde",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let found = entries(&run.stdout);
    // Named by a workload tag, with the scope from the tag mapping.
    assert_eq!(found[&key("patient-portal", "aws", "ec2")], ["phi"]);
    assert_eq!(found[&key("patient-portal", "aws", "rds")], ["phi"]);
    assert_eq!(found[&key("patient-portal", "aws", "ebs")], ["phi"]);
    assert_eq!(found[&key("claims", "aws", "lambda")], ["phi"]);
    assert!(found[&key("claims", "aws", "dynamodb")].is_empty());
    assert!(
        found.contains_key(&key("care-api", "aws", "eks")),
        "Project tag"
    );
    // Named by the outermost module, two levels of child modules deep.
    assert!(found.contains_key(&key("network", "aws", "vpc")));
    assert!(
        found.contains_key(&key("network", "aws", "cloudwatch")),
        "module.network.module.flow_logs"
    );
    assert_eq!(found[&key("partner_portal", "azure", "azure-sql")], ["phi"]);
    assert!(found.contains_key(&key("partner_portal", "azure", "virtual-network")));
    assert!(found.contains_key(&key("analytics", "azure", "aks")));
    assert!(found.contains_key(&key("ops", "gcp", "compute-engine")));
    // GKE Autopilot is told from Standard by enable_autopilot.
    assert_eq!(found[&key("ledger", "gcp", "gke-autopilot")], ["cde"]);
    assert_eq!(found[&key("ledger", "gcp", "cloud-sql")], ["cde"]);
    assert!(found.contains_key(&key("ledger-batch", "gcp", "gke-standard")));
    assert!(!found.contains_key(&key("ledger", "gcp", "gke-standard")));
    // Named by the Name tag, then by the resource.
    assert!(found.contains_key(&key("records-key", "aws", "kms")));
    assert!(found.contains_key(&key("deploy", "aws", "iam")));
    // An ECS service on EC2 is never counted as Fargate.
    assert!(
        run.stdout
            .contains("# batch-jobs (tag app): 1 aws_ecs_cluster, 1 aws_ecs_service, 1 aws_ecs_task_definition"),
        "{}",
        run.stdout
    );
    // Data sources are not inventory.
    assert!(!run.stdout.contains("aws_ami") && !run.stdout.contains("google_project"));
    // Unknown types are counted, on stdout as comments and on stderr.
    assert!(
        run.stdout.contains("#   null_resource: 2"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("#   random_password: 1"));
    assert!(run.stderr.contains("null_resource: 2"), "{}", run.stderr);
    let ecs_ec2 = found.contains_key(&key("batch-jobs", "aws", "ecs-ec2"))
        || run.stdout.contains("aws_ecs_service (launch_type EC2): 1");
    assert!(
        ecs_ec2,
        "the EC2 launch type resolves to ecs-ec2 or is listed unknown"
    );
}

#[test]
fn imported_entries_load_as_a_project_inventory() {
    let project = Project::empty();
    let run = project.run(&[
        "inventory",
        "import",
        &terraform("state.json"),
        "--tag",
        "pci=true:cde",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let head = "[organization]\nname = \"T\"\n\n[audit]\nperiod_start = 2026-01-01\nperiod_end = 2026-03-31\nas_of = 2026-03-31\nframeworks = [\"pci-dss\"]\n";
    project.write("audit.toml", format!("{head}{}", run.stdout));
    let validate = project.run(&["validate", "{}"]);
    assert_eq!(validate.code, 0, "{}\n{}", validate.stdout, validate.stderr);
}

#[test]
fn a_plan_is_read_from_its_planned_values() {
    let project = Project::empty();
    let run = project.run(&["inventory", "import", &terraform("plan.json")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let found = entries(&run.stdout);
    let keys: Vec<_> = found.keys().cloned().collect();
    assert_eq!(
        keys,
        [
            key("db", "aws", "rds"),
            key("exports", "aws", "s3"),
            key("exports", "aws", "sqs")
        ]
    );
}

#[test]
fn write_merges_entries_keeping_the_file_byte_for_byte() {
    let project = Project::empty();
    let before = std::fs::read_to_string(fixtures().join("inventory/before.toml")).unwrap();
    let after = std::fs::read_to_string(fixtures().join("inventory/after.toml")).unwrap();
    project.write("audit.toml", &before);
    let run = project.run(&[
        "inventory",
        "import",
        &terraform("plan.json"),
        "--write",
        "{}",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("2 [[inventory]] entries added, 1 already there"),
        "{}",
        run.stderr
    );
    let written = std::fs::read_to_string(project.path().join("audit.toml")).unwrap();
    assert_eq!(written, after);
    // A second import adds nothing and changes no byte.
    let again = project.run(&[
        "inventory",
        "import",
        &terraform("plan.json"),
        "--write",
        "{}",
    ]);
    assert!(
        again
            .stderr
            .contains("0 [[inventory]] entries added, 3 already there")
    );
    let rewritten = std::fs::read_to_string(project.path().join("audit.toml")).unwrap();
    assert_eq!(rewritten, after);
}

#[test]
fn write_refuses_a_folder_that_is_not_a_project() {
    let project = Project::empty();
    let run = project.run(&[
        "inventory",
        "import",
        &terraform("plan.json"),
        "--write",
        "{}",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("not an auditpack project"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_scan_becomes_entries_by_account_with_unknown_services_counted() {
    let project = Project::empty();
    let scan = fixtures().join("drift/scans/prowler-aws.csv");
    let run = project.run(&["inventory", "import", scan.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let found = entries(&run.stdout);
    assert!(found.contains_key(&key("aws-111122223333", "aws", "dynamodb")));
    assert!(found.contains_key(&key("aws-111122223333", "aws", "ec2")));
    assert!(found.contains_key(&key("aws-999988887777", "aws", "sqs")));
    assert!(
        run.stdout
            .contains("# aws-111122223333 (account): 2 aws ec2 (Other)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("#   aws account (Other): 1"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_file_of_another_kind_is_an_error_naming_it() {
    let project = Project::empty();
    project.write("notes.json", "{\"hello\": 1}");
    let path = project.path().join("notes.json");
    let run = project.run(&["inventory", "import", path.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("notes.json") && run.stderr.contains("not a format"),
        "{}",
        run.stderr
    );
}

#[test]
fn validate_reports_services_a_scan_saw_that_the_inventory_lacks() {
    let project = Project::fixture("drift");
    let run = project.run(&["validate", "{}"]);
    assert_eq!(run.code, 1, "drift is a finding: {}", run.stdout);
    for line in [
        "drift: aws dynamodb (Amazon DynamoDB): 2 resources in account 111122223333 seen by scans/prowler-aws.csv, and no [[inventory]] entry declares it",
        "drift: aws sqs (Amazon Simple Queue Service (SQS)): 1 resource in account 999988887777",
        "note: aws s3 (Amazon Simple Storage Service (S3)) is declared by [[inventory]] uploads but no scan saw it",
    ] {
        assert!(
            run.stdout.contains(line),
            "missing {line:?} in:\n{}",
            run.stdout
        );
    }
    // Azure is not scanned: its entries are not said to be unseen.
    assert!(!run.stdout.contains("app-service"), "{}", run.stdout);
    // Declaring the services ends the finding.
    let toml = std::fs::read_to_string(project.path().join("audit.toml")).unwrap();
    let more = "\n[[inventory]]\nname = \"claims\"\nprovider = \"aws\"\nservice = \"dynamodb\"\ntags = []\n\n[[inventory]]\nname = \"jobs\"\nprovider = \"aws\"\nservice = \"sqs\"\ntags = []\n";
    project.write(
        "audit.toml",
        toml.replace("[[evidence]]", &format!("{more}\n[[evidence]]")),
    );
    let fixed = project.run(&["validate", "{}"]);
    assert_eq!(fixed.code, 0, "{}", fixed.stdout);
    assert!(!fixed.stdout.contains("drift:"));
}

#[test]
fn build_lists_drift_in_the_workbook_and_the_summary() {
    let project = Project::fixture("drift");
    let out = project.build();
    let mut workbook: Xlsx<_> = open_workbook(out.join("audit-workbook.xlsx")).unwrap();
    let sheet = workbook.worksheet_range("Drift").expect("a Drift sheet");
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Float(f) => f.to_string(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect();
    let finding = rows
        .iter()
        .find(|r| r[0] == "finding" && r[2] == "dynamodb")
        .expect("a finding row for DynamoDB");
    assert_eq!(
        (finding[4].as_str(), finding[5].as_str()),
        ("111122223333", "2")
    );
    assert!(
        rows.iter()
            .any(|r| r[0] == "note" && r[2] == "s3" && r[6] == "uploads")
    );
    assert!(
        rows.iter()
            .any(|r| r[0] == "unrecognised" && r[3] == "aws account (Other)")
    );
    let text = crate::common::pdf_text(&out.join("audit-package.pdf"));
    assert!(text.contains("Inventory drift"), "the summary names drift");
    assert!(text.contains("aws dynamodb (Amazon DynamoDB): 2 resources in account 111122223333"));
}

#[test]
fn diff_shows_drift_resolved_between_cycles() {
    let project = Project::fixture("drift");
    let out = project.build();
    let old = out.join("snapshot.json");
    let snapshot = crate::common::snapshot(&out);
    assert_eq!(
        snapshot["drift"][0]["key"],
        "finding aws dynamodb 111122223333"
    );
    let toml = std::fs::read_to_string(project.path().join("audit.toml")).unwrap();
    let more = "\n[[inventory]]\nname = \"claims\"\nprovider = \"aws\"\nservice = \"dynamodb\"\ntags = []\n";
    project.write(
        "audit.toml",
        toml.replace("[[evidence]]", &format!("{more}\n[[evidence]]")),
    );
    let run = project.run(&["diff", old.to_str().unwrap(), "{}"]);
    assert!(run.stdout.contains("Inventory drift (1)"), "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "finding aws dynamodb 111122223333  resolved  2 resource(s) undeclared -> (gone)"
        ),
        "{}",
        run.stdout
    );
}
