//! Nothing lost, round two: every file auditpack writes goes through one path
//! policy (`render/target.rs`), templates are bounded in time and memory, and
//! links and text from input stay inert. Each test failed on the code before it.

use crate::common::{Project, Run, audit_toml};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const GOOD_CSV: &str =
    "Title,Controls,Collected,Result\nMFA review,HIPAA 164.312(d),2026-03-01,pass\n";

/// A HIPAA project on EC2 with one passing evidence row, plus `extra` settings.
fn project(extra: &str) -> Project {
    let project = Project::empty();
    let extra = format!("[[evidence]]\npath = \"ev.csv\"\n{extra}");
    project.write(
        "audit.toml",
        audit_toml("\"hipaa\"", &[("aws", "ec2", "phi")], &extra),
    );
    project.write("ev.csv", GOOD_CSV);
    project
}

/// Run the binary in `cwd`, killed (and the test failed) past `limit`.
fn run_in(cwd: &Path, args: &[&str], env: &[(&str, &str)], limit: Duration) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_auditpack"))
        .args(args)
        .current_dir(cwd)
        .env_remove("SOURCE_DATE_EPOCH")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            child.kill().unwrap();
            panic!("auditpack {args:?} still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Every name in a folder, hidden ones included, sorted.
fn names(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn refused(run: &Run) {
    assert_eq!(
        run.code, 2,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    assert!(
        run.stderr.contains("will not write"),
        "no refusal in: {}",
        run.stderr
    );
}

// 1. `--out` through a missing folder and `..` is the folder it leads to.

#[test]
fn out_through_a_missing_folder_and_up_never_moves_the_project_aside() {
    let parent = tempfile::tempdir().unwrap();
    let proj = parent.path().join("proj");
    std::fs::create_dir(&proj).unwrap();
    let p = project("");
    for name in ["audit.toml", "ev.csv"] {
        std::fs::copy(p.path().join(name), proj.join(name)).unwrap();
    }
    let before = names(parent.path());
    let run = run_in(
        parent.path(),
        &["build", "proj", "--out", "zz/../proj"],
        &[],
        Duration::from_secs(120),
    );
    refused(&run);
    assert!(run.stderr.contains("zz/../proj"), "{}", run.stderr);
    assert_eq!(
        names(parent.path()),
        before,
        "nothing made or moved beside it"
    );
    assert_eq!(names(&proj), ["audit.toml", "ev.csv"]);
    assert_eq!(
        std::fs::read_to_string(proj.join("ev.csv")).unwrap(),
        GOOD_CSV
    );
}

#[test]
fn out_through_a_missing_folder_to_a_folder_of_other_files_is_refused() {
    let parent = tempfile::tempdir().unwrap();
    let p = project("");
    let victim = parent.path().join("victim");
    std::fs::create_dir(&victim).unwrap();
    std::fs::write(victim.join("thesis.docx"), "years of work").unwrap();
    let out = format!("{}/nx/../victim", parent.path().display());
    let run = p.run(&["build", "{}", "--out", &out]);
    refused(&run);
    assert_eq!(names(parent.path()), ["victim"]);
    assert_eq!(names(&victim), ["thesis.docx"]);
    // The same folder by its plain name still builds once it is empty.
    std::fs::remove_file(victim.join("thesis.docx")).unwrap();
    let run = p.run(&["build", "{}", "--out", &out]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(victim.join("audit-package.pdf").is_file());
    // The missing folder was never needed: the path led past it.
    assert_eq!(names(parent.path()), ["victim"]);
}

// 2. Report paths: only absent or regular files; `-` is standard output.

/// A character device (1, 3: what /dev/null is) made in `folder`, or `None`
/// where this user may not make one.
#[cfg(unix)]
fn device_node(folder: &Path) -> Option<PathBuf> {
    let path = folder.join("null");
    let made = Command::new("mknod")
        .arg(&path)
        .args(["c", "1", "3"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    match made {
        true => Some(path),
        false => {
            eprintln!("skipped the device-node case: mknod needs root here");
            None
        }
    }
}

#[cfg(unix)]
fn is_char_device(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_char_device())
}

#[cfg(unix)]
#[test]
fn a_device_node_as_a_report_path_is_refused_and_left_a_device() {
    let p = project("");
    let Some(null) = device_node(p.path()) else {
        return;
    };
    let null = null.to_str().unwrap();
    for args in [
        vec!["check", "{}", "--sarif", null],
        vec!["check", "{}", "--junit", null],
        vec!["check", "{}", "--gitlab-codequality", null],
        vec!["tabletop", "{}", "--pdf", null],
        vec!["tabletop", "{}", "--xlsx", null],
        vec!["diff", "{}", "{}", "--xlsx", null],
    ] {
        let run = p.run(&args);
        refused(&run);
        assert!(run.stderr.contains("it is a device"), "{}", run.stderr);
        assert!(
            is_char_device(Path::new(null)),
            "{args:?} replaced the device"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_symlink_as_a_report_path_is_refused_and_its_target_untouched() {
    let p = project("");
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("precious.txt");
    std::fs::write(&target, "keep me").unwrap();
    let link = p.path().join("report.sarif");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    for flag in ["--sarif", "--junit"] {
        let run = p.run(&["check", "{}", flag, link.to_str().unwrap()]);
        refused(&run);
        assert!(run.stderr.contains("symbolic link"), "{}", run.stderr);
    }
    let run = p.run(&["diff", "{}", "{}", "--pdf", link.to_str().unwrap()]);
    refused(&run);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
}

#[cfg(unix)]
#[test]
fn a_replaced_report_keeps_its_permissions_and_no_partial_file_is_left() {
    use std::os::unix::fs::PermissionsExt;
    let p = project("");
    let reports = tempfile::tempdir().unwrap();
    let sarif = reports.path().join("gate.sarif");
    std::fs::write(&sarif, "old").unwrap();
    std::fs::set_permissions(&sarif, std::fs::Permissions::from_mode(0o600)).unwrap();
    let run = p.run(&["check", "{}", "--sarif", sarif.to_str().unwrap()]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    let written = std::fs::read_to_string(&sarif).unwrap();
    assert!(written.contains("\"runs\""), "{written}");
    let mode = std::fs::metadata(&sarif).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert_eq!(names(reports.path()), ["gate.sarif"]);
}

#[test]
fn a_dash_writes_the_report_to_standard_output_and_the_summary_to_standard_error() {
    let p = project("");
    let run = p.run(&["check", "{}", "--sarif", "-"]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    let sarif: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("stdout is not the SARIF report ({e}): {}", run.stdout));
    assert_eq!(sarif["version"], "2.1.0");
    assert!(run.stderr.contains("coverage"), "{}", run.stderr);
    assert!(!p.path().join("-").exists());
    // Two reports cannot both be standard output.
    let run = p.run(&["check", "{}", "--sarif", "-", "--junit", "-"]);
    refused(&run);
    assert!(run.stderr.contains("standard output"), "{}", run.stderr);
    // A workbook to standard output, piped, is a whole workbook.
    let run = Command::new(env!("CARGO_BIN_EXE_auditpack"))
        .args(["tabletop", p.path().to_str().unwrap(), "--xlsx", "-"])
        .output()
        .unwrap();
    assert!(run.stdout.starts_with(b"PK"), "not a zip on stdout");
}

// 3. `diff` never writes over its own inputs, nor one output over another.

#[test]
fn diff_reports_never_replace_the_diffs_inputs_or_each_other() {
    let p = project("");
    let package = p.build();
    let old = package.join("snapshot.json");
    let before = std::fs::read(&old).unwrap();
    let old_s = old.to_str().unwrap();
    for args in [
        vec!["diff", old_s, old_s, "--xlsx", old_s],
        vec!["diff", old_s, "{}", "--pdf", "{}/audit.toml"],
        vec!["diff", old_s, "{}", "--pdf", "{}/ev.csv"],
    ] {
        let run = p.run(&args);
        refused(&run);
        assert!(run.stderr.contains("this run's inputs"), "{}", run.stderr);
    }
    assert_eq!(std::fs::read(&old).unwrap(), before);
    assert_eq!(
        std::fs::read_to_string(p.path().join("ev.csv")).unwrap(),
        GOOD_CSV
    );
    let same = p.path().join("changes.out");
    let same = same.to_str().unwrap();
    let run = p.run(&["diff", old_s, old_s, "--xlsx", same, "--pdf", same]);
    refused(&run);
    assert!(run.stderr.contains("another output"), "{}", run.stderr);
    assert!(!Path::new(same).exists());
}

// 4. `init` never replaces a request list, and never writes a file it cannot read back.

#[test]
fn init_never_replaces_a_filled_in_request_list() {
    let p = Project::empty();
    p.write("evidence/evidence-requests.xlsx", "a quarter of answers");
    let run = p.run(&["init", "{}", "--provider", "aws"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("evidence-requests.xlsx"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(p.path().join("evidence/evidence-requests.xlsx")).unwrap(),
        "a quarter of answers"
    );
    assert!(!p.path().join("audit.toml").exists());
}

#[test]
fn init_refuses_a_control_character_in_the_name_and_can_run_again() {
    let p = Project::empty();
    for name in ["Acme\rHealth", "Acme\u{1b}[2J", "Acme\u{85}"] {
        let run = p.run(&["init", "{}", "--provider", "aws", "--organization", name]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(run.stderr.contains("control character"), "{}", run.stderr);
        assert!(!p.path().join("audit.toml").exists());
    }
    let run = p.run(&[
        "init",
        "{}",
        "--provider",
        "aws",
        "--organization",
        "Acme \"Health\" \\ Ltd",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(p.path().join("audit.toml")).unwrap();
    let parsed: toml::Table = toml::from_str(&text).unwrap();
    assert_eq!(
        parsed["organization"]["name"].as_str(),
        Some("Acme \"Health\" \\ Ltd")
    );
    assert_eq!(p.run(&["validate", "{}"]).code, 0);
}

// 5. Templates are bounded in time and memory.

#[test]
fn a_runaway_html_template_is_stopped_with_exit_2_naming_it() {
    let nested =
        "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}";
    let doubling = "{% set_global s = \"x\" %}{% for i in range(end=64) %}{% set_global s = s ~ s %}{% endfor %}{{ s }}";
    // 64 KB a turn: past the 256 MB cap long before the clock runs out.
    let printing = format!(
        "{{% for i in range(end=100000) %}}{{% for j in range(end=100000) %}}{}{{% endfor %}}{{% endfor %}}",
        "0123456789abcdef".repeat(4096)
    );
    // Each case names the bound that must stop it; the clock is set long for
    // the cases memory or the size cap stop, so a loaded machine cannot make
    // the clock fire first.
    for (template, why, seconds) in [
        (nested, "ran for more than 3 s", "3"),
        (doubling, "needed more than", "120"),
        (printing.as_str(), "grew past", "120"),
    ] {
        let p = project("[report]\nhtml_template = \"brand/report.tera\"\n");
        p.write("brand/report.tera", template);
        let out = p.path().join("pkg");
        let run = run_in(
            p.path(),
            &["build", ".", "--out", out.to_str().unwrap()],
            &[
                ("AUDITPACK_TEMPLATE_SECONDS", seconds),
                ("AUDITPACK_HTML_MEMORY_MB", "512"),
            ],
            Duration::from_secs(240),
        );
        assert_eq!(run.code, 2, "{template}: {}", run.stderr);
        assert!(run.stderr.contains("brand/report.tera"), "{}", run.stderr);
        assert!(run.stderr.contains(why), "{why}: {}", run.stderr);
        assert!(!out.exists());
    }
}

#[test]
fn a_pdf_template_looping_without_allocating_is_stopped_by_the_clock() {
    let p = project("[report]\ntemplate = \"brand/t.typ\"\n");
    p.write(
        "brand/t.typ",
        "#for i in range(100000) { for j in range(100000) { } }\n",
    );
    let out = p.path().join("pkg");
    let run = run_in(
        p.path(),
        &["build", ".", "--out", out.to_str().unwrap()],
        &[("AUDITPACK_TEMPLATE_SECONDS", "3")],
        Duration::from_secs(60),
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("brand/t.typ"), "{}", run.stderr);
    assert!(
        run.stderr.contains("ran for more than 3 s"),
        "{}",
        run.stderr
    );
    assert!(!out.exists());
}

// 6. Paths and text.

#[test]
fn a_check_baseline_outside_the_project_is_refused_without_being_read() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.json");
    std::fs::write(&secret, "TOP-SECRET-LINE not json").unwrap();
    let relative = format!(
        "../{}/secret.json",
        outside.path().file_name().unwrap().to_str().unwrap()
    );
    for baseline in [relative.as_str(), secret.to_str().unwrap()] {
        let p = project(&format!("[check]\nbaseline = {baseline:?}\n"));
        // The project sits beside `outside` in the same temporary folder.
        let p_parent = p.path().parent().unwrap().to_path_buf();
        assert_eq!(p_parent, outside.path().parent().unwrap());
        let run = p.run(&["check", "{}"]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(run.stderr.contains("[check] baseline"), "{}", run.stderr);
        assert!(run.stderr.contains("outside the project"), "{}", run.stderr);
        assert!(!run.stderr.contains("TOP-SECRET"), "{}", run.stderr);
    }
}

#[test]
fn only_web_and_relative_links_reach_oscal() {
    let p = project("");
    p.write(
        "ev.csv",
        "Title,Controls,Collected,Result,Link\n\
         A,HIPAA 164.312(d),2026-03-01,pass,javascript:alert(1)\n\
         B,HIPAA 164.312(d),2026-03-02,pass,VBScript:msgbox(1)\n\
         C,HIPAA 164.312(d),2026-03-03,pass,data:text/html;base64,PHNjcmlwdD4=\n\
         D,HIPAA 164.312(d),2026-03-04,pass,//evil.example/x\n\
         E,HIPAA 164.312(d),2026-03-05,pass,https://tickets.example/SEC-1\n\
         F,HIPAA 164.312(d),2026-03-06,pass,evidence/mfa.png\n",
    );
    let package = p.build();
    let mut hrefs = Vec::new();
    for entry in std::fs::read_dir(package.join("oscal")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        collect_hrefs(&json, &mut hrefs);
    }
    let lower: Vec<String> = hrefs.iter().map(|h| h.to_ascii_lowercase()).collect();
    for bad in ["javascript:", "vbscript:", "data:", "//evil"] {
        assert!(
            !lower.iter().any(|h| h.starts_with(bad)),
            "{bad} in {hrefs:?}"
        );
    }
    assert!(
        hrefs.iter().any(|h| h == "https://tickets.example/SEC-1"),
        "{hrefs:?}"
    );
    assert!(hrefs.iter().any(|h| h == "evidence/mfa.png"), "{hrefs:?}");
}

fn collect_hrefs(value: &serde_json::Value, hrefs: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v.as_str()) {
                    ("href", Some(h)) => hrefs.push(h.to_string()),
                    _ => collect_hrefs(v, hrefs),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_hrefs(v, hrefs)),
        _ => {}
    }
}

#[test]
fn bidirectional_controls_from_input_reach_the_terminal_escaped() {
    let p = project("");
    p.write(
        "ev.csv",
        "Title,Controls,Collected,Result\nreview,HIPAA 164.312(d)\u{202e}gpj.exe,2026-03-01,pass\n",
    );
    let run = p.run(&["validate", "{}"]);
    let all = format!("{}{}", run.stdout, run.stderr);
    assert!(all.contains("\\u{202e}"), "{all}");
    for c in ['\u{202e}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}'] {
        assert!(!all.contains(c), "raw {c:?} in {all}");
    }
}

#[cfg(unix)]
#[test]
fn inventory_import_never_turns_a_linked_audit_toml_into_a_copy() {
    let p = Project::empty();
    let kept = tempfile::tempdir().unwrap();
    let before =
        std::fs::read_to_string(crate::common::fixtures().join("inventory/before.toml")).unwrap();
    std::fs::write(kept.path().join("audit.toml"), &before).unwrap();
    std::os::unix::fs::symlink(kept.path().join("audit.toml"), p.path().join("audit.toml"))
        .unwrap();
    let plan = crate::common::fixtures().join("terraform/plan.json");
    let run = p.run(&[
        "inventory",
        "import",
        plan.to_str().unwrap(),
        "--write",
        "{}",
    ]);
    refused(&run);
    assert!(run.stderr.contains("symbolic link"), "{}", run.stderr);
    let link = std::fs::symlink_metadata(p.path().join("audit.toml")).unwrap();
    assert!(link.file_type().is_symlink());
    assert_eq!(
        std::fs::read_to_string(kept.path().join("audit.toml")).unwrap(),
        before
    );
}
