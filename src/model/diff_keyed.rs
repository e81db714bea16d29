//! Model: what changed between two snapshots in what is keyed by name: the
//! workloads of the inventory (added, removed, moved, retagged, reowned), the
//! sites, the vendors a project relies on (their layers, tags or reports) and
//! their CUECs (a status that changed, a CUEC added or dropped).

use crate::model::site::Site;
use crate::model::snapshot::InventorySnapshot;
use crate::model::snapshot::{CuecSnapshot, Snapshot, VendorSnapshot};
use crate::model::status::Status;
use serde::Serialize;
use std::collections::BTreeMap;

/// A vendor, keyed by name.
pub type VendorChange = KeyedChange<VendorEvent, VendorSnapshot>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum VendorEvent {
    Added,
    Removed,
    /// Same name; another service, model, tags, layers or reports.
    Changed,
}

/// One CUEC whose status changed, or that came or went with its vendor's list.
#[derive(Debug, Clone, Serialize)]
pub struct CuecChange {
    pub vendor: String,
    pub id: String,
    pub text: String,
    /// None where the CUEC was not listed.
    pub before: Option<Status>,
    pub after: Option<Status>,
    pub reason_before: String,
    pub reason_after: String,
}

/// Vendors added, removed or changed. CUEC statuses are compared on their own
/// (`cuecs`), so a vendor whose only change is a CUEC's status is not "changed".
pub fn vendors(old: &Snapshot, new: &Snapshot) -> Vec<VendorChange> {
    keyed_changes(
        &old.vendors,
        &new.vendors,
        |v| &v.name,
        |was, now| match was {
            None => Some(VendorEvent::Added),
            Some(was)
                if (
                    &was.service,
                    &was.model,
                    &was.tags,
                    &was.layers,
                    &was.reports,
                ) != (
                    &now.service,
                    &now.model,
                    &now.tags,
                    &now.layers,
                    &now.reports,
                ) =>
            {
                Some(VendorEvent::Changed)
            }
            Some(_) => None,
        },
        VendorEvent::Removed,
    )
}

/// CUECs whose status changed, keyed by vendor and id; those of a vendor added
/// or removed as a whole are listed with it, not here.
pub fn cuecs(old: &Snapshot, new: &Snapshot) -> Vec<CuecChange> {
    let index = |s: &Snapshot| -> BTreeMap<(String, String), CuecSnapshot> {
        s.vendors
            .iter()
            .flat_map(|v| {
                v.cuecs
                    .iter()
                    .map(|c| ((v.name.clone(), c.id.clone()), c.clone()))
            })
            .collect()
    };
    let vendor_in = |s: &Snapshot, name: &str| s.vendors.iter().any(|v| v.name == name);
    let (before, after) = (index(old), index(new));
    let mut changes = Vec::new();
    for (key, now) in &after {
        match before.get(key) {
            Some(was) if was.status == now.status => {}
            None if !vendor_in(old, &key.0) => {}
            was => changes.push(change(key, was, Some(now))),
        }
    }
    for (key, was) in &before {
        if !after.contains_key(key) && vendor_in(new, &key.0) {
            changes.push(change(key, Some(was), None));
        }
    }
    changes.sort_by(|a, b| (&a.vendor, &a.id).cmp(&(&b.vendor, &b.id)));
    changes
}

fn change(
    (vendor, id): &(String, String),
    before: Option<&CuecSnapshot>,
    after: Option<&CuecSnapshot>,
) -> CuecChange {
    CuecChange {
        vendor: vendor.clone(),
        id: id.clone(),
        text: after.or(before).map(|c| c.text.clone()).unwrap_or_default(),
        before: before.map(|c| c.status),
        after: after.map(|c| c.status),
        reason_before: before.map(|c| c.reason.clone()).unwrap_or_default(),
        reason_after: after.map(|c| c.reason.clone()).unwrap_or_default(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum InventoryEvent {
    Added,
    Removed,
    /// Same workload name, another provider or service.
    Moved,
    /// Same service, other scope tags.
    Retagged,
    /// Same service and tags, but the provider model now gives a layer to
    /// another owner, or cites another source for it.
    Reowned,
}

/// One of the organization's sites, keyed by name.
pub type SiteChange = KeyedChange<SiteEvent, Site>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SiteEvent {
    Added,
    Removed,
    /// Same name; another kind, other holdings, tags or operator.
    Changed,
}

/// Something keyed by name (a workload, a site) that was added, removed or changed.
#[derive(Debug, Clone, Serialize)]
pub struct KeyedChange<E, T> {
    pub event: E,
    pub name: String,
    pub before: Option<T>,
    pub after: Option<T>,
}

/// A workload of the inventory, keyed by name.
pub type InventoryChange = KeyedChange<InventoryEvent, InventorySnapshot>;

pub(crate) fn inventory(old: &Snapshot, new: &Snapshot) -> Vec<InventoryChange> {
    keyed_changes(
        &old.inventory,
        &new.inventory,
        |i| &i.name,
        |was, now| match was {
            None => Some(InventoryEvent::Added),
            Some(was) if was.provider != now.provider || was.service != now.service => {
                Some(InventoryEvent::Moved)
            }
            Some(was) if was.tags != now.tags => Some(InventoryEvent::Retagged),
            // Older snapshots carry no layers: nothing to compare.
            Some(was) if !was.layers.is_empty() && was.layers != now.layers => {
                Some(InventoryEvent::Reowned)
            }
            Some(_) => None,
        },
        InventoryEvent::Removed,
    )
}

pub(crate) fn sites(old: &Snapshot, new: &Snapshot) -> Vec<SiteChange> {
    keyed_changes(
        &old.sites,
        &new.sites,
        |s| &s.name,
        |was, now| match was {
            None => Some(SiteEvent::Added),
            Some(was) if was != now => Some(SiteEvent::Changed),
            Some(_) => None,
        },
        SiteEvent::Removed,
    )
}

/// Items paired by name across two snapshots: `judge` names what happened to
/// each item of `after` (given its match in `before`, if any); the rest of
/// `before` was removed. Sorted by event, then name.
pub(crate) fn keyed_changes<E: Ord + Copy, T: Clone>(
    before: &[T],
    after: &[T],
    name: impl Fn(&T) -> &String,
    judge: impl Fn(Option<&T>, &T) -> Option<E>,
    removed: E,
) -> Vec<KeyedChange<E, T>> {
    let old: BTreeMap<&str, &T> = before.iter().map(|i| (name(i).as_str(), i)).collect();
    let new: BTreeMap<&str, &T> = after.iter().map(|i| (name(i).as_str(), i)).collect();
    let mut changes: Vec<KeyedChange<E, T>> = new
        .iter()
        .filter_map(|(key, now)| {
            let was = old.get(key).copied();
            judge(was, now).map(|event| KeyedChange {
                event,
                name: key.to_string(),
                before: was.cloned(),
                after: Some((*now).clone()),
            })
        })
        .collect();
    changes.extend(
        old.iter()
            .filter(|(key, _)| !new.contains_key(*key))
            .map(|(key, was)| KeyedChange {
                event: removed,
                name: key.to_string(),
                before: Some((*was).clone()),
                after: None,
            }),
    );
    changes.sort_by(|a, b| (a.event, &a.name).cmp(&(b.event, &b.name)));
    changes
}
