//! Tabletop: incident scenarios over fixture estates, through the real binary.

use crate::common::{Project, audit_toml, pdf_text};
use auditpack::load::library::load_library;
use auditpack::load::scenarios::load_scenarios;
use serde_json::Value;

const ATTESTATIONS: &str = "[[attestations]]\nprovider = \"aws\"\nreport = \"soc2-type2\"\nperiod_start = 2025-04-01\nperiod_end = 2026-03-31\n\n[[attestations]]\nprovider = \"aws\"\nreport = \"hipaa-baa\"\nperiod_start = 2024-01-01\n";

/// A HIPAA project over these AWS services, with `extra` appended to audit.toml.
fn project(services: &[&str], extra: &str) -> Project {
    let inventory: Vec<(&str, &str, &str)> = services.iter().map(|s| ("aws", *s, "phi")).collect();
    let project = Project::empty();
    project.write(
        "audit.toml",
        audit_toml("\"hipaa\"", &inventory, &format!("{ATTESTATIONS}\n{extra}")),
    );
    project
}

fn json(project: &Project, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["tabletop", "{}", "--format", "json"];
    all.extend_from_slice(args);
    let run = project.run(&all);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    (run.code, serde_json::from_str(&run.stdout).expect("JSON"))
}

fn scenario<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("no scenario {id}"))
}

fn phase<'a>(scenario: &'a Value, phase: &str) -> &'a Value {
    scenario["phases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["phase"] == phase)
        .unwrap_or_else(|| panic!("no phase {phase}"))
}

#[test]
fn every_scenario_and_control_id_resolves() {
    let library = load_library(None).unwrap();
    let catalog = load_scenarios(&library).expect("the shipped scenarios load and resolve");
    assert!(catalog.scenarios.len() >= 12);
    for s in &catalog.scenarios {
        assert!(!s.source.is_empty(), "{} cites no source", s.id);
        for p in &s.phases {
            for framework in ["hipaa", "soc2", "iso27001", "pci-dss", "cis"] {
                assert!(
                    p.controls.get(framework).is_some_and(|ids| !ids.is_empty()),
                    "{} {:?} names no {framework} control",
                    s.id,
                    p.phase
                );
            }
        }
    }
    // The check is not vacuous: a wrong id is caught.
    let mut broken = catalog.clone();
    broken.scenarios[0].phases[0]
        .controls
        .insert("hipaa".into(), vec!["164.308(a)(9)".into()]);
    broken.scenarios[0].phases[1].common.push("IAM-99".into());
    let problems = broken.check(&library);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("hipaa has no control 164.308(a)(9)")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("no common control IAM-99"))
    );
}

#[test]
fn a_leaked_key_is_the_customers_to_catch_on_iaas_and_shared_on_lambda() {
    let (_, doc) = json(&project(&["ec2"], ""), &["--scenario", "leaked-access-key"]);
    let key = scenario(&doc, "leaked-access-key");
    assert_eq!(key["applies"], true);
    assert_eq!(phase(key, "detect")["owner"], "customer");
    assert_eq!(phase(key, "contain")["owner"], "customer");
    assert!(
        phase(key, "contain")["rationale"]
            .as_str()
            .unwrap()
            .contains("identity and directory infrastructure"),
        "{}",
        phase(key, "contain")["rationale"]
    );
    let (_, doc) = json(
        &project(&["lambda"], ""),
        &["--scenario", "leaked-access-key"],
    );
    let key = scenario(&doc, "leaked-access-key");
    assert_eq!(phase(key, "contain")["owner"], "shared");
    assert!(
        phase(key, "contain")["by_part"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["part"] == "Lambda" && p["owner"] == "shared with AWS")
    );
}

#[test]
fn a_region_outage_is_recovered_together_with_the_provider() {
    let (_, doc) = json(&project(&["ec2"], ""), &["--scenario", "region-outage"]);
    let outage = scenario(&doc, "region-outage");
    let recover = phase(outage, "recover");
    assert_eq!(recover["owner"], "shared");
    let why = recover["rationale"].as_str().unwrap();
    assert!(why.contains("physical hosts and hypervisor: AWS"), "{why}");
    assert!(why.contains("continuity and backup: customer"), "{why}");
    assert_eq!(phase(outage, "eradicate")["owner"], "provider");
}

#[test]
fn a_cluster_scenario_needs_a_cluster_and_says_so() {
    let (_, doc) = json(&project(&["ec2", "rds"], ""), &[]);
    let pod = scenario(&doc, "cluster-pod-escape");
    assert_eq!(pod["applies"], false);
    let why = pod["not_applicable_reason"].as_str().unwrap();
    assert!(
        why.contains("needs a managed Kubernetes cluster (EKS, AKS, GKE)")
            && why.contains("EC2, RDS"),
        "{why}"
    );
    assert!(pod["phases"].as_array().unwrap().is_empty());
    let (_, doc) = json(
        &project(&["eks"], ""),
        &["--scenario", "cluster-pod-escape"],
    );
    let pod = scenario(&doc, "cluster-pod-escape");
    assert_eq!(pod["applies"], true);
    assert_eq!(phase(pod, "contain")["owner"], "customer");
}

/// The HIPAA controls behind every phase of a scenario, from the shipped catalog.
fn hipaa_controls(id: &str) -> Vec<String> {
    let library = load_library(None).unwrap();
    let catalog = load_scenarios(&library).unwrap();
    let s = catalog.scenarios.iter().find(|s| s.id == id).unwrap();
    let mut ids: Vec<String> = s
        .phases
        .iter()
        .flat_map(|p| p.controls["hipaa"].iter().cloned())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

#[test]
fn missing_controls_are_a_gap_and_passing_evidence_makes_the_phase_ready() {
    let bare = project(&["ec2"], "");
    let run = bare.run(&["tabletop", "{}", "--scenario", "leaked-access-key"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.contains("GAP"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("gap: hipaa 164.312(b) missing: no evidence"),
        "{}",
        run.stdout
    );
    let (code, doc) = json(&bare, &["--scenario", "leaked-access-key"]);
    assert_eq!(code, 1);
    let detect = phase(scenario(&doc, "leaked-access-key"), "detect");
    assert_eq!(detect["readiness"], "gap");
    assert!(
        detect["controls"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == "164.312(b)" && c["status"] == "missing")
    );

    let mut csv = String::from("ID,Title,Controls,Collected,Result\n");
    for (i, id) in hipaa_controls("leaked-access-key").iter().enumerate() {
        csv.push_str(&format!(
            "E{i},Evidence for {id},HIPAA {id},2026-03-01,pass\n"
        ));
    }
    let ready = project(
        &["ec2"],
        "[owners]\n\"hipaa:164.308(a)(6)(ii)\" = { owner = \"IR Lead\" }\n\n[[evidence]]\npath = \"evidence.csv\"\n",
    );
    ready.write("evidence.csv", csv);
    let (code, doc) = json(&ready, &["--scenario", "leaked-access-key"]);
    let key = scenario(&doc, "leaked-access-key");
    for p in key["phases"].as_array().unwrap() {
        assert_eq!(p["readiness"], "ready", "{p:#}");
    }
    assert_eq!(code, 0);
    assert!(
        phase(key, "notify")["named_owners"]
            .as_array()
            .unwrap()
            .contains(&Value::from("IR Lead"))
    );
    assert_eq!(doc["summary"]["phases_with_gaps"], 0);
}

#[test]
fn json_keys_are_stable() {
    let (_, doc) = json(&project(&["ec2"], ""), &[]);
    let keys = |v: &Value| {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(doc["tabletop_schema_version"], 1);
    assert_eq!(
        keys(&doc),
        [
            "as_of",
            "catalog_version",
            "frameworks",
            "organization",
            "scenarios",
            "summary",
            "tabletop_schema_version"
        ]
    );
    assert_eq!(
        keys(&doc["summary"]),
        [
            "applicable",
            "phases_with_gaps",
            "ready",
            "scenarios",
            "with_gaps"
        ]
    );
    let key = scenario(&doc, "leaked-access-key");
    assert_eq!(
        keys(key),
        [
            "affected",
            "applies",
            "id",
            "layers",
            "not_applicable_reason",
            "phases",
            "source",
            "summary",
            "title"
        ]
    );
    let detect = phase(key, "detect");
    assert_eq!(
        keys(detect),
        [
            "by_part",
            "checks",
            "common",
            "controls",
            "gaps",
            "layers",
            "named_owners",
            "owner",
            "phase",
            "question",
            "rationale",
            "readiness"
        ]
    );
    assert_eq!(
        keys(&detect["controls"][0]),
        [
            "framework",
            "id",
            "owner",
            "status",
            "status_reason",
            "title"
        ]
    );
    assert_eq!(keys(&detect["common"][0]), ["id", "title"]);
    assert_eq!(keys(&detect["by_part"][0]), ["layer", "owner", "part"]);
    assert_eq!(detect["layers"][0], "logging");
}

#[test]
fn hostile_text_stays_data() {
    let hostile = project(
        &["ec2"],
        "[owners]\n\"hipaa\" = { owner = \"Eve\\u001b[2J\\u009b31m #eval(\\\"1\\\")\" }\n\n[[sites]]\nname = \"Clinic\\u001b]0;pwned\\u0007\"\nkind = \"clinic\"\nholds = [\"workstations\"]\ntags = [\"phi\"]\n",
    );
    let run = hostile.run(&["tabletop", "{}", "--scenario", "workstation-ransomware"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        !run.stdout.chars().any(|c| c.is_control() && c != '\n'),
        "a control character reached the terminal"
    );
    assert!(run.stdout.contains("Eve\\u{1b}[2J"), "{}", run.stdout);
    let run = hostile.run(&["tabletop", "{}", "--format", "json"]);
    assert!(!run.stdout.chars().any(|c| c.is_control() && c != '\n'));
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    let ransomware = scenario(&doc, "workstation-ransomware");
    assert_eq!(ransomware["affected"][0], "Clinic\u{1b}]0;pwned\u{7}");
    // The worksheet prints the owner as text; `#eval` does not run.
    let pdf = hostile.path().join("worksheet.pdf");
    let run = hostile.run(&[
        "tabletop",
        "{}",
        "--scenario",
        "workstation-ransomware",
        "--pdf",
        pdf.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    assert!(text.contains("#eval(\"1\")"), "{text}");
    assert!(
        text.contains("Who isolates the device and the share"),
        "{text}"
    );
}

#[test]
fn an_unknown_scenario_is_an_error_with_a_suggestion_and_inputs_are_never_overwritten() {
    let p = project(&["ec2"], "");
    let run = p.run(&["tabletop", "{}", "--scenario", "leaked-acess-key"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean \"leaked-access-key\"?"),
        "{}",
        run.stderr
    );
    let before = std::fs::read(p.path().join("audit.toml")).unwrap();
    let target = p.path().join("audit.toml");
    let run = p.run(&["tabletop", "{}", "--pdf", target.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("one of the project's inputs"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read(p.path().join("audit.toml")).unwrap(), before);
}
