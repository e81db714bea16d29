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

#[test]
fn several_eventbridge_events_in_one_array_are_read_as_events() {
    let event =
        std::fs::read_to_string(fixtures().join("scanners/securityhub/eventbridge-event.json"))
            .unwrap();
    // The same event twice (the later result wins) and a second control's event.
    let second = event.replace("KMS.4", "CloudTrail.1").replace(
        "arn:aws:kms:us-east-1:111122223333:key/0000-example",
        "AWS::::Account:111122223333",
    );
    let text = format!("[{event}, {event}, {second}]");
    let project = Project::empty();
    project.write("scans/events.json", &text);
    project.write(
        "audit.toml",
        audit_toml(
            "\"pci-dss\", \"hipaa\"",
            &[("aws", "ec2", "phi"), ("aws", "rds", "cde")],
            "[[evidence]]\npath = \"scans/events.json\"\n",
        ),
    );
    let run = project.run(&["build", "{}", "--out", "{}/pkg", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let line = scan_line(&run.stderr, "events.json");
    assert!(
        line.contains("(AWS Security Finding Format): 3 findings = 3 counted"),
        "{line}"
    );
    let s = snapshot(&project.path().join("pkg"));
    assert_eq!(control(&s, "pci-dss", "3.6.1")["status"], "satisfied");
    assert_eq!(control(&s, "hipaa", "164.312(b)")["status"], "satisfied");
}

#[test]
fn a_scan_that_looks_like_no_format_names_the_formats_it_was_compared_with() {
    // A SARIF file from another tool, with no `format`: none of the JSON formats.
    let sarif =
        r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "other"}}, "results": []}]}"#;
    let project = Project::empty();
    project.write("scans/other.json", sarif);
    project.write(
        "audit.toml",
        audit_toml(
            "\"hipaa\"",
            &[("aws", "ec2", "phi")],
            "[[evidence]]\npath = \"scans/other.json\"\n",
        ),
    );
    let run = project.run(&["build", "{}", "--out", "{}/pkg"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "error: scans/other.json: not a scanner output auditpack recognises: compared with"
        ),
        "{}",
        run.stderr
    );
    for name in [
        "Prowler OCSF JSON",
        "AWS Security Finding Format",
        "Prowler 3 JSON",
        "Checkov JSON",
    ] {
        assert!(run.stderr.contains(name), "{name}: {}", run.stderr);
    }
    assert!(!run.stderr.contains("Prowler CSV ("), "{}", run.stderr);
    // A CSV declared as a scan (it has `checks`) is compared with the CSV formats only.
    let project = Project::empty();
    project.write("scans/tracker.csv", "Title,Control\nMFA,164.312(d)\n");
    project.write(
        "audit.toml",
        audit_toml(
            "\"hipaa\"",
            &[("aws", "ec2", "phi")],
            "[[evidence]]\npath = \"scans/tracker.csv\"\nchecks = { \"x\" = [\"IAM-01\"] }\n",
        ),
    );
    let run = project.run(&["build", "{}", "--out", "{}/pkg"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("scans/tracker.csv: not a scanner output auditpack recognises: compared with Prowler CSV (format = \"prowler-csv\": a header with CHECK_ID and COMPLIANCE)"),
        "{}",
        run.stderr
    );
    // `format` still forces a reading: the same bytes as ASFF find no findings array.
    let project = Project::empty();
    project.write("scans/other.json", sarif);
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
    assert!(run.stderr.contains("no \"Findings\""), "{}", run.stderr);
    assert!(!run.stderr.contains("compared with"), "{}", run.stderr);
}

#[test]
fn checkov_sarif_failures_resolve_through_the_checkov_mapping_with_their_file_and_line() {
    // Checkov names its file results.sarif: the extension is sniffed like .json.
    let project = reading(
        "checkov-sarif/docs-example.sarif.json",
        "checkov.sarif",
        "\"hipaa\", \"cis\"",
        "",
    );
    let run = project.run(&["build", "{}", "--out", "{}/pkg", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // CKV_AWS_3 (EBS encryption) is in the shipped Checkov mapping; CKV_AWS_21 is not.
    let line = scan_line(&run.stderr, "checkov.sarif");
    assert!(
        line.contains("(Checkov SARIF): 2 findings = 1 counted + 0 for controls outside the frameworks in scope + 1 naming no control auditpack holds + 0 dropped"),
        "{line}"
    );
    let s = snapshot(&project.path().join("pkg"));
    // CRY-02, a subset of HIPAA 164.312(a)(2)(iv): failing, pointing at ec2.tf line 5.
    let at_rest = control(&s, "hipaa", "164.312(a)(2)(iv)");
    assert_eq!(at_rest["status"], "failing", "{at_rest}");
    let reason = at_rest["status_reason"].as_str().unwrap();
    assert!(reason.contains("ec2.tf:5 (medium)"), "{at_rest}");
    assert!(reason.contains("Checkov scans/checkov.sarif"), "{at_rest}");
}

/// Hostile copies of a Checkov SARIF file: each is read and accounted for, or refused
/// with its position.
#[test]
fn hostile_checkov_sarif_copies_are_accounted_for() {
    let whole =
        std::fs::read_to_string(fixtures().join("scanners/checkov-sarif/docs-example.sarif.json"))
            .unwrap();
    let build = |name: &str, text: &[u8]| {
        let project = Project::empty();
        project.write(&format!("scans/{name}"), text);
        project.write(
            "audit.toml",
            audit_toml(
                "\"hipaa\"",
                &[("aws", "ec2", "phi")],
                &format!("[[evidence]]\npath = \"scans/{name}\"\n"),
            ),
        );
        project.run(&["build", "{}", "--out", "{}/pkg"])
    };
    // Truncated: an error with line and column.
    let cut = &whole[..whole.len() * 2 / 3];
    let run = build("cut.json", cut.as_bytes());
    assert_eq!(run.code, 2, "{}", run.stderr);
    let line = cut.lines().count();
    assert!(
        run.stderr
            .contains(&format!("error: scans/cut.json:{line}:"))
            && run.stderr.contains("the file ends early (truncated?)"),
        "{}",
        run.stderr
    );
    // A byte order mark: read as the same file.
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(whole.as_bytes());
    let run = build("bom.json", &bom);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        scan_line(&run.stderr, "bom.json").contains("2 findings = 1 counted"),
        "{}",
        run.stderr
    );
    // Wrong types: a numeric ruleId is read as text (and names nothing), a result
    // without a file is dropped with its reason, a 10 MB message is read.
    let hostile = whole
        .replacen("\"ruleId\": \"CKV_AWS_21\"", "\"ruleId\": 21", 1)
        .replacen("\"uri\": \"ec2.tf\"", "\"uri\": null", 1)
        .replacen(
            "\"text\": \"Ensure the S3 bucket has versioning enabled\"\n          }",
            &format!("\"text\": \"{}\"\n          }}", "x".repeat(10 << 20)),
            1,
        );
    let run = build("hostile.json", hostile.as_bytes());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let line = scan_line(&run.stderr, "hostile.json");
    assert!(
        line.contains("2 findings = 0 counted + 0 for controls outside the frameworks in scope + 1 naming no control auditpack holds + 1 dropped"),
        "{line}"
    );
    assert!(
        run.stderr
            .contains("no file (locations[].physicalLocation.artifactLocation.uri)"),
        "{}",
        run.stderr
    );
    // A result's ruleId of the wrong shape drops that result, named by its field; the
    // other result is still read (it was the whole file, read into strict structs).
    let hostile = whole.replacen("\"ruleId\": \"CKV_AWS_21\"", "\"ruleId\": {\"id\": 21}", 1);
    let run = build("object.json", hostile.as_bytes());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        scan_line(&run.stderr, "object.json").contains("2 findings = 1 counted + 0 for controls outside the frameworks in scope + 0 naming no control auditpack holds + 1 dropped"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("scans/object.json finding 1: ruleId is an object, not a string"),
        "{}",
        run.stderr
    );
}

#[test]
fn prowler_2_csv_is_detected_dated_by_its_file_name_and_accounted_for() {
    let name = "prowler-output-111122223333-20260320100000.csv";
    let project = reading(
        &format!("prowler-v2/{name}"),
        name,
        "\"hipaa\", \"cis\"",
        "checks = { \"check11\" = [\"IAM-19\"], \"check21\" = [\"LOG-02\"], \"extra73\" = [\"DAT-08\"] }\n",
    );
    let run = project.run(&["build", "{}", "--out", "{}/pkg", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // 7 rows: 5 counted through audit.toml's checks, check120 through the shipped
    // mapping (the Prowler 2 id of iam_support_role_created), and the row whose message
    // holds a comma is dropped with its line.
    let line = scan_line(&run.stderr, name);
    assert!(
        line.contains("(Prowler 2 CSV): 7 findings = 6 counted + 0 for controls outside the frameworks in scope + 0 naming no control auditpack holds + 1 dropped"),
        "{line}"
    );
    assert!(
        run.stderr.contains(&format!("scans/{name}:8"))
            && run
                .stderr
                .contains("the row has 20 fields where the header has 19"),
        "{}",
        run.stderr
    );
    let s = snapshot(&project.path().join("pkg"));
    // check11 failed on the account (no resource id: the account and region stand in).
    let root = control(&s, "cis", "6.5");
    assert_eq!(root["status"], "failing", "{root}");
    assert!(
        root["status_reason"]
            .as_str()
            .unwrap()
            .contains("111122223333/us-east-1"),
        "{root}"
    );
    // check21 passed on the trail, dated by the file name (2026-03-20), so it is fresh.
    let logging = control(&s, "hipaa", "164.312(b)");
    assert_eq!(logging["status"], "satisfied", "{logging}");
}

#[test]
fn prowler_2_output_published_by_others_is_read_in_each_layout() {
    // A real run of 2021 in the layout of older 2.x releases (RESULT, NOTES, a comma ending every
    // line): its row 0.0 is set aside and its TIMESTAMP dates the scan.
    let name = "defectdojo-2021-run-first30.csv";
    let project = reading(&format!("prowler-v2/{name}"), name, "\"cis\"", "");
    let run = project.run(&["build", "{}", "--out", "{}/pkg", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let line = scan_line(&run.stderr, name);
    assert!(line.contains("(Prowler 2 CSV): 30 findings"), "{line}");
    assert!(line.contains("+ 0 dropped"), "{line}");
    assert!(
        run.stderr.contains(
            "set aside: 1 finding (Prowler 2's report information row (0.0), not a check)"
        ),
        "{}",
        run.stderr
    );
    let s = snapshot(&project.path().join("pkg"));
    let dated: Vec<&serde_json::Value> = s["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["source"] == format!("scans/{name}"))
        .collect();
    assert!(!dated.is_empty(), "{s}");
    assert!(
        dated.iter().all(|e| e["collected"] == "2021-01-31"),
        "{dated:?}"
    );
    // A run (2.x, 18 columns) whose every line ends with a comma: no row is dropped.
    let name = "defectdojo-issue4450.csv";
    let project = reading(&format!("prowler-v2/{name}"), name, "\"cis\"", "");
    let run = project.run(&["build", "{}", "--out", "{}/pkg"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let line = scan_line(&run.stderr, name);
    assert!(line.contains("4 findings = 4 counted"), "{line}");
    assert!(
        !run.stderr.contains("fields where the header has"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_prowler_2_check_counts_through_the_shipped_mapping_of_its_prowler_3_equivalent() {
    // No `checks` in audit.toml: check11 resolves through prowler.toml, where Prowler's
    // v2-to-v3 mapping ties it to iam_avoid_root_usage (IAM-11, which serves CIS 5.4).
    // check13 is only "a subset of" iam_user_accesskey_unused there, so it is left out
    // and still names nothing.
    let name = "prowler-output-111122223333-20260320100000.csv";
    let header = std::fs::read_to_string(fixtures().join("scanners/prowler-v2").join(name))
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string();
    let csv = format!(
        "{header}\n\
         default,111122223333,us-east-1,1.1,FAIL,Scored,Level 1,[check11] Avoid the use of the root account (Scored),Root user in the account was last accessed 1 day ago,,High,iam,AwsIamUser,,,,,IAM,\n\
         default,111122223333,us-east-1,1.3,PASS,Scored,Level 1,[check13] Ensure credentials unused for 90 days or greater are disabled (Scored),No unused credentials,,Medium,iam,AwsIamUser,,,,,IAM,\n"
    );
    let project = Project::empty();
    project.write(&format!("scans/{name}"), csv.as_bytes());
    project.write(
        "audit.toml",
        audit_toml(
            "\"cis\"",
            &[("aws", "ec2", "phi")],
            &format!("[[evidence]]\npath = \"scans/{name}\"\n"),
        ),
    );
    let run = project.run(&["build", "{}", "--out", "{}/pkg", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let line = scan_line(&run.stderr, name);
    assert!(
        line.contains("(Prowler 2 CSV): 2 findings = 1 counted + 0 for controls outside the frameworks in scope + 1 naming no control auditpack holds + 0 dropped"),
        "{line}"
    );
    let s = snapshot(&project.path().join("pkg"));
    let admin = control(&s, "cis", "5.4");
    assert_eq!(admin["status"], "failing", "{admin}");
    assert!(
        admin["status_reason"]
            .as_str()
            .unwrap()
            .contains("111122223333/us-east-1"),
        "{admin}"
    );
    // The shipped entry names the mapping it was tied by.
    let run = Project::empty().run(&["frameworks", "map", "prowler", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["check"] == "check11")
        .expect("check11");
    assert!(row["common"].as_str().unwrap().contains("IAM-11"), "{row}");
    let source = row["source"].as_str().unwrap();
    assert!(
        source.contains("v2_to_v3_checks_mapping") && source.contains("iam_avoid_root_usage"),
        "{row}"
    );
    assert!(
        !rows
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["check"] == "check13")
    );
}

#[test]
fn frameworks_map_shows_a_scanners_shipped_check_mapping_with_sources() {
    let run = Project::empty().run(&["frameworks", "map", "prowler", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert!(rows.len() >= 40, "{} entries", rows.len());
    let s3 = rows
        .iter()
        .find(|r| r["check"] == "s3_bucket_public_access")
        .expect("s3_bucket_public_access");
    assert!(s3["common"].as_str().unwrap().contains("DAT-08"), "{s3}");
    assert!(
        s3["source"]
            .as_str()
            .unwrap()
            .ends_with("prowler/providers/aws/services/s3/s3_bucket_public_access/s3_bucket_public_access.metadata.json"),
        "{s3}"
    );
    assert!(!s3["reason"].as_str().unwrap().is_empty());
    assert!(!s3["reaches"].as_str().unwrap().is_empty(), "{s3}");
    // Every provider is there.
    for check in [
        "iam_root_mfa_enabled",
        "storage_secure_transfer_required_is_enabled",
        "cloudsql_instance_public_ip",
    ] {
        assert!(rows.iter().any(|r| r["check"] == check), "{check}");
    }
    // Security Hub's and Checkov's too, as CSV.
    let run = Project::empty().run(&["frameworks", "map", "securityhub", "--format", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("check,title,common,reaches,source,reason\n")
    );
    assert!(
        run.stdout.lines().any(|l| l.starts_with("IAM.6,")
            && l.contains(
                "https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-6"
            )),
        "{}",
        run.stdout
    );
    // An id that is neither a framework nor a scanner names both kinds.
    let run = Project::empty().run(&["frameworks", "map", "trivy"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("or a scanner's shipped check mapping: securityhub, checkov, prowler"),
        "{}",
        run.stderr
    );
}

#[test]
fn collected_dates_an_undated_scan_and_leaves_dated_findings_alone() {
    // Checkov gives no time: with `collected`, its evidence is dated and fresh.
    let project = reading(
        "checkov/results.json",
        "checkov.json",
        "\"hipaa\", \"cis\"",
        "collected = 2026-03-25\n",
    );
    let run = project.run(&["build", "{}", "--out", "{}/pkg", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let s = snapshot(&project.path().join("pkg"));
    let logging = control(&s, "hipaa", "164.312(b)");
    assert_eq!(logging["status"], "satisfied", "{logging}");
    assert_eq!(logging["last_collected"], "2026-03-25", "{logging}");
    // Security Hub findings carry UpdatedAt: `collected` does not move them.
    let project = reading(
        "securityhub/get-findings.json",
        "hub.json",
        "\"hipaa\"",
        "collected = 2026-03-30\n",
    );
    let s = snapshot(&project.build());
    let logging = control(&s, "hipaa", "164.312(b)");
    assert_ne!(logging["last_collected"], "2026-03-30", "{logging}");
    // Not a date: an error at the setting.
    let project = reading(
        "checkov/results.json",
        "checkov.json",
        "\"hipaa\"",
        "collected = \"last week\"\n",
    );
    let run = project.run(&["build", "{}", "--out", "{}/pkg"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("audit.toml:"), "{}", run.stderr);
}

// Scans published by others (see each folder's SOURCES.md), read as auditpack reads
// them: the exact accounting, and where a finding counts, the control it reaches.

#[test]
fn a_published_security_hub_control_finding_is_counted_through_its_control_id() {
    let name = "config-one-finding.json";
    let project = reading(
        "securityhub/defectdojo-config-one-finding.json",
        name,
        "\"hipaa\", \"soc2\"",
        "",
    );
    let run = project.run(&["build", "{}", "--out", "{}/pkg", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let line = scan_line(&run.stderr, name);
    assert!(
        line.contains("(AWS Security Finding Format): 1 findings = 1 counted + 0 for controls outside the frameworks in scope + 0 naming no control auditpack holds + 0 dropped"),
        "{line}"
    );
    // IAM.5 (MFA for console users) passed in June 2020: evidence for MFA, long stale.
    let s = snapshot(&project.path().join("pkg"));
    let mfa = control(&s, "hipaa", "164.312(d)");
    assert_eq!(mfa["status"], "stale", "{mfa}");
    assert!(
        mfa["status_reason"]
            .as_str()
            .unwrap()
            .contains("collected 2020-06-14"),
        "{mfa}"
    );
}

#[test]
fn a_published_prowler_3_finding_fails_the_requirements_its_compliance_map_names() {
    let name = "one-vuln.json";
    let project = reading(
        "prowler-v3/defectdojo-one-vuln.json",
        name,
        "\"hipaa\", \"soc2\"",
        "",
    );
    let run = project.run(&["build", "{}", "--out", "{}/pkg", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let line = scan_line(&run.stderr, name);
    assert!(
        line.contains("(Prowler 3 JSON): 1 findings = 1 counted + 0 for controls outside the frameworks in scope + 0 naming no control auditpack holds + 0 dropped"),
        "{line}"
    );
    // The expiring certificate fails HIPAA 164.312(e)(1), named in its Compliance map.
    let s = snapshot(&project.path().join("pkg"));
    let transmission = control(&s, "hipaa", "164.312(e)(1)");
    assert_eq!(transmission["status"], "failing", "{transmission}");
    assert!(
        transmission["status_reason"]
            .as_str()
            .unwrap()
            .contains("arn:aws:acm:us-east-1:999999999999:certificate/"),
        "{transmission}"
    );
}

#[test]
fn a_published_checkov_report_of_unmapped_azure_checks_names_no_control() {
    let name = "many-vuln.json";
    let project = reading(
        "checkov/defectdojo-many-vuln.json",
        name,
        "\"hipaa\", \"cis\"",
        "",
    );
    let run = project.run(&["build", "{}", "--out", "{}/pkg"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // CKV_AZURE_41/42/43 are not in the shipped Checkov mapping: all three are read and
    // accounted for as naming nothing auditpack holds.
    let line = scan_line(&run.stderr, name);
    assert!(
        line.contains("(Checkov JSON): 3 findings = 0 counted + 0 for controls outside the frameworks in scope + 3 naming no control auditpack holds + 0 dropped"),
        "{line}"
    );
}

#[test]
fn a_published_list_of_checkov_reports_is_read_report_by_report() {
    let name = "terragoat.json";
    let project = reading(
        "checkov/defectdojo-terragoat-trimmed.json",
        name,
        "\"hipaa\", \"cis\"",
        "",
    );
    let run = project.run(&["build", "{}", "--out", "{}/pkg"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Terraform's CKV_AWS_23/24/25 and the Dockerfile's CKV_DOCKER_7/3/2: two of the
    // security group checks reach a control in scope; the rest name nothing we hold.
    let line = scan_line(&run.stderr, name);
    assert!(
        line.contains("(Checkov JSON): 6 findings = 2 counted + 0 for controls outside the frameworks in scope + 4 naming no control auditpack holds + 0 dropped"),
        "{line}"
    );
}
