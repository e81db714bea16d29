//! Model: a control's responsibility, derived from the layers it touches and who owns them
//! for the services in scope, with the rationale reports print.

use crate::model::catalog::Control;
use crate::model::layer::{Layer, Owner, Responsibility};
use crate::model::provider::{Provider, Service};
use crate::model::reports::Provided;
use crate::model::site::Site;
use crate::model::vendors::Vendor;
use std::collections::BTreeSet;

/// A provider service in scope for a framework.
#[derive(Debug, Clone, Copy)]
pub struct ScopedService<'a> {
    pub provider: &'a Provider,
    pub service: &'a Service,
}

impl ScopedService<'_> {
    /// `EC2` rather than `Amazon EC2`: the provider is named beside it.
    pub fn short_name(&self) -> String {
        short_service_name(&self.service.name)
    }
}

pub fn short_service_name(name: &str) -> String {
    // "Amazon Relational Database Service (RDS)" is known as RDS.
    if let Some(open) = name.rfind('(')
        && let Some(inner) = name[open + 1..].strip_suffix(')')
        && !inner.contains(' ')
    {
        return inner.to_string();
    }
    for brand in [
        "Amazon ",
        "AWS ",
        "Microsoft Azure ",
        "Azure ",
        "Microsoft ",
        "Google Cloud ",
        "Google ",
    ] {
        if let Some(rest) = name.strip_prefix(brand) {
            return rest.to_string();
        }
    }
    name.to_string()
}

/// One part of the estate in scope for a framework: a provider's service, one
/// of the organization's sites, or a vendor it relies on.
#[derive(Debug, Clone, Copy)]
pub enum Unit<'a> {
    Service(ScopedService<'a>),
    Site(&'a Site),
    /// A subservice organization; it owns only the layers `audit.toml` gives it.
    Vendor(&'a Vendor),
}

impl Unit<'_> {
    /// Who owns `layer` here, and how the owner is named; `None` where this part
    /// of the estate has no such layer.
    pub(crate) fn owner(&self, layer: Layer) -> Option<(Owner, String)> {
        match self {
            Unit::Service(s) => s.provider.owner(s.service, layer).map(|owner| {
                let label = match owner {
                    Owner::Provider => s.provider.short_name.clone(),
                    Owner::Shared => format!("shared with {}", s.provider.short_name),
                    Owner::Customer => "customer".to_string(),
                };
                (owner, label)
            }),
            Unit::Site(site) => site.owner(layer).map(|owner| {
                let operator = site
                    .operator
                    .clone()
                    .unwrap_or_else(|| "the colocation provider".to_string());
                let label = match owner {
                    Owner::Provider => operator,
                    Owner::Shared => format!("shared with {operator}"),
                    Owner::Customer => "customer".to_string(),
                };
                (owner, label)
            }),
            Unit::Vendor(vendor) => vendor.owner(layer).map(|owner| {
                let label = match owner {
                    Owner::Provider => vendor.name.clone(),
                    Owner::Shared => format!("shared with {}", vendor.name),
                    Owner::Customer => "customer".to_string(),
                };
                (owner, label)
            }),
        }
    }

    pub(crate) fn name(&self) -> String {
        match self {
            Unit::Service(s) => s.short_name(),
            Unit::Site(site) => site.label(),
            Unit::Vendor(vendor) => vendor.service.clone(),
        }
    }

    /// Who provides this part of the estate, for the reports that back it.
    /// Who provides this part of the estate, for the reports that back it;
    /// `None` for a site the organization runs itself.
    pub(crate) fn provider_run(&self) -> Option<Provided> {
        match self {
            Unit::Site(site) if site.kind != crate::model::site::SiteKind::Colocation => None,
            _ => Some(self.provided()),
        }
    }

    fn provided(&self) -> Provided {
        match self {
            Unit::Service(s) => Provided {
                provider: s.provider.id.clone(),
                provider_name: s.provider.short_name.clone(),
                service: s.service.id.clone(),
                name: s.short_name(),
            },
            Unit::Site(site) => {
                let operator = site
                    .operator
                    .clone()
                    .unwrap_or_else(|| "the colocation provider".to_string());
                // The operator's reports are a vendor's: declared under its name,
                // with the vendor itself as their scope.
                Provided {
                    provider: format!("{}{operator}", crate::model::vendors::VENDOR_PREFIX),
                    service: operator.clone(),
                    provider_name: operator,
                    name: site.label(),
                }
            }
            // A vendor's reports are held with the vendor itself as their scope.
            Unit::Vendor(vendor) => Provided {
                provider: vendor.provider_id(),
                provider_name: vendor.name.clone(),
                service: vendor.name.clone(),
                name: vendor.service.clone(),
            },
        }
    }
}

/// Per owner label (`AWS`, `customer`, `shared with AWS`), the parts of the estate it holds a layer for.
type OwnerGroups = Vec<(String, Vec<String>)>;

/// How the organization itself is named where it owns its own layers.
pub(crate) const ORGANIZATION: &str = "the organization itself";

/// A derived responsibility and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derivation {
    /// `None` when nothing in scope has any layer the control touches.
    pub responsibility: Option<Responsibility>,
    pub rationale: String,
    /// The parts of the estate whose provider owns or shares a layer the control
    /// touches: the reports behind the control must cover each.
    pub provided: Vec<Provided>,
}

/// Derive a control's responsibility over the organization and the parts of its
/// estate in scope. The organization's own layers (governance, data, accounts,
/// devices, its software, configuration, its incident response) are the
/// customer's whatever it uses; every other layer is owned per service and site.
pub fn derive(control: &Control, units: &[Unit]) -> Derivation {
    derive_layers(&control.layers, units)
}

/// Derive who is responsible for work on `layers` over the organization and the
/// parts of its estate given: a control's layers, or a response phase's.
pub fn derive_layers(layers: &[Layer], units: &[Unit]) -> Derivation {
    let layers: BTreeSet<Layer> = layers.iter().copied().collect();
    let mut owners = BTreeSet::new();
    let mut provided = BTreeSet::new();
    let mut per_layer = Vec::new();
    let mut absent = Vec::new();
    for &layer in &layers {
        let mut groups: OwnerGroups = Vec::new();
        if layer.is_organizational() {
            owners.insert(Owner::Customer);
            push_grouped(
                &mut groups,
                "customer".to_string(),
                ORGANIZATION.to_string(),
            );
        }
        for unit in units {
            let Some((owner, label)) = unit.owner(layer) else {
                continue;
            };
            owners.insert(owner);
            if owner != Owner::Customer {
                provided.insert(unit.provided());
            }
            push_grouped(&mut groups, label, unit.name());
        }
        match groups.is_empty() {
            true => absent.push(layer),
            false => per_layer.push((layer, groups)),
        }
    }
    if per_layer.is_empty() {
        let names: Vec<&str> = layers.iter().map(|l| l.name()).collect();
        return Derivation {
            responsibility: None,
            rationale: format!(
                "not applicable: no service or site in scope has {}",
                join_and(&names)
            ),
            provided: Vec::new(),
        };
    }
    let responsibility = if owners.iter().all(|o| *o == Owner::Provider) {
        Responsibility::Inherited
    } else if owners.iter().all(|o| *o == Owner::Customer) {
        Responsibility::Customer
    } else {
        Responsibility::Shared
    };
    let sites: Vec<String> = units
        .iter()
        .filter(|u| matches!(u, Unit::Site(_)))
        .map(Unit::name)
        .collect();
    let mut rationale = explain(responsibility, &per_layer, &sites);
    if !absent.is_empty() {
        let names: Vec<&str> = absent.iter().map(|l| l.name()).collect();
        rationale.push_str(&format!(
            " ({} not run by anything in scope)",
            join_and(&names)
        ));
    }
    Derivation {
        responsibility: Some(responsibility),
        rationale,
        provided: provided.into_iter().collect(),
    }
}

fn push_grouped(groups: &mut OwnerGroups, label: String, service: String) {
    match groups.iter_mut().find(|(l, _)| *l == label) {
        Some((_, services)) => {
            if !services.contains(&service) {
                services.push(service)
            }
        }
        None => groups.push((label, vec![service])),
    }
}

fn explain(
    responsibility: Responsibility,
    per_layer: &[(Layer, OwnerGroups)],
    sites: &[String],
) -> String {
    let names: Vec<&str> = per_layer.iter().map(|(l, _)| l.name()).collect();
    let touched = join_and(&names);
    let pronoun = if per_layer.len() == 1 { "it" } else { "them" };
    match responsibility {
        Responsibility::Inherited => {
            // Every layer has the same provider groups when all are provider-owned per service.
            let groups = per_layer
                .first()
                .map(|(_, g)| g.as_slice())
                .unwrap_or_default();
            let owned: Vec<String> = groups
                .iter()
                .enumerate()
                .map(|(i, (provider, services))| {
                    let verb = if i == 0 {
                        format!(" owns {pronoun}")
                    } else {
                        String::new()
                    };
                    format!("{provider}{verb} for {}", services.join(", "))
                })
                .collect();
            format!("inherited: touches only {touched}; {}", owned.join("; "))
        }
        Responsibility::Customer => {
            let holders: BTreeSet<&str> = per_layer
                .iter()
                .flat_map(|(_, g)| g.iter().flat_map(|(_, units)| units.iter()))
                .map(String::as_str)
                .collect();
            let own = holders.contains(ORGANIZATION);
            let others: Vec<&str> = holders.into_iter().filter(|h| *h != ORGANIZATION).collect();
            let any_site = others.iter().any(|h| sites.iter().any(|s| s == h));
            match (own, others.is_empty(), any_site) {
                (true, true, _) => format!(
                    "customer: touches only {touched}, the organization's own whatever services it uses"
                ),
                (false, _, false) => format!(
                    "customer: touches only {touched}, which the customer owns for every in-scope service"
                ),
                (true, _, _) => format!(
                    "customer: touches only {touched}: the organization's own, and the customer's for {}",
                    others.join(", ")
                ),
                (false, _, true) => format!(
                    "customer: touches only {touched}, which the customer owns for {}",
                    others.join(", ")
                ),
            }
        }
        Responsibility::Shared => {
            let parts: Vec<String> = per_layer
                .iter()
                .map(|(layer, groups)| {
                    let owners: Vec<String> = if groups.len() == 1
                        && groups[0].1.iter().all(|u| u != ORGANIZATION)
                    {
                        vec![format!("{} for all", groups[0].0)]
                    } else if groups.len() == 1 {
                        vec![format!("{} ({})", groups[0].0, groups[0].1.join(", "))]
                    } else {
                        groups
                            .iter()
                            .map(|(owner, services)| format!("{owner} for {}", services.join(", ")))
                            .collect()
                    };
                    format!("{}: {}", layer.name(), owners.join(", "))
                })
                .collect();
            format!("shared: {}", parts.join("; "))
        }
    }
}

/// Layer names themselves contain "and", so a list of them is joined with commas only.
fn join_and(items: &[&str]) -> String {
    items.join(", ")
}
