//! Model: a control's responsibility, derived from the layers it touches and who owns them
//! for the services in scope, with the rationale reports print.

use crate::model::catalog::Control;
use crate::model::layer::{Layer, Owner, Responsibility};
use crate::model::provider::{Provider, Service};
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

/// Per owner label (`AWS`, `customer`, `shared with AWS`), the services it holds a layer for.
type OwnerGroups = Vec<(String, Vec<String>)>;

/// A derived responsibility and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derivation {
    pub responsibility: Responsibility,
    pub rationale: String,
    /// Providers that own or share a layer the control touches (ids, sorted).
    pub providers: Vec<String>,
}

/// Derive a control's responsibility over the in-scope services.
pub fn derive(control: &Control, services: &[ScopedService]) -> Derivation {
    let layers: BTreeSet<Layer> = control.layers.iter().copied().collect();
    let mut owners = BTreeSet::new();
    let mut providers = BTreeSet::new();
    let mut per_layer = Vec::new();
    for &layer in &layers {
        let mut groups: OwnerGroups = Vec::new();
        for scoped in services {
            let owner = scoped.provider.owner(scoped.service, layer);
            owners.insert(owner);
            if owner != Owner::Customer {
                providers.insert(scoped.provider.id.clone());
            }
            let label = match owner {
                Owner::Provider => scoped.provider.short_name.clone(),
                Owner::Shared => format!("shared with {}", scoped.provider.short_name),
                Owner::Customer => "customer".to_string(),
            };
            push_grouped(&mut groups, label, scoped.short_name());
        }
        per_layer.push((layer, groups));
    }
    let responsibility = if owners.iter().all(|o| *o == Owner::Provider) {
        Responsibility::Inherited
    } else if owners.iter().all(|o| *o == Owner::Customer) {
        Responsibility::Customer
    } else {
        Responsibility::Shared
    };
    let rationale = explain(responsibility, &layers, &per_layer);
    Derivation {
        responsibility,
        rationale,
        providers: providers.into_iter().collect(),
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
    layers: &BTreeSet<Layer>,
    per_layer: &[(Layer, OwnerGroups)],
) -> String {
    let names: Vec<&str> = layers.iter().map(|l| l.name()).collect();
    let touched = join_and(&names);
    let pronoun = if layers.len() == 1 { "it" } else { "them" };
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
        Responsibility::Customer => format!(
            "customer: touches only {touched}, which the customer owns for every in-scope service"
        ),
        Responsibility::Shared => {
            let parts: Vec<String> = per_layer
                .iter()
                .map(|(layer, groups)| {
                    let owners: Vec<String> = if groups.len() == 1 {
                        vec![format!("{} for all", groups[0].0)]
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
