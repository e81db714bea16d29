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

/// Controls per top-level family, following `parent` links.
fn counts_per_group(framework: &str) -> std::collections::BTreeMap<String, usize> {
    let catalog = shipped(framework);
    let families = catalog["families"].as_array().unwrap();
    let parent = |id: &str| -> String {
        let mut current = id.to_string();
        while let Some(p) = families
            .iter()
            .find(|f| f["id"] == current.as_str())
            .and_then(|f| f["parent"].as_str())
        {
            current = p.to_string();
        }
        current
    };
    let mut counts = std::collections::BTreeMap::new();
    for control in catalog["controls"].as_array().unwrap() {
        *counts
            .entry(parent(control["family"].as_str().unwrap()))
            .or_insert(0) += 1;
    }
    counts
}

fn assert_counts(framework: &str, expected: &[(&str, usize)]) {
    let counts = counts_per_group(framework);
    for (group, count) in expected {
        assert_eq!(
            counts.get(*group),
            Some(count),
            "{framework} group {group}: {counts:?}"
        );
    }
}

#[test]
fn each_catalog_has_the_official_count_per_group() {
    assert_counts(
        "hipaa",
        &[
            ("164.308", 30),
            ("164.310", 12),
            ("164.312", 12),
            ("164.314", 6),
            ("164.316", 5),
        ],
    );
    assert_counts(
        "soc2",
        &[
            ("CC1", 5),
            ("CC2", 3),
            ("CC3", 4),
            ("CC4", 2),
            ("CC5", 3),
            ("CC6", 8),
            ("CC7", 5),
            ("CC8", 1),
            ("CC9", 2),
            ("A1", 3),
            ("C1", 2),
            ("PI1", 5),
        ],
    );
    assert_counts(
        "iso27001",
        &[("A.5", 37), ("A.6", 8), ("A.7", 14), ("A.8", 34)],
    );
    let clauses: usize = counts_per_group("iso27001")
        .iter()
        .filter(|(g, _)| g.starts_with("clause-"))
        .map(|(_, n)| n)
        .sum();
    assert_eq!(clauses, 41, "ISO clauses 4 to 10");
    assert_counts(
        "pci-dss",
        &[
            ("1", 19),
            ("2", 11),
            ("3", 29),
            ("4", 6),
            ("5", 13),
            ("6", 19),
            ("7", 12),
            ("8", 29),
            ("9", 27),
            ("10", 27),
            ("11", 21),
            ("12", 37),
            ("A1", 7),
            ("A2", 3),
            ("A3", 20),
        ],
    );
    assert_counts(
        "cis",
        &[
            ("1", 5),
            ("2", 7),
            ("3", 14),
            ("4", 12),
            ("5", 6),
            ("6", 8),
            ("7", 7),
            ("8", 12),
            ("9", 7),
            ("10", 7),
            ("11", 5),
            ("12", 8),
            ("13", 11),
            ("14", 9),
            ("15", 7),
            ("16", 14),
            ("17", 9),
            ("18", 5),
        ],
    );
}

#[test]
fn cis_implementation_groups_and_pci_future_dated_requirements_are_marked() {
    let cis = shipped("cis");
    let ig = |level: &str| {
        cis["controls"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["attributes"]["ig"] == level)
            .count()
    };
    assert_eq!(
        (ig("IG1"), ig("IG2"), ig("IG3")),
        (56, 74, 23),
        "IG1 56, IG2 130 and IG3 153 cumulatively"
    );
    let pci = shipped("pci-dss");
    let dated = pci["controls"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["attributes"]["future_dated"] == "true")
        .count();
    assert_eq!(dated, 44);
}

#[test]
fn every_layer_choice_that_departs_from_its_family_gives_a_reason() {
    for framework in ["hipaa", "soc2", "iso27001", "pci-dss", "cis"] {
        let catalog = shipped(framework);
        let families = catalog["families"].as_array().unwrap();
        for control in catalog["controls"].as_array().unwrap() {
            let family = families
                .iter()
                .find(|f| f["family"] == control["family"] || f["id"] == control["family"])
                .unwrap();
            let set = |v: &serde_json::Value| -> BTreeSet<String> {
                v.as_array()
                    .unwrap()
                    .iter()
                    .map(|l| l.as_str().unwrap().to_string())
                    .collect()
            };
            if set(&family["layers"]) != set(&control["layers"]) {
                let reason = control["layers_reason"].as_str().unwrap_or_default();
                assert!(
                    reason.len() > 10,
                    "{framework} {} departs from its family's layers without a reason",
                    control["id"]
                );
            }
        }
    }
}

#[test]
fn every_cell_of_every_shipped_provider_model_carries_its_source() {
    use auditpack::model::layer::ServiceModel;
    use auditpack::model::provider::INFERENCE;

    let library = match auditpack::load::library::load_library(None) {
        Ok(library) => library,
        Err(e) => panic!("the shipped library does not load: {e}"),
    };
    let ids: BTreeSet<&str> = library.providers.iter().map(|p| p.id.as_str()).collect();
    for id in ["aws", "azure", "gcp"] {
        assert!(ids.contains(id), "provider {id} is not shipped: {ids:?}");
    }
    let mut missing = Vec::new();
    for provider in &library.providers {
        for cell in provider.unsourced() {
            missing.push(format!("{}: {cell}", provider.id));
        }
        // Our own reasoning must be written out, not just labelled.
        for model in [ServiceModel::Iaas, ServiceModel::Paas, ServiceModel::Saas] {
            for (layer, cell) in provider.matrix.row(model) {
                if let Some((INFERENCE, at)) = cell.cited()
                    && at.split_whitespace().count() < 8
                {
                    missing.push(format!(
                        "{}: {} {} cites {INFERENCE} without its reasoning",
                        provider.id,
                        model.name(),
                        layer.id()
                    ));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "cells or overrides without a source:\n{}",
        missing.join("\n")
    );
}
