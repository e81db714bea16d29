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
    /// The documents every owner below is taken from.
    #[serde(default)]
    pub sources: Vec<Source>,
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
    pub iaas: BTreeMap<Layer, Cell>,
    pub paas: BTreeMap<Layer, Cell>,
    pub saas: BTreeMap<Layer, Cell>,
}

/// A document a provider model is taken from.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// How cells cite it (`srm`, `lambda-runtime`); `inference` is reserved for our own reasoning.
    pub id: String,
    pub document: String,
    #[serde(default)]
    pub url: Option<String>,
    /// The version or date the provider gives it.
    pub version: String,
    /// When we last checked the cells citing it against it.
    pub checked: toml::value::Datetime,
}

/// One owner in a matrix row, with where it comes from.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(
    untagged,
    expecting = "an owner (\"provider\", \"shared\", \"customer\") or { owner = ..., source = ..., at = ... }"
)]
pub enum Cell {
    /// `physical-datacenter = { owner = "provider", source = "srm", at = "security of the cloud" }`.
    Sourced(SourcedOwner),
    /// `physical-datacenter = "provider"`: no source given.
    Bare(Owner),
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SourcedOwner {
    pub owner: Owner,
    /// A source id of the provider file, or `inference`.
    pub source: String,
    /// Where in it: a section, row or sentence; for `inference`, the reasoning.
    pub at: String,
}

impl Cell {
    pub fn owner(&self) -> Owner {
        match self {
            Cell::Sourced(s) => s.owner,
            Cell::Bare(o) => *o,
        }
    }

    /// The source id and where in it, if the cell gives one.
    pub fn cited(&self) -> Option<(&str, &str)> {
        match self {
            Cell::Sourced(s) => Some((s.source.as_str(), s.at.as_str())),
            Cell::Bare(_) => None,
        }
    }
}

/// The source id for owners that are our own reasoning, not a provider's statement.
pub const INFERENCE: &str = "inference";

/// One service of a provider, with where it departs from its model's row.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub id: String,
    pub name: String,
    pub model: ServiceModel,
    /// AWS's security category (infrastructure, container, abstracted), where
    /// the provider sorts its services so; it must agree with `model`.
    #[serde(default)]
    pub category: Option<ServiceCategory>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub overrides: Vec<LayerOverride>,
    /// The ids scanners and infrastructure-as-code tools use for this
    /// service's resources, so imports and drift checks can name the service.
    #[serde(default)]
    pub ids: ServiceIds,
    /// For a service the project declares in `audit.toml`, its reason; never
    /// read from a provider file.
    #[serde(skip)]
    pub declared: Option<String>,
}

/// AWS's three security categories of services (AWS Security Best Practices,
/// repeated in AWS Prescriptive Guidance). Infrastructure services are iaas;
/// container services (AWS runs the OS and platform of instances dedicated to
/// the customer) and abstracted services (AWS runs everything up to the API)
/// are both paas here, their differences carried by each service's overrides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ServiceCategory {
    Infrastructure,
    Container,
    Abstracted,
}

impl ServiceCategory {
    pub fn id(self) -> &'static str {
        match self {
            ServiceCategory::Infrastructure => "infrastructure",
            ServiceCategory::Container => "container",
            ServiceCategory::Abstracted => "abstracted",
        }
    }

    /// The service model a service of this category has.
    pub fn model(self) -> ServiceModel {
        match self {
            ServiceCategory::Infrastructure => ServiceModel::Iaas,
            ServiceCategory::Container | ServiceCategory::Abstracted => ServiceModel::Paas,
        }
    }
}

/// How other tools name a service's resources. Each id belongs to at most one
/// service of a provider.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceIds {
    /// Terraform resource types (`aws_db_instance`, `azurerm_mssql_server`).
    #[serde(default)]
    pub terraform: Vec<String>,
    /// AWS Security Finding Format resource types (`AwsRdsDbInstance`).
    #[serde(default)]
    pub asff: Vec<String>,
    /// Prowler's service names (`rds`, `sqlserver`, `cloudsql`).
    #[serde(default)]
    pub prowler: Vec<String>,
    /// Azure Resource Manager types (`Microsoft.Sql/servers`), as Defender for
    /// Cloud and Resource Graph write them.
    #[serde(default)]
    pub arm: Vec<String>,
    /// Google Cloud Asset Inventory types (`sqladmin.googleapis.com/Instance`),
    /// as Security Command Center writes them.
    #[serde(default)]
    pub asset: Vec<String>,
}

/// The kinds of ids in [`ServiceIds`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    Terraform,
    Asff,
    Prowler,
    Arm,
    Asset,
}

impl IdKind {
    pub const ALL: [IdKind; 5] = [
        IdKind::Terraform,
        IdKind::Asff,
        IdKind::Prowler,
        IdKind::Arm,
        IdKind::Asset,
    ];

    pub fn name(self) -> &'static str {
        match self {
            IdKind::Terraform => "terraform",
            IdKind::Asff => "asff",
            IdKind::Prowler => "prowler",
            IdKind::Arm => "arm",
            IdKind::Asset => "asset",
        }
    }
}

impl ServiceIds {
    pub fn of(&self, kind: IdKind) -> &[String] {
        match kind {
            IdKind::Terraform => &self.terraform,
            IdKind::Asff => &self.asff,
            IdKind::Prowler => &self.prowler,
            IdKind::Arm => &self.arm,
            IdKind::Asset => &self.asset,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LayerOverride {
    pub layer: Layer,
    pub owner: Owner,
    pub reason: String,
    /// A source id of the provider file, or `inference`.
    #[serde(default)]
    pub source: Option<String>,
}

/// A report or certificate the provider publishes.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AttestationKind {
    pub id: String,
    pub name: String,
    /// The kind of report (`soc2-type2`, `iso27001`, `pci-dss-aoc`, `hipaa-baa`,
    /// ...; see `frameworks/attestations.toml`); the id when absent.
    #[serde(default)]
    pub scheme: Option<String>,
    /// The provider's services in its scope (for a BAA: the services eligible
    /// under it); empty when the file does not say, which covers none.
    #[serde(default)]
    pub services: Vec<String>,
    /// Where that list comes from: the provider's "services in scope" page, its
    /// version and when checked, or `inference` and why.
    #[serde(default)]
    pub services_source: Option<String>,
    /// Formerly the frameworks it backs; which reports back which framework is
    /// now a rule per framework (`frameworks/attestations.toml`). Kept so older
    /// project files load; not read.
    #[serde(default)]
    pub frameworks: Vec<String>,
    #[serde(default)]
    pub obtained_from: Option<String>,
    #[serde(default)]
    pub cadence: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

impl AttestationKind {
    /// The kind of report it is.
    pub fn scheme(&self) -> &str {
        self.scheme.as_deref().unwrap_or(&self.id)
    }

    /// Whether `service` is in its scope.
    pub fn covers(&self, service: &str) -> bool {
        self.services.iter().any(|s| s == service)
    }
}

/// What a package shows of where a provider model's owners come from: the
/// documents, the rows of the service models in use, and where services depart
/// from their row.
#[derive(Debug, Clone, Default)]
pub struct SourcesUsed {
    /// (source id, document as cited).
    pub documents: Vec<(String, String)>,
    pub rows: Vec<RowUsed>,
    pub departures: Vec<Departure>,
}

/// One service model's row, for the services that use it.
#[derive(Debug, Clone)]
pub struct RowUsed {
    pub model: ServiceModel,
    pub services: Vec<String>,
    /// (layer, owner, source id, where in it).
    pub cells: Vec<(Layer, Owner, String, String)>,
}

/// A service's override of its row.
#[derive(Debug, Clone)]
pub struct Departure {
    pub service: String,
    pub layer: Layer,
    pub owner: Owner,
    pub source: String,
    pub reason: String,
}

impl Matrix {
    pub fn row(&self, model: ServiceModel) -> &BTreeMap<Layer, Cell> {
        match model {
            ServiceModel::Iaas => &self.iaas,
            ServiceModel::Paas => &self.paas,
            ServiceModel::Saas => &self.saas,
        }
    }
}

impl Provider {
    /// The service whose resources another tool names `id` (compared without
    /// regard to case, as ARM and Prowler spell types loosely).
    pub fn service_for(&self, kind: IdKind, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| {
            s.ids
                .of(kind)
                .iter()
                .any(|known| known.eq_ignore_ascii_case(id))
        })
    }

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
                .map_or(Owner::Customer, Cell::owner),
        )
    }

    /// Where the owner of `layer` for `service` comes from: (document, where in
    /// it), or why it is ours to say; `None` when the file gives no source.
    pub fn source_of(&self, service: &Service, layer: Layer) -> Option<(String, String)> {
        if let Some(o) = service.overrides.iter().find(|o| o.layer == layer) {
            return o
                .source
                .as_deref()
                .map(|id| (self.document(id), o.reason.clone()));
        }
        let cell = self.matrix.row(service.model).get(&layer)?;
        cell.cited()
            .map(|(id, at)| (self.document(id), at.to_string()))
    }

    /// A source's name as reports cite it: document, version, when checked.
    pub fn document(&self, id: &str) -> String {
        match self.sources.iter().find(|s| s.id == id) {
            Some(s) => format!("{} ({}; checked {})", s.document, s.version, s.checked),
            None if id == INFERENCE => "auditpack's inference".to_string(),
            None => format!("unknown source \"{id}\""),
        }
    }

    /// The documents, rows and departures behind `services` (named as reports name them).
    pub fn sources_used(&self, services: &[(&Service, String)]) -> SourcesUsed {
        let mut used = SourcesUsed::default();
        let mut cited = std::collections::BTreeSet::new();
        for model in [ServiceModel::Iaas, ServiceModel::Paas, ServiceModel::Saas] {
            let names: Vec<String> = services
                .iter()
                .filter(|(s, _)| s.model == model)
                .map(|(_, name)| name.clone())
                .collect();
            if names.is_empty() {
                continue;
            }
            let cells = self
                .matrix
                .row(model)
                .iter()
                .map(|(layer, cell)| {
                    let (id, at) = cell.cited().unwrap_or(("", "no source given"));
                    cited.insert(id.to_string());
                    (*layer, cell.owner(), id.to_string(), at.to_string())
                })
                .collect();
            used.rows.push(RowUsed {
                model,
                services: names,
                cells,
            });
        }
        for (service, _) in services {
            if service.declared.is_some() {
                cited.insert(crate::model::declared::source_id(&service.id));
            }
        }
        for (service, name) in services {
            for o in &service.overrides {
                let id = o.source.clone().unwrap_or_default();
                cited.insert(id.clone());
                used.departures.push(Departure {
                    service: name.clone(),
                    layer: o.layer,
                    owner: o.owner,
                    source: id,
                    reason: o.reason.clone(),
                });
            }
        }
        used.documents = cited
            .into_iter()
            .filter(|id| !id.is_empty())
            .map(|id| {
                let document = self.document(&id);
                (id, document)
            })
            .collect();
        used
    }

    /// Cells and overrides without a source, or citing one the file does not list.
    pub fn unsourced(&self) -> Vec<String> {
        let known = |id: &str| id == INFERENCE || self.sources.iter().any(|s| s.id == id);
        let mut missing = Vec::new();
        for model in [ServiceModel::Iaas, ServiceModel::Paas, ServiceModel::Saas] {
            for (layer, cell) in self.matrix.row(model) {
                match cell.cited() {
                    Some((id, _)) if known(id) => {}
                    _ => missing.push(format!("{} {}", model.name(), layer.id())),
                }
            }
        }
        for service in &self.services {
            for o in &service.overrides {
                match o.source.as_deref() {
                    Some(id) if known(id) => {}
                    _ => missing.push(format!("{} {}", service.id, o.layer.id())),
                }
            }
        }
        missing
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
                if let Some(cell) = row.get(&layer)
                    && layer.is_organizational()
                    && cell.owner() != Owner::Customer
                {
                    problems.push(format!(
                        "matrix {} gives {} to {} for {}, but it is always the customer's own",
                        self.matrix.version,
                        layer.id(),
                        cell.owner().id(),
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
        for service in &self.services {
            if let Some(category) = service.category
                && category.model() != service.model
            {
                problems.push(format!(
                    "service {} is in the {} category, which is {}, but its model is {}",
                    service.id,
                    category.id(),
                    category.model().name(),
                    service.model.name()
                ));
            }
        }
        for attestation in &self.attestations {
            for listed in &attestation.services {
                if self.service(listed).is_none() {
                    problems.push(format!(
                        "attestation {} lists service {listed}, which is not defined",
                        attestation.id
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
        for kind in IdKind::ALL {
            let mut owners = std::collections::BTreeMap::new();
            for service in &self.services {
                for id in service.ids.of(kind) {
                    if let Some(first) = owners.insert(id.to_lowercase(), service.id.as_str()) {
                        problems.push(format!(
                            "{} id {id} is given to both {first} and {}",
                            kind.name(),
                            service.id
                        ));
                    }
                }
            }
        }
        problems
    }
}
