//! Scanners: Prowler (CSV, OCSF, compliance CSV) and Security Hub (ASFF) findings
//! aggregate per control and resource; every finding is accounted for.

use crate::common::{Project, audit_toml, control, fixtures, snapshot};

/// A project reading the given scanner files (copied from the fixtures) with `extra` settings.
fn project_reading(files: &[&str], frameworks: &str, extra: &str) -> Project {
    let project = Project::empty();
    let mut sources = String::new();
    for file in files {
        let bytes = std::fs::read(fixtures().join("scanners/prowler").join(file)).unwrap();
        project.write(&format!("scans/{file}"), bytes);
        sources.push_str(&format!("[[evidence]]\npath = \"scans/{file}\"\n"));
    }
    sources.push_str(extra);
    project.write(
        "audit.toml",
        audit_toml(
            frameworks,
            &[("aws", "ec2", "phi"), ("aws", "rds", "cde")],
            &sources,
        ),
    );
    project
}

/// The `scan:` accounting line of a build for one file, and its indented detail lines.
fn scan_report<'a>(stderr: &'a str, file: &str) -> Vec<&'a str> {
    let mut lines = stderr
        .lines()
        .skip_while(|l| !l.starts_with(&format!("scan: scans/{file} ")));
    let mut found: Vec<&str> = lines.next().into_iter().collect();
    found.extend(lines.take_while(|l| l.starts_with("  ")));
    found
}

#[test]
fn every_prowler_sample_is_read_and_accounted_for() {
    // (file, findings, unresolved keys with the findings naming them)
    type Expected<'a> = (&'a str, u64, &'a [(&'a str, u64)]);
    let expected: [Expected; 8] = [
        (
            "prowler_example_output_aws.csv",
            4,
            &[
                ("CIS-1.4", 3),
                ("KISA-ISMS-P-2023", 4),
                ("ENS-RD2022", 2),
                ("AWS-Foundational-Security-Best-Practices", 1),
            ],
        ),
        (
            "prowler_example_output_aws.ocsf.json",
            5,
            &[("CIS-1.4", 4), ("KISA-ISMS-P-2023", 5), ("ENS-RD2022", 3)],
        ),
        (
            "prowler_example_output_azure.csv",
            4,
            &[("ENS-RD2022", 4), ("MITRE-ATTACK", 2)],
        ),
        (
            "prowler_example_output_azure.ocsf.json",
            5,
            &[("CIS-2.1", 4), ("CIS-2.0", 3), ("MITRE-ATTACK", 3)],
        ),
        (
            "prowler_example_output_gcp.csv",
            4,
            &[("MITRE-ATTACK", 4), ("CIS-3.0", 3)],
        ),
        (
            "prowler_example_output_gcp.ocsf.json",
            5,
            &[("MITRE-ATTACK", 5), ("CIS-2.0", 4)],
        ),
        (
            "prowler_example_output_kubernetes.csv",
            4,
            &[("CIS-1.10", 4), ("CIS-1.8", 4)],
        ),
        (
            "prowler_example_output_kubernetes.ocsf.json",
            6,
            &[("CIS-1.10", 6), ("CIS-1.8", 6)],
        ),
    ];
    let files: Vec<&str> = expected.iter().map(|e| e.0).collect();
    let project = project_reading(
        &files,
        "\"hipaa\", \"soc2\", \"iso27001\", \"pci-dss\", \"cis\"",
        "",
    );
    let run = project.run(&["build", "{}", "--format", "json", "--out", "{}/pkg"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for (file, findings, unresolved) in expected {
        let report = scan_report(&run.stderr, file);
        assert!(!report.is_empty(), "no report for {file}: {}", run.stderr);
        // The examples name only CIS Benchmarks, KISA, ENS, MITRE and AWS guides: none of our
        // catalogs. The GCP examples' RDP firewall check counts through the shipped Prowler
        // mapping (NET-02, NET-07), which stands in where Prowler names none of ours.
        let counted = match file {
            "prowler_example_output_gcp.csv" => 2,
            "prowler_example_output_gcp.ocsf.json" => 3,
            _ => 0,
        };
        let unmapped = findings - counted;
        assert!(
            report[0].contains(&format!(": {findings} findings = {counted} counted + 0 for controls outside the frameworks in scope + {unmapped} naming no control auditpack holds + 0 dropped")),
            "{file}: {}",
            report[0]
        );
        assert_eq!(
            report
                .iter()
                .any(|l| l.contains("findings name its controls")),
            counted > 0,
            "{file}"
        );
        for (key, count) in unresolved {
            let noun = if *count == 1 { "finding" } else { "findings" };
            let line = format!("  unresolved {key}: {count} {noun}");
            assert!(
                report.iter().any(|l| l.starts_with(&line)),
                "{file}: no \"{line}\" in {report:#?}"
            );
        }
    }
    assert!(run.stderr.contains("unresolved CIS-3.0: 3 findings (a CIS Benchmark (configuration recommendations), not the CIS Controls)"));
}

#[test]
fn checks_named_in_audit_toml_count_for_controls() {
    let project = project_reading(
        &["prowler_example_output_gcp.csv"],
        "\"cis\"",
        "checks = { compute_firewall_rdp_access_from_the_internet_allowed = [\"cis:4.4\"], apikeys_key_exists = [\"CIS 5.2\"] }\n",
    );
    let out = project.build();
    let s = snapshot(&out);
    // Two findings of the RDP check on one resource: the latest stands, and both are counted.
    let firewall = control(&s, "cis", "4.4");
    assert_eq!(
        firewall["evidence"][0],
        "scans/prowler_example_output_gcp.csv: CIS 4.4"
    );
    let passwords = control(&s, "cis", "5.2");
    assert_eq!(passwords["status"], "stale", "{passwords}");
    assert!(
        passwords["status_reason"]
            .as_str()
            .unwrap()
            .contains("Prowler scans/prowler_example_output_gcp.csv: 1 of 1 resource pass")
    );
}

const HEADER: &str = "AUTH_METHOD;TIMESTAMP;ACCOUNT_UID;FINDING_UID;PROVIDER;CHECK_ID;CHECK_TITLE;STATUS;STATUS_EXTENDED;MUTED;SEVERITY;RESOURCE_UID;RESOURCE_NAME;REGION;COMPLIANCE";

/// A Prowler CSV row: time, check, status, muted, severity, resource, compliance.
fn row(
    time: &str,
    check: &str,
    status: &str,
    muted: bool,
    severity: &str,
    resource: &str,
    compliance: &str,
) -> String {
    let muted = if muted { "True" } else { "False" };
    format!(
        "profile;{time};111122223333;f-{check}-{resource};aws;{check};{check} title;{status};detail;{muted};{severity};{resource};{resource};us-east-1;{compliance}"
    )
}

fn scan_project(rows: &[String], source_extra: &str) -> Project {
    let project = Project::empty();
    let mut csv = String::from(HEADER);
    for r in rows {
        csv.push('\n');
        csv.push_str(r);
    }
    csv.push('\n');
    project.write("scans/prowler.csv", csv);
    project.write(
        "audit.toml",
        audit_toml(
            "\"hipaa\", \"soc2\", \"pci-dss\"",
            &[("aws", "ec2", "phi"), ("aws", "s3", "cde")],
            &format!("[[evidence]]\npath = \"scans/prowler.csv\"\n{source_extra}"),
        ),
    );
    project
}

const AUDIT_LOGS: &str = "HIPAA: 164_312_b | SOC2: cc_7_2 | CIS-3.0: 3.1";
const ENCRYPTION: &str = "HIPAA: 164_312_a_2_iv | PCI-4.0: 3.5.1.1, 1.2.5.3";

#[test]
fn a_control_fails_when_any_resource_fails_its_latest_check() {
    let rows = [
        // trail-a failed in February and passes in March: the March result stands.
        row(
            "2026-02-01 10:00:00",
            "cloudtrail_enabled",
            "FAIL",
            false,
            "high",
            "trail-a",
            AUDIT_LOGS,
        ),
        row(
            "2026-03-20 10:00:00",
            "cloudtrail_enabled",
            "PASS",
            false,
            "high",
            "trail-a",
            AUDIT_LOGS,
        ),
        row(
            "2026-03-20 10:00:00",
            "cloudtrail_enabled",
            "FAIL",
            false,
            "medium",
            "trail-b",
            AUDIT_LOGS,
        ),
        row(
            "2026-03-20 10:00:00",
            "cloudtrail_log_validation",
            "FAIL",
            false,
            "critical",
            "trail-c",
            AUDIT_LOGS,
        ),
        row(
            "2026-03-20 10:00:00",
            "cloudtrail_log_validation",
            "PASS",
            false,
            "low",
            "trail-a",
            AUDIT_LOGS,
        ),
        row(
            "2026-03-20 10:00:00",
            "s3_encryption",
            "PASS",
            false,
            "medium",
            "bucket-1",
            ENCRYPTION,
        ),
        row(
            "2026-03-20 10:00:00",
            "s3_encryption",
            "MANUAL",
            false,
            "medium",
            "bucket-2",
            ENCRYPTION,
        ),
    ];
    let project = scan_project(&rows, "");
    let s = snapshot(&project.build());
    let logs = control(&s, "hipaa", "164.312(b)");
    assert_eq!(logs["status"], "failing");
    let reason = logs["status_reason"].as_str().unwrap();
    assert!(
        reason.contains(
            "1 of 3 resources pass, 2 fail (failing: trail-c (critical), trail-b (medium))"
        ),
        "{reason}"
    );
    assert_eq!(control(&s, "soc2", "CC7.2")["status"], "failing");
    // A MANUAL result is not a pass: the control is partial, not satisfied.
    let encryption = control(&s, "hipaa", "164.312(a)(2)(iv)");
    assert_eq!(encryption["status"], "partial", "{encryption}");
    assert!(
        encryption["status_reason"]
            .as_str()
            .unwrap()
            .contains("1 of 2 resources pass, 1 not assessed (manual)")
    );
    // Prowler's PCI sub-requirement 1.2.5.3 counts for requirement 1.2.5.
    assert_eq!(control(&s, "pci-dss", "1.2.5")["status"], "partial");
    assert_eq!(control(&s, "pci-dss", "3.5.1.1")["status"], "partial");
}

#[test]
fn muted_failures_count_as_exceptions_only_when_audit_toml_says_so() {
    let rows = [
        row(
            "2026-03-20 10:00:00",
            "cloudtrail_enabled",
            "PASS",
            false,
            "high",
            "trail-a",
            AUDIT_LOGS,
        ),
        row(
            "2026-03-20 10:00:00",
            "cloudtrail_enabled",
            "FAIL",
            true,
            "high",
            "trail-b",
            AUDIT_LOGS,
        ),
    ];
    let as_result = snapshot(&scan_project(&rows, "").build());
    assert_eq!(
        control(&as_result, "hipaa", "164.312(b)")["status"],
        "failing"
    );
    let as_exception = snapshot(&scan_project(&rows, "muted = \"exception\"\n").build());
    let logs = control(&as_exception, "hipaa", "164.312(b)");
    assert_eq!(logs["status"], "exception", "{logs}");
    assert!(
        logs["status_reason"]
            .as_str()
            .unwrap()
            .contains("muted in the scanner")
    );
}

#[test]
fn a_row_of_the_wrong_width_is_dropped_with_its_line_and_the_rest_count() {
    let mut rows = vec![
        row(
            "2026-03-20 10:00:00",
            "cloudtrail_enabled",
            "PASS",
            false,
            "high",
            "trail-a",
            AUDIT_LOGS,
        ),
        "profile;2026-03-20 10:00:00;111122223333;cut short".to_string(),
    ];
    rows.push(row(
        "2026-03-20 10:00:00",
        "cloudtrail_enabled",
        "PASS",
        false,
        "high",
        "trail-b",
        AUDIT_LOGS,
    ));
    let project = scan_project(&rows, "");
    let run = project.run(&["build", "{}", "--out", "{}/pkg", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "warning: scans/prowler.csv:3:4: the row has 4 fields where the header has 15"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("3 findings = 2 counted + 0 for controls outside the frameworks in scope + 0 naming no control auditpack holds + 1 dropped"), "{}", run.stderr);
    let s = snapshot(&project.path().join("pkg"));
    assert!(
        control(&s, "hipaa", "164.312(b)")["status_reason"]
            .as_str()
            .unwrap()
            .contains("2 of 2 resources pass")
    );
}

fn json_project(name: &str, text: &str, format: &str) -> Project {
    let project = Project::empty();
    project.write(&format!("scans/{name}"), text);
    project.write(
        "audit.toml",
        audit_toml(
            "\"hipaa\", \"soc2\"",
            &[("aws", "ec2", "phi")],
            &format!("[[evidence]]\npath = \"scans/{name}\"\n{format}"),
        ),
    );
    project
}

#[test]
fn a_truncated_ocsf_file_is_an_error_with_its_position() {
    let whole = std::fs::read_to_string(
        fixtures().join("scanners/prowler/prowler_example_output_aws.ocsf.json"),
    )
    .unwrap();
    let cut = &whole[..whole.len() / 2];
    let project = json_project("scan.ocsf.json", cut, "");
    let run = project.run(&["build", "{}", "--out", "{}/pkg"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let line = cut.lines().count();
    assert!(
        run.stderr
            .contains(&format!("error: scans/scan.ocsf.json:{line}:"))
            && run.stderr.contains("the file ends early (truncated?)"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"));
    assert!(!project.path().join("pkg").exists());
}

const ASFF: &str = r#"{"Findings": [
  {"SchemaVersion": "2018-10-08", "Id": "a1", "GeneratorId": "prowler-cloudtrail_enabled", "Title": "CloudTrail on",
   "Severity": {"Label": "HIGH"}, "Resources": [{"Type": "AwsCloudTrailTrail", "Id": "arn:aws:cloudtrail:trail-a"}],
   "Compliance": {"Status": "PASSED", "RelatedRequirements": ["HIPAA 164_312_b", "SOC2 cc_7_2"]},
   "UpdatedAt": "2026-03-20T10:00:00Z", "Workflow": {"Status": "NEW"}, "RecordState": "ACTIVE"},
  {"SchemaVersion": "2018-10-08", "Id": "a2", "Title": "Security group open",
   "Severity": {"Label": "CRITICAL"}, "Resources": [{"Type": "AwsEc2SecurityGroup", "Id": "sg-1"}],
   "Compliance": {"Status": "FAILED", "SecurityControlId": "EC2.19", "RelatedRequirements": ["PCI DSS 1.2.1", "NIST.800-53.r5 AC-4"]},
   "UpdatedAt": "2026-03-20T10:00:00Z", "RecordState": "ACTIVE"},
  {"SchemaVersion": "2018-10-08", "Id": "a3", "GeneratorId": "prowler-cloudtrail_enabled",
   "Resources": [{"Id": "arn:aws:cloudtrail:trail-old"}],
   "Compliance": {"Status": "FAILED", "RelatedRequirements": ["HIPAA 164_312_b"]},
   "UpdatedAt": "2025-01-01T00:00:00Z", "RecordState": "ARCHIVED"}
]}"#;

#[test]
fn asff_findings_resolve_prowler_and_security_hub_requirements() {
    let project = json_project("hub.json", ASFF, "");
    let run = project.run(&["build", "{}", "--out", "{}/pkg", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let s = snapshot(&project.path().join("pkg"));
    assert_eq!(control(&s, "hipaa", "164.312(b)")["status"], "satisfied");
    assert_eq!(control(&s, "soc2", "CC7.2")["status"], "satisfied");
    // EC2.19 names no framework we hold, but the shipped Security Hub mapping gives NET-02.
    assert!(
        control(&s, "soc2", "CC6.6")["status_reason"]
            .as_str()
            .unwrap()
            .contains("via NET-02")
    );
    let report = scan_report(&run.stderr, "hub.json");
    assert!(report[0].contains("(AWS Security Finding Format): 3 findings = 2 counted + 0 for controls outside the frameworks in scope + 0 naming no control auditpack holds + 1 dropped"), "{report:#?}");
    assert!(
        report
            .iter()
            .any(|l| l.starts_with("  unresolved PCI DSS: 1 finding (another version of PCI DSS")),
        "{report:#?}"
    );
    assert!(
        run.stderr
            .contains("warning: scans/hub.json finding 3: archived finding"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_truncated_asff_file_is_an_error_with_its_position() {
    let project = json_project("hub.json", &ASFF[..ASFF.len() - 40], "format = \"asff\"\n");
    let run = project.run(&["build", "{}", "--out", "{}/pkg"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("error: scans/hub.json:") && run.stderr.contains("truncated"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_file_of_another_format_is_named_and_refused() {
    let project = json_project(
        "tracker.csv",
        "Title,Control\nMFA,164.312(d)\n",
        "format = \"prowler-csv\"\n",
    );
    let run = project.run(&["build", "{}", "--out", "{}/pkg"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("error: scans/tracker.csv:1:1: not a Prowler CSV: no CHECK_ID, STATUS, RESOURCE_UID, COMPLIANCE columns (the header has TITLE, CONTROL)"),
        "{}",
        run.stderr
    );
    let project = json_project(
        "scan.json",
        "{\"findings\": 3}",
        "format = \"prowler-ocsf\"\n",
    );
    let run = project.run(&["build", "{}", "--out", "{}/pkg"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("error: scans/scan.json:1:2: unexpected JSON content (invalid type: map, expected a JSON array of findings"), "{}", run.stderr);
}

#[test]
fn a_binary_file_given_as_a_scan_is_refused_without_sending_its_bytes_to_the_terminal() {
    // Bytes of every value, a terminal escape among them, and one very long "column".
    let mut junk: Vec<u8> = (0u8..=255).cycle().take(3000).collect();
    junk.splice(10..10, b"\x1b[2J".iter().copied());
    junk.extend(std::iter::repeat_n(b'A', 5000));
    let project = Project::empty();
    project.write("scans/scan.csv", &junk);
    project.write(
        "audit.toml",
        audit_toml(
            "\"hipaa\"",
            &[("aws", "ec2", "phi")],
            "[[evidence]]\npath = \"scans/scan.csv\"\nformat = \"prowler-csv\"\n",
        ),
    );
    let run = project.run(&["build", "{}", "--out", "{}/pkg"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("not a Prowler CSV"), "{}", run.stderr);
    assert!(
        !run.stderr.chars().any(|c| c.is_control() && c != '\n'),
        "no control character reaches the terminal: {:?}",
        run.stderr
    );
    assert!(run.stderr.contains("\\u{1b}[2J"), "shown escaped instead");
    assert!(
        run.stderr.len() < 2000,
        "the header is previewed, not dumped"
    );
}

#[test]
fn a_compliance_csv_takes_its_framework_version_from_the_file_name() {
    let csv = "PROVIDER;DESCRIPTION;ACCOUNTID;REGION;ASSESSMENTDATE;REQUIREMENTS_ID;REQUIREMENTS_DESCRIPTION;STATUS;STATUSEXTENDED;RESOURCEID;CHECKID;MUTED;RESOURCENAME;FRAMEWORK;NAME\n\
aws;d;1111;us-east-1;2026-03-20 10:00:00;A.8.5;Secure authentication;PASS;ok;user-a;iam_user_mfa_enabled_console_access;False;user-a;ISO27001;ISO/IEC 27001 2022\n\
aws;d;1111;us-east-1;2026-03-20 10:00:00;A.8.5;Secure authentication;FAIL;no MFA;user-b;iam_user_mfa_enabled_console_access;False;user-b;ISO27001;ISO/IEC 27001 2022\n";
    let project = Project::empty();
    project.write("scans/prowler-output_iso27001_2022_aws.csv", csv);
    project.write(
        "audit.toml",
        audit_toml(
            "\"iso27001\"",
            &[("aws", "ec2", "phi")],
            "[[evidence]]\npath = \"scans/prowler-output_iso27001_2022_aws.csv\"\n",
        ),
    );
    let s = snapshot(&project.build());
    let mfa = control(&s, "iso27001", "A.8.5");
    assert_eq!(mfa["status"], "failing");
    assert!(
        mfa["status_reason"]
            .as_str()
            .unwrap()
            .contains("1 of 2 resources pass, 1 fail (failing: user-b")
    );
}

#[test]
fn a_malformed_compliance_csv_drops_bad_rows_with_their_position_and_counts_the_rest() {
    let csv = "PROVIDER;DESCRIPTION;ACCOUNTID;REGION;ASSESSMENTDATE;REQUIREMENTS_ID;REQUIREMENTS_DESCRIPTION;STATUS;STATUSEXTENDED;RESOURCEID;CHECKID;MUTED;RESOURCENAME;FRAMEWORK;NAME\n\
aws;d;1111;us-east-1;2026-03-20 10:00:00;A.8.5;Secure authentication;PASS;ok;user-a;iam_user_mfa_enabled_console_access;False;user-a;ISO27001;ISO/IEC 27001 2022\n\
aws;d;1111;us-east-1;2026-03-20 10:00:00;A.8.5;Secure\n\
aws;d;1111;us-east-1;2026-03-20 10:00:00;A.8.5;Secure authentication;;no MFA;user-b;iam_user_mfa_enabled_console_access;False;user-b;ISO27001;ISO/IEC 27001 2022\n\
aws;d;1111;us-east-1;yesterday;A.8.5;Secure authentication;FAIL;no MFA;user-c;iam_user_mfa_enabled_console_access;False;user-c;ISO27001;ISO/IEC 27001 2022\n";
    let project = Project::empty();
    project.write("scans/prowler-output_iso27001_2022_aws.csv", csv);
    project.write(
        "audit.toml",
        audit_toml(
            "\"iso27001\"",
            &[("aws", "ec2", "phi")],
            "[[evidence]]\npath = \"scans/prowler-output_iso27001_2022_aws.csv\"\n",
        ),
    );
    let run = project.run(&["build", "{}", "--out", "{}/pkg", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let file = "scans/prowler-output_iso27001_2022_aws.csv";
    for warning in [
        format!("warning: {file}:3:7: the row has 7 fields where the header has 15"),
        format!("warning: {file}:4:8 (STATUS): no status"),
        format!("warning: {file}:5:5 (ASSESSMENTDATE): \"yesterday\" is not a timestamp"),
    ] {
        assert!(run.stderr.contains(&warning), "{warning}\n{}", run.stderr);
    }
    assert!(
        run.stderr.contains("4 findings = 1 counted + 0 for controls outside the frameworks in scope + 0 naming no control auditpack holds + 3 dropped"),
        "{}",
        run.stderr
    );
    let s = snapshot(&project.path().join("pkg"));
    assert!(
        control(&s, "iso27001", "A.8.5")["status_reason"]
            .as_str()
            .unwrap()
            .contains("1 of 1 resource pass")
    );
}

#[test]
fn the_saas_sample_summarises_its_prowler_scan_per_control_and_lists_every_result() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let project = Project::sample("ledgerly");
    let package = project.build();
    let s = snapshot(&package);
    // PCI 8.4.2 gathers Prowler's 8.4.2.1 (root MFA) and 8.4.2.2 (console users' MFA).
    let mfa = control(&s, "pci-dss", "8.4.2");
    assert_eq!(mfa["status"], "failing", "{mfa}");
    let reason = mfa["status_reason"].as_str().unwrap();
    assert!(
        reason.contains("2 of 4 resources pass, 1 fail, 1 fail but are muted (exceptions) (failing: arn:aws:iam::444455556666:user/release-bot (high))"),
        "{reason}"
    );
    // Summaries reached through a common control say whose they are.
    let logging = control(&s, "pci-dss", "10.2.1.5");
    let reason = logging["status_reason"].as_str().unwrap();
    for summary in [
        "Prowler evidence/prowler-aws-2026-12-14.csv: ISO A.8.15 via LOG-02 (partial): 1 of 1 resource pass",
        "Prowler evidence/prowler-aws-2026-12-14.csv: SOC2 CC7.2 via LOG-02 (partial): 1 of 1 resource pass",
    ] {
        assert!(reason.contains(summary), "{reason}");
    }
    let mut workbook: Xlsx<_> = open_workbook(package.join("audit-workbook.xlsx")).unwrap();
    let names = workbook.sheet_names();
    assert!(
        names.ends_with(&["Scans".to_string(), "Findings".to_string()]),
        "{names:?}"
    );
    let scans = workbook.worksheet_range("Scans").unwrap();
    assert_eq!(
        scans.get((1, 0)),
        Some(&Data::String("evidence/prowler-aws-2026-12-14.csv".into()))
    );
    assert_eq!(scans.get((1, 2)), Some(&Data::Float(11.0)));
    let findings = workbook.worksheet_range("Findings").unwrap();
    assert_eq!(
        findings.height(),
        12,
        "a header and one row per check and resource"
    );
    let muted: Vec<&Data> = findings
        .rows()
        .filter(|r| r.get(5) == Some(&Data::String("yes".into())))
        .map(|r| &r[3])
        .collect();
    assert_eq!(
        muted,
        [&Data::String(
            "arn:aws:iam::444455556666:user/break-glass".into()
        )]
    );
    assert!(
        matches!(findings.get((1, 7)), Some(Data::DateTime(_))),
        "times are date cells"
    );
    // Rebuilt, the workbook (with its constant-memory sheets) is byte-identical.
    let again = project.path().join("again");
    let run = project.run(&["build", "{}", "--out", again.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        std::fs::read(package.join("audit-workbook.xlsx")).unwrap(),
        std::fs::read(again.join("audit-workbook.xlsx")).unwrap()
    );
}

#[test]
fn the_shipped_prowler_mapping_stands_in_only_where_prowler_names_none_of_our_frameworks() {
    let time = "2026-03-20 10:00:00";
    let kisa = "KISA-ISMS-P-2023: 2.7.1";
    // Prowler names only KISA for both checks: the shipped mapping resolves them
    // (s3_bucket_default_encryption to CRY-02, cloudtrail_multi_region_enabled to LOG-02).
    let rows = [
        row(
            time,
            "s3_bucket_default_encryption",
            "FAIL",
            false,
            "medium",
            "bucket-a",
            kisa,
        ),
        row(
            time,
            "cloudtrail_multi_region_enabled",
            "PASS",
            false,
            "high",
            "trail-main",
            kisa,
        ),
    ];
    let s = snapshot(&scan_project(&rows, "").build());
    assert_eq!(
        control(&s, "hipaa", "164.312(a)(2)(iv)")["status"],
        "failing"
    );
    let names_log_02 = |control: &serde_json::Value| {
        control["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e.as_str().unwrap().ends_with("LOG-02"))
    };
    let pci = control(&s, "pci-dss", "10.2.1");
    assert!(names_log_02(pci), "{pci}");
    // Where Prowler names one of ours (HIPAA, SOC 2), its own list stands alone: the
    // trail reaches PCI 10.2.1 only through HIPAA's and SOC 2's links, not as LOG-02.
    let rows = [
        row(
            time,
            "s3_bucket_default_encryption",
            "FAIL",
            false,
            "medium",
            "bucket-a",
            kisa,
        ),
        row(
            time,
            "cloudtrail_multi_region_enabled",
            "PASS",
            false,
            "high",
            "trail-main",
            AUDIT_LOGS,
        ),
    ];
    let s = snapshot(&scan_project(&rows, "").build());
    let pci = control(&s, "pci-dss", "10.2.1");
    assert!(!names_log_02(pci), "{pci}");
    assert_eq!(control(&s, "hipaa", "164.312(b)")["status"], "satisfied");
    // The project's `checks` for a check replace the shipped entry.
    let s = snapshot(
        &scan_project(
            &rows,
            "checks = { \"s3_bucket_default_encryption\" = [\"soc2:CC8.1\"] }\n",
        )
        .build(),
    );
    assert_ne!(
        control(&s, "hipaa", "164.312(a)(2)(iv)")["status"],
        "failing"
    );
    assert_eq!(control(&s, "soc2", "CC8.1")["status"], "failing");
}
