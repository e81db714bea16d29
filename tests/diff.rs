//! Diff: two review cycles compared, from snapshots or project folders, in every format.

use crate::common::{Project, pdf_text};
use calamine::{Data, Reader, Xlsx, open_workbook};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The committed snapshot of acme-health's previous quarter (Q2 2026).
fn previous_snapshot() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples/acme-health/previous/snapshot-2026-06-30.json")
}

fn previous() -> String {
    previous_snapshot().to_string_lossy().into_owned()
}

/// `diff OLD NEW --format json` on the sample quarters, with its exit code.
fn sample_diff(project: &Project) -> (i32, Value) {
    let run = project.run(&["diff", &previous(), "{}", "--format", "json"]);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    (
        run.code,
        serde_json::from_str(&run.stdout).expect("diff JSON parses"),
    )
}

fn ids(changes: &Value) -> BTreeSet<String> {
    changes
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["control"].as_str().unwrap().to_string())
        .collect()
}

fn find<'a>(changes: &'a Value, key: &str, value: &str) -> &'a Value {
    changes
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c[key] == value)
        .unwrap_or_else(|| panic!("no change with {key} = {value} in {changes:#}"))
}

#[test]
fn the_two_sample_quarters_differ_as_the_sample_says() {
    let project = Project::sample("acme-health");
    let (code, d) = sample_diff(&project);
    assert_eq!(code, 1, "a regression exits 1");
    assert_eq!(
        (d["old"]["as_of"].as_str(), d["new"]["as_of"].as_str()),
        (Some("2026-06-30"), Some("2026-09-30"))
    );
    assert_eq!(
        (
            d["overall"]["before"].as_f64(),
            d["overall"]["after"].as_f64()
        ),
        (Some(77.0), Some(72.1))
    );
    assert_eq!(d["coverage"][0]["delta"].as_f64(), Some(-4.9));

    let regressed = find(&d["regressed"], "control", "164.308(a)(5)(ii)(C)");
    assert_eq!(
        (regressed["before"].as_str(), regressed["after"].as_str()),
        (Some("satisfied"), Some("failing"))
    );
    assert_eq!(ids(&d["regressed"]).len(), 1);
    assert_eq!(
        ids(&d["gone_stale"]),
        [
            "164.308(a)(1)(ii)(A)",
            "164.312(a)(2)(ii)",
            "164.316(a)",
            "164.316(b)(1)"
        ]
        .map(String::from)
        .into()
    );
    let stale = find(&d["gone_stale"], "control", "164.312(a)(2)(ii)");
    assert_eq!(
        (stale["evidence"][0].as_str(), stale["due"].as_str()),
        (Some("E-121"), Some("2026-09-28"))
    );
    assert_eq!(
        ids(&d["improved"]),
        ["164.308(a)(3)", "164.312(a)(2)(iv)"]
            .map(String::from)
            .into()
    );
    assert_eq!(
        find(&d["improved"], "control", "164.312(a)(2)(iv)")["before"],
        "exception"
    );
    assert_eq!(
        find(&d["improved"], "control", "164.308(a)(3)")["before"],
        "missing"
    );

    // Clinician email on Microsoft 365 left PHI scope. Workstations were Acme's all
    // along (a SaaS tenant never shares a device control), so no responsibility changed.
    assert_eq!(d["responsibility"], serde_json::json!([]));
    // Riverside clinic opened in Q3: its facility is Acme's to secure, beside AWS's and Azure's.
    let clinic = find(&d["sites"], "name", "Riverside clinic");
    assert_eq!(clinic["event"], "added");
    let facility = find(&d["rationale"], "control", "164.310(a)(1)");
    assert_eq!(facility["after"], "shared");
    assert!(
        facility["rationale_after"]
            .as_str()
            .unwrap()
            .ends_with("customer for Northside clinic, Riverside clinic, Boston office"),
        "{facility:#}"
    );
    // claims-ingest moved from EC2 to Lambda: AWS now runs its operating system. The
    // patient portal stays on EC2, so malware protection stays shared; its rationale says why.
    let malware = find(&d["rationale"], "control", "164.308(a)(5)(ii)(B)");
    assert!(
        malware["rationale_before"].as_str().unwrap().contains(
            "operating system: customer for EC2, EKS, AWS for RDS, S3, Azure for App Service, 365;"
        ),
        "{malware:#}"
    );
    assert!(
        malware["rationale_after"].as_str().unwrap().contains("operating system: customer for EC2, EKS, AWS for RDS, S3, Lambda, Azure for App Service;"),
        "{malware:#}"
    );

    let expired = find(&d["exceptions"], "ticket", "SEC-2150");
    assert_eq!(
        (expired["event"].as_str(), expired["control"].as_str()),
        (Some("expired"), Some("164.312(a)(2)(iv)"))
    );
    let renewed = find(&d["exceptions"], "ticket", "SEC-2291");
    assert_eq!(
        (
            renewed["event"].as_str(),
            renewed["expires_before"].as_str(),
            renewed["expires_after"].as_str()
        ),
        (Some("renewed"), Some("2026-09-30"), Some("2026-12-31"))
    );
    // Q3's newest AWS SOC 2 report still ends in March and its letter bridges only
    // to June: it no longer covers the as-of date, so the team holds the ISO
    // certificate, valid on every day of Q3. Okta's newer report replaced its old one.
    let attestation = |provider: &str, report: &str| -> (String, String) {
        let a = d["attestations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["provider"] == provider && a["report"] == report)
            .unwrap_or_else(|| panic!("no change of {provider} {report}"));
        (
            a["event"].as_str().unwrap().to_string(),
            a["covered_until_after"].to_string(),
        )
    };
    assert_eq!(
        attestation("aws", "soc2-type2"),
        ("expired".into(), "\"2026-06-30\"".into())
    );
    assert_eq!(
        attestation("aws", "iso27001"),
        ("added".into(), "\"2028-11-06\"".into())
    );
    assert_eq!(
        attestation("vendor:Okta", "soc2-type2"),
        ("renewed".into(), "\"2026-09-30\"".into())
    );

    let moved = find(&d["inventory"], "name", "claims-ingest");
    assert_eq!(moved["event"], "moved");
    assert_eq!(
        (
            moved["before"]["service"].as_str(),
            moved["before"]["model"].as_str()
        ),
        (Some("ec2"), Some("IaaS"))
    );
    assert_eq!(
        (
            moved["after"]["service"].as_str(),
            moved["after"]["model"].as_str()
        ),
        (Some("lambda"), Some("PaaS"))
    );
    assert_eq!(
        find(&d["inventory"], "name", "clinician-email")["event"],
        "removed"
    );
    assert_eq!(d["catalogs"], Value::Array(vec![]));
}

#[test]
fn a_snapshot_holding_terminal_escapes_prints_them_escaped() {
    let project = Project::sample("acme-health");
    let text = std::fs::read_to_string(previous()).unwrap();
    // The reason of the control that regressed, as the old review wrote it.
    let hostile = text.replace("evidence E-071 (", "evidence E-071\\u001b[2J (");
    assert_ne!(hostile, text, "the reason was changed");
    project.write("old.json", hostile);
    let run = project.run(&["diff", "{}/old.json", "{}"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("was evidence E-071\\u{1b}[2J (collected 2026-06-12)"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains('\x1b'), "{:?}", run.stdout);
}

#[test]
fn the_text_report_names_each_change_and_has_no_colour_in_a_pipe() {
    let project = Project::sample("acme-health");
    let run = project.run(&["diff", &previous(), "{}"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stdout.contains('\x1b'), "no escape codes in a pipe");
    for expected in [
        "Changes for Acme Health, Inc.: 2026-06-30 to 2026-09-30",
        "Regressed (1)",
        "hipaa 164.308(a)(5)(ii)(C)  Log-in monitoring  satisfied -> failing",
        "Sites (1)",
        "Riverside clinic  added  (new) -> clinic [phi] holding workstations",
        "claims-ingest  moved  aws ec2 (IaaS) [phi] -> aws lambda (PaaS) [phi]",
        "expired SEC-2150",
    ] {
        assert!(
            run.stdout.contains(expected),
            "{expected:?} missing from:\n{}",
            run.stdout
        );
    }
}

#[test]
fn the_committed_previous_snapshot_is_what_its_project_builds() {
    let project = Project::sample("acme-health");
    let previous_project = project.path().join("previous");
    let out = project.path().join("q2");
    let run = project.run(&[
        "build",
        previous_project.to_str().unwrap(),
        "--format",
        "json",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let built = std::fs::read_to_string(out.join("snapshot.json")).unwrap();
    let committed = std::fs::read_to_string(previous_snapshot()).unwrap();
    assert_eq!(
        built, committed,
        "rebuild samples/acme-health/previous and commit its snapshot"
    );

    // A project folder on either side gives the same diff as its snapshot.
    let from_folder = project.run(&[
        "diff",
        previous_project.to_str().unwrap(),
        "{}",
        "--format",
        "json",
    ]);
    let (_, from_snapshot) = sample_diff(&project);
    assert_eq!(
        serde_json::from_str::<Value>(&from_folder.stdout).unwrap(),
        from_snapshot
    );
}

#[test]
fn a_snapshot_diffed_with_itself_has_no_changes() {
    let project = Project::empty();
    let run = project.run(&["diff", &previous(), &previous()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("No changes."), "{}", run.stdout);
    let json = project.run(&["diff", &previous(), &previous(), "--format", "json"]);
    let d: Value = serde_json::from_str(&json.stdout).unwrap();
    for key in [
        "regressed",
        "gone_stale",
        "improved",
        "reclassified",
        "responsibility",
        "rationale",
        "exceptions",
        "attestations",
        "catalogs",
        "inventory",
    ] {
        assert_eq!(d[key], Value::Array(vec![]), "{key}");
    }
    assert_eq!(d["overall"]["delta"].as_f64(), Some(0.0));
}

#[test]
fn the_json_output_has_the_documented_keys() {
    let project = Project::sample("acme-health");
    let (_, d) = sample_diff(&project);
    let keys: BTreeSet<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
    let documented: BTreeSet<&str> = [
        "diff_schema_version",
        "old",
        "new",
        "coverage",
        "overall",
        "regressed",
        "gone_stale",
        "improved",
        "reclassified",
        "responsibility",
        "rationale",
        "exceptions",
        "attestations",
        "catalogs",
        "inventory",
        "sites",
        "vendors",
        "cuecs",
        "tabletop",
        "left_scope",
        "entered_scope",
    ]
    .into();
    assert_eq!(keys, documented);
    assert_eq!(d["diff_schema_version"], 1);
    let change: BTreeSet<&str> = d["regressed"][0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        change,
        [
            "framework",
            "control",
            "title",
            "before",
            "after",
            "reason_before",
            "reason_after",
            "evidence",
            "last_collected",
            "due"
        ]
        .into()
    );
}

/// A copy of the committed snapshot, changed by `edit`, written into `project`.
fn edited_snapshot(project: &Project, name: &str, edit: impl Fn(&str) -> String) -> String {
    let text = std::fs::read_to_string(previous_snapshot()).unwrap();
    project.write(name, edit(&text));
    project.path().join(name).to_string_lossy().into_owned()
}

#[test]
fn broken_snapshots_fail_with_their_file_and_position() {
    let project = Project::empty();
    let truncated = edited_snapshot(&project, "truncated.json", |t| t[..t.len() / 2].to_string());
    let run = project.run(&["diff", &truncated, &previous()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with("error: [PROJECT]/truncated.json:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("failed to read the snapshot (the snapshot ends early: truncated?"),
        "{}",
        run.stderr
    );

    let status = edited_snapshot(&project, "status.json", |t| {
        t.replacen("\"status\": \"satisfied\"", "\"status\": \"sort-of\"", 1)
    });
    let run = project.run(&["diff", &previous(), &status]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("[PROJECT]/status.json:25:29:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("unknown variant `sort-of`"),
        "{}",
        run.stderr
    );

    let wrong_type = edited_snapshot(&project, "type.json", |t| {
        t.replacen("\"rows_read\": 32", "\"rows_read\": \"many\"", 1)
    });
    let run = project.run(&["diff", &wrong_type, &previous()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("[PROJECT]/type.json:8:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("invalid type: string \"many\""),
        "{}",
        run.stderr
    );

    let missing = edited_snapshot(&project, "missing.json", |t| {
        t.replacen("\"as_of\": \"2026-06-30\",", "", 1)
    });
    let run = project.run(&["diff", &missing, &previous()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("missing field `as_of`"),
        "{}",
        run.stderr
    );

    let future = edited_snapshot(&project, "future.json", |t| {
        t.replacen("\"schema_version\": 3", "\"schema_version\": 4", 1)
    });
    let run = project.run(&["diff", &future, &previous()]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr.trim(),
        "error: [PROJECT]/future.json: failed to read the snapshot (schema_version 4; this auditpack reads schema versions 1, 2 and 3)"
    );

    let run = project.run(&["diff", "{}/nowhere.json", &previous()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("neither a snapshot file nor a project folder"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_version_1_snapshot_still_diffs() {
    let project = Project::sample("acme-health");
    let mut v1: Value =
        serde_json::from_str(&std::fs::read_to_string(previous_snapshot()).unwrap()).unwrap();
    v1["schema_version"] = 1.into();
    let strip = |list: &mut Value, keys: &[&str]| {
        for item in list.as_array_mut().unwrap() {
            for key in keys {
                item.as_object_mut().unwrap().remove(*key);
            }
        }
    };
    strip(&mut v1["frameworks"], &["name"]);
    strip(&mut v1["inventory"], &["service_name", "tier"]);
    strip(&mut v1["exceptions"], &["reason", "approved"]);
    strip(
        &mut v1["attestations"],
        &["name", "validity", "issued", "opinion", "coverage"],
    );
    // Version 1 wrote 9999-12-31 as the end of an agreement that names none.
    for a in v1["attestations"].as_array_mut().unwrap() {
        if a["period_end"].is_null() {
            a["period_end"] = "9999-12-31".into();
        }
    }
    project.write("v1.json", serde_json::to_string_pretty(&v1).unwrap());
    let run = project.run(&["diff", "{}/v1.json", "{}", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let d: Value = serde_json::from_str(&run.stdout).unwrap();
    let (_, from_v2) = sample_diff(&project);
    assert_eq!(ids(&d["regressed"]), ids(&from_v2["regressed"]));
    assert_eq!(d["responsibility"], from_v2["responsibility"]);
}

#[test]
fn the_changes_workbook_holds_one_row_per_change_as_text() {
    let project = Project::sample("acme-health");
    // A hand-made exception whose reason looks like a formula must stay text.
    let hostile = edited_snapshot(&project, "hostile.json", |t| {
        let mut s: Value = serde_json::from_str(t).unwrap();
        s["exceptions"][0]["ticket"] = "SEC-9999".into();
        s["exceptions"][0]["reason"] = "=HYPERLINK(\"http://x\",\"y\")".into();
        serde_json::to_string(&s).unwrap()
    });
    let xlsx = project.path().join("changes.xlsx");
    let run = project.run(&[
        "diff",
        &previous(),
        &hostile,
        "--xlsx",
        xlsx.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut workbook: Xlsx<_> = open_workbook(&xlsx).unwrap();
    assert_eq!(workbook.sheet_names(), ["Summary", "Changes"]);
    let changes = workbook.worksheet_range("Changes").unwrap();
    let rows: Vec<Vec<String>> = changes
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(
        rows[0][..6],
        [
            "Change",
            "Framework",
            "Control or item",
            "Title",
            "Before",
            "After"
        ]
        .map(String::from)
    );
    let added = rows
        .iter()
        .find(|r| r[3] == "added SEC-9999")
        .expect("the added exception");
    assert_eq!(
        added[7],
        "=HYPERLINK(\"http://x\",\"y\") (approved by Laura Chen (CISO))"
    );
    let formulas = workbook.worksheet_formula("Changes").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no formulas"
    );

    let xlsx = project.path().join("quarters.xlsx");
    let run = project.run(&["diff", &previous(), "{}", "--xlsx", xlsx.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    let mut workbook: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let changes = workbook.worksheet_range("Changes").unwrap();
    let row = changes
        .rows()
        .find(|r| {
            r[0] == Data::String("rationale".into()) && r[2] == Data::String("164.310(a)(1)".into())
        })
        .expect("the facility rationale change");
    assert_eq!(
        (row[4].to_string(), row[5].to_string()),
        ("shared".into(), "shared".into())
    );
    assert!(row[7].to_string().contains("Riverside clinic"));
    let kinds: BTreeSet<String> = changes.rows().skip(1).map(|r| r[0].to_string()).collect();
    assert_eq!(
        kinds,
        [
            "attestations",
            "cuecs",
            "exceptions",
            "gone-stale",
            "improved",
            "inventory",
            "rationale",
            "regressed",
            "sites",
            "tabletop",
            // Okta, GitHub and Paubox issued newer reports between the quarters.
            "vendors"
        ]
        .map(String::from)
        .into()
    );
    let summary = workbook.worksheet_range("Summary").unwrap();
    assert_eq!(
        summary.get((1, 1)),
        Some(&Data::String("77.0% (47 of 61)".into()))
    );
    assert_eq!(
        summary.get((1, 3)),
        Some(&Data::String("-4.9 points".into()))
    );
}

#[test]
fn the_changes_pdf_lists_the_changes_and_prints_typst_as_text() {
    let project = Project::sample("acme-health");
    let hostile = edited_snapshot(&project, "hostile.json", |t| {
        let mut s: Value = serde_json::from_str(t).unwrap();
        s["exceptions"][0]["ticket"] = "SEC-9999".into();
        s["exceptions"][0]["reason"] = "#read(\"/etc/passwd\") *not bold*".into();
        serde_json::to_string(&s).unwrap()
    });
    let pdf = project.path().join("changes.pdf");
    let run = project.run(&["diff", &hostile, "{}", "--pdf", pdf.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = pdf_text(&pdf);
    for expected in [
        "Changes since the previous review",
        "164.308(a)(5)(ii)(C)",
        "Rationale changes",
        "Riverside clinic",
        "SEC-2150",
        "#read(\"/etc/passwd\") *not bold*",
        "claims-ingest",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} not in the changes PDF"
        );
    }
}

#[test]
fn build_with_previous_adds_the_changes_to_the_package() {
    let project = Project::sample("acme-health");
    let out = project.path().join("pkg");
    let run = project.run(&[
        "build",
        "{}",
        "--previous",
        &previous(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = pdf_text(&out.join("audit-package.pdf"));
    assert!(
        text.contains("Changes since the previous review"),
        "the section is there"
    );
    assert!(text.contains("compared with the previous one as of 2026-06-30"));
    assert!(text.contains("Workstation use"));
    let mut workbook: Xlsx<_> = open_workbook(out.join("audit-workbook.xlsx")).unwrap();
    assert_eq!(
        workbook.sheet_names().last().map(String::as_str),
        Some("Changes")
    );
    let changes = workbook.worksheet_range("Changes").unwrap();
    assert!(
        changes
            .rows()
            .any(|r| r[0] == Data::String("regressed".into())
                && r[2] == Data::String("164.308(a)(5)(ii)(C)".into()))
    );

    let plain = project.build();
    let text = pdf_text(&plain.join("audit-package.pdf"));
    assert!(
        !text.contains("Changes since the previous review"),
        "only with --previous"
    );
}

/// The parts of JSON Schema the snapshot schema uses: type, enum, const, required, properties, items, $ref.
fn check(value: &Value, schema: &Value, root: &Value, at: &str, problems: &mut Vec<String>) {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/$defs/");
        return check(value, &root["$defs"][name], root, at, problems);
    }
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_u64() || n.is_i64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let allowed: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let fits = allowed.contains(&kind) || (kind == "integer" && allowed.contains(&"number"));
    if !allowed.is_empty() && !fits {
        problems.push(format!("{at}: {kind}, expected {allowed:?}"));
    }
    if let Some(options) = schema["enum"].as_array()
        && !options.contains(value)
    {
        problems.push(format!("{at}: {value} not in the enum"));
    }
    if let Some(constant) = schema.get("const")
        && constant != value
    {
        problems.push(format!("{at}: {value} is not {constant}"));
    }
    if let Value::Object(map) = value {
        for key in schema["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !map.contains_key(key) {
                problems.push(format!("{at}: missing {key}"));
            }
        }
        for (key, sub) in map {
            match schema["properties"].get(key) {
                Some(s) => check(sub, s, root, &format!("{at}.{key}"), problems),
                None => problems.push(format!("{at}: {key} is not in the schema")),
            }
        }
    }
    if let Value::Array(items) = value {
        for (i, item) in items.iter().enumerate() {
            check(
                item,
                &schema["items"],
                root,
                &format!("{at}[{i}]"),
                problems,
            );
        }
    }
}

#[test]
fn snapshots_match_the_published_schema() {
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/snapshot.schema.json");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let project = Project::sample("ledgerly");
    let built = crate::common::snapshot(&project.build());
    let committed: Value =
        serde_json::from_str(&std::fs::read_to_string(previous_snapshot()).unwrap()).unwrap();
    // The published schema is itself valid JSON Schema (2020-12) and a real
    // validator agrees; `check` adds what the schema leaves open: no unknown keys.
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    for snapshot in [built, committed] {
        let mut problems = Vec::new();
        check(&snapshot, &schema, &schema, "$", &mut problems);
        problems.extend(validator.iter_errors(&snapshot).map(|e| e.to_string()));
        assert!(problems.is_empty(), "{problems:#?}");
    }
    let mut broken = serde_json::json!({"schema_version": 2});
    broken["frameworks"] = serde_json::json!([{"id": 1}]);
    assert!(!validator.is_valid(&broken));
    let mut problems = Vec::new();
    check(&broken, &schema, &schema, "$", &mut problems);
    assert!(
        problems.contains(&"$.frameworks[0].id: integer, expected [\"string\"]".to_string()),
        "{problems:#?}"
    );
    assert!(
        problems.contains(&"$: missing as_of".to_string()),
        "{problems:#?}"
    );
}
