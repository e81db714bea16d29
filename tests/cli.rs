//! CLI: settings errors carry positions and exit 2; nothing panics; usage mistakes are explained.

use crate::common::{Project, audit_toml};

#[test]
fn an_unknown_key_in_audit_toml_names_its_line_and_column() {
    let project = Project::fixture("bad-settings");
    let run = project.run(&["build", "{}"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("audit.toml:9:1: unknown field `freshnes_days`"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"));
    assert!(
        !project.path().join("out").exists(),
        "no package after a failed build"
    );
}

#[test]
fn settings_that_name_unknown_things_are_all_reported_with_suggestions() {
    let project = Project::empty();
    let extra = "[owners]\n\"hipaa:164.312(q)\" = { owner = \"X\" }\n\n[[attestations]]\nprovider = \"aws\"\nreport = \"soc2-typ2\"\nperiod_start = 2025-01-01\nperiod_end = 2025-12-31\n";
    let text = audit_toml(
        "\"hipa\"",
        &[("aws", "ec3", "phi"), ("awz", "rds", "phi")],
        extra,
    );
    project.write("audit.toml", &text);
    let run = project.run(&["build", "{}"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    for expected in [
        "audit.toml:8:15: unknown framework \"hipa\"; did you mean \"hipaa\"?",
        "audit.toml:13:11: unknown AWS service \"ec3\"; did you mean \"ec2\"?",
        "audit.toml:18:12: unknown provider \"awz\"; did you mean \"aws\"?",
        "unknown control \"164.312(q)\" in hipaa",
        "unknown AWS attestation \"soc2-typ2\"; did you mean \"soc2-type2\"?",
    ] {
        assert!(
            run.stderr.contains(expected),
            "missing {expected:?} in:\n{}",
            run.stderr
        );
    }
    let validate = project.run(&["validate", "{}"]);
    assert_eq!(validate.code, 1, "validate reports problems with exit 1");
    assert!(validate.stdout.contains("did you mean \"hipaa\"?"));
}

#[test]
fn a_folder_without_audit_toml_is_a_usage_error() {
    let project = Project::empty();
    let run = project.run(&["build", "{}"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("is not an auditpack project (no audit.toml in it)"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_unknown_framework_id_gets_a_suggestion() {
    let run = Project::empty().run(&["frameworks", "show", "soc"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("unknown framework \"soc\"; did you mean \"soc2\"?"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_bad_date_in_settings_is_explained() {
    let project = Project::empty();
    project.write(
        "audit.toml",
        audit_toml("\"hipaa\"", &[], "").replace("as_of = 2026-03-31", "as_of = \"31/03/2026\""),
    );
    let run = project.run(&["build", "{}"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("audit.toml:7:9"), "{}", run.stderr);
}

#[test]
fn a_projects_own_catalog_is_checked_named_by_its_file_and_listed_as_an_input() {
    let project = Project::empty();
    project.write(
        "audit.toml",
        audit_toml("\"internal\"", &[("aws", "ec2", "any")], ""),
    );
    let catalog = "id = \"internal\"\nname = \"Internal policy\"\nversion = \"1\"\npublisher = \"Us\"\n\n\
        [[families]]\nid = \"P\"\nname = \"Policy\"\nlayers = [\"governance\"]\n\n\
        [[controls]]\nid = \"P-1\"\ntitle = \"Policy approved\"\nfamily = \"P\"\ndescription = \"The board approves the policy.\"\nlayers = [\"data\"]\n";
    project.write("frameworks/internal.toml", catalog);
    let run = project.run(&["build", "{}"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("frameworks/internal.toml: control P-1 touches other layers than family P but gives no layers_reason"),
        "{}",
        run.stderr
    );
    project.write(
        "frameworks/internal.toml",
        catalog.replace("layers = [\"data\"]", "layers = [\"governance\"]"),
    );
    let manifest = std::fs::read_to_string(project.build().join("manifest.json")).unwrap();
    assert!(
        manifest.contains("\"path\": \"frameworks/internal.toml\""),
        "{manifest}"
    );
}

#[test]
fn a_projects_catalog_text_is_shown_escaped_in_frameworks_tables() {
    let project = Project::empty();
    let catalog = "id = \"internal\"\nname = \"Internal policy\"\nversion = \"1\"\npublisher = \"Us\"\n\n\
        [[families]]\nid = \"P\"\nname = \"Policy\"\nlayers = [\"governance\"]\n\n\
        [[controls]]\nid = \"P-1\"\ntitle = \"Policy \\u001b[2J approved\"\nfamily = \"P\"\ndescription = \"The board approves the policy.\"\nlayers = [\"governance\"]\n";
    project.write("frameworks/internal.toml", catalog);
    let run = project.run(&["frameworks", "show", "internal", "--project", "{}"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("Policy \\u{1b}[2J approved"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains('\x1b'), "{:?}", run.stdout);
}
