//! audit-report.html: one offline page with the package's content, its filters
//! driven in headless Chromium, hostile evidence shown as text, nothing fetched.

use crate::common::{Project, audit_toml, snapshot};
use calamine::Reader;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Evidence and an owner written to break out of text, attributes and the script.
const SCRIPT_TITLE: &str = "</script><script>alert(1)</script>";
const MARKER_TITLE: &str =
    "</script><script>document.documentElement.setAttribute('data-pwned','1')</script>";
const IMG_TITLE: &str =
    "<img src=x onerror=\"document.documentElement.setAttribute('data-pwned','2')\">";
const ATTR_TITLE: &str = "\" onmouseover=\"alert(1)";
const HOSTILE_OWNER: &str = "\\\" onmouseover=\\\"alert(1)\\\" x=\\\"<b>";
const USER_LINK: &str = "https://tickets.example.org/browse/SEC-1?a=1&b=2";

fn hostile_project() -> Project {
    let project = Project::empty();
    let owners = format!("[owners]\n\"hipaa\" = {{ owner = \"{HOSTILE_OWNER}\" }}\n");
    let toml = audit_toml(
        "\"hipaa\"",
        &[("aws", "ec2", "phi")],
        &format!("{owners}\n[[evidence]]\npath = \"ev.csv\"\n"),
    );
    project.write("audit.toml", toml);
    let csv_cell = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let rows = [
        ("E-1", SCRIPT_TITLE, "164.312(d)", USER_LINK),
        ("E-2", MARKER_TITLE, "164.312(b)", "javascript:alert(1)"),
        ("E-3", IMG_TITLE, "164.308(a)(1)(ii)(A)", ""),
        ("E-4", ATTR_TITLE, "164.312(a)(1)", "//evil.example/x"),
    ];
    let mut csv = String::from("id,title,controls,collected,result,link\n");
    for (id, title, control, link) in rows {
        csv.push_str(&format!(
            "{id},{},HIPAA {control},2026-03-20,pass,{}\n",
            csv_cell(title),
            csv_cell(link)
        ));
    }
    project.write("ev.csv", csv);
    project
}

fn report(package: &Path) -> String {
    std::fs::read_to_string(package.join("audit-report.html")).expect("the report is written")
}

/// tera's escaping of text and attribute values.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[test]
fn every_evidence_string_is_escaped_and_no_absolute_url_but_the_users_own() {
    let project = hostile_project();
    let html = report(&project.build());
    for title in [SCRIPT_TITLE, MARKER_TITLE, IMG_TITLE, ATTR_TITLE] {
        assert!(
            html.contains(&escaped(title)),
            "{title} is not shown escaped"
        );
        assert!(!html.contains(title), "{title} is in the page unescaped");
    }
    assert!(
        !html.contains("onmouseover=\""),
        "an attribute was broken out of"
    );
    assert!(html.contains(&escaped("\" onmouseover=\"alert(1)\" x=\"<b>")));
    // Only the page's own two script elements: the JSON data and the filter script.
    assert_eq!(html.matches("<script").count(), 2);
    assert!(html.contains("<script type=\"application/json\" id=\"report-data\">"));
    let data_start = html.find("id=\"report-data\">").unwrap();
    let data_end = data_start + html[data_start..].find("</script>").unwrap();
    let data = &html[data_start + "id=\"report-data\">".len()..data_end];
    assert!(!data.contains('<') && !data.contains('>') && !data.contains('&'));
    let parsed: serde_json::Value = serde_json::from_str(data).expect("the data is JSON");
    assert_eq!(
        parsed["controls"].as_array().unwrap().len(),
        control_total(&project)
    );
    // No element that loads anything, no url() in styles.
    for tag in [
        "<img", "<link", "<iframe", "<object", "<embed", "<video", "<audio", "<source",
    ] {
        assert!(!html.contains(tag), "the page holds {tag}");
    }
    assert!(!html.contains("<script src") && !html.contains("url("));
    // The user's own https link is a link; javascript: and scheme-relative ones are not.
    assert!(html.contains(&format!("href=\"{}\"", escaped(USER_LINK))));
    assert!(!html.contains("href=\"//") && !html.contains("href=\"javascript:"));
    let evidence = std::fs::read_to_string(project.path().join("ev.csv")).unwrap();
    assert_only_user_urls(&html, &evidence);
    let csp = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; img-src data:; script-src &#39;sha256-";
    assert!(html.contains(csp), "no Content-Security-Policy");
}

/// Every absolute URL in the page is an href's whole value, and that URL is in the
/// evidence the user supplied.
fn assert_only_user_urls(html: &str, evidence: &str) {
    let mut rest = html;
    while let Some(at) = rest.find("://") {
        let start = rest[..at]
            .rfind(|c: char| !c.is_ascii_alphanumeric() && c != '+' && c != '-' && c != '.')
            .map_or(0, |i| i + 1);
        let end = at
            + rest[at..]
                .find(['"', '<', ' ', '\''])
                .unwrap_or(rest.len() - at);
        let url = &rest[start..end];
        assert!(
            rest[..start].ends_with("href=\"") && rest[end..].starts_with('"'),
            "an absolute URL outside an href: {url}"
        );
        let unescaped = url.replace("&amp;", "&");
        assert!(evidence.contains(&unescaped), "{url} is not the user's own");
        rest = &rest[end..];
    }
}

fn control_total(project: &Project) -> usize {
    let s = snapshot(&project.path().join("pkg"));
    s["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["controls"].as_array().unwrap().len())
        .sum()
}

#[test]
fn the_report_is_byte_identical_for_the_same_inputs_and_listed_in_the_manifest() {
    let project = Project::sample("acme-health");
    let first = report(&project.build());
    let second = report(&project.build());
    assert!(first == second, "two builds gave different reports");
    let manifest = std::fs::read_to_string(project.path().join("pkg/manifest.json")).unwrap();
    assert!(manifest.contains("\"path\": \"audit-report.html\""));
    // Evidence files: linked from the package folder to the project, with their SHA-256.
    let tracker = std::fs::read(project.path().join("evidence/ops-tickets.csv")).unwrap();
    let sha = sha256_hex(&tracker);
    assert!(
        first.contains(&sha),
        "the evidence file's SHA-256 is listed"
    );
    assert!(first.contains("href=\"../evidence/ops-tickets.csv\""));
    let mut evidence = String::new();
    evidence.push_str(
        &std::fs::read_to_string(project.path().join("evidence/ops-tickets.csv")).unwrap(),
    );
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook(project.path().join("evidence/hipaa-evidence.xlsx")).unwrap();
    for name in workbook.sheet_names() {
        for cell in workbook.worksheet_range(&name).unwrap().cells() {
            evidence.push_str(&cell.2.to_string());
            evidence.push('\n');
        }
    }
    assert_only_user_urls(&first, &evidence);
}

fn sha256_hex(bytes: &[u8]) -> String {
    auditpack::render::package::sha256_hex(bytes)
}

#[test]
fn format_html_writes_a_focused_report_alone() {
    let project = Project::sample("acme-health");
    let out = project.path().join("focused");
    let run = project.run(&[
        "build",
        "{}",
        "--out",
        out.to_str().unwrap(),
        "--format",
        "html",
        "--responsibility",
        "customer",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["audit-report.html", "manifest.json"]);
    let html = report(&out);
    assert!(html.contains("Focused on"));
    assert!(!html.contains("<span class=\"badge r-badge\">shared</span>"));
    assert!(html.contains("<span class=\"badge r-badge\">customer</span>"));
}

#[test]
fn a_project_template_replaces_the_shipped_one_and_still_escapes() {
    let project = hostile_project();
    let toml = std::fs::read_to_string(project.path().join("audit.toml")).unwrap();
    project.write(
        "audit.toml",
        format!("{toml}\n[report]\nhtml_template = \"brand/report.tera\"\n"),
    );
    project.write(
        "brand/report.tera",
        "<h1>Brand {{ view.organization }}</h1>{% for e in view.evidence %}<p title=\"{{ e.title }}\">{{ e.title }}</p>{% endfor %}",
    );
    let html = report(&project.build());
    assert!(html.starts_with("<h1>Brand Test Org</h1>"));
    assert!(html.contains(&format!("title=\"{}\"", escaped(ATTR_TITLE))));
    assert!(!html.contains(SCRIPT_TITLE));
}

#[test]
fn past_the_configured_rows_per_control_the_report_counts_and_names_the_workbook() {
    let project = Project::empty();
    let toml = audit_toml(
        "\"hipaa\"",
        &[("aws", "ec2", "phi")],
        "[report]\nhtml_rows_per_control = 2\n\n[[evidence]]\npath = \"ev.csv\"\n",
    );
    project.write("audit.toml", toml);
    let mut csv = String::from("id,title,controls,collected,result\n");
    for i in 1..=5 {
        csv.push_str(&format!(
            "MFA-{i},MFA report {i},HIPAA 164.312(d),2026-03-2{i},pass\n"
        ));
    }
    project.write("ev.csv", csv);
    let html = report(&project.build());
    let entry = &html[html.find("id=\"control-hipaa-164.312(d)\"").unwrap()..];
    let entry = &entry[..entry.find("</article>").unwrap()];
    assert_eq!(entry.matches("<li>MFA-").count(), 2, "{entry}");
    assert!(entry.contains(
        "5 rows count for this control and the first 2 are listed here: the workbook's Evidence sheet lists them all."
    ));
}

#[test]
fn with_previous_the_report_holds_the_changes_since_the_last_review() {
    let project = Project::sample("acme-health");
    let previous = project.build().join("snapshot.json");
    let kept = project.path().join("previous.json");
    std::fs::copy(&previous, &kept).unwrap();
    let out = project.path().join("next");
    let run = project.run(&[
        "build",
        "{}",
        "--out",
        out.to_str().unwrap(),
        "--format",
        "html",
        "--previous",
        kept.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = report(&out);
    assert!(html.contains("<h2>Changes since the previous review</h2>"));
    assert!(html.contains("<p>From 2026-09-30 to 2026-09-30.</p>"));
}

/// Chromium from Debian's package, if installed. Under `CI=true` its absence fails the test.
fn chromium() -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .flat_map(|p| [p.join("chromium"), p.join("chromium-browser")])
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "Chromium is not installed, and CI=true: the HTML report's browser test must run (apt-get install -y chromium)"
        );
        eprintln!(
            "SKIPPED: the HTML report's browser test needs Chromium (apt-get install -y chromium); it is not on PATH"
        );
    }
    found
}

/// The page's DOM after its script ran, loaded from `file://` with `fragment`,
/// every host name resolving nowhere so that any request would fail.
fn dump_dom(browser: &Path, page: &Path, fragment: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let url = format!("file://{}#{fragment}", page.display());
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(url)
        .output()
        .expect("Chromium runs");
    assert!(
        output.status.success(),
        "Chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The ids of the control entries the DOM shows, in page order.
fn shown_controls(dom: &str) -> Vec<String> {
    dom.split("<article class=\"control")
        .skip(1)
        .filter_map(|rest| {
            let tag = &rest[..rest.find('>')?];
            if tag.contains(" hidden") {
                return None;
            }
            let id = &tag[tag.find("id=\"")? + 4..];
            Some(id[..id.find('"')?].to_string())
        })
        .collect()
}

fn shown_line(dom: &str) -> String {
    let start = dom
        .find("<output id=\"shown\">")
        .expect("the count is shown")
        + 19;
    dom[start..start + dom[start..].find('<').unwrap()].to_string()
}

#[test]
fn in_chromium_filters_from_the_fragment_hostile_text_stays_text_and_nothing_is_fetched() {
    let Some(browser) = chromium() else { return };
    let project = Project::sample("acme-health");
    let page = project.build().join("audit-report.html");
    let s = snapshot(&project.path().join("pkg"));
    let controls: Vec<&serde_json::Value> = s["frameworks"][0]["controls"]
        .as_array()
        .unwrap()
        .iter()
        .collect();
    let total = controls.len();
    let expected = controls
        .iter()
        .filter(|c| c["responsibility"] == "customer" && c["status"] == "missing")
        .count();
    assert!(expected > 0);

    // With no filter, every control shows, the filters are visible, nothing was fetched.
    let dom = dump_dom(&browser, &page, "");
    assert_eq!(shown_line(&dom), format!("{total} of {total} controls"));
    assert_eq!(shown_controls(&dom).len(), total);
    assert!(
        dom.contains("<form id=\"filters\" class=\"filters\" aria-label"),
        "the filters stay hidden"
    );
    assert!(
        dom.contains("data-resources-loaded=\"0\""),
        "the page fetched resources"
    );

    let dom = dump_dom(&browser, &page, "resp=customer&status=missing");
    assert_eq!(shown_line(&dom), format!("{expected} of {total} controls"));
    assert_eq!(shown_controls(&dom).len(), expected);
    assert!(dom.contains("data-resources-loaded=\"0\""));

    // Narrowed by a search to one control, the first of those.
    let first = controls
        .iter()
        .find(|c| c["responsibility"] == "customer" && c["status"] == "missing")
        .unwrap();
    let id = first["id"].as_str().unwrap();
    let query: String = id.bytes().map(|b| format!("%{b:02X}")).collect();
    let dom = dump_dom(
        &browser,
        &page,
        &format!("resp=customer&status=missing&q={query}"),
    );
    assert_eq!(shown_line(&dom), format!("1 of {total} controls"));

    // Hostile evidence: shown as text, no script of its own ran, no element added.
    let hostile = hostile_project();
    let page = hostile.build().join("audit-report.html");
    let dom = dump_dom(&browser, &page, "");
    let root = &dom[dom.find("<html").unwrap()..];
    let root = &root[..root.find('>').unwrap()];
    assert!(
        !root.contains("data-pwned"),
        "evidence text ran as script: {root}"
    );
    assert_eq!(dom.matches("<script").count(), 2);
    assert!(!dom.contains("<img"));
    assert!(
        dom.contains(
            &escaped(SCRIPT_TITLE)
                .replace("&#39;", "'")
                .replace("&quot;", "\"")
        )
    );
    assert!(dom.contains("data-resources-loaded=\"0\""));
}
