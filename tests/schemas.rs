//! The official schemas vendored under `tests/schemas/` (see its NOTICE.md), and
//! validation of our outputs against them with the `jsonschema` crate: formats
//! checked too (`date-time`, `uri-reference`, ...), every error reported with
//! where it is in the document.

use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::sync::OnceLock;

/// The SARIF 2.1.0 schema, as OASIS publishes it.
pub const SARIF: &str = "sarif-schema-2.1.0.json";
/// NIST's OSCAL complete schema (every model), release 1.2.3.
pub const OSCAL: &str = "oscal_complete_schema.json";

/// Each vendored file's SHA-256, as NOTICE.md records it.
const HASHES: &[(&str, &str)] = &[
    (
        SARIF,
        "af47e7b67f24efe74076621fd3a5fbe7398add9e84fe820c971219a385895cea",
    ),
    (
        OSCAL,
        "e0b41f5c9f06a702bd6139566b3db089cec4c734353e958624e4ba4a2d35a806",
    ),
];

fn path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/schemas")
        .join(name)
}

/// Patterns of a vendored schema that ECMA-262 (the dialect JSON Schema names)
/// accepts but Rust's regex engines reject, each with its ECMA-262 meaning
/// spelled for Rust: (schema, pattern as published, the same pattern for Rust).
/// SARIF 2.1.0's language pattern (`run.language`, `toolComponent.language`) has
/// a stray `]`, which ECMA-262 reads as a literal `]`; escaping it keeps that
/// meaning. The file stays unmodified; only the compiled copy changes, and each
/// change must apply as often as recorded (the last field).
const ECMA_PATTERNS: &[(&str, &str, &str, usize)] = &[(
    SARIF,
    "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$",
    "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$",
    2,
)];

fn compile(name: &str) -> jsonschema::Validator {
    let mut text = std::fs::read_to_string(path(name)).unwrap();
    for (_, published, rust, times) in ECMA_PATTERNS.iter().filter(|p| p.0 == name) {
        let quoted = |p: &str| serde_json::to_string(p).unwrap();
        let found = text.matches(&quoted(published)).count();
        assert_eq!(found, *times, "{name}: {published}");
        text = text.replace(&quoted(published), &quoted(rust));
    }
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{name} does not compile: {e}"))
}

fn validator(name: &'static str) -> &'static jsonschema::Validator {
    static SARIF_V: OnceLock<jsonschema::Validator> = OnceLock::new();
    static OSCAL_V: OnceLock<jsonschema::Validator> = OnceLock::new();
    let cell = match name {
        SARIF => &SARIF_V,
        OSCAL => &OSCAL_V,
        _ => panic!("no vendored schema {name}"),
    };
    cell.get_or_init(|| compile(name))
}

/// Every way `document` breaks the schema, as `at <JSON pointer>: <why>`; empty when valid.
pub fn problems(schema: &'static str, document: &Value) -> Vec<String> {
    validator(schema)
        .iter_errors(document)
        .map(|e| format!("at {}: {e}", e.instance_path()))
        .take(20)
        .collect()
}

/// Panics, naming the file and each problem, unless `document` is valid.
pub fn assert_valid(schema: &'static str, what: &str, document: &Value) {
    let found = problems(schema, document);
    assert!(
        found.is_empty(),
        "{what} breaks {schema}:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_vendored_schemas_are_the_files_the_notice_names_unmodified() {
    for (name, expected) in HASHES {
        let bytes = std::fs::read(path(name)).unwrap();
        let got: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(&got, expected, "{name} differs from the vendored release");
    }
    let notice = std::fs::read_to_string(path("NOTICE.md")).unwrap();
    for (name, hash) in HASHES {
        assert!(notice.contains(name) && notice.contains(hash), "{name}");
    }
}

#[test]
fn the_validators_reject_what_the_schemas_forbid() {
    // A SARIF result without a message, and an OSCAL token that is not one.
    let sarif = serde_json::json!({
        "version": "2.1.0",
        "runs": [{ "tool": { "driver": { "name": "x" } }, "results": [{ "ruleId": "r" }] }]
    });
    assert!(!problems(SARIF, &sarif).is_empty());
    let catalog = serde_json::json!({ "catalog": {
        "uuid": "8f4e1a7c-2b3d-5e6f-8a9b-0c1d2e3f4a5b",
        "metadata": { "title": "t", "last-modified": "2026-01-01T00:00:00Z",
                      "version": "1", "oscal-version": "1.1.3" },
        "controls": [{ "id": "164.312(a)", "title": "x" }]
    }});
    let found = problems(OSCAL, &catalog);
    assert!(
        !found.is_empty(),
        "a control id of digits and brackets passed"
    );
    // The same with a token id passes: the failure above was the id, by `\p{L}`.
    let mut fixed = catalog.clone();
    fixed["catalog"]["controls"][0]["id"] = "hipaa-é164.312_a".into();
    assert_valid(OSCAL, "a catalog with a Unicode token id", &fixed);
}
