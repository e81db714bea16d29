//! Focused documents: the HIPAA customer-controls PDF and other filtered packages.

use crate::common::{Project, pdf_text, snapshot};

#[test]
fn the_hipaa_customer_pdf_lists_customer_and_shared_controls_only() {
    let project = Project::sample("acme-health");
    let whole = snapshot(&project.build());
    let focused = project.path().join("focused");
    let run = project.run(&[
        "build",
        "{}",
        "--framework",
        "hipaa",
        "--responsibility",
        "customer",
        "--responsibility",
        "shared",
        "--format",
        "pdf",
        "--out",
        focused.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let files: Vec<String> = std::fs::read_dir(&focused)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut files = files;
    files.sort();
    assert_eq!(files, ["audit-package.pdf", "manifest.json"]);

    let text = pdf_text(&focused.join("audit-package.pdf"));
    assert!(
        text.contains("What this document leaves out"),
        "the explanation page is there"
    );
    assert!(text.contains("HIPAA Security Rule; customer and shared controls only"));
    let controls = whole["frameworks"][0]["controls"].as_array().unwrap();
    let mut kept = 0;
    for control in controls {
        let id = control["id"].as_str().unwrap();
        match control["responsibility"].as_str() {
            Some("customer" | "shared") => {
                kept += 1;
                assert!(text.contains(id), "customer or shared control {id} missing");
            }
            Some("inherited") => assert!(!text.contains(id), "inherited control {id} listed"),
            _ => {}
        }
    }
    assert_eq!(
        kept, 61,
        "every applicable HIPAA control of the sample is customer or shared: its clinics and office own their facility safeguards"
    );
}

#[test]
fn a_focused_build_goes_to_its_own_folder_and_leaves_the_full_package_alone() {
    let project = Project::sample("acme-health");
    let run = project.run(&["build", "{}"]);
    assert_eq!(run.code, 0);
    let run = project.run(&[
        "build",
        "{}",
        "--responsibility",
        "inherited",
        "--format",
        "xlsx",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        project
            .path()
            .join("out/2026-09-30/audit-package.pdf")
            .is_file()
    );
    assert!(
        project
            .path()
            .join("out/2026-09-30-inherited/audit-workbook.xlsx")
            .is_file()
    );
}

#[test]
fn a_framework_outside_the_project_is_a_usage_error() {
    let project = Project::sample("acme-health");
    let run = project.run(&["build", "{}", "--framework", "hipa"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--framework hipa is not among this project's frameworks (hipaa); did you mean \"hipaa\"?"), "{}", run.stderr);
}

fn with_template(template: &str) -> Project {
    let project = Project::sample("acme-health");
    let toml = std::fs::read_to_string(project.path().join("audit.toml")).unwrap();
    project.write(
        "audit.toml",
        format!("{toml}\n[report]\ntemplate = \"brand/package.typ\"\n"),
    );
    project.write("brand/package.typ", template);
    project.write("brand/tagline.txt", "Care, securely.");
    project
}

#[test]
fn a_project_template_replaces_the_shipped_one_and_reads_files_beside_it() {
    let project = with_template(
        "#let data = json(\"data.json\")\n= #data.organization brand report\n#read(\"tagline.txt\")\n#for f in data.frameworks [ #f.name: #f.coverage_text ]\n",
    );
    let package = project.build();
    let text = pdf_text(&package.join("audit-package.pdf"));
    assert!(text.contains("Acme Health, Inc. brand report"), "{text}");
    assert!(text.contains("Care, securely."));
    assert!(text.contains("HIPAA Security Rule: 72%"), "{text}");
    let manifest = std::fs::read_to_string(package.join("manifest.json")).unwrap();
    assert!(
        manifest.contains("brand/package.typ") && manifest.contains("brand/tagline.txt"),
        "template files are inputs"
    );
}

#[test]
fn a_broken_template_gives_typsts_diagnostic_with_file_and_line() {
    let project = with_template("#let data = json(\"data.json\")\n\n= Title #nosuchthing\n");
    let run = project.run(&["build", "{}"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("package.typ:3:10: unknown variable: nosuchthing"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"));
    let escape = with_template("#read(\"/etc/hostname\")\n");
    let run = escape.run(&["build", "{}"]);
    assert_eq!(run.code, 2, "the world reads no file from disk");
    assert!(run.stderr.contains("file not found"), "{}", run.stderr);
}

#[test]
fn a_missing_template_is_a_settings_error_with_its_position() {
    let project = Project::sample("acme-health");
    let toml = std::fs::read_to_string(project.path().join("audit.toml")).unwrap();
    project.write(
        "audit.toml",
        format!("{toml}\n[report]\ntemplate = \"nope.typ\"\n"),
    );
    let run = project.run(&["build", "{}"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("audit.toml:")
            && run.stderr.contains("the template: cannot open nope.typ"),
        "{}",
        run.stderr
    );
}
