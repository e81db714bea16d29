//! OSCAL export against NIST's official schema (vendored in `tests/schemas/`),
//! the references the schema cannot check, the back matter's SHA-256 hashes,
//! and the assessment results and POA&M read back against the plan.

use crate::common::Project;
use crate::schemas::{OSCAL, assert_valid};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Build the OSCAL files (and the manifest) of `project` into `<project>/pkg`.
fn build(project: &Project) -> PathBuf {
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

/// Every file of `oscal/`, by name.
fn files(out: &Path) -> BTreeMap<String, Value> {
    std::fs::read_dir(out.join("oscal"))
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                read(&e.path()),
            )
        })
        .collect()
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

fn array(value: &Value) -> &[Value] {
    value.as_array().map_or(&[], |a| a.as_slice())
}

fn uuids_of(items: &Value) -> BTreeSet<String> {
    array(items)
        .iter()
        .map(|i| i["uuid"].as_str().unwrap().to_string())
        .collect()
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

/// The control ids of every catalog.
fn catalog_ids(oscal: &BTreeMap<String, Value>) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for (name, doc) in oscal.iter().filter(|(n, _)| n.starts_with("catalog-")) {
        let mut controls = Vec::new();
        collect(&doc["catalog"], "controls", &mut controls);
        for c in controls.iter().flat_map(|c| array(c)) {
            assert!(ids.insert(c["id"].as_str().unwrap().to_string()), "{name}");
        }
    }
    ids
}

/// A copy of the check fixture whose evidence carries markup, quotes and control characters.
fn hostile() -> Project {
    const HOSTILE: &str = "E2</title><script>\"&'*_[x](javascript:alert(1))\u{1b}[2J\u{0}\u{7}";
    let project = Project::fixture("check");
    let csv = std::fs::read_to_string(project.path().join("evidence.csv")).unwrap();
    let quoted = format!("\"{}\"", HOSTILE.replace('"', "\"\""));
    project.write(
        "evidence.csv",
        csv.replace("E2,Activity review", &format!("{quoted},{quoted}")),
    );
    project
}

#[test]
fn every_oscal_file_validates_against_the_nist_schema() {
    for (what, project) in [
        ("acme-health", Project::sample("acme-health")),
        ("ledgerly", Project::sample("ledgerly")),
        ("hostile evidence text", hostile()),
    ] {
        let out = build(&project);
        let oscal = files(&out);
        assert!(oscal.len() >= 6, "{what}: {:?}", oscal.keys());
        for (name, doc) in &oscal {
            assert_valid(OSCAL, &format!("{what}: oscal/{name}"), doc);
        }
        check_references(what, &out, &oscal);
        for (name, doc) in &oscal {
            assert_markup_escaped(&format!("{what}: {name}"), doc);
        }
    }
}

/// Ledgerly with its tracker grown past the PDF's row bound (its own rows again
/// under new ids, one title carrying markup), beside its Prowler scan.
fn past_the_row_bound() -> Project {
    let project = Project::sample("ledgerly");
    let path = project.path().join("evidence/evidence-tracker.csv");
    let tracker = std::fs::read_to_string(&path).unwrap();
    let mut lines = tracker.lines();
    let mut csv = format!("{}\n", lines.next().unwrap());
    let rows: Vec<&str> = lines.collect();
    // Past the bound by a margin: one sample row in twenty is reported, not mapped.
    for n in 0..auditpack::render::view::INDEX_ROWS / rows.len() + 10 {
        for row in &rows {
            csv.push_str(&row.replacen("EV-", &format!("EV-{n}-"), 1));
            csv.push('\n');
        }
    }
    csv.push_str("EV-X,<script>*[x](javascript:alert(1))*,IAM-03,Theo Laurent,2026-12-01,pass,,\n");
    project.write("evidence/evidence-tracker.csv", csv);
    project
}

#[test]
fn past_the_row_bound_observations_count_rows_per_control_and_every_file_validates() {
    let project = past_the_row_bound();
    let out = build(&project);
    let oscal = files(&out);
    for (name, doc) in &oscal {
        assert_valid(OSCAL, &format!("past the row bound: oscal/{name}"), doc);
        assert_markup_escaped(&format!("past the row bound: {name}"), doc);
    }
    check_references("past the row bound", &out, &oscal);

    let results = &oscal["assessment-results.json"]["assessment-results"];
    let observations = array(&results["results"][0]["observations"]);
    assert!(!observations.is_empty());
    let mut tested = 0;
    for o in observations {
        let p = props(o);
        let rows: usize = p["evidence-rows"].parse().unwrap();
        assert!(rows > 0, "{o}");
        assert!(!p.contains_key("evidence-id"), "{o}");
        let cited: Vec<&str> = array(&o["relevant-evidence"])
            .iter()
            .map(|e| e["description"].as_str().unwrap())
            .collect();
        let counted = match rows {
            1 => "1 row".to_string(),
            n => format!("{n} rows"),
        };
        assert_eq!(
            cited[0],
            format!("{counted} on the Evidence sheet of audit-workbook.xlsx")
        );
        if array(&o["methods"]).iter().any(|m| m == "TEST") {
            tested += 1;
            assert!(
                o["description"]
                    .as_str()
                    .unwrap()
                    .contains("from Prowler ("),
                "{o}"
            );
        }
    }
    assert!(tested > 0, "no control counts the scan's results");
    // One observation per control with evidence, however many rows.
    let plan = &oscal["ssp.json"]["system-security-plan"];
    let requirements = array(&plan["control-implementation"]["implemented-requirements"]);
    assert!(observations.len() <= requirements.len());

    for (name, key) in [
        ("ssp.json", "system-security-plan"),
        ("assessment-results.json", "assessment-results"),
    ] {
        let resources = array(&oscal[name][key]["back-matter"]["resources"]);
        let evidence: Vec<String> = resources
            .iter()
            .filter(|r| props(r)["kind"] != "attestation")
            .map(|r| format!("{} {}", props(r)["kind"], r["title"].as_str().unwrap()))
            .collect();
        assert_eq!(
            evidence,
            [
                r"workbook audit-workbook.xlsx, sheet Evidence",
                r"evidence-file evidence/evidence-tracker.csv",
                r"evidence-file evidence/prowler-aws-2026-12-14.csv",
            ],
            "{name}"
        );
    }
}

/// Every Markdown field shows its text as written: each character that would
/// make markup (raw HTML, links, emphasis, code) is backslash-escaped.
fn assert_markup_escaped(what: &str, doc: &Value) {
    for key in [
        "title",
        "description",
        "remarks",
        "prose",
        "statement",
        "text",
    ] {
        let mut found = Vec::new();
        collect(doc, key, &mut found);
        for text in found.iter().filter_map(|v| v.as_str()) {
            let mut escaped = false;
            for c in text.chars() {
                let special = matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&');
                assert!(!special || escaped || c == '\\', "{what}: {key} {text:?}");
                assert!(special || !escaped, "{what}: a stray backslash in {text:?}");
                escaped = c == '\\' && !escaped;
            }
            assert!(!escaped, "{what}: {key} ends in a lone backslash: {text:?}");
        }
    }
}

#[test]
fn hostile_evidence_text_is_escaped_markdown_read_back_whole() {
    let project = hostile();
    let out = build(&project);
    let results = &files(&out)["assessment-results.json"]["assessment-results"];
    let titles: Vec<&str> = array(&results["results"][0]["observations"])
        .iter()
        .map(|o| o["title"].as_str().unwrap())
        .collect();
    assert!(
        titles
            .iter()
            .any(|t| t.contains(r"\<script\>") && t.contains(r"\[x\](javascript")),
        "{titles:?}"
    );
    assert!(titles.iter().all(|t| !t.contains("<script>")), "{titles:?}");
}

/// What the schema cannot check: every reference names something that exists.
fn check_references(what: &str, out: &Path, oscal: &BTreeMap<String, Value>) {
    let ids = catalog_ids(oscal);
    let plan = &oscal["ssp.json"]["system-security-plan"];
    let implementation = &plan["system-implementation"];
    let components = uuids_of(&implementation["components"]);
    let leveraged = uuids_of(&implementation["leveraged-authorizations"]);
    let resources = uuids_of(&plan["back-matter"]["resources"]);
    let requirements = &plan["control-implementation"]["implemented-requirements"];
    let requirement_uuids = uuids_of(requirements);
    for r in array(requirements) {
        assert!(ids.contains(r["control-id"].as_str().unwrap()), "{what}");
        for b in array(&r["by-components"]) {
            assert!(
                components.contains(b["component-uuid"].as_str().unwrap()),
                "{what}: {b}"
            );
        }
    }
    let mut cited = Vec::new();
    collect(plan, "props", &mut cited);
    for p in cited.iter().flat_map(|p| array(p)) {
        if p["name"] == "leveraged-authorization-uuid" {
            assert!(leveraged.contains(p["value"].as_str().unwrap()), "{what}");
        }
    }
    let mut hrefs = Vec::new();
    collect(plan, "href", &mut hrefs);
    for h in hrefs.iter().filter_map(|h| h.as_str()) {
        if let Some(uuid) = h.strip_prefix('#') {
            assert!(resources.contains(uuid), "{what}: {h}");
        }
    }

    for (name, key, import) in [
        ("ssp.json", "system-security-plan", "import-profile"),
        ("assessment-plan.json", "assessment-plan", "import-ssp"),
        ("assessment-results.json", "assessment-results", "import-ap"),
        ("poam.json", "plan-of-action-and-milestones", "import-ssp"),
    ] {
        let href = oscal[name][key][import]["href"].as_str().unwrap();
        assert!(
            out.join("oscal").join(href).is_file(),
            "{what}: {name} imports {href}"
        );
    }

    let results = &oscal["assessment-results.json"]["assessment-results"];
    let evidence = uuids_of(&results["back-matter"]["resources"]);
    for result in array(&results["results"]) {
        let observations = uuids_of(&result["observations"]);
        for o in array(&result["observations"]) {
            for e in array(&o["relevant-evidence"]) {
                let uuid = e["href"].as_str().unwrap().strip_prefix('#').unwrap();
                assert!(evidence.contains(uuid), "{what}: {o}");
            }
        }
        for f in array(&result["findings"]) {
            assert!(
                ids.contains(f["target"]["target-id"].as_str().unwrap()),
                "{what}"
            );
            let statement = f["implementation-statement-uuid"].as_str().unwrap();
            assert!(requirement_uuids.contains(statement), "{what}: {f}");
            for o in array(&f["related-observations"]) {
                assert!(
                    observations.contains(o["observation-uuid"].as_str().unwrap()),
                    "{what}: {f}"
                );
            }
        }
    }

    let poam = &oscal["poam.json"]["plan-of-action-and-milestones"];
    let risks = uuids_of(&poam["risks"]);
    for item in array(&poam["poam-items"]) {
        for r in array(&item["related-risks"]) {
            assert!(risks.contains(r["risk-uuid"].as_str().unwrap()), "{what}");
        }
        if let Some(id) = props(item).get("control-id") {
            assert!(ids.contains(id), "{what}: {id}");
        }
    }
}

#[test]
fn back_matter_resources_carry_the_sha256_the_manifest_lists() {
    let project = Project::sample("acme-health");
    let out = build(&project);
    let manifest = read(&out.join("manifest.json"));
    let hashes: BTreeMap<&str, &str> = array(&manifest["inputs"])
        .iter()
        .map(|i| (i["path"].as_str().unwrap(), i["sha256"].as_str().unwrap()))
        .collect();
    let oscal = files(&out);
    for (name, key) in [
        ("ssp.json", "system-security-plan"),
        ("assessment-results.json", "assessment-results"),
    ] {
        let resources = array(&oscal[name][key]["back-matter"]["resources"]);
        assert!(!resources.is_empty(), "{name}");
        let mut hashed = 0;
        for resource in resources {
            let p = props(resource);
            let file = match p["kind"].as_str() {
                "evidence" => p["origin"].split([':', ' ']).next().unwrap().to_string(),
                _ => "audit.toml".to_string(),
            };
            let rlink = array(&resource["rlinks"])
                .iter()
                .find(|r| r["hashes"].is_array())
                .unwrap_or_else(|| panic!("{name}: {resource} has no hashed rlink"));
            assert_eq!(rlink["href"], file.replace(' ', "%20"), "{resource}");
            let hash = &rlink["hashes"][0];
            assert_eq!(hash["algorithm"], "SHA-256");
            assert_eq!(hash["value"], hashes[file.as_str()], "{file}");
            hashed += 1;
        }
        assert_eq!(hashed, resources.len());
    }
}

#[test]
fn assessment_results_and_poam_follow_the_plans_statuses_and_due_dates() {
    let project = Project::sample("acme-health");
    let out = build(&project);
    let oscal = files(&out);
    let plan = &oscal["ssp.json"]["system-security-plan"];
    let requirements = array(&plan["control-implementation"]["implemented-requirements"]);
    let status_of: BTreeMap<&str, BTreeMap<String, String>> = requirements
        .iter()
        .map(|r| (r["control-id"].as_str().unwrap(), props(r)))
        .collect();
    let with = |wanted: &[&str]| -> BTreeSet<&str> {
        status_of
            .iter()
            .filter(|(_, p)| wanted.contains(&p["status"].as_str()))
            .map(|(id, _)| *id)
            .collect()
    };

    let result = &oscal["assessment-results.json"]["assessment-results"]["results"][0];
    let findings = array(&result["findings"]);
    let found: BTreeSet<&str> = findings
        .iter()
        .map(|f| f["target"]["target-id"].as_str().unwrap())
        .collect();
    assert_eq!(found, with(&["failing", "missing"]));
    assert!(
        !found.is_empty(),
        "acme-health has failing or missing controls"
    );
    for f in findings {
        assert_eq!(f["target"]["status"]["state"], "not-satisfied");
        let id = f["target"]["target-id"].as_str().unwrap();
        let expected = match status_of[id]["status"].as_str() {
            "failing" => "fail",
            _ => "other",
        };
        assert_eq!(f["target"]["status"]["reason"], expected, "{id}");
    }
    let observations = array(&result["observations"]);
    assert!(!observations.is_empty());
    for o in observations {
        let method = o["methods"][0].as_str().unwrap();
        assert!(method == "EXAMINE" || method == "TEST", "{o}");
    }

    let poam = &oscal["poam.json"]["plan-of-action-and-milestones"];
    let risks = array(&poam["risks"]);
    let open: BTreeSet<&str> = risks
        .iter()
        .map(|r| {
            let p = props(r);
            let id = p["control-id"].clone();
            let (control, _) = status_of.get_key_value(id.as_str()).unwrap();
            let plan = &status_of[control];
            let expected = match plan["status"].as_str() {
                "exception" => "deviation-approved",
                _ => "open",
            };
            assert_eq!(r["status"], expected, "{control}");
            let due = plan.get("due").or(plan.get("exception-expires"));
            match due {
                Some(d) => assert_eq!(r["deadline"], format!("{d}T00:00:00Z"), "{control}"),
                None => assert!(r.get("deadline").is_none(), "{control}"),
            }
            *control
        })
        .collect();
    assert_eq!(
        open,
        with(&[
            "partial",
            "stale",
            "failing",
            "missing",
            "inherited-unattested",
            "exception"
        ])
    );
    assert_eq!(array(&poam["poam-items"]).len(), risks.len());
}

/// A by-component read back: (component type, component title, implementation
/// state, has `inherited`, has `satisfied`).
type Part = (String, String, String, bool, bool);

/// One requirement's props and by-components, in document order.
fn parts_of(plan: &Value, framework: &str, label: &str) -> (BTreeMap<String, String>, Vec<Part>) {
    let components: BTreeMap<&str, &Value> = array(&plan["system-implementation"]["components"])
        .iter()
        .map(|c| (c["uuid"].as_str().unwrap(), c))
        .collect();
    let requirement = array(&plan["control-implementation"]["implemented-requirements"])
        .iter()
        .find(|r| props(r)["label"] == label && props(r)["framework"] == framework)
        .unwrap_or_else(|| panic!("no requirement for {label}"));
    let parts = array(&requirement["by-components"])
        .iter()
        .map(|b| {
            let c = components[b["component-uuid"].as_str().unwrap()];
            (
                c["type"].as_str().unwrap().to_string(),
                c["title"].as_str().unwrap().to_string(),
                b["implementation-status"]["state"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                b["inherited"].is_array(),
                b["satisfied"].is_array(),
            )
        })
        .collect();
    (props(requirement), parts)
}

#[test]
fn named_acme_health_controls_have_the_parts_their_responsibility_implies() {
    let project = Project::sample("acme-health");
    let plan = &files(&build(&project))["ssp.json"]["system-security-plan"];
    let provider = |title: &str, state: &str, satisfied: bool| {
        (
            "service".to_string(),
            title.to_string(),
            state.to_string(),
            true,
            satisfied,
        )
    };
    let ours = |state: &str| {
        (
            "this-system".to_string(),
            "Acme Health, Inc. (this system)".to_string(),
            state.to_string(),
            false,
            false,
        )
    };
    // Facility access: shared with every cloud service in scope. Each provider
    // part is inherited (the datacenter) and leaves the customer a satisfied
    // part; no facility evidence is held, so our own part is only planned.
    let (p, parts) = parts_of(plan, "hipaa", "164.310(a)(1)");
    assert_eq!(
        (p["responsibility"].as_str(), p["status"].as_str()),
        ("shared", "missing")
    );
    let mut expected: Vec<_> = [
        "AWS EC2",
        "AWS EKS",
        "AWS Lambda",
        "AWS RDS",
        "AWS S3",
        "Azure App Service",
    ]
    .iter()
    .map(|t| provider(t, "implemented", true))
    .collect();
    expected.push(ours("planned"));
    assert_eq!(parts, expected);
    // Encryption and decryption of ePHI: the customer's alone, evidenced.
    let (p, parts) = parts_of(plan, "hipaa", "164.312(a)(2)(iv)");
    assert_eq!(
        (p["responsibility"].as_str(), p["status"].as_str()),
        ("customer", "satisfied")
    );
    assert_eq!(parts, [ours("implemented")]);
    // Risk analysis, evidence past its window: ours, partial.
    let (p, parts) = parts_of(plan, "hipaa", "164.308(a)(1)(ii)(A)");
    assert_eq!(
        (p["responsibility"].as_str(), p["status"].as_str()),
        ("customer", "stale")
    );
    assert_eq!(parts, [ours("partial")]);
    // Under an exception: our part is an alternative implementation.
    let (p, parts) = parts_of(plan, "hipaa", "164.312(a)(2)(iii)");
    assert_eq!(
        (p["responsibility"].as_str(), p["status"].as_str()),
        ("shared", "exception")
    );
    assert!(p.contains_key("exception-ticket"));
    assert_eq!(parts.last().unwrap(), &ours("alternative"));
    assert!(
        parts[..parts.len() - 1]
            .iter()
            .all(|b| b.3 && b.4 && b.0 == "service")
    );
}

#[test]
fn an_inherited_ledgerly_control_names_only_provider_parts_that_carry_what_is_inherited() {
    let project = Project::sample("ledgerly");
    let plan = &files(&build(&project))["ssp.json"]["system-security-plan"];
    // PCI DSS 9.2.1 (facility entry controls): AWS's datacenters, nothing of ours.
    let (p, parts) = parts_of(plan, "pci-dss", "9.2.1");
    assert_eq!(
        (p["responsibility"].as_str(), p["status"].as_str()),
        ("inherited", "inherited")
    );
    let titles: Vec<&str> = parts.iter().map(|b| b.1.as_str()).collect();
    assert_eq!(titles, ["AWS EC2", "AWS KMS", "AWS Lambda", "AWS RDS"]);
    for (kind, title, state, inherited, satisfied) in &parts {
        assert_eq!(kind, "service", "{title}");
        assert_eq!(state, "implemented", "{title}: backed by the AOC");
        assert!(*inherited && !*satisfied, "{title}");
    }
}
