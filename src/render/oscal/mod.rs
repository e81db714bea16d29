//! Render: the OSCAL 1.1 export (`oscal/` in the package): a catalog per framework,
//! a profile importing them, and a system security plan saying, control by
//! control, what is inherited from which provider, what is shared and what is ours.
//!
//! Everything here reads the finished `Audit`. Output is deterministic: every
//! UUID is derived from stable names (see [`Uuids`]), every list is in model or
//! sorted order, so the same inputs give byte-identical files. Past the PDF's
//! evidence-index bound, evidence rows are counted per control (`summary`), so
//! the files grow with the controls, not the rows.
//!
//! ## Control ids as OSCAL tokens
//! OSCAL ids are tokens (`^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$`), so `164.312(a)(2)(iv)`
//! cannot be one. [`ControlIds`] rewrites each official id as
//! `<framework>-<id>`: lower case, every run of characters other than ASCII letters,
//! digits, `.`, `-` and `_` made one `_`, a trailing `_` dropped
//! (`hipaa-164.312_a_2_iv`, `pci-dss-8.4.2`, `soc2-cc6.1`). Should two ids of one
//! catalog still meet, the later in catalog order takes `-2`, `-3`, ...; a test
//! proves the shipped catalogs need none. The official id stays as a `label` prop.

mod assessment;
mod catalog;
mod poam;
mod profile;
mod ssp;
mod summary;
mod system;

use crate::error::{Error, Result};
use crate::model::audit::Audit;
use crate::model::status::Status;
use crate::render::package::Entry;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// The OSCAL version the files declare and follow.
pub const OSCAL_VERSION: &str = "1.1.3";

/// The namespace of auditpack's own props (status, responsibility, owner, ...).
pub const NAMESPACE: &str = "https://github.com/auditpack/auditpack/ns/oscal";

/// The folder of the package the files go in.
pub const FOLDER: &str = "oscal";

/// Every OSCAL file of the package: (path inside the package, bytes). `inputs`
/// are the project's input files as the manifest hashes them: the back matter
/// cites the file each attestation and evidence row comes from, with its SHA-256.
pub fn render_oscal(audit: &Audit, inputs: &[Entry]) -> Result<Vec<(String, Vec<u8>)>> {
    let ids = ControlIds::new(audit);
    let inputs = Inputs::new(inputs);
    let mut files = Vec::new();
    for framework in &audit.frameworks {
        files.push((
            format!("{FOLDER}/{}", catalog::file_name(&framework.id)),
            write(catalog::catalog(audit, framework, &ids), "an OSCAL catalog")?,
        ));
    }
    files.push((
        format!("{FOLDER}/{}", profile::FILE),
        write(profile::profile(audit), "the OSCAL profile")?,
    ));
    files.push((
        format!("{FOLDER}/{SSP_FILE}"),
        write(
            ssp::ssp(audit, &ids, &inputs),
            "the OSCAL system security plan",
        )?,
    ));
    files.push((
        format!("{FOLDER}/{}", assessment::PLAN_FILE),
        write(
            assessment::assessment_plan(audit),
            "the OSCAL assessment plan",
        )?,
    ));
    files.push((
        format!("{FOLDER}/{}", assessment::RESULTS_FILE),
        write(
            assessment::assessment_results(audit, &ids, &inputs),
            "the OSCAL assessment results",
        )?,
    ));
    files.push((
        format!("{FOLDER}/{}", poam::FILE),
        write(poam::poam(audit, &ids), "the OSCAL POA&M")?,
    ));
    Ok(files)
}

/// The plan's file name in the folder.
pub const SSP_FILE: &str = "ssp.json";

/// The project's input files by path (relative to the project, as in
/// `manifest.json`), with their hashes.
pub struct Inputs<'a>(BTreeMap<&'a str, &'a Entry>);

impl<'a> Inputs<'a> {
    pub fn new(entries: &'a [Entry]) -> Self {
        Inputs(entries.iter().map(|e| (e.path.as_str(), e)).collect())
    }

    /// An `rlink` to an input file with its SHA-256, or `None` for a file the
    /// manifest does not list. The href is relative to the project folder, as the
    /// manifest's paths are.
    pub fn rlink(&self, path: &str) -> Option<Value> {
        let entry = self.0.get(path)?;
        Some(json!({
            "href": crate::render::check::sarif::uri(path),
            "hashes": [{ "algorithm": "SHA-256", "value": entry.sha256 }],
        }))
    }
}

fn write(mut value: Value, what: &str) -> Result<Vec<u8>> {
    escape_markup(&mut value);
    crate::render::json::to_json_pretty(&value).map_err(|e| Error::render(what, e))
}

/// The fields OSCAL types as Markdown (`markup-line`, `markup-multiline`).
const MARKUP_FIELDS: &[&str] = &[
    "title",
    "description",
    "remarks",
    "prose",
    "statement",
    "text",
];

/// Backslash-escape, in every Markdown field, the characters that would make
/// our text markup: raw HTML and autolinks (`<`, `>`, `&`), links and images
/// (`[`, `]`), emphasis and code (`*`, `_`, `` ` ``) and the escape itself. A
/// tool rendering the plan shows evidence text as written, never runs it.
pub fn escape_markup(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, field) in map.iter_mut() {
                match (MARKUP_FIELDS.contains(&key.as_str()), field) {
                    (true, Value::String(s)) => *s = markdown_escaped(s),
                    (_, other) => escape_markup(other),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(escape_markup),
        _ => {}
    }
}

fn markdown_escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether `text` is an OSCAL token: `^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$`.
pub fn is_token(text: &str) -> bool {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) if c.is_alphabetic() || c == '_' => {}
        _ => return false,
    }
    chars.all(|c| c.is_alphabetic() || c.is_numeric() || matches!(c, '.' | '-' | '_'))
}

/// `<prefix>-<id>` as an OSCAL token, by the rewrite the module documents.
pub fn token(prefix: &str, id: &str) -> String {
    let mut out = String::new();
    let mut gap = false;
    for c in format!("{prefix}-{id}")
        .chars()
        .flat_map(char::to_lowercase)
    {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
            if gap && !out.is_empty() {
                out.push('_');
            }
            gap = false;
            out.push(c);
        } else {
            gap = true;
        }
    }
    match out.chars().next() {
        Some(c) if c.is_alphabetic() || c == '_' => out,
        _ => format!("_{out}"),
    }
}

/// The OSCAL id of every group (family) and control of the frameworks in scope.
pub struct ControlIds {
    /// (framework id, official id) to token; groups keyed with a `family:` prefix.
    ids: BTreeMap<(String, String), String>,
}

impl ControlIds {
    pub fn new(audit: &Audit) -> Self {
        let mut ids = BTreeMap::new();
        for framework in &audit.frameworks {
            let families = framework
                .families
                .iter()
                .map(|(f, _)| format!("family:{f}"));
            let controls = framework.controls.iter().map(|c| c.id.clone());
            let keys: Vec<String> = families.chain(controls).collect();
            for (key, token) in Self::allocate(&framework.id, &keys) {
                ids.insert((framework.id.clone(), key), token);
            }
        }
        ControlIds { ids }
    }

    /// Tokens for one catalog's keys (families as `family:<id>`), in order, each unique.
    pub fn allocate(framework: &str, keys: &[String]) -> Vec<(String, String)> {
        let mut taken = BTreeSet::new();
        keys.iter()
            .map(|key| {
                let id = key.strip_prefix("family:").unwrap_or(key);
                let base = token(framework, id);
                let mut candidate = base.clone();
                let mut n = 1;
                while !taken.insert(candidate.clone()) {
                    n += 1;
                    candidate = format!("{base}-{n}");
                }
                (key.clone(), candidate)
            })
            .collect()
    }

    /// The control's OSCAL id.
    pub fn control(&self, framework: &str, id: &str) -> String {
        self.ids
            .get(&(framework.to_string(), id.to_string()))
            .cloned()
            .unwrap_or_else(|| token(framework, id))
    }

    /// The family's OSCAL group id.
    pub fn family(&self, framework: &str, id: &str) -> String {
        self.ids
            .get(&(framework.to_string(), format!("family:{id}")))
            .cloned()
            .unwrap_or_else(|| token(framework, id))
    }
}

/// Deterministic UUIDs: SHA-256 of a seed and a stable key, shaped as an RFC 4122
/// version 5 UUID (version nibble 5, variant 10). Not SHA-1 as RFC 4122's own
/// name-based scheme: the same idea with the hash already in the tree.
pub struct Uuids {
    seed: String,
}

impl Uuids {
    /// UUIDs for one organization's documents: the same key names the same thing.
    pub fn new(audit: &Audit) -> Self {
        Uuids {
            seed: format!("auditpack oscal\u{0}{}\u{0}", audit.organization),
        }
    }

    pub fn of(&self, key: &str) -> String {
        let digest = Sha256::digest(format!("{}{key}", self.seed).as_bytes());
        let mut b = [0u8; 16];
        b.copy_from_slice(&digest[..16]);
        b[6] = (b[6] & 0x0f) | 0x50;
        b[8] = (b[8] & 0x3f) | 0x80;
        let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
        format!(
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        )
    }
}

/// OSCAL strings may not start or end with white space, nor be empty: trimmed,
/// with a placeholder where nothing is left.
pub fn text(value: &str) -> String {
    let trimmed = value.split_whitespace().collect::<Vec<_>>().join(" ");
    match trimmed.is_empty() {
        true => "(none given)".to_string(),
        false => trimmed,
    }
}

/// A prop in auditpack's namespace.
pub fn prop(name: &str, value: &str) -> Value {
    json!({ "name": name, "ns": NAMESPACE, "value": text(value) })
}

/// A prop in OSCAL's own namespace.
pub fn core_prop(name: &str, value: &str) -> Value {
    json!({ "name": name, "value": text(value) })
}

/// The document metadata every file shares: title, as-of date, versions.
pub fn metadata(audit: &Audit, title: &str, version: &str) -> serde_json::Map<String, Value> {
    let mut map = serde_json::Map::new();
    map.insert("title".into(), json!(text(title)));
    map.insert("last-modified".into(), json!(timestamp(audit)));
    map.insert("version".into(), json!(text(version)));
    map.insert("oscal-version".into(), json!(OSCAL_VERSION));
    map
}

/// The as-of date as an OSCAL date-time: the documents describe the estate then.
pub fn timestamp(audit: &Audit) -> String {
    format!("{}T00:00:00Z", audit.as_of)
}

/// OSCAL's implementation state for an auditpack status.
pub fn implementation_state(status: Status) -> &'static str {
    match status {
        Status::Satisfied | Status::Inherited => "implemented",
        Status::Partial | Status::Stale | Status::Failing | Status::InheritedUnattested => {
            "partial"
        }
        Status::Exception => "alternative",
        Status::Missing => "planned",
        Status::NotApplicable => "not-applicable",
    }
}
