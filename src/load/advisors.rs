//! Load: the providers' own advisors, read as findings: AWS Trusted Advisor check
//! results (`aws support describe-trusted-advisor-check-result`, one or a list), Azure
//! Advisor recommendations (`az advisor recommendation list`, or the REST `value`), and
//! Google Cloud Recommender recommendations (`gcloud recommender recommendations list
//! --format=json`). Only security advice is evidence: cost, performance and reliability
//! items are read, counted and set aside with their category as the reason.

use crate::diag::{Location, Problem};
use crate::load::cloud_ids::{arm_type, project_of, resource_label, subscription_of};
use crate::load::findings::{
    FindingsRead, Latest, RECOMMENDATION_KEY, ScanFormat, ScanStatus, Severity, parse_timestamp,
};
use crate::load::json_stream::{CountingReader, ElementAt, json_problem, read_findings};
use crate::load::loose::{Field, Loose, Shape, loose_object};
use serde::Deserialize;
use std::io::{BufReader, Read};
use std::path::Path;

// ---- AWS Trusted Advisor ----

/// A Trusted Advisor check result, or the CLI's `{"result": {...}}` around one. Every
/// field is [`Loose`]: a wrong type drops the result, not the file.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct CheckResult {
    /// `describe-trusted-advisor-check-result` wraps the result in `result`.
    result: Loose<Box<CheckResult>>,
    check_id: Loose<String>,
    /// Not in the API's result; present where the check list was merged in.
    category: Loose<String>,
    name: Loose<String>,
    timestamp: Loose<String>,
    status: Loose<String>,
    flagged_resources: Loose<Vec<Loose<FlaggedResource>>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct FlaggedResource {
    status: Loose<String>,
    region: Loose<String>,
    resource_id: Loose<String>,
    is_suppressed: Loose<bool>,
}

loose_object!(CheckResult, FlaggedResource);

impl Shape for Box<CheckResult> {
    const EXPECTED: &'static str = "an object";

    fn from_map<'de, A: serde::de::MapAccess<'de>>(map: A) -> Result<Loose<Self>, A::Error> {
        Ok(match CheckResult::from_map(map)? {
            Loose::Got(inner) => Loose::Got(Box::new(inner)),
            Loose::Wrong(found) => Loose::Wrong(found),
            Loose::Repeated => Loose::Repeated,
            Loose::Absent => Loose::Absent,
        })
    }
}

/// A check result's fields once their types are checked.
struct Checked {
    check_id: Option<String>,
    category: Option<String>,
    name: Option<String>,
    timestamp: Option<String>,
    status: Option<String>,
    flagged: Vec<Flagged>,
}

/// A flagged resource's fields once their types are checked.
struct Flagged {
    status: Option<String>,
    region: Option<String>,
    resource_id: Option<String>,
    suppressed: bool,
}

/// Check the types of the fields auditpack uses (inside `result` where the CLI put
/// them there): the first wrong one is the reason the result is dropped.
fn check_result(mut r: CheckResult) -> Result<Checked, String> {
    let mut prefix = "";
    if let Some(inner) = std::mem::take(&mut r.result).take("result")? {
        r = *inner;
        prefix = "result.";
    }
    let field = |name: &'static str| Field(prefix, name);
    let mut flagged = Vec::new();
    for (i, f) in r
        .flagged_resources
        .take_all(field("flaggedResources"))?
        .into_iter()
        .enumerate()
    {
        let at = |name: &str| format!("{prefix}flaggedResources[{i}].{name}");
        flagged.push(Flagged {
            status: f.status.take(at("status"))?,
            region: f.region.take(at("region"))?,
            resource_id: f.resource_id.take(at("resourceId"))?,
            suppressed: f.is_suppressed.take(at("isSuppressed"))?.unwrap_or(false),
        });
    }
    Ok(Checked {
        check_id: r.check_id.take(field("checkId"))?,
        category: r.category.take(field("category"))?,
        name: r.name.take(field("name"))?,
        timestamp: r.timestamp.take(field("timestamp"))?,
        status: r.status.take(field("status"))?,
        flagged,
    })
}

/// Read Trusted Advisor check results: `{"result": {...}}` as the CLI writes it, or a
/// list of those or of bare results. These files hold a check or a few; read whole.
pub fn read_trusted_advisor(
    file: impl Read,
    _size: u64,
    relative: &Path,
) -> Result<FindingsRead, Problem> {
    let mut read = FindingsRead::new(relative.to_path_buf(), ScanFormat::TrustedAdvisor);
    // The counting reader passes over a byte-order mark, as for every JSON scan.
    let input = CountingReader::new(file);
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
    for (index, item) in results.into_iter().enumerate() {
        let at = ElementAt {
            relative,
            index: index as u64 + 1,
        };
        // Read from a value (these files hold a check or a few): it cannot fail.
        let result = Loose::<CheckResult>::deserialize(item)
            .map_err(|e| e.to_string())
            .and_then(Loose::element)
            .and_then(check_result);
        match result {
            Ok(result) => fold_trusted_advisor(result, at, &mut read),
            Err(why) => read.drop_finding(at, why),
        }
    }
    read.finish();
    Ok(read)
}

fn fold_trusted_advisor(result: Checked, at: ElementAt, read: &mut FindingsRead) {
    let Some(check_id) = result.check_id.filter(|c| !c.trim().is_empty()) else {
        read.drop_finding(at, "no check id (checkId)");
        return;
    };
    let flagged = result.flagged;
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
            read.drop_finding(at, "a flagged resource without resourceId");
            continue;
        };
        let region = resource.region.map(|r| format!("region {r}"));
        let label = resource_label(&id, None, region.as_deref());
        let status = resource.status.unwrap_or_else(|| status.clone());
        let latest = advisor_latest(time, &status, resource.suppressed);
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

/// An Azure Advisor recommendation; the CLI flattens `properties` in some versions.
/// Every field is [`Loose`]: a wrong type drops the recommendation, not the file.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct AdvisorElement {
    id: Loose<String>,
    properties: Loose<AdvisorBody>,
    #[serde(flatten)]
    top: AdvisorBody,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct AdvisorBody {
    category: Loose<String>,
    impact: Loose<String>,
    impacted_field: Loose<String>,
    impacted_value: Loose<String>,
    last_updated: Loose<String>,
    recommendation_type_id: Loose<String>,
    short_description: Loose<ShortDescription>,
    resource_metadata: Loose<ResourceMetadata>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ShortDescription {
    problem: Loose<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct ResourceMetadata {
    resource_id: Loose<String>,
}

loose_object!(
    AdvisorElement,
    AdvisorBody,
    ShortDescription,
    ResourceMetadata
);

/// An Advisor recommendation's fields once their types are checked.
struct Advice {
    id: Option<String>,
    category: Option<String>,
    impact: Option<String>,
    impacted_field: Option<String>,
    impacted_value: Option<String>,
    last_updated: Option<String>,
    recommendation_type_id: Option<String>,
    problem: Option<String>,
    resource_id: Option<String>,
}

/// Check the types of the fields auditpack uses: the first wrong one is the reason the
/// recommendation is dropped.
fn check_advice(e: AdvisorElement) -> Result<Advice, String> {
    let (body, prefix) = match e.properties.take("properties")? {
        Some(body) => (body, "properties."),
        None => (e.top, ""),
    };
    let field = |name: &'static str| Field(prefix, name);
    let problem = match body.short_description.take(field("shortDescription"))? {
        Some(d) => d.problem.take(field("shortDescription.problem"))?,
        None => None,
    };
    let resource_id = match body.resource_metadata.take(field("resourceMetadata"))? {
        Some(m) => m.resource_id.take(field("resourceMetadata.resourceId"))?,
        None => None,
    };
    Ok(Advice {
        id: e.id.take("id")?,
        category: body.category.take(field("category"))?,
        impact: body.impact.take(field("impact"))?,
        impacted_field: body.impacted_field.take(field("impactedField"))?,
        impacted_value: body.impacted_value.take(field("impactedValue"))?,
        last_updated: body.last_updated.take(field("lastUpdated"))?,
        recommendation_type_id: body
            .recommendation_type_id
            .take(field("recommendationTypeId"))?,
        problem,
        resource_id,
    })
}

/// Read Azure Advisor recommendations, one at a time.
pub fn read_azure_advisor(
    file: impl Read,
    size: u64,
    relative: &Path,
) -> Result<FindingsRead, Problem> {
    read_findings(
        file,
        size,
        relative,
        ScanFormat::AzureAdvisor,
        &["value"],
        check_advice,
        fold_azure_advisor,
    )
}

fn fold_azure_advisor(body: Advice, at: ElementAt, read: &mut FindingsRead) {
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
    let problem = body.problem.unwrap_or_default();
    let key = body
        .recommendation_type_id
        .filter(|k| !k.trim().is_empty())
        .unwrap_or_else(|| problem.clone());
    if key.trim().is_empty() {
        read.drop_finding(at, "no recommendationTypeId or shortDescription.problem");
        return;
    }
    let id = body.id.unwrap_or_default();
    let resource = body
        .resource_id
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

/// A Recommender recommendation. Every field is [`Loose`]: a wrong type drops the
/// recommendation, not the file.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct Recommendation {
    name: Loose<String>,
    description: Loose<String>,
    last_refresh_time: Loose<String>,
    priority: Loose<String>,
    primary_impact: Loose<Impact>,
    state_info: Loose<StateInfo>,
    content: Loose<Content>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Impact {
    category: Loose<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct StateInfo {
    state: Loose<String>,
}

/// `content.operationGroups[].operations[]`: what the recommendation would change.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct Content {
    operation_groups: Loose<Vec<Loose<OperationGroup>>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OperationGroup {
    operations: Loose<Vec<Loose<Operation>>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct Operation {
    resource: Loose<String>,
    resource_type: Loose<String>,
}

loose_object!(
    Recommendation,
    Impact,
    StateInfo,
    Content,
    OperationGroup,
    Operation
);

/// A recommendation's fields once their types are checked.
struct Recommended {
    name: Option<String>,
    description: Option<String>,
    last_refresh_time: Option<String>,
    priority: Option<String>,
    category: Option<String>,
    state: Option<String>,
    /// The resource the first operation changes, and its type.
    resource: Option<String>,
    resource_type: Option<String>,
}

/// Check the types of the fields auditpack uses: the first wrong one is the reason the
/// recommendation is dropped. The content is free-form: its first operation's resource
/// is read where it has the documented shape.
fn check_recommendation(r: Recommendation) -> Result<Recommended, String> {
    let operation = r
        .content
        .ok()
        .and_then(|c| c.operation_groups.ok())
        .and_then(|groups| groups.into_iter().next()?.ok())
        .and_then(|group| group.operations.ok())
        .and_then(|operations| operations.into_iter().next()?.ok());
    let (resource, resource_type) = match operation {
        Some(o) => (o.resource.ok(), o.resource_type.ok()),
        None => (None, None),
    };
    Ok(Recommended {
        name: r.name.take("name")?,
        description: r.description.take("description")?,
        last_refresh_time: r.last_refresh_time.take("lastRefreshTime")?,
        priority: r.priority.take("priority")?,
        category: match r.primary_impact.take("primaryImpact")? {
            Some(i) => i.category.take("primaryImpact.category")?,
            None => None,
        },
        state: match r.state_info.take("stateInfo")? {
            Some(s) => s.state.take("stateInfo.state")?,
            None => None,
        },
        resource,
        resource_type,
    })
}

/// Read Recommender recommendations, one at a time.
pub fn read_gcp_recommender(
    file: impl Read,
    size: u64,
    relative: &Path,
) -> Result<FindingsRead, Problem> {
    read_findings(
        file,
        size,
        relative,
        ScanFormat::GcpRecommender,
        &["recommendations"],
        check_recommendation,
        fold_recommendation,
    )
}

fn fold_recommendation(rec: Recommended, at: ElementAt, read: &mut FindingsRead) {
    let category = rec.category.clone().unwrap_or_default();
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
    let kind = rec.resource_type;
    let Some(resource) = rec.resource.filter(|r| !r.trim().is_empty()) else {
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
    let status = match rec.state.as_deref().map(str::trim) {
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
