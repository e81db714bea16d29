//! Model: framework control catalogs, as shipped in `frameworks/`.

use crate::model::layer::Layer;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One framework's catalog of controls.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    pub id: String,
    pub name: String,
    pub version: String,
    pub publisher: String,
    /// How evidence spreadsheets name the framework (`HIPAA`, `SOC2`, ...).
    #[serde(default)]
    pub prefixes: Vec<String>,
    /// How scanners name the framework (`HIPAA`, `ISO27001-2022`, `PCI-4.0`).
    #[serde(default)]
    pub scanner_keys: Vec<String>,
    /// Only inventory services carrying this tag are in scope.
    #[serde(default)]
    pub scope_tag: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    pub families: Vec<Family>,
    pub controls: Vec<Control>,
}

/// A group of controls (HIPAA section, SOC 2 category, ISO theme, ...).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Family {
    pub id: String,
    pub name: String,
    /// The layers a control of this family usually touches.
    pub layers: Vec<Layer>,
    #[serde(default)]
    pub parent: Option<String>,
}

/// One control of a framework.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Control {
    pub id: String,
    pub title: String,
    pub family: String,
    pub description: String,
    pub layers: Vec<Layer>,
    /// Why the layers differ from the family's, where they do.
    #[serde(default)]
    pub layers_reason: Option<String>,
    /// How often the evidence must be renewed, in days.
    #[serde(default)]
    pub cadence_days: Option<u32>,
    /// The longest time the control allows for its action (revoke access,
    /// report an incident, ...) as the standard states it, in hours; 0 means
    /// immediately.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_bound_hours: Option<u32>,
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    /// On common controls: the framework controls this one serves.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
}

/// A common control's link to one framework control.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub framework: String,
    pub control: String,
    pub relationship: Relationship,
    /// Why the framework control asks for the same thing (equivalent) or for
    /// part of what the common control does (subset); required for both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Link {
    /// The reason, when it says something.
    pub fn reason(&self) -> Option<&str> {
        self.reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
    }
}

/// How much of the framework control a common control covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Relationship {
    /// Both ask for the same thing.
    Equivalent,
    /// The framework control asks for part of what the common control does.
    Subset,
    /// They overlap; the framework control asks for more or other things.
    Intersects,
}

impl Relationship {
    /// Evidence of the common control fully meets the framework control.
    pub fn is_full(self) -> bool {
        matches!(self, Relationship::Equivalent | Relationship::Subset)
    }

    pub fn id(self) -> &'static str {
        match self {
            Relationship::Equivalent => "equivalent",
            Relationship::Subset => "subset",
            Relationship::Intersects => "intersects",
        }
    }
}

impl Catalog {
    pub fn family(&self, id: &str) -> Option<&Family> {
        self.families.iter().find(|f| f.id == id)
    }

    pub fn control(&self, id: &str) -> Option<&Control> {
        self.controls.iter().find(|c| c.id == id)
    }

    /// The top-level family a control belongs to (its family's root).
    pub fn top_family(&self, family_id: &str) -> Option<&Family> {
        let mut family = self.family(family_id)?;
        // Bounded walk: a cycle in data must not hang the tool.
        for _ in 0..self.families.len() {
            match family.parent.as_deref().and_then(|p| self.family(p)) {
                Some(parent) => family = parent,
                None => break,
            }
        }
        Some(family)
    }

    /// Problems that make the catalog unusable: duplicate ids, unknown families,
    /// layer choices that differ from the family's without a reason, equivalent
    /// or subset links without a reason.
    pub fn check(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for family in &self.families {
            if !seen.insert(("family", family.id.as_str())) {
                problems.push(format!("family {} is defined twice", family.id));
            }
            if let Some(parent) = &family.parent
                && self.family(parent).is_none()
            {
                problems.push(format!(
                    "family {} names unknown parent {parent}",
                    family.id
                ));
            }
        }
        for control in &self.controls {
            if !seen.insert(("control", control.id.as_str())) {
                problems.push(format!("control {} is defined twice", control.id));
            }
            if control.layers.is_empty() {
                problems.push(format!("control {} touches no layer", control.id));
            }
            match self.family(&control.family) {
                None => problems.push(format!(
                    "control {} names unknown family {}",
                    control.id, control.family
                )),
                Some(family) => {
                    let differs = sorted(&family.layers) != sorted(&control.layers);
                    let has_reason = control
                        .layers_reason
                        .as_deref()
                        .is_some_and(|r| !r.trim().is_empty());
                    if differs && !has_reason {
                        problems.push(format!(
                            "control {} touches other layers than family {} but gives no layers_reason",
                            control.id, family.id
                        ));
                    }
                }
            }
            for link in &control.links {
                if link.relationship.is_full() && link.reason().is_none() {
                    problems.push(format!(
                        "common control {} links to {} {} as {} but gives no reason; say why, or make it intersects",
                        control.id,
                        link.framework,
                        link.control,
                        link.relationship.id()
                    ));
                }
            }
        }
        problems
    }
}

fn sorted(layers: &[Layer]) -> Vec<Layer> {
    let mut layers = layers.to_vec();
    layers.sort();
    layers.dedup();
    layers
}
