//! Render: audit-report.html, the package as one offline page, rendered by tera
//! from the same view model as the PDF, with inline CSS and a small script that
//! filters the controls.
//!
//! Nothing on the page is fetched: a Content-Security-Policy allows no source but
//! inline styles, `data:` images and the one script whose SHA-256 it names, so
//! neither an injected script nor a `javascript:` link could run. Every value is
//! escaped by tera (the template is always registered with autoescaping on); the
//! JSON the script reads has `<`, `>` and `&` written as `\u003c` and the like, so
//! `</script>` in evidence cannot close its element.

use crate::error::{Error, Result};
use crate::load::html_template::HtmlTemplate;
use crate::model::audit::Audit;
use crate::render::diff_view::ChangesView;
use crate::render::view::{PackageView, package_view_with};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::path::{Component, Path};

/// The template shipped with the tool.
pub const REPORT_TEMPLATE: &str = include_str!("../../templates/audit-report.html.tera");
/// The page's style sheet, inlined; a project template prints it with `{{ style | safe }}`.
pub const REPORT_STYLE: &str = include_str!("../../templates/audit-report.css");
/// The filter script, inlined; a project template prints it with `{{ script | safe }}`.
pub const REPORT_SCRIPT: &str = include_str!("../../templates/audit-report.js");

/// The file name the report has in the package.
pub const REPORT_FILE: &str = "audit-report.html";

/// How many evidence rows the report lists under each control by default, as
/// many as the PDF; past it the count is given and the workbook named. Each row
/// listed costs about 100 bytes of page per control it counts for.
pub const ROWS_PER_CONTROL: usize = crate::render::view::EVIDENCE_PER_CONTROL;

/// The name the template is registered under: it ends in `.html`, which is what
/// turns tera's autoescaping on, whatever a project calls its own file.
const TEMPLATE_NAME: &str = "audit-report.html";

/// An evidence file as the report lists it.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceFile {
    /// Relative to the project, with `/` separators.
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
}

/// What the report needs beside the audit.
pub struct HtmlInputs<'a> {
    pub changes: Option<ChangesView>,
    pub files: Vec<EvidenceFile>,
    /// The project folder as seen from the report's folder (`../../`), for links to evidence files.
    pub root_href: String,
    pub template: Option<&'a HtmlTemplate>,
    pub rows_per_control: usize,
}

#[derive(Serialize)]
struct ReportContext<'a> {
    view: &'a PackageView,
    files: &'a [EvidenceFile],
    root_href: &'a str,
    owners: Vec<&'a str>,
    control_count: usize,
    data: String,
    style: &'static str,
    script: &'static str,
    csp: String,
}

/// Render audit-report.html.
pub fn render_html(audit: &Audit, inputs: HtmlInputs) -> Result<Vec<u8>> {
    let mut view = package_view_with(audit, inputs.rows_per_control);
    view.changes = inputs.changes;
    let mut owners: Vec<&str> = controls(&view).map(|(_, c)| c.owner.as_str()).collect();
    owners.sort_unstable();
    owners.dedup();
    let context = ReportContext {
        view: &view,
        files: &inputs.files,
        root_href: &inputs.root_href,
        owners,
        control_count: controls(&view).count(),
        data: filter_data(&view)?,
        style: REPORT_STYLE,
        script: REPORT_SCRIPT,
        csp: content_security_policy(),
    };
    let (source, what) = match inputs.template {
        Some(t) => (
            t.source.as_str(),
            format!("the HTML template {}", t.path.display()),
        ),
        None => (REPORT_TEMPLATE, "the HTML report".to_string()),
    };
    let mut tera = tera::Tera::new();
    tera.autoescape_on([".html"]);
    tera.register_filter(
        "url_path",
        |path: &str, _: tera::Kwargs, _: &tera::State| url_path(path),
    );
    tera.add_raw_template(TEMPLATE_NAME, source)
        .map_err(|e| Error::render(&what, describe(&e)))?;
    let context =
        tera::Context::from_serialize(&context).map_err(|e| Error::render(&what, describe(&e)))?;
    let mut html = CappedWriter::default();
    let cause = "a loop nested in a loop, or text that doubles in a loop, does this; AUDITPACK_HTML_MEMORY_MB and AUDITPACK_TEMPLATE_SECONDS raise the limits";
    let rendered = crate::memory::with_bounds(
        &format!("rendering {what}"),
        cause,
        html_allowance(),
        crate::memory::template_deadline(),
        || tera.render_to(TEMPLATE_NAME, &context, &mut html),
    );
    if html.over {
        return Err(Error::render(
            &what,
            format!(
                "the report grew past {} MB, the most an HTML report may be; a loop in the template repeats without end",
                MAX_REPORT_BYTES / (1024 * 1024)
            ),
        ));
    }
    rendered.map_err(|e| Error::render(&what, describe(&e)))?;
    Ok(html.bytes)
}

/// The largest HTML report written. The shipped template writes a few MB for five
/// frameworks: evidence rows are bounded per control (`rows_per_control`).
pub const MAX_REPORT_BYTES: usize = 256 * 1024 * 1024;

/// The memory the HTML report's rendering may take beyond what the run held
/// before it, in MB, unless `AUDITPACK_HTML_MEMORY_MB` says otherwise.
pub const DEFAULT_HTML_MEMORY_MB: usize = 2048;

fn html_allowance() -> usize {
    std::env::var("AUDITPACK_HTML_MEMORY_MB")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|mb| *mb > 0)
        .unwrap_or(DEFAULT_HTML_MEMORY_MB)
        .saturating_mul(1024 * 1024)
}

/// The report as tera writes it, refusing bytes past [`MAX_REPORT_BYTES`] so a
/// runaway loop stops at the cap instead of filling memory.
#[derive(Default)]
struct CappedWriter {
    bytes: Vec<u8>,
    over: bool,
}

impl std::io::Write for CappedWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > MAX_REPORT_BYTES {
            self.over = true;
            return Err(std::io::Error::other("the report is too large"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every control of the view with its framework's id, in report order.
fn controls(view: &PackageView) -> impl Iterator<Item = (&str, &crate::render::view::ControlView)> {
    view.frameworks.iter().flat_map(|f| {
        f.families
            .iter()
            .flat_map(move |fam| fam.controls.iter().map(move |c| (f.id.as_str(), c)))
    })
}

/// The policy: nothing may load, inline styles may apply, `data:` images may show,
/// and only the shipped script runs (named by its hash, so no injected one would).
pub fn content_security_policy() -> String {
    format!(
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{}'; base-uri 'none'; form-action 'none'",
        base64(&Sha256::digest(REPORT_SCRIPT.as_bytes()))
    )
}

/// The JSON the filter script reads: per control, in page order, its anchor,
/// framework, responsibility, status, owner and days until evidence falls due (a
/// search reads the entry's own text). `<`, `>` and `&` are escaped so the JSON
/// can sit inside a `<script>` element whatever the evidence says.
fn filter_data(view: &PackageView) -> Result<String> {
    type Facets<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str, Option<i64>);
    #[derive(Serialize)]
    struct Data<'a> {
        controls: Vec<Facets<'a>>,
    }
    let controls = controls(view)
        .map(|(framework, c)| {
            (
                c.anchor.as_str(),
                framework,
                c.responsibility.as_str(),
                c.status,
                c.owner.as_str(),
                c.due_in_days,
            )
        })
        .collect();
    let json = serde_json::to_string(&Data { controls })
        .map_err(|e| Error::render("the HTML report's data", e))?;
    Ok(script_safe_json(&json))
}

/// JSON that cannot end or open markup inside a `<script>` element.
pub fn script_safe_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// A relative path as a URL path: each segment percent-encoded but for unreserved characters.
pub fn url_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(byte as char)
            }
            b'\\' => out.push('/'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The link from the report's folder to the project folder (`../../`, or `../proj/`),
/// both paths absolute; empty when they are the same folder.
pub fn root_href(report_folder: &Path, project: &Path) -> String {
    let from: Vec<Component> = report_folder.components().collect();
    let to: Vec<Component> = project.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut href = "../".repeat(from.len() - common);
    for part in &to[common..] {
        href.push_str(&url_path(&part.as_os_str().to_string_lossy()));
        href.push('/');
    }
    href
}

/// A tera error with its causes, on one line.
fn describe(error: &tera::Error) -> String {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(&format!(" ({cause})"));
        source = cause.source();
    }
    message
}

/// Standard base64 with padding, for the CSP's script hash.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            match i <= chunk.len() {
                true => out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char),
                false => out.push('='),
            }
        }
    }
    out
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn base64_matches_the_standard_alphabet_and_padding() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn root_href_climbs_then_descends() {
        assert_eq!(
            root_href(Path::new("/p/out/2026"), Path::new("/p")),
            "../../"
        );
        assert_eq!(
            root_href(Path::new("/tmp/pkg"), Path::new("/w/my proj")),
            "../../w/my%20proj/"
        );
        assert_eq!(root_href(Path::new("/p"), Path::new("/p")), "");
    }

    #[test]
    fn script_json_cannot_close_the_script_element() {
        let json = script_safe_json(r#"{"t":"</script><script>alert(1)</script>&"}"#);
        assert!(!json.contains('<') && !json.contains('>') && !json.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["t"], "</script><script>alert(1)</script>&");
    }
}
