//! `auditpack frameworks show PROVIDER --services`: every service of a provider
//! model, with its service model, category, the layers where it departs from its
//! model's row and where each comes from, and the ids other tools give it.

use crate::cli::TableFormat;
use crate::cmd::frameworks::{json_text, tabulate};
use crate::diag::did_you_mean;
use crate::error::{Error, Result};
use crate::model::library::Library;
use crate::model::provider::{IdKind, Provider, Service};
use serde::Serialize;

/// A provider's services, as text, CSV or JSON.
pub fn show(library: &Library, id: &str, format: TableFormat) -> Result<String> {
    let provider = library.provider(id).ok_or_else(|| {
        let ids = library.providers.iter().map(|p| p.id.as_str());
        Error::Usage(match did_you_mean(id, ids.clone()) {
            Some(s) => format!("unknown provider \"{id}\"; did you mean \"{s}\"?"),
            None => format!(
                "unknown provider \"{id}\" (known: {})",
                ids.collect::<Vec<_>>().join(", ")
            ),
        })
    })?;
    let view = view(provider);
    match format {
        TableFormat::Json => json_text(&view),
        TableFormat::Csv => csv(&view),
        TableFormat::Table => Ok(text(&view)),
    }
}

#[derive(Serialize)]
struct ProviderView {
    provider: String,
    name: String,
    matrix: String,
    services: Vec<ServiceView>,
    sources: Vec<SourceView>,
}

#[derive(Serialize)]
struct ServiceView {
    id: String,
    name: String,
    model: String,
    category: Option<String>,
    /// The project's reason, for a service declared in `audit.toml`.
    declared: Option<String>,
    note: Option<String>,
    overrides: Vec<OverrideView>,
    /// The provider's reports and agreements whose published scope lists it.
    attested_by: Vec<String>,
    /// Kind of id (terraform, asff, prowler, arm, asset) to the ids.
    ids: std::collections::BTreeMap<String, Vec<String>>,
}

#[derive(Serialize)]
struct OverrideView {
    layer: String,
    owner: String,
    reason: String,
    source: String,
}

#[derive(Serialize)]
struct SourceView {
    id: String,
    document: String,
}

fn view(provider: &Provider) -> ProviderView {
    // Every document the file lists (its rows cite them too), and whatever overrides cite.
    let mut cited: std::collections::BTreeSet<String> =
        provider.sources.iter().map(|s| s.id.clone()).collect();
    let services = provider
        .services
        .iter()
        .map(|s| {
            let mut v = service_view(s);
            v.attested_by = provider
                .attestations
                .iter()
                .filter(|a| a.covers(&s.id))
                .map(|a| a.id.clone())
                .collect();
            cited.extend(v.overrides.iter().map(|o| o.source.clone()));
            v
        })
        .collect();
    ProviderView {
        provider: provider.id.clone(),
        name: provider.name.clone(),
        matrix: format!("{} ({})", provider.matrix.name, provider.matrix.version),
        services,
        sources: cited
            .into_iter()
            .filter(|id| !id.is_empty())
            .map(|id| SourceView {
                document: provider.document(&id),
                id,
            })
            .collect(),
    }
}

fn service_view(service: &Service) -> ServiceView {
    ServiceView {
        id: service.id.clone(),
        name: service.name.clone(),
        model: service.model.name().to_string(),
        category: service.category.map(|c| c.id().to_string()),
        declared: service.declared.clone(),
        note: service.note.clone(),
        overrides: service
            .overrides
            .iter()
            .map(|o| OverrideView {
                layer: o.layer.id().to_string(),
                owner: o.owner.id().to_string(),
                reason: o.reason.clone(),
                source: o.source.clone().unwrap_or_default(),
            })
            .collect(),
        attested_by: Vec::new(),
        ids: IdKind::ALL
            .iter()
            .filter(|&&k| !service.ids.of(k).is_empty())
            .map(|&k| (k.name().to_string(), service.ids.of(k).to_vec()))
            .collect(),
    }
}

/// One block per service, then the documents their overrides cite.
fn text(view: &ProviderView) -> String {
    let mut out = format!(
        "{} ({}): {} services; rows from {}\n",
        view.name,
        view.provider,
        view.services.len(),
        view.matrix
    );
    for s in &view.services {
        let category = s
            .category
            .as_ref()
            .map(|c| format!(", {c}"))
            .unwrap_or_default();
        out.push_str(&format!(
            "\n{}  {}  [{}{category}]\n",
            s.id, s.name, s.model
        ));
        if let Some(reason) = &s.declared {
            out.push_str(&format!("  declared by the project: {reason}\n"));
        }
        if let Some(note) = &s.note {
            out.push_str(&format!("  {note}\n"));
        }
        if s.overrides.is_empty() {
            out.push_str(&format!("  every layer as the {} row\n", s.model));
        }
        for o in &s.overrides {
            out.push_str(&format!(
                "  {}: {} [{}] {}\n",
                o.layer, o.owner, o.source, o.reason
            ));
        }
        match s.attested_by.is_empty() {
            true => out.push_str("  in the scope of none of the provider's reports: what it inherits shows as inherited-unattested\n"),
            false => out.push_str(&format!("  in the scope of: {}\n", s.attested_by.join(", "))),
        }
        for (kind, ids) in &s.ids {
            out.push_str(&format!("  {kind}: {}\n", ids.join(", ")));
        }
    }
    out.push_str("\nsources of the rows and overrides\n");
    for source in &view.sources {
        out.push_str(&format!("  [{}] {}\n", source.id, source.document));
    }
    out
}

fn csv(view: &ProviderView) -> Result<String> {
    let mut header = vec![
        "id",
        "name",
        "model",
        "category",
        "declared",
        "overrides",
        "attested by",
        "note",
    ];
    header.extend(IdKind::ALL.iter().map(|k| k.name()));
    let rows: Vec<Vec<String>> = view
        .services
        .iter()
        .map(|s| {
            let overrides: Vec<String> = s
                .overrides
                .iter()
                .map(|o| format!("{}={} [{}]", o.layer, o.owner, o.source))
                .collect();
            let mut row = vec![
                s.id.clone(),
                s.name.clone(),
                s.model.clone(),
                s.category.clone().unwrap_or_default(),
                s.declared.clone().unwrap_or_default(),
                overrides.join("; "),
                s.attested_by.join(" "),
                s.note.clone().unwrap_or_default(),
            ];
            row.extend(
                IdKind::ALL
                    .iter()
                    .map(|k| s.ids.get(k.name()).map(|v| v.join(" ")).unwrap_or_default()),
            );
            row
        })
        .collect();
    tabulate(&header, &rows, TableFormat::Csv)
}
