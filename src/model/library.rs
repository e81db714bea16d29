//! Model: every catalog and provider model known to a run, and control references resolved against them.

use crate::diag::did_you_mean;
use crate::model::catalog::{Catalog, Control};
use crate::model::provider::Provider;
use std::collections::BTreeMap;

/// A control of a catalog, by position in the library.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ControlKey {
    pub framework: usize,
    pub control: usize,
}

/// The catalogs and provider models a run works with.
#[derive(Debug)]
pub struct Library {
    pub catalogs: Vec<Catalog>,
    pub providers: Vec<Provider>,
    /// Per catalog: normalised control id to its index.
    index: Vec<BTreeMap<String, usize>>,
    /// Framework prefixes, longest first, with the catalog they name.
    prefixes: Vec<(String, usize)>,
}

impl Library {
    pub fn new(mut catalogs: Vec<Catalog>, mut providers: Vec<Provider>) -> Self {
        catalogs.sort_by(|a, b| a.id.cmp(&b.id));
        providers.sort_by(|a, b| a.id.cmp(&b.id));
        let index = catalogs
            .iter()
            .map(|c| {
                c.controls
                    .iter()
                    .enumerate()
                    .map(|(i, control)| (normalise_id(&control.id), i))
                    .collect()
            })
            .collect();
        let mut prefixes: Vec<(String, usize)> = catalogs
            .iter()
            .enumerate()
            .flat_map(|(i, c)| {
                std::iter::once(c.id.to_lowercase())
                    .chain(c.prefixes.iter().map(|p| p.to_lowercase()))
                    .map(move |p| (p, i))
            })
            .collect();
        prefixes.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        prefixes.dedup();
        Library {
            catalogs,
            providers,
            index,
            prefixes,
        }
    }

    pub fn catalog_index(&self, id: &str) -> Option<usize> {
        self.catalogs
            .iter()
            .position(|c| c.id.eq_ignore_ascii_case(id))
    }

    pub fn provider(&self, id: &str) -> Option<&Provider> {
        self.providers
            .iter()
            .find(|p| p.id.eq_ignore_ascii_case(id))
    }

    pub fn control(&self, key: ControlKey) -> &Control {
        &self.catalogs[key.framework].controls[key.control]
    }

    /// Explain an unknown framework id, with a suggestion.
    pub fn unknown_framework(&self, id: &str) -> String {
        let ids: Vec<&str> = self.catalogs.iter().map(|c| c.id.as_str()).collect();
        match did_you_mean(id, ids.iter().copied()) {
            Some(s) => format!("unknown framework \"{id}\"; did you mean \"{s}\"?"),
            None => format!("unknown framework \"{id}\" (known: {})", ids.join(", ")),
        }
    }

    /// Split a leading framework prefix (`HIPAA 164.312(d)`, `hipaa:164.312(d)`) off a reference.
    fn split_prefix<'t>(&self, text: &'t str) -> Option<(usize, &'t str)> {
        let lower = text.to_lowercase();
        for (prefix, catalog) in &self.prefixes {
            if let Some(rest) = lower.strip_prefix(prefix.as_str()) {
                let boundary = rest
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric() && c != '.');
                if boundary {
                    // Prefixes are ASCII, so byte lengths agree between `lower` and `text`.
                    let rest = &text[text.len() - rest.len()..];
                    return Some((
                        *catalog,
                        rest.trim_start_matches([' ', ':', '-', '/', '\t']),
                    ));
                }
            }
        }
        None
    }

    /// Resolve a control reference as it appears in evidence or `audit.toml`.
    ///
    /// `default` is the framework assumed without a prefix; otherwise the id is
    /// looked up in `scope` (the frameworks in scope), and must be unique there.
    pub fn resolve(
        &self,
        text: &str,
        default: Option<usize>,
        scope: &[usize],
    ) -> Result<ControlKey, String> {
        let text = text.trim();
        if let Some((framework, id)) = self.split_prefix(text) {
            return self.resolve_in(framework, id, text);
        }
        if let Some(framework) = default {
            return self.resolve_in(framework, text, text);
        }
        let wanted = normalise_id(text);
        let found: Vec<ControlKey> = scope
            .iter()
            .filter_map(|&f| {
                self.index[f].get(&wanted).map(|&c| ControlKey {
                    framework: f,
                    control: c,
                })
            })
            .collect();
        match found.as_slice() {
            [one] => Ok(*one),
            [] => Err(self.unknown_control(text, scope)),
            several => {
                let names: Vec<String> = several.iter().map(|k| self.display(*k)).collect();
                Err(format!(
                    "ambiguous reference \"{text}\": it could be {}; write the framework before the id, such as \"{}\"",
                    names.join(" or "),
                    names[0]
                ))
            }
        }
    }

    fn resolve_in(&self, framework: usize, id: &str, original: &str) -> Result<ControlKey, String> {
        match self.index[framework].get(&normalise_id(id)) {
            Some(&control) => Ok(ControlKey { framework, control }),
            None => Err(self.unknown_control(original, &[framework])),
        }
    }

    fn unknown_control(&self, text: &str, scope: &[usize]) -> String {
        let candidates: Vec<(String, ControlKey)> = scope
            .iter()
            .flat_map(|&f| {
                (0..self.catalogs[f].controls.len()).map(move |c| ControlKey {
                    framework: f,
                    control: c,
                })
            })
            .map(|k| (self.control(k).id.clone(), k))
            .collect();
        let bare = self.split_prefix(text).map_or(text, |(_, rest)| rest);
        let suggestion = did_you_mean(bare, candidates.iter().map(|(id, _)| id.as_str()))
            .and_then(|id| candidates.iter().find(|(c, _)| c == id))
            .map(|(_, key)| format!("; did you mean \"{}\"?", self.display(*key)))
            .unwrap_or_default();
        let frameworks: Vec<&str> = scope
            .iter()
            .map(|&f| self.catalogs[f].id.as_str())
            .collect();
        format!(
            "unknown control \"{text}\" in {}{suggestion}",
            frameworks.join(", ")
        )
    }

    /// How a control is written for people: `HIPAA 164.312(d)`.
    pub fn display(&self, key: ControlKey) -> String {
        let catalog = &self.catalogs[key.framework];
        let prefix = catalog
            .prefixes
            .first()
            .cloned()
            .unwrap_or_else(|| catalog.id.to_uppercase());
        format!("{prefix} {}", catalog.controls[key.control].id)
    }
}

/// Ids compare without case, spaces or a section sign.
fn normalise_id(id: &str) -> String {
    id.chars()
        .filter(|c| !c.is_whitespace() && *c != '§')
        .flat_map(char::to_lowercase)
        .collect()
}
