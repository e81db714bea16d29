//! Model: every catalog and provider model known to a run, and control references resolved against them.

use crate::diag::{QUOTED_CHARS, clip, did_you_mean};
use crate::model::catalog::{Catalog, Control, Link, Relationship};
use crate::model::provider::Provider;
use crate::model::scanner_ids::ScannerIndex;
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
    /// Which reports back which framework.
    pub reports: crate::model::reports::ReportRules,
    /// Per catalog: normalised control id to its index.
    index: Vec<BTreeMap<String, usize>>,
    /// Framework prefixes, longest first, with the catalog they name.
    prefixes: Vec<(String, usize)>,
    /// Framework control to the common controls linked to it.
    links_to: BTreeMap<ControlKey, Vec<(ControlKey, Relationship)>>,
    /// Common control to the framework controls it links to.
    links_from: BTreeMap<ControlKey, Vec<(ControlKey, Relationship)>>,
    /// (common control, framework control) to the link's position in the common control's `links`.
    link_at: BTreeMap<(ControlKey, ControlKey), usize>,
    /// Links naming a framework or control that does not exist.
    pub broken_links: Vec<String>,
    /// A project's own catalog and provider files that were read, relative to it.
    pub sources: Vec<std::path::PathBuf>,
    /// Scanner framework keys and id spellings.
    pub scanner: ScannerIndex,
    /// Shipped mappings of scanners' own check ids to common controls.
    pub shipped_checks: crate::model::scanner_checks::ShippedChecks,
}

/// The id of the common-control catalog.
pub const COMMON: &str = "common";

/// How evidence for one control reaches another.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Reach {
    pub key: ControlKey,
    /// Fully meets the control (direct, or through equivalent/subset links).
    pub full: bool,
    /// The common control it came through, if not direct.
    pub via: Option<ControlKey>,
}

impl Reach {
    /// Add to `reached`, keeping one entry per control: the strongest path,
    /// where full beats partial and direct beats through a link.
    pub fn merge_into(self, reached: &mut Vec<Reach>) {
        match reached.iter_mut().find(|r| r.key == self.key) {
            Some(existing)
                if (self.full, self.via.is_none()) > (existing.full, existing.via.is_none()) =>
            {
                *existing = self
            }
            Some(_) => {}
            None => reached.push(self),
        }
    }
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
        let mut library = Library {
            catalogs,
            providers,
            reports: crate::model::reports::ReportRules::default(),
            index,
            prefixes,
            links_to: BTreeMap::new(),
            links_from: BTreeMap::new(),
            link_at: BTreeMap::new(),
            broken_links: Vec::new(),
            sources: Vec::new(),
            scanner: ScannerIndex::default(),
            shipped_checks: Default::default(),
        };
        library.scanner = ScannerIndex::new(&library.catalogs);
        library.index_links();
        library
    }

    fn index_links(&mut self) {
        let Some(common) = self.catalog_index(COMMON) else {
            return;
        };
        for (c, control) in self.catalogs[common].controls.iter().enumerate() {
            let from = ControlKey {
                framework: common,
                control: c,
            };
            for (at, link) in control.links.iter().enumerate() {
                let target = self.catalog_index(&link.framework).and_then(|f| {
                    self.index[f]
                        .get(&normalise_id(&link.control))
                        .map(|&i| ControlKey {
                            framework: f,
                            control: i,
                        })
                });
                match target {
                    Some(to) => {
                        self.link_at.entry((from, to)).or_insert(at);
                        self.links_from
                            .entry(from)
                            .or_default()
                            .push((to, link.relationship));
                        self.links_to
                            .entry(to)
                            .or_default()
                            .push((from, link.relationship));
                    }
                    None => self.broken_links.push(format!(
                        "common control {} links to unknown control {} {}",
                        control.id, link.framework, link.control
                    )),
                }
            }
        }
    }

    /// The index of the common-control catalog, if loaded.
    pub fn common(&self) -> Option<usize> {
        self.catalog_index(COMMON)
    }

    /// Framework controls a common control links to.
    pub fn links_from(&self, key: ControlKey) -> &[(ControlKey, Relationship)] {
        self.links_from.get(&key).map_or(&[], Vec::as_slice)
    }

    /// The link from a common control to a framework control, with its reason.
    pub fn link(&self, common: ControlKey, to: ControlKey) -> Option<&Link> {
        let at = *self.link_at.get(&(common, to))?;
        self.control(common).links.get(at)
    }

    /// Common controls linked to a framework control.
    pub fn links_to(&self, key: ControlKey) -> &[(ControlKey, Relationship)] {
        self.links_to.get(&key).map_or(&[], Vec::as_slice)
    }

    /// Every in-scope control that evidence naming `key` counts for, and how.
    ///
    /// Direct names count fully. A common control counts through its links. A
    /// framework control counts for others through a common control: fully only
    /// where its own link is equivalent and the other link fully meets.
    pub fn reach(&self, key: ControlKey, scope: &[usize]) -> Vec<Reach> {
        let mut reached: Vec<Reach> = Vec::new();
        let mut add = |reach: Reach| reach.merge_into(&mut reached);
        if scope.contains(&key.framework) {
            add(Reach {
                key,
                full: true,
                via: None,
            });
        }
        let through = |common: ControlKey, first: Option<Relationship>| {
            self.links_from
                .get(&common)
                .into_iter()
                .flatten()
                .filter_map(move |(to, second)| {
                    let full =
                        second.is_full() && first.is_none_or(|f| f == Relationship::Equivalent);
                    (to.framework != key.framework || first.is_none()).then_some(Reach {
                        key: *to,
                        full,
                        via: Some(common),
                    })
                })
        };
        if Some(key.framework) == self.common() {
            through(key, None)
                .filter(|r| scope.contains(&r.key.framework))
                .for_each(&mut add);
        } else {
            for (common, first) in self.links_to(key) {
                through(*common, Some(*first))
                    .filter(|r| r.key != key && scope.contains(&r.key.framework))
                    .for_each(&mut add);
            }
        }
        reached.sort();
        reached
    }

    /// A control of one catalog by its id, exactly (after normalising case and spaces).
    pub fn control_in(&self, catalog: &str, id: &str) -> Option<ControlKey> {
        let framework = self.catalog_index(catalog)?;
        let control = *self.index[framework].get(&normalise_id(id))?;
        Some(ControlKey { framework, control })
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
        for (prefix, catalog) in &self.prefixes {
            // Compared on the original bytes: lower-casing may change a text's length.
            let Some(head) = text.get(..prefix.len()) else {
                continue;
            };
            if !head.eq_ignore_ascii_case(prefix) {
                continue;
            }
            let rest = &text[prefix.len()..];
            let boundary = rest
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric() && c != '.');
            if boundary {
                return Some((
                    *catalog,
                    rest.trim_start_matches([' ', ':', '-', '/', '\t']),
                ));
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
                    "ambiguous reference \"{}\": it could be {}; write the framework before the id, such as \"{}\"",
                    clip(text, QUOTED_CHARS),
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
            "unknown control \"{}\" in {}{suggestion}",
            clip(text, QUOTED_CHARS),
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

#[cfg(test)]
mod tests {
    use crate::load::library::load_library;

    #[test]
    fn references_resolve_with_or_without_a_prefix() {
        let library = load_library(None).unwrap();
        let hipaa = library.catalog_index("hipaa").unwrap();
        let soc2 = library.catalog_index("soc2").unwrap();
        let scope = [hipaa, soc2];
        for text in [
            "HIPAA 164.312(d)",
            "hipaa:164.312(d)",
            "164.312 (d)",
            "§164.312(d)",
            "45 CFR 164.312(d)",
        ] {
            let key = library
                .resolve(text, None, &scope)
                .unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(library.display(key), "HIPAA 164.312(d)", "{text}");
        }
        let key = library.resolve("cc6.1", None, &scope).unwrap();
        assert_eq!(library.display(key), "SOC2 CC6.1");
    }

    #[test]
    fn untrusted_references_never_panic() {
        let library = load_library(None).unwrap();
        let scope: Vec<usize> = (0..library.catalogs.len()).collect();
        for text in [
            "HIPAA \u{212A}\u{212A}\u{212A}",
            "\u{212A}IS 6.3",
            "İİİ 164",
            "HIPAA\u{301} x",
            "ß",
            "",
            " ",
            "CIS",
            "PCI DSS",
            "🙂 8.4.2",
            "\u{0}",
        ] {
            let _ = library.resolve(text, None, &scope);
        }
    }
}
