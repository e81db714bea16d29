//! Model: cloud providers' shared responsibility matrices, services and attestations.

use crate::model::layer::{Layer, Owner, ServiceModel};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A cloud provider and its published responsibility model.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Provider {
    pub id: String,
    pub name: String,
    pub short_name: String,
    pub matrix: Matrix,
    pub services: Vec<Service>,
    #[serde(default)]
    pub attestations: Vec<AttestationKind>,
}

/// The owner of every layer for each service model, as the provider publishes it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Matrix {
    pub name: String,
    pub version: String,
    pub source: String,
    #[serde(default)]
    pub note: Option<String>,
    pub iaas: BTreeMap<Layer, Owner>,
    pub paas: BTreeMap<Layer, Owner>,
    pub saas: BTreeMap<Layer, Owner>,
}

/// One service of a provider, with where it departs from its model's row.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub id: String,
    pub name: String,
    pub model: ServiceModel,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub overrides: Vec<LayerOverride>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LayerOverride {
    pub layer: Layer,
    pub owner: Owner,
    pub reason: String,
}

/// A report or certificate the provider publishes.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AttestationKind {
    pub id: String,
    pub name: String,
    /// Frameworks whose inherited controls it supports.
    #[serde(default)]
    pub frameworks: Vec<String>,
    #[serde(default)]
    pub obtained_from: Option<String>,
    #[serde(default)]
    pub cadence: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

impl Matrix {
    pub fn row(&self, model: ServiceModel) -> &BTreeMap<Layer, Owner> {
        match model {
            ServiceModel::Iaas => &self.iaas,
            ServiceModel::Paas => &self.paas,
            ServiceModel::Saas => &self.saas,
        }
    }
}

impl Provider {
    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }

    pub fn attestation(&self, id: &str) -> Option<&AttestationKind> {
        self.attestations.iter().find(|a| a.id == id)
    }

    /// Who owns `layer` for `service`: the service's override, else its model's
    /// row. `None` where the service has no say: the organization's own layers
    /// (always the customer's, whatever it uses), and orchestration layers of a
    /// service that runs no cluster.
    pub fn owner(&self, service: &Service, layer: Layer) -> Option<Owner> {
        if layer.is_organizational() {
            return None;
        }
        let overridden = service.overrides.iter().find(|o| o.layer == layer);
        if let Some(o) = overridden {
            return Some(o.owner);
        }
        if layer.is_orchestration() {
            return None;
        }
        // A matrix missing a layer is rejected by `check`; customer is the safe reading.
        Some(
            self.matrix
                .row(service.model)
                .get(&layer)
                .copied()
                .unwrap_or(Owner::Customer),
        )
    }

    /// Problems that make the model unusable: missing layers, an organization's
    /// own layer given away, duplicate services.
    pub fn check(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for model in [ServiceModel::Iaas, ServiceModel::Paas, ServiceModel::Saas] {
            let row = self.matrix.row(model);
            for layer in Layer::ALL {
                let needed = !layer.is_organizational() && !layer.is_orchestration();
                if needed && !row.contains_key(&layer) {
                    problems.push(format!(
                        "matrix {} gives no owner of {} for {}",
                        self.matrix.version,
                        layer.id(),
                        model.name()
                    ));
                }
                if layer.is_organizational() && row.get(&layer).is_some_and(|o| *o != Owner::Customer) {
                    problems.push(format!(
                        "matrix {} gives {} to {} for {}, but it is always the customer's own",
                        self.matrix.version,
                        layer.id(),
                        row[&layer].id(),
                        model.name()
                    ));
                }
            }
        }
        for service in &self.services {
            for o in &service.overrides {
                if o.layer.is_organizational() && o.owner != Owner::Customer {
                    problems.push(format!(
                        "service {} gives {} to {}, but it is always the customer's own",
                        service.id,
                        o.layer.id(),
                        o.owner.id()
                    ));
                }
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for service in &self.services {
            if !seen.insert(service.id.as_str()) {
                problems.push(format!("service {} is defined twice", service.id));
            }
        }
        problems
    }
}
