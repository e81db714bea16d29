//! Vendors as subservice organizations: the layers they operate in the derivation,
//! their reports behind the provider side, and their CUECs as customer obligations.
//! Each test builds a fixture project and asserts status and reason.

use crate::common::{Project, audit_toml, control, pdf_text, snapshot};
use calamine::{Data, Reader, Xlsx, open_workbook};

/// A log management vendor operating the logging layer, with `report` (TOML lines) held.
fn datadog(logging: &str, report: &str) -> String {
    format!(
        "[[vendors]]\nname = \"Datadog\"\nservice = \"Log management\"\nmodel = \"saas\"\ntags = [\"cde\"]\nlayers = {{ logging = \"{logging}\" }}\nlayers_source = \"Datadog SOC 2 Type 2 report, section III\"\n{report}"
    )
}

/// A report whose period ended in February, held with its bridge letter to the
/// as-of date (2026-03-31): a report ending on or after the as-of date cannot be held yet.
const DATADOG_SOC2: &str = "[[vendors.reports]]\nscheme = \"soc2-type2\"\nname = \"Datadog SOC 2 Type 2 report\"\nperiod_start = 2025-03-01\nperiod_end = 2026-02-28\nissued = 2026-03-20\nbridge_letter_until = 2026-03-31\n";

/// Okta with two CUECs: one met by an IAM-03 evidence row, one nobody evidences.
const OKTA: &str = r#"[[vendors]]
name = "Okta"
service = "Workforce Identity"
model = "saas"
layers = { identity-infrastructure = "provider" }

[[vendors.reports]]
scheme = "soc2-type2"
name = "Okta SOC 2 Type 2 report"
period_start = 2025-03-01
period_end = 2026-02-28
bridge_letter_until = 2026-03-31

[[vendors.cuecs]]
id = "OKTA-1"
text = "Customers enforce MFA for administrators of their Okta tenant."
controls = ["IAM-03"]

[[vendors.cuecs]]
id = "OKTA-2"
text = "Customers monitor the Okta System Log for suspicious sign-ins."
controls = ["LOG-06", "SOC2 CC7.2"]

[[evidence]]
path = "ev.csv"
"#;

fn project(frameworks: &str, inventory: &[(&str, &str, &str)], extra: &str) -> Project {
    let project = Project::empty();
    project.write("audit.toml", audit_toml(frameworks, inventory, extra));
    project.write(
        "ev.csv",
        "ID,Title,Controls,Collected,Result\nEV-1,MFA report,IAM-03,2026-03-01,pass\n",
    );
    project
}

#[test]
fn a_vendor_operating_a_layer_makes_its_controls_inherited_and_its_soc2_report_backs_them() {
    let p = project("\"soc2\", \"cis\"", &[], &datadog("provider", DATADOG_SOC2));
    let s = snapshot(&p.build());
    // Monitoring keeps the team's review: shared, never wholly the vendor's.
    let monitoring = control(&s, "soc2", "CC7.2");
    assert_eq!(
        monitoring["responsibility"], "shared",
        "{}",
        monitoring["rationale"]
    );
    // Log storage capacity is the vendor's alone.
    let c = control(&s, "cis", "8.3");
    assert_eq!(
        c["rationale"],
        "inherited: touches only logging and monitoring; Datadog owns it for Log management"
    );
    assert_eq!(c["status"], "inherited", "{}", c["status_reason"]);
    assert_eq!(
        c["status_reason"],
        "attested by Datadog SOC 2 Type 2 report (2025-03-01 to 2026-02-28), then relied on (bridge letter) for 2026-03-01 to 2026-03-31 for Log management"
    );
}

#[test]
fn a_vendor_sharing_a_layer_beside_a_cloud_service_makes_the_control_shared() {
    let p = project(
        "\"soc2\"",
        &[("aws", "ec2", "x")],
        &datadog("shared", DATADOG_SOC2),
    );
    let s = snapshot(&p.build());
    let c = control(&s, "soc2", "CC7.2");
    assert_eq!(c["responsibility"], "shared");
    assert_eq!(
        c["rationale"],
        "shared: logging and monitoring: customer for EC2, shared with Datadog for Log management; governance and people: customer (the organization itself)"
    );
}

#[test]
fn a_vendor_report_ending_mid_period_names_the_days_it_leaves() {
    let early = "[[vendors.reports]]\nscheme = \"soc2-type2\"\nname = \"Datadog SOC 2 Type 2 report\"\nperiod_start = 2025-03-01\nperiod_end = 2026-02-28\n";
    let p = project("\"cis\"", &[], &datadog("provider", early));
    let s = snapshot(&p.build());
    let c = control(&s, "cis", "8.3");
    assert_eq!(c["status"], "inherited-unattested");
    assert_eq!(
        c["status_reason"],
        "Datadog SOC 2 Type 2 report ends 2026-02-28 with no bridge letter: 2026-03-01 to 2026-03-31 of the audit period is not covered"
    );
    // PCI DSS does not rest on a SOC 2 report, a vendor's no more than a cloud provider's.
    let p = project("\"pci-dss\"", &[], &datadog("provider", DATADOG_SOC2));
    let s = snapshot(&p.build());
    assert_eq!(
        control(&s, "pci-dss", "10.2.1")["status_reason"],
        "no PCI DSS Attestation of Compliance from Datadog is held for Log management"
    );
}

#[test]
fn a_cuec_with_evidence_is_satisfied_and_one_without_is_a_gap() {
    let p = project("\"soc2\"", &[], OKTA);
    let package = p.build();
    let s = snapshot(&package);
    let okta = &s["vendors"][0];
    assert_eq!(okta["name"], "Okta");
    assert_eq!(okta["reports"][0]["provider"], "vendor:Okta");
    let cuecs = okta["cuecs"].as_array().unwrap();
    assert_eq!(cuecs[0]["status"], "satisfied");
    assert_eq!(
        cuecs[0]["reason"],
        "met through IAM-03: evidence EV-1 (collected 2026-03-01) passed"
    );
    assert_eq!(cuecs[1]["status"], "missing");
    assert_eq!(cuecs[1]["reason"], "no evidence for LOG-06 or SOC2 CC7.2");

    let text = pdf_text(&package.join("audit-package.pdf"));
    assert!(
        text.contains("Vendors and subservice organizations"),
        "{text}"
    );
    // The last mention: the first is the table of contents.
    let gaps = text
        .rsplit("Complementary user entity controls not met")
        .next()
        .expect("the gaps section lists unmet CUECs");
    assert!(
        gaps.contains("OKTA-2") && gaps.contains("no evidence for LOG-06"),
        "{gaps}"
    );

    let mut workbook: Xlsx<_> = open_workbook(package.join("audit-workbook.xlsx")).unwrap();
    let vendors = workbook.worksheet_range("Vendors").unwrap();
    let rows: Vec<&[Data]> = vendors.rows().collect();
    assert_eq!(rows[0][0], Data::String("Vendor".into()));
    assert_eq!(rows[1][0], Data::String("Okta".into()));
    assert_eq!(rows[1][6], Data::String("Okta SOC 2 Type 2 report".into()));
    assert_eq!(
        rows[1][12],
        Data::String(
            "attested by Okta SOC 2 Type 2 report (2025-03-01 to 2026-02-28), then relied on (bridge letter) for 2026-03-01 to 2026-03-31".into()
        )
    );
    let cuecs = workbook.worksheet_range("CUECs").unwrap();
    let rows: Vec<Vec<String>> = cuecs
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(
        rows[0],
        ["Vendor", "CUEC", "Expects", "Maps to", "Status", "Why"]
    );
    assert_eq!(rows[1][..2], ["Okta", "OKTA-1"]);
    assert_eq!(rows[1][4], "satisfied");
    assert_eq!(rows[2][3], "LOG-06, SOC2 CC7.2");
    assert_eq!(rows[2][4], "missing");
}

#[test]
fn an_organizational_layer_given_to_a_vendor_is_an_error_at_its_position() {
    let extra = "[[vendors]]\nname = \"Okta\"\nservice = \"Workforce Identity\"\nmodel = \"saas\"\nlayers = { identity-infrastructure = \"provider\", accounts = \"provider\" }\n";
    let p = project("\"soc2\"", &[], extra);
    let text = audit_toml("\"soc2\"", &[], extra);
    let line = text
        .lines()
        .position(|l| l.starts_with("layers = "))
        .unwrap()
        + 1;
    let column = text
        .lines()
        .nth(line - 1)
        .unwrap()
        .find("accounts")
        .unwrap()
        + 1;
    let run = p.run(&["validate", "{}"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains(&format!(
            "audit.toml:{line}:{column}: vendor \"Okta\" cannot be given accounts (accounts and identities): it is the organization's own"
        )),
        "{}",
        run.stdout
    );
}

#[test]
fn diff_reports_a_vendor_added() {
    let p = project("\"soc2\"", &[("aws", "ec2", "x")], "");
    let before = p.build().join("snapshot.json");
    let kept = p.path().join("old-snapshot.json");
    std::fs::copy(&before, &kept).unwrap();
    p.write(
        "audit.toml",
        audit_toml("\"soc2\"", &[("aws", "ec2", "x")], OKTA),
    );
    let run = p.run(&["diff", kept.to_str().unwrap(), "{}", "--format", "json"]);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let d: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(d["vendors"][0]["event"], "added");
    assert_eq!(d["vendors"][0]["name"], "Okta");
    assert_eq!(d["vendors"][0]["after"]["cuecs"][1]["status"], "missing");
    let text = p.run(&["diff", kept.to_str().unwrap(), "{}"]);
    assert!(text.stdout.contains("Vendors (1)"), "{}", text.stdout);
}

#[test]
fn an_inherited_control_resting_on_a_vendor_shows_its_cuecs() {
    let cuec = "[[vendors.cuecs]]\nid = \"DD-1\"\ntext = \"Customers restrict who can delete log indexes.\"\ncontrols = [\"IAM-03\"]\n";
    let p = project(
        "\"cis\"",
        &[],
        &format!("{}{cuec}", datadog("provider", DATADOG_SOC2)),
    );
    let package = p.build();
    let s = crate::common::snapshot(&package);
    assert_eq!(
        crate::common::control(&s, "cis", "8.3")["responsibility"],
        "inherited"
    );
    let text = crate::common::pdf_text(&package.join("audit-package.pdf"));
    assert!(
        text.contains("CUECs of its vendors, for the team to run: Datadog DD-1 (missing)"),
        "the inherited control does not show the vendor's CUEC"
    );
}

#[test]
fn a_colocation_operator_declared_as_a_vendor_attests_the_cage_with_its_report() {
    let cage = "[[sites]]\nname = \"Cage 12\"\nkind = \"colocation\"\noperator = \"Equinix\"\n";
    let operator = "[[vendors]]\nname = \"Equinix\"\nservice = \"Colocation\"\nmodel = \"iaas\"\nlayers = {}\n\n[[vendors.reports]]\nscheme = \"soc2-type2\"\nname = \"Equinix SOC 2 Type 2 report\"\nperiod_start = 2025-01-01\nperiod_end = 2025-12-31\nbridge_letter_until = 2026-03-31\n";
    let s =
        crate::common::snapshot(&project("\"soc2\"", &[], &format!("{cage}\n{operator}")).build());
    let c = crate::common::control(&s, "soc2", "CC6.4");
    assert_eq!(c["responsibility"], "shared", "{}", c["rationale"]);
    assert_eq!(c["status"], "missing", "{}", c["status_reason"]);
    assert!(
        c["status_reason"]
            .as_str()
            .unwrap()
            .contains("relied on (bridge letter) for 2026-01-01 to 2026-03-31: Equinix SOC 2 Type 2 report (2025-01-01 to 2025-12-31, bridged to 2026-03-31) for Cage 12 (colocation)"),
        "{}",
        c["status_reason"]
    );
}
