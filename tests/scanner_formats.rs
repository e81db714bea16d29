//! Scanners beyond Prowler's current outputs: Security Hub control findings in every
//! wrapping, Prowler 3 JSON and Checkov JSON, resolved through their requirement ids
//! or the shipped check mappings; every finding accounted for.

use crate::common::{Project, audit_toml, control, fixtures, snapshot};

/// A project reading one fixture file as `scans/<name>`, with `extra` settings.
fn reading(fixture: &str, name: &str, frameworks: &str, extra: &str) -> Project {
    let project = Project::empty();
    let bytes = std::fs::read(fixtures().join("scanners").join(fixture)).unwrap();
    project.write(&format!("scans/{name}"), bytes);
    project.write(
        "audit.toml",
        audit_toml(
            frameworks,
            &[("aws", "ec2", "phi"), ("aws", "rds", "cde")],
            &format!("[[evidence]]\npath = \"scans/{name}\"\n{extra}"),
        ),
    );
    project
}

/// The `scan:` line of a build for one file.
fn scan_line<'a>(stderr: &'a str, name: &str) -> &'a str {
    stderr
        .lines()
        .find(|l| l.starts_with(&format!("scan: scans/{name} ")))
        .unwrap_or_else(|| panic!("no scan line for {name}: {stderr}"))
}

#[test]
fn security_hub_controls_resolve_through_the_shipped_mapping() {
    let project = reading(
        "securityhub/get-findings.json",
        "hub.json",
        "\"hipaa\", \"cis\"",
        "",
    );
    let run = project.run(&["build", "{}", "--out", "{}/pkg", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // 6 findings: CloudTrail.1, IAM.6 and the suppressed S3.8 map through the shipped
    // table; the CIS 1.2.0 rule 1.1 names a CIS Benchmark; the archived and the
    // Inspector finding are dropped.
    assert!(
        scan_line(&run.stderr, "hub.json").contains(
            "6 findings = 3 counted + 0 for controls outside the frameworks in scope + 1 naming no control auditpack holds + 2 dropped"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "unresolved CIS AWS Foundations Benchmark v1.2.0: 1 finding (a CIS Benchmark"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("archived finding"), "{}", run.stderr);
    assert!(
        run.stderr.contains("no Compliance object"),
        "{}",
        run.stderr
    );
    let s = snapshot(&project.path().join("pkg"));
    // CloudTrail.1 passed: LOG-02, a subset of HIPAA 164.312(b).
    let audit = control(&s, "hipaa", "164.312(b)");
    assert_eq!(audit["status"], "satisfied", "{audit}");
    assert!(
        audit["status_reason"]
            .as_str()
            .unwrap()
            .contains("Security Hub scans/hub.json"),
        "{audit}"
    );
    // IAM.6 failed on the root user: IAM-19, a subset of CIS 6.5.
    assert_eq!(control(&s, "cis", "6.5")["status"], "failing");
    // S3.8 failed but is suppressed; by default a muted failure is still a failure.
    assert_eq!(control(&s, "cis", "3.3")["status"], "failing");
}

#[test]
fn a_suppressed_security_hub_failure_is_an_exception_when_audit_toml_says_so() {
    let project = reading(
        "securityhub/get-findings.json",
        "hub.json",
        "\"cis\"",
        "muted = \"exception\"\n",
    );
    let s = snapshot(&project.build());
    assert_eq!(control(&s, "cis", "3.3")["status"], "exception");
    // An unsuppressed failure still fails.
    assert_eq!(control(&s, "cis", "6.5")["status"], "failing");
}

#[test]
fn audit_toml_checks_replace_the_shipped_mapping_of_a_control() {
    // IAM.6 is shipped as IAM-19; the project says it is evidence for CIS 6.3 only.
    let project = reading(
        "securityhub/get-findings.json",
        "hub.json",
        "\"cis\"",
        "checks = { \"IAM.6\" = [\"cis:6.3\"] }\n",
    );
    let s = snapshot(&project.build());
    assert_eq!(control(&s, "cis", "6.3")["status"], "failing");
    assert_ne!(control(&s, "cis", "6.5")["status"], "failing");
}

#[test]
fn an_eventbridge_event_is_read_as_security_hub_findings() {
    let project = reading(
        "securityhub/eventbridge-event.json",
        "event.json",
        "\"pci-dss\"",
        "",
    );
    let run = project.run(&["build", "{}", "--out", "{}/pkg", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let line = scan_line(&run.stderr, "event.json");
    assert!(
        line.contains("(AWS Security Finding Format): 1 findings = 1 counted")
            || line.contains("(AWS Security Finding Format): 1 finding = 1 counted"),
        "{line}"
    );
    // KMS.4 passed: CRY-05, a subset of PCI 3.6.1.
    let s = snapshot(&project.path().join("pkg"));
    assert_eq!(control(&s, "pci-dss", "3.6.1")["status"], "satisfied");
}

#[test]
fn every_asff_wrapping_reads_the_same_findings() {
    let finding = r#"{"SchemaVersion": "2018-10-08", "Title": "t", "UpdatedAt": "2026-03-20T10:00:00Z",
        "Resources": [{"Id": "AWS::::Account:111122223333"}],
        "Compliance": {"Status": "PASSED", "SecurityControlId": "CloudTrail.1"}}"#;
    for (name, text) in [
        ("upper.json", format!("{{\"Findings\": [{finding}]}}")),
        (
            "lower.json",
            format!("{{\"NextToken\": null, \"findings\": [{finding}]}}"),
        ),
        ("bare.json", format!("[{finding}]")),
        (
            "event.json",
            format!(
                "{{\"source\": \"aws.securityhub\", \"detail\": {{\"findings\": [{finding}]}}}}"
            ),
        ),
    ] {
        let project = Project::empty();
        project.write(&format!("scans/{name}"), &text);
        project.write(
            "audit.toml",
            audit_toml(
                "\"hipaa\"",
                &[("aws", "ec2", "phi")],
                &format!("[[evidence]]\npath = \"scans/{name}\"\nformat = \"asff\"\n"),
            ),
        );
        let run = project.run(&["build", "{}", "--out", "{}/pkg", "--format", "json"]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        assert!(
            scan_line(&run.stderr, name).contains("= 1 counted"),
            "{name}: {}",
            run.stderr
        );
    }
    // An object with none of the envelopes names them.
    let project = Project::empty();
    project.write("scans/other.json", "{\"Items\": []}");
    project.write(
        "audit.toml",
        audit_toml(
            "\"hipaa\"",
            &[("aws", "ec2", "phi")],
            "[[evidence]]\npath = \"scans/other.json\"\nformat = \"asff\"\n",
        ),
    );
    let run = project.run(&["build", "{}", "--out", "{}/pkg"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("no \"Findings\", \"findings\" or \"detail.findings\" array"),
        "{}",
        run.stderr
    );
}

#[test]
fn prowler_3_json_is_detected_and_its_compliance_map_resolves() {
    let project = reading(
        "prowler-v3/prowler-output.json",
        "prowler-output.json",
        "\"hipaa\", \"soc2\"",
        "",
    );
    let run = project.run(&["build", "{}", "--out", "{}/pkg", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let line = scan_line(&run.stderr, "prowler-output.json");
    assert!(
        line.contains("(Prowler 3 JSON): 3 findings = 2 counted + 0 for controls outside the frameworks in scope + 0 naming no control auditpack holds + 1 dropped"),
        "{line}"
    );
    assert!(
        run.stderr.contains("finding 3: no status (Status)"),
        "{}",
        run.stderr
    );
    let s = snapshot(&project.path().join("pkg"));
    assert_eq!(control(&s, "hipaa", "164.312(b)")["status"], "satisfied");
    let mfa = control(&s, "hipaa", "164.312(d)");
    assert_eq!(mfa["status"], "failing");
    assert!(
        mfa["status_reason"]
            .as_str()
            .unwrap()
            .contains("arn:aws:iam::111122223333:root (critical)"),
        "{mfa}"
    );
}

#[test]
fn checkov_results_count_as_evidence_of_declared_configuration_with_their_file_and_line() {
    let project = reading(
        "checkov/results.json",
        "checkov.json",
        "\"hipaa\", \"cis\"",
        "",
    );
    let run = project.run(&["build", "{}", "--out", "{}/pkg", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // 7 results: CKV_AWS_19/18/24/20/16 map (18 and 19 reach HIPAA, 24 and 20 CIS);
    // CKV_AWS_144 is not in the shipped mapping; one has no check id.
    let line = scan_line(&run.stderr, "checkov.json");
    assert!(
        line.contains("(Checkov JSON): 7 findings = 5 counted + 0 for controls outside the frameworks in scope + 1 naming no control auditpack holds + 1 dropped"),
        "{line}"
    );
    let s = snapshot(&project.path().join("pkg"));
    // The bastion's open SSH fails NET-02, a subset of CIS 4.4; the reason points at the code.
    let ssh = control(&s, "cis", "4.4");
    assert_eq!(ssh["status"], "failing", "{ssh}");
    assert!(
        ssh["status_reason"]
            .as_str()
            .unwrap()
            .contains("aws_security_group.bastion (/network/sg.tf:3) (high)"),
        "{ssh}"
    );
    // Checkov gives no time: its evidence has no collected date, so it cannot be fresh.
    let logging = control(&s, "hipaa", "164.312(b)");
    assert_eq!(logging["status"], "stale", "{logging}");
    assert!(
        logging["status_reason"]
            .as_str()
            .unwrap()
            .contains("no collected date")
    );
    // The skipped (suppressed) public-read check is a muted failure.
    assert_eq!(control(&s, "cis", "3.3")["status"], "failing");
}

#[test]
fn a_truncated_checkov_or_prowler_3_file_is_an_error_with_its_position() {
    for (fixture, name) in [
        ("checkov/results.json", "checkov.json"),
        ("prowler-v3/prowler-output.json", "prowler-output.json"),
    ] {
        let whole = std::fs::read_to_string(fixtures().join("scanners").join(fixture)).unwrap();
        let cut = &whole[..whole.len() / 2];
        let project = Project::empty();
        project.write(&format!("scans/{name}"), cut);
        project.write(
            "audit.toml",
            audit_toml(
                "\"hipaa\"",
                &[("aws", "ec2", "phi")],
                &format!("[[evidence]]\npath = \"scans/{name}\"\n"),
            ),
        );
        let run = project.run(&["build", "{}", "--out", "{}/pkg"]);
        assert_eq!(run.code, 2, "{name}: {}", run.stderr);
        let line = cut.lines().count();
        assert!(
            run.stderr.contains(&format!("error: scans/{name}:{line}:"))
                && run.stderr.contains("the file ends early (truncated?)"),
            "{name}: {}",
            run.stderr
        );
    }
}

#[test]
fn every_shipped_check_mapping_names_existing_common_controls_with_source_and_reason() {
    use auditpack::load::library::{BUILTIN_CHECK_MAPPINGS, load_library};
    use auditpack::model::scanner_checks::CheckMappingFile;
    let library = load_library(None).unwrap();
    let common = library.catalog_index("common").unwrap();
    for (name, text) in BUILTIN_CHECK_MAPPINGS {
        let file: CheckMappingFile = toml::from_str(text).unwrap();
        // The advisors have few security checks (Trusted Advisor's security category,
        // Recommender's security recommenders); the scanners have many.
        let least = if file.scanner == "advisors" { 10 } else { 40 };
        assert!(
            file.checks.len() >= least,
            "{name}: {} entries",
            file.checks.len()
        );
        for check in &file.checks {
            assert!(
                !check.source.trim().is_empty(),
                "{name} {}: no source",
                check.id
            );
            assert!(
                !check.reason.trim().is_empty(),
                "{name} {}: no reason",
                check.id
            );
            let keys = library.shipped_checks.controls(&file.scanner, &check.id);
            assert_eq!(keys.len(), check.controls.len(), "{name} {}", check.id);
            for (key, id) in keys.iter().zip(&check.controls) {
                assert_eq!(key.framework, common);
                assert_eq!(&library.control(*key).id, id);
            }
            if file.scanner == "checkov" {
                assert!(check.reason.starts_with("IaC: "), "{}", check.id);
            }
        }
    }
    // A mapping naming a control that does not exist does not load.
    let broken: CheckMappingFile = toml::from_str(
        "scanner = \"x\"\nname = \"x\"\nsource = \"x\"\nnote = \"x\"\n[[checks]]\nid = \"A.1\"\ntitle = \"t\"\ncontrols = [\"IAM-99\"]\nsource = \"s\"\nreason = \"\"\n",
    )
    .unwrap();
    let (_, problems) =
        auditpack::model::scanner_checks::ShippedChecks::new(vec![broken], &library);
    assert_eq!(
        problems,
        [
            "x check A.1: no reason",
            "x check A.1: unknown common control \"IAM-99\""
        ]
    );
}
