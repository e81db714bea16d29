//! Outputs: the package's files, read back and checked against the model's snapshot.

use crate::common::{Project, audit_toml, pdf_text, snapshot};
use calamine::{Data, Reader, Xlsx, open_workbook};
use rust_xlsxwriter::Workbook;
use std::collections::BTreeSet;

const HOSTILE: &str = "#read(\"/etc/passwd\") *x* $y$ ] [ <l> @r // = h";

#[test]
fn the_sample_builds_the_four_files_into_its_out_folder() {
    let project = Project::sample("acme-health");
    let run = project.run(&["build", "{}"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = project.path().join("out/2026-09-30");
    for file in [
        "audit-package.pdf",
        "audit-workbook.xlsx",
        "snapshot.json",
        "manifest.json",
    ] {
        assert!(out.join(file).is_file(), "{file} missing");
    }
    assert!(
        run.stderr.contains("35 rows read = 34 mapped + 1 reported"),
        "{}",
        run.stderr
    );
    let leftovers: Vec<_> = std::fs::read_dir(project.path().join("out"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "staging folders left behind");
}

#[test]
fn the_pdf_holds_every_hipaa_id_and_every_evidence_title() {
    let project = Project::sample("acme-health");
    let package = project.build();
    let text = pdf_text(&package.join("audit-package.pdf"));
    let s = snapshot(&package);
    for control in s["frameworks"][0]["controls"].as_array().unwrap() {
        let id = control["id"].as_str().unwrap();
        assert!(text.contains(id), "control {id} not in the PDF");
    }
    for evidence in s["evidence"].as_array().unwrap() {
        let title = evidence["title"].as_str().unwrap();
        let squeezed: String = title.split_whitespace().collect();
        let text_squeezed: String = text.split_whitespace().collect();
        assert!(
            text_squeezed.contains(&squeezed),
            "evidence title {title:?} not in the PDF"
        );
    }
    assert!(
        text.contains("Media accountability log, Q3"),
        "the reported row is listed"
    );
}

#[test]
fn the_workbook_holds_the_same_control_rows_as_the_model() {
    let project = Project::sample("acme-health");
    let package = project.build();
    let s = snapshot(&package);
    let mut workbook: Xlsx<_> = open_workbook(package.join("audit-workbook.xlsx")).unwrap();
    assert_eq!(
        workbook.sheet_names(),
        [
            "Summary",
            "Controls",
            "Responsibility matrix",
            "Evidence",
            "Unmapped",
            "Gaps",
            "Exceptions",
            "Attestations",
            "Vendors",
            "CUECs",
            "Tabletop readiness"
        ]
    );
    let controls = workbook.worksheet_range("Controls").unwrap();
    let rows: Vec<&[Data]> = controls.rows().collect();
    assert_eq!(rows[0][0], Data::String("Framework".into()));
    let from_sheet: BTreeSet<(String, String, String)> = rows[1..]
        .iter()
        .map(|r| {
            (
                r[0].to_string(),
                r[1].to_string(),
                r[8].to_string().replace(", ", "-").replace(' ', "-"),
            )
        })
        .collect();
    let from_model: BTreeSet<(String, String, String)> = s["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| {
            f["controls"].as_array().unwrap().iter().map(move |c| {
                (
                    f["id"].as_str().unwrap().to_string(),
                    c["id"].as_str().unwrap().to_string(),
                    c["status"].as_str().unwrap().to_string(),
                )
            })
        })
        .collect();
    assert_eq!(rows.len() - 1, 65);
    assert_eq!(from_sheet, from_model);

    let evidence = workbook.worksheet_range("Evidence").unwrap();
    let first = evidence.rows().nth(1).unwrap();
    assert!(
        matches!(first[6], Data::DateTime(_)),
        "collected is a date cell, got {:?}",
        first[6]
    );

    let gaps = workbook.worksheet_range("Gaps").unwrap();
    let gap_ids: BTreeSet<String> = gaps.rows().skip(1).map(|r| r[1].to_string()).collect();
    let model_gaps: BTreeSet<String> = s["frameworks"][0]["controls"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            [
                "inherited-unattested",
                "partial",
                "stale",
                "failing",
                "missing",
            ]
            .contains(&c["status"].as_str().unwrap())
        })
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    assert!(!gap_ids.is_empty());
    assert_eq!(gap_ids, model_gaps);
    let matrix = workbook.worksheet_range("Responsibility matrix").unwrap();
    let ec2 = matrix
        .rows()
        .find(|r| r[0] == Data::String("patient-portal-web".into()))
        .unwrap();
    assert_eq!(
        (ec2[2].to_string(), ec2[6].to_string(), ec2[9].to_string()),
        ("EC2".into(), "provider".into(), "customer".into())
    );
    let exceptions = workbook.worksheet_range("Exceptions").unwrap();
    assert!(
        matches!(exceptions.rows().nth(1).unwrap()[6], Data::DateTime(_)),
        "expiry is a date cell"
    );
}

fn hostile_project() -> Project {
    let project = Project::empty();
    let extra = "[[evidence]]\npath = \"ev.xlsx\"\n";
    project.write(
        "audit.toml",
        audit_toml("\"hipaa\"", &[("aws", "ec2", "phi")], extra),
    );
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (col, name) in ["Title", "Controls", "Owner", "Collected"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, col as u16, *name).unwrap();
    }
    let rows = [
        (HOSTILE, "HIPAA 164.312(d)", "Ops \\ team `x` /* y */ _z_"),
        ("=HYPERLINK(\"http://x\",\"y\")", "HIPAA 164.312(b)", "+cmd"),
        (
            "Revisión de acceso — مراجعة الوصول — 访问审查 ✅",
            "HIPAA 164.312(c)(1)",
            "@owner",
        ),
    ];
    for (i, (title, controls, owner)) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, *title).unwrap();
        sheet.write_string(row, 1, *controls).unwrap();
        sheet.write_string(row, 2, *owner).unwrap();
        sheet.write_string(row, 3, "2026-03-01").unwrap();
    }
    workbook.save(project.path().join("ev.xlsx")).unwrap();
    project
}

#[test]
fn evidence_text_is_printed_verbatim_never_run_as_typst() {
    let project = hostile_project();
    let package = project.build();
    let text: String = pdf_text(&package.join("audit-package.pdf"))
        .split_whitespace()
        .collect();
    let hostile: String = HOSTILE.split_whitespace().collect();
    assert!(
        text.contains(&hostile),
        "hostile title not verbatim in the PDF text"
    );
    assert!(!text.contains("root:x:0"), "a file was read");
    for script in ["访问审查", "✅", "Revisión"] {
        assert!(text.contains(script), "{script} not in the PDF text");
    }
    // Text extractors may return right-to-left words in visual order; either order proves the glyphs.
    for word in ["مراجعة", "الوصول"] {
        let visual: String = word.chars().rev().collect();
        assert!(
            text.contains(word) || text.contains(&visual),
            "{word} not in the PDF text"
        );
    }
    let bytes = std::fs::read(package.join("audit-package.pdf")).unwrap();
    let has_font = |name: &str| bytes.windows(name.len()).any(|w| w == name.as_bytes());
    assert!(
        has_font("DroidSansFallback"),
        "Chinese is drawn with the CJK fallback font, not empty boxes"
    );
}

#[test]
fn formula_like_evidence_stays_text_in_the_workbook() {
    let project = hostile_project();
    let package = project.build();
    let mut workbook: Xlsx<_> = open_workbook(package.join("audit-workbook.xlsx")).unwrap();
    let formulas = workbook.worksheet_formula("Evidence").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no cell holds a formula"
    );
    let evidence = workbook.worksheet_range("Evidence").unwrap();
    let titles: Vec<&Data> = evidence.rows().skip(1).map(|r| &r[1]).collect();
    assert!(titles.contains(&&Data::String("=HYPERLINK(\"http://x\",\"y\")".into())));
}

#[test]
fn building_twice_gives_identical_bytes() {
    let project = Project::sample("acme-health");
    let first = project.build();
    let again = project.path().join("again");
    let run = project.run(&["build", "{}", "--out", again.to_str().unwrap()]);
    assert_eq!(run.code, 0);
    for file in [
        "audit-package.pdf",
        "audit-workbook.xlsx",
        "snapshot.json",
        "manifest.json",
    ] {
        let a = std::fs::read(first.join(file)).unwrap();
        let b = std::fs::read(again.join(file)).unwrap();
        assert!(a == b, "{file} differs between two builds");
    }
}

#[test]
fn the_manifest_hashes_every_input_and_output() {
    let project = Project::sample("acme-health");
    let package = project.build();
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(package.join("manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["as_of"], "2026-09-30");
    let inputs: Vec<&str> = manifest["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        inputs,
        [
            "audit.toml",
            "evidence/hipaa-evidence.xlsx",
            "evidence/ops-tickets.csv",
            "evidence/tabletop-exercises.csv"
        ]
    );
    for entry in manifest["outputs"].as_array().unwrap() {
        let bytes = std::fs::read(package.join(entry["path"].as_str().unwrap())).unwrap();
        let digest = auditpack::render::package::sha256_hex(&bytes);
        assert_eq!(entry["sha256"], digest.as_str());
    }
}

#[test]
fn a_failed_build_leaves_the_previous_package_untouched() {
    let project = Project::sample("acme-health");
    let package = project.build();
    let before = std::fs::read(package.join("audit-package.pdf")).unwrap();
    project.write("evidence/ops-tickets.csv", "no,usable,header\n1,2,3\n");
    let run = project.run(&["build", "{}", "--out", package.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert_eq!(
        std::fs::read(package.join("audit-package.pdf")).unwrap(),
        before
    );
}

#[test]
fn the_saas_sample_builds_a_package_for_all_four_frameworks() {
    let project = Project::sample("ledgerly");
    let package = project.build();
    let s = snapshot(&package);
    let ids: Vec<&str> = s["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["soc2", "iso27001", "pci-dss", "cis"]);
    // One row (EV-01, naming common control IAM-03) counts in every framework.
    for (framework, id) in [
        ("iso27001", "A.8.5"),
        ("pci-dss", "8.4.2"),
        ("cis", "6.5"),
        ("soc2", "CC6.1"),
    ] {
        let evidence = crate::common::control(&s, framework, id)["evidence"]
            .as_array()
            .unwrap()
            .clone();
        assert!(
            evidence.iter().any(|e| e == "EV-01"),
            "{framework} {id} lacks EV-01"
        );
    }
    let text = pdf_text(&package.join("audit-package.pdf"));
    for name in [
        "SOC 2 Trust Services Criteria",
        "ISO/IEC 27001:2022",
        "PCI DSS",
        "CIS Critical Security Controls",
    ] {
        assert!(text.contains(name), "{name} missing from the PDF");
    }
    let mut workbook: Xlsx<_> = open_workbook(package.join("audit-workbook.xlsx")).unwrap();
    let controls = workbook.worksheet_range("Controls").unwrap();
    assert_eq!(controls.rows().count() - 1, 61 + 134 + 280 + 153);
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn pdf_a_2b_is_declared_when_asked() {
    let project = Project::sample("acme-health");
    let out = project.path().join("archival");
    let run = project.run(&[
        "build",
        "{}",
        "--pdf-standard",
        "a-2b",
        "--format",
        "pdf",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let bytes = std::fs::read(out.join("audit-package.pdf")).unwrap();
    assert!(
        contains(&bytes, "<pdfaid:part>2</pdfaid:part>"),
        "declares PDF/A part 2"
    );
    assert!(
        contains(&bytes, "<pdfaid:conformance>B</pdfaid:conformance>"),
        "declares conformance B"
    );
    let plain = std::fs::read(project.build().join("audit-package.pdf")).unwrap();
    assert!(!contains(&plain, "pdfaid:part"), "only when asked");
}

#[test]
fn the_document_date_is_the_as_of_date_or_source_date_epoch() {
    let project = Project::sample("acme-health");
    let plain = std::fs::read(project.build().join("audit-package.pdf")).unwrap();
    assert!(
        contains(&plain, "2026-09-30T00:00:00"),
        "as-of date by default"
    );
    let out = project.path().join("epoch");
    let run = project.run_with_env(
        &[
            "build",
            "{}",
            "--format",
            "pdf",
            "--out",
            out.to_str().unwrap(),
        ],
        &[("SOURCE_DATE_EPOCH", "1767225600")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let dated = std::fs::read(out.join("audit-package.pdf")).unwrap();
    assert!(
        contains(&dated, "2026-01-01T00:00:00"),
        "SOURCE_DATE_EPOCH wins"
    );
    let bad = project.run_with_env(&["build", "{}"], &[("SOURCE_DATE_EPOCH", "yesterday")]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr
            .contains("SOURCE_DATE_EPOCH must be whole seconds since 1970"),
        "{}",
        bad.stderr
    );
}

#[test]
fn the_package_has_its_sections_in_the_contents_and_a_sign_off_page() {
    let project = Project::sample("acme-health");
    let text = pdf_text(&project.build().join("audit-package.pdf"));
    for section in [
        "Executive summary",
        "Responsibility matrix",
        "HIPAA Security Rule",
        "Gaps",
        "Lapsing within 30 days",
        "Inherited controls",
        "Vendors and subservice organizations",
        "Tabletop readiness",
        "Exceptions and attestations",
        "Evidence index",
        "Sign-off",
    ] {
        assert!(
            text.matches(section).count() >= 2,
            "{section} is in the contents and the body"
        );
    }
    assert!(
        text.contains("certified: AWS ISO/IEC 27001 certificate (2025-11-07 to 2028-11-06)"),
        "attestation per inherited control"
    );
    assert!(text.contains("Prepared by") && text.contains("Approved by"));
}

#[test]
fn the_outline_has_an_entry_per_section_and_framework() {
    let project = Project::sample("ledgerly");
    let package = project.build();
    let document =
        lopdf::Document::load(package.join("audit-package.pdf")).expect("the PDF parses");
    let toc = document.get_toc().expect("the PDF has an outline");
    let top: Vec<&str> = toc
        .toc
        .iter()
        .filter(|e| e.level == 1)
        .map(|e| e.title.as_str())
        .collect();
    let frameworks = [
        "SOC 2 Trust Services Criteria",
        "ISO/IEC 27001:2022",
        "PCI DSS",
        "CIS Critical Security Controls",
    ];
    let mut expected = vec!["Executive summary", "Responsibility matrix"];
    expected.extend(frameworks);
    expected.extend([
        "Gaps",
        "Inherited controls",
        "Vendors and subservice organizations",
        "Tabletop readiness",
        "Exceptions and attestations",
        "Evidence index",
        "Where each responsibility comes from",
        "Sign-off",
    ]);
    let stripped: Vec<String> = top
        .iter()
        .map(|t| {
            t.trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ')
                .to_string()
        })
        .collect();
    assert_eq!(stripped, expected, "top-level bookmarks: {top:?}");
    // Top-level families: SOC 2 CC1-CC9, A1, C1, PI1, P1-P8; ISO A.5-A.8 and clauses 4-10; PCI 1-12, A1-A3; CIS 1-18.
    for (framework, families) in frameworks.iter().zip([20, 11, 15, 18]) {
        let found = toc
            .toc
            .iter()
            .skip_while(|e| !e.title.ends_with(framework))
            .skip(1)
            .take_while(|e| e.level > 1)
            .count();
        assert_eq!(found, families, "{framework}: one bookmark per family");
    }
    let pages = document.get_pages().len();
    assert!(
        (60..=120).contains(&pages),
        "four frameworks, 628 controls: {pages} pages"
    );
}

/// The XML of one worksheet part of a workbook (calamine does not expose validations or widths).
fn sheet_xml(workbook: &std::path::Path, sheet_number: usize) -> String {
    use std::io::Read;
    let file = std::fs::File::open(workbook).unwrap();
    let mut archive = zip::ZipArchive::new(file).unwrap();
    let mut part = archive
        .by_name(&format!("xl/worksheets/sheet{sheet_number}.xml"))
        .unwrap();
    let mut xml = String::new();
    part.read_to_string(&mut xml).unwrap();
    xml
}

#[test]
fn reviewers_pick_a_status_from_a_list_and_columns_fit_their_content() {
    let project = Project::sample("acme-health");
    let package = project.build();
    let workbook = package.join("audit-workbook.xlsx");
    // Sheet 2 is Controls; its last column is "Reviewer status".
    let controls = sheet_xml(&workbook, 2);
    assert!(
        controls.contains(r#"<dataValidation type="list""#)
            && controls.contains("Agreed,Query raised,Evidence requested,Not applicable"),
        "no reviewer list in {}",
        &controls[..controls.len().min(2000)]
    );
    // Column widths follow the content: the narrow "Framework" column (ids like
    // "hipaa") is narrower than the capped "Title" column.
    let widths: Vec<f64> = controls
        .split("<col ")
        .skip(1)
        .filter_map(|c| c.split("width=\"").nth(1)?.split('"').next()?.parse().ok())
        .collect();
    assert!(widths.len() >= 5, "{widths:?}");
    assert!(widths[0] < widths[2], "{widths:?}");
    assert!(
        widths.iter().all(|w| *w <= 61.0),
        "capped at about 60 characters: {widths:?}"
    );
}

#[test]
fn a_control_too_long_for_one_page_breaks_across_pages_and_loses_nothing() {
    let project = Project::empty();
    let extra = "[[evidence]]\npath = \"ev.csv\"\nframework = \"hipaa\"\n";
    project.write(
        "audit.toml",
        audit_toml("\"hipaa\"", &[("aws", "ec2", "phi")], extra),
    );
    // Twenty long evidence ids are what one entry names (the rest are counted),
    // about 12,000 characters: more than a page holds.
    let mut csv = String::from("ID,Title,Controls,Collected\n");
    for i in 1..=1000 {
        csv.push_str(&format!(
            "ROW-{i:04} {},Access review {i},164.312(d),2026-03-01\n",
            "lorem".to_string() + &" lorem".repeat(100)
        ));
    }
    project.write("ev.csv", csv);
    let package = project.build();
    let bytes = std::fs::read(package.join("audit-package.pdf")).unwrap();
    let pages: Vec<String> = pdf_extract::extract_text_from_mem_by_pages(&bytes)
        .unwrap()
        .iter()
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let page_of = |needle: &str| {
        let found: Vec<usize> = (0..pages.len())
            .filter(|&i| pages[i].contains(needle))
            .collect();
        assert_eq!(found.len(), 1, "{needle} is on one page: {found:?}");
        found[0]
    };
    // The control's evidence list: ids joined by commas, only in the control's entry.
    let first = page_of("lorem, ROW-0002 lorem");
    let last = page_of("and 980 more rows");
    assert!(
        last > first,
        "the entry runs on to a later page (page {} to {}), not off the bottom of one",
        first + 1,
        last + 1
    );
}

#[test]
fn a_csv_cell_longer_than_excel_holds_is_cut_in_the_workbook_and_in_the_pdf() {
    let project = Project::empty();
    let extra = "[[evidence]]\npath = \"ev.csv\"\nframework = \"hipaa\"\n";
    project.write(
        "audit.toml",
        audit_toml("\"hipaa\"", &[("aws", "ec2", "phi")], extra),
    );
    let title = format!("Access review {} END-OF-TITLE", "detail ".repeat(6_000));
    project.write(
        "ev.csv",
        format!("Title,Controls,Collected\n\"{title}\",164.312(d),2026-03-01\n"),
    );
    let package = project.build();
    let mut workbook: Xlsx<_> = open_workbook(package.join("audit-workbook.xlsx")).unwrap();
    let evidence = workbook.worksheet_range("Evidence").unwrap();
    let cell = evidence.get((1, 1)).unwrap().to_string();
    assert!(cell.starts_with("Access review detail"), "{}", &cell[..40]);
    assert!(
        cell.ends_with("more characters: a cell holds 32,767]"),
        "the cut is said"
    );
    // The PDF prints the first 1,000 characters and says how many it left out.
    let text = pdf_text(&package.join("audit-package.pdf"));
    assert!(!text.contains("END-OF-TITLE"));
    assert!(
        text.contains(&format!(
            "({} more characters)",
            title.chars().count() - 1_000
        )),
        "the PDF does not say what it left out"
    );
}
