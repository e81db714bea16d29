//! Tabletop: incident scenarios over fixture estates, through the real binary.

use crate::common::{Project, audit_toml, pdf_text};
use auditpack::load::library::load_library;
use auditpack::load::scenarios::load_scenarios;
use serde_json::Value;

const ATTESTATIONS: &str = "[[attestations]]\nprovider = \"aws\"\nreport = \"soc2-type2\"\nperiod_start = 2025-02-01\nperiod_end = 2026-01-31\nbridge_letter_until = 2026-03-31\n\n[[attestations]]\nprovider = \"aws\"\nreport = \"hipaa-baa\"\nperiod_start = 2024-01-01\n";

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
            "exercise_record",
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
        run.stderr.contains("one of this run's inputs"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read(p.path().join("audit.toml")).unwrap(), before);
}

/// Every framework, so the record row names each one's exercise controls.
const ALL_FRAMEWORKS: &str = "\"hipaa\", \"soc2\", \"iso27001\", \"pci-dss\", \"cis\"";

/// A PHI workload and a cardholder-data one, so HIPAA and PCI DSS both have scope.
const ESTATE: &[(&str, &str, &str)] = &[("aws", "ec2", "phi"), ("aws", "rds", "cde")];

/// The controls issue 19 names for an exercise held, as the snapshot spells them.
const EXERCISE_CONTROLS: [(&str, &str); 9] = [
    ("hipaa", "164.308(a)(7)(ii)(D)"),
    ("pci-dss", "12.10.2"),
    ("iso27001", "A.5.24"),
    ("iso27001", "A.5.25"),
    ("iso27001", "A.5.26"),
    ("iso27001", "A.5.27"),
    ("soc2", "CC7.4"),
    ("soc2", "CC7.5"),
    ("cis", "17.7"),
];

/// The rows of one sheet of a workbook, every cell as text.
fn sheet_rows(path: &std::path::Path, sheet: &str) -> Vec<Vec<calamine::Data>> {
    use calamine::{Reader, Xlsx, open_workbook};
    let mut workbook: Xlsx<_> = open_workbook(path).expect("the workbook opens");
    let range = workbook.worksheet_range(sheet).expect("the sheet exists");
    range.rows().map(|r| r.to_vec()).collect()
}

fn text(cell: &calamine::Data) -> String {
    match cell {
        calamine::Data::String(s) => s.clone(),
        calamine::Data::Empty => String::new(),
        other => panic!("not a text cell: {other:?}"),
    }
}

#[test]
fn a_recorded_exercise_counts_for_the_incident_response_test_controls() {
    let p = Project::empty();
    p.write(
        "audit.toml",
        audit_toml(ALL_FRAMEWORKS, ESTATE, ATTESTATIONS),
    );
    // The facilitator's workbook gives the record row: its Controls cell names the
    // exercise controls of every framework in scope.
    let workbook = p.path().join("worksheet.xlsx");
    let run = p.run(&["tabletop", "{}", "--xlsx", workbook.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let record = sheet_rows(&workbook, "Record");
    let header: Vec<String> = record[0].iter().map(text).collect();
    assert_eq!(
        header,
        [
            "ID",
            "Title",
            "Controls",
            "Date",
            "Result",
            "Owner",
            "Description"
        ]
    );
    let controls = text(&record[1][2]);
    for (framework, id) in EXERCISE_CONTROLS {
        assert!(
            controls.contains(&format!("{framework}:{id}")),
            "{controls}"
        );
    }
    // The JSON and the PDF worksheet say the same.
    let (_, doc) = json(&p, &[]);
    assert_eq!(doc["exercise_record"]["controls"], controls.as_str());
    let pdf = p.path().join("worksheet.pdf");
    p.run(&[
        "tabletop",
        "{}",
        "--scenario",
        "region-outage",
        "--pdf",
        pdf.to_str().unwrap(),
    ]);
    let worksheet = pdf_text(&pdf);
    assert!(worksheet.contains("Record the exercise"), "{worksheet}");
    assert!(worksheet.contains("soc2:CC7.5"), "{worksheet}");
    // Filled in and listed as evidence, the exercise held on 2026-03-10 counts.
    let held = |date: &str| {
        format!(
            "ID,Title,Controls,Date,Result,Owner,Description\nTT-1,Tabletop exercise: leaked-access-key,\"{controls}\",{date},pass,Priya Shah,\"Participants: Priya Shah (facilitator), Dev Patel, Ana Costa\"\n"
        )
    };
    let extra = format!("{ATTESTATIONS}\n[[evidence]]\npath = \"tabletop-exercises.csv\"\n");
    p.write("audit.toml", audit_toml(ALL_FRAMEWORKS, ESTATE, &extra));
    p.write("tabletop-exercises.csv", held("2026-03-10"));
    let snapshot = crate::common::snapshot(&p.build());
    for (framework, id) in EXERCISE_CONTROLS {
        let c = crate::common::control(&snapshot, framework, id);
        assert_eq!(c["status"], "satisfied", "{framework} {id}: {c:#}");
        assert_eq!(c["evidence"][0], "TT-1", "{framework} {id}");
        assert_eq!(c["last_collected"], "2026-03-10");
    }
    // Yearly tests fall due a year after the exercise (their cadence).
    for (framework, id) in [
        ("hipaa", "164.308(a)(7)(ii)(D)"),
        ("pci-dss", "12.10.2"),
        ("cis", "17.7"),
    ] {
        assert_eq!(
            crate::common::control(&snapshot, framework, id)["due"],
            "2027-03-10"
        );
    }
    // An exercise more than a year old no longer shows the yearly test.
    p.write("tabletop-exercises.csv", held("2024-12-01"));
    std::fs::remove_dir_all(p.path().join("pkg")).unwrap();
    let snapshot = crate::common::snapshot(&p.build());
    let c = crate::common::control(&snapshot, "pci-dss", "12.10.2");
    assert_eq!(c["status"], "stale", "{c:#}");
}

#[test]
fn the_facilitators_workbook_has_a_row_per_phase_with_empty_answers() {
    let p = project(
        &["lambda"],
        "[owners]\n\"hipaa\" = { owner = \"=HYPERLINK(\\\"http://x\\\")\" }\n",
    );
    let workbook = p.path().join("worksheet.xlsx");
    let run = p.run(&[
        "tabletop",
        "{}",
        "--scenario",
        "leaked-access-key",
        "--xlsx",
        workbook.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let rows = sheet_rows(&workbook, "Worksheet");
    let header: Vec<String> = rows[0].iter().map(text).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(rows.len(), 1 + 5, "a row per phase");
    let contain = rows
        .iter()
        .find(|r| text(&r[col("Phase")]) == "contain")
        .unwrap();
    assert_eq!(text(&contain[col("Owner")]), "shared");
    assert!(text(&contain[col("Question for the room")]).ends_with('?'));
    assert_eq!(text(&contain[col("Answer / notes")]), "");
    // An owner that reads as a formula is written as text.
    let named = text(&contain[col("Named owners")]);
    assert!(named.starts_with("=HYPERLINK"), "{named}");
    let detect = rows
        .iter()
        .find(|r| text(&r[col("Phase")]) == "detect")
        .unwrap();
    assert_eq!(text(&detect[col("Readiness")]), "gap");
    assert!(text(&detect[col("Gaps")]).contains("164.312(b) missing"));
    // The worksheet never goes over an input.
    let target = p.path().join("audit.toml");
    let run = p.run(&["tabletop", "{}", "--xlsx", target.to_str().unwrap()]);
    assert_eq!(run.code, 2);
}

#[test]
fn the_package_has_a_tabletop_readiness_section_sheet_and_summary() {
    let p = Project::sample("acme-health");
    let package = p.build();
    let text_of_pdf = pdf_text(&package.join("audit-package.pdf"));
    assert!(text_of_pdf.contains("Tabletop readiness"), "no section");
    assert!(
        text_of_pdf.contains("12 scenarios, 12 apply to this estate"),
        "{text_of_pdf}"
    );
    assert!(text_of_pdf.contains("What holds the response back"));
    let rows = sheet_rows(&package.join("audit-workbook.xlsx"), "Tabletop readiness");
    let header: Vec<String> = rows[0].iter().map(text).collect();
    assert_eq!(
        &header[..5],
        ["Scenario", "Title", "Phase", "Owner", "Readiness"]
    );
    assert_eq!(rows.len(), 1 + 12 * 5);
    let snapshot = crate::common::snapshot(&package);
    let scenarios = snapshot["tabletop"].as_array().unwrap();
    assert_eq!(scenarios.len(), 12);
    let vm = scenarios
        .iter()
        .find(|s| s["id"] == "unpatched-vm-exploited")
        .unwrap();
    assert_eq!(vm["phases"][0]["phase"], "detect");
    assert_eq!(vm["phases"][0]["owner"], "customer");
    assert_eq!(vm["phases"][0]["readiness"], "gap");
    assert_eq!(
        vm["phases"][0]["gaps"][0],
        "hipaa 164.308(a)(5)(ii)(B): partial"
    );
}

#[test]
fn diff_shows_phase_owners_and_readiness_that_changed() {
    let old = project(&["ec2"], "");
    let mut csv = String::from("ID,Title,Controls,Collected,Result\n");
    for (i, id) in hipaa_controls("leaked-access-key").iter().enumerate() {
        csv.push_str(&format!(
            "E{i},Evidence for {id},HIPAA {id},2026-03-01,pass\n"
        ));
    }
    let new = project(&["lambda"], "[[evidence]]\npath = \"evidence.csv\"\n");
    new.write("evidence.csv", csv);
    let run = new.run(&[
        "diff",
        old.path().to_str().unwrap(),
        "{}",
        "--format",
        "json",
    ]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    let d: Value = serde_json::from_str(&run.stdout).unwrap();
    let changes = d["tabletop"].as_array().unwrap();
    let contain = changes
        .iter()
        .find(|c| c["scenario"] == "leaked-access-key" && c["phase"] == "contain")
        .expect("the key's containment changed");
    assert_eq!(contain["owner_before"], "customer");
    assert_eq!(contain["owner_after"], "shared");
    let detect = changes
        .iter()
        .find(|c| c["scenario"] == "leaked-access-key" && c["phase"] == "detect")
        .unwrap();
    assert_eq!(detect["readiness_before"], "gap");
    assert_eq!(detect["readiness_after"], "ready");
    assert!(
        detect["gaps_before"]
            .as_array()
            .unwrap()
            .contains(&Value::from("hipaa 164.312(b): missing"))
    );
    let run = new.run(&["diff", old.path().to_str().unwrap(), "{}"]);
    assert!(run.stdout.contains("Tabletop readiness"), "{}", run.stdout);
    assert!(
        run.stdout.contains("leaked-access-key contain"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_snapshot_written_before_readiness_was_kept_still_loads_and_diffs() {
    let p = Project::sample("acme-health");
    let package = p.build();
    let mut snapshot = crate::common::snapshot(&package);
    assert!(snapshot["tabletop"].is_array());
    snapshot.as_object_mut().unwrap().remove("tabletop");
    let old = p.path().join("old-snapshot.json");
    std::fs::write(&old, serde_json::to_vec(&snapshot).unwrap()).unwrap();
    let current = package.join("snapshot.json");
    let run = p.run(&[
        "diff",
        old.to_str().unwrap(),
        current.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    let d: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(d["tabletop"], Value::Array(vec![]));
}

#[test]
fn a_focused_package_judges_readiness_by_the_frameworks_it_keeps() {
    let p = Project::empty();
    p.write(
        "audit.toml",
        audit_toml(ALL_FRAMEWORKS, ESTATE, ATTESTATIONS),
    );
    let out = p.path().join("soc2");
    let run = p.run(&[
        "build",
        "{}",
        "--framework",
        "soc2",
        "--format",
        "xlsx",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = sheet_rows(&out.join("audit-workbook.xlsx"), "Tabletop readiness");
    let controls: Vec<String> = rows[1..].iter().map(|r| text(&r[7])).collect();
    assert!(controls.iter().any(|c| c.contains("soc2 CC7.2")));
    assert!(
        controls.iter().all(|c| !c.contains("hipaa ")),
        "{controls:?}"
    );
    // Focused on some responsibilities, a phase's controls are cut apart: no sheet.
    let out = p.path().join("customer");
    let run = p.run(&[
        "build",
        "{}",
        "--responsibility",
        "customer",
        "--format",
        "xlsx",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    use calamine::Reader;
    let workbook: calamine::Xlsx<_> =
        calamine::open_workbook(out.join("audit-workbook.xlsx")).unwrap();
    assert!(
        !workbook
            .sheet_names()
            .contains(&"Tabletop readiness".to_string())
    );
}

#[test]
fn diff_names_a_scenario_that_came_to_apply() {
    let old = project(&["ec2"], "");
    let new = project(&["ec2", "eks"], "");
    let run = new.run(&[
        "diff",
        old.path().to_str().unwrap(),
        "{}",
        "--format",
        "json",
    ]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    let d: Value = serde_json::from_str(&run.stdout).unwrap();
    let pod = d["tabletop"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["scenario"] == "cluster-pod-escape")
        .expect("the pod escape now applies");
    assert_eq!(pod["phase"], Value::Null);
    assert_eq!(pod["readiness_before"], Value::Null);
    assert_eq!(pod["readiness_after"], "gap");
}
