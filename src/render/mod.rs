//! Render: outputs made from the finished audit. Renderers only read the model.

pub mod check;
pub mod diff_pdf;
pub mod diff_tabletop_view;
pub mod diff_text;
pub mod diff_view;
pub mod diff_xlsx;
pub mod evidence_requests;
pub mod html;
pub mod inventory_toml;
pub mod json;
pub mod oscal;
pub mod package;
pub mod pdf;
pub mod snapshot;
pub mod tabletop_pdf;
pub mod tabletop_text;
pub mod target;
pub mod typst_world;
pub mod view;
pub mod view_tabletop;
pub mod xlsx;
mod xlsx_drift;
pub mod xlsx_scans;
pub mod xlsx_tabletop;
mod xlsx_vendors;

/// A cell for a CSV file that a spreadsheet might open: text that a spreadsheet
/// would run as a formula gets a leading apostrophe, as OWASP recommends.
pub fn csv_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// A link from input as an output may carry it: an http or https URL, or a
/// relative reference (`evidence/mfa.png`); `None` for anything else. A
/// `javascript:`, `vbscript:`, `data:` or `file:` link, a network-path `//host`
/// and anything holding white space or control characters never reach an
/// `href`, in any output.
pub fn safe_link(link: &str) -> Option<&str> {
    let link = link.trim();
    if link.is_empty()
        || link.starts_with("//")
        || link.starts_with('\\')
        || link
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || crate::diag::is_bidi_control(c))
    {
        return None;
    }
    let lower = link.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return Some(link);
    }
    // A relative reference has no scheme: no `:` before the first `/`, `?` or `#`.
    let head = link.split(['/', '?', '#']).next().unwrap_or_default();
    match head.contains(':') {
        true => None,
        false => Some(link),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_link;

    #[test]
    fn only_web_and_relative_links_pass() {
        assert_eq!(safe_link("https://x.example/a b"), None);
        assert_eq!(
            safe_link(" https://x.example/a "),
            Some("https://x.example/a")
        );
        assert_eq!(safe_link("HTTP://x.example"), Some("HTTP://x.example"));
        assert_eq!(safe_link("evidence/mfa.png"), Some("evidence/mfa.png"));
        assert_eq!(safe_link("./a:b"), Some("./a:b"));
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "vbscript:msgbox",
            "data:text/html,<script>",
            "file:///etc/passwd",
            "//evil.example/x",
            "C:\\secret",
            "java\u{0}script:x",
            "a\u{202e}b",
            "",
        ] {
            assert_eq!(safe_link(bad), None, "{bad:?}");
        }
    }
}
