//! OSCAL export: control ids as tokens, the plan's inheritance model read back,
//! references that resolve, determinism, licence rules and package replacement.
//!
//! The official schema validation, assessment results, POA&M and back-matter
//! hashes are in `oscal_results.rs`; here the structure is also asserted field by
//! field (required fields, enumerations, UUID and token forms), and every
//! reference is resolved.

use crate::common::Project;
use auditpack::render::oscal::{is_token, token};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn shipped(framework: &str) -> Value {
    let run = Project::empty().run(&["frameworks", "show", framework, "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

/// Build only the OSCAL files of a sample into `<project>/pkg`.
fn build_oscal(project: &Project) -> std::path::PathBuf {
    let out = project.path().join("pkg");
    let run = project.run(&[
        "build",
        "{}",
        "--out",
        out.to_str().unwrap(),
        "--format",
        "oscal",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    out
}

fn props(value: &Value) -> BTreeMap<String, String> {
    value["props"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_string(),
                p["value"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// RFC 4122 shape, version 4 or 5, as OSCAL 1.1's UUID datatype requires.
fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    let lengths = groups.iter().map(|g| g.len()).collect::<Vec<_>>();
    lengths == [8, 4, 4, 4, 12]
        && text.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
        && matches!(groups[2].as_bytes()[0], b'4' | b'5')
        && matches!(
            groups[3].as_bytes()[0],
            b'8' | b'9' | b'a' | b'b' | b'A' | b'B'
        )
}

/// Markdown text as written: the backslash escapes the export adds removed.
pub fn unescaped(markup: &str) -> String {
    let mut out = String::new();
    let mut chars = markup.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}

/// Every value under a key named `key`, anywhere in the document.
fn collect<'a>(value: &'a Value, key: &str, out: &mut Vec<&'a Value>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if k == key {
                    out.push(v);
                }
                collect(v, key, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect(v, key, out)),
        _ => {}
    }
}

#[test]
fn control_ids_are_valid_tokens_and_never_collide() {
    assert_eq!(token("hipaa", "164.312(a)(2)(iv)"), "hipaa-164.312_a_2_iv");
    assert_eq!(token("pci-dss", "8.4.2"), "pci-dss-8.4.2");
    assert_eq!(token("soc2", "CC6.1"), "soc2-cc6.1");
    assert!(!is_token("8.4.2") && !is_token("164.312(a)") && !is_token("") && !is_token("a b"));
    assert!(is_token("_x") && is_token("é-1.2_3"));
    let mut all = BTreeSet::new();
    for framework in ["soc2", "iso27001", "hipaa", "pci-dss", "cis", "common"] {
        let catalog = shipped(framework);
        let mut ids: Vec<(String, String)> = catalog["families"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["parent"].is_null())
            .map(|f| {
                (
                    format!("family {}", f["id"]),
                    token(framework, f["id"].as_str().unwrap()),
                )
            })
            .collect();
        ids.extend(catalog["controls"].as_array().unwrap().iter().map(|c| {
            let id = c["id"].as_str().unwrap();
            (format!("control {id}"), token(framework, id))
        }));
        assert!(ids.len() > 10, "{framework}");
        for (what, id) in ids {
            assert!(is_token(&id), "{framework} {what}: {id} is not a token");
            assert!(all.insert(id.clone()), "{framework} {what}: {id} collides");
        }
    }
}

#[test]
fn the_plan_holds_every_control_of_the_profile_with_the_inheritance_its_responsibility_implies() {
    let project = Project::sample("ledgerly");
    let out = build_oscal(&project);
    let profile = read(&out.join("oscal/profile.json"));
    let mut catalog_ids = BTreeSet::new();
    for import in profile["profile"]["imports"].as_array().unwrap() {
        assert!(import["include-all"].is_object());
        let catalog = read(&out.join("oscal").join(import["href"].as_str().unwrap()));
        let mut ids = Vec::new();
        collect(&catalog["catalog"]["groups"], "controls", &mut ids);
        for control in ids.iter().flat_map(|c| c.as_array().unwrap()) {
            let id = control["id"].as_str().unwrap().to_string();
            assert!(is_token(&id), "{id}");
            assert!(
                props(control).contains_key("label"),
                "{id} keeps its official id"
            );
            assert!(catalog_ids.insert(id));
        }
    }
    assert!(
        catalog_ids.len() > 600,
        "four frameworks: {}",
        catalog_ids.len()
    );

    let ssp = read(&out.join("oscal/ssp.json"));
    let plan = &ssp["system-security-plan"];
    assert_plan_structure(plan);
    let requirements = plan["control-implementation"]["implemented-requirements"]
        .as_array()
        .unwrap();
    let planned: BTreeSet<String> = requirements
        .iter()
        .map(|r| r["control-id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        planned, catalog_ids,
        "one implemented requirement per control of the profile"
    );
    assert_eq!(requirements.len(), planned.len());

    let components: BTreeMap<&str, &Value> = plan["system-implementation"]["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["uuid"].as_str().unwrap(), c))
        .collect();
    let this_system = components
        .values()
        .find(|c| c["type"] == "this-system")
        .unwrap()["uuid"]
        .as_str()
        .unwrap();
    let leveraged: BTreeSet<&str> = plan["system-implementation"]["leveraged-authorizations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["uuid"].as_str().unwrap())
        .collect();
    let mut seen = BTreeMap::new();
    for requirement in requirements {
        let p = props(requirement);
        let responsibility = p["responsibility"].as_str();
        let by = requirement["by-components"].as_array().unwrap();
        let ours: Vec<&Value> = by
            .iter()
            .filter(|b| b["component-uuid"] == this_system)
            .collect();
        let theirs: Vec<&Value> = by
            .iter()
            .filter(|b| b["component-uuid"] != this_system)
            .collect();
        for b in &by[..] {
            assert!(components.contains_key(b["component-uuid"].as_str().unwrap()));
        }
        match responsibility {
            "inherited" => {
                assert!(ours.is_empty(), "{p:?}");
                assert!(!theirs.is_empty(), "{p:?}");
                for b in &theirs {
                    assert!(
                        b["inherited"].as_array().is_some_and(|i| !i.is_empty()),
                        "{b}"
                    );
                    assert!(b.get("satisfied").is_none(), "{b}");
                    if p["status"] == "inherited" {
                        let state = &b["implementation-status"]["state"];
                        assert_eq!(state, "implemented", "attested, so each provider part: {b}");
                        assert!(b["links"].is_array(), "links to the reports behind it: {b}");
                    }
                    let component = components[b["component-uuid"].as_str().unwrap()];
                    let links: Vec<String> = component["props"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .filter(|x| x["name"] == "leveraged-authorization-uuid")
                        .map(|x| x["value"].as_str().unwrap().to_string())
                        .collect();
                    assert!(!links.is_empty(), "{component}");
                    assert!(links.iter().all(|l| leveraged.contains(l.as_str())));
                }
            }
            "shared" => {
                assert_eq!(ours.len(), 1, "{p:?}");
                assert!(!theirs.is_empty(), "{p:?}");
                for b in &theirs {
                    assert!(
                        b["inherited"].is_array() && b["satisfied"].is_array(),
                        "{b}"
                    );
                }
            }
            "customer" | "none" => {
                assert_eq!(ours.len(), 1, "{p:?}");
                assert!(
                    theirs.is_empty(),
                    "a customer control is this system's only: {p:?}"
                );
            }
            other => panic!("responsibility {other}"),
        }
        let state = ours
            .first()
            .map(|b| b["implementation-status"]["state"].as_str().unwrap());
        if let Some(state) = state {
            let expected = match p["status"].as_str() {
                "satisfied" | "inherited" => "implemented",
                "partial" | "stale" | "failing" | "inherited-unattested" => "partial",
                "exception" => "alternative",
                "missing" => "planned",
                "not-applicable" => "not-applicable",
                s => panic!("status {s}"),
            };
            assert_eq!(state, expected, "{p:?}");
        }
        *seen.entry(responsibility.to_string()).or_insert(0) += 1;
    }
    for kind in ["inherited", "shared", "customer"] {
        assert!(seen.get(kind).is_some_and(|n| *n > 0), "{kind} in {seen:?}");
    }
    // Named controls, as the snapshot derives them.
    let by_label = |framework: &str, label: &str| {
        requirements
            .iter()
            .find(|r| {
                let p = props(r);
                p["framework"] == framework && p["label"] == label
            })
            .unwrap()
    };
    assert_eq!(
        props(by_label("soc2", "CC1.1"))["responsibility"],
        "customer"
    );
    assert_eq!(by_label("soc2", "CC1.1")["control-id"], "soc2-cc1.1");
    assert_eq!(
        props(by_label("pci-dss", "9.2.1"))["responsibility"],
        "inherited"
    );
}

/// The OSCAL 1.1.3 SSP model's required fields and enumerations, and every
/// reference (component, party, role, leveraged authorization, back-matter link) resolved.
fn assert_plan_structure(plan: &Value) {
    assert!(is_uuid(plan["uuid"].as_str().unwrap()));
    let meta = &plan["metadata"];
    for key in ["title", "last-modified", "version", "oscal-version"] {
        assert!(meta[key].is_string(), "metadata.{key}");
    }
    assert_eq!(meta["oscal-version"], "1.1.3");
    assert_eq!(plan["import-profile"]["href"], "profile.json");
    let sc = &plan["system-characteristics"];
    for key in ["system-name", "description"] {
        assert!(sc[key].is_string(), "system-characteristics.{key}");
    }
    assert!(sc["system-ids"][0]["id"].is_string());
    for t in sc["system-information"]["information-types"]
        .as_array()
        .unwrap()
    {
        assert!(
            t["title"].is_string() && t["description"].is_string(),
            "{t}"
        );
    }
    let states = [
        "operational",
        "under-development",
        "under-major-modification",
        "disposition",
        "other",
    ];
    assert!(states.contains(&sc["status"]["state"].as_str().unwrap()));
    assert!(sc["authorization-boundary"]["description"].is_string());
    let si = &plan["system-implementation"];
    assert!(!si["users"].as_array().unwrap().is_empty());
    for c in si["components"].as_array().unwrap() {
        for key in ["uuid", "type", "title", "description"] {
            assert!(c[key].is_string(), "component {key}: {c}");
        }
        assert!(
            ["operational", "under-development", "disposition", "other"]
                .contains(&c["status"]["state"].as_str().unwrap())
        );
    }
    for l in si["leveraged-authorizations"].as_array().unwrap() {
        for key in ["uuid", "title", "party-uuid", "date-authorized"] {
            assert!(l[key].is_string(), "leveraged-authorization {key}: {l}");
        }
    }
    let ci = &plan["control-implementation"];
    assert!(ci["description"].is_string());
    let implementation_states = [
        "implemented",
        "partial",
        "planned",
        "alternative",
        "not-applicable",
    ];
    for r in ci["implemented-requirements"].as_array().unwrap() {
        assert!(is_token(r["control-id"].as_str().unwrap()));
        for b in r["by-components"].as_array().unwrap() {
            for key in ["component-uuid", "uuid", "description"] {
                assert!(b[key].is_string(), "by-component {key}: {b}");
            }
            assert!(
                implementation_states
                    .contains(&b["implementation-status"]["state"].as_str().unwrap())
            );
            assert!(b.get("export").is_none());
        }
    }
    // Every UUID is well formed and unique; every reference resolves.
    let mut uuids = Vec::new();
    collect(plan, "uuid", &mut uuids);
    let defined: BTreeSet<&str> = uuids.iter().map(|u| u.as_str().unwrap()).collect();
    assert_eq!(defined.len(), uuids.len(), "duplicate UUIDs");
    assert!(defined.iter().all(|u| is_uuid(u)));
    let parties: BTreeSet<&str> = meta["parties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["uuid"].as_str().unwrap())
        .collect();
    let roles: BTreeSet<&str> = meta["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let mut refs = Vec::new();
    collect(plan, "party-uuids", &mut refs);
    for uuid in refs.iter().flat_map(|r| r.as_array().unwrap()) {
        assert!(parties.contains(uuid.as_str().unwrap()), "party {uuid}");
    }
    let mut refs = Vec::new();
    collect(plan, "party-uuid", &mut refs);
    assert!(refs.iter().all(|r| parties.contains(r.as_str().unwrap())));
    let mut refs = Vec::new();
    collect(plan, "role-id", &mut refs);
    assert!(
        refs.iter().all(|r| roles.contains(r.as_str().unwrap())),
        "roles"
    );
    let resources: BTreeSet<String> = plan["back-matter"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| format!("#{}", r["uuid"].as_str().unwrap()))
        .collect();
    let mut hrefs = Vec::new();
    collect(plan, "href", &mut hrefs);
    for href in hrefs
        .iter()
        .filter_map(|h| h.as_str())
        .filter(|h| h.starts_with('#'))
    {
        assert!(resources.contains(href), "link {href}");
    }
    let mut all_props = Vec::new();
    collect(plan, "props", &mut all_props);
    for p in all_props.iter().flat_map(|p| p.as_array().unwrap()) {
        let value = p["value"].as_str().unwrap();
        assert!(is_token(p["name"].as_str().unwrap()), "{p}");
        assert!(!value.is_empty() && value.trim() == value, "{p}");
    }
}

#[test]
fn the_export_is_byte_identical_with_stable_uuids_across_builds() {
    let project = Project::sample("acme-health");
    let first = project.path().join("first");
    let second = project.path().join("second");
    for out in [&first, &second] {
        let run = project.run(&[
            "build",
            "{}",
            "--out",
            out.to_str().unwrap(),
            "--format",
            "oscal",
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let names: Vec<_> = std::fs::read_dir(first.join("oscal"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        names.len(),
        6,
        "catalog-hipaa, profile, ssp, assessment plan and results, POA&M: {names:?}"
    );
    for name in names {
        let a = std::fs::read(first.join("oscal").join(&name)).unwrap();
        let b = std::fs::read(second.join("oscal").join(&name)).unwrap();
        assert!(a == b, "{name:?} differs between builds");
    }
    let ssp = read(&first.join("oscal/ssp.json"));
    assert_plan_structure(&ssp["system-security-plan"]);
    let manifest = read(&first.join("manifest.json"));
    let listed: Vec<&str> = manifest["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        listed,
        [
            "oscal/catalog-hipaa.json",
            "oscal/profile.json",
            "oscal/ssp.json",
            "oscal/assessment-plan.json",
            "oscal/assessment-results.json",
            "oscal/poam.json",
        ]
    );
}

#[test]
fn pci_and_cis_catalogs_carry_only_our_titles_and_descriptions() {
    let project = Project::empty();
    project.write(
        "audit.toml",
        crate::common::audit_toml("\"pci-dss\", \"cis\"", &[("aws", "ec2", "cde")], ""),
    );
    let out = build_oscal(&project);
    for framework in ["pci-dss", "cis"] {
        let shipped = shipped(framework);
        let ours: BTreeMap<&str, (&str, &str)> = shipped["controls"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["id"].as_str().unwrap(),
                    (
                        c["title"].as_str().unwrap(),
                        c["description"].as_str().unwrap(),
                    ),
                )
            })
            .collect();
        let catalog = read(&out.join(format!("oscal/catalog-{framework}.json")));
        let mut controls = Vec::new();
        collect(&catalog["catalog"], "controls", &mut controls);
        let controls: Vec<&Value> = controls
            .iter()
            .flat_map(|c| c.as_array().unwrap())
            .collect();
        assert_eq!(controls.len(), ours.len(), "{framework}");
        for control in controls {
            let label = props(control)["label"].clone();
            let (title, description) = ours[label.as_str()];
            let squash = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(
                unescaped(control["title"].as_str().unwrap()),
                squash(title),
                "{label}"
            );
            let parts = control["parts"].as_array().unwrap();
            assert_eq!(parts.len(), 1, "{label}: only our own description");
            assert_eq!(
                unescaped(parts[0]["prose"].as_str().unwrap()),
                squash(description),
                "{label}"
            );
            assert!(control.get("params").is_none() && control.get("controls").is_none());
        }
    }
}

#[test]
fn a_package_with_oscal_is_replaced_but_a_foreign_file_inside_oscal_is_refused() {
    let project = Project::sample("acme-health");
    let out = project.build();
    assert!(out.join("oscal/ssp.json").is_file());
    assert!(out.join("audit-package.pdf").is_file());
    let again = project.build();
    assert!(
        again.join("oscal/ssp.json").is_file(),
        "replaced by the second build"
    );
    let leftovers: Vec<_> = std::fs::read_dir(project.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".pkg."))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    std::fs::write(out.join("oscal/notes.txt"), "mine").unwrap();
    let run = project.run(&["build", "{}", "--out", out.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("oscal/notes.txt"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(out.join("oscal/notes.txt")).unwrap(),
        "mine"
    );
    assert!(out.join("oscal/ssp.json").is_file(), "nothing removed");

    // An `oscal` folder beside a package whose manifest lists none is not auditpack's.
    let plain = project.path().join("plain");
    let run = project.run(&[
        "build",
        "{}",
        "--out",
        plain.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    std::fs::create_dir(plain.join("oscal")).unwrap();
    std::fs::write(plain.join("oscal/ssp.json"), "{}").unwrap();
    let run = project.run(&[
        "build",
        "{}",
        "--out",
        plain.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("oscal"), "{}", run.stderr);
}
