//! Every parser entry point against random and mutated input: `Ok` or a located
//! error, never a panic. A few dozen cases each here, to stay fast;
//! `cargo bench --bench fuzz` runs the same properties for as long as you like.

#[path = "fuzz_properties.rs"]
mod properties;

/// Cases per property in `cargo test`; `PROPTEST_CASES` raises it.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256)
}

fn run(name: &str) {
    run_cases(name, cases());
}

fn run_cases(name: &str, cases: u32) {
    let (_, property) = properties::ALL
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("no property {name}"));
    let budget = properties::Budget {
        cases,
        seed: Some(0x0a0d_17a0),
    };
    if let Err(failure) = property(budget) {
        panic!("{name}: {failure}");
    }
}

#[test]
fn evidence_csv_never_panics() {
    run("evidence csv");
}

#[test]
fn evidence_xlsx_never_panics() {
    run("evidence xlsx");
}

#[test]
fn evidence_xls_never_panics() {
    run("evidence xls");
}

#[test]
fn evidence_ods_never_panics() {
    run("evidence ods");
}

#[test]
fn prowler_csv_never_panics() {
    run("prowler csv");
}

#[test]
fn prowler_compliance_csv_never_panics() {
    run("prowler compliance csv");
}

#[test]
fn prowler_ocsf_never_panics() {
    run("prowler ocsf");
}

#[test]
fn asff_never_panics() {
    run("asff");
}

#[test]
fn asff_eventbridge_never_panics() {
    run("asff eventbridge");
}

#[test]
fn prowler_json_never_panics() {
    run("prowler json");
}

#[test]
fn checkov_never_panics() {
    run("checkov");
}

#[test]
fn project_settings_never_panic() {
    run("audit.toml");
}

#[test]
fn cloud_posture_tools_never_panic() {
    run("cloud posture tools");
}

#[test]
fn snapshots_never_panic() {
    run("snapshot");
}

#[test]
fn terraform_state_never_panics() {
    run("terraform");
}

/// A case is a run of the binary (a tenth of a second in a debug build), so fewer:
/// four per import format, unless `PROPTEST_CASES` asks for more.
#[test]
fn inventory_import_never_panics_and_prints_toml_that_parses() {
    let cases = match std::env::var("PROPTEST_CASES") {
        Ok(_) => cases(),
        Err(_) => 24,
    };
    run_cases("inventory import", cases);
}

#[test]
fn every_property_has_a_test() {
    let tested = [
        "evidence csv",
        "evidence xlsx",
        "evidence xls",
        "evidence ods",
        "prowler csv",
        "prowler compliance csv",
        "prowler ocsf",
        "asff",
        "asff eventbridge",
        "prowler json",
        "checkov",
        "cloud posture tools",
        "audit.toml",
        "snapshot",
        "terraform",
        "report paths",
        "inventory import",
    ];
    let all: Vec<&str> = properties::ALL.iter().map(|(n, _)| *n).collect();
    assert_eq!(all, tested);
}

#[test]
fn report_paths_never_write_through_links_devices_or_inputs() {
    run("report paths");
}
