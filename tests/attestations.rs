//! Attestations: which reports back which framework, for which services, over
//! the whole audit period. Each test builds a fixture project and asserts the
//! status and its reason.

use crate::common::{Project, audit_toml, control, snapshot};

/// A project over `inventory` with `attestations` and one evidence row per
/// (framework control) in `evidence`, all passing and fresh.
fn project(
    frameworks: &str,
    inventory: &[(&str, &str, &str)],
    attestations: &str,
    evidence: &[&str],
) -> Project {
    let project = Project::empty();
    let mut extra = attestations.to_string();
    if !evidence.is_empty() {
        extra.push_str("\n[[evidence]]\npath = \"ev.csv\"\n");
        let mut csv = String::from("ID,Title,Controls,Collected,Result\n");
        for (i, reference) in evidence.iter().enumerate() {
            csv.push_str(&format!(
                "EV-{i},Evidence {i},{reference},2026-03-01,pass\n"
            ));
        }
        project.write("ev.csv", csv);
    }
    project.write("audit.toml", audit_toml(frameworks, inventory, &extra));
    project
}

/// The newest AWS report that can be held at the as-of date (2026-03-31): its
/// period ended in January, and its bridge letter reaches the as-of date.
const AWS_SOC2: &str = "[[attestations]]\nprovider = \"aws\"\nreport = \"soc2-type2\"\nperiod_start = 2025-02-01\nperiod_end = 2026-01-31\nissued = 2026-03-06\nbridge_letter_until = 2026-03-31\n";
const AWS_BAA: &str =
    "[[attestations]]\nprovider = \"aws\"\nreport = \"hipaa-baa\"\nperiod_start = 2024-01-01\n";

#[test]
fn a_cis_safeguard_shared_with_aws_is_met_by_its_soc2_report_and_passing_evidence() {
    let p = project("\"cis\"", &[("aws", "rds", "x")], AWS_SOC2, &["CIS 3.11"]);
    let s = snapshot(&p.build());
    let c = control(&s, "cis", "3.11");
    assert_eq!(c["responsibility"], "shared", "{}", c["rationale"]);
    assert_eq!(c["status"], "satisfied", "{}", c["status_reason"]);
    assert!(
        c["status_reason"].as_str().unwrap().contains(
            "provider side: attested by AWS SOC 2 Type II report (2025-02-01 to 2026-01-31), then relied on (bridge letter) for 2026-02-01 to 2026-03-31 for RDS"
        ),
        "{}",
        c["status_reason"]
    );
}

#[test]
fn microsoft_365_is_not_attested_by_an_azure_platform_report() {
    let azure_soc2 = "[[attestations]]\nprovider = \"azure\"\nreport = \"soc2-type2\"\nperiod_start = 2025-01-01\nperiod_end = 2025-12-31\nbridge_letter_until = 2026-03-31\n";
    let p = project(
        "\"soc2\"",
        &[("azure", "microsoft-365", "x")],
        azure_soc2,
        &[],
    );
    let s = snapshot(&p.build());
    let inherited: Vec<&serde_json::Value> = s["frameworks"][0]["controls"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["responsibility"] == "inherited")
        .collect();
    assert!(!inherited.is_empty());
    for c in inherited {
        assert_eq!(c["status"], "inherited-unattested", "{}", c["id"]);
        assert!(
            c["status_reason"]
                .as_str()
                .unwrap()
                .contains("365 is outside the scope of Microsoft Azure SOC 2"),
            "{}",
            c["status_reason"]
        );
    }
}

#[test]
fn phi_on_a_service_the_baa_does_not_cover_is_not_inherited_attested() {
    // A BAA naming only RDS: EC2 holding PHI is outside it.
    let narrow_baa = format!("{AWS_BAA}services = [\"rds\"]\n");
    let p = project(
        "\"hipaa\"",
        &[("aws", "ec2", "phi")],
        &format!("{AWS_SOC2}\n{narrow_baa}"),
        &[],
    );
    let s = snapshot(&p.build());
    let facility = control(&s, "hipaa", "164.310(a)(1)");
    assert_eq!(facility["status"], "inherited-unattested");
    assert_eq!(
        facility["status_reason"],
        "EC2 is outside the scope of AWS Business Associate Addendum"
    );
}

#[test]
fn phi_without_a_baa_is_not_inherited_attested() {
    let p = project("\"hipaa\"", &[("aws", "ec2", "phi")], AWS_SOC2, &[]);
    let s = snapshot(&p.build());
    let facility = control(&s, "hipaa", "164.310(a)(1)");
    assert_eq!(facility["status"], "inherited-unattested");
    assert_eq!(
        facility["status_reason"],
        "no HIPAA Business Associate Agreement from AWS is held for EC2"
    );
    let with_baa = project(
        "\"hipaa\"",
        &[("aws", "ec2", "phi")],
        &format!("{AWS_SOC2}\n{AWS_BAA}"),
        &[],
    );
    let s = snapshot(&with_baa.build());
    assert_eq!(control(&s, "hipaa", "164.310(a)(1)")["status"], "inherited");
}

#[test]
fn a_report_ending_mid_period_without_a_bridge_letter_names_the_gap() {
    let ends_early = "[[attestations]]\nprovider = \"aws\"\nreport = \"soc2-type2\"\nperiod_start = 2025-03-01\nperiod_end = 2026-02-28\n";
    let p = project("\"soc2\"", &[("aws", "ec2", "x")], ends_early, &[]);
    let s = snapshot(&p.build());
    let c = control(&s, "soc2", "CC6.4");
    assert_eq!(c["status"], "inherited-unattested");
    assert_eq!(
        c["status_reason"],
        "AWS SOC 2 Type II report ends 2026-02-28 with no bridge letter: 2026-03-01 to 2026-03-31 of the audit period is not covered"
    );
}

#[test]
fn a_bridge_letter_on_a_report_kind_that_has_none_is_an_error() {
    let aoc = "[[attestations]]\nprovider = \"aws\"\nreport = \"pci-dss-aoc\"\nissued = 2025-06-01\nbridge_letter_until = 2026-12-31\n";
    let p = project("\"pci-dss\"", &[("aws", "ec2", "cde")], aoc, &[]);
    let run = p.run(&["validate", "{}"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("AWS PCI DSS Attestation of Compliance has no bridge letters"),
        "{}",
        run.stdout
    );
}

#[test]
fn validate_names_each_service_no_held_report_backs() {
    // PHI on EC2 with a BAA naming only RDS; a CDE service outside the AOC held.
    let narrow_baa = format!("{AWS_BAA}services = [\"rds\"]\n");
    let aoc = "[[attestations]]\nprovider = \"aws\"\nreport = \"pci-dss-aoc\"\nissued = 2025-12-01\nservices = [\"rds\"]\n";
    let p = project(
        "\"hipaa\", \"pci-dss\"",
        &[("aws", "ec2", "phi"), ("aws", "s3", "cde")],
        &format!("{AWS_SOC2}\n{narrow_baa}\n{aoc}"),
        &[],
    );
    let run = p.run(&["validate", "{}"]);
    for expected in [
        "note: HIPAA Security Rule: the provider's side is not backed: EC2 is outside the scope of AWS Business Associate Addendum",
        "note: PCI DSS: the provider's side is not backed: S3 is outside the scope of AWS PCI DSS Attestation of Compliance",
    ] {
        assert!(
            run.stdout.contains(expected),
            "{expected:?} missing from:\n{}",
            run.stdout
        );
    }
}

#[test]
fn the_inherited_controls_name_the_rule_the_reports_and_the_services_they_cover() {
    let p = project("\"soc2\"", &[("aws", "ec2", "x")], AWS_SOC2, &[]);
    let package = p.build();
    let text = crate::common::pdf_text(&package.join("audit-package.pdf"));
    for expected in [
        "SOC 2 treats the provider as a subservice organization, carved out",
        "attested by AWS SOC 2 Type II report (2025-02-01 to 2026-01-31), then relied on (bridge letter) for 2026-02-01 to 2026-03-31 for EC2",
    ] {
        assert!(text.contains(expected), "{expected:?} not in the PDF");
    }
}

#[test]
fn a_pin_to_shared_over_a_customer_derivation_rests_on_the_providers_in_scope() {
    let pin = "[[pins]]\ncontrol = \"hipaa:164.310(d)(2)(iii)\"\nresponsibility = \"shared\"\nreason = \"AWS tracks its own media; we track laptops\"\n";
    let p = project(
        "\"hipaa\"",
        &[("aws", "ec2", "phi")],
        &format!("{AWS_SOC2}\n{AWS_BAA}\n{pin}"),
        &["HIPAA 164.310(d)(2)(iii)"],
    );
    let s = snapshot(&p.build());
    let c = control(&s, "hipaa", "164.310(d)(2)(iii)");
    assert_eq!(c["responsibility"], "shared");
    let reason = c["status_reason"].as_str().unwrap();
    assert!(
        reason.contains("provider side: attested by AWS SOC 2 Type II report (2025-02-01 to 2026-01-31), then relied on (bridge letter) for 2026-02-01 to 2026-03-31; agreement in force: AWS Business Associate Addendum (from 2024-01-01) for EC2"),
        "{reason}"
    );
}

#[test]
fn a_customer_control_names_no_provider_report_and_a_shared_one_does() {
    // The customer's own control relies on no provider report, so listing the
    // providers' reports beside it would read as if they attested it.
    let project = crate::common::Project::sample("acme-health");
    let out = project.path().join("pkg");
    let run = project.run(&[
        "build",
        "{}",
        "--format",
        "html",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = std::fs::read_to_string(out.join("audit-report.html")).unwrap();
    let entry = |id: &str| {
        let start = html
            .find(&format!("id=\"control-hipaa-{id}\""))
            .unwrap_or_else(|| panic!("no entry for {id}"));
        let rest = &html[start + 1..];
        let end = rest.find("id=\"control-").unwrap_or(rest.len());
        rest[..end].to_string()
    };
    let customer = entry("164.308(a)(4)");
    assert!(customer.contains("customer"), "{customer}");
    assert!(
        !customer.contains("SOC 2"),
        "a customer control lists provider reports: {customer}"
    );
    let shared = entry("164.310(a)(1)");
    assert!(
        shared.contains("AWS ISO/IEC 27001 certificate"),
        "a shared control names the reports its provider side rests on: {shared}"
    );
}
