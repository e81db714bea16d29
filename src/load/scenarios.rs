//! Load: the incident scenarios for tabletop exercises, embedded in the binary.

use crate::diag::{Location, Problem};
use crate::error::{Error, Result};
use crate::model::library::Library;
use crate::model::tabletop::ScenarioCatalog;
use std::path::Path;

/// The scenarios shipped with the tool.
pub const BUILTIN_SCENARIOS: &str = include_str!("../../frameworks/scenarios.toml");

/// Parse the shipped scenarios and check every id they name against `library`.
pub fn load_scenarios(library: &Library) -> Result<ScenarioCatalog> {
    let path = Path::new("frameworks/scenarios.toml");
    let catalog: ScenarioCatalog = toml::from_str(BUILTIN_SCENARIOS).map_err(|e| {
        let location = match e.span() {
            Some(span) => Location::in_text(path, BUILTIN_SCENARIOS, span.start),
            None => Location::file(path),
        };
        Error::Problems(vec![Problem::new(
            location,
            e.message().trim_end().to_string(),
        )])
    })?;
    let problems: Vec<Problem> = catalog
        .check(library)
        .into_iter()
        .map(|m| Problem::new(Location::file(path), m))
        .collect();
    match problems.is_empty() {
        true => Ok(catalog),
        false => Err(Error::Problems(problems)),
    }
}
