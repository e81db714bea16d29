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
        "\n# {} ({named_by}): {}; from {}\n",
        one_line(&entry.name),
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
        table["name"] = value(entry.name.as_str());
        table["provider"] = value(entry.provider.as_str());
        table["service"] = value(entry.service.as_str());
        let scopes: toml_edit::Array = entry.scopes.iter().map(String::as_str).collect();
        table["tags"] = value(scopes);
        table.decor_mut().set_prefix(comment_of(entry));
        tables.push(table);
        added += 1;
    }
    Ok((doc.to_string(), added))
}

/// A TOML basic string.
fn quote(text: &str) -> String {
    toml_edit::Value::from(text).to_string().trim().to_string()
}

/// Comments are one line: line breaks and control characters in names become spaces.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}
