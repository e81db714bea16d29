//! Model: provider services a project declares in `audit.toml` because
//! auditpack's catalog lacks them, checked as shipped services are and merged
//! into the provider model so responsibility is derived for them the same way.

use crate::diag::{Problem, did_you_mean};
use crate::load::project::{Project, ServiceEntry};
use crate::model::layer::{Layer, Owner};
use crate::model::library::Library;
use crate::model::provider::{IdKind, LayerOverride, Provider, Service, Source};

/// The source id a declared service's reason is cited by.
pub fn source_id(service: &str) -> String {
    format!("audit.toml:{service}")
}

/// What reports call a service: its name, marked when the project declared it.
pub fn shown_name(service: &Service, name: String) -> String {
    match service.declared {
        Some(_) => format!("{name} (declared by the project)"),
        None => name,
    }
}

/// An `[[inventory]]` service the provider model lacks: a suggestion, or where
/// the catalog is listed, then how to declare one.
pub fn unknown_service(provider: &Provider, wanted: &str) -> String {
    let ids = provider.services.iter().map(|s| s.id.as_str());
    let what = format!("unknown {} service \"{wanted}\"", provider.short_name);
    let known = match did_you_mean(wanted, ids) {
        Some(s) => format!("{what}; did you mean \"{s}\"?"),
        None => format!(
            "{what}; `auditpack frameworks show {} --services` lists the {} it knows.",
            provider.id,
            provider.services.len()
        ),
    };
    format!(
        "{known} A service auditpack's catalog lacks can be declared in audit.toml with [[services]] provider = \"{}\", id, name, model and reason.",
        provider.id
    )
}

/// Whether the project declares `service` of `provider`, whether or not the
/// declaration was accepted.
pub fn was_declared(project: &Project, provider: &str, service: &str) -> bool {
    project
        .file
        .services
        .iter()
        .any(|d| d.provider.get_ref() == provider && d.id.get_ref().trim() == service)
}

/// Add the project's `[[services]]` to their providers; every problem together.
pub fn declare_services(project: &Project, library: &mut Library) -> Result<(), Vec<Problem>> {
    let mut problems = Vec::new();
    let checked = match project
        .file
        .audit
        .as_of
        .format("%Y-%m-%d")
        .to_string()
        .parse::<toml::value::Datetime>()
    {
        Ok(date) => date,
        Err(e) => return Err(vec![project.problem(0..0, format!("as_of: {e}"))]),
    };
    for entry in &project.file.services {
        let ids: Vec<String> = library.providers.iter().map(|p| p.id.clone()).collect();
        let Some(provider) = library
            .providers
            .iter_mut()
            .find(|p| p.id == *entry.provider.get_ref())
        else {
            let message =
                match did_you_mean(entry.provider.get_ref(), ids.iter().map(|s| s.as_str())) {
                    Some(s) => format!(
                        "unknown provider \"{}\"; did you mean \"{s}\"?",
                        entry.provider.get_ref()
                    ),
                    None => format!(
                        "unknown provider \"{}\" (known: {})",
                        entry.provider.get_ref(),
                        ids.join(", ")
                    ),
                };
            problems.push(project.problem(entry.provider.span(), message));
            continue;
        };
        let before = problems.len();
        let service = declared_service(project, provider, entry, &mut problems);
        if problems.len() == before {
            add(provider, service, entry, &checked);
        }
    }
    match problems.is_empty() {
        true => Ok(()),
        false => Err(problems),
    }
}

/// The service as declared, with a problem for each thing a shipped service could not have.
fn declared_service(
    project: &Project,
    provider: &Provider,
    entry: &ServiceEntry,
    problems: &mut Vec<Problem>,
) -> Service {
    let id = entry.id.get_ref().trim().to_string();
    let at = entry.id.span();
    if id.is_empty() {
        problems.push(project.problem(at.clone(), "a declared service needs an id"));
    } else if let Some(shipped) = provider.service(&id) {
        let message = match shipped.declared {
            Some(_) => format!("service \"{id}\" is declared twice in [[services]]"),
            None => format!(
                "service \"{id}\" is already in auditpack's {} catalog ({}); use it in [[inventory]] as it is, or give the declared service another id",
                provider.short_name, shipped.name
            ),
        };
        problems.push(project.problem(at.clone(), message));
    }
    if entry.reason.trim().is_empty() {
        problems.push(project.problem(
            at.clone(),
            format!("declared service \"{id}\" needs a reason: why the project declares it"),
        ));
    }
    if let Some(category) = entry.category
        && category.model() != entry.model
    {
        problems.push(project.problem(
            at.clone(),
            format!(
                "declared service \"{id}\" is in the {} category, which is {}, but its model is {}",
                category.id(),
                category.model().name(),
                entry.model.name()
            ),
        ));
    }
    for kind in IdKind::ALL {
        for other in entry.ids.of(kind) {
            if let Some(owner) = provider.service_for(kind, other) {
                problems.push(project.problem(
                    at.clone(),
                    format!(
                        "declared service \"{id}\" names {} id {other}, which belongs to {}",
                        kind.name(),
                        owner.id
                    ),
                ));
            }
        }
    }
    Service {
        overrides: overrides(project, &id, entry, problems),
        id,
        name: entry.name.clone(),
        model: entry.model,
        category: entry.category,
        note: entry.note.clone(),
        ids: entry.ids.clone(),
        declared: Some(entry.reason.clone()),
    }
}

fn overrides(
    project: &Project,
    id: &str,
    entry: &ServiceEntry,
    problems: &mut Vec<Problem>,
) -> Vec<LayerOverride> {
    let mut found: Vec<LayerOverride> = Vec::new();
    for o in &entry.overrides {
        let wanted = o.layer.get_ref();
        let Some(layer) = Layer::ALL.iter().copied().find(|l| l.id() == wanted) else {
            let ids = Layer::ALL.iter().map(|l| l.id());
            let message = match did_you_mean(wanted, ids.clone()) {
                Some(s) => format!("unknown layer \"{wanted}\"; did you mean \"{s}\"?"),
                None => format!(
                    "unknown layer \"{wanted}\" (known: {})",
                    ids.collect::<Vec<_>>().join(", ")
                ),
            };
            problems.push(project.problem(o.layer.span(), message));
            continue;
        };
        if layer.is_organizational() && o.owner != Owner::Customer {
            problems.push(project.problem(
                o.layer.span(),
                format!(
                    "declared service \"{id}\" cannot give {} ({}) to the {}: it is the organization's own whatever it uses",
                    layer.id(),
                    layer.name(),
                    o.owner.id()
                ),
            ));
            continue;
        }
        if found.iter().any(|f| f.layer == layer) {
            problems.push(project.problem(
                o.layer.span(),
                format!("declared service \"{id}\" overrides {} twice", layer.id()),
            ));
            continue;
        }
        if crate::model::vendors::needs_source(layer, o.owner) && o.source.is_none() {
            problems.push(project.problem(
                o.layer.span(),
                format!(
                    "declared service \"{id}\" gives {} to the provider alone: name the provider's document that says so with source",
                    layer.id()
                ),
            ));
        }
        let source = match o.source {
            Some(_) => format!("{}:{}", source_id(id), layer.id()),
            None => source_id(id),
        };
        found.push(LayerOverride {
            layer,
            owner: o.owner,
            reason: o.reason.clone(),
            source: Some(source),
        });
    }
    found
}

/// Add the service and the sources its reason and overrides cite.
fn add(
    provider: &mut Provider,
    service: Service,
    entry: &ServiceEntry,
    checked: &toml::value::Datetime,
) {
    let source = |id: String, document: String| Source {
        id,
        document,
        url: None,
        version: "the project's own declaration in audit.toml".to_string(),
        checked: *checked,
    };
    provider.sources.push(source(
        source_id(&service.id),
        format!(
            "declared by the project in audit.toml, not in auditpack's catalog: {}",
            entry.reason.trim()
        ),
    ));
    for o in &entry.overrides {
        if let Some(document) = &o.source {
            provider.sources.push(source(
                format!("{}:{}", source_id(&service.id), o.layer.get_ref()),
                format!("{} (cited by the project in audit.toml)", document.trim()),
            ));
        }
    }
    provider.services.push(service);
}
