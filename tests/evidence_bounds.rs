//! A large evidence register: the real binary builds every output of 50,000 rows
//! under 1 GB of peak memory, the OSCAL assessment results count the rows per
//! control, and the workbook still lists every row.

use crate::common::{Project, audit_toml, snapshot};
use calamine::{Reader, Xlsx, open_workbook};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};

const ROWS: usize = 50_000;

/// Controls the rows name: direct references and common controls, which count
/// for several framework controls at once.
const CONTROLS: [&str; 8] = [
    "HIPAA 164.312(d)",
    "HIPAA 164.312(b)",
    "HIPAA 164.308(a)(1)(ii)(D)",
    "SOC2 CC6.1",
    "SOC2 CC7.2",
    "IAM-03",
    "LOG-02",
    "CRY-03",
];

fn register() -> String {
    let mut csv = String::with_capacity(ROWS * 100);
    csv.push_str("ID,Title,Controls,Owner,Collected,Result\n");
    for i in 0..ROWS {
        csv.push_str(&format!(
            "EV-{i:06},Quarterly access review of system {},{},{},2026-03-{:02},{}\n",
            i % 997,
            CONTROLS[i % CONTROLS.len()],
            ["Priya Shah", "Marcus Lee"][i % 2],
            1 + i % 28,
            ["pass", "pass", "fail", "partial"][i % 4],
        ));
    }
    csv
}

/// Run `auditpack ARGS` and return its exit code, stderr and peak resident memory
/// in bytes, as the kernel accounts it for that child alone (`wait4`'s rusage).
fn run_measured(args: &[&str], stderr_to: &Path) -> (i32, String, u64) {
    let child = Command::new(env!("CARGO_BIN_EXE_auditpack"))
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(stderr_to).unwrap())
        .spawn()
        .expect("the auditpack binary runs");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: rusage is plain data that wait4 fills in; the pid is our own child,
    // not waited on elsewhere (`child` is dropped without `wait`).
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4: {}", std::io::Error::last_os_error());
    drop(child);
    let code = match libc::WIFEXITED(status) {
        true => libc::WEXITSTATUS(status),
        false => -1,
    };
    // Linux reports ru_maxrss in kilobytes.
    let peak = usage.ru_maxrss as u64 * 1024;
    (code, std::fs::read_to_string(stderr_to).unwrap(), peak)
}

fn props(value: &Value) -> BTreeMap<&str, &str> {
    value["props"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| (p["name"].as_str().unwrap(), p["value"].as_str().unwrap()))
        .collect()
}

#[test]
fn a_50000_row_register_builds_every_output_under_1_gb_counting_oscal_rows_per_control() {
    let project = Project::empty();
    project.write(
        "audit.toml",
        audit_toml(
            "\"hipaa\", \"soc2\"",
            &[("aws", "ec2", "phi")],
            "\n[[evidence]]\npath = \"register.csv\"\n",
        ),
    );
    project.write("register.csv", register());
    let out = project.path().join("pkg");
    let (code, stderr, peak) = run_measured(
        &[
            "build",
            project.path().to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &project.path().join("stderr.txt"),
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(&format!("{ROWS} rows read = {ROWS} mapped")),
        "{stderr}"
    );
    assert!(
        peak < 1 << 30,
        "the build peaked at {} MB",
        peak / (1 << 20)
    );

    // Every control with evidence has one observation counting its rows, as many
    // as the snapshot lists for it; no observation names a single row.
    let snapshot = snapshot(&out);
    let mut expected: BTreeMap<(String, String), usize> = BTreeMap::new();
    for f in snapshot["frameworks"].as_array().unwrap() {
        for c in f["controls"].as_array().unwrap() {
            let rows = c["evidence"].as_array().unwrap().len();
            if rows > 0 {
                let key = (f["id"].as_str().unwrap(), c["id"].as_str().unwrap());
                expected.insert((key.0.to_string(), key.1.to_string()), rows);
            }
        }
    }
    assert!(expected.len() >= CONTROLS.len(), "{expected:?}");
    let text = std::fs::read_to_string(out.join("oscal/assessment-results.json")).unwrap();
    assert!(
        text.len() < 2 << 20,
        "assessment results of {} bytes",
        text.len()
    );
    let results: Value = serde_json::from_str(&text).unwrap();
    let results = &results["assessment-results"];
    let observations = results["results"][0]["observations"].as_array().unwrap();
    let mut counted: BTreeMap<(String, String), usize> = BTreeMap::new();
    for o in observations {
        let p = props(o);
        assert!(!p.contains_key("evidence-id"), "a row's observation: {o}");
        let rows: usize = p["evidence-rows"].parse().unwrap();
        let outcomes: usize = ["rows-pass", "rows-partial", "rows-fail"]
            .iter()
            .filter_map(|k| p.get(k).map(|n| n.parse::<usize>().unwrap()))
            .sum();
        assert_eq!(outcomes, rows, "{o}");
        counted.insert((p["framework"].to_string(), p["label"].to_string()), rows);
        let description = o["description"].as_str().unwrap();
        assert!(
            description.contains("Evidence sheet of audit-workbook.xlsx"),
            "{description}"
        );
    }
    assert_eq!(counted, expected);
    // Each observation cites the workbook and the register, both in the back matter.
    let resources = results["back-matter"]["resources"].as_array().unwrap();
    let kinds: Vec<&str> = resources.iter().map(|r| props(r)["kind"]).collect();
    assert_eq!(kinds, ["workbook", "evidence-file"]);
    assert_eq!(resources[0]["rlinks"][0]["href"], "../audit-workbook.xlsx");
    assert_eq!(resources[1]["rlinks"][0]["href"], "register.csv");
    assert_eq!(props(&resources[1])["evidence-rows"], ROWS.to_string());

    // The SSP links each control to the workbook and the register, not row by row.
    let ssp: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("oscal/ssp.json")).unwrap())
            .unwrap();
    let requirements =
        ssp["system-security-plan"]["control-implementation"]["implemented-requirements"]
            .as_array()
            .unwrap();
    let links: usize = requirements
        .iter()
        .flat_map(|r| r["by-components"].as_array().unwrap())
        .map(|b| b["links"].as_array().map_or(0, Vec::len))
        .sum();
    assert!(links > 0 && links <= 2 * expected.len(), "{links} links");

    // The workbook keeps every row.
    let mut workbook: Xlsx<_> = open_workbook(out.join("audit-workbook.xlsx")).unwrap();
    let sheet = workbook.worksheet_range("Evidence").unwrap();
    assert_eq!(sheet.height(), ROWS + 1);
    let ids: Vec<String> = sheet.rows().skip(1).map(|r| r[0].to_string()).collect();
    assert_eq!(ids.first().map(String::as_str), Some("EV-000000"));
    assert_eq!(ids.last().map(String::as_str), Some("EV-049999"));
}
