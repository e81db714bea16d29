//! Load: the providers' own advisors, read as findings: AWS Trusted Advisor check
//! results (`aws support describe-trusted-advisor-check-result`, one or a list), Azure
//! Advisor recommendations (`az advisor recommendation list`, or the REST `value`), and
//! Google Cloud Recommender recommendations (`gcloud recommender recommendations list
//! --format=json`). Only security advice is evidence: cost, performance and reliability
//! items are read, counted and set aside with their category as the reason.

use crate::diag::{Location, Problem};
use crate::load::cloud_ids::{
    arm_type, element_as, project_of, resource_label, subscription_of, without_bom,
};
use crate::load::findings::{
    FindingsRead, Latest, RECOMMENDATION_KEY, ScanFormat, ScanStatus, Severity, opt_string,
    parse_timestamp,
};
use crate::load::json_stream::{CountingReader, json_problem, stream_json};
use crate::progress::Progress;
use serde::Deserialize;
use std::io::{BufReader, Read};
use std::path::Path;

// ---- AWS Trusted Advisor ----

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CheckResult {
    #[serde(default, deserialize_with = "opt_string")]
    check_id: Option<String>,
    /// Not in the API's result; present where the check list was merged in.
    #[serde(default, deserialize_with = "opt_string")]
    category: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    name: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    timestamp: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    status: Option<String>,
    #[serde(default)]
    flagged_resources: Option<Vec<FlaggedResource>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FlaggedResource {
    #[serde(default, deserialize_with = "opt_string")]
    status: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    region: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    resource_id: Option<String>,
    #[serde(default)]
    is_suppressed: Option<bool>,
}

/// Read Trusted Advisor check results: `{"result": {...}}` as the CLI writes it, or a
/// list of those or of bare results. These files hold a check or a few; read whole.
pub fn read_trusted_advisor(
    file: impl Read,
    _size: u64,
    relative: &Path,
) -> Result<FindingsRead, Problem> {
    let mut read = FindingsRead::new(relative.to_path_buf(), ScanFormat::TrustedAdvisor);
    let input = without_bom(file).map_err(|e| {
        Problem::new(
            Location::file(relative),
            format!("failed to read the file ({e})"),
        )
    })?;
    let mut de = serde_json::Deserializer::from_reader(BufReader::new(input));
    let whole = serde_json::Value::deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v))
        .map_err(|e| json_problem(relative, &e))?;
    let results = match whole {
        serde_json::Value::Array(items) => items,
        one @ serde_json::Value::Object(_) => vec![one],
        _ => {
            return Err(Problem::new(
                Location::file(relative),
                "not Trusted Advisor output: expected an object with \"result\" or a list of check results",
            ));
        }
    };
    for (index, mut item) in results.into_iter().enumerate() {
        let at = Location::Element {
            path: relative.to_path_buf(),
            index: index as u64 + 1,
        };
        if let Some(inner) = item.get_mut("result").map(serde_json::Value::take) {
            item = inner;
        }
        match element_as::<CheckResult>(item) {
            Ok(result) => fold_trusted_advisor(result, at, &mut read),
            Err(why) => read.drop_finding(at, why),
        }
    }
    read.finish();
    Ok(read)
}

fn fold_trusted_advisor(result: CheckResult, at: Location, read: &mut FindingsRead) {
    let Some(check_id) = result.check_id.filter(|c| !c.trim().is_empty()) else {
        read.drop_finding(at, "no check id (checkId)");
        return;
    };
    let flagged = result.flagged_resources.unwrap_or_default();
    let items = flagged.len().max(1);
    if let Some(category) = result.category.as_deref().filter(|c| !is_security(c)) {
        for _ in 0..items {
            read.set_aside(&format!(
                "Trusted Advisor category {category}: not a security check"
            ));
        }
        return;
    }
    let status = result.status.unwrap_or_default();
    if status.trim().eq_ignore_ascii_case("not_available") {
        read.set_aside("Trusted Advisor check not available for the account");
        return;
    }
    let time = result
        .timestamp
        .as_deref()
        .and_then(parse_timestamp)
        .unwrap_or(0);
    let check = read.check(check_id.trim(), result.name.as_deref().unwrap_or(""));
    if flagged.is_empty() {
        // No resource flagged: the check's status covers the account.
        let latest = advisor_latest(time, &status, false);
        read.record(check, "the account (no resource flagged)", latest);
        return;
    }
    for resource in flagged {
        let Some(id) = resource.resource_id.filter(|r| !r.trim().is_empty()) else {
            read.drop_finding(at.clone(), "a flagged resource without resourceId");
            continue;
        };
        let region = resource.region.map(|r| format!("region {r}"));
        let label = resource_label(&id, None, region.as_deref());
        let status = resource.status.unwrap_or_else(|| status.clone());
        let latest = advisor_latest(time, &status, resource.is_suppressed.unwrap_or(false));
        read.record(check, &label, latest);
    }
}

/// `ok` passes; `warning` and `error` fail (error worse); anything else is not assessed.
fn advisor_latest(time: i64, status: &str, muted: bool) -> Latest {
    let (status, severity) = match status.trim().to_ascii_lowercase().as_str() {
        "ok" => (ScanStatus::Pass, Severity(0)),
        "warning" => (ScanStatus::Fail, Severity(3)),
        "error" => (ScanStatus::Fail, Severity(4)),
        _ => (ScanStatus::Unknown, Severity(0)),
    };
    Latest {
        time,
        status,
        muted,
        severity,
    }
}

fn is_security(category: &str) -> bool {
    category.trim().eq_ignore_ascii_case("security")
}

// ---- Azure Advisor ----

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct AdvisorElement {
    #[serde(default, deserialize_with = "opt_string")]
    id: Option<String>,
    #[serde(default)]
    properties: Option<AdvisorBody>,
    #[serde(flatten)]
    top: AdvisorBody,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct AdvisorBody {
    #[serde(default, deserialize_with = "opt_string")]
    category: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    impact: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    impacted_field: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    impacted_value: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    last_updated: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    recommendation_type_id: Option<String>,
    #[serde(default)]
    short_description: Option<ShortDescription>,
    #[serde(default)]
    resource_metadata: Option<ResourceMetadata>,
}

#[derive(Deserialize, Default)]
struct ShortDescription {
    #[serde(default, deserialize_with = "opt_string")]
    problem: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ResourceMetadata {
    #[serde(default, deserialize_with = "opt_string")]
    resource_id: Option<String>,
}

/// Read Azure Advisor recommendations, one at a time.
pub fn read_azure_advisor(
    file: impl Read,
    size: u64,
    relative: &Path,
) -> Result<FindingsRead, Problem> {
    let mut read = FindingsRead::new(relative.to_path_buf(), ScanFormat::AzureAdvisor);
    let mut progress = Progress::new(&format!("reading {}", relative.display()), size, "findings");
    let counter = CountingReader::new(without_bom(file).map_err(|e| {
        Problem::new(
            Location::file(relative),
            format!("failed to read the file ({e})"),
        )
    })?);
    let bytes = counter.counter();
    let mut index = 0u64;
    let mut each = |value: serde_json::Value| {
        index += 1;
        if index.is_multiple_of(16_384) {
            progress.tick(bytes.get(), read.findings);
        }
        let at = Location::Element {
            path: relative.to_path_buf(),
            index,
        };
        match element_as::<AdvisorElement>(value) {
            Ok(element) => fold_azure_advisor(element, at, &mut read),
            Err(why) => read.drop_finding(at, why),
        }
    };
    stream_json(counter, relative, &["value"], &mut each)?;
    progress.done();
    read.finish();
    Ok(read)
}

fn fold_azure_advisor(element: AdvisorElement, at: Location, read: &mut FindingsRead) {
    let body = element.properties.unwrap_or(element.top);
    let Some(category) = body.category.filter(|c| !c.trim().is_empty()) else {
        read.drop_finding(at, "no category (properties.category)");
        return;
    };
    if !is_security(&category) {
        read.set_aside(&format!(
            "Azure Advisor category {}: not a security recommendation",
            category.trim()
        ));
        return;
    }
    let problem = body
        .short_description
        .and_then(|d| d.problem)
        .unwrap_or_default();
    let key = body
        .recommendation_type_id
        .filter(|k| !k.trim().is_empty())
        .unwrap_or_else(|| problem.clone());
    if key.trim().is_empty() {
        read.drop_finding(at, "no recommendationTypeId or shortDescription.problem");
        return;
    }
    let id = element.id.unwrap_or_default();
    let resource = body
        .resource_metadata
        .and_then(|m| m.resource_id)
        .filter(|r| !r.trim().is_empty())
        .or_else(|| {
            let lower = id.to_ascii_lowercase();
            lower
                .find("/providers/microsoft.advisor/recommendations/")
                .map(|at| id[..at].to_string())
        })
        .or(body.impacted_value);
    let Some(resource) = resource.filter(|r| !r.trim().is_empty()) else {
        read.drop_finding(at, "no resource (resourceMetadata.resourceId)");
        return;
    };
    let kind = body.impacted_field.or_else(|| arm_type(&resource));
    let subscription = subscription_of(&resource).map(|s| format!("subscription {s}"));
    let label = resource_label(&resource, kind.as_deref(), subscription.as_deref());
    let check = read.check(key.trim(), problem.trim());
    if !problem.trim().is_empty() {
        read.requirement(check, RECOMMENDATION_KEY, problem.trim());
    }
    let time = body
        .last_updated
        .as_deref()
        .and_then(parse_timestamp)
        .unwrap_or(0);
    // An open Advisor recommendation is a finding against the resource.
    let latest = Latest {
        time,
        status: ScanStatus::Fail,
        muted: false,
        severity: Severity::parse(body.impact.as_deref().unwrap_or("")),
    };
    read.record(check, &label, latest);
}

// ---- Google Cloud Recommender ----

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Recommendation {
    #[serde(default, deserialize_with = "opt_string")]
    name: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    description: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    last_refresh_time: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    priority: Option<String>,
    #[serde(default)]
    primary_impact: Option<Impact>,
    #[serde(default)]
    state_info: Option<StateInfo>,
    #[serde(default)]
    content: Option<serde_json::Value>,
}

#[derive(Deserialize, Default)]
struct Impact {
    #[serde(default, deserialize_with = "opt_string")]
    category: Option<String>,
}

#[derive(Deserialize, Default)]
struct StateInfo {
    #[serde(default, deserialize_with = "opt_string")]
    state: Option<String>,
}

/// Read Recommender recommendations, one at a time.
pub fn read_gcp_recommender(
    file: impl Read,
    size: u64,
    relative: &Path,
) -> Result<FindingsRead, Problem> {
    let mut read = FindingsRead::new(relative.to_path_buf(), ScanFormat::GcpRecommender);
    let mut progress = Progress::new(&format!("reading {}", relative.display()), size, "findings");
    let counter = CountingReader::new(without_bom(file).map_err(|e| {
        Problem::new(
            Location::file(relative),
            format!("failed to read the file ({e})"),
        )
    })?);
    let bytes = counter.counter();
    let mut index = 0u64;
    let mut each = |value: serde_json::Value| {
        index += 1;
        if index.is_multiple_of(16_384) {
            progress.tick(bytes.get(), read.findings);
        }
        let at = Location::Element {
            path: relative.to_path_buf(),
            index,
        };
        match element_as::<Recommendation>(value) {
            Ok(element) => fold_recommendation(element, at, &mut read),
            Err(why) => read.drop_finding(at, why),
        }
    };
    stream_json(counter, relative, &["recommendations"], &mut each)?;
    progress.done();
    read.finish();
    Ok(read)
}

fn fold_recommendation(rec: Recommendation, at: Location, read: &mut FindingsRead) {
    let category = rec
        .primary_impact
        .and_then(|i| i.category)
        .unwrap_or_default();
    if category.trim().is_empty() {
        read.drop_finding(at, "no category (primaryImpact.category)");
        return;
    }
    if !is_security(&category) {
        read.set_aside(&format!(
            "Recommender category {}: not a security recommendation",
            category.trim()
        ));
        return;
    }
    let name = rec.name.unwrap_or_default();
    // `projects/<p>/locations/<l>/recommenders/<recommender>/recommendations/<id>`
    let mut parts = name.split('/');
    let recommender = parts
        .by_ref()
        .find(|p| *p == "recommenders")
        .and_then(|_| parts.next())
        .filter(|r| !r.is_empty());
    let Some(recommender) = recommender else {
        read.drop_finding(at, "no recommender in the name (name)");
        return;
    };
    let (resource, kind) = first_operation(rec.content.as_ref());
    let Some(resource) = resource.filter(|r| !r.trim().is_empty()) else {
        read.drop_finding(
            at,
            "no resource (content.operationGroups[].operations[].resource)",
        );
        return;
    };
    let project = project_of(&resource)
        .or_else(|| project_of(&name))
        .map(|p| format!("project {p}"));
    let label = resource_label(&resource, kind.as_deref(), project.as_deref());
    let status = match rec
        .state_info
        .and_then(|s| s.state)
        .as_deref()
        .map(str::trim)
    {
        Some("SUCCEEDED") => ScanStatus::Pass,
        Some("ACTIVE" | "CLAIMED" | "FAILED" | "DISMISSED") | None => ScanStatus::Fail,
        Some(_) => ScanStatus::Unknown,
    };
    let severity = match rec.priority.as_deref().map(str::trim) {
        Some("P1") => Severity(5),
        Some("P2") => Severity(4),
        Some("P3") => Severity(3),
        Some("P4") => Severity(2),
        _ => Severity(0),
    };
    let time = rec
        .last_refresh_time
        .as_deref()
        .and_then(parse_timestamp)
        .unwrap_or(0);
    let check = read.check(recommender, rec.description.as_deref().unwrap_or("").trim());
    read.record(
        check,
        &label,
        Latest {
            time,
            status,
            muted: false,
            severity,
        },
    );
}

/// The resource and its type that a recommendation's first operation changes.
fn first_operation(content: Option<&serde_json::Value>) -> (Option<String>, Option<String>) {
    let operation = content
        .and_then(|c| c.get("operationGroups"))
        .and_then(|g| g.get(0))
        .and_then(|g| g.get("operations"))
        .and_then(|o| o.get(0));
    let text = |key: &str| {
        operation
            .and_then(|o| o.get(key))
            .and_then(serde_json::Value::as_str)
            .map(str::to_string)
    };
    (text("resource"), text("resourceType"))
}
