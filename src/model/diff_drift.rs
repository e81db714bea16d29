//! Model: how drift between the inventory and the scans changed between two
//! review cycles: findings and notes that appeared, were resolved, or whose
//! count of resources changed. Snapshots written before drift was kept have
//! none, so everything in the newer one shows as appeared.

use crate::model::diff_keyed::{KeyedChange, keyed_changes};
use crate::model::snapshot::{DriftSnapshot, Snapshot};
use serde::Serialize;

/// One drift finding or note, keyed by kind, provider, service and account.
pub type DriftChange = KeyedChange<DriftEvent, DriftSnapshot>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DriftEvent {
    Appeared,
    Resolved,
    /// Same service and account; another count of resources.
    Changed,
}

/// Drift that appeared, was resolved or changed.
pub fn drift(old: &Snapshot, new: &Snapshot) -> Vec<DriftChange> {
    keyed_changes(
        &old.drift,
        &new.drift,
        |d| &d.key,
        |was, now| match was {
            None => Some(DriftEvent::Appeared),
            Some(was) if was.resources != now.resources => Some(DriftEvent::Changed),
            Some(_) => None,
        },
        DriftEvent::Resolved,
    )
}
