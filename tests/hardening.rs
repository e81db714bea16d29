//! Nothing lost, nothing hangs, nothing panics: `--out` safety and hostile inputs.
//! One test (or more) per defect the fuzz campaign found; each failed before its fix.

use crate::common::{Project, Run, audit_toml, fixtures, pdf_text};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A project with one evidence source, HIPAA on EC2.
fn project_with(evidence_path: &str) -> Project {
    let project = Project::empty();
    let extra = format!("[[evidence]]\npath = \"{evidence_path}\"\n");
    project.write(
        "audit.toml",
        audit_toml("\"hipaa\"", &[("aws", "ec2", "phi")], &extra),
    );
    project
}

const GOOD_CSV: &str =
    "Title,Controls,Collected,Result\nMFA review,HIPAA 164.312(d),2026-03-01,pass\n";

/// Run the binary with a deadline: a run that blocks (on a named pipe) is killed
/// and fails the test instead of hanging the suite.
fn run_within(project: &Project, args: &[&str], limit: Duration) -> Run {
    let folder = project.path().to_string_lossy().into_owned();
    let args: Vec<String> = args.iter().map(|a| a.replace("{}", &folder)).collect();
    let mut child = Command::new(env!("CARGO_BIN_EXE_auditpack"))
        .args(&args)
        .env_remove("SOURCE_DATE_EPOCH")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > limit {
            child.kill().unwrap();
            panic!("auditpack {args:?} still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).replace(&folder, "[PROJECT]"),
        stderr: String::from_utf8_lossy(&output.stderr).replace(&folder, "[PROJECT]"),
    }
}

fn file_names(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

// 1. `--out` never deletes what auditpack did not write.

#[test]
fn out_refuses_a_folder_holding_other_files_and_keeps_them() {
    let project = project_with("ev.csv");
    project.write("ev.csv", GOOD_CSV);
    let documents = Project::empty();
    documents.write("thesis.docx", "years of work");
    documents.write("photos/cat.jpg", "cat");
    let run = project.run(&["build", "{}", "--out", documents.path().to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("will not write the package to"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("photos, thesis.docx"), "{}", run.stderr);
    assert_eq!(file_names(documents.path()), ["photos", "thesis.docx"]);
    assert_eq!(
        std::fs::read_to_string(documents.path().join("thesis.docx")).unwrap(),
        "years of work"
    );
}

#[test]
fn out_refuses_the_project_folder_itself() {
    let project = project_with("ev.csv");
    project.write("ev.csv", GOOD_CSV);
    let run = project.run(&["build", "{}", "--out", "{}"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(file_names(project.path()), ["audit.toml", "ev.csv"]);
    // A folder of the project's inputs, and an ancestor of the project, likewise.
    project.write("evidence/more.csv", GOOD_CSV);
    for out in ["{}/evidence", "{}/.."] {
        let run = project.run(&["build", "{}", "--out", out]);
        assert_eq!(run.code, 2, "{out}: {}", run.stderr);
    }
    assert!(project.path().join("evidence/more.csv").exists());
}

#[test]
fn out_refuses_an_ordinary_file_and_a_symlink() {
    let project = project_with("ev.csv");
    project.write("ev.csv", GOOD_CSV);
    project.write("notes.txt", "keep me");
    let run = project.run(&["build", "{}", "--out", "{}/notes.txt"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("it is a file, not a package folder"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(project.path().join("notes.txt")).unwrap(),
        "keep me"
    );
    assert_eq!(
        file_names(project.path()),
        ["audit.toml", "ev.csv", "notes.txt"]
    );
    #[cfg(unix)]
    {
        let elsewhere = Project::empty();
        std::os::unix::fs::symlink(elsewhere.path(), project.path().join("link")).unwrap();
        let run = project.run(&["build", "{}", "--out", "{}/link"]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(run.stderr.contains("symbolic link"), "{}", run.stderr);
    }
}

#[test]
fn out_replaces_an_earlier_package_but_not_one_with_files_added() {
    let project = project_with("ev.csv");
    project.write("ev.csv", GOOD_CSV);
    let package = project.build();
    let package_arg = package.to_str().unwrap();
    // An empty folder, and an earlier package, are replaced.
    let run = project.run(&["build", "{}", "--out", package_arg]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        file_names(&package),
        [
            "audit-package.pdf",
            "audit-report.html",
            "audit-workbook.xlsx",
            "manifest.json",
            "oscal",
            "snapshot.json"
        ]
    );
    // No hidden folders left beside it.
    assert_eq!(file_names(project.path()), ["audit.toml", "ev.csv", "pkg"]);
    // A reviewer's notes in the package folder are not the package's to remove.
    project.write("pkg/reviewer-notes.txt", "ask about MFA");
    let run = project.run(&["build", "{}", "--out", package_arg]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("reviewer-notes.txt"), "{}", run.stderr);
    assert!(package.join("reviewer-notes.txt").exists());
    // A manifest that lists a project input is not a licence to remove it.
    std::fs::remove_file(package.join("reviewer-notes.txt")).unwrap();
    project.write("pkg/audit.toml", "not a package file");
    let manifest = std::fs::read_to_string(package.join("manifest.json")).unwrap();
    let forged = manifest.replace("\"snapshot.json\"", "\"audit.toml\"");
    project.write("pkg/manifest.json", forged);
    let run = project.run(&["build", "{}", "--out", package_arg]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(package.join("audit.toml").exists());
}

#[test]
fn an_empty_out_folder_is_used() {
    let project = project_with("ev.csv");
    project.write("ev.csv", GOOD_CSV);
    std::fs::create_dir(project.path().join("empty")).unwrap();
    let run = project.run(&["build", "{}", "--out", "{}/empty"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(project.path().join("empty/manifest.json").exists());
}

// 2. A damaged `.xls` is an error naming it, not a panic.

#[test]
fn a_truncated_xls_is_reported_as_damaged_not_a_panic() {
    for file in ["truncated-4200.xls", "truncated-943.xls"] {
        let project = project_with(file);
        std::fs::copy(
            fixtures().join("workbooks").join(file),
            project.path().join(file),
        )
        .unwrap();
        for command in ["validate", "build"] {
            let run = project
                .run(&[command, "{}", "--out", "{}/pkg"][..if command == "build" { 4 } else { 2 }]);
            // validate lists the problem (exit 1); build stops on it (exit 2).
            let expected = if command == "build" { 2 } else { 1 };
            assert_eq!(
                run.code, expected,
                "{file} {command}: {}{}",
                run.stdout, run.stderr
            );
            let all = format!("{}{}", run.stdout, run.stderr);
            assert!(
                all.contains("damaged or truncated workbook") && all.contains(file),
                "{file} {command}: {all}"
            );
            assert!(!all.contains("panicked"), "{file} {command}: {all}");
        }
        assert!(!project.path().join("pkg").exists());
    }
}

#[test]
fn an_xls_whose_sector_chain_loops_is_damaged_not_a_machine_filling_loop() {
    // Found by `cargo bench --bench fuzz`: calamine followed the loop until the
    // kernel killed the process (61 s, 24 GB).
    let project = project_with("loop.xls");
    std::fs::copy(
        fixtures().join("workbooks/sector-loop.xls"),
        project.path().join("loop.xls"),
    )
    .unwrap();
    let run = run_within(&project, &["validate", "{}"], Duration::from_secs(30));
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains(
            "loop.xls: damaged or truncated workbook: its directory's chain of sectors loops"
        ),
        "{}",
        run.stdout
    );
    let run = run_within(
        &project,
        &["build", "{}", "--out", "{}/pkg"],
        Duration::from_secs(30),
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(!project.path().join("pkg").exists());
}

#[test]
fn an_xls_that_asks_for_absurd_memory_is_stopped_with_an_error_naming_it() {
    let project = project_with("huge.xls");
    std::fs::copy(
        fixtures().join("workbooks/huge-reserve.xls"),
        project.path().join("huge.xls"),
    )
    .unwrap();
    let run = run_within(
        &project,
        &["build", "{}", "--out", "{}/pkg"],
        Duration::from_secs(30),
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    // Release builds reserve and meet the memory limit; test builds check
    // arithmetic and meet calamine's overflow as a caught panic. Either way:
    assert!(
        run.stderr.contains("huge.xls") && run.stderr.contains("damaged or truncated workbook"),
        "{}",
        run.stderr
    );
    assert!(!project.path().join("pkg").exists());
}

// 3. A date cell far outside the calendar is a reported cell.

#[test]
fn an_extreme_date_serial_is_a_reported_cell() {
    let project = project_with("ev.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("Evidence").unwrap();
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    sheet
        .write_row(0, 0, ["Title", "Controls", "Collected"])
        .unwrap();
    sheet
        .write_row(1, 0, ["MFA review", "HIPAA 164.312(d)"])
        .unwrap();
    sheet
        .write_number_with_format(1, 2, -1.1e11, &date)
        .unwrap();
    book.save(project.path().join("ev.xlsx")).unwrap();
    let run = project.run(&["validate", "{}"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("ev.xlsx [Evidence] C2")
            && run.stdout.contains("outside the dates a spreadsheet holds"),
        "{}",
        run.stdout
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

// 4 and 5. Only regular files are read: no named pipe, no device.

#[cfg(unix)]
fn make_fifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

#[cfg(unix)]
#[test]
fn a_named_pipe_as_any_input_is_refused_not_waited_on() {
    let limit = Duration::from_secs(30);
    // Evidence.
    let project = project_with("ev.csv");
    make_fifo(&project.path().join("ev.csv"));
    let run = run_within(&project, &["validate", "{}"], limit);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("not a regular file"), "{}", run.stdout);
    // audit.toml.
    let project = Project::empty();
    make_fifo(&project.path().join("audit.toml"));
    let run = run_within(&project, &["validate", "{}"], limit);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("audit.toml is a device, pipe or socket, not a regular file"),
        "{}",
        run.stdout
    );
    let run = run_within(&project, &["build", "{}"], limit);
    assert_eq!(run.code, 2, "{}", run.stderr);
    // The PDF template.
    let project = Project::empty();
    let extra = "[report]\ntemplate = \"brand/t.typ\"\n";
    project.write(
        "audit.toml",
        audit_toml("\"hipaa\"", &[("aws", "ec2", "phi")], extra),
    );
    std::fs::create_dir(project.path().join("brand")).unwrap();
    make_fifo(&project.path().join("brand/t.typ"));
    let run = run_within(&project, &["build", "{}", "--out", "{}/pkg"], limit);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("not a regular file"), "{}", run.stderr);
    // A --previous snapshot, and a side of diff.
    let project = project_with("ev.csv");
    project.write("ev.csv", GOOD_CSV);
    make_fifo(&project.path().join("old.json"));
    let run = run_within(
        &project,
        &[
            "build",
            "{}",
            "--out",
            "{}/pkg",
            "--previous",
            "{}/old.json",
        ],
        limit,
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = run_within(&project, &["diff", "{}/old.json", "{}"], limit);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn a_symlink_to_a_device_is_refused_not_read_until_memory_runs_out() {
    let limit = Duration::from_secs(30);
    for device in ["/dev/zero", "/dev/urandom"] {
        let project = project_with("ev.csv");
        std::os::unix::fs::symlink(device, project.path().join("ev.csv")).unwrap();
        let run = run_within(&project, &["validate", "{}"], limit);
        assert_eq!(run.code, 1, "{device}: {}{}", run.stdout, run.stderr);
        assert!(refused(&run.stdout), "{}", run.stdout);
        let project = Project::empty();
        std::os::unix::fs::symlink(device, project.path().join("audit.toml")).unwrap();
        let run = run_within(&project, &["validate", "{}"], limit);
        assert!(run.code == 1 || run.code == 2, "{device}: {}", run.stderr);
        assert!(
            refused(&format!("{}{}", run.stdout, run.stderr)),
            "{}",
            run.stderr
        );
        let project = project_with("ev.csv");
        project.write("ev.csv", GOOD_CSV);
        let run = run_within(
            &project,
            &["build", "{}", "--out", "{}/pkg", "--previous", device],
            limit,
        );
        assert_eq!(run.code, 2, "{device}: {}", run.stderr);
        assert!(refused(&run.stderr), "{}", run.stderr);
    }
}

/// A device behind a symlink is refused as outside the project, or, named on the
/// command line, as no regular file.
fn refused(text: &str) -> bool {
    text.contains("outside the project folder") || text.contains("not a regular file")
}

// 6. A huge cell costs what it is worth: clipped in the PDF and in messages.

#[test]
fn a_ten_megabyte_title_is_clipped_in_the_pdf_and_whole_in_the_workbook() {
    let project = project_with("ev.csv");
    let title = "A".repeat(10 * 1024 * 1024);
    project.write(
        "ev.csv",
        format!("Title,Controls,Collected,Result\n{title},HIPAA 164.312(d),2026-03-01,pass\n"),
    );
    let package = project.build();
    let text = pdf_text(&package.join("audit-package.pdf"));
    assert!(
        text.contains(&format!("({} more characters)", title.len() - 1_000)),
        "the PDF does not say how much of the title it left out"
    );
    let workbook = package.join("audit-workbook.xlsx");
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&workbook).unwrap();
    let sheet = calamine::Reader::worksheet_range(&mut book, "Evidence").unwrap();
    let longest = sheet
        .rows()
        .flat_map(|r| r.iter())
        .map(|c| c.to_string().len())
        .max()
        .unwrap();
    // As much as an Excel cell holds: 32,767 characters, and the note of the rest.
    assert!(longest >= 32_000, "the workbook cut the title to {longest}");
}

#[test]
fn a_ten_megabyte_reference_or_date_is_quoted_short() {
    let project = project_with("ev.csv");
    let reference = "164.312".repeat(1_500_000);
    let date = "9".repeat(10 * 1024 * 1024);
    project.write(
        "ev.csv",
        format!(
            "Title,Controls,Collected,Result\nOne,HIPAA {reference},2026-03-01,pass\nTwo,HIPAA 164.312(d),{date},pass\n"
        ),
    );
    let started = Instant::now();
    let run = project.run(&["validate", "{}"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout.contains("unknown control"),
        "{}",
        &run.stdout[..2_000.min(run.stdout.len())]
    );
    assert!(
        run.stdout.contains("more characters)"),
        "{}",
        &run.stdout[..2_000.min(run.stdout.len())]
    );
    assert!(
        run.stdout.len() + run.stderr.len() < 20_000,
        "validate echoed {} bytes",
        run.stdout.len() + run.stderr.len()
    );
    // Not a correctness bound: a suggestion search over 10 MB took 20 s before.
    assert!(started.elapsed() < Duration::from_secs(60));
}

// 7. A big register: the PDF index gives counts per control past its bound.

#[test]
fn past_the_index_bound_the_pdf_counts_rows_per_control_and_points_to_the_workbook() {
    let project = project_with("ev.csv");
    let rows = auditpack::render::view::INDEX_ROWS + 500;
    let mut csv = String::from("ID,Title,Controls,Collected,Result\n");
    for i in 0..rows {
        let control = ["164.312(d)", "164.308(a)(1)(ii)(A)"][i % 2];
        csv.push_str(&format!(
            "EV-{i},Review {i},HIPAA {control},2026-03-01,pass\n"
        ));
    }
    project.write("ev.csv", csv);
    let package = project.build();
    let text = pdf_text(&package.join("audit-package.pdf"));
    assert!(
        text.contains(&format!("{rows} rows count as evidence")),
        "no summary of the index"
    );
    assert!(text.contains("1250 rows"), "no count per control");
    assert!(!text.contains("Review 2400"), "rows listed past the bound");
    assert!(
        text.contains("and 1230 more rows"),
        "a control names every row"
    );
}

// 8. Nothing outside the project is read.

#[test]
fn evidence_outside_the_project_is_refused_without_quoting_it() {
    let outside = Project::empty();
    outside.write("secret.csv", "root:x:0:0:root:/root:/bin/bash\n");
    let secret = outside.path().join("secret.csv");
    let relative = format!(
        "{}/secret.csv",
        std::iter::repeat_n("..", 12).collect::<Vec<_>>().join("/")
            + &outside.path().to_string_lossy()
    );
    for path in [secret.to_string_lossy().into_owned(), relative] {
        let project = project_with(&path);
        let run = project.run(&["validate", "{}"]);
        assert_eq!(run.code, 1, "{path}: {}{}", run.stdout, run.stderr);
        assert!(
            run.stdout.contains("outside the project folder"),
            "{}",
            run.stdout
        );
        assert!(!run.stdout.contains("root:x"), "{}", run.stdout);
        assert!(
            run.stdout.contains("audit.toml:"),
            "not located in audit.toml: {}",
            run.stdout
        );
        let run = project.run(&["build", "{}", "--out", "{}/pkg"]);
        assert_eq!(run.code, 2, "{path}: {}", run.stderr);
        assert!(!run.stderr.contains("root:x"), "{}", run.stderr);
    }
    #[cfg(unix)]
    {
        let project = project_with("ev.csv");
        std::os::unix::fs::symlink(&secret, project.path().join("ev.csv")).unwrap();
        let run = project.run(&["validate", "{}"]);
        assert_eq!(run.code, 1, "{}", run.stdout);
        assert!(
            run.stdout.contains("outside the project folder"),
            "{}",
            run.stdout
        );
        assert!(!run.stdout.contains("root:x"), "{}", run.stdout);
    }
}

#[test]
fn a_folder_named_under_inputs_may_hold_evidence_and_the_manifest_lists_it() {
    let shared = Project::empty();
    shared.write("tracker.csv", GOOD_CSV);
    let project = Project::empty();
    let folder = shared.path().to_string_lossy().into_owned();
    let extra = format!(
        "[inputs]\nfolders = [\"{folder}\"]\n\n[[evidence]]\npath = \"{folder}/tracker.csv\"\n"
    );
    project.write(
        "audit.toml",
        audit_toml("\"hipaa\"", &[("aws", "ec2", "phi")], &extra),
    );
    let package = project.build();
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(package.join("manifest.json")).unwrap()).unwrap();
    let inputs: Vec<&str> = manifest["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["path"].as_str().unwrap())
        .collect();
    assert!(
        inputs.iter().any(|p| p.ends_with("tracker.csv")),
        "{inputs:?}"
    );
    // A folder that does not exist is an error at its line.
    let project = Project::empty();
    let extra = "[inputs]\nfolders = [\"../nowhere-at-all\"]\n";
    project.write(
        "audit.toml",
        audit_toml("\"hipaa\"", &[("aws", "ec2", "phi")], extra),
    );
    let run = project.run(&["validate", "{}"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("[inputs] folders: cannot open the folder"),
        "{}",
        run.stdout
    );
}

#[cfg(unix)]
#[test]
fn a_template_symlinked_out_of_the_project_is_refused() {
    let outside = Project::empty();
    outside.write("evil.typ", "#read(\"/etc/passwd\")");
    let project = Project::empty();
    let extra = "[report]\ntemplate = \"brand/t.typ\"\n";
    project.write(
        "audit.toml",
        audit_toml("\"hipaa\"", &[("aws", "ec2", "phi")], extra),
    );
    std::fs::create_dir(project.path().join("brand")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("evil.typ"),
        project.path().join("brand/t.typ"),
    )
    .unwrap();
    let run = project.run(&["build", "{}", "--out", "{}/pkg"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("outside the project folder"),
        "{}",
        run.stderr
    );
}

// 9. No raw C1 control reaches stdout from diff's JSON.

#[test]
fn diff_json_escapes_c1_controls_from_a_snapshot() {
    let project = project_with("ev.csv");
    project.write("ev.csv", GOOD_CSV);
    let package = project.build();
    let snapshot = std::fs::read_to_string(package.join("snapshot.json")).unwrap();
    let hostile = snapshot.replacen("\"Test Org\"", "\"Test\\u009b2J Org\"", 1);
    assert_ne!(hostile, snapshot);
    project.write("old.json", hostile);
    let run = project.run(&["diff", "{}/old.json", "{}", "--format", "json"]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    assert!(!run.stdout.contains('\u{9b}'), "a raw CSI reached stdout");
    assert!(
        run.stdout.contains("Test\\u009b2J Org"),
        "{}",
        &run.stdout[..400]
    );
}

// 10. A runaway template is stopped with an error naming it, not killed by the kernel.

#[test]
fn a_runaway_template_is_stopped_with_an_error_naming_it() {
    let project = Project::empty();
    let extra = "[report]\ntemplate = \"brand/t.typ\"\n";
    project.write(
        "audit.toml",
        audit_toml("\"hipaa\"", &[("aws", "ec2", "phi")], extra),
    );
    project.write("brand/t.typ", "#for i in range(2000000000) {}\n");
    let run = project.run_with_env(
        &["build", "{}", "--out", "{}/pkg"],
        &[("AUDITPACK_PDF_MEMORY_MB", "256")],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("the PDF template brand/t.typ needed more than 256 MB"),
        "{}",
        run.stderr
    );
    assert!(!project.path().join("pkg").exists());
    // The shipped template builds well within the default limit.
    let project = project_with("ev.csv");
    project.write("ev.csv", GOOD_CSV);
    let run = project.run_with_env(
        &["build", "{}", "--out", "{}/pkg"],
        &[("AUDITPACK_PDF_MEMORY_MB", "1024")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}
