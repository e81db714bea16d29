//! Catalogs: every shipped catalog holds exactly the official ids, each with a description and layers.

use crate::common::{Project, fixtures};
use std::collections::BTreeSet;

fn reference_ids(framework: &str) -> BTreeSet<String> {
    let text = std::fs::read_to_string(
        fixtures()
            .join("reference")
            .join(format!("{framework}.txt")),
    )
    .unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

fn shipped(framework: &str) -> serde_json::Value {
    let run = Project::empty().run(&["frameworks", "show", framework, "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

fn assert_complete(framework: &str, expected_count: usize) {
    let catalog = shipped(framework);
    let controls = catalog["controls"].as_array().unwrap();
    let ids: BTreeSet<String> = controls
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    let reference = reference_ids(framework);
    let missing: Vec<_> = reference.difference(&ids).collect();
    let extra: Vec<_> = ids.difference(&reference).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{framework}: missing {missing:?}, extra {extra:?}"
    );
    assert_eq!(
        controls.len(),
        expected_count,
        "{framework}: an id is listed twice"
    );
    for control in controls {
        let id = &control["id"];
        assert!(
            control["description"]
                .as_str()
                .is_some_and(|d| d.len() > 20),
            "{framework} {id} has no description"
        );
        assert!(
            control["layers"].as_array().is_some_and(|l| !l.is_empty()),
            "{framework} {id} touches no layer"
        );
        assert!(
            control["title"].as_str().is_some_and(|t| !t.is_empty()),
            "{framework} {id} has no title"
        );
    }
}

#[test]
fn hipaa_has_every_standard_and_implementation_specification() {
    assert_complete("hipaa", 65);
    let catalog = shipped("hipaa");
    let controls = catalog["controls"].as_array().unwrap();
    let count = |key: &str, value: &str| {
        controls
            .iter()
            .filter(|c| c["attributes"][key] == value)
            .count()
    };
    assert_eq!(count("type", "standard"), 22);
    assert_eq!(count("type", "implementation_specification"), 43);
    // Appendix A plus 164.314 and 164.316: 21 Required and 22 Addressable specifications.
    let specs = |value: &str| {
        controls
            .iter()
            .filter(|c| {
                c["attributes"]["type"] == "implementation_specification"
                    && c["attributes"]["requirement"] == value
            })
            .count()
    };
    assert_eq!(specs("Required"), 21);
    assert_eq!(specs("Addressable"), 22);
}

#[test]
fn other_catalogs_hold_exactly_the_official_ids() {
    assert_complete("soc2", 61);
    assert_complete("iso27001", 134);
    assert_complete("pci-dss", 280);
    assert_complete("cis", 153);
}

#[test]
fn frameworks_lists_every_catalog() {
    let run = Project::empty().run(&["frameworks"]);
    assert_eq!(run.code, 0);
    for id in ["cis", "hipaa", "iso27001", "pci-dss", "soc2"] {
        assert!(
            run.stdout.lines().any(|l| l.starts_with(id)),
            "{id} missing from:\n{}",
            run.stdout
        );
    }
}

#[test]
fn frameworks_show_prints_controls_as_a_table_and_csv() {
    let project = Project::empty();
    let table = project.run(&["frameworks", "show", "hipaa"]);
    let line = table
        .stdout
        .lines()
        .find(|l| l.starts_with("164.312(a)(2)(iv) "))
        .expect("the control's row");
    assert!(
        line.contains("Encryption and decryption") && line.contains("requirement=Addressable"),
        "{line}"
    );
    let csv = project.run(&["frameworks", "show", "HIPAA", "--format", "csv"]);
    assert_eq!(csv.stdout.lines().count(), 66, "a header and 65 controls");
    assert!(
        csv.stdout
            .starts_with("id,family,title,layers,attributes\n")
    );
}
