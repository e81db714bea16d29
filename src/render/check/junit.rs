//! Render: the check verdict as JUnit XML, so CI systems show controls as tests.
//!
//! One test suite per framework, one test case per control: a failure where a
//! rule fails it, skipped where it is not applicable, passed otherwise. Coverage
//! thresholds and lapsing attestations, which belong to no control, make a last
//! suite of their own. Written by hand: every piece of text is escaped, and
//! characters XML 1.0 does not allow are written as visible escapes.

use crate::model::audit::Audit;
use crate::model::gate::{Gate, Level, RuleId, Violation};
use crate::model::status::Status;
use crate::render::check::sentence;
use std::fmt::Write as _;

/// The name of the suite holding what belongs to no control.
pub const GATE_SUITE: &str = "auditpack check";

struct Case {
    classname: String,
    name: String,
    failures: Vec<String>,
    skipped: Option<String>,
    notes: Vec<String>,
}

struct Suite {
    name: String,
    cases: Vec<Case>,
}

impl Suite {
    fn failures(&self) -> usize {
        self.cases.iter().filter(|c| !c.failures.is_empty()).count()
    }
    fn skipped(&self) -> usize {
        self.cases
            .iter()
            .filter(|c| c.failures.is_empty() && c.skipped.is_some())
            .count()
    }
}

pub fn render_junit(audit: &Audit, gate: &Gate) -> Vec<u8> {
    let mut suites: Vec<Suite> = audit
        .frameworks
        .iter()
        .map(|f| Suite {
            name: format!("{} ({})", f.name, f.id),
            cases: f
                .controls
                .iter()
                .map(|c| {
                    let mut case = Case {
                        classname: format!("{}.{}", f.id, c.family),
                        name: format!("{} {}", c.id, c.title),
                        failures: Vec::new(),
                        skipped: (c.status == Status::NotApplicable)
                            .then(|| c.status_reason.clone()),
                        notes: Vec::new(),
                    };
                    for v in gate.of_control(&f.id, &c.id) {
                        file(&mut case, v);
                    }
                    case
                })
                .collect(),
        })
        .collect();
    let mut gate_cases: Vec<Case> = gate
        .coverage
        .iter()
        .chain(std::iter::once(&gate.overall))
        .filter_map(|c| {
            let threshold = c.threshold?;
            Some(Case {
                classname: format!("coverage.{}", c.framework),
                name: format!("{} coverage of at least {threshold}%", c.name),
                failures: Vec::new(),
                skipped: None,
                notes: Vec::new(),
            })
        })
        .collect();
    for v in gate.violations.iter().filter(|v| v.control.is_none()) {
        let classname = match v.rule {
            RuleId::MinCoverage => format!("coverage.{}", v.framework.as_deref().unwrap_or("all")),
            _ => "attestations".to_string(),
        };
        match gate_cases.iter_mut().find(|c| c.classname == classname) {
            Some(case) => file(case, v),
            None => {
                let mut case = Case {
                    classname,
                    name: v.title.clone(),
                    failures: Vec::new(),
                    skipped: None,
                    notes: Vec::new(),
                };
                file(&mut case, v);
                gate_cases.push(case);
            }
        }
    }
    if !gate_cases.is_empty() {
        suites.push(Suite {
            name: GATE_SUITE.to_string(),
            cases: gate_cases,
        });
    }
    write_xml(&suites)
}

/// Put a violation on its test case: a failure when it fails the gate, else output.
fn file(case: &mut Case, v: &Violation) {
    let line = format!("[{}] {}", v.rule.id(), sentence(v));
    match v.level {
        Level::Error => case.failures.push(line),
        Level::Warning | Level::Note => case.notes.push(line),
    }
}

fn write_xml(suites: &[Suite]) -> Vec<u8> {
    let tests: usize = suites.iter().map(|s| s.cases.len()).sum();
    let failures: usize = suites.iter().map(Suite::failures).sum();
    let skipped: usize = suites.iter().map(Suite::skipped).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"{GATE_SUITE}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">"
    );
    for suite in suites {
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">",
            attribute(&suite.name),
            suite.cases.len(),
            suite.failures(),
            suite.skipped()
        );
        for case in &suite.cases {
            let _ = write!(
                out,
                "    <testcase classname=\"{}\" name=\"{}\"",
                attribute(&case.classname),
                attribute(&case.name)
            );
            let skipped = case.skipped.as_ref().filter(|_| case.failures.is_empty());
            if case.failures.is_empty() && skipped.is_none() && case.notes.is_empty() {
                out.push_str("/>\n");
                continue;
            }
            out.push_str(">\n");
            if let Some(first) = case.failures.first() {
                let _ = writeln!(
                    out,
                    "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                    attribute(first),
                    rule_of(first),
                    text(&case.failures.join("\n"))
                );
            }
            if let Some(why) = skipped {
                let _ = writeln!(out, "      <skipped message=\"{}\"/>", attribute(why));
            }
            if !case.notes.is_empty() {
                let _ = writeln!(
                    out,
                    "      <system-out>{}</system-out>",
                    text(&case.notes.join("\n"))
                );
            }
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out.into_bytes()
}

/// The rule id a filed line starts with: `[fail-on] ...`.
fn rule_of(line: &str) -> &str {
    line.strip_prefix('[')
        .and_then(|l| l.split_once(']'))
        .map_or("gate", |(rule, _)| rule)
}

/// Element text: markup escaped, characters XML 1.0 forbids written as visible escapes.
pub fn text(s: &str) -> String {
    escape(s, false)
}

/// An attribute value: as text, and line breaks and tabs as character references,
/// which a parser would otherwise fold into spaces.
pub fn attribute(s: &str) -> String {
    escape(s, true)
}

fn escape(s: &str, in_attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' if in_attribute => out.push_str("&#10;"),
            '\r' if in_attribute => out.push_str("&#13;"),
            '\t' if in_attribute => out.push_str("&#9;"),
            '\n' | '\t' => out.push(c),
            // Forbidden in XML 1.0 (C0 controls, U+FFFE, U+FFFF) or discouraged
            // (DEL, C1 controls): kept as data the reader can see, never raw.
            c if c.is_control() || c == '\u{fffe}' || c == '\u{ffff}' => {
                out.extend(c.escape_default())
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_forbidden_characters_stay_data() {
        assert_eq!(
            text("</testcase><script>&\"'"),
            "&lt;/testcase&gt;&lt;script&gt;&amp;&quot;&apos;"
        );
        assert_eq!(
            text("a\u{1b}[2J\u{0}b\u{ffff}"),
            "a\\u{1b}[2J\\u{0}b\\u{ffff}"
        );
        assert_eq!(attribute("one\ntwo\r"), "one&#10;two&#13;");
        assert_eq!(text("one\ntwo\r"), "one\ntwo\\r");
    }
}
