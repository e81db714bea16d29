//! Model: requirement ids as scanners write them, resolved to our catalogs.
//!
//! Prowler names frameworks `Framework-Version` (`HIPAA`, `ISO27001-2022`,
//! `PCI-4.0`) and spells ids its own way (`164_308_a_1_ii_b`, `cc_6_1`,
//! `1.2.5.1`). Each catalog lists the keys it answers to (`scanner_keys`); ids
//! compare by their tokens, so `164_308_a_1_ii_b` is `164.308(a)(1)(ii)(B)`.

use crate::model::catalog::Catalog;
use crate::model::library::ControlKey;
use std::collections::HashMap;

/// Scanner framework keys and control ids, indexed once per run.
#[derive(Debug, Default)]
pub struct ScannerIndex {
    /// Lower-cased scanner key (`hipaa`, `iso27001-2022`) to its catalog.
    keys: HashMap<String, usize>,
    /// Per catalog: token key (`164.308.a.1.ii.b`) to the control index.
    ids: Vec<HashMap<String, usize>>,
}

/// Why a scanner's requirement does not count.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Unresolved {
    /// The scanner framework is not one of our catalogs (with a word on why, where known).
    Framework(String),
    /// The framework is ours but the id is not in it.
    Control,
}

impl ScannerIndex {
    pub fn new(catalogs: &[Catalog]) -> Self {
        let mut keys = HashMap::new();
        for (index, catalog) in catalogs.iter().enumerate() {
            keys.insert(catalog.id.to_lowercase(), index);
            for key in &catalog.scanner_keys {
                keys.insert(key.to_lowercase(), index);
            }
        }
        let ids = catalogs
            .iter()
            .map(|c| {
                c.controls
                    .iter()
                    .enumerate()
                    .map(|(i, control)| (token_key(&control.id), i))
                    .collect()
            })
            .collect();
        ScannerIndex { keys, ids }
    }

    /// The catalog a scanner framework key names, if we hold it.
    pub fn framework(&self, key: &str) -> Option<usize> {
        self.keys.get(&key.trim().to_lowercase()).copied()
    }

    /// Resolve one requirement: `("HIPAA", "164_308_a_1_ii_b")`.
    pub fn resolve(&self, key: &str, id: &str) -> Result<ControlKey, Unresolved> {
        let framework = self
            .framework(key)
            .ok_or_else(|| Unresolved::Framework(not_held_note(key)))?;
        self.resolve_in(framework, id).ok_or(Unresolved::Control)
    }

    /// Resolve an id in the catalog a scanner key named ([`ScannerIndex::framework`]).
    ///
    /// A sub-id one numeric level below a control (Prowler's PCI `1.2.5.1`, a
    /// test of requirement 1.2.5) resolves to that control.
    pub fn resolve_in(&self, framework: usize, id: &str) -> Option<ControlKey> {
        let index = &self.ids[framework];
        let tokens = token_key(id);
        if let Some(&control) = index.get(&tokens) {
            return Some(ControlKey { framework, control });
        }
        if let Some((parent, last)) = tokens.rsplit_once('.')
            && parent.contains('.')
            && last.bytes().all(|b| b.is_ascii_digit())
            && let Some(&control) = index.get(parent)
        {
            return Some(ControlKey { framework, control });
        }
        None
    }
}

/// An id as lower-case tokens joined by dots: runs of letters or of digits,
/// whatever separated them (`CC6.1`, `cc_6_1` and `CC 6.1` are all `cc.6.1`).
pub fn token_key(id: &str) -> String {
    let mut key = String::with_capacity(id.len() + 4);
    let mut last: Option<bool> = None; // Some(true) after a digit, Some(false) after a letter
    for c in id.trim().chars() {
        if c.is_alphanumeric() {
            let digit = c.is_ascii_digit();
            if last.is_some_and(|d| d != digit) {
                key.push('.');
            }
            key.extend(c.to_lowercase());
            last = Some(digit);
        } else if last.is_some() {
            if !key.ends_with('.') {
                key.push('.');
            }
            last = None;
        }
    }
    key.trim_end_matches('.').to_string()
}

/// Why a scanner framework key that we do not hold is not one of ours, where it looks like one.
pub fn not_held_note(key: &str) -> String {
    let upper = key.trim().to_uppercase();
    if upper.starts_with("CIS-") || upper.starts_with("CIS AWS") {
        "a CIS Benchmark (configuration recommendations), not the CIS Controls".to_string()
    } else if upper.starts_with("ISO27001") {
        "another edition of ISO/IEC 27001; auditpack holds 2022".to_string()
    } else if upper.starts_with("PCI") {
        "another version of PCI DSS; auditpack holds v4.0".to_string()
    } else {
        "not a framework auditpack holds".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::library::load_library;

    #[test]
    fn ids_compare_by_tokens() {
        assert_eq!(token_key("164.308(a)(1)(ii)(B)"), "164.308.a.1.ii.b");
        assert_eq!(token_key("164_308_a_1_ii_b"), "164.308.a.1.ii.b");
        assert_eq!(token_key("CC6.1"), "cc.6.1");
        assert_eq!(token_key("cc_6_1"), "cc.6.1");
        assert_eq!(token_key("A.8.5"), "a.8.5");
        assert_eq!(token_key("1.2.5"), "1.2.5");
        assert_ne!(token_key("12.5"), token_key("1.2.5"));
    }

    #[test]
    fn prowler_spellings_resolve_to_our_controls() {
        let library = load_library(None).unwrap();
        let show =
            |key: &str, id: &str| library.scanner.resolve(key, id).map(|k| library.display(k));
        assert_eq!(show("HIPAA", "164_312_b").unwrap(), "HIPAA 164.312(b)");
        assert_eq!(show("SOC2", "cc_6_1").unwrap(), "SOC2 CC6.1");
        assert_eq!(show("ISO27001-2022", "A.8.5").unwrap(), "ISO A.8.5");
        assert_eq!(show("PCI-4.0", "1.2.5.1").unwrap(), "PCI 1.2.5");
        assert_eq!(show("PCI-4.0", "8.4.2").unwrap(), "PCI 8.4.2");
        assert_eq!(show("HIPAA", "999_1"), Err(Unresolved::Control));
        assert!(matches!(
            show("CIS-3.0", "1.20"),
            Err(Unresolved::Framework(note)) if note.contains("CIS Benchmark")
        ));
    }
}
