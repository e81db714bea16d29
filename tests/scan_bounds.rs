//! Untrusted scanner files cost work in proportion to what they hold: ids are
//! de-duplicated by lookup, not by comparing with every id held. Each test failed
//! before its fix, by minutes.

use crate::common::{Project, audit_toml};
use serde_json::json;
use std::time::Duration;

/// Far above what these runs take on a loaded 2-core machine in a debug build (about
/// 2 s), far below what they took with ids compared one by one (over 90 s).
const BOUND: Duration = Duration::from_secs(10);

/// A HIPAA project on EC2 whose one evidence source is `scans/<name>`.
fn scan_project(name: &str, scan: &[u8]) -> Project {
    let project = Project::empty();
    project.write(&format!("scans/{name}"), scan);
    project.write(
        "audit.toml",
        audit_toml(
            "\"hipaa\"",
            &[("aws", "ec2", "phi")],
            &format!("[[evidence]]\npath = \"scans/{name}\"\n"),
        ),
    );
    project
}

#[test]
fn an_ocsf_finding_naming_100000_ids_validates_in_seconds() {
    let ids: Vec<String> = (0..100_000).map(|i| format!("164_308_a_{i}")).collect();
    let finding = json!([{
        "metadata": {"event_code": "iam_user_mfa_enabled_console_access"},
        "class_uid": 2004,
        "status_code": "FAIL",
        "severity": "High",
        "time": 1_774_000_000,
        "finding_info": {"title": "MFA for console users"},
        "resources": [{"uid": "arn:aws:iam::111122223333:user/a", "group": {"name": "iam"}}],
        "cloud": {"provider": "aws", "account": {"uid": "111122223333"}},
        "unmapped": {"compliance": {"HIPAA": ids, "SOC2": ["cc_6_1"]}}
    }]);
    let project = scan_project("ocsf.json", &serde_json::to_vec(&finding).unwrap());
    let (run, took) = project.run_within(&["validate", "{}"], BOUND);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("1 resource in account 111122223333 seen by scans/ocsf.json"),
        "{}",
        run.stdout
    );
    eprintln!("100,000 ids: {took:?}");
}

#[test]
fn ten_thousand_asff_findings_of_one_control_validate_in_seconds() {
    // Each finding names requirements of its own, so the control's list grows to
    // 20,000: with each new id compared to every one held, 90 s.
    let findings: Vec<serde_json::Value> = (0..10_000)
        .map(|i| {
            json!({
                "SchemaVersion": "2018-10-08",
                "AwsAccountId": "111122223333",
                "UpdatedAt": "2026-03-01T00:00:00Z",
                "Severity": {"Label": "HIGH"},
                "Title": "IAM.5 MFA should be enabled for console users",
                "Resources": [{"Id": format!("arn:aws:iam::111122223333:user/u{i}"), "Type": "AwsIamUser"}],
                "Compliance": {
                    "Status": "FAILED",
                    "SecurityControlId": "IAM.5",
                    "RelatedRequirements": [format!("NIST.800-53.r5 AC-{i}"), format!("PCI DSS v4.0.1/8.{i}")]
                }
            })
        })
        .collect();
    let file = json!({ "Findings": findings });
    let project = scan_project("hub.json", &serde_json::to_vec(&file).unwrap());
    let (run, took) = project.run_within(&["validate", "{}"], BOUND);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("10000 resources in account 111122223333 seen by scans/hub.json"),
        "{}",
        run.stdout
    );
    eprintln!("10,000 ASFF findings: {took:?}");
}
