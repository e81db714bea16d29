//! Model: resources found in Terraform state or scanner output, resolved to a
//! provider service through the ids each service lists (`[services.ids]`) and
//! grouped into `[[inventory]]` entries by workload.
//!
//! A workload is named, in order, by the resource's tag `workload`, `app`,
//! `application` or `project` (any case), then by its outermost Terraform
//! module (`module.billing.module.db` → `billing`), then by its `Name` tag,
//! then by the resource itself (the name in its Terraform address) or, for a
//! scan, by its provider and account. One entry is made per workload, provider
//! and service; resources no service names are counted by type, never dropped.

use crate::load::findings::{FindingsRead, ResourceKind};
use crate::load::terraform::TerraformResource;
use crate::model::provider::{IdKind, Provider, Service};
use std::collections::{BTreeMap, BTreeSet};

/// Tags that name a workload, tried in order, compared without regard to case.
pub const WORKLOAD_TAGS: [&str; 4] = ["workload", "app", "application", "project"];

/// `--tag KEY=VALUE:SCOPE`: a resource tagged KEY=VALUE carries the scope tag SCOPE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeRule {
    pub key: String,
    pub value: String,
    pub scope: String,
}

impl ScopeRule {
    /// Parse `DataClassification=restricted:phi`.
    pub fn parse(text: &str) -> Result<ScopeRule, String> {
        let wrong = || format!("--tag {text}: expected KEY=VALUE:SCOPE, such as pci=true:cde");
        let (pair, scope) = text.rsplit_once(':').ok_or_else(wrong)?;
        let (key, value) = pair.split_once('=').ok_or_else(wrong)?;
        let (key, value, scope) = (key.trim(), value.trim(), scope.trim());
        if key.is_empty() || scope.is_empty() {
            return Err(wrong());
        }
        Ok(ScopeRule {
            key: key.to_string(),
            value: value.to_string(),
            scope: scope.to_string(),
        })
    }

    fn matches(&self, tags: &BTreeMap<String, String>) -> bool {
        tags.iter().any(|(k, v)| {
            k.eq_ignore_ascii_case(&self.key) && v.trim().eq_ignore_ascii_case(&self.value)
        })
    }
}

/// One resource found, before it is resolved.
#[derive(Debug, Clone)]
pub struct Found {
    /// Where it was read (a file name), for the entry's comment.
    pub source: String,
    /// The provider, where the source says so (scans); `None` lets any provider claim it.
    pub provider: Option<String>,
    /// Ids to try, in order.
    pub ids: Vec<(IdKind, String)>,
    /// A service decided by an attribute, tried first: (provider, service id, label).
    pub decided: Option<(String, String, String)>,
    /// How the resource is named when no service claims it (`aws_foo_bar`).
    pub label: String,
    /// The workload and what named it (`tag app`, `module`, `resource`).
    pub workload: (String, String),
    pub tags: BTreeMap<String, String>,
    /// How many resources it stands for (a scan's resources are counted by kind).
    pub count: u64,
}

/// One `[[inventory]]` entry to propose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedEntry {
    pub name: String,
    /// What named its workload for its first resource (`tag app`, `module`).
    pub named_by: String,
    pub provider: String,
    pub service: String,
    pub service_name: String,
    pub scopes: BTreeSet<String>,
    /// Resources behind it, by the type the source named them with.
    pub types: BTreeMap<String, u64>,
    pub sources: BTreeSet<String>,
}

impl ImportedEntry {
    pub fn resources(&self) -> u64 {
        self.types.values().sum()
    }
}

/// A workload's entries, with what named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedWorkload {
    pub name: String,
    pub named_by: String,
    pub entries: Vec<ImportedEntry>,
}

/// Everything an import found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    pub workloads: Vec<ImportedWorkload>,
    /// Resources no service claims, counted by type.
    pub unknown: BTreeMap<String, u64>,
    pub resources: u64,
}

impl Imported {
    pub fn entries(&self) -> impl Iterator<Item = &ImportedEntry> {
        self.workloads.iter().flat_map(|w| w.entries.iter())
    }
}

/// The provider and service whose ids name a resource, trying each id in order.
pub fn resolve<'a>(
    providers: &'a [Provider],
    provider: Option<&str>,
    ids: &[(IdKind, String)],
) -> Option<(&'a Provider, &'a Service)> {
    let candidates = || {
        providers
            .iter()
            .filter(move |p| provider.is_none_or(|id| p.id.eq_ignore_ascii_case(id)))
    };
    ids.iter()
        .filter(|(_, id)| !id.trim().is_empty())
        .find_map(|(kind, id)| {
            candidates().find_map(|p| p.service_for(*kind, id.trim()).map(|s| (p, s)))
        })
}

/// A Terraform resource as found: its type as id, its workload, and the two
/// attributes that pick a service where one type serves two (ECS on EC2 versus
/// Fargate, GKE Standard versus Autopilot).
pub fn found_in_terraform(resource: TerraformResource, source: &str) -> Found {
    let selector = |name: &str| resource.selectors.get(name).map(String::as_str);
    let decided = match resource.resource_type.as_str() {
        "aws_ecs_service" if selector("launch_type").is_some_and(|l| l == "EC2") => Some((
            "aws".to_string(),
            "ecs-ec2".to_string(),
            "aws_ecs_service (launch_type EC2)".to_string(),
        )),
        "google_container_cluster" if selector("enable_autopilot") == Some("true") => Some((
            "gcp".to_string(),
            "gke-autopilot".to_string(),
            "google_container_cluster (enable_autopilot)".to_string(),
        )),
        _ => None,
    };
    let fallback = resource
        .address
        .rsplit('.')
        .next()
        .unwrap_or(&resource.address)
        .to_string();
    Found {
        source: source.to_string(),
        provider: None,
        workload: workload_of(&resource.tags, &resource.modules, (fallback, "resource")),
        ids: vec![(IdKind::Terraform, resource.resource_type.clone())],
        decided,
        label: resource.resource_type,
        tags: resource.tags,
        count: 1,
    }
}

/// The resources of a scan, one `Found` per kind of resource (provider,
/// account, service, type) with its count; a scan names no workload, so the
/// account (subscription, project) does: `aws-111122223333`.
pub fn found_in_scan(read: &FindingsRead) -> Vec<Found> {
    let mut counts = vec![0u64; read.kinds.len()];
    let mut undescribed = 0u64;
    for &kind in &read.resource_kinds {
        match counts.get_mut(kind as usize) {
            Some(c) => *c += 1,
            None => undescribed += 1,
        }
    }
    let source = read.path.display().to_string();
    let mut found: Vec<Found> = read
        .kinds
        .iter()
        .zip(counts)
        .filter(|(_, count)| *count > 0)
        .map(|(kind, count)| Found {
            source: source.clone(),
            provider: Some(kind.provider.clone()).filter(|p| !p.is_empty()),
            ids: scan_ids(kind),
            decided: None,
            label: scan_label(kind),
            workload: (
                [kind.provider.as_str(), kind.account.as_str()]
                    .iter()
                    .filter(|p| !p.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join("-"),
                "account".to_string(),
            ),
            tags: BTreeMap::new(),
            count,
        })
        .collect();
    if undescribed > 0 {
        found.push(Found {
            source,
            provider: Some(String::new()),
            ids: Vec::new(),
            decided: None,
            label: "resources the scan does not describe".to_string(),
            workload: (String::new(), String::new()),
            tags: BTreeMap::new(),
            count: undescribed,
        });
    }
    found
}

/// The ids a scan gives a resource, most telling first: the scanner's service
/// name, then the resource type in each naming scheme.
pub fn scan_ids(kind: &ResourceKind) -> Vec<(IdKind, String)> {
    let mut ids = vec![(IdKind::Prowler, kind.service.clone())];
    for id_kind in [IdKind::Asff, IdKind::Arm, IdKind::Asset, IdKind::Terraform] {
        ids.push((id_kind, kind.resource_type.clone()));
    }
    ids.retain(|(_, id)| !id.trim().is_empty());
    ids
}

/// How an unclaimed scan resource is listed: `aws service accessanalyzer (Other)`.
pub fn scan_label(kind: &ResourceKind) -> String {
    let provider = if kind.provider.is_empty() {
        "?"
    } else {
        &kind.provider
    };
    match (kind.service.is_empty(), kind.resource_type.is_empty()) {
        (false, false) => format!("{provider} {} ({})", kind.service, kind.resource_type),
        (false, true) => format!("{provider} {}", kind.service),
        (true, false) => format!("{provider} {}", kind.resource_type),
        (true, true) => format!("{provider} resources of no stated type"),
    }
}

/// The workload a resource belongs to: a workload tag, its outermost module,
/// its `Name` tag, else `fallback`.
pub fn workload_of(
    tags: &BTreeMap<String, String>,
    modules: &[String],
    fallback: (String, &str),
) -> (String, String) {
    let tag = |wanted: &str| {
        tags.iter()
            .find(|(k, v)| k.eq_ignore_ascii_case(wanted) && !v.trim().is_empty())
            .map(|(k, v)| (v.trim().to_string(), format!("tag {k}")))
    };
    WORKLOAD_TAGS
        .iter()
        .find_map(|t| tag(t))
        .or_else(|| modules.first().map(|m| (m.clone(), "module".to_string())))
        .or_else(|| tag("name"))
        .unwrap_or_else(|| (fallback.0, fallback.1.to_string()))
}

/// Resolve every resource and group them into entries by workload, provider
/// and service; entries and workloads in name order.
pub fn group(found: &[Found], providers: &[Provider], rules: &[ScopeRule]) -> Imported {
    let mut imported = Imported::default();
    let mut named_by: BTreeMap<String, String> = BTreeMap::new();
    let mut entries: BTreeMap<(String, String, String), ImportedEntry> = BTreeMap::new();
    for resource in found {
        imported.resources += resource.count;
        let (provider, service, label) = match &resource.decided {
            Some((p, s, label)) => {
                let hit = providers
                    .iter()
                    .find(|x| x.id == *p)
                    .and_then(|x| x.service(s).map(|s| (x, s)));
                match hit {
                    Some((p, s)) => (p, s, resource.label.clone()),
                    None => {
                        *imported.unknown.entry(label.clone()).or_default() += resource.count;
                        continue;
                    }
                }
            }
            None => match resolve(providers, resource.provider.as_deref(), &resource.ids) {
                Some((p, s)) => (p, s, resource.label.clone()),
                None => {
                    *imported.unknown.entry(resource.label.clone()).or_default() += resource.count;
                    continue;
                }
            },
        };
        let (workload, by) = &resource.workload;
        named_by
            .entry(workload.clone())
            .or_insert_with(|| by.clone());
        let key = (workload.clone(), provider.id.clone(), service.id.clone());
        let entry = entries.entry(key).or_insert_with(|| ImportedEntry {
            name: workload.clone(),
            named_by: by.clone(),
            provider: provider.id.clone(),
            service: service.id.clone(),
            service_name: service.name.clone(),
            scopes: BTreeSet::new(),
            types: BTreeMap::new(),
            sources: BTreeSet::new(),
        });
        *entry.types.entry(label).or_default() += resource.count;
        entry.sources.insert(resource.source.clone());
        for rule in rules.iter().filter(|r| r.matches(&resource.tags)) {
            entry.scopes.insert(rule.scope.clone());
        }
    }
    for ((workload, _, _), entry) in entries {
        match imported.workloads.last_mut() {
            Some(last) if last.name == workload => last.entries.push(entry),
            _ => imported.workloads.push(ImportedWorkload {
                named_by: named_by.get(&workload).cloned().unwrap_or_default(),
                name: workload,
                entries: vec![entry],
            }),
        }
    }
    imported
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_rules_parse_and_reject() {
        let rule = ScopeRule::parse("DataClassification=restricted:phi").unwrap();
        assert_eq!(
            (rule.key.as_str(), rule.value.as_str(), rule.scope.as_str()),
            ("DataClassification", "restricted", "phi")
        );
        assert!(ScopeRule::parse("pci=true").is_err());
        assert!(ScopeRule::parse("=true:cde").is_err());
        assert!(ScopeRule::parse("pci:cde").is_err());
    }

    #[test]
    fn workloads_prefer_tags_then_modules_then_names() {
        let tags = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let modules = vec!["billing".to_string()];
        let fallback = || ("web".to_string(), "resource");
        let of = |t, m: &[String]| workload_of(&t, m, fallback()).0;
        assert_eq!(
            of(tags(&[("Name", "n"), ("App", "portal")]), &modules),
            "portal"
        );
        assert_eq!(of(tags(&[("Name", "n")]), &modules), "billing");
        assert_eq!(of(tags(&[("Name", "n")]), &[]), "n");
        assert_eq!(of(tags(&[]), &[]), "web");
    }
}
