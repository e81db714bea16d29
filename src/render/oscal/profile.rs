//! Render: the OSCAL profile selecting every control of the frameworks in scope,
//! which the system security plan imports as its baseline.

use super::{Uuids, catalog, metadata, prop};
use crate::model::audit::Audit;
use serde_json::{Value, json};

/// The profile's file name inside `oscal/`.
pub const FILE: &str = "profile.json";

/// The profile document: one import per framework in scope, every control included.
pub fn profile(audit: &Audit) -> Value {
    let uuids = Uuids::new(audit);
    let names: Vec<&str> = audit.frameworks.iter().map(|f| f.name.as_str()).collect();
    let mut meta = metadata(
        audit,
        &format!(
            "{}: frameworks in scope ({})",
            audit.organization,
            names.join(", ")
        ),
        &audit.as_of.to_string(),
    );
    meta.insert(
        "props".into(),
        json!(
            audit
                .frameworks
                .iter()
                .map(|f| prop("framework", &f.id))
                .collect::<Vec<_>>()
        ),
    );
    let imports: Vec<Value> = audit
        .frameworks
        .iter()
        .map(|f| json!({ "href": catalog::file_name(&f.id), "include-all": {} }))
        .collect();
    json!({
        "profile": {
            "uuid": uuids.of("profile"),
            "metadata": meta,
            "imports": imports,
            "merge": { "as-is": true },
        }
    })
}
