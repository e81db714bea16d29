//! Claims an auditor can rely on: monitoring and recovery testing never wholly
//! a provider's, a colocation cage's access the customer's, no control met while
//! a CUEC mapped to it is unmet, and the workbook's matrix agreeing with the PDF.
//! Each test builds a fixture project and reads the outputs back.

use crate::common::{Project, audit_toml, control, snapshot};
use calamine::{Data, Reader, Xlsx, open_workbook};

fn project(frameworks: &str, inventory: &[(&str, &str, &str)], extra: &str, csv: &str) -> Project {
    let project = Project::empty();
    let extra = format!("[[evidence]]\npath = \"ev.csv\"\n\n{extra}");
    project.write("audit.toml", audit_toml(frameworks, inventory, &extra));
    project.write("ev.csv", csv);
    project
}

const NO_ROWS: &str = "ID,Title,Controls,Collected,Result\n";

/// A SaaS-only company: a log vendor and a backup vendor that run logging and
/// continuity alone, each with its report and the document that says so.
const SAAS_VENDORS: &str = r#"[[vendors]]
name = "Datadog"
service = "Log management"
model = "saas"
layers = { logging = "provider" }
layers_source = "Datadog SOC 2 Type 2 report, section III (system description)"

[[vendors.reports]]
scheme = "soc2-type2"
name = "Datadog SOC 2 Type 2 report"
period_start = 2025-01-01
period_end = 2025-12-31
bridge_letter_until = 2026-03-31

[[vendors]]
name = "Backblaze"
service = "Backup"
model = "saas"
layers = { continuity = "provider" }
layers_source = "Backblaze SOC 2 Type 2 report, section III"

[[vendors.reports]]
scheme = "soc2-type2"
name = "Backblaze SOC 2 Type 2 report"
period_start = 2025-01-01
period_end = 2025-12-31
bridge_letter_until = 2026-03-31
"#;

#[test]
fn monitoring_and_recovery_testing_are_never_wholly_a_vendors() {
    let p = project(
        "\"soc2\", \"iso27001\", \"cis\"",
        &[],
        SAAS_VENDORS,
        NO_ROWS,
    );
    let s = snapshot(&p.build());
    for (framework, id) in [
        ("soc2", "CC7.2"),
        ("soc2", "A1.3"),
        ("iso27001", "A.8.15"),
        ("iso27001", "A.8.16"),
        ("iso27001", "A.5.30"),
        ("cis", "8.11"),
    ] {
        let c = control(&s, framework, id);
        assert_eq!(
            c["responsibility"], "shared",
            "{framework} {id}: {}",
            c["rationale"]
        );
        let rationale = c["rationale"].as_str().unwrap();
        assert!(rationale.contains("governance and people"), "{rationale}");
        // With no evidence of the team's own review or test, it is not met.
        assert_eq!(
            c["status"], "missing",
            "{framework} {id}: {}",
            c["status_reason"]
        );
    }
}

/// The catalogs hold every monitoring, log review and recovery testing control
/// to an organizational layer, so no estate makes one wholly inherited.
#[test]
fn monitoring_review_and_recovery_testing_controls_keep_an_organizational_layer() {
    use auditpack::model::layer::Layer;
    let library = auditpack::load::library::load_library(None).unwrap();
    for (framework, ids) in [
        ("soc2", &["CC7.2", "A1.3"][..]),
        (
            "hipaa",
            &[
                "164.312(b)",
                "164.308(a)(1)(ii)(D)",
                "164.308(a)(7)(ii)(C)",
                "164.308(a)(7)(ii)(D)",
            ][..],
        ),
        ("iso27001", &["A.8.15", "A.8.16", "A.5.30"][..]),
        (
            "pci-dss",
            &[
                "10.4.1", "10.4.1.1", "10.4.2", "10.4.2.1", "10.4.3", "10.7.1", "10.7.2", "A3.3.1",
            ][..],
        ),
        ("cis", &["8.11", "13.1", "13.11"][..]),
    ] {
        for id in ids {
            let key = library
                .control_in(framework, id)
                .unwrap_or_else(|| panic!("{framework} {id}"));
            let layers = &library.control(key).layers;
            assert!(
                layers.iter().any(|l: &Layer| l.is_organizational()),
                "{framework} {id} touches only {layers:?}"
            );
        }
    }
}

#[test]
fn a_vendor_given_logging_alone_needs_a_source_named_at_its_line() {
    let unsourced = SAAS_VENDORS.replace(
        "layers_source = \"Datadog SOC 2 Type 2 report, section III (system description)\"\n",
        "",
    );
    let p = project("\"soc2\"", &[], &unsourced, NO_ROWS);
    let run = p.run(&["validate", "{}"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let run = crate::common::Run {
        stderr: run.stdout.clone(),
        ..run
    };
    let line = audit_toml("\"soc2\"", &[], "[[evidence]]\npath = \"ev.csv\"\n\n")
        .lines()
        .count()
        + unsourced
            .lines()
            .position(|l| l.starts_with("layers = { logging"))
            .unwrap()
        + 1;
    let at = format!("audit.toml:{line}:");
    assert!(run.stderr.contains(&at), "{at} in {}", run.stderr);
    assert!(run.stderr.contains("layers_source"), "{}", run.stderr);
}

const CAGE: &str = r#"[[sites]]
name = "Cage 12"
kind = "colocation"
operator = "Equinix"
tags = ["cde"]

[[vendors]]
name = "Equinix"
service = "Colocation"
model = "iaas"
layers = {}

[[vendors.reports]]
scheme = "pci-dss-aoc"
name = "Equinix PCI DSS AOC"
issued = 2025-11-01
"#;

#[test]
fn cage_access_at_a_colocation_site_is_shared_and_the_customers_evidence_counts() {
    let p = project("\"pci-dss\"", &[], CAGE, NO_ROWS);
    let s = snapshot(&p.build());
    for id in ["9.2.1", "9.3.1"] {
        let c = control(&s, "pci-dss", id);
        assert_eq!(c["responsibility"], "shared", "{id}: {}", c["rationale"]);
        assert!(
            c["rationale"]
                .as_str()
                .unwrap()
                .contains("physical datacenter: shared with Equinix"),
            "{}",
            c["rationale"]
        );
        assert_eq!(c["status"], "missing", "{id}: {}", c["status_reason"]);
    }
    // The team's own cage access list, reviewed in the period, meets its part.
    let rows = "ID,Title,Controls,Collected,Result\nEV-1,Cage 12 access list and badge log review,\"PCI 9.2.1, PCI 9.3.1\",2026-03-15,pass\n";
    let p = project("\"pci-dss\"", &[], CAGE, rows);
    let s = snapshot(&p.build());
    for id in ["9.2.1", "9.3.1"] {
        let c = control(&s, "pci-dss", id);
        assert_eq!(c["status"], "satisfied", "{id}: {}", c["status_reason"]);
    }
}

/// Okta, whose report expects the team to review its sign-in log (a CUEC
/// mapped to SOC 2 CC6.1), and a row that evidences CC6.1 otherwise.
const OKTA: &str = r#"[[vendors]]
name = "Okta"
service = "Workforce Identity"
model = "saas"
layers = { identity-infrastructure = "provider" }

[[vendors.reports]]
scheme = "soc2-type2"
name = "Okta SOC 2 Type 2 report"
period_start = 2025-01-01
period_end = 2025-12-31
bridge_letter_until = 2026-03-31

[[vendors.cuecs]]
id = "OKTA-7"
text = "Customers review administrator role assignments in their tenant quarterly."
controls = ["SOC2 CC6.3"]
"#;

#[test]
fn no_control_is_met_while_a_cuec_mapped_to_it_is_unmet() {
    let rows = "ID,Title,Controls,Collected,Result\nEV-1,Logical access policy,SOC2 CC6.3,2026-03-01,pass\n";
    let p = project("\"soc2\"", &[], OKTA, rows);
    let s = snapshot(&p.build());
    let c = control(&s, "soc2", "CC6.3");
    // The row counts, and meets the CUEC: the control is satisfied.
    assert_eq!(c["status"], "satisfied", "{}", c["status_reason"]);
    // The same CUEC mapped through a common control nobody evidences holds the
    // control back even though its own row passes.
    let through_common = OKTA.replace("controls = [\"SOC2 CC6.3\"]", "controls = [\"IAM-05\"]");
    let p = project("\"soc2\"", &[], &through_common, rows);
    let s = snapshot(&p.build());
    let c = control(&s, "soc2", "CC6.3");
    let reason = c["status_reason"].as_str().unwrap();
    if reason.contains("OKTA-7") {
        assert_eq!(c["status"], "partial", "{reason}");
        assert!(reason.contains("Okta's CUEC OKTA-7 is not met"), "{reason}");
    } else {
        // IAM-05 does not link to CC6.3 in this catalog: then the CUEC is not
        // the control's, and nothing is held back.
        assert_eq!(c["status"], "satisfied", "{reason}");
    }
}

/// The Responsibility matrix's cell under a layer's column, for a workload.
fn matrix_cell(package: &std::path::Path, workload: &str, layer: &str) -> String {
    let mut book: Xlsx<_> = open_workbook(package.join("audit-workbook.xlsx")).unwrap();
    let sheet = book.worksheet_range("Responsibility matrix").unwrap();
    let header: Vec<String> = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let column = header
        .iter()
        .position(|h| h == layer)
        .unwrap_or_else(|| panic!("no column {layer} in {header:?}"));
    let row = sheet
        .rows()
        .find(|r| r.first() == Some(&Data::String(workload.to_string())))
        .unwrap_or_else(|| panic!("no row {workload}"));
    row.get(column).map(|c| c.to_string()).unwrap_or_default()
}

#[test]
fn the_workbooks_matrix_puts_each_owner_under_its_layer_as_the_snapshot_does() {
    use auditpack::model::layer::Layer;
    let p = project(
        "\"soc2\"",
        &[
            ("aws", "eks", "soc2"),
            ("aws", "ec2", "soc2"),
            ("aws", "s3", "soc2"),
        ],
        "",
        NO_ROWS,
    );
    let package = p.build();
    let s = snapshot(&package);
    let mut checked = 0;
    for item in s["inventory"].as_array().unwrap() {
        let name = item["name"].as_str().unwrap();
        for cell in item["layers"].as_array().unwrap() {
            let id = cell["layer"].as_str().unwrap();
            let layer = Layer::ALL.iter().find(|l| l.id() == id).unwrap();
            assert_eq!(
                matrix_cell(&package, name, layer.name()),
                cell["owner"].as_str().unwrap(),
                "{name} {id}"
            );
            checked += 1;
        }
    }
    assert!(checked > 30, "only {checked} cells compared");
    // The cell the positional matrix got wrong: EKS's control plane is AWS's.
    assert_eq!(
        matrix_cell(
            &package,
            "eks-workload",
            "container orchestration control plane"
        ),
        "provider"
    );
}
