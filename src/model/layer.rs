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
    CustomerSoftware,
    Configuration,
    OrchestrationControlPlane,
    OrchestrationNodes,
    OrchestrationWorkloads,
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
    pub const ALL: [Layer; 20] = [
        Layer::PhysicalDatacenter,
        Layer::PhysicalNetwork,
        Layer::PhysicalHosts,
        Layer::OperatingSystem,
        Layer::NetworkControls,
        Layer::Runtime,
        Layer::Applications,
        Layer::CustomerSoftware,
        Layer::Configuration,
        Layer::OrchestrationControlPlane,
        Layer::OrchestrationNodes,
        Layer::OrchestrationWorkloads,
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
            Layer::CustomerSoftware => "customer-software",
            Layer::Configuration => "configuration",
            Layer::OrchestrationControlPlane => "orchestration-control-plane",
            Layer::OrchestrationNodes => "orchestration-nodes",
            Layer::OrchestrationWorkloads => "orchestration-workloads",
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
            Layer::Applications => "the service's application software",
            Layer::CustomerSoftware => "the customer's own software and its delivery",
            Layer::Configuration => "configuration of services",
            Layer::OrchestrationControlPlane => "container orchestration control plane",
            Layer::OrchestrationNodes => "container orchestration nodes",
            Layer::OrchestrationWorkloads => "container workloads and cluster policy",
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

impl Layer {
    /// Layers that are the organization's own whatever services it uses: its
    /// people and policies, its data, accounts and devices, the software it
    /// writes and ships, how it configures what it uses, and its response to
    /// incidents in what it runs. Every published model gives them to the
    /// customer; no provider matrix or service may give them away.
    pub fn is_organizational(self) -> bool {
        matches!(
            self,
            Layer::CustomerSoftware
                | Layer::Configuration
                | Layer::Accounts
                | Layer::Devices
                | Layer::Data
                | Layer::Governance
                | Layer::IncidentResponse
        )
    }

    /// Layers only a container orchestration service has (EKS, AKS, GKE); a
    /// service says who owns them in its overrides.
    pub fn is_orchestration(self) -> bool {
        matches!(
            self,
            Layer::OrchestrationControlPlane
                | Layer::OrchestrationNodes
                | Layer::OrchestrationWorkloads
        )
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
