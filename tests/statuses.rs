//! Statuses: every status is reachable, and every evidence row is accounted for.

use crate::common::{Project, control, snapshot};

#[test]
fn every_status_is_reached_with_its_reason() {
    let project = Project::fixture("statuses");
    let s = snapshot(&project.build());
    let status = |framework: &str, id: &str| {
        control(&s, framework, id)["status"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let reason = |framework: &str, id: &str| {
        control(&s, framework, id)["status_reason"]
            .as_str()
            .unwrap()
            .to_string()
    };

    assert_eq!(status("hipaa", "164.310(a)(1)"), "inherited");
    // January is inside the report's examined period; February and March only
    // its bridge letter covers.
    assert!(
        reason("hipaa", "164.310(a)(1)").starts_with(
            "attested by AWS SOC 2 Type II report (2025-02-01 to 2026-01-31), then relied on (bridge letter) for 2026-02-01 to 2026-03-31; agreement in force: AWS Business Associate Addendum (from 2024-01-01) for EC2"
        ),
        "{}",
        reason("hipaa", "164.310(a)(1)")
    );
    assert_eq!(status("soc2", "CC6.4"), "inherited-unattested");
    assert!(reason("soc2", "CC6.4").contains("no SOC 2 Type 2 report from AWS is held for EC2"));
    assert_eq!(status("hipaa", "164.308(a)(1)"), "satisfied");
    assert_eq!(status("hipaa", "164.308(a)(1)(ii)(B)"), "partial");
    assert_eq!(status("hipaa", "164.308(a)(1)(ii)(C)"), "stale");
    assert!(reason("hipaa", "164.308(a)(1)(ii)(C)").contains("181 days old"));
    assert_eq!(status("hipaa", "164.308(a)(1)(ii)(D)"), "failing");
    assert_eq!(status("hipaa", "164.312(a)(2)(iii)"), "exception");
    assert!(
        reason("hipaa", "164.312(a)(2)(iii)")
            .starts_with("exception SEC-1 approved by CISO until 2026-06-30")
    );
    assert_eq!(status("hipaa", "164.308(a)(2)"), "missing");
    assert_eq!(status("hipaa", "164.312(a)(2)(ii)"), "missing");
    assert!(reason("hipaa", "164.312(a)(2)(ii)").contains("exception SEC-2 expired on 2026-01-31"));
    assert_eq!(status("hipaa", "164.308(a)(4)(ii)(A)"), "not-applicable");
    assert_eq!(status("hipaa", "164.308(a)(6)(ii)"), "satisfied");
    // The customer's own incident response: never shared with the provider.
    assert_eq!(
        control(&s, "hipaa", "164.308(a)(6)(ii)")["responsibility"],
        "customer"
    );
}

#[test]
fn owners_come_from_the_most_specific_entry() {
    let project = Project::fixture("statuses");
    let s = snapshot(&project.build());
    assert_eq!(
        control(&s, "hipaa", "164.308(a)(2)")["owner"],
        "Security Officer"
    );
    assert_eq!(control(&s, "hipaa", "164.312(d)")["owner"], "Tech Owner");
    assert_eq!(control(&s, "hipaa", "164.308(a)(1)")["owner"], "Owner One");
    assert_eq!(
        control(&s, "hipaa", "164.308(a)(1)")["backup_owner"],
        "Owner Two"
    );
    assert!(control(&s, "soc2", "CC1.1")["owner"].is_null());
}

#[test]
fn rows_read_equal_rows_mapped_plus_rows_reported() {
    let project = Project::fixture("statuses");
    let s = snapshot(&project.build());
    assert_eq!(s["rows_read"], 10);
    assert_eq!(s["rows_mapped"], 6);
    assert_eq!(s["rows_reported"], 4);

    let run = project.run(&["validate", "{}"]);
    assert_eq!(run.code, 1, "problems found: exit 1");
    let expected = [
        "evidence.csv:7:3 (Controls): unknown control \"HIPAA 164.308(a)(9)\" in hipaa; did you mean \"HIPAA 164.308(a)(1)\"?",
        "evidence.csv:8:4 (Collected): ambiguous date \"03/04/2026\": day and month could be either way round",
        "evidence.csv:9:3 (Controls): collected 2026-05-01, after the as-of date 2026-03-31",
        "evidence.csv:10:2 (Title): no evidence title in this row",
        "10 evidence rows read = 6 mapped + 4 reported",
    ];
    for line in expected {
        assert!(
            run.stdout.contains(line),
            "missing {line:?} in:\n{}",
            run.stdout
        );
    }
}

#[test]
fn a_clean_project_validates_with_exit_zero() {
    let project = Project::fixture("statuses");
    let csv = std::fs::read_to_string(project.path().join("evidence.csv")).unwrap();
    let clean: Vec<&str> = csv
        .lines()
        .filter(|l| {
            !l.starts_with("E6")
                && !l.starts_with("E7")
                && !l.starts_with("E8")
                && !l.starts_with("E9")
        })
        .collect();
    project.write("evidence.csv", clean.join("\n"));
    let run = project.run(&["validate", "{}"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("6 evidence rows read = 6 mapped + 0 reported")
    );
}
