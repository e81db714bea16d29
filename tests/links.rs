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

// ---------------------------------------------------------------------------
// Common controls you can defend: a link that satisfies never lets evidence for
// a looser control (rarer cadence, longer time bound) stand in for a stricter one.
// ---------------------------------------------------------------------------

use auditpack::load::library::load_library;
use auditpack::model::catalog::{Control, Relationship};
use auditpack::model::library::{ControlKey, Library};

/// Where `looser` is less strict than `stricter`: for each fact `stricter`
/// states (cadence, time bound), `looser` must state one at least as strict.
fn strictness_gaps(looser: &Control, stricter: &Control) -> Vec<String> {
    let facts = [
        ("cadence_days", looser.cadence_days, stricter.cadence_days),
        (
            "time_bound_hours",
            looser.time_bound_hours,
            stricter.time_bound_hours,
        ),
    ];
    facts
        .into_iter()
        .filter_map(|(name, have, want)| {
            let want = want?;
            match have {
                Some(have) if have <= want => None,
                Some(have) => Some(format!("{name} {have} is looser than {want}")),
                None => Some(format!("{name} not stated, needs at most {want}")),
            }
        })
        .collect()
}

fn common_keys(library: &Library) -> Vec<ControlKey> {
    let common = library.common().expect("the common catalog is shipped");
    (0..library.catalogs[common].controls.len())
        .map(|control| ControlKey {
            framework: common,
            control,
        })
        .collect()
}

#[test]
fn no_satisfying_link_runs_from_a_looser_control_to_a_stricter_one() {
    let library = load_library(None).unwrap();
    let mut problems = Vec::new();
    for common in common_keys(&library) {
        let links = library.links_from(common);
        // (a) common control C to framework control F, where C's evidence satisfies F.
        for &(to, relationship) in links {
            if !relationship.is_full() {
                continue;
            }
            for gap in strictness_gaps(library.control(common), library.control(to)) {
                problems.push(format!(
                    "{} -> {} ({}): {gap}",
                    library.display(common),
                    library.display(to),
                    relationship.id()
                ));
            }
        }
        // (b) framework control A, equivalent to C, to framework control B that C satisfies:
        // evidence naming A satisfies B, so A must be as strict as B.
        for &(from, first) in links {
            if first != Relationship::Equivalent {
                continue;
            }
            for &(to, second) in links {
                if !second.is_full() || to.framework == from.framework {
                    continue;
                }
                for gap in strictness_gaps(library.control(from), library.control(to)) {
                    problems.push(format!(
                        "{} = {} -> {} ({}): {gap}",
                        library.display(from),
                        library.display(common),
                        library.display(to),
                        second.id()
                    ));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} satisfying paths run from a looser control to a stricter one:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn every_equivalent_or_subset_link_says_why() {
    let library = load_library(None).unwrap();
    let mut missing = Vec::new();
    for common in common_keys(&library) {
        let control = library.control(common);
        for link in &control.links {
            if link.relationship.is_full() && link.reason().is_none() {
                missing.push(format!(
                    "{} -> {} {} ({})",
                    control.id,
                    link.framework,
                    link.control,
                    link.relationship.id()
                ));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "{} links give no reason:\n{}",
        missing.len(),
        missing.join("\n")
    );
}

#[test]
fn a_link_without_a_reason_is_a_load_problem() {
    let project = Project::empty();
    project.write(
        "frameworks/common.toml",
        "id = \"common\"\nname = \"Our controls\"\nversion = \"1\"\npublisher = \"us\"\n\n\
         [[families]]\nid = \"IAM\"\nname = \"Identity\"\nlayers = [\"accounts\"]\n\n\
         [[controls]]\nid = \"IAM-01\"\ntitle = \"MFA\"\nfamily = \"IAM\"\ndescription = \"MFA everywhere.\"\n\
         layers = [\"accounts\"]\nlinks = [\n  { framework = \"hipaa\", control = \"164.312(d)\", relationship = \"subset\" },\n\
           { framework = \"soc2\", control = \"CC6.1\", relationship = \"intersects\" },\n]\n",
    );
    let run = project.run(&["frameworks", "map", "common", "--project", "{}"]);
    assert_ne!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stderr.contains("IAM-01") && run.stderr.contains("hipaa 164.312(d)"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("CC6.1"),
        "an intersects link needs no reason: {}",
        run.stderr
    );
}

/// Build a project whose only evidence names `control`, and return the snapshot.
fn snapshot_of_evidence_for(control: &str) -> serde_json::Value {
    let p = project(&format!(
        "id,title,controls,collected,result\nEV-1,Evidence,\"{control}\",2026-03-20,pass\n"
    ));
    snapshot(&p.build())
}

/// The control is reached by the evidence, but at most in part.
fn assert_at_most_partial(s: &serde_json::Value, framework: &str, id: &str, from: &str) {
    let c = control(s, framework, id);
    assert_ne!(
        c["status"], "satisfied",
        "evidence for {from} must not satisfy {framework} {id}: {}",
        c["status_reason"]
    );
    for through in c["evidence_through_links"].as_array().unwrap() {
        assert_eq!(
            through["full"], false,
            "{from} reaches {framework} {id} fully through {}",
            through["via"]
        );
    }
}

#[test]
fn looser_controls_no_longer_satisfy_stricter_ones_through_links() {
    let cases: &[(&str, &[(&str, &str)])] = &[
        // One business day is not "immediately".
        ("COMMON IAM-07", &[("pci-dss", "8.2.5"), ("cis", "6.2")]),
        // Planned intervals are not annual.
        ("ISO A.5.1", &[("pci-dss", "12.1.2")]),
        // Assigned roles are not assigned, recorded and understood ones.
        (
            "ISO A.5.2",
            &[
                ("pci-dss", "1.1.2"),
                ("pci-dss", "2.1.2"),
                ("pci-dss", "3.1.2"),
                ("pci-dss", "4.1.2"),
                ("pci-dss", "5.1.2"),
                ("pci-dss", "6.1.2"),
                ("pci-dss", "7.1.2"),
                ("pci-dss", "8.1.2"),
                ("pci-dss", "9.1.2"),
                ("pci-dss", "10.1.2"),
                ("pci-dss", "11.1.2"),
            ],
        ),
        ("SOC2 CC8.1", &[("pci-dss", "6.5.1"), ("pci-dss", "1.2.2")]),
        ("HIPAA 164.308(a)(2)", &[("pci-dss", "12.1.4")]),
        ("ISO A.5.10", &[("pci-dss", "12.2.1")]),
        ("CIS 6.5", &[("pci-dss", "8.4.1")]),
        ("COMMON HR-04", &[("soc2", "CC1.1")]),
    ];
    for (from, targets) in cases {
        let s = snapshot_of_evidence_for(from);
        assert_eq!(s["rows_mapped"], 1, "{from}");
        for (framework, id) in *targets {
            assert_at_most_partial(&s, framework, id, from);
        }
    }
}

#[test]
fn strict_enough_common_controls_still_satisfy() {
    // The common control that does state the stricter obligation still counts in full.
    let s = snapshot_of_evidence_for("COMMON GOV-01");
    let c = control(&s, "pci-dss", "12.1.2");
    assert_eq!(c["status"], "satisfied", "{}", c["status_reason"]);
    let s = snapshot_of_evidence_for("COMMON GOV-03");
    for id in ["1.1.2", "8.1.2", "11.1.2"] {
        let c = control(&s, "pci-dss", id);
        assert_eq!(c["status"], "satisfied", "{id}: {}", c["status_reason"]);
    }
}

#[test]
fn frameworks_map_prints_link_reasons() {
    let library = load_library(None).unwrap();
    let hipaa = library.catalog_index("hipaa").unwrap();
    let key = library.resolve("HIPAA 164.312(d)", None, &[hipaa]).unwrap();
    let (common, _) = library
        .links_to(key)
        .iter()
        .find(|(c, _)| library.control(*c).id == "IAM-03")
        .copied()
        .expect("the MFA link");
    let reason = library
        .link(common, key)
        .and_then(|l| l.reason())
        .expect("a subset link has a reason")
        .to_string();
    for format in ["table", "csv", "json"] {
        let run = Project::empty().run(&["frameworks", "map", "hipaa", "--format", format]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(run.stdout.contains("reason"), "{format}: no reason column");
        assert!(
            run.stdout.contains(&reason),
            "{format}: the reason of IAM-03 -> 164.312(d) is missing"
        );
    }
    let run = Project::empty().run(&["frameworks", "map", "common", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "IAM-03" && r["common"] == "HIPAA 164.312(d)")
        .expect("the MFA row from the common side");
    assert_eq!(row["reason"], reason.as_str());
}
