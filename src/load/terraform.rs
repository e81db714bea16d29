//! Load: `terraform show -json` output (a state or a plan) read into the managed
//! resources it declares, child modules included. Only the few attributes an
//! inventory needs are kept (type, address, tags, two attributes that decide a
//! service); every other attribute is skipped as it is parsed, so a 50 MB state
//! costs the memory of its resource list, not of a JSON tree.
//!
//! A state's resources are under `values.root_module`; a plan's under
//! `planned_values.root_module` (what exists once the plan is applied). A plan's
//! `resource_changes`, `prior_state` and `configuration` are not read: the
//! planned values already hold every resource that will exist. Data sources
//! (`mode = "data"`) are lookups, not inventory, and are skipped.

use crate::diag::Problem;
use crate::load::json_stream::json_problem;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::io::{BufReader, Read};
use std::path::Path;

/// One managed resource, as far as an inventory reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerraformResource {
    /// `module.db.aws_db_instance.main`.
    pub address: String,
    /// `aws_db_instance`.
    pub resource_type: String,
    /// The module path: `["db"]` for `module.db`, empty at the root.
    pub modules: Vec<String>,
    /// Tags (AWS, Azure) or labels (Google), string values only.
    pub tags: BTreeMap<String, String>,
    /// Attributes that decide between services of one type: `launch_type`
    /// (`aws_ecs_service`) and `enable_autopilot` (`google_container_cluster`).
    pub selectors: BTreeMap<String, String>,
}

/// What one `terraform show -json` file holds.
#[derive(Debug, Default)]
pub struct TerraformRead {
    pub resources: Vec<TerraformResource>,
    /// Data sources skipped, counted.
    pub data_sources: u64,
    /// Whether the file is a plan (else a state).
    pub plan: bool,
}

#[derive(Deserialize)]
struct ShowJson {
    #[serde(default)]
    values: Option<Values>,
    #[serde(default)]
    planned_values: Option<Values>,
}

#[derive(Deserialize)]
struct Values {
    #[serde(default)]
    root_module: Option<Module>,
}

#[derive(Deserialize)]
struct Module {
    #[serde(default)]
    address: Option<String>,
    #[serde(default)]
    resources: Vec<Resource>,
    #[serde(default)]
    child_modules: Vec<Module>,
}

#[derive(Deserialize)]
struct Resource {
    #[serde(default)]
    address: String,
    #[serde(default)]
    mode: String,
    #[serde(rename = "type", default)]
    resource_type: String,
    #[serde(default)]
    values: Option<Attributes>,
}

/// The attributes read; all others are skipped without being kept.
#[derive(Deserialize, Default)]
struct Attributes {
    #[serde(default)]
    tags: Option<BTreeMap<String, serde_json::Value>>,
    #[serde(default)]
    labels: Option<BTreeMap<String, serde_json::Value>>,
    #[serde(default)]
    launch_type: Option<serde_json::Value>,
    #[serde(default)]
    enable_autopilot: Option<serde_json::Value>,
}

/// Read `terraform show -json` output from `file`; `relative` names it in errors.
pub fn read_terraform(file: impl Read, relative: &Path) -> Result<TerraformRead, Problem> {
    let reader = BufReader::with_capacity(1 << 20, file);
    let mut de = serde_json::Deserializer::from_reader(reader);
    let show = ShowJson::deserialize(&mut de)
        .and_then(|s| de.end().map(|()| s))
        .map_err(|e| json_problem(relative, &e))?;
    let plan = show.values.is_none() && show.planned_values.is_some();
    let root = show
        .values
        .or(show.planned_values)
        .and_then(|v| v.root_module);
    let mut read = TerraformRead {
        plan,
        ..TerraformRead::default()
    };
    if let Some(root) = root {
        collect(root, &mut read);
    }
    Ok(read)
}

fn collect(module: Module, read: &mut TerraformRead) {
    let modules = module_path(module.address.as_deref().unwrap_or(""));
    for resource in module.resources {
        if resource.mode == "data" {
            read.data_sources += 1;
            continue;
        }
        if resource.resource_type.is_empty() {
            continue;
        }
        let attributes = resource.values.unwrap_or_default();
        let tags = strings(attributes.tags.or(attributes.labels));
        let mut selectors = BTreeMap::new();
        for (name, value) in [
            ("launch_type", attributes.launch_type),
            ("enable_autopilot", attributes.enable_autopilot),
        ] {
            if let Some(text) = value.and_then(scalar) {
                selectors.insert(name.to_string(), text);
            }
        }
        read.resources.push(TerraformResource {
            address: resource.address,
            resource_type: resource.resource_type,
            modules: modules.clone(),
            tags,
            selectors,
        });
    }
    for child in module.child_modules {
        collect(child, read);
    }
}

/// `module.app.module.db` → `["app", "db"]`; `module.x["a"]` keeps its key.
fn module_path(address: &str) -> Vec<String> {
    let mut path = Vec::new();
    let mut rest = address;
    while let Some(after) = rest.strip_prefix("module.") {
        let end = after.find(".module.").unwrap_or(after.len());
        path.push(after[..end].to_string());
        rest = &after[end..];
        rest = rest.strip_prefix('.').unwrap_or(rest);
    }
    path
}

fn strings(map: Option<BTreeMap<String, serde_json::Value>>) -> BTreeMap<String, String> {
    map.unwrap_or_default()
        .into_iter()
        .filter_map(|(k, v)| scalar(v).map(|v| (k, v)))
        .collect()
}

fn scalar(value: serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_paths_split_on_module_segments() {
        assert_eq!(module_path(""), Vec::<String>::new());
        assert_eq!(module_path("module.db"), ["db"]);
        assert_eq!(module_path("module.app.module.db"), ["app", "db"]);
        assert_eq!(module_path("module.x[\"a\"].module.y"), ["x[\"a\"]", "y"]);
    }

    #[test]
    fn data_sources_are_counted_not_kept() {
        let json = r#"{"values":{"root_module":{"resources":[
            {"address":"data.aws_ami.x","mode":"data","type":"aws_ami","values":{}},
            {"address":"aws_instance.web","mode":"managed","type":"aws_instance",
             "values":{"tags":{"app":"portal","n":null},"ami":"ami-1"}}]}}}"#;
        let read = read_terraform(json.as_bytes(), Path::new("s.json")).unwrap();
        assert_eq!(read.data_sources, 1);
        assert_eq!(read.resources.len(), 1);
        assert_eq!(read.resources[0].tags.len(), 1, "a null tag has no value");
    }
}
