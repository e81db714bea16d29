//! Model: the fixed vocabulary of responsibility layers and who owns them.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A layer of the cloud stack that someone must secure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layer {
    PhysicalDatacenter,
    PhysicalNetwork,
    PhysicalHosts,
    OperatingSystem,
    NetworkControls,
    Runtime,
    Applications,
    IdentityInfrastructure,
    Accounts,
    Devices,
    Data,
    Logging,
    Governance,
    IncidentResponse,
    Continuity,
}

impl Layer {
    /// Every layer, in the order reports list them.
    pub const ALL: [Layer; 15] = [
        Layer::PhysicalDatacenter,
        Layer::PhysicalNetwork,
        Layer::PhysicalHosts,
        Layer::OperatingSystem,
        Layer::NetworkControls,
        Layer::Runtime,
        Layer::Applications,
        Layer::IdentityInfrastructure,
        Layer::Accounts,
        Layer::Devices,
        Layer::Data,
        Layer::Logging,
        Layer::Governance,
        Layer::IncidentResponse,
        Layer::Continuity,
    ];

    /// The identifier used in data files.
    pub fn id(self) -> &'static str {
        match self {
            Layer::PhysicalDatacenter => "physical-datacenter",
            Layer::PhysicalNetwork => "physical-network",
            Layer::PhysicalHosts => "physical-hosts",
            Layer::OperatingSystem => "operating-system",
            Layer::NetworkControls => "network-controls",
            Layer::Runtime => "runtime",
            Layer::Applications => "applications",
            Layer::IdentityInfrastructure => "identity-infrastructure",
            Layer::Accounts => "accounts",
            Layer::Devices => "devices",
            Layer::Data => "data",
            Layer::Logging => "logging",
            Layer::Governance => "governance",
            Layer::IncidentResponse => "incident-response",
            Layer::Continuity => "continuity",
        }
    }

    /// The human name used in reports.
    pub fn name(self) -> &'static str {
        match self {
            Layer::PhysicalDatacenter => "physical datacenter",
            Layer::PhysicalNetwork => "physical network",
            Layer::PhysicalHosts => "physical hosts and hypervisor",
            Layer::OperatingSystem => "operating system",
            Layer::NetworkControls => "network controls",
            Layer::Runtime => "runtime and middleware",
            Layer::Applications => "applications",
            Layer::IdentityInfrastructure => "identity and directory infrastructure",
            Layer::Accounts => "accounts and identities",
            Layer::Devices => "devices",
            Layer::Data => "information and data",
            Layer::Logging => "logging and monitoring",
            Layer::Governance => "governance and people",
            Layer::IncidentResponse => "incident response",
            Layer::Continuity => "continuity and backup",
        }
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Who secures a layer for one service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Owner {
    Provider,
    Shared,
    Customer,
}

impl Owner {
    pub fn id(self) -> &'static str {
        match self {
            Owner::Provider => "provider",
            Owner::Shared => "shared",
            Owner::Customer => "customer",
        }
    }
}

/// Who is responsible for a control in one estate, derived from layer owners.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Responsibility {
    Inherited,
    Shared,
    Customer,
}

impl Responsibility {
    pub const ALL: [Responsibility; 3] = [
        Responsibility::Inherited,
        Responsibility::Shared,
        Responsibility::Customer,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Responsibility::Inherited => "inherited",
            Responsibility::Shared => "shared",
            Responsibility::Customer => "customer",
        }
    }
}

impl fmt::Display for Responsibility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A cloud service model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ServiceModel {
    Iaas,
    Paas,
    Saas,
}

impl ServiceModel {
    pub fn name(self) -> &'static str {
        match self {
            ServiceModel::Iaas => "IaaS",
            ServiceModel::Paas => "PaaS",
            ServiceModel::Saas => "SaaS",
        }
    }
}
