//! Model: tabletop exercises. Each incident scenario is instantiated over the
//! estate: for each response phase, who owns it (derived from the same layer
//! owners as the controls), who is named for it, and whether the controls behind
//! it are ready.

use crate::model::audit::{Audit, ControlAudit};
use crate::model::layer::{Layer, Owner, Responsibility, ServiceModel};
use crate::model::library::{COMMON, Library};
use crate::model::responsibility::{ORGANIZATION, ScopedService, Unit, derive_layers};
use crate::model::site::SiteAsset;
use crate::model::status::Status;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The incident scenarios shipped in `frameworks/scenarios.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioCatalog {
    pub version: String,
    pub scenarios: Vec<Scenario>,
}

/// One incident, what it needs in the estate to apply, and its response phases.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub id: String,
    pub title: String,
    pub summary: String,
    /// What the estate must have for the scenario to apply, in words.
    pub needs: String,
    /// Cloud services of these service models are affected.
    #[serde(default)]
    pub models: Vec<ServiceModel>,
    /// Only these services (any provider) are affected.
    #[serde(default)]
    pub services: Vec<String>,
    /// Only services that have this layer (a cluster's orchestration layers).
    #[serde(default)]
    pub layer: Option<Layer>,
    /// Sites holding any of these are affected.
    #[serde(default)]
    pub site_assets: Vec<SiteAsset>,
    /// The vendors the organization relies on are affected.
    #[serde(default)]
    pub vendors: bool,
    /// Applies to any organization, whatever its estate.
    #[serde(default)]
    pub organization: bool,
    /// The layers the incident crosses.
    pub layers: Vec<Layer>,
    /// Where the facts it rests on come from.
    pub source: String,
    pub phases: Vec<PhasePlan>,
}

/// One phase of the response to a scenario, as the catalog plans it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhasePlan {
    pub phase: Phase,
    /// The layers whose owners own this phase.
    pub layers: Vec<Layer>,
    /// The question to put to the room.
    pub question: String,
    /// Common controls whose evidence shows readiness.
    #[serde(default)]
    pub common: Vec<String>,
    /// Scanner checks that show readiness (`prowler:CHECK_ID`).
    #[serde(default)]
    pub checks: Vec<String>,
    /// Per framework id, the controls behind this phase.
    pub controls: BTreeMap<String, Vec<String>>,
}

/// A phase of incident response (NIST SP 800-61), with notification as its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    Detect,
    Contain,
    Eradicate,
    Recover,
    Notify,
}

impl Phase {
    /// Every phase, in the order a response runs.
    pub const ALL: [Phase; 5] = [
        Phase::Detect,
        Phase::Contain,
        Phase::Eradicate,
        Phase::Recover,
        Phase::Notify,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Phase::Detect => "detect",
            Phase::Contain => "contain",
            Phase::Eradicate => "eradicate",
            Phase::Recover => "recover",
            Phase::Notify => "notify",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Phase::Detect => "detect",
            Phase::Contain => "contain",
            Phase::Eradicate => "eradicate / remediate",
            Phase::Recover => "recover",
            Phase::Notify => "notify",
        }
    }
}

impl ScenarioCatalog {
    /// Problems with the catalog against the library: every id must resolve.
    pub fn check(&self, library: &Library) -> Vec<String> {
        let mut problems = Vec::new();
        let mut seen = BTreeSet::new();
        let services: BTreeSet<&str> = library
            .providers
            .iter()
            .flat_map(|p| p.services.iter().map(|s| s.id.as_str()))
            .collect();
        for s in &self.scenarios {
            if !seen.insert(s.id.as_str()) {
                problems.push(format!("scenario {} is declared twice", s.id));
            }
            for service in &s.services {
                if !services.contains(service.as_str()) {
                    problems.push(format!(
                        "scenario {}: no provider has a service {service}",
                        s.id
                    ));
                }
            }
            let phases: Vec<Phase> = s.phases.iter().map(|p| p.phase).collect();
            if phases != Phase::ALL {
                problems.push(format!(
                    "scenario {}: expected the phases detect, contain, eradicate, recover, notify, in that order",
                    s.id
                ));
            }
            for plan in &s.phases {
                let at = format!("scenario {} phase {}", s.id, plan.phase.id());
                if plan.layers.is_empty() {
                    problems.push(format!("{at}: names no layer"));
                }
                for id in &plan.common {
                    if resolve(library, COMMON, id).is_none() {
                        problems.push(format!("{at}: no common control {id}"));
                    }
                }
                for (framework, ids) in &plan.controls {
                    if library.catalog_index(framework).is_none() {
                        problems.push(format!("{at}: no framework {framework}"));
                        continue;
                    }
                    for id in ids {
                        if resolve(library, framework, id).is_none() {
                            problems.push(format!("{at}: {framework} has no control {id}"));
                        }
                    }
                }
                for check in &plan.checks {
                    if !check.starts_with("prowler:") {
                        problems.push(format!("{at}: check {check} names no scanner"));
                    }
                }
            }
        }
        problems
    }
}

/// A control of a catalog by its id, exactly as written.
fn resolve<'a>(
    library: &'a Library,
    framework: &str,
    id: &str,
) -> Option<&'a crate::model::catalog::Control> {
    let catalog = &library.catalogs[library.catalog_index(framework)?];
    catalog.controls.iter().find(|c| c.id == id)
}

/// The exercise for one project at its as-of date.
#[derive(Debug, Clone, Serialize)]
pub struct Tabletop {
    pub organization: String,
    pub as_of: chrono::NaiveDate,
    /// The frameworks whose controls decide readiness.
    pub frameworks: Vec<String>,
    pub catalog_version: String,
    pub scenarios: Vec<ScenarioRun>,
}

/// One scenario over the estate.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioRun {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub source: String,
    pub layers: Vec<Layer>,
    pub applies: bool,
    /// Why it does not apply, when it does not.
    pub not_applicable_reason: Option<String>,
    /// The parts of the estate it reaches.
    pub affected: Vec<String>,
    pub phases: Vec<PhaseRun>,
}

/// Who owns a phase, derived from the owners of its layers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PhaseOwner {
    Provider,
    Vendor,
    Shared,
    Customer,
}

impl PhaseOwner {
    pub fn id(self) -> &'static str {
        match self {
            PhaseOwner::Provider => "provider",
            PhaseOwner::Vendor => "vendor",
            PhaseOwner::Shared => "shared",
            PhaseOwner::Customer => "customer",
        }
    }
}

/// Whether the controls behind a phase show the organization can carry it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Readiness {
    Ready,
    Gap,
}

/// One phase of one scenario over the estate.
#[derive(Debug, Clone, Serialize)]
pub struct PhaseRun {
    pub phase: Phase,
    pub layers: Vec<Layer>,
    pub question: String,
    /// `None` where nothing in scope runs the phase's layers.
    pub owner: Option<PhaseOwner>,
    pub rationale: String,
    /// Per part of the estate (and the organization itself), who owns the phase's layers there.
    pub by_part: Vec<PartOwner>,
    /// The people `[owners]` names for the phase's controls.
    pub named_owners: Vec<String>,
    pub readiness: Readiness,
    pub controls: Vec<PhaseControl>,
    /// What keeps the phase from being ready, one line each.
    pub gaps: Vec<String>,
    pub common: Vec<CommonRef>,
    pub checks: Vec<String>,
}

/// Who owns one layer of a phase for one part of the estate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartOwner {
    pub part: String,
    pub layer: Layer,
    pub owner: String,
}

/// A framework control behind a phase, with its status in this audit.
#[derive(Debug, Clone, Serialize)]
pub struct PhaseControl {
    pub framework: String,
    pub id: String,
    pub title: String,
    pub status: Status,
    pub status_reason: String,
    pub owner: Option<String>,
}

/// A common control whose evidence shows the phase is ready.
#[derive(Debug, Clone, Serialize)]
pub struct CommonRef {
    pub id: String,
    pub title: String,
}

impl Readiness {
    pub fn id(self) -> &'static str {
        match self {
            Readiness::Ready => "ready",
            Readiness::Gap => "gap",
        }
    }
}

impl PhaseRun {
    /// `framework id: status` for each counted control behind the phase that is not
    /// ready, and a line when no control stands behind it at all.
    pub fn gap_controls(&self) -> Vec<String> {
        let counted = self
            .controls
            .iter()
            .filter(|c| c.status != Status::NotApplicable);
        let mut gaps: Vec<String> = counted
            .clone()
            .filter(|c| !is_ready(c.status))
            .map(|c| format!("{} {}: {}", c.framework, c.id, c.status.label()))
            .collect();
        if counted.count() == 0 {
            gaps.push("no control in scope".to_string());
        }
        gaps
    }
}

/// The controls whose tests a tabletop exercise held is evidence for, by framework:
/// HIPAA's contingency-plan testing, PCI DSS's annual test of the incident response
/// plan, ISO 27001's incident management controls, SOC 2's response and recovery
/// criteria and CIS's incident response exercises (issue 19 names these).
pub const EXERCISE_CONTROLS: &[(&str, &str)] = &[
    ("hipaa", "164.308(a)(7)(ii)(D)"),
    ("pci-dss", "12.10.2"),
    ("iso27001", "A.5.24"),
    ("iso27001", "A.5.25"),
    ("iso27001", "A.5.26"),
    ("iso27001", "A.5.27"),
    ("soc2", "CC7.4"),
    ("soc2", "CC7.5"),
    ("cis", "17.7"),
];

impl Tabletop {
    /// The `Controls` cell of an evidence row that records an exercise held: the
    /// exercise controls of the frameworks in scope, each with its framework prefix.
    pub fn exercise_references(&self) -> String {
        let references: Vec<String> = EXERCISE_CONTROLS
            .iter()
            .filter(|(f, _)| self.frameworks.iter().any(|x| x == f))
            .map(|(f, id)| format!("{f}:{id}"))
            .collect();
        references.join("; ")
    }

    /// Every applicable scenario's phases are ready.
    pub fn ready(&self) -> bool {
        self.scenarios
            .iter()
            .filter(|s| s.applies)
            .all(|s| s.phases.iter().all(|p| p.readiness == Readiness::Ready))
    }
}

/// The parts of the estate an exercise runs over: every service in the
/// inventory (whatever its tags: an incident does not read them), every site and vendor.
pub fn estate<'a>(audit: &'a Audit, library: &'a Library) -> Vec<Unit<'a>> {
    let mut units: Vec<Unit> = Vec::new();
    for item in &audit.inventory {
        let Some(provider) = library.provider(&item.provider) else {
            continue;
        };
        let Some(service) = provider.service(&item.service) else {
            continue;
        };
        let seen = units.iter().any(|u| {
            matches!(u, Unit::Service(s) if s.provider.id == provider.id && s.service.id == service.id)
        });
        if !seen {
            units.push(Unit::Service(ScopedService { provider, service }));
        }
    }
    units.extend(audit.sites.iter().map(Unit::Site));
    units.extend(audit.vendors.iter().map(Unit::Vendor));
    units
}

/// Every scenario of the catalog over the whole estate.
pub fn run_all(catalog: &ScenarioCatalog, audit: &Audit, library: &Library) -> Tabletop {
    let scenarios: Vec<&Scenario> = catalog.scenarios.iter().collect();
    let units = estate(audit, library);
    run_tabletop(catalog, &scenarios, audit, library, &units)
}

/// Instantiate `scenarios` over the estate and the audit's control statuses.
pub fn run_tabletop(
    catalog: &ScenarioCatalog,
    scenarios: &[&Scenario],
    audit: &Audit,
    library: &Library,
    units: &[Unit],
) -> Tabletop {
    Tabletop {
        organization: audit.organization.clone(),
        as_of: audit.as_of,
        frameworks: audit.frameworks.iter().map(|f| f.id.clone()).collect(),
        catalog_version: catalog.version.clone(),
        scenarios: scenarios
            .iter()
            .map(|s| run_scenario(s, audit, library, units))
            .collect(),
    }
}

fn affects(scenario: &Scenario, unit: &Unit) -> bool {
    match unit {
        Unit::Service(s) => {
            let selective = !scenario.models.is_empty()
                || !scenario.services.is_empty()
                || scenario.layer.is_some();
            selective
                && (scenario.models.is_empty() || scenario.models.contains(&s.service.model))
                && (scenario.services.is_empty() || scenario.services.contains(&s.service.id))
                && scenario
                    .layer
                    .is_none_or(|l| s.provider.owner(s.service, l).is_some())
        }
        Unit::Site(site) => site.holds.iter().any(|a| scenario.site_assets.contains(a)),
        Unit::Vendor(_) => scenario.vendors,
    }
}

fn run_scenario(
    scenario: &Scenario,
    audit: &Audit,
    library: &Library,
    units: &[Unit],
) -> ScenarioRun {
    let affected: Vec<Unit> = units
        .iter()
        .filter(|u| affects(scenario, u))
        .copied()
        .collect();
    let applies = scenario.organization || !affected.is_empty();
    let not_applicable_reason = (!applies).then(|| {
        let names: Vec<String> = units.iter().map(Unit::name).collect();
        let estate = match names.is_empty() {
            true => "the estate has no services, sites or vendors".to_string(),
            false => format!("none of {} is one", names.join(", ")),
        };
        format!("not applicable: needs {}; {estate}", scenario.needs)
    });
    let phases = match applies {
        true => scenario
            .phases
            .iter()
            .map(|plan| run_phase(plan, &affected, audit, library))
            .collect(),
        false => Vec::new(),
    };
    ScenarioRun {
        id: scenario.id.clone(),
        title: scenario.title.clone(),
        summary: scenario.summary.clone(),
        source: scenario.source.clone(),
        layers: scenario.layers.clone(),
        applies,
        not_applicable_reason,
        affected: affected.iter().map(Unit::name).collect(),
        phases,
    }
}

fn run_phase(plan: &PhasePlan, affected: &[Unit], audit: &Audit, library: &Library) -> PhaseRun {
    let derivation = derive_layers(&plan.layers, affected);
    let all_vendors = !derivation.provided.is_empty()
        && derivation
            .provided
            .iter()
            .all(|p| p.provider.starts_with(crate::model::vendors::VENDOR_PREFIX));
    let owner = derivation.responsibility.map(|r| match r {
        Responsibility::Inherited if all_vendors => PhaseOwner::Vendor,
        Responsibility::Inherited => PhaseOwner::Provider,
        Responsibility::Shared => PhaseOwner::Shared,
        Responsibility::Customer => PhaseOwner::Customer,
    });
    let mut by_part = Vec::new();
    for &layer in &plan.layers {
        if layer.is_organizational() {
            by_part.push(PartOwner {
                part: ORGANIZATION.to_string(),
                layer,
                owner: Owner::Customer.id().to_string(),
            });
        }
        for unit in affected {
            if let Some((_, label)) = unit.owner(layer) {
                by_part.push(PartOwner {
                    part: unit.name(),
                    layer,
                    owner: label,
                });
            }
        }
    }
    let mut controls = Vec::new();
    let mut gaps = Vec::new();
    for framework in &audit.frameworks {
        for id in plan.controls.get(&framework.id).into_iter().flatten() {
            match framework.controls.iter().find(|c| &c.id == id) {
                Some(c) => controls.push(phase_control(&framework.id, c)),
                None => gaps.push(format!(
                    "{} {id} is not in the project's {} catalog",
                    framework.id, framework.name
                )),
            }
        }
    }
    let counted: Vec<&PhaseControl> = controls
        .iter()
        .filter(|c| c.status != Status::NotApplicable)
        .collect();
    for c in &counted {
        if !is_ready(c.status) {
            gaps.push(format!(
                "{} {} {}: {}",
                c.framework,
                c.id,
                c.status.label(),
                c.status_reason
            ));
        }
    }
    if counted.is_empty() {
        gaps.push("no control of the frameworks in scope stands behind this phase".to_string());
    }
    let mut named_owners: Vec<String> = Vec::new();
    for c in &counted {
        if let Some(o) = &c.owner
            && !named_owners.contains(o)
        {
            named_owners.push(o.clone());
        }
    }
    let common = plan
        .common
        .iter()
        .map(|id| CommonRef {
            id: id.clone(),
            title: resolve(library, COMMON, id).map_or_else(String::new, |c| c.title.clone()),
        })
        .collect();
    PhaseRun {
        phase: plan.phase,
        layers: plan.layers.clone(),
        question: plan.question.clone(),
        owner,
        rationale: derivation.rationale,
        by_part,
        named_owners,
        readiness: match gaps.is_empty() {
            true => Readiness::Ready,
            false => Readiness::Gap,
        },
        controls,
        gaps,
        common,
        checks: plan.checks.clone(),
    }
}

/// Met at the as-of date, or an approved deviation the organization has accepted.
fn is_ready(status: Status) -> bool {
    status.is_covered() || status == Status::Exception
}

fn phase_control(framework: &str, c: &ControlAudit) -> PhaseControl {
    PhaseControl {
        framework: framework.to_string(),
        id: c.id.clone(),
        title: c.title.clone(),
        status: c.status,
        status_reason: c.status_reason.clone(),
        owner: c.owner.clone(),
    }
}
