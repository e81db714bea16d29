//! Model: the organization's own premises (offices, clinics, stores, server
//! rooms, colocation cages) and the layers they bring to the estate.
//!
//! A cloud provider secures its datacenters; it does not lock the doors of a
//! clinic. A site in scope therefore owns its physical layers for the customer
//! (a colocation cage's building is the operator's), and one that runs servers
//! owns the layers above them too.

use crate::model::layer::{Layer, Owner};
use serde::{Deserialize, Serialize};

/// What kind of premises a site is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SiteKind {
    Office,
    Clinic,
    Store,
    Warehouse,
    /// A server room or datacenter the organization runs itself.
    OnPremDatacenter,
    /// Racks in a colocation provider's building: the building is theirs.
    Colocation,
}

impl SiteKind {
    pub fn name(self) -> &'static str {
        match self {
            SiteKind::Office => "office",
            SiteKind::Clinic => "clinic",
            SiteKind::Store => "store",
            SiteKind::Warehouse => "warehouse",
            SiteKind::OnPremDatacenter => "on-premises datacenter",
            SiteKind::Colocation => "colocation",
        }
    }
}

/// What a site holds that matters to a control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SiteAsset {
    Workstations,
    PaperRecords,
    PaymentTerminals,
    Servers,
    Media,
}

impl SiteAsset {
    pub fn name(self) -> &'static str {
        match self {
            SiteAsset::Workstations => "workstations",
            SiteAsset::PaperRecords => "paper records",
            SiteAsset::PaymentTerminals => "payment terminals",
            SiteAsset::Servers => "servers",
            SiteAsset::Media => "media",
        }
    }
}

/// A site of the organization, as the project declares it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Site {
    pub name: String,
    pub kind: SiteKind,
    pub holds: Vec<SiteAsset>,
    pub tags: Vec<String>,
    /// The colocation provider, who owns the building.
    pub operator: Option<String>,
}

impl Site {
    /// Whether it runs servers of the organization's own.
    pub fn runs_servers(&self) -> bool {
        matches!(self.kind, SiteKind::OnPremDatacenter | SiteKind::Colocation)
            || self.holds.contains(&SiteAsset::Servers)
    }

    /// Who owns `layer` at this site; `None` where the site has none of it.
    /// The organization's own layers are not the site's to say.
    pub fn owner(&self, layer: Layer) -> Option<Owner> {
        if layer.is_organizational() || layer.is_orchestration() {
            return None;
        }
        match layer {
            // The operator secures the building; who may enter the customer's
            // cage (its access list, keys, badges, escorts) is the customer's,
            // so physical access at a colocation site is shared. (PCI DSS v4.0.1
            // 9.2 to 9.3 apply to the entity's own cage within a third-party
            // facility; the operator's report covers the facility.)
            Layer::PhysicalDatacenter if self.kind == SiteKind::Colocation => Some(Owner::Shared),
            Layer::PhysicalDatacenter | Layer::PhysicalNetwork | Layer::NetworkControls => {
                Some(Owner::Customer)
            }
            _ if self.runs_servers() => Some(Owner::Customer),
            _ => None,
        }
    }

    /// How reports name it: `Northside clinic`, `HQ (office)`.
    pub fn label(&self) -> String {
        match self.name.to_lowercase().contains(self.kind.name()) {
            true => self.name.clone(),
            false => format!("{} ({})", self.name, self.kind.name()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(kind: SiteKind, holds: Vec<SiteAsset>) -> Site {
        Site {
            name: "x".into(),
            kind,
            holds,
            tags: vec![],
            operator: None,
        }
    }

    #[test]
    fn a_clinic_owns_its_premises_and_a_cage_its_racks() {
        let clinic = site(SiteKind::Clinic, vec![SiteAsset::Workstations]);
        assert_eq!(
            clinic.owner(Layer::PhysicalDatacenter),
            Some(Owner::Customer)
        );
        assert_eq!(clinic.owner(Layer::OperatingSystem), None);
        assert_eq!(
            clinic.owner(Layer::Devices),
            None,
            "the organization's, not the site's"
        );
        let cage = site(SiteKind::Colocation, vec![]);
        assert_eq!(cage.owner(Layer::PhysicalDatacenter), Some(Owner::Shared));
        assert_eq!(cage.owner(Layer::PhysicalHosts), Some(Owner::Customer));
    }
}
