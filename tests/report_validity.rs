//! Report validity: each kind of provider document is valid in its own way, and
//! the package never claims more than the document behind it says (issue 26,
//! points 1 to 4). Each test builds a fixture project and reads back what the
//! package wrote: the snapshot, the PDF's text, the workbook, the HTML and OSCAL.
//! The README's "What each status claims" table points at these tests.

use crate::common::{Project, audit_toml, control, pdf_text, snapshot};
use calamine::{Data, Reader, Xlsx, open_workbook};
use serde_json::Value;
use std::path::Path;

/// A project over `inventory` (period 2026-01-01 to 2026-03-31, as of 2026-03-31)
/// holding `documents`, with one fresh passing evidence row per reference.
fn project(
    frameworks: &str,
    inventory: &[(&str, &str, &str)],
    documents: &str,
    evidence: &[&str],
) -> Project {
    let project = Project::empty();
    let mut extra = documents.to_string();
    if !evidence.is_empty() {
        extra.push_str("\n[[evidence]]\npath = \"ev.csv\"\n");
        let mut csv = String::from("ID,Title,Controls,Collected,Result\n");
        for (i, reference) in evidence.iter().enumerate() {
            csv.push_str(&format!(
                "EV-{i},Evidence {i},{reference},2026-03-01,pass\n"
            ));
        }
        project.write("ev.csv", csv);
    }
    project.write("audit.toml", audit_toml(frameworks, inventory, &extra));
    project
}

/// An AWS document as `audit.toml` writes it.
fn aws(report: &str, fields: &str) -> String {
    format!("[[attestations]]\nprovider = \"aws\"\nreport = \"{report}\"\n{fields}\n")
}

const BAA: &str = "period_start = 2024-01-01";

fn reason(s: &Value, framework: &str, id: &str) -> String {
    control(s, framework, id)["status_reason"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The 1-based line and column of the first `needle` in the project's audit.toml.
fn position(project: &Project, needle: &str) -> String {
    let text = std::fs::read_to_string(project.path().join("audit.toml")).unwrap();
    let offset = text.find(needle).expect("the needle is in audit.toml");
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap().chars().count() + 1;
    format!("[PROJECT]/audit.toml:{line}:{column}")
}

/// Every text a package holds, each file's as a string (the PDF's extracted,
/// the workbook's cells joined), for asserting what no output may say.
fn every_output(package: &Path) -> Vec<(String, String)> {
    let mut texts = Vec::new();
    let mut stack = vec![package.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.display().to_string();
            if path.is_dir() {
                stack.push(path);
            } else if name.ends_with(".pdf") {
                texts.push((name, pdf_text(&path)));
            } else if name.ends_with(".xlsx") {
                let mut workbook: Xlsx<_> = open_workbook(&path).unwrap();
                let mut cells = String::new();
                for sheet in workbook.sheet_names() {
                    let range = workbook.worksheet_range(&sheet).unwrap();
                    for cell in range.used_cells() {
                        cells.push_str(&cell.2.to_string());
                        cells.push('\n');
                    }
                }
                texts.push((name, cells));
            } else {
                texts.push((name, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    texts
}

/// The workbook's rows of one sheet, every cell as text.
fn sheet(package: &Path, name: &str) -> Vec<Vec<String>> {
    let mut workbook: Xlsx<_> = open_workbook(package.join("audit-workbook.xlsx")).unwrap();
    let range = workbook.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|r| r.iter().map(Data::to_string).collect())
        .collect()
}

/// The workbook's Controls row for one control.
fn workbook_reason(package: &Path, framework: &str, id: &str) -> String {
    let rows = sheet(package, "Controls");
    let column = rows[0]
        .iter()
        .position(|h| h == "Status reason")
        .expect("the Controls sheet has a reason column");
    rows.iter()
        .find(|r| r[0] == framework && r[1] == id)
        .map(|r| r[column].clone())
        .unwrap_or_else(|| panic!("no row for {framework} {id}"))
}

/// The OSCAL plan's provider by-component remarks for one control.
fn oscal_remarks(package: &Path, framework: &str, id: &str) -> Vec<String> {
    let ssp: Value =
        serde_json::from_str(&std::fs::read_to_string(package.join("oscal/ssp.json")).unwrap())
            .unwrap();
    let requirement =
        ssp["system-security-plan"]["control-implementation"]["implemented-requirements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| {
                let props = r["props"].as_array().unwrap();
                props
                    .iter()
                    .any(|p| p["name"] == "framework" && p["value"] == framework)
                    && props
                        .iter()
                        .any(|p| p["name"] == "label" && p["value"] == id)
            })
            .unwrap_or_else(|| panic!("no requirement for {framework} {id}"));
    requirement["by-components"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b.get("inherited").is_some())
        .map(|b| {
            b["implementation-status"]["remarks"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

// Point 1: bridge letters.

#[test]
fn a_bridge_letter_past_the_as_of_date_is_an_error_at_its_position() {
    let p = project(
        "\"soc2\"",
        &[("aws", "ec2", "x")],
        &aws(
            "soc2-type2",
            "period_start = 2025-01-01\nperiod_end = 2025-12-31\nbridge_letter_until = 2026-06-30",
        ),
        &[],
    );
    let run = p.run(&["validate", "{}"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let at = position(&p, "2026-06-30");
    assert!(
        run.stdout.contains(&format!(
            "error: {at}: AWS SOC 2 Type II report: its bridge letter runs to 2026-06-30, after the as-of date 2026-03-31"
        )),
        "{}",
        run.stdout
    );
    let build = p.run(&[
        "build",
        "{}",
        "--out",
        p.path().join("pkg").to_str().unwrap(),
    ]);
    assert_ne!(build.code, 0, "a package is not written over it");
}

#[test]
fn a_long_bridge_letter_is_a_warning_printed_beside_every_control_it_backs() {
    // Nine months past the report's period: valid, but stretched.
    let p = project(
        "\"soc2\"",
        &[("aws", "ec2", "x")],
        &aws(
            "soc2-type2",
            "period_start = 2024-07-01\nperiod_end = 2025-06-30\nissued = 2025-08-15\nbridge_letter_until = 2026-03-31",
        ),
        &[],
    );
    let run = p.run(&["validate", "{}"]);
    assert_eq!(run.code, 0, "a warning is not an error: {}", run.stdout);
    let at = position(&p, "bridge_letter_until = 2026-03-31");
    let at = at.replace(
        &format!(":{}", at.rsplit(':').next().unwrap()),
        &format!(":{}", "bridge_letter_until = ".len() + 1),
    );
    assert!(
        run.stdout.contains(&format!(
            "warning: {at}: AWS SOC 2 Type II report: its bridge letter runs to 2026-03-31, 274 days past the examined period's end (2025-06-30), longer than 3 months"
        )),
        "{}",
        run.stdout
    );
    let package = p.build();
    let s = snapshot(&package);
    let words = "relied on (bridge letter) for 2026-01-01 to 2026-03-31: AWS SOC 2 Type II report (2024-07-01 to 2025-06-30, bridged to 2026-03-31; bridge letter 274 days past the examined period, longer than 3 months) for EC2";
    assert_eq!(control(&s, "soc2", "CC6.4")["status"], "inherited");
    assert_eq!(reason(&s, "soc2", "CC6.4"), words);
    assert_eq!(workbook_reason(&package, "soc2", "CC6.4"), words);
    assert!(pdf_text(&package.join("audit-package.pdf")).contains(words));
    let html = std::fs::read_to_string(package.join("audit-report.html")).unwrap();
    assert!(html.contains(words), "not in the HTML");
    assert_eq!(
        oscal_remarks(&package, "soc2", "CC6.4"),
        [words.trim_end_matches(" for EC2")]
    );
}

#[test]
fn days_only_a_bridge_letter_covers_are_relied_on_never_attested() {
    // The report examined January; February and March rest on its bridge letter.
    let p = project(
        "\"soc2\"",
        &[("aws", "ec2", "x")],
        &aws(
            "soc2-type2",
            "period_start = 2025-02-01\nperiod_end = 2026-01-31\nissued = 2026-03-06\nbridge_letter_until = 2026-03-31",
        ),
        &[],
    );
    let package = p.build();
    let s = snapshot(&package);
    let words = "attested by AWS SOC 2 Type II report (2025-02-01 to 2026-01-31), then relied on (bridge letter) for 2026-02-01 to 2026-03-31 for EC2";
    assert_eq!(reason(&s, "soc2", "CC6.4"), words);
    assert_eq!(workbook_reason(&package, "soc2", "CC6.4"), words);
    assert!(pdf_text(&package.join("audit-package.pdf")).contains(words));
    // A report that ended before the period: nothing in it is attested.
    let p = project(
        "\"soc2\"",
        &[("aws", "ec2", "x")],
        &aws(
            "soc2-type2",
            "period_start = 2025-01-01\nperiod_end = 2025-12-31\nbridge_letter_until = 2026-03-31",
        ),
        &[],
    );
    let package = p.build();
    for (file, text) in every_output(&package) {
        assert!(
            !text.contains("attested by"),
            "{file} says attested for days only a bridge letter covers"
        );
    }
    assert!(reason(&snapshot(&package), "soc2", "CC6.4").starts_with(
        "relied on (bridge letter) for 2026-01-01 to 2026-03-31: AWS SOC 2 Type II report"
    ));
}

// Point 2: a report that cannot exist yet.

#[test]
fn a_type2_report_whose_period_has_not_ended_is_an_error_at_its_position() {
    let p = project(
        "\"soc2\"",
        &[("aws", "ec2", "x")],
        &aws(
            "soc2-type2",
            "period_start = 2025-04-01\nperiod_end = 2026-12-31",
        ),
        &[],
    );
    let run = p.run(&["validate", "{}"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let at = position(&p, "2026-12-31");
    assert!(
        run.stdout.contains(&format!(
            "error: {at}: AWS SOC 2 Type II report: its examined period ends 2026-12-31, on or after the as-of date 2026-03-31; a SOC 2 Type 2 report is issued after its period ends, so it cannot be held yet"
        )),
        "{}",
        run.stdout
    );
    // An issue date after the as-of date, on a vendor's report: the same rule.
    let vendor = "[[vendors]]\nname = \"Datadog\"\nservice = \"Log management\"\nmodel = \"saas\"\nlayers = { logging = \"provider\" }\n\n[[vendors.reports]]\nscheme = \"soc2-type2\"\nname = \"Datadog SOC 2 Type 2 report\"\nperiod_start = 2025-01-01\nperiod_end = 2025-12-31\nissued = 2026-04-20\n";
    let p = project("\"soc2\"", &[], vendor, &[]);
    let run = p.run(&["validate", "{}"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let at = position(&p, "2026-04-20");
    assert!(
        run.stdout.contains(&format!(
            "error: {at}: Datadog SOC 2 Type 2 report is dated 2026-04-20, after the as-of date 2026-03-31: it cannot be held yet"
        )),
        "{}",
        run.stdout
    );
}

// Point 3: a PCI DSS AOC is dated, not a period.

#[test]
fn an_aoc_is_current_for_a_year_from_its_date_and_backs_only_the_services_it_lists() {
    // Signed in March: January and February are not "uncovered".
    let p = project(
        "\"pci-dss\"",
        &[("aws", "ec2", "cde"), ("aws", "s3", "cde")],
        &aws("pci-dss-aoc", "issued = 2026-03-01\nservices = [\"ec2\"]"),
        &[],
    );
    let package = p.build();
    let s = snapshot(&package);
    let inherited = |s: &Value| -> Vec<(String, String)> {
        s["frameworks"][0]["controls"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["responsibility"] == "inherited")
            .map(|c| {
                (
                    c["status"].as_str().unwrap().to_string(),
                    c["status_reason"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let controls = inherited(&s);
    assert!(!controls.is_empty());
    for (status, why) in &controls {
        // S3 is in scope too, and the AOC does not list it.
        assert_eq!(status, "inherited-unattested", "{why}");
        assert_eq!(
            why,
            "S3 is outside the scope of AWS PCI DSS Attestation of Compliance"
        );
    }
    let p = project(
        "\"pci-dss\"",
        &[("aws", "ec2", "cde")],
        &aws("pci-dss-aoc", "issued = 2026-03-01\nservices = [\"ec2\"]"),
        &[],
    );
    let package = p.build();
    let s = snapshot(&package);
    let words = "current AOC: AWS PCI DSS Attestation of Compliance (dated 2026-03-01, current to 2027-02-28) for EC2";
    for (status, why) in inherited(&s) {
        assert_eq!(status, "inherited");
        assert_eq!(why, words);
    }
    let attestations = sheet(&package, "Attestations");
    assert_eq!(attestations[1][2], "current-from-date");
    assert!(pdf_text(&package.join("audit-package.pdf")).contains(words));
    // Lapsed a month before the as-of date.
    let p = project(
        "\"pci-dss\"",
        &[("aws", "ec2", "cde")],
        &aws("pci-dss-aoc", "issued = 2025-02-28"),
        &[],
    );
    let s = snapshot(&p.build());
    let (status, why) = inherited(&s).remove(0);
    assert_eq!(status, "inherited-unattested");
    assert_eq!(
        why,
        "AWS PCI DSS Attestation of Compliance is current only to 2026-02-27, not at the as-of date 2026-03-31"
    );
}

#[test]
fn an_aoc_written_as_a_period_is_an_error_at_its_position() {
    let p = project(
        "\"pci-dss\"",
        &[("aws", "ec2", "cde")],
        &aws(
            "pci-dss-aoc",
            "period_start = 2026-03-01\nperiod_end = 2027-02-28",
        ),
        &[],
    );
    let run = p.run(&["validate", "{}"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    for (needle, message) in [
        (
            "2026-03-01",
            "AWS PCI DSS Attestation of Compliance: a PCI DSS Attestation of Compliance is current for 12 months from its date, not over a period; give its date as issued, without period_start",
        ),
        (
            "2027-02-28",
            "AWS PCI DSS Attestation of Compliance: a PCI DSS Attestation of Compliance is current for 12 months from its date, not over a period; give its date as issued, without period_end",
        ),
    ] {
        let expected = format!("error: {}: {message}", position(&p, needle));
        assert!(run.stdout.contains(&expected), "{expected}\n{}", run.stdout);
    }
}

// Point 4: a BAA is an agreement, never an attestation.

#[test]
fn a_baa_is_an_agreement_in_force_never_an_attestation_or_a_leveraged_authorization() {
    let soc2 = aws(
        "soc2-type2",
        "period_start = 2025-02-01\nperiod_end = 2026-01-31\nbridge_letter_until = 2026-03-31",
    );
    let p = project(
        "\"hipaa\"",
        &[("aws", "ec2", "phi")],
        &format!("{soc2}\n{}", aws("hipaa-baa", BAA)),
        &[],
    );
    let package = p.build();
    let s = snapshot(&package);
    let why = reason(&s, "hipaa", "164.310(a)(1)");
    assert_eq!(control(&s, "hipaa", "164.310(a)(1)")["status"], "inherited");
    assert!(
        why.ends_with(
            "; agreement in force: AWS Business Associate Addendum (from 2024-01-01) for EC2"
        ),
        "{why}"
    );
    for (file, text) in every_output(&package) {
        assert!(
            !text.contains("9999-12-31"),
            "{file} prints a placeholder date"
        );
        assert!(
            !text.contains("attested by AWS Business Associate"),
            "{file} words the BAA as an attestation"
        );
    }
    // OSCAL: the report is a leveraged authorization, the agreement a resource only.
    let ssp: Value =
        serde_json::from_str(&std::fs::read_to_string(package.join("oscal/ssp.json")).unwrap())
            .unwrap();
    let titles: Vec<&str> =
        ssp["system-security-plan"]["system-implementation"]["leveraged-authorizations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["title"].as_str().unwrap())
            .collect();
    assert_eq!(titles, ["AWS SOC 2 Type II report (AWS)"]);
    let agreement = ssp["system-security-plan"]["back-matter"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["title"] == "AWS Business Associate Addendum")
        .expect("the agreement is a back-matter resource");
    assert!(
        agreement["props"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "kind" && p["value"] == "agreement"),
        "{agreement:#}"
    );
    // The tables say what it is: an agreement, backing nothing by itself.
    let rows = sheet(&package, "Attestations");
    let baa = rows
        .iter()
        .find(|r| r[1] == "AWS Business Associate Addendum")
        .unwrap();
    assert_eq!(baa[2], "agreement");
    assert_eq!(
        baa[3],
        "none by itself: an agreement, required beside a report for hipaa"
    );
    assert_eq!(baa[5], "", "no end date, and no placeholder for one");
    assert!(baa[9].starts_with("eligible under it: EC2"), "{}", baa[9]);
    assert_eq!(
        baa[10],
        "agreement in force: AWS Business Associate Addendum (from 2024-01-01)"
    );
    // Alone it backs nothing.
    let p = project(
        "\"hipaa\"",
        &[("aws", "ec2", "phi")],
        &aws("hipaa-baa", BAA),
        &[],
    );
    let s = snapshot(&p.build());
    assert_eq!(
        control(&s, "hipaa", "164.310(a)(1)")["status"],
        "inherited-unattested"
    );
}

#[test]
fn a_vendor_report_backs_hipaa_only_beside_a_baa_and_the_vendor_tables_say_so() {
    let twilio = "[[vendors]]\nname = \"Twilio\"\nservice = \"SMS reminders\"\nmodel = \"saas\"\ntags = [\"phi\"]\nlayers = { applications = \"provider\" }\n\n[[vendors.reports]]\nscheme = \"soc2-type2\"\nname = \"Twilio SOC 2 Type 2 report\"\nperiod_start = 2025-01-01\nperiod_end = 2025-12-31\nbridge_letter_until = 2026-03-31\n";
    let p = project("\"hipaa\"", &[], twilio, &[]);
    let package = p.build();
    let words =
        "soc2, iso27001, cis; not hipaa: no HIPAA Business Associate Agreement is held beside it";
    let vendors = sheet(&package, "Vendors");
    assert_eq!(vendors[1][6], "Twilio SOC 2 Type 2 report");
    assert_eq!(vendors[1][8], words);
    assert!(pdf_text(&package.join("audit-package.pdf")).contains(words));
    let html = std::fs::read_to_string(package.join("audit-report.html")).unwrap();
    assert!(html.contains(words), "not in the HTML");
}

// Opinions and certificates.

#[test]
fn a_qualified_opinion_is_shown_beside_each_control_and_an_adverse_one_backs_nothing() {
    let report = |opinion: &str| {
        aws(
            "soc2-type2",
            &format!(
                "period_start = 2025-02-01\nperiod_end = 2026-01-31\nbridge_letter_until = 2026-03-31\nopinion = \"{opinion}\"\nexceptions = [\"CA-12 (logical access removal)\"]"
            ),
        )
    };
    let p = project(
        "\"soc2\"",
        &[("aws", "ec2", "x")],
        &report("qualified"),
        &[],
    );
    let package = p.build();
    let s = snapshot(&package);
    let words = "attested by AWS SOC 2 Type II report (2025-02-01 to 2026-01-31; qualified opinion; exceptions noted in CA-12 (logical access removal)), then relied on (bridge letter) for 2026-02-01 to 2026-03-31 for EC2";
    assert_eq!(control(&s, "soc2", "CC6.4")["status"], "inherited");
    assert_eq!(reason(&s, "soc2", "CC6.4"), words);
    assert!(pdf_text(&package.join("audit-package.pdf")).contains(words));
    for opinion in ["adverse", "disclaimer"] {
        let p = project("\"soc2\"", &[("aws", "ec2", "x")], &report(opinion), &[]);
        let s = snapshot(&p.build());
        assert_eq!(
            control(&s, "soc2", "CC6.4")["status"],
            "inherited-unattested",
            "{opinion}"
        );
        let article = match opinion {
            "adverse" => "an adverse",
            _ => "a disclaimer of",
        };
        assert_eq!(
            reason(&s, "soc2", "CC6.4"),
            format!("AWS SOC 2 Type II report carries {article} opinion, which backs nothing")
        );
    }
}

#[test]
fn an_iso_certificate_is_certified_between_issue_and_expiry() {
    let p = project(
        "\"iso27001\"",
        &[("aws", "ec2", "x")],
        &aws(
            "iso27001",
            "period_start = 2024-11-01\nperiod_end = 2027-10-31",
        ),
        &[],
    );
    let package = p.build();
    let s = snapshot(&package);
    let inherited: Vec<&Value> = s["frameworks"][0]["controls"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "inherited")
        .collect();
    assert!(!inherited.is_empty());
    for c in inherited {
        assert_eq!(
            c["status_reason"],
            "certified: AWS ISO/IEC 27001 certificate (2024-11-01 to 2027-10-31) for EC2"
        );
    }
    // Expired in February: March is not certified.
    let p = project(
        "\"iso27001\"",
        &[("aws", "ec2", "x")],
        &aws(
            "iso27001",
            "period_start = 2023-03-01\nperiod_end = 2026-02-28",
        ),
        &[],
    );
    let s = snapshot(&p.build());
    let c = s["frameworks"][0]["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["responsibility"] == "inherited")
        .unwrap();
    assert_eq!(c["status"], "inherited-unattested");
    assert_eq!(
        c["status_reason"],
        "AWS ISO/IEC 27001 certificate expires 2026-02-28: 2026-03-01 to 2026-03-31 of the audit period is not covered"
    );
}
