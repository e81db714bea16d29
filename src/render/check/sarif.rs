//! Render: the check verdict as a SARIF 2.1.0 log, for code-scanning services.
//!
//! One rule per gate rule in force, one result per control (or framework, or
//! attestation) that trips it. Every result has a physical location, since
//! services reject results without one; `partialFingerprints` come from the
//! framework, control and rule, so a result is tracked across runs.

use crate::error::{Error, Result};
use crate::model::gate::{BaselineState, Gate, Level};
use crate::render::check::{SourceMap, fingerprint, sentence};
use serde_json::{Value, json};

/// The published location of the SARIF 2.1.0 schema.
const SARIF_SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The key our fingerprints go under, versioned in case their recipe changes.
pub const FINGERPRINT_KEY: &str = "auditpackControl/v1";

pub fn render_sarif(gate: &Gate, sources: &SourceMap) -> Result<Vec<u8>> {
    let rules = gate.rules.active();
    let descriptors: Vec<Value> = rules
        .iter()
        .map(|r| {
            json!({
                "id": r.id(),
                "name": r.title(),
                "shortDescription": { "text": r.title() },
                "fullDescription": { "text": gate.rules.describe(*r) },
                "defaultConfiguration": { "level": sarif_level(match r {
                    crate::model::gate::RuleId::WarnOn => Level::Warning,
                    _ => Level::Error,
                }) },
            })
        })
        .collect();
    let results: Vec<Value> = gate
        .violations
        .iter()
        .map(|v| {
            let at = sources.locate(v);
            let mut result = json!({
                "ruleId": v.rule.id(),
                "ruleIndex": rules.iter().position(|r| *r == v.rule).unwrap_or(0),
                "level": sarif_level(v.level),
                "message": { "text": sentence(v) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&at.path) },
                        "region": { "startLine": at.line },
                    }
                }],
                "partialFingerprints": fingerprints(v),
                "properties": {
                    "framework": v.framework,
                    "control": v.control,
                    "responsibility": v.responsibility,
                    "status": v.status,
                    "owner": v.owner,
                    "due": v.due,
                },
            });
            if let Some(state) = v.baseline {
                result["baselineState"] = json!(match state {
                    BaselineState::New => "new",
                    BaselineState::Worse => "updated",
                    BaselineState::Unchanged => "unchanged",
                });
            }
            result
        })
        .collect();
    let log = json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "auditpack",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": descriptors,
            }},
            "results": results,
        }],
    });
    crate::render::json::to_json_pretty(&log).map_err(|e| Error::render("the SARIF log", e))
}

fn fingerprints(v: &crate::model::gate::Violation) -> Value {
    let mut map = serde_json::Map::new();
    map.insert(FINGERPRINT_KEY.to_string(), Value::String(fingerprint(v)));
    Value::Object(map)
}

fn sarif_level(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "note",
    }
}

/// A relative path as a URI reference: every byte outside the unreserved set and `/` percent-encoded.
pub(crate) fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            super::uri("evidence/Q3 tracker (final).csv"),
            "evidence/Q3%20tracker%20%28final%29.csv"
        );
        assert_eq!(super::uri("dossiers/é.csv"), "dossiers/%C3%A9.csv");
    }
}
