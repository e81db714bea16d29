//! Model: drift between the declared inventory and what the project's scans saw.
//!
//! A service a scan saw that no `[[inventory]]` entry declares is a finding:
//! controls are derived from the inventory, so they may be derived without it.
//! A declared service that no scan saw is a note, and only for providers some
//! scan covers (a project scanning only AWS says nothing about its Azure
//! entries). Resources no provider service names (Prowler's `account` checks,
//! types the provider models do not list yet) are counted, not judged.

use crate::load::findings::FindingsRead;
use crate::model::audit::InventoryItem;
use crate::model::inventory_import::{resolve, scan_ids, scan_label};
use crate::model::provider::Provider;
use std::collections::{BTreeMap, BTreeSet};

/// A service scans saw that no inventory entry declares, in one account.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Unlisted {
    pub provider: String,
    pub service: String,
    pub service_name: String,
    /// The account, subscription or project; empty where the scan did not say.
    pub account: String,
    pub resources: u64,
    /// The scan files that saw it.
    pub scans: Vec<String>,
}

impl Unlisted {
    /// `aws dynamodb (Amazon DynamoDB): 3 resources in account 1111 seen by scans/aws.csv, and no [[inventory]] entry declares it`.
    pub fn sentence(&self) -> String {
        let account = match self.account.is_empty() {
            true => "in an account the scan does not name".to_string(),
            false => format!("in account {}", self.account),
        };
        format!(
            "{} {} ({}): {} resource{} {account} seen by {}, and no [[inventory]] entry declares it; controls may be derived without it",
            self.provider,
            self.service,
            self.service_name,
            self.resources,
            if self.resources == 1 { "" } else { "s" },
            self.scans.join(", ")
        )
    }
}

/// A declared service no scan saw.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Unseen {
    pub provider: String,
    pub service: String,
    pub service_name: String,
    /// The inventory entries that declare it.
    pub entries: Vec<String>,
}

impl Unseen {
    pub fn sentence(&self) -> String {
        format!(
            "{} {} ({}) is declared by [[inventory]] {} but no scan saw it",
            self.provider,
            self.service,
            self.service_name,
            self.entries.join(", ")
        )
    }
}

/// Drift between the inventory and the scans, in a defined order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Drift {
    pub unlisted: Vec<Unlisted>,
    pub unseen: Vec<Unseen>,
    /// Scan resources no provider service names, counted by kind.
    pub unrecognised: Vec<(String, u64)>,
    /// Whether any scan described its resources (no scan: no drift to speak of).
    pub compared: bool,
}

impl Drift {
    /// Findings and notes as lines, for text outputs and the summary.
    pub fn lines(&self) -> Vec<String> {
        let findings = self
            .unlisted
            .iter()
            .map(|u| format!("finding: {}", u.sentence()));
        let notes = self
            .unseen
            .iter()
            .map(|u| format!("note: {}", u.sentence()));
        findings.chain(notes).collect()
    }
}

/// Compare the inventory with every scan's resources.
pub fn compare(
    inventory: &[InventoryItem],
    scans: &[&FindingsRead],
    providers: &[Provider],
) -> Drift {
    let declared: BTreeSet<(&str, &str)> = inventory
        .iter()
        .map(|i| (i.provider.as_str(), i.service.as_str()))
        .collect();
    // (provider, service, account) → (resources, scans)
    let mut seen: BTreeMap<(String, String, String), (u64, BTreeSet<String>)> = BTreeMap::new();
    let mut unrecognised: BTreeMap<String, u64> = BTreeMap::new();
    let mut covered: BTreeSet<String> = BTreeSet::new();
    let mut compared = false;
    for read in scans {
        let mut counts = vec![0u64; read.kinds.len()];
        for &kind in &read.resource_kinds {
            if let Some(c) = counts.get_mut(kind as usize) {
                *c += 1;
            }
        }
        for (kind, count) in read.kinds.iter().zip(counts).filter(|(_, c)| *c > 0) {
            compared = true;
            let hint = Some(kind.provider.as_str()).filter(|p| !p.is_empty());
            let Some((provider, service)) = resolve(providers, hint, &scan_ids(kind)) else {
                *unrecognised.entry(scan_label(kind)).or_default() += count;
                continue;
            };
            covered.insert(provider.id.clone());
            let key = (
                provider.id.clone(),
                service.id.clone(),
                kind.account.clone(),
            );
            let slot = seen.entry(key).or_default();
            slot.0 += count;
            slot.1.insert(read.path.display().to_string());
        }
    }
    let service_name = |provider: &str, service: &str| {
        providers
            .iter()
            .find(|p| p.id == provider)
            .and_then(|p| p.service(service))
            .map_or_else(|| service.to_string(), |s| s.name.clone())
    };
    let unlisted = seen
        .iter()
        .filter(|((p, s, _), _)| !declared.contains(&(p.as_str(), s.as_str())))
        .map(|((p, s, account), (resources, files))| Unlisted {
            provider: p.clone(),
            service: s.clone(),
            service_name: service_name(p, s),
            account: account.clone(),
            resources: *resources,
            scans: files.iter().cloned().collect(),
        })
        .collect();
    let saw: BTreeSet<(&str, &str)> = seen
        .keys()
        .map(|(p, s, _)| (p.as_str(), s.as_str()))
        .collect();
    let mut unseen: BTreeMap<(&str, &str), Vec<String>> = BTreeMap::new();
    for item in inventory {
        let key = (item.provider.as_str(), item.service.as_str());
        if covered.contains(key.0) && !saw.contains(&key) {
            unseen.entry(key).or_default().push(item.name.clone());
        }
    }
    Drift {
        unlisted,
        unseen: unseen
            .into_iter()
            .map(|((p, s), entries)| Unseen {
                provider: p.to_string(),
                service: s.to_string(),
                service_name: service_name(p, s),
                entries,
            })
            .collect(),
        unrecognised: unrecognised.into_iter().collect(),
        compared,
    }
}
