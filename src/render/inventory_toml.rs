//! Render: imported inventory as `[[inventory]]` TOML, printed or merged into an
//! existing `audit.toml` with toml_edit so the user's comments, order and
//! spacing stay byte for byte; an entry already there (same provider, service
//! and name) is left alone.

use crate::model::inventory_import::{Imported, ImportedEntry};
use std::collections::BTreeSet;
use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, value};

/// The entries as TOML to paste, grouped by workload, then the resources left out.
pub fn inventory_toml(imported: &Imported) -> String {
    let mut text = String::new();
    for entry in imported.entries() {
        text.push_str(&comment_of(entry));
        text.push_str("[[inventory]]\n");
        text.push_str(&format!("name = {}\n", quote(&entry.name)));
        text.push_str(&format!("provider = {}\n", quote(&entry.provider)));
        text.push_str(&format!("service = {}\n", quote(&entry.service)));
        let scopes: Vec<String> = entry.scopes.iter().map(|s| quote(s)).collect();
        text.push_str(&format!("tags = [{}]\n", scopes.join(", ")));
    }
    text.push_str(&unknown_comment(imported));
    text
}

/// Resource types no service claims, as comment lines (empty when there are none).
pub fn unknown_comment(imported: &Imported) -> String {
    if imported.unknown.is_empty() {
        return String::new();
    }
    let total: u64 = imported.unknown.values().sum();
    let mut text = format!(
        "\n# {total} resource{} of types no provider service names (not imported):\n",
        if total == 1 { "" } else { "s" }
    );
    for (label, count) in &imported.unknown {
        text.push_str(&format!("#   {}: {count}\n", one_line(label)));
    }
    text
}

/// What a new entry stands for: `# billing (module): 1 aws_db_instance, 2 aws_db_subnet_group; from state.json`.
fn comment_of(entry: &ImportedEntry) -> String {
    let named_by = &entry.named_by;
    let types: Vec<String> = entry
        .types
        .iter()
        .map(|(t, n)| format!("{n} {}", one_line(t)))
        .collect();
    let sources: Vec<String> = entry.sources.iter().map(|s| one_line(s)).collect();
    format!(
        "\n# {} ({}): {}; from {}\n",
        one_line(&entry.name),
        one_line(named_by),
        types.join(", "),
        sources.join(", ")
    )
}

/// Merge the entries into `existing` (an `audit.toml`), appending those not there yet
/// after the last `[[inventory]]` entry. Returns the new text and how many were added.
pub fn merge_inventory(existing: &str, imported: &Imported) -> Result<(String, usize), String> {
    let mut doc: DocumentMut = existing
        .parse()
        .map_err(|e: toml_edit::TomlError| format!("failed to parse it ({})", e.message()))?;
    let item = doc
        .entry("inventory")
        .or_insert(Item::ArrayOfTables(ArrayOfTables::new()));
    let tables = item.as_array_of_tables_mut().ok_or(
        "its inventory is not written as [[inventory]] tables, so entries cannot be added",
    )?;
    let field = |t: &Table, k: &str| t.get(k).and_then(Item::as_str).unwrap_or("").to_string();
    let mut present: BTreeSet<(String, String, String)> = tables
        .iter()
        .map(|t| (field(t, "provider"), field(t, "service"), field(t, "name")))
        .collect();
    let mut added = 0;
    for entry in imported.entries() {
        let key = (
            entry.provider.clone(),
            entry.service.clone(),
            entry.name.clone(),
        );
        if !present.insert(key) {
            continue;
        }
        let mut table = Table::new();
        table["name"] = value(toml_string(&entry.name));
        table["provider"] = value(toml_string(&entry.provider));
        table["service"] = value(toml_string(&entry.service));
        let scopes: toml_edit::Array = entry.scopes.iter().map(|s| toml_string(s)).collect();
        table["tags"] = value(scopes);
        table.decor_mut().set_prefix(comment_of(entry));
        tables.push(table);
        added += 1;
    }
    Ok((doc.to_string(), added))
}

/// A TOML string that always parses and hides nothing: where the text holds a
/// control character (C0, DEL or C1) or a bidirectional control (U+202A to U+202E,
/// U+2066 to U+2069), a basic string with each of them written `\uXXXX`; else
/// toml_edit's own quoting. A raw C1 character would reach the terminal escaped
/// Rust's way (`\u{85}`), which no TOML parser reads.
fn quote(text: &str) -> String {
    if !text.chars().any(hidden) {
        return toml_edit::Value::from(text).to_string().trim().to_string();
    }
    let mut quoted = String::with_capacity(text.len() + 8);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if hidden(c) => quoted.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// A string value for toml_edit, quoted as [`quote`] does.
fn toml_string(text: &str) -> toml_edit::Value {
    match text.chars().any(hidden) {
        true => quote(text)
            .parse()
            .unwrap_or_else(|_| toml_edit::Value::from(text)),
        false => toml_edit::Value::from(text),
    }
}

/// Characters that must not reach a file or terminal as they are: controls, and the
/// bidirectional controls that reorder what is shown.
fn hidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Comments are one line: line breaks, control characters and bidirectional
/// controls in names become spaces.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if hidden(c) { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::printable;
    use crate::model::inventory_import::ImportedWorkload;
    use std::collections::BTreeMap;

    /// Every control character (C0, DEL, C1), the bidirectional controls, and what
    /// TOML itself quotes.
    fn hostile() -> String {
        let mut text: String = ('\u{0}'..='\u{1f}').chain('\u{7f}'..='\u{9f}').collect();
        text.extend(('\u{202a}'..='\u{202e}').chain('\u{2066}'..='\u{2069}'));
        text.push_str("\"\\'#[x]=\"\"\"");
        text
    }

    fn imported(name: &str, tag: &str) -> Imported {
        let entry = ImportedEntry {
            name: name.to_string(),
            named_by: "tag app".to_string(),
            provider: "aws".to_string(),
            service: "ec2".to_string(),
            service_name: "Amazon EC2".to_string(),
            scopes: BTreeSet::from(["phi".to_string(), tag.to_string()]),
            types: BTreeMap::from([(format!("aws_instance{name}"), 1)]),
            sources: BTreeSet::from([format!("state{name}.json")]),
        };
        Imported {
            workloads: vec![ImportedWorkload {
                name: name.to_string(),
                named_by: "tag app".to_string(),
                entries: vec![entry],
            }],
            unknown: BTreeMap::from([(format!("aws_thing{name}"), 2)]),
            resources: 3,
        }
    }

    /// The one entry's name and tags as the `toml` crate reads them back.
    fn read_back(text: &str) -> (String, Vec<String>) {
        let table: toml::Table = toml::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        let entry = table["inventory"].as_array().unwrap().last().unwrap();
        let tags = entry["tags"].as_array().unwrap();
        (
            entry["name"].as_str().unwrap().to_string(),
            tags.iter()
                .map(|t| t.as_str().unwrap().to_string())
                .collect(),
        )
    }

    #[test]
    fn hostile_names_and_tags_print_as_toml_that_reads_back_the_same() {
        let hostile = hostile();
        let name = format!("portal{hostile}");
        let imported = imported(&name, &hostile);
        // As `inventory import` prints it: through the terminal escaping, unchanged.
        let text = inventory_toml(&imported);
        assert_eq!(printable(&text), text.as_str());
        assert!(!text.contains('\u{85}') && !text.contains('\u{202e}'));
        assert!(
            text.contains(r"\u0085") && text.contains(r"\u202E"),
            "{text}"
        );
        let (read_name, tags) = read_back(&text);
        assert_eq!(read_name, name);
        let mut expected = vec![hostile.clone(), "phi".to_string()];
        expected.sort();
        assert_eq!(tags, expected);
        // Merged into an audit.toml, the same.
        let existing = "[organization]\nname = \"x\"\n";
        let (merged, added) = merge_inventory(existing, &imported).unwrap();
        assert_eq!(added, 1);
        assert!(!merged.contains('\u{85}') && !merged.contains('\u{2066}'));
        let (read_name, tags) = read_back(&merged);
        assert_eq!(read_name, name);
        assert_eq!(tags, expected);
    }

    #[test]
    fn ordinary_names_are_quoted_as_before() {
        let text = inventory_toml(&imported("patient-portal", "cde"));
        assert!(text.contains("name = \"patient-portal\"\n"), "{text}");
        assert!(text.contains("tags = [\"cde\", \"phi\"]\n"), "{text}");
        let (merged, _) = merge_inventory("", &imported("it's", "cde")).unwrap();
        assert!(merged.contains("name = \"it's\"\n"), "{merged}");
        assert!(merged.contains("tags = [\"cde\", \"phi\"]"), "{merged}");
    }
}
