//! Properties of every parser entry point: random and mutated bytes give `Ok` or
//! errors that name their file, never a panic. Shared by `tests/fuzz.rs` (a few
//! dozen cases each, in `cargo test`) and `benches/fuzz.rs` (thousands, for long runs).
//!
//! Each input is either random bytes or a real file of its kind (a sample, a
//! fixture, a scanner's published example) with bytes overwritten, a run cut out,
//! random bytes spliced in, or the end cut off: mutations that reach past the
//! first header check, where most parsers give up on random bytes.

use auditpack::load::evidence_files::read_sources;
use auditpack::load::findings::{ScanFormat, ScanOptions};
use auditpack::load::project::load_project;
use auditpack::load::{asff, checkov, prowler, prowler_json, snapshot};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};
use std::path::{Path, PathBuf};

/// How many inputs a property is run for, and from which seed: fixed in
/// `cargo test`, so a run is repeatable; random in long runs, to find more.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    pub cases: u32,
    pub seed: Option<u64>,
}

/// One property; the error is proptest's report with the smallest failing input
/// it found.
pub type Property = fn(Budget) -> Result<(), String>;

/// Every property, by the input it parses.
pub const ALL: &[(&str, Property)] = &[
    ("evidence csv", evidence_csv),
    ("evidence xlsx", evidence_xlsx),
    ("evidence xls", evidence_xls),
    ("evidence ods", evidence_ods),
    ("prowler csv", prowler_csv),
    ("prowler compliance csv", prowler_compliance_csv),
    ("prowler ocsf", prowler_ocsf),
    ("asff", asff_findings),
    ("asff eventbridge", asff_eventbridge),
    ("prowler json", prowler_3_json),
    ("checkov", checkov_json),
    ("cloud posture tools", cloud_scanners),
    ("audit.toml", project_settings),
    ("snapshot", snapshot_json),
    ("terraform", terraform_json),
    ("report paths", report_paths),
    ("inventory import", inventory_import),
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn seed(relative: &str) -> Vec<u8> {
    std::fs::read(root().join(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// An edit of a seed file.
#[derive(Debug, Clone)]
enum Edit {
    Overwrite(Index, u8),
    Remove(Index, usize),
    Insert(Index, Vec<u8>),
    Truncate(Index),
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for edit in edits {
        if bytes.is_empty() {
            break;
        }
        match edit {
            Edit::Overwrite(at, b) => {
                let i = at.index(bytes.len());
                bytes[i] = *b;
            }
            Edit::Remove(at, n) => {
                let i = at.index(bytes.len());
                let end = (i + n).min(bytes.len());
                bytes.drain(i..end);
            }
            Edit::Insert(at, chunk) => {
                let i = at.index(bytes.len());
                bytes.splice(i..i, chunk.iter().copied());
            }
            Edit::Truncate(at) => {
                let i = at.index(bytes.len());
                bytes.truncate(i);
            }
        }
    }
    bytes
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Edit::Overwrite(i, b)),
        2 => (any::<Index>(), 1usize..64).prop_map(|(i, n)| Edit::Remove(i, n)),
        2 => (any::<Index>(), proptest::collection::vec(any::<u8>(), 1..32))
            .prop_map(|(i, c)| Edit::Insert(i, c)),
        1 => any::<Index>().prop_map(Edit::Truncate),
    ]
}

/// Random bytes, or a seed with a few edits.
fn input(seed: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        1 => proptest::collection::vec(any::<u8>(), 0..2048),
        4 => proptest::collection::vec(edit(), 1..8).prop_map(move |edits| apply(seed.clone(), &edits)),
    ]
}

fn runner(budget: Budget) -> TestRunner {
    TestRunner::new(Config {
        cases: budget.cases,
        rng_seed: budget.seed.map_or(RngSeed::Random, RngSeed::Fixed),
        failure_persistence: None,
        // A case is one parse; shrinking a failure needs no more than this.
        max_shrink_iters: 2_000,
        ..Config::default()
    })
}

fn check(
    budget: Budget,
    seed: Vec<u8>,
    property: impl Fn(&[u8]) -> Result<(), TestCaseError>,
) -> Result<(), String> {
    runner(budget)
        .run(&input(seed), |bytes| property(&bytes))
        .map_err(|e| e.to_string())
}

/// An evidence file of one format in a project of its own, read as `build` reads it.
fn evidence(budget: Budget, file: &str, seed_path: &str) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let toml = format!(
        "[organization]\nname = \"Fuzz\"\n\n[audit]\nperiod_start = 2026-01-01\nperiod_end = 2026-03-31\nas_of = 2026-03-31\nframeworks = [\"hipaa\"]\n\n[[inventory]]\nname = \"w\"\nprovider = \"aws\"\nservice = \"ec2\"\ntags = [\"phi\"]\n\n[[evidence]]\npath = \"{file}\"\n"
    );
    std::fs::write(dir.path().join("audit.toml"), toml).map_err(|e| e.to_string())?;
    let project = load_project(dir.path()).map_err(|e| e.to_string())?;
    let path = dir.path().join(file);
    check(budget, seed(seed_path), |bytes| {
        std::fs::write(&path, bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let read = read_sources(&project.folders, &project.file.evidence, &[], &|span| {
            project.at(span)
        });
        for error in &read.errors {
            let named = error.location.path();
            prop_assert!(
                named.ends_with(file) || named.ends_with("audit.toml"),
                "an error names {} for {file}",
                named.display()
            );
        }
        for row in &read.rejected {
            prop_assert!(!row.problems.is_empty(), "a row rejected without a reason");
        }
        Ok(())
    })
}

fn evidence_csv(budget: Budget) -> Result<(), String> {
    evidence(
        budget,
        "ev.csv",
        "samples/acme-health/evidence/ops-tickets.csv",
    )
}

fn evidence_xlsx(budget: Budget) -> Result<(), String> {
    evidence(
        budget,
        "ev.xlsx",
        "samples/acme-health/evidence/hipaa-evidence.xlsx",
    )
}

fn evidence_xls(budget: Budget) -> Result<(), String> {
    evidence(budget, "ev.xls", "tests/fixtures/workbooks/offset.xls")
}

fn evidence_ods(budget: Budget) -> Result<(), String> {
    evidence(budget, "ev.ods", "tests/fixtures/workbooks/offset.ods")
}

/// A scanner reader's result: findings, or one error naming the file.
fn scan_outcome(
    outcome: Result<auditpack::load::findings::FindingsRead, auditpack::diag::Problem>,
    relative: &Path,
) -> Result<(), TestCaseError> {
    if let Err(problem) = outcome {
        prop_assert_eq!(problem.location.path(), relative);
        prop_assert!(!problem.message.is_empty());
    }
    Ok(())
}

fn prowler_csv(budget: Budget) -> Result<(), String> {
    let relative = Path::new("scans/prowler.csv");
    check(
        budget,
        seed("tests/fixtures/scanners/prowler/prowler_example_output_aws.csv"),
        |bytes| {
            let outcome = prowler::read_prowler_csv(
                bytes,
                bytes.len() as u64,
                relative,
                ScanFormat::ProwlerCsv,
                &ScanOptions::default(),
            );
            scan_outcome(outcome, relative)
        },
    )
}

const COMPLIANCE_CSV: &str = "PROVIDER;DESCRIPTION;ACCOUNTID;REGION;ASSESSMENTDATE;REQUIREMENTS_ID;REQUIREMENTS_DESCRIPTION;STATUS;STATUSEXTENDED;RESOURCEID;CHECKID;MUTED;RESOURCENAME;FRAMEWORK;NAME\n\
aws;d;1111;us-east-1;2026-03-20 10:00:00;A.8.5;Secure authentication;PASS;ok;user-a;iam_user_mfa_enabled_console_access;False;user-a;ISO27001;ISO/IEC 27001 2022\n\
aws;d;1111;us-east-1;2026-03-20 10:00:00;A.8.5;Secure authentication;FAIL;no MFA;user-b;iam_user_mfa_enabled_console_access;True;user-b;ISO27001;ISO/IEC 27001 2022\n";

fn prowler_compliance_csv(budget: Budget) -> Result<(), String> {
    let relative = Path::new("scans/prowler_iso27001_2022_aws.csv");
    let options = ScanOptions {
        framework: None,
        version_hint: Some("2022".to_string()),
    };
    check(budget, COMPLIANCE_CSV.as_bytes().to_vec(), |bytes| {
        let outcome = prowler::read_prowler_csv(
            bytes,
            bytes.len() as u64,
            relative,
            ScanFormat::ProwlerComplianceCsv,
            &options,
        );
        scan_outcome(outcome, relative)
    })
}

fn prowler_ocsf(budget: Budget) -> Result<(), String> {
    let relative = Path::new("scans/prowler.ocsf.json");
    check(
        budget,
        seed("tests/fixtures/scanners/prowler/prowler_example_output_aws.ocsf.json"),
        |bytes| {
            let outcome = prowler::read_prowler_ocsf(bytes, bytes.len() as u64, relative);
            scan_outcome(outcome, relative)
        },
    )
}

const ASFF: &str = r#"{"Findings": [
  {"SchemaVersion": "2018-10-08", "Id": "a1", "GeneratorId": "prowler-cloudtrail_enabled", "Title": "CloudTrail on",
   "Severity": {"Label": "HIGH"}, "Resources": [{"Type": "AwsCloudTrailTrail", "Id": "arn:aws:cloudtrail:trail-a"}],
   "Compliance": {"Status": "PASSED", "RelatedRequirements": ["HIPAA 164_312_b", "SOC2 cc_7_2"]},
   "UpdatedAt": "2026-03-20T10:00:00Z", "Workflow": {"Status": "NEW"}, "RecordState": "ACTIVE"},
  {"SchemaVersion": "2018-10-08", "Id": "a2", "Title": "Security group open",
   "Severity": {"Label": "CRITICAL"}, "Resources": [{"Type": "AwsEc2SecurityGroup", "Id": "sg-1"}],
   "Compliance": {"Status": "FAILED", "SecurityControlId": "EC2.19", "RelatedRequirements": ["PCI DSS 1.2.1"]},
   "UpdatedAt": "2026-03-20T10:00:00Z", "RecordState": "ARCHIVED"}
]}"#;

fn asff_findings(budget: Budget) -> Result<(), String> {
    let relative = Path::new("scans/hub.json");
    check(budget, ASFF.as_bytes().to_vec(), |bytes| {
        let outcome = asff::read_asff(bytes, bytes.len() as u64, relative);
        scan_outcome(outcome, relative)
    })
}

fn asff_eventbridge(budget: Budget) -> Result<(), String> {
    let relative = Path::new("scans/event.json");
    check(
        budget,
        seed("tests/fixtures/scanners/securityhub/eventbridge-event.json"),
        |bytes| {
            let outcome = asff::read_asff(bytes, bytes.len() as u64, relative);
            scan_outcome(outcome, relative)
        },
    )
}

fn prowler_3_json(budget: Budget) -> Result<(), String> {
    let relative = Path::new("scans/prowler-output.json");
    check(
        budget,
        seed("tests/fixtures/scanners/prowler-v3/prowler-output.json"),
        |bytes| {
            let outcome = prowler_json::read_prowler_json(bytes, bytes.len() as u64, relative);
            scan_outcome(outcome, relative)
        },
    )
}

/// `terraform show -json` as `inventory import` reads it: resources, or an error naming the file.
fn terraform_json(budget: Budget) -> Result<(), String> {
    let relative = Path::new("state.json");
    check(
        budget,
        seed("tests/fixtures/terraform/state.json"),
        |bytes| match auditpack::load::terraform::read_terraform(bytes, relative) {
            Ok(_) => Ok(()),
            Err(problem) if problem.location.path() == relative => Ok(()),
            Err(problem) => Err(TestCaseError::fail(format!(
                "the error does not name the file: {problem}"
            ))),
        },
    )
}

/// Characters a hostile tag or name may hold: C0 and C1 controls, DEL, the
/// bidirectional controls, quotes, backslashes and line breaks, each UTF-8 encoded
/// so that they survive into the strings a reader keeps.
const HOSTILE: &[char] = &[
    '\u{0}', '\u{7}', '\n', '\r', '\t', '\u{1b}', '\u{7f}', '\u{80}', '\u{85}', '\u{9b}', '\u{9f}',
    '\u{202a}', '\u{202e}', '\u{2066}', '\u{2069}', '"', '\\', '\'', '#', '[', ']', '=',
];

/// A seed with hostile characters spliced in (most land inside a string), or the
/// usual random bytes and edits.
fn hostile_input(seed: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let spliced = seed.clone();
    let splice = proptest::collection::vec(
        (
            any::<Index>(),
            proptest::collection::vec(proptest::sample::select(HOSTILE), 1..4),
        ),
        1..6,
    )
    .prop_map(move |splices| {
        let mut bytes = spliced.clone();
        for (at, chars) in splices {
            let text: String = chars.into_iter().collect();
            let i = at.index(bytes.len().max(1)).min(bytes.len());
            bytes.splice(i..i, text.into_bytes());
        }
        bytes
    });
    prop_oneof![1 => input(seed), 1 => splice]
}

/// `auditpack inventory import FILE --tag ...`, the real binary, on random and mutated
/// input of each format it reads: exit 0 with TOML that parses, or 1 or 2 with a
/// message; never a panic. A case is a run of the binary, so the budget is shared
/// among the formats.
fn inventory_import(budget: Budget) -> Result<(), String> {
    let seeds = [
        ("state.json", "tests/fixtures/terraform/state.json"),
        ("plan.json", "tests/fixtures/terraform/plan.json"),
        (
            "prowler.csv",
            "tests/fixtures/scanners/prowler/prowler_example_output_aws.csv",
        ),
        (
            "prowler.ocsf.json",
            "tests/fixtures/scanners/prowler/prowler_example_output_aws.ocsf.json",
        ),
        (
            "asff.json",
            "tests/fixtures/scanners/securityhub/get-findings.json",
        ),
        (
            "prowler3.json",
            "tests/fixtures/scanners/prowler-v3/prowler-output.json",
        ),
    ];
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let share = Budget {
        cases: (budget.cases / seeds.len() as u32).max(1),
        ..budget
    };
    for (name, seed_path) in seeds {
        let path = dir.path().join(name);
        runner(share)
            .run(&hostile_input(seed(seed_path)), |bytes| {
                std::fs::write(&path, &bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
                let output = std::process::Command::new(env!("CARGO_BIN_EXE_auditpack"))
                    .args(["inventory", "import"])
                    .arg(&path)
                    .args(["--tag", "DataClassification=restricted:phi"])
                    .output()
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                let stdout = String::from_utf8_lossy(&output.stdout);
                let stderr = String::from_utf8_lossy(&output.stderr);
                let code = output.status.code();
                prop_assert!(
                    matches!(code, Some(0..=2)),
                    "exit {code:?} (a panic is 101):\n{stderr}"
                );
                prop_assert!(!stderr.contains("panicked"), "{stderr}");
                if code == Some(0) {
                    if let Err(e) = toml::from_str::<toml::Table>(&stdout) {
                        return Err(TestCaseError::fail(format!(
                            "the TOML printed does not parse ({e}):\n{stdout}"
                        )));
                    }
                } else {
                    prop_assert!(!stderr.trim().is_empty(), "exit {code:?} without a message");
                }
                Ok(())
            })
            .map_err(|e| format!("{name}: {e}"))?;
    }
    Ok(())
}

fn checkov_json(budget: Budget) -> Result<(), String> {
    let relative = Path::new("scans/checkov.json");
    check(
        budget,
        seed("tests/fixtures/scanners/checkov/results.json"),
        |bytes| {
            let outcome = checkov::read_checkov(bytes, bytes.len() as u64, relative);
            scan_outcome(outcome, relative)
        },
    )
}

/// Defender for Cloud, Security Command Center and the providers' advisors: each reader
/// on mutations of its own fixture.
fn cloud_scanners(budget: Budget) -> Result<(), String> {
    use auditpack::load::{advisors, defender, defender_csv, scc};
    type Reader = fn(
        &[u8],
        u64,
        &Path,
    )
        -> Result<auditpack::load::findings::FindingsRead, auditpack::diag::Problem>;
    let readers: [(&str, Reader); 6] = [
        ("defender/recommendations.csv", |b, n, p| {
            defender_csv::read_defender_csv(b, n, p)
        }),
        ("defender/resource-graph.json", |b, n, p| {
            defender::read_defender_json(b, n, p)
        }),
        ("scc/findings-list.json", |b, n, p| scc::read_scc(b, n, p)),
        ("advisors/trusted-advisor-results.json", |b, n, p| {
            advisors::read_trusted_advisor(b, n, p)
        }),
        ("advisors/azure-advisor-recommendations.json", |b, n, p| {
            advisors::read_azure_advisor(b, n, p)
        }),
        ("advisors/recommender-list.json", |b, n, p| {
            advisors::read_gcp_recommender(b, n, p)
        }),
    ];
    for (fixture, read) in readers {
        let relative = Path::new("scans/cloud.json");
        let seeded = seed(&format!("tests/fixtures/scanners/{fixture}"));
        check(budget, seeded, |bytes| {
            scan_outcome(read(bytes, bytes.len() as u64, relative), relative)
        })
        .map_err(|e| format!("{fixture}: {e}"))?;
    }
    Ok(())
}

fn project_settings(budget: Budget) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    check(budget, seed("samples/acme-health/audit.toml"), |bytes| {
        std::fs::write(dir.path().join("audit.toml"), bytes)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        match load_project(dir.path()) {
            Ok(_) => Ok(()),
            Err(auditpack::error::Error::Problems(problems)) => {
                prop_assert!(!problems.is_empty());
                for p in &problems {
                    let named = p.location.path();
                    prop_assert!(
                        named.ends_with("audit.toml") || named.starts_with(dir.path()),
                        "a settings error names {}",
                        named.display()
                    );
                }
                Ok(())
            }
            Err(other) => {
                prop_assert!(!other.to_string().is_empty());
                Ok(())
            }
        }
    })
}

fn snapshot_json(budget: Budget) -> Result<(), String> {
    let relative = Path::new("old/snapshot.json");
    check(
        budget,
        seed("samples/acme-health/previous/snapshot-2026-06-30.json"),
        |bytes| {
            let text = String::from_utf8_lossy(bytes);
            if let Err(error) = snapshot::parse_snapshot(relative, &text) {
                prop_assert!(error.to_string().contains("old/snapshot.json"), "{error}");
            }
            Ok(())
        },
    )
}

/// The pieces report paths are made of: names that exist in the sandbox (an
/// input, a plain file, links, a pipe, folders), names that do not, `.`, `..`
/// and `-`.
const PATH_PARTS: &[&str] = &[
    "proj",
    "audit.toml",
    "file",
    "link",
    "dirlink",
    "pipe",
    "sub",
    "new",
    "zz",
    "..",
    ".",
    "-",
];

/// Every entry under `folder` with what it is: a file's bytes, a link's target,
/// a pipe, a folder. What a write may change is compared against it.
fn tree(folder: &Path, into: &mut std::collections::BTreeMap<PathBuf, String>) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let shown = if kind.is_symlink() {
            format!(
                "link {}",
                std::fs::read_link(&path).unwrap_or_default().display()
            )
        } else if kind.is_dir() {
            tree(&path, into);
            "folder".to_string()
        } else if kind.is_file() {
            format!(
                "file {}",
                String::from_utf8_lossy(&std::fs::read(&path).unwrap_or_default())
            )
        } else {
            "special".to_string()
        };
        into.insert(path, shown);
    }
}

/// A report written to a random path (`check --sarif PATH`, through the same
/// policy as every output): either refused with nothing changed, or written as
/// a regular file holding exactly the report, with the run's input, the links,
/// their targets and the pipe untouched and no temporary file left behind.
fn report_paths(budget: Budget) -> Result<(), String> {
    use auditpack::render::target::{Claims, Destination, write_output};
    let strategy = proptest::collection::vec(proptest::sample::select(PATH_PARTS), 1..6);
    runner(budget)
        .run(&strategy, |parts| {
            let top = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
            // Deep enough that no run of `..` leaves the temporary folder.
            let sandbox = top.path().join("a/b/c/d/e/f");
            let proj = sandbox.join("proj");
            std::fs::create_dir_all(proj.join("sub")).unwrap();
            std::fs::write(proj.join("audit.toml"), "input").unwrap();
            std::fs::write(proj.join("file"), "plain").unwrap();
            #[cfg(unix)]
            {
                std::os::unix::fs::symlink(proj.join("audit.toml"), proj.join("link")).unwrap();
                std::os::unix::fs::symlink(&sandbox, proj.join("dirlink")).unwrap();
                let made = std::process::Command::new("mkfifo")
                    .arg(proj.join("pipe"))
                    .status()
                    .is_ok_and(|s| s.success());
                prop_assert!(made, "mkfifo failed");
            }
            let mut before = std::collections::BTreeMap::new();
            tree(top.path(), &mut before);
            let relative: PathBuf = parts.iter().collect();
            let path = if parts == ["-"] {
                PathBuf::from("-")
            } else {
                proj.join(&relative)
            };
            let mut claims = Claims::new([proj.clone(), proj.join("audit.toml")]);
            let written = claims
                .claim_file("the report", &path)
                .and_then(|d| match d {
                    // Standard output is the test runner's: not written here.
                    Destination::Stdout => Ok(None),
                    d => write_output(&d, b"REPORT").map(|()| Some(d)),
                });
            let mut after = std::collections::BTreeMap::new();
            tree(top.path(), &mut after);
            prop_assert!(
                !after
                    .keys()
                    .any(|p| p.to_string_lossy().contains(".partial-")),
                "a temporary file was left: {after:?}"
            );
            prop_assert_eq!(
                after.get(&proj.join("audit.toml")),
                before.get(&proj.join("audit.toml"))
            );
            match written {
                Ok(Some(Destination::File { resolved, .. })) => {
                    prop_assert!(resolved.starts_with(top.path()), "{resolved:?} outside");
                    prop_assert_eq!(std::fs::read(&resolved).ok(), Some(b"REPORT".to_vec()));
                    // Nothing else changed but the folders made on the way.
                    for (entry, was) in &before {
                        if *entry != resolved {
                            prop_assert_eq!(after.get(entry), Some(was), "{:?} changed", entry);
                        }
                    }
                }
                Ok(_) => prop_assert_eq!(&after, &before),
                Err(error) => {
                    prop_assert!(!error.to_string().is_empty());
                    for (entry, was) in &before {
                        prop_assert_eq!(after.get(entry), Some(was), "{:?} changed", entry);
                    }
                }
            }
            Ok(())
        })
        .map_err(|e| e.to_string())
}
