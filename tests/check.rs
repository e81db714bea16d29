//! Check: the CI gate's rules trip and pass, its exit codes, `[check]` and its
//! flags, and the SARIF, JUnit and GitLab reports read back.

use crate::common::Project;
use serde_json::Value;
use std::collections::BTreeSet;

fn fixture() -> Project {
    Project::fixture("check")
}

/// `check {} ARGS --format json`: the exit code and the verdict.
fn verdict(project: &Project, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["check", "{}", "--format", "json"];
    all.extend_from_slice(args);
    let run = project.run(&all);
    assert!(run.code == 0 || run.code == 1, "{run:?}");
    (
        run.code,
        serde_json::from_str(&run.stdout).expect("the verdict is JSON"),
    )
}

/// (rule, level, control) of every violation.
fn caught(v: &Value) -> BTreeSet<(String, String, String)> {
    v["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["rule"].as_str().unwrap().to_string(),
                x["level"].as_str().unwrap().to_string(),
                x["control"].as_str().unwrap_or("-").to_string(),
            )
        })
        .collect()
}

fn has(v: &Value, rule: &str, level: &str, control: &str) -> bool {
    caught(v).contains(&(rule.to_string(), level.to_string(), control.to_string()))
}

#[test]
fn fail_on_defaults_to_missing_and_failing_and_exits_1() {
    let project = fixture();
    let (code, v) = verdict(&project, &[]);
    assert_eq!(code, 1);
    assert_eq!(v["check_schema_version"], 1);
    assert_eq!(v["passed"], false);
    assert_eq!(
        v["rules"]["fail_on"],
        serde_json::json!(["missing", "failing"])
    );
    let failing = v["violations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["control"] == "164.308(a)(1)(ii)(D)")
        .expect("the failing control tripped fail-on");
    assert_eq!(failing["status"], "failing");
    assert_eq!(failing["framework"], "hipaa");
    assert_eq!(failing["responsibility"], "customer");
    assert_eq!(failing["owner"], "Owner One");
    assert_eq!(failing["due"], "2026-06-18");
    assert_eq!(failing["evidence"][0]["id"], "E2");
    assert_eq!(failing["evidence"][0]["source"], "evidence.csv:3");
    assert!(
        failing["reason"].as_str().unwrap().contains("E2"),
        "{failing:#}"
    );
    assert!(
        has(&v, "fail-on", "error", "164.308(a)(2)"),
        "missing trips too"
    );
    assert!(
        !has(&v, "fail-on", "error", "164.308(a)(1)"),
        "satisfied does not"
    );

    let (code, v) = verdict(&project, &["--fail-on", "partial,inherited-unattested"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["passed"], true);
    assert_eq!(v["violations"], serde_json::json!([]));
    let (code, v) = verdict(&project, &["--fail-on", "exception"]);
    assert_eq!(code, 1);
    assert_eq!(caught(&v).len(), 1);
    assert!(has(&v, "fail-on", "error", "164.312(a)(2)(iii)"));
}

#[test]
fn warn_on_reports_without_failing() {
    let project = fixture();
    let (code, v) = verdict(
        &project,
        &["--fail-on", "partial", "--warn-on", "stale,failing"],
    );
    assert_eq!(code, 0, "warnings pass the gate");
    assert!(has(&v, "warn-on", "warning", "164.308(a)(1)(ii)(C)"));
    assert!(has(&v, "warn-on", "warning", "164.308(a)(1)(ii)(D)"));
    assert_eq!(v["warnings"], 2);
    // A status both fails and warns: it fails, once.
    let (code, v) = verdict(&project, &["--fail-on", "stale", "--warn-on", "stale"]);
    assert_eq!(code, 1);
    assert_eq!(caught(&v).len(), 1);
    assert!(has(&v, "fail-on", "error", "164.308(a)(1)(ii)(C)"));
}

#[test]
fn min_coverage_trips_below_the_threshold_overall_and_per_framework() {
    let project = fixture();
    let (_, v) = verdict(&project, &["--fail-on", "partial"]);
    let coverage = v["coverage"][0]["coverage"].as_f64().unwrap();
    assert_eq!(v["overall"]["coverage"].as_f64(), Some(coverage));
    assert!(coverage > 0.0 && coverage < 100.0, "{coverage}");
    let at = |pct: f64| format!("{pct:.1}");
    for flag in [at(coverage), format!("hipaa={}", at(coverage))] {
        let (code, v) = verdict(&project, &["--fail-on", "partial", "--min-coverage", &flag]);
        assert_eq!(code, 0, "{flag}: {v:#}");
    }
    let (code, v) = verdict(
        &project,
        &[
            "--fail-on",
            "partial",
            "--min-coverage",
            &at(coverage + 0.1),
        ],
    );
    assert_eq!(code, 1);
    let tripped = &v["violations"][0];
    assert_eq!(tripped["rule"], "min-coverage");
    assert_eq!(tripped["framework"], Value::Null, "the pooled threshold");
    let (code, v) = verdict(
        &project,
        &[
            "--fail-on",
            "partial",
            "--min-coverage",
            &format!("HIPAA={}%", at(coverage + 0.1)),
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(v["violations"][0]["framework"], "hipaa");
    assert_eq!(v["coverage"][0]["threshold"].as_f64(), Some(coverage + 0.1));

    let run = project.run(&["check", "{}", "--min-coverage", "hipa=80"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean \"hipaa\""),
        "{}",
        run.stderr
    );
    let run = project.run(&["check", "{}", "--min-coverage", "180"]);
    assert_eq!(run.code, 2, "clap rejects it: {}", run.stderr);
}

#[test]
fn expiring_within_catches_exceptions_evidence_and_attestations() {
    let project = fixture();
    let (code, v) = verdict(
        &project,
        &["--fail-on", "partial", "--expiring-within", "44"],
    );
    assert_eq!(code, 0, "{v:#}");
    let (code, v) = verdict(
        &project,
        &["--fail-on", "partial", "--expiring-within", "45"],
    );
    assert_eq!(code, 1);
    assert_eq!(caught(&v).len(), 1);
    let exception = &v["violations"][0];
    assert_eq!(exception["control"], "164.312(a)(2)(iii)");
    assert_eq!(exception["due"], "2026-05-15");
    assert!(exception["reason"].as_str().unwrap().contains("SEC-7"));
    let (_, v) = verdict(
        &project,
        &["--fail-on", "partial", "--expiring-within", "60"],
    );
    assert!(
        has(&v, "expiring-within", "error", "164.308(a)(1)"),
        "E1 falls due 2026-05-30"
    );
    assert_eq!(caught(&v).len(), 2);

    // A later as-of date: the AWS certificate lapses on 2026-12-31.
    let (code, v) = verdict(
        &project,
        &[
            "--fail-on",
            "partial",
            "--as-of",
            "2026-12-15",
            "--expiring-within",
            "30",
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(v["as_of"], "2026-12-15");
    let attestation = v["violations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["control"].is_null())
        .expect("the lapsing attestation");
    assert!(
        attestation["reason"]
            .as_str()
            .unwrap()
            .contains("2026-12-31"),
        "{attestation:#}"
    );
    let (_, v) = verdict(&project, &["--fail-on", "partial", "--as-of", "today"]);
    assert_eq!(
        v["as_of"],
        chrono::Local::now().date_naive().to_string(),
        "today is the clock's"
    );
}

#[test]
fn a_baseline_ignores_old_gaps_and_catches_a_new_one() {
    let project = fixture();
    let package = project.build();
    let snapshot = package.join("snapshot.json");
    let snapshot = snapshot.to_str().unwrap();
    let (code, v) = verdict(&project, &["--baseline", snapshot, "--min-coverage", "90"]);
    assert_eq!(code, 0, "nothing got worse: {v:#}");
    assert_eq!(v["errors"], 0);
    assert!(
        has(&v, "fail-on", "note", "164.308(a)(1)(ii)(D)"),
        "old gaps stay visible"
    );
    assert!(has(&v, "min-coverage", "note", "-"));

    // 164.308(a)(1) was satisfied in the baseline and fails now.
    let csv = std::fs::read_to_string(project.path().join("evidence.csv")).unwrap();
    project.write(
        "evidence.csv",
        csv.replace("2026-03-01,pass", "2026-03-01,fail"),
    );
    let (code, v) = verdict(&project, &["--baseline", snapshot, "--min-coverage", "90"]);
    assert_eq!(code, 1);
    let errors: Vec<&Value> = v["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["level"] == "error")
        .collect();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert_eq!(errors[0]["control"], "164.308(a)(1)");
    assert_eq!(errors[0]["baseline"], "worse");
    assert_eq!(errors[1]["rule"], "min-coverage", "coverage fell too");
}

#[test]
fn rules_in_audit_toml_apply_and_flags_override_them() {
    let project = fixture();
    let toml = std::fs::read_to_string(project.path().join("audit.toml")).unwrap();
    project.write(
        "audit.toml",
        format!(
            "{toml}\n[check]\nfail_on = [\"partial\"]\nwarn_on = [\"stale\"]\nexpiring_within = 45\n[check.min_coverage_by_framework]\nhipaa = 1\n"
        ),
    );
    let (code, v) = verdict(&project, &[]);
    assert_eq!(code, 1, "the exception lapses within 45 days");
    assert_eq!(v["rules"]["fail_on"], serde_json::json!(["partial"]));
    assert_eq!(
        v["rules"]["min_coverage_by_framework"]["hipaa"].as_f64(),
        Some(1.0)
    );
    assert!(has(&v, "warn-on", "warning", "164.308(a)(1)(ii)(C)"));
    let (code, v) = verdict(&project, &["--expiring-within", "10"]);
    assert_eq!(code, 0, "the flag overrides [check]: {v:#}");
    let (code, _) = verdict(
        &project,
        &["--expiring-within", "10", "--min-coverage", "hipaa=99"],
    );
    assert_eq!(code, 1);
    let (code, v) = verdict(
        &project,
        &["--expiring-within", "10", "--fail-on", "failing"],
    );
    assert_eq!(code, 1);
    assert!(has(&v, "fail-on", "error", "164.308(a)(1)(ii)(D)"));

    // Errors name the line of audit.toml as written.
    let line_of =
        |text: &str, needle: &str| text.lines().position(|l| l.starts_with(needle)).unwrap() + 1;
    let typo = format!(
        "{toml}\n[check]\nfail_on = [\"partial\"]\n[check.min_coverage_by_framework]\nhipa = 1\n"
    );
    project.write("audit.toml", &typo);
    let run = project.run(&["check", "{}"]);
    assert_eq!(run.code, 2);
    let expected = format!(
        "[PROJECT]/audit.toml:{}:1: [check] min_coverage_by_framework: hipa is not among",
        line_of(&typo, "hipa =")
    );
    assert!(run.stderr.contains(&expected), "{}", run.stderr);
    let unknown = format!("{toml}\n[check]\nfail_of = [\"partial\"]\n");
    project.write("audit.toml", &unknown);
    let run = project.run(&["check", "{}"]);
    assert_eq!(run.code, 2);
    let expected = format!("audit.toml:{}:1", line_of(&unknown, "fail_of"));
    assert!(run.stderr.contains(&expected), "{}", run.stderr);
}

#[test]
fn the_text_verdict_is_short_and_names_what_tripped() {
    let project = fixture();
    let run = project.run(&["check", "{}", "--fail-on", "failing", "--warn-on", "stale"]);
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines[0].starts_with("check FAILED for Gate Fixture Ltd as of 2026-03-31: 1 violation")
    );
    assert_eq!(lines[1], "rules: fails on failing; warns on stale");
    assert!(run.stdout.contains(
        "error: hipaa 164.308(a)(1)(ii)(D) Information system activity review: failing:"
    ));
    assert!(run.stdout.contains("warning: hipaa 164.308(a)(1)(ii)(C)"));
    assert!(
        run.stdout
            .contains("see every violation: auditpack check [PROJECT] --format json")
    );
    assert!(lines.len() < 15, "{}", run.stdout);
    let run = project.run(&["check", "{}", "--fail-on", "partial"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with("check passed"), "{}", run.stdout);
}

/// The fixture with hostile evidence: markup, quotes, ampersands and control characters.
const HOSTILE: &str = "E2</testcase><script>\"&'\u{1b}[2J\u{0}\u{7}";

fn hostile() -> Project {
    let project = fixture();
    let csv = std::fs::read_to_string(project.path().join("evidence.csv")).unwrap();
    let quoted = format!("\"{}\"", HOSTILE.replace('"', "\"\""));
    project.write(
        "evidence.csv",
        csv.replace("E2,Activity review", &format!("{quoted},{quoted}")),
    );
    project
}

/// Run check with every report; returns (sarif, junit, codequality, stdout).
fn reports(project: &Project, args: &[&str]) -> (Value, String, Value, String) {
    let dir = project.path().join("reports");
    std::fs::create_dir_all(&dir).unwrap();
    let (sarif, junit, cq) = (
        dir.join("a.sarif"),
        dir.join("junit.xml"),
        dir.join("cq.json"),
    );
    let mut all = vec![
        "check",
        "{}",
        "--sarif",
        sarif.to_str().unwrap(),
        "--junit",
        junit.to_str().unwrap(),
        "--gitlab-codequality",
        cq.to_str().unwrap(),
    ];
    all.extend_from_slice(args);
    let run = project.run(&all);
    assert_eq!(run.code, 1, "{run:?}");
    let read = |p: &std::path::Path| std::fs::read_to_string(p).unwrap();
    (
        serde_json::from_str(&read(&sarif)).unwrap(),
        read(&junit),
        serde_json::from_str(&read(&cq)).unwrap(),
        run.stdout,
    )
}

#[test]
fn sarif_has_a_rule_per_gate_rule_and_a_located_result_per_control() {
    let project = hostile();
    let (sarif, _, _, _) = reports(
        &project,
        &["--warn-on", "stale", "--min-coverage", "hipaa=50"],
    );
    assert_eq!(sarif["version"], "2.1.0");
    assert!(
        sarif["$schema"]
            .as_str()
            .unwrap()
            .ends_with("sarif-schema-2.1.0.json")
    );
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "auditpack");
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["fail-on", "warn-on", "min-coverage"]);
    for rule in run["tool"]["driver"]["rules"].as_array().unwrap() {
        assert!(rule["shortDescription"]["text"].is_string());
        assert!(rule["fullDescription"]["text"].is_string());
    }
    let results = run["results"].as_array().unwrap();
    let mut seen = BTreeSet::new();
    for r in results {
        let rule = r["ruleId"].as_str().unwrap();
        assert_eq!(rules[r["ruleIndex"].as_u64().unwrap() as usize], rule);
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
        assert!(!r["message"]["text"].as_str().unwrap().is_empty());
        let physical = &r["locations"][0]["physicalLocation"];
        let uri = physical["artifactLocation"]["uri"].as_str().unwrap();
        assert!(uri == "audit.toml" || uri == "evidence.csv", "{uri}");
        assert!(physical["region"]["startLine"].as_u64().unwrap() >= 1);
        let print = r["partialFingerprints"]["auditpackControl/v1"]
            .as_str()
            .unwrap();
        assert_eq!(print.len(), 64);
        assert!(seen.insert(print.to_string()), "fingerprints are unique");
    }
    let located = |control: &str| {
        let r = results
            .iter()
            .find(|r| r["properties"]["control"] == control)
            .unwrap();
        let p = &r["locations"][0]["physicalLocation"];
        (
            p["artifactLocation"]["uri"].as_str().unwrap().to_string(),
            p["region"]["startLine"].as_u64().unwrap(),
        )
    };
    assert_eq!(
        located("164.308(a)(1)(ii)(D)"),
        ("evidence.csv".to_string(), 3)
    );
    assert_eq!(
        located("164.308(a)(1)(ii)(C)"),
        ("evidence.csv".to_string(), 4)
    );
    assert_eq!(
        located("164.308(a)(2)"),
        ("audit.toml".to_string(), 11),
        "the framework entry"
    );
    let coverage = results
        .iter()
        .find(|r| r["ruleId"] == "min-coverage")
        .unwrap();
    assert_eq!(
        coverage["locations"][0]["physicalLocation"]["region"]["startLine"],
        11
    );
    let failing = results
        .iter()
        .find(|r| r["properties"]["control"] == "164.308(a)(1)(ii)(D)")
        .unwrap();
    assert!(
        failing["message"]["text"]
            .as_str()
            .unwrap()
            .contains(HOSTILE),
        "the evidence id is data, read back whole"
    );
    // Fingerprints do not move between runs.
    let (again, _, _, _) = reports(
        &project,
        &["--warn-on", "stale", "--min-coverage", "hipaa=50"],
    );
    assert_eq!(again, sarif);
}

#[test]
fn junit_has_a_suite_per_framework_and_a_case_per_control() {
    let project = hostile();
    let (_, junit, _, _) = reports(&project, &["--min-coverage", "99", "--warn-on", "stale"]);
    let doc = roxmltree::Document::parse(&junit).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<roxmltree::Node> = root.children().filter(|n| n.is_element()).collect();
    assert_eq!(suites.len(), 2, "hipaa, and the gate's own suite");
    assert_eq!(
        suites[0].attribute("name"),
        Some("HIPAA Security Rule (hipaa)")
    );
    assert_eq!(suites[1].attribute("name"), Some("auditpack check"));
    let cases: Vec<roxmltree::Node> = suites[0]
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    let snapshot = crate::common::snapshot(&project.build());
    let controls = snapshot["frameworks"][0]["controls"].as_array().unwrap();
    assert_eq!(cases.len(), controls.len(), "one case per control");
    assert_eq!(
        suites[0].attribute("tests"),
        Some(controls.len().to_string().as_str())
    );
    let case = |id: &str| {
        *cases
            .iter()
            .find(|c| c.attribute("name").unwrap().starts_with(&format!("{id} ")))
            .unwrap()
    };
    let failure = case("164.308(a)(1)(ii)(D)")
        .children()
        .find(|n| n.has_tag_name("failure"))
        .expect("a failing control fails");
    assert_eq!(failure.attribute("type"), Some("fail-on"));
    let escaped = HOSTILE.replace(['\u{1b}', '\u{0}', '\u{7}'], "");
    let message = failure.attribute("message").unwrap();
    assert!(
        message.contains("E2</testcase><script>\"&'\\u{1b}[2J\\u{0}\\u{7}"),
        "{message}"
    );
    assert!(failure.text().unwrap().contains(&escaped[..20]));
    let skipped = case("164.308(a)(4)(ii)(A)");
    assert!(skipped.children().any(|n| n.has_tag_name("skipped")));
    let passed = case("164.308(a)(1)");
    assert_eq!(passed.children().filter(|n| n.is_element()).count(), 0);
    let warned = case("164.308(a)(1)(ii)(C)");
    assert!(warned.children().any(|n| n.has_tag_name("system-out")));
    assert!(!warned.children().any(|n| n.has_tag_name("failure")));
    let failures = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
        .count();
    assert_eq!(
        suites[0].attribute("failures"),
        Some(failures.to_string().as_str())
    );
    let expected_failures = controls
        .iter()
        .filter(|c| c["status"] == "missing" || c["status"] == "failing")
        .count();
    assert_eq!(failures, expected_failures);
    assert_eq!(
        suites[0].attribute("skipped"),
        Some(
            controls
                .iter()
                .filter(|c| c["status"] == "not-applicable")
                .count()
                .to_string()
                .as_str()
        )
    );
    let coverage: Vec<roxmltree::Node> = suites[1]
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(coverage.len(), 1);
    assert!(coverage[0].children().any(|n| n.has_tag_name("failure")));
    assert!(!junit.contains('\u{1b}') && !junit.contains('\u{0}'));
}

#[test]
fn gitlab_code_quality_issues_carry_every_field() {
    let project = hostile();
    let (_, _, cq, stdout) = reports(&project, &["--warn-on", "stale"]);
    let issues = cq.as_array().unwrap();
    assert!(!issues.is_empty());
    for issue in issues {
        for field in ["description", "check_name", "fingerprint", "severity"] {
            assert!(
                issue[field].as_str().is_some_and(|s| !s.is_empty()),
                "{field}: {issue:#}"
            );
        }
        assert!(["major", "minor", "info"].contains(&issue["severity"].as_str().unwrap()));
        assert!(issue["location"]["path"].is_string());
        assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
    }
    let failing = issues
        .iter()
        .find(|i| {
            i["description"]
                .as_str()
                .unwrap()
                .contains("164.308(a)(1)(ii)(D)")
        })
        .unwrap();
    assert_eq!(failing["check_name"], "fail-on");
    assert_eq!(failing["severity"], "major");
    assert_eq!(failing["location"]["path"], "evidence.csv");
    assert_eq!(failing["location"]["lines"]["begin"], 3);
    assert!(failing["description"].as_str().unwrap().contains(HOSTILE));
    let stale = issues
        .iter()
        .find(|i| i["check_name"] == "warn-on")
        .unwrap();
    assert_eq!(stale["severity"], "minor");
    let prints: BTreeSet<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(prints.len(), issues.len());
    // The text verdict shows the control characters escaped.
    assert!(
        stdout.contains("E2</testcase><script>\"&'\\u{1b}[2J"),
        "{stdout}"
    );
    assert!(!stdout.contains('\u{1b}') && !stdout.contains('\u{0}'));
    // The JSON verdict reads back the very text, every control character escaped.
    let run = project.run(&["check", "{}", "--format", "json"]);
    assert!(!run.stdout.contains('\u{1b}') && !run.stdout.contains('\u{0}'));
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    let cited = v["violations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["control"] == "164.308(a)(1)(ii)(D)")
        .unwrap();
    assert_eq!(cited["evidence"][0]["id"], HOSTILE);
    assert_eq!(cited["evidence"][0]["title"], HOSTILE);
}

#[test]
fn reports_never_replace_the_projects_inputs() {
    let project = fixture();
    let before = std::fs::read(project.path().join("evidence.csv")).unwrap();
    for flag in ["--sarif", "--junit", "--gitlab-codequality"] {
        let run = project.run(&["check", "{}", flag, "{}/evidence.csv"]);
        assert_eq!(run.code, 2, "{run:?}");
        assert!(
            run.stderr.contains("is one of this run's inputs"),
            "{}",
            run.stderr
        );
    }
    let run = project.run(&["check", "{}", "--sarif", "{}"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        std::fs::read(project.path().join("evidence.csv")).unwrap(),
        before
    );
    let leftovers: Vec<_> = std::fs::read_dir(project.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("partial"))
        .collect();
    assert!(leftovers.is_empty());
}

/// The SARIF log of `check ARGS` on `project`, whatever the verdict.
fn sarif_of(project: &Project, args: &[&str]) -> Value {
    let path = project.path().join("schema-check.sarif");
    let mut all = vec!["check", "{}", "--sarif", path.to_str().unwrap()];
    all.extend_from_slice(args);
    let run = project.run(&all);
    assert!(run.code == 0 || run.code == 1, "{run:?}");
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

#[test]
fn sarif_validates_against_the_official_schema_and_every_result_is_located() {
    use crate::schemas::{SARIF, assert_valid};
    let plain = fixture();
    let snapshot = plain.build().join("snapshot.json");
    let baseline = snapshot.to_str().unwrap().to_string();
    let acme = Project::sample("acme-health");
    let hostile = hostile();
    let cases: Vec<(&str, &Project, Vec<&str>)> = vec![
        ("the check fixture", &plain, vec![]),
        (
            "the check fixture against a baseline",
            &plain,
            vec!["--baseline", &baseline, "--min-coverage", "90"],
        ),
        (
            "hostile evidence text",
            &hostile,
            vec!["--warn-on", "stale", "--min-coverage", "hipaa=50"],
        ),
        ("a passing gate", &plain, vec!["--fail-on", "partial"]),
        ("acme-health", &acme, vec!["--warn-on", "partial"]),
    ];
    let mut results_seen = 0;
    for (what, project, args) in &cases {
        let sarif = sarif_of(project, args);
        assert_valid(SARIF, what, &sarif);
        for r in sarif["runs"][0]["results"].as_array().unwrap() {
            results_seen += 1;
            let located = r["locations"].as_array().is_some_and(|l| {
                !l.is_empty()
                    && l.iter().all(|l| {
                        let p = &l["physicalLocation"];
                        p["artifactLocation"]["uri"]
                            .as_str()
                            .is_some_and(|u| !u.is_empty())
                            && p["region"]["startLine"].as_u64().is_some_and(|n| n >= 1)
                    })
            });
            assert!(
                located,
                "{what}: a result without a physical location: {r:#}"
            );
        }
    }
    assert!(results_seen > 10, "the cases produced results to check");
}
