//! The providers' own posture tools as evidence: Microsoft Defender for Cloud (portal CSV,
//! assessments JSON, Resource Graph, regulatory compliance), Google Cloud Security Command
//! Center, and the advisors (Trusted Advisor, Azure Advisor, Recommender). Every finding
//! is accounted for, framework ids resolve only in the edition we hold, and hostile copies
//! of each fixture are read or refused with a position.

use crate::common::{Project, audit_toml, control, fixtures, snapshot};

const ALL: &str = "\"hipaa\", \"pci-dss\", \"iso27001\", \"cis\"";

/// A project reading `bytes` as `scans/<name>`, over Azure, GCP and AWS estates.
fn project_with(name: &str, bytes: &[u8], frameworks: &str, extra: &str) -> Project {
    let project = Project::empty();
    project.write(&format!("scans/{name}"), bytes);
    project.write(
        "audit.toml",
        audit_toml(
            frameworks,
            &[
                ("azure", "virtual-machines", "cde"),
                ("gcp", "compute-engine", "cde"),
                ("aws", "ec2", "phi"),
            ],
            &format!("[[evidence]]\npath = \"scans/{name}\"\n{extra}"),
        ),
    );
    project
}

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(fixtures().join("scanners").join(path)).unwrap()
}

/// A project reading one fixture under its own file name.
fn reading(path: &str, frameworks: &str, extra: &str) -> (Project, String) {
    let name = path.rsplit('/').next().unwrap().to_string();
    (project_with(&name, &fixture(path), frameworks, extra), name)
}

/// Build with a JSON snapshot; the stderr and the snapshot.
fn build(project: &Project) -> (String, serde_json::Value) {
    let run = project.run(&["build", "{}", "--out", "{}/pkg", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    (run.stderr, snapshot(&project.path().join("pkg")))
}

/// The result (`pass`, `fail`, `partial`) and title of a scanner file's evidence for a
/// common control.
fn evidence(s: &serde_json::Value, name: &str, common: &str) -> (String, String) {
    let id = format!("scans/{name}: COMMON {common}");
    let found = s["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == id.as_str())
        .unwrap_or_else(|| panic!("no evidence {id}: {}", s["evidence"]));
    (
        found["result"].as_str().unwrap().to_string(),
        found["title"].as_str().unwrap().to_string(),
    )
}

/// The resources one reader kept, as findings name them.
fn resources(read: auditpack::load::findings::FindingsRead) -> Vec<String> {
    read.resources
}

fn scan_line<'a>(stderr: &'a str, name: &str) -> &'a str {
    stderr
        .lines()
        .find(|l| l.starts_with(&format!("scan: scans/{name} ")))
        .unwrap_or_else(|| panic!("no scan line for {name}: {stderr}"))
}

fn accounting(counted: u64, outside: u64, unmapped: u64, dropped: u64) -> String {
    format!(
        "{} findings = {counted} counted + {outside} for controls outside the frameworks in scope + {unmapped} naming no control auditpack holds + {dropped} dropped",
        counted + outside + unmapped + dropped
    )
}

#[test]
fn defender_assessments_from_the_rest_api_count_and_not_applicable_is_set_aside() {
    let (project, name) = reading("defender/list-assessments.json", "\"pci-dss\"", "");
    let (stderr, s) = build(&project);
    let line = scan_line(&stderr, &name);
    assert!(line.contains("(Defender for Cloud JSON)"), "{line}");
    assert!(line.contains(&accounting(1, 1, 0, 0)), "{line}");
    // The not-applicable scale set is set aside with Defender's own cause.
    assert!(
        stderr.contains("set aside: 1 finding (not applicable to the resource (OffByPolicy))"),
        "{stderr}"
    );
    // Endpoint protection healthy on vmss1: END-03, a subset of PCI 5.2.1.
    assert_eq!(evidence(&s, &name, "END-03").0, "pass");
    let audit = control(&s, "pci-dss", "5.2.1");
    assert!(
        audit["status_reason"]
            .as_str()
            .unwrap()
            .contains("Defender for Cloud scans/list-assessments.json: COMMON END-03 via END-03: 1 of 1 resource pass"),
        "{audit}"
    );
}

/// Assessments keyed by the recommendation's assessment key, whose display name
/// Microsoft has since changed or which carry none: the key alone names the controls.
#[test]
fn defender_assessments_resolve_by_assessment_key_whatever_their_display_name() {
    let storage = "/subscriptions/20ff7fc3-e762-44dd-bd96-b71116dcdc23/resourceGroups/myRg/providers/Microsoft.Storage/storageAccounts/st1";
    let vm = "/subscriptions/20ff7fc3-e762-44dd-bd96-b71116dcdc23/resourceGroups/myRg/providers/Microsoft.Compute/virtualMachines/vm1";
    let json = serde_json::json!({"value": [
        {
            // "Storage account public access should be disallowed", under a new name.
            "id": format!("{storage}/providers/Microsoft.Security/assessments/51fd8bb1-0db4-bbf1-7e2b-cfcba7eb66a6"),
            "name": "51fd8bb1-0db4-bbf1-7e2b-cfcba7eb66a6",
            "type": "Microsoft.Security/assessments",
            "properties": {
                "resourceDetails": {"source": "Azure", "id": storage},
                "displayName": "Storage accounts should prevent anonymous blob access",
                "status": {"code": "Unhealthy"}
            }
        },
        {
            // "System updates should be installed on your machines", with no display name.
            "id": format!("{vm}/providers/Microsoft.Security/assessments/4ab6e3c5-74dd-8b35-9ab9-f61b30875b27"),
            "name": "4ab6e3c5-74dd-8b35-9ab9-f61b30875b27",
            "type": "Microsoft.Security/assessments",
            "properties": {
                "resourceDetails": {"source": "Azure", "id": vm},
                "status": {"code": "Healthy"}
            }
        }
    ]});
    let (stderr, s) = build(&project_with(
        "keys.json",
        json.to_string().as_bytes(),
        ALL,
        "",
    ));
    let line = scan_line(&stderr, "keys.json");
    assert!(line.contains("(Defender for Cloud JSON)"), "{line}");
    assert!(line.contains(&accounting(2, 0, 0, 0)), "{line}");
    // Public access allowed on st1: DAT-08 fails; vm1 is patched: VUL-02 passes.
    assert_eq!(evidence(&s, "keys.json", "DAT-08").0, "fail");
    assert_eq!(evidence(&s, "keys.json", "VUL-02").0, "pass");
}

/// A recommendation mapped both by display name and by assessment key names the same
/// controls either way, so a renamed recommendation keeps its evidence.
#[test]
fn defender_assessment_keys_map_as_their_display_names_do() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("frameworks/scanner-checks/defender.toml"),
    )
    .unwrap();
    let parsed: toml::Value = toml::from_str(&text).unwrap();
    let checks = parsed["checks"].as_array().unwrap();
    let is_key = |id: &str| {
        id.len() == 36
            && id.char_indices().all(|(i, c)| {
                matches!(i, 8 | 13 | 18 | 23) == (c == '-') && (c == '-' || c.is_ascii_hexdigit())
            })
    };
    let mut paired = 0;
    for check in checks {
        let id = check["id"].as_str().unwrap();
        if !is_key(id) {
            continue;
        }
        assert_eq!(
            id,
            id.to_ascii_lowercase(),
            "assessment keys are lower case"
        );
        let title = check["title"].as_str().unwrap();
        if let Some(named) = checks.iter().find(|c| c["id"].as_str() == Some(title)) {
            assert_eq!(check["controls"], named["controls"], "{id} ({title})");
            paired += 1;
        }
    }
    // Every recommendation mapped by display name whose key we found in a published
    // source (see each entry's `source`).
    assert!(paired >= 10, "{paired} keys paired with a display name");
}

#[test]
fn defender_regulatory_compliance_resolves_only_the_editions_we_hold() {
    let (project, name) = reading("defender/resource-graph.json", ALL, "");
    let (stderr, s) = build(&project);
    let line = scan_line(&stderr, &name);
    // MCSB IM-6 and DP-3, PCI DSS 4 8.4.2 and the storage assessment count; ISO 27001
    // (Defender's 2013 edition) names nothing we hold; the unsupported GS-1 is set aside.
    assert!(line.contains(&accounting(4, 1, 1, 0)), "{line}");
    assert!(
        stderr.contains(
            "unresolved ISO27001-2013: 1 finding (another edition of ISO/IEC 27001; auditpack holds 2022)"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("regulatory compliance assessment unsupported"),
        "{stderr}"
    );
    // MCSB IM-6 failed (IAM-03), DP-3 passed (CRY-03), the storage account is public
    // (DAT-08), and PCI DSS 4 8.4.2 failed in its own right.
    assert_eq!(evidence(&s, &name, "IAM-03").0, "fail");
    assert_eq!(evidence(&s, &name, "CRY-03").0, "pass");
    assert_eq!(evidence(&s, &name, "DAT-08").0, "fail");
    assert!(
        s["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["id"] == "scans/resource-graph.json: PCI 8.4.2" && e["result"] == "fail"),
        "{}",
        s["evidence"]
    );
    // The ISO 2013 id A.9.4.2 is not read as a 2022 id.
    assert!(
        !s.to_string().contains("A.9.4.2"),
        "a 2013 id reached the snapshot"
    );
    // The storage account keeps its ARM type as the provider spells it.
    let kept = resources(
        auditpack::load::defender::read_defender_json(
            fixture("defender/resource-graph.json").as_slice(),
            0,
            std::path::Path::new("rg.json"),
        )
        .unwrap(),
    );
    assert!(
        kept.iter()
            .any(|r| r.ends_with("storageAccounts/st1 (Microsoft.Storage/storageAccounts)")),
        "{kept:?}"
    );
    assert!(
        kept.contains(&"subscription 00000000-0000-0000-0000-0000000000aa".to_string()),
        "{kept:?}"
    );
}

#[test]
fn defender_regulatory_compliance_example_names_pci_3_2_as_another_version() {
    let (project, name) = reading(
        "defender/regulatory-compliance-assessments.json",
        "\"pci-dss\"",
        "",
    );
    let (stderr, _) = build(&project);
    // The passed assessment is keyed d1db3318-01ff-16de-29eb-28b344515626, the Log
    // Analytics agent recommendation, which the shipped mapping names by its key (LOG-02):
    // it counts though its PCI DSS 3.2 control does not resolve. The failed one's key is
    // not mapped, and the skipped one is set aside.
    assert!(
        scan_line(&stderr, &name).contains(&accounting(1, 1, 1, 0)),
        "{stderr}"
    );
    assert!(
        stderr.contains("common: 1 finding names its controls"),
        "{stderr}"
    );
    assert!(
        stderr.contains("unresolved PCI (PCI-DSS-3.2): 2 findings (another version of PCI DSS"),
        "{stderr}"
    );
    assert!(
        stderr.contains("regulatory compliance assessment skipped"),
        "{stderr}"
    );
}

#[test]
fn the_defender_portal_csv_reads_past_its_bom_and_its_json_controls_cell() {
    let (project, name) = reading("defender/recommendations.csv", ALL, "");
    let (stderr, s) = build(&project);
    let line = scan_line(&stderr, &name);
    assert!(line.contains("(Defender for Cloud CSV)"), "{line}");
    // 5 mapped (two by secure score control, one by benchmark id and name, one by name,
    // one by an AWS row's control), 1 not applicable, 1 unmapped, 1 short row.
    assert!(line.contains(&accounting(5, 1, 1, 1)), "{line}");
    assert!(
        stderr.contains(
            "scans/recommendations.csv:8:2: the row has 2 fields where the header has 22"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("state NotApplicable: the recommendation does not assess the resource"),
        "{stderr}"
    );
    // Open management ports on vm-web-1 and an AWS instance open to the internet fail
    // NET-02; vm-web-2 passes; vm-web-3's unknown state is not assessed.
    let (result, title) = evidence(&s, &name, "NET-02");
    assert_eq!(result, "fail");
    assert!(
        title.contains("1 of 4 resources pass, 2 fail, 1 not assessed"),
        "{title}"
    );
    // Secure transfer names the secure score control and MCSB DP-3: CRY-03.
    assert_eq!(evidence(&s, &name, "CRY-03").0, "pass");
    // Each resource keeps its type, and the account where the file names one.
    let kept = resources(
        auditpack::load::defender_csv::read_defender_csv(
            fixture("defender/recommendations.csv").as_slice(),
            0,
            std::path::Path::new("r.csv"),
        )
        .unwrap(),
    );
    assert!(
        kept.iter()
            .any(|r| r.ends_with("vm-web-1 (Microsoft.Compute/virtualMachines)")),
        "{kept:?}"
    );
    assert!(
        kept.contains(&"arn:aws:ec2:us-east-1:111122223333:instance/i-0abc (ec2)".to_string()),
        "{kept:?}"
    );
}

#[test]
fn defender_portal_csvs_published_by_others_are_read_in_both_layouts() {
    // DefectDojo's (2021): 20 quoted columns, no byte-order mark, the `controls` cell a
    // JSON object of secure score control names to ids, one subscription-level row.
    let (project, name) = reading("defender/defectdojo-recommendations-2021.csv", ALL, "");
    let (stderr, s) = build(&project);
    let line = scan_line(&stderr, &name);
    assert!(line.contains("(Defender for Cloud CSV)"), "{line}");
    // Azure Firewall and private link name "Restrict unauthorized network access";
    // "Implement security best practices" and "Enable Advanced Threat Protection" are
    // catch-all secure score controls no common control stands for.
    assert!(line.contains(&accounting(2, 0, 2, 0)), "{stderr}");
    assert_eq!(evidence(&s, &name, "NET-02").0, "fail");
    // SecObserve's (2023): 27 columns, the `controls` cell plain text.
    let (project, name) = reading("defender/secobserve-recommendations-2023.csv", ALL, "");
    let (stderr, s) = build(&project);
    let line = scan_line(&stderr, &name);
    assert!(line.contains("(Defender for Cloud CSV)"), "{line}");
    assert!(line.contains(&accounting(2, 0, 1, 0)), "{stderr}");
    assert_eq!(evidence(&s, &name, "NET-02").0, "fail");
    // Hostile copies: behind a byte-order mark the accounting is the same; cut inside a
    // row, the file is refused at the line and column where it ends.
    for (path, counted, unmapped) in [
        ("defender/defectdojo-recommendations-2021.csv", 2, 2),
        ("defender/secobserve-recommendations-2023.csv", 2, 1),
    ] {
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend(fixture(path));
        let (stderr, _) = build(&project_with("bom.csv", &bom, ALL, ""));
        assert!(
            scan_line(&stderr, "bom.csv").contains(&accounting(counted, 0, unmapped, 0)),
            "{path}: {stderr}"
        );
        let whole = fixture(path);
        let cut = &whole[..whole.len() * 6 / 10];
        let line = cut.iter().filter(|b| **b == b'\n').count() + 1;
        let run = project_with("cut.csv", cut, ALL, "").run(&["build", "{}", "--out", "{}/pkg"]);
        assert_eq!(run.code, 2, "{path}: {}", run.stderr);
        assert!(
            run.stderr
                .contains(&format!("error: scans/cut.csv:{line}:"))
                && run.stderr.contains("the file ends early (truncated?)"),
            "{path} (cut at line {line}): {}",
            run.stderr
        );
    }
}

#[test]
fn the_defender_regulatory_compliance_csv_reads_standard_and_control_columns() {
    let (project, name) = reading("defender/regulatory-compliance.csv", ALL, "");
    let (stderr, s) = build(&project);
    let line = scan_line(&stderr, &name);
    assert!(line.contains("(Defender for Cloud CSV)"), "{line}");
    // Five rows of three recommendations count; the not-applicable machine is set aside.
    assert!(line.contains(&accounting(5, 1, 0, 0)), "{line}");
    assert!(
        stderr.contains("unresolved ISO27001-2013: 3 findings (another edition of ISO/IEC 27001"),
        "{stderr}"
    );
    assert!(
        stderr.contains("unresolved CIS-Azure (CIS Microsoft Azure Foundations Benchmark v2.0.0): 3 findings (a CIS Benchmark"),
        "{stderr}"
    );
    // PCI DSS v4 8.4.2 in its own right; MCSB NS-2 and DP-3 through the shipped table.
    assert!(
        s["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["id"] == "scans/regulatory-compliance.csv: PCI 8.4.2"
                && e["result"] == "fail"),
        "{}",
        s["evidence"]
    );
    assert_eq!(evidence(&s, &name, "NET-05").0, "fail");
    assert_eq!(evidence(&s, &name, "CRY-03").0, "pass");
    assert!(
        !s.to_string().contains("A.13.1.1"),
        "a 2013 id reached the snapshot"
    );
}

#[test]
fn scc_findings_resolve_by_category_and_name_cis_benchmarks_as_such() {
    let (project, name) = reading("scc/findings-list.json", ALL, "");
    let (stderr, s) = build(&project);
    let line = scan_line(&stderr, &name);
    assert!(line.contains("(Security Command Center JSON)"), "{line}");
    // API_KEY_APIS_UNRESTRICTED and OPEN_FIREWALL map; the SCC error is set aside; the
    // Web Security Scanner's CLEAR_TEXT_PASSWORD is not in the shipped table.
    assert!(line.contains(&accounting(2, 1, 1, 0)), "{line}");
    assert!(
        stderr.contains("unresolved CIS-1.2: 1 finding (a CIS Benchmark"),
        "{stderr}"
    );
    assert!(
        stderr.contains("a Security Command Center error about its own set-up"),
        "{stderr}"
    );
    // The open firewall is muted; by default a muted failure still fails.
    assert_eq!(evidence(&s, &name, "NET-02").0, "fail");
    let (project, _) = reading("scc/findings-list.json", ALL, "muted = \"exception\"\n");
    let (_, s) = build(&project);
    let (_, title) = evidence(&s, &name, "NET-02");
    assert!(
        title.contains("1 fail but are muted (exceptions)"),
        "{title}"
    );
}

#[test]
fn scc_compliances_count_where_we_hold_the_edition() {
    let (project, name) = reading("scc/findings-own.json", ALL, "");
    let (stderr, s) = build(&project);
    assert!(
        scan_line(&stderr, &name).contains(&accounting(3, 0, 0, 1)),
        "{stderr}"
    );
    assert!(
        stderr.contains("no category (finding.category)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("unresolved ISO27001-2013: 1 finding (another edition of ISO/IEC 27001"),
        "{stderr}"
    );
    assert!(
        stderr.contains("unresolved PCI-3.2.1: 1 finding (another version of PCI DSS"),
        "{stderr}"
    );
    // SSL_NOT_ENFORCED names PCI 4.0 4.2.1 itself; MFA_NOT_ENFORCED is inactive: fixed.
    assert!(
        s["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["id"] == "scans/findings-own.json: PCI 4.2.1" && e["result"] == "fail"),
        "{}",
        s["evidence"]
    );
    assert_eq!(evidence(&s, &name, "IAM-03").0, "pass");
    // The public bucket keeps its Cloud Asset type and project.
    let kept = resources(
        auditpack::load::scc::read_scc(
            fixture("scc/findings-own.json").as_slice(),
            0,
            std::path::Path::new("scc.json"),
        )
        .unwrap(),
    );
    assert!(
        kept.contains(
            &"//storage.googleapis.com/prod-exports (storage.googleapis.com/Bucket; project prod-app)"
                .to_string()
        ),
        "{kept:?}"
    );
}

#[test]
fn trusted_advisor_security_checks_count_and_cost_checks_are_set_aside() {
    let (project, name) = reading("advisors/trusted-advisor-check-result.json", ALL, "");
    let (stderr, _) = build(&project);
    let line = scan_line(&stderr, &name);
    assert!(line.contains("(Trusted Advisor JSON)"), "{line}");
    assert!(line.contains(&accounting(1, 0, 0, 0)), "{line}");

    let (project, name) = reading(
        "advisors/trusted-advisor-results.json",
        ALL,
        "muted = \"exception\"\n",
    );
    let (stderr, s) = build(&project);
    assert!(
        scan_line(&stderr, &name).contains(&accounting(3, 2, 0, 1)),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "set aside: 2 findings (Trusted Advisor category cost_optimizing: not a security check)"
        ),
        "{stderr}"
    );
    // One open port flagged (warning), one suppressed (an exception); MFA on root passes.
    let (result, title) = evidence(&s, &name, "NET-02");
    assert_eq!(result, "fail");
    assert!(
        title.contains("0 of 2 resources pass, 1 fail, 1 fail but are muted"),
        "{title}"
    );
    assert_eq!(evidence(&s, &name, "IAM-19").0, "pass");
}

#[test]
fn azure_advisor_and_recommender_keep_their_security_advice_only() {
    let (project, name) = reading("advisors/azure-advisor-recommendations.json", ALL, "");
    let (stderr, s) = build(&project);
    let line = scan_line(&stderr, &name);
    assert!(line.contains("(Azure Advisor JSON)"), "{line}");
    assert_eq!(evidence(&s, &name, "LOG-02").0, "fail");
    // The security item resolves through Defender's recommendation name.
    assert!(line.contains(&accounting(1, 1, 0, 0)), "{line}");
    assert!(
        stderr.contains("Azure Advisor category HighAvailability: not a security recommendation"),
        "{stderr}"
    );

    let (project, name) = reading("advisors/recommender-list.json", ALL, "");
    let (stderr, s) = build(&project);
    let line = scan_line(&stderr, &name);
    assert!(line.contains("(Google Cloud Recommender JSON)"), "{line}");
    assert!(line.contains(&accounting(1, 1, 0, 0)), "{line}");
    assert!(
        stderr.contains("Recommender category COST: not a security recommendation"),
        "{stderr}"
    );
    // An unused admin role still granted: IAM-02.
    assert_eq!(evidence(&s, &name, "IAM-02").0, "fail");
}

/// Every fixture, with the format it must be detected as.
const FIXTURES: [(&str, &str); 9] = [
    ("defender/regulatory-compliance.csv", "defender-csv"),
    ("defender/list-assessments.json", "defender-json"),
    ("defender/resource-graph.json", "defender-json"),
    ("defender/recommendations.csv", "defender-csv"),
    ("scc/findings-list.json", "scc-json"),
    (
        "advisors/trusted-advisor-results.json",
        "trusted-advisor-json",
    ),
    (
        "advisors/azure-advisor-recommendations.json",
        "azure-advisor-json",
    ),
    ("advisors/recommender-list.json", "gcp-recommender-json"),
    ("scc/findings-own.json", "scc-json"),
];

#[test]
fn each_format_is_detected_and_format_forces_it() {
    for (path, format) in FIXTURES {
        let (project, name) = reading(path, ALL, "");
        let (auto, _) = build(&project);
        let (project, _) = reading(path, ALL, &format!("format = \"{format}\"\n"));
        let (forced, _) = build(&project);
        assert_eq!(scan_line(&auto, &name), scan_line(&forced, &name), "{path}");
    }
}

#[test]
fn a_truncated_file_of_each_format_is_an_error_with_line_and_column() {
    for (path, _) in FIXTURES {
        let text = String::from_utf8(fixture(path)).unwrap();
        let cut = &text[..text.len() * 6 / 10];
        let name = path.rsplit('/').next().unwrap();
        let project = project_with(name, cut.as_bytes(), ALL, "");
        let run = project.run(&["build", "{}", "--out", "{}/pkg"]);
        assert_eq!(run.code, 2, "{path}: {}", run.stderr);
        // The file ends on this line; the error names it and a column on it.
        let line = cut.matches('\n').count() + 1;
        let at = format!("error: scans/{name}:{line}:");
        let column: String = run
            .stderr
            .split(&at)
            .nth(1)
            .unwrap_or_default()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        assert!(
            !column.is_empty() && run.stderr.contains("ends early (truncated?)"),
            "{path} (cut at line {line}): {}",
            run.stderr
        );
    }
}

#[test]
fn a_bom_before_json_is_passed_over() {
    for (path, _) in FIXTURES {
        let name = path.rsplit('/').next().unwrap();
        let plain = fixture(path);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        if !plain.starts_with(&bom) {
            bom.extend_from_slice(&plain);
        } else {
            bom = plain.clone();
        }
        let (expected, _) = build(&project_with(name, &plain, ALL, ""));
        let (got, _) = build(&project_with(name, &bom, ALL, ""));
        assert_eq!(scan_line(&expected, name), scan_line(&got, name), "{path}");
    }
}

#[test]
fn wrong_types_drop_one_finding_with_its_reason() {
    // SCC `compliances` as a string, a Defender status as a list, an Advisor category
    // as an object: each element is dropped with the type it had, the rest read.
    let scc = String::from_utf8(fixture("scc/findings-own.json"))
        .unwrap()
        .replacen(
            "\"compliances\": [",
            "\"compliances\": \"cis\", \"x\": [",
            1,
        );
    let (stderr, _) = build(&project_with("scc.json", scc.as_bytes(), ALL, ""));
    assert!(
        scan_line(&stderr, "scc.json").contains(&accounting(2, 0, 0, 2)),
        "{stderr}"
    );
    assert!(
        stderr.contains("scans/scc.json finding 1: finding.compliances is a string, not an array"),
        "{stderr}"
    );
    let defender = String::from_utf8(fixture("defender/list-assessments.json"))
        .unwrap()
        .replacen("\"code\": \"Healthy\"", "\"code\": [\"Healthy\"]", 1);
    let (stderr, _) = build(&project_with("defender.json", defender.as_bytes(), ALL, ""));
    assert!(
        scan_line(&stderr, "defender.json").contains(&accounting(0, 1, 0, 1)),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "scans/defender.json finding 1: properties.status.code is an array, not a string"
        ),
        "{stderr}"
    );
    let advisor = String::from_utf8(fixture("advisors/azure-advisor-recommendations.json"))
        .unwrap()
        .replacen("\"category\": \"Security\"", "\"category\": {\"a\": 1}", 1);
    let (stderr, _) = build(&project_with("advisor.json", advisor.as_bytes(), ALL, ""));
    assert!(
        scan_line(&stderr, "advisor.json").contains(&accounting(0, 1, 0, 1)),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "scans/advisor.json finding 2: properties.category is an object, not a string"
        ),
        "{stderr}"
    );
}

#[test]
fn ten_megabyte_cells_are_read() {
    let big = "x".repeat(10 * 1024 * 1024);
    // In the CSV's description cell, and as a controls cell of JSON.
    let csv = String::from_utf8(fixture("defender/recommendations.csv"))
        .unwrap()
        .replacen("Our own short description.", &big, 1)
        .replacen(
            "\"[\"\"Secure management ports\"\"]\"",
            &format!("\"[\"\"Secure management ports\"\", \"\"{big}\"\"]\""),
            1,
        );
    let (stderr, _) = build(&project_with("big.csv", csv.as_bytes(), ALL, ""));
    assert!(
        scan_line(&stderr, "big.csv").contains(&accounting(5, 1, 1, 1)),
        "{stderr}"
    );
    // In an SCC finding's description.
    let scc = String::from_utf8(fixture("scc/findings-list.json"))
        .unwrap()
        .replacen(
            "\"description\": \"Unrestricted",
            &format!("\"description\": \"{big} Unrestricted"),
            1,
        );
    let (stderr, _) = build(&project_with("big.json", scc.as_bytes(), ALL, ""));
    assert!(
        scan_line(&stderr, "big.json").contains(&accounting(2, 1, 1, 0)),
        "{stderr}"
    );
}

#[test]
fn the_shipped_cloud_mappings_name_common_controls_with_sources() {
    for file in ["defender", "scc", "advisors"] {
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("frameworks/scanner-checks")
                .join(format!("{file}.toml")),
        )
        .unwrap();
        let parsed: toml::Value = toml::from_str(&text).unwrap();
        let checks = parsed["checks"].as_array().unwrap();
        assert!(checks.len() >= 9, "{file}: {}", checks.len());
        for check in checks {
            for key in ["id", "title", "source", "reason"] {
                assert!(
                    !check[key].as_str().unwrap().trim().is_empty(),
                    "{file}: {check}"
                );
            }
            assert!(
                check["source"].as_str().unwrap().contains("https://"),
                "{file}: {check}"
            );
        }
    }
}

#[test]
fn defender_and_scc_resources_count_in_drift_against_the_inventory() {
    // The inventory declares Azure VMs only; the portal CSV also saw a key vault and a
    // storage account in its subscription, so both are drift findings.
    let (project, _) = reading("defender/recommendations.csv", ALL, "");
    let run = project.run(&["validate", "{}"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    for service in ["azure key-vault", "azure blob-storage"] {
        let line = run
            .stdout
            .lines()
            .find(|l| l.starts_with(&format!("drift: {service} ")))
            .unwrap_or_else(|| panic!("no drift for {service}: {}", run.stdout));
        assert!(
            line.contains("00000000-0000-0000-0000-0000000000aa"),
            "names the subscription: {line}"
        );
    }
    assert!(
        !run.stdout.contains("drift: azure virtual-machines "),
        "declared VMs are no drift: {}",
        run.stdout
    );
    // Security Command Center findings name their project and Cloud Asset type.
    let (project, _) = reading("scc/findings-list.json", ALL, "");
    let run = project.run(&["validate", "{}"]);
    assert!(
        run.stdout.lines().any(|l| l.starts_with("drift: gcp ")),
        "SCC resources other than Compute Engine are drift: {}",
        run.stdout
    );
}
