//! `auditpack init`: a working project and its evidence request list, which
//! `build` reads back as written and after the team fills it in.

use crate::common::{Project, fixtures, snapshot};
use calamine::{Data, Reader, Xlsx, open_workbook};
use std::path::Path;

/// 2026-11-30: the project's period is the fourth quarter of 2026.
const EPOCH: (&str, &str) = ("SOURCE_DATE_EPOCH", "1796083200");

fn init(project: &Project, args: &[&str]) -> std::path::PathBuf {
    let dir = project.path().join("new");
    let dir_text = dir.to_string_lossy().into_owned();
    let mut all = vec!["init", dir_text.as_str()];
    all.extend_from_slice(args);
    let run = project.run_with_env(&all, &[EPOCH]);
    assert_eq!(run.code, 0, "init failed: {}", run.stderr);
    dir
}

fn build(project: &Project, dir: &Path) -> serde_json::Value {
    let out = project.path().join("pkg");
    let run = project.run_with_env(
        &[
            "build",
            dir.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &[EPOCH],
    );
    assert_eq!(run.code, 0, "build failed: {}", run.stderr);
    snapshot(&out)
}

/// The request list's rows, header first, as text.
fn request_rows(dir: &Path) -> Vec<Vec<String>> {
    let mut workbook: Xlsx<_> = open_workbook(dir.join("evidence/evidence-requests.xlsx")).unwrap();
    let range = workbook.worksheet_range("Evidence").unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::DateTime(d) => d
                        .as_datetime()
                        .map(|t| t.date().to_string())
                        .unwrap_or_default(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// Controls of the snapshot that are the team's to evidence: (framework, id, status).
fn team_controls(s: &serde_json::Value) -> Vec<(String, String, String)> {
    let mut found = Vec::new();
    for f in s["frameworks"].as_array().unwrap() {
        for c in f["controls"].as_array().unwrap() {
            let r = c["responsibility"].as_str().unwrap_or("");
            if r == "customer" || r == "shared" {
                found.push((
                    f["id"].as_str().unwrap().to_string(),
                    c["id"].as_str().unwrap().to_string(),
                    c["status"].as_str().unwrap().to_string(),
                ));
            }
        }
    }
    found
}

#[test]
fn a_new_project_builds_with_every_control_of_the_team_missing() {
    let project = Project::empty();
    let dir = init(&project, &["--provider", "aws", "--framework", "hipaa"]);
    let toml = std::fs::read_to_string(dir.join("audit.toml")).unwrap();
    assert!(toml.contains("period_start = 2026-10-01") && toml.contains("as_of = 2026-12-31"));
    assert!(toml.contains("frameworks = [\"hipaa\"]") && toml.contains("tags = [\"phi\"]"));
    let s = build(&project, &dir);
    let team = team_controls(&s);
    assert!(team.len() > 20, "HIPAA asks the team for many controls");
    let not_missing: Vec<_> = team.iter().filter(|(_, _, st)| st != "missing").collect();
    assert!(not_missing.is_empty(), "{not_missing:?}");
    // One request per control the team must evidence, in the loader's headers.
    let rows = request_rows(&dir);
    let header = &rows[0];
    for column in [
        "Framework",
        "Controls",
        "Owner",
        "Due",
        "Title",
        "Collected",
        "Result",
        "Link",
    ] {
        assert!(
            header.iter().any(|h| h == column),
            "no {column} column in {header:?}"
        );
    }
    assert_eq!(rows.len() - 1, team.len());
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let first = &rows[1];
    assert_eq!(first[at("Framework")], "hipaa");
    assert_eq!(
        first[at("Owner")],
        "Compliance lead",
        "the owner from [owners]"
    );
    assert!(first[at("Due")].starts_with("2026-"), "{first:?}");
    assert!(first[at("Title")].is_empty() && first[at("Collected")].is_empty());
}

#[test]
fn the_request_list_loads_back_with_zero_rows_reported() {
    let project = Project::empty();
    let dir = init(&project, &["--provider", "azure", "--framework", "soc2"]);
    let run = project.run_with_env(&["validate", dir.to_str().unwrap()], &[EPOCH]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("0 evidence rows read = 0 mapped + 0 reported"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("evidence request(s) not filled in yet"),
        "{}",
        run.stdout
    );

    // The team fills in one row and hands the list back unchanged otherwise.
    let rows = request_rows(&dir);
    let header = rows[0].clone();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Evidence").unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, cell).unwrap();
        }
    }
    sheet
        .write_string(1, at("Title") as u16, "Risk assessment 2026")
        .unwrap();
    sheet
        .write_string(1, at("Collected") as u16, "2026-12-01")
        .unwrap();
    sheet.write_string(1, at("Result") as u16, "pass").unwrap();
    workbook
        .save(dir.join("evidence/evidence-requests.xlsx"))
        .unwrap();
    let run = project.run_with_env(&["validate", dir.to_str().unwrap()], &[EPOCH]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("1 evidence rows read = 1 mapped + 0 reported"),
        "{}",
        run.stdout
    );
    let s = build(&project, &dir);
    let control = &rows[1][at("Controls")];
    let filled = team_controls(&s)
        .into_iter()
        .find(|(_, id, _)| id == control)
        .unwrap();
    assert_ne!(
        filled.2, "missing",
        "the filled-in row counts for {control}"
    );
}

#[test]
fn init_from_terraform_takes_its_inventory() {
    let project = Project::empty();
    let state = fixtures().join("terraform/state.json");
    let dir = init(
        &project,
        &["--from", state.to_str().unwrap(), "--framework", "pci-dss"],
    );
    let toml = std::fs::read_to_string(dir.join("audit.toml")).unwrap();
    assert!(
        toml.contains("name = \"ledger\"\nprovider = \"gcp\"\nservice = \"gke-autopilot\""),
        "{toml}"
    );
    assert!(toml.contains("service = \"azure-sql\""));
    let s = build(&project, &dir);
    assert!(!team_controls(&s).is_empty());
}

#[test]
fn init_refuses_a_folder_that_holds_a_project() {
    let project = Project::empty();
    let dir = init(&project, &["--provider", "gcp"]);
    let before = std::fs::read(dir.join("audit.toml")).unwrap();
    let run = project.run(&["init", dir.to_str().unwrap(), "--provider", "aws"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("already holds an audit.toml"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read(dir.join("audit.toml")).unwrap(), before);
}

#[test]
fn init_names_an_unknown_framework_or_provider() {
    let project = Project::empty();
    let dir = project.path().join("x");
    let run = project.run(&[
        "init",
        dir.to_str().unwrap(),
        "--provider",
        "aws",
        "--framework",
        "hipa",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean \"hipaa\""),
        "{}",
        run.stderr
    );
    let run = project.run(&["init", dir.to_str().unwrap(), "--provider", "oracle"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("unknown provider \"oracle\""),
        "{}",
        run.stderr
    );
}

#[test]
fn init_writes_the_same_bytes_twice() {
    let first = Project::empty();
    let second = Project::empty();
    let a = init(&first, &["--provider", "aws", "--framework", "soc2"]);
    let b = init(&second, &["--provider", "aws", "--framework", "soc2"]);
    for file in ["audit.toml", "evidence/evidence-requests.xlsx"] {
        let (x, y) = (
            std::fs::read(a.join(file)).unwrap(),
            std::fs::read(b.join(file)).unwrap(),
        );
        assert!(x == y, "{file} differs between two runs");
    }
}
