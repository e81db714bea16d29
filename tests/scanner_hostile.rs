//! Hostile copies of the older scanner formats (Security Hub ASFF, Prowler 3 JSON,
//! Checkov JSON, Prowler 2 CSV, Prowler 4 CSV and OCSF), made inside the tests from
//! the fixtures: truncated, behind a byte order mark, with a wrong JSON type in one
//! finding, with a 10 MB string. Each is read and accounted for, or refused with its
//! position.

use crate::common::{Project, audit_toml, fixtures};

/// The JSON fixtures, the name each is written under, and their accounting as read.
const JSON: &[(&str, &str, &str)] = &[
    (
        "securityhub/get-findings.json",
        "asff.json",
        "6 findings = 3 counted + 0 for controls outside the frameworks in scope + 1 naming no control auditpack holds + 2 dropped",
    ),
    (
        "prowler-v3/prowler-output.json",
        "prowler3.json",
        "3 findings = 2 counted + 0 for controls outside the frameworks in scope + 0 naming no control auditpack holds + 1 dropped",
    ),
    (
        "checkov/results.json",
        "checkov.json",
        "7 findings = 5 counted + 0 for controls outside the frameworks in scope + 1 naming no control auditpack holds + 1 dropped",
    ),
    (
        "prowler/prowler_example_output_aws.ocsf.json",
        "ocsf.json",
        "5 findings = 0 counted + 0 for controls outside the frameworks in scope + 5 naming no control auditpack holds + 0 dropped",
    ),
    // Prowler's other published examples (tests/fixtures/scanners/prowler/NOTICE.md).
    (
        "prowler/prowler_example_output_azure.ocsf.json",
        "azure.ocsf.json",
        "5 findings = 0 counted + 0 for controls outside the frameworks in scope + 5 naming no control auditpack holds + 0 dropped",
    ),
    (
        "prowler/prowler_example_output_gcp.ocsf.json",
        "gcp.ocsf.json",
        "5 findings = 3 counted + 0 for controls outside the frameworks in scope + 2 naming no control auditpack holds + 0 dropped",
    ),
    (
        "prowler/prowler_example_output_kubernetes.ocsf.json",
        "kubernetes.ocsf.json",
        "6 findings = 0 counted + 0 for controls outside the frameworks in scope + 6 naming no control auditpack holds + 0 dropped",
    ),
    // Published by others (see SOURCES.md in their folders).
    (
        "securityhub/defectdojo-config-one-finding.json",
        "config-one-finding.json",
        "1 findings = 1 counted + 0 for controls outside the frameworks in scope + 0 naming no control auditpack holds + 0 dropped",
    ),
    (
        "prowler-v3/defectdojo-one-vuln.json",
        "one-vuln.json",
        "1 findings = 1 counted + 0 for controls outside the frameworks in scope + 0 naming no control auditpack holds + 0 dropped",
    ),
    (
        "checkov/defectdojo-many-vuln.json",
        "many-vuln.json",
        "3 findings = 0 counted + 0 for controls outside the frameworks in scope + 3 naming no control auditpack holds + 0 dropped",
    ),
    (
        "checkov/defectdojo-terragoat-trimmed.json",
        "terragoat.json",
        "6 findings = 2 counted + 0 for controls outside the frameworks in scope + 4 naming no control auditpack holds + 0 dropped",
    ),
];

/// The CSV fixtures, the name each is written under, and their accounting as read.
const CSV: &[(&str, &str, &str)] = &[
    (
        "prowler-v2/prowler-output-111122223333-20260320100000.csv",
        "prowler-output-111122223333-20260320100000.csv",
        // check11, check21, extra73 and check120 resolve through prowler.toml's Prowler 2 ids.
        "7 findings = 6 counted + 0 for controls outside the frameworks in scope + 0 naming no control auditpack holds + 1 dropped",
    ),
    (
        "prowler/prowler_example_output_aws.csv",
        "prowler.csv",
        "4 findings = 0 counted + 0 for controls outside the frameworks in scope + 4 naming no control auditpack holds + 0 dropped",
    ),
    (
        "prowler/prowler_example_output_azure.csv",
        "azure.csv",
        "4 findings = 0 counted + 0 for controls outside the frameworks in scope + 4 naming no control auditpack holds + 0 dropped",
    ),
    (
        "prowler/prowler_example_output_gcp.csv",
        "gcp.csv",
        "4 findings = 2 counted + 0 for controls outside the frameworks in scope + 2 naming no control auditpack holds + 0 dropped",
    ),
    (
        "prowler/prowler_example_output_kubernetes.csv",
        "kubernetes.csv",
        "4 findings = 0 counted + 0 for controls outside the frameworks in scope + 4 naming no control auditpack holds + 0 dropped",
    ),
    // Published by others (see prowler-v2/SOURCES.md): Prowler 2 from DefectDojo's tests.
    (
        "prowler-v2/defectdojo-many-vuln.csv",
        "defectdojo-many-vuln.csv",
        "4 findings = 2 counted + 0 for controls outside the frameworks in scope + 2 naming no control auditpack holds + 0 dropped",
    ),
    (
        "prowler-v2/defectdojo-issue4450.csv",
        "defectdojo-issue4450.csv",
        "4 findings = 4 counted + 0 for controls outside the frameworks in scope + 0 naming no control auditpack holds + 0 dropped",
    ),
    (
        "prowler-v2/defectdojo-2021-run-first30.csv",
        "defectdojo-2021-run.csv",
        "30 findings = 9 counted + 3 for controls outside the frameworks in scope + 18 naming no control auditpack holds + 0 dropped",
    ),
];

fn fixture(path: &str) -> String {
    std::fs::read_to_string(fixtures().join("scanners").join(path)).unwrap()
}

/// Build a project reading `bytes` as `scans/<name>`: (exit code, stderr).
fn build(name: &str, bytes: &[u8]) -> (i32, String) {
    let project = Project::empty();
    project.write(&format!("scans/{name}"), bytes);
    project.write(
        "audit.toml",
        audit_toml(
            "\"hipaa\", \"soc2\", \"cis\"",
            &[("aws", "ec2", "phi")],
            &format!("[[evidence]]\npath = \"scans/{name}\"\n"),
        ),
    );
    let run = project.run(&["build", "{}", "--out", "{}/pkg"]);
    (run.code, run.stderr)
}

/// The `scan:` line of a build for one file.
fn scan_line<'a>(stderr: &'a str, name: &str) -> &'a str {
    stderr
        .lines()
        .find(|l| l.starts_with(&format!("scan: scans/{name} ")))
        .unwrap_or_else(|| panic!("no scan line for {name}: {stderr}"))
}

/// Build and check the scan line holds `accounting`; the stderr, for further checks.
fn read_as(name: &str, bytes: &[u8], accounting: &str) -> String {
    let (code, stderr) = build(name, bytes);
    assert_eq!(code, 0, "{name}: {stderr}");
    let line = scan_line(&stderr, name);
    assert!(line.contains(accounting), "{name}: {line}");
    stderr
}

/// The digits after `at` in `stderr`: the column of an error or warning.
fn column_after(stderr: &str, at: &str) -> String {
    stderr
        .split(at)
        .nth(1)
        .unwrap_or_default()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect()
}

#[test]
fn the_fixtures_are_read_as_accounted_here() {
    for (path, name, accounting) in JSON.iter().chain(CSV) {
        read_as(name, fixture(path).as_bytes(), accounting);
    }
}

#[test]
fn a_truncated_json_scan_is_an_error_with_file_line_and_column() {
    for (path, name, _) in JSON {
        let whole = fixture(path);
        let cut = &whole[..whole.len() * 6 / 10];
        let (code, stderr) = build(name, cut.as_bytes());
        assert_eq!(code, 2, "{path}: {stderr}");
        let line = cut.matches('\n').count() + 1;
        let at = format!("error: scans/{name}:{line}:");
        assert!(
            !column_after(&stderr, &at).is_empty()
                && stderr.contains("the file ends early (truncated?)"),
            "{path} (cut at line {line}): {stderr}"
        );
    }
}

/// A CSV cut inside a row leaves its last row short: the file is refused, naming the
/// line and the column where it ends, as the Defender CSV reader does. (A cut at a
/// row's end leaves a shorter file that nothing can tell from a whole one.)
#[test]
fn a_truncated_csv_scan_is_an_error_with_file_line_and_column() {
    for (path, name, _) in CSV {
        let whole = fixture(path);
        let mut end = whole.len() * 6 / 10;
        while !whole.is_char_boundary(end) {
            end -= 1;
        }
        let cut = &whole[..end];
        assert!(!cut.ends_with('\n'), "{path}: cut between rows");
        let (code, stderr) = build(name, cut.as_bytes());
        assert_eq!(code, 2, "{path}: {stderr}");
        let line = cut.matches('\n').count() + 1;
        let at = format!("error: scans/{name}:{line}:");
        assert!(
            !column_after(&stderr, &at).is_empty()
                && stderr.contains("the file ends early (truncated?): its last row has"),
            "{path} (cut at line {line}): {stderr}"
        );
    }
}

/// A short row with rows after it was not cut off: it is dropped with its line, and
/// the rest are read.
#[test]
fn a_short_row_before_the_end_of_a_csv_scan_is_dropped_with_its_line() {
    for (path, name, _) in CSV {
        let whole = fixture(path);
        let mut lines: Vec<&str> = whole.split('\n').collect();
        let separator = if whole.starts_with("PROFILE,") {
            ','
        } else {
            ';'
        };
        let short = lines[1]
            .split(separator)
            .take(5)
            .collect::<Vec<_>>()
            .join(&separator.to_string());
        lines[1] = &short;
        let (code, stderr) = build(name, lines.join("\n").as_bytes());
        assert_eq!(code, 0, "{path}: {stderr}");
        assert!(
            stderr.contains(&format!("scans/{name}:2:"))
                && stderr.contains("the row has 5 fields where the header has"),
            "{path}: {stderr}"
        );
    }
}

#[test]
fn a_byte_order_mark_gives_the_same_accounting() {
    for (path, name, accounting) in JSON.iter().chain(CSV) {
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(fixture(path).as_bytes());
        read_as(name, &bom, accounting);
    }
}

#[test]
fn a_wrong_json_type_drops_that_finding_with_its_reason_and_the_rest_are_read() {
    // (fixture, name, the value replaced, its wrong-typed stand-in, the accounting,
    // the reason given for the finding dropped)
    let cases = [
        (
            "securityhub/get-findings.json",
            "asff.json",
            "\"RelatedRequirements\": [\"NIST.800-53.r5 IA-2(1)\", \"PCI DSS v3.2.1/8.3.1\"]",
            "\"RelatedRequirements\": \"NIST.800-53.r5 IA-2(1)\"",
            "6 findings = 2 counted + 0 for controls outside the frameworks in scope + 1 naming no control auditpack holds + 3 dropped",
            "finding 2: Compliance.RelatedRequirements is a string, not an array",
        ),
        (
            // A key given twice: which status is meant is anybody's guess.
            "securityhub/get-findings.json",
            "asff.json",
            "\"RelatedRequirements\": [\"NIST.800-53.r5 IA-2(1)\", \"PCI DSS v3.2.1/8.3.1\"]",
            "\"Status\": \"PASSED\", \"RelatedRequirements\": []",
            "6 findings = 2 counted + 0 for controls outside the frameworks in scope + 1 naming no control auditpack holds + 3 dropped",
            "finding 2: Compliance gives a key twice",
        ),
        (
            "prowler-v3/prowler-output.json",
            "prowler3.json",
            "\"HIPAA\": [\"164_312_d\"]",
            "\"HIPAA\": {\"164_312_d\": true}",
            "3 findings = 1 counted + 0 for controls outside the frameworks in scope + 0 naming no control auditpack holds + 2 dropped",
            "finding 2: Compliance.HIPAA is an object, not an array",
        ),
        (
            "checkov/results.json",
            "checkov.json",
            "\"file_line_range\": [1, 14]",
            "\"file_line_range\": {\"start\": 1}",
            "7 findings = 4 counted + 0 for controls outside the frameworks in scope + 1 naming no control auditpack holds + 2 dropped",
            "finding 1: file_line_range is an object, not an array",
        ),
        (
            "prowler/prowler_example_output_aws.ocsf.json",
            "ocsf.json",
            "\"compliance\": {",
            "\"compliance\": \"cis\", \"was_compliance\": {",
            "5 findings = 0 counted + 0 for controls outside the frameworks in scope + 4 naming no control auditpack holds + 1 dropped",
            "finding 1: unmapped.compliance is a string, not an object",
        ),
    ];
    for (path, name, right, wrong, accounting, reason) in cases {
        let whole = fixture(path);
        assert!(whole.contains(right), "{path} has no {right}");
        let hostile = whole.replacen(right, wrong, 1);
        let stderr = read_as(name, hostile.as_bytes(), accounting);
        assert!(
            stderr.contains(&format!("scans/{name} {reason}")),
            "{path}: {stderr}"
        );
    }
}

#[test]
fn a_10_mb_string_is_read_and_the_accounting_is_unchanged() {
    let big = "x".repeat(10 << 20);
    // (fixture, name, the string replaced, its accounting)
    let json = [
        (
            JSON[0],
            "\"Title\": \"Hardware MFA should be enabled for the root user\"",
        ),
        (
            JSON[1],
            "\"StatusExtended\": \"MFA is not enabled for root account.\"",
        ),
        (
            JSON[2],
            "\"check_name\": \"Ensure all data stored in the S3 bucket is securely encrypted at rest\"",
        ),
        // The first finding's message comes before the keys that tell the format.
        (
            JSON[3],
            "\"message\": \"IAM Access Analyzer in account <account_uid> is not enabled.\"",
        ),
    ];
    for ((path, name, accounting), right) in json {
        let whole = fixture(path);
        assert!(whole.contains(right), "{path} has no {right}");
        let key = right.split(':').next().unwrap();
        let hostile = whole.replacen(right, &format!("{key}: \"{big}\""), 1);
        read_as(name, hostile.as_bytes(), accounting);
    }
    // A CSV cell: the first row's message (CHECK_RESULT_EXTENDED, STATUS_EXTENDED).
    for ((path, name, accounting), column) in
        CSV.iter().zip(["CHECK_RESULT_EXTENDED", "STATUS_EXTENDED"])
    {
        let whole = fixture(path);
        let separator = if whole.starts_with("PROFILE,") {
            ','
        } else {
            ';'
        };
        let mut lines: Vec<String> = whole.split('\n').map(str::to_string).collect();
        let at = lines[0].split(separator).position(|c| c == column).unwrap();
        let mut cells: Vec<&str> = lines[1].split(separator).collect();
        cells[at] = &big;
        lines[1] = cells.join(&separator.to_string());
        read_as(name, lines.join("\n").as_bytes(), accounting);
    }
}
