//! Common controls: one piece of evidence counts for every framework it serves.

use crate::common::{Project, audit_toml, control, snapshot};

const ALL_FIVE: &str = "\"hipaa\", \"soc2\", \"iso27001\", \"pci-dss\", \"cis\"";

fn project(evidence: &str) -> Project {
    let project = Project::empty();
    // One EC2 workload carrying both scope tags, so HIPAA and PCI DSS apply too.
    let mut toml = audit_toml(
        ALL_FIVE,
        &[("aws", "ec2", "phi")],
        "[[evidence]]\npath = \"ev.csv\"\n",
    );
    toml = toml.replace("tags = [\"phi\"]", "tags = [\"phi\", \"cde\"]");
    project.write("audit.toml", toml);
    project.write("ev.csv", evidence);
    project
}

#[test]
fn one_mfa_row_counts_in_all_five_frameworks() {
    let p = project(
        "id,title,controls,collected,result\nMFA-1,MFA enforcement report,IAM-03,2026-03-20,pass\n",
    );
    let s = snapshot(&p.build());
    assert_eq!(s["rows_read"], 1);
    assert_eq!(s["rows_mapped"], 1);
    for (framework, id) in [
        ("hipaa", "164.312(d)"),
        ("iso27001", "A.8.5"),
        ("pci-dss", "8.4.2"),
        ("cis", "6.5"),
    ] {
        let c = control(&s, framework, id);
        assert_eq!(
            c["status"], "satisfied",
            "{framework} {id}: {}",
            c["status_reason"]
        );
        assert_eq!(c["evidence"][0], "MFA-1");
        assert_eq!(c["evidence_through_links"][0]["via"], "IAM-03");
        assert_eq!(c["evidence_through_links"][0]["full"], true);
    }
    // SOC 2 CC6.1 asks for more than MFA: the intersects link alone gives partial.
    let cc61 = control(&s, "soc2", "CC6.1");
    assert_eq!(cc61["status"], "partial");
    assert_eq!(cc61["evidence_through_links"][0]["full"], false);
    assert!(
        cc61["status_reason"]
            .as_str()
            .unwrap()
            .contains("through common control IAM-03, which covers it only in part")
    );
}

#[test]
fn a_framework_control_reaches_the_others_through_a_common_control() {
    let p = project("title,controls,collected\nMFA report,HIPAA 164.312(d),2026-03-20\n");
    let s = snapshot(&p.build());
    assert_eq!(control(&s, "hipaa", "164.312(d)")["status"], "satisfied");
    // HIPAA 164.312(d) is only a subset of IAM-03, so elsewhere it counts in part.
    let iso = control(&s, "iso27001", "A.8.5");
    assert_eq!(iso["status"], "partial");
    assert_eq!(iso["evidence_through_links"][0]["via"], "IAM-03");
    // Controls of the same framework are not reached through links.
    assert!(
        control(&s, "hipaa", "164.312(a)(1)")["evidence"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn direct_full_evidence_beats_a_partial_link() {
    let p = project(
        "title,controls,collected\nMFA report,IAM-03,2026-03-20\nAccess policy,SOC2 CC6.1,2026-02-01\n",
    );
    let s = snapshot(&p.build());
    assert_eq!(control(&s, "soc2", "CC6.1")["status"], "satisfied");
}

#[test]
fn frameworks_map_shows_links_and_their_reach() {
    let run = Project::empty().run(&["frameworks", "map", "hipaa", "--format", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with("164.312(d),") && l.contains("IAM-03"))
        .expect("the MFA link");
    assert!(line.contains(",subset,"), "{line}");
    assert!(
        line.contains("ISO A.8.5") && line.contains("SOC2 CC6.1 (partial)"),
        "{line}"
    );
    assert!(
        !line.contains("COMMON IAM-03, "),
        "the common control is not listed as reaching itself: {line}"
    );
}
