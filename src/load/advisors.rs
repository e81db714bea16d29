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
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::collections::HashMap;
use std::io::{BufReader, Read};
use std::path::Path;

// ---- AWS Trusted Advisor ----

/// A Trusted Advisor check result, or the CLI's `{"result": {...}}` around one. Every
/// field is [`Loose`]: a wrong type drops the result, not the file. Read key by key
/// ([`read_result`]), so that its flagged resources are folded as they stream past:
/// one result may flag a million.
#[derive(Default)]
struct CheckResult {
    /// `describe-trusted-advisor-check-result` wraps the result in `result`.
    result: Loose<Box<CheckResult>>,
    check_id: Loose<String>,
    /// Not in the API's result; present where the check list was merged in.
    category: Loose<String>,
    name: Loose<String>,
    timestamp: Loose<String>,
    status: Loose<String>,
    flagged_resources: Loose<FlaggedTable>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct FlaggedResource {
    status: Loose<String>,
    region: Loose<String>,
    resource_id: Loose<String>,
    is_suppressed: Loose<bool>,
}

loose_object!(FlaggedResource);

/// The keys of a check result auditpack reads; any other is passed over.
const RESULT_KEYS: [&str; 7] = [
    "result",
    "checkId",
    "category",
    "name",
    "timestamp",
    "status",
    "flaggedResources",
];

impl Shape for CheckResult {
    const EXPECTED: &'static str = "an object";

    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Loose<Self>, A::Error> {
        read_result(map, false)
    }
}

/// The check result inside `result`. Its own `result`, if any, is never used, so it
/// is passed over unread.
impl Shape for Box<CheckResult> {
    const EXPECTED: &'static str = "an object";

    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Loose<Self>, A::Error> {
        Ok(match read_result(map, true)? {
            Loose::Got(inner) => Loose::Got(Box::new(inner)),
            Loose::Wrong(found) => Loose::Wrong(found),
            Loose::Repeated => Loose::Repeated,
            Loose::Absent => Loose::Absent,
        })
    }
}

/// Read a check result's keys as they come. A key auditpack reads that is given
/// twice makes the result [`Loose::Repeated`], as for every other scanner's findings.
fn read_result<'de, A: MapAccess<'de>>(
    mut map: A,
    nested: bool,
) -> Result<Loose<CheckResult>, A::Error> {
    let mut r = CheckResult::default();
    let mut seen = [false; RESULT_KEYS.len()];
    while let Some(key) = map.next_key::<String>()? {
        let Some(known) = RESULT_KEYS.iter().position(|k| *k == key) else {
            map.next_value::<IgnoredAny>()?;
            continue;
        };
        if std::mem::replace(&mut seen[known], true) {
            map.next_value::<IgnoredAny>()?;
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return Ok(Loose::Repeated);
        }
        match key.as_str() {
            "result" if nested => {
                map.next_value::<IgnoredAny>()?;
            }
            "result" => r.result = map.next_value()?,
            "checkId" => r.check_id = map.next_value()?,
            "category" => r.category = map.next_value()?,
            "name" => r.name = map.next_value()?,
            "timestamp" => r.timestamp = map.next_value()?,
            "status" => r.status = map.next_value()?,
            _ => r.flagged_resources = map.next_value()?,
        }
    }
    Ok(Loose::Got(r))
}

/// A result's `flaggedResources`, folded as the array is read: one entry per resource
/// (however often it is flagged), with the first type error, if any. Memory follows
/// the resources flagged, not the flags.
#[derive(Default)]
struct FlaggedTable {
    /// Flags read (elements that are not null): each is a finding.
    flags: u64,
    /// The first element that is not an object (`[3] is a string, not an object`),
    /// counted among all elements; it is the reason before any field's.
    element_error: Option<String>,
    /// The first field of the wrong type (`[2].status is an object, not a string`),
    /// counted among the elements that are not null.
    field_error: Option<String>,
    /// Flags without a resource id.
    without_id: u64,
    /// Per resource label, what its flags said; emptied at the first error, since a
    /// result with one is dropped whole.
    resources: HashMap<String, FlaggedEntry>,
}

/// What the flags of one resource said, folded as [`FindingsRead::record`] folds
/// results (the worst stands; of equals, the first), with the flags that take the
/// check's status (they name none of their own) kept apart until it is known: the
/// check's `status` may come after its `flaggedResources`.
struct FlaggedEntry {
    /// The position of its first flag, for the order resources are recorded in.
    first: u64,
    /// The first of the worst statuses its flags gave, with its position and suppression.
    own: Option<(u64, ScanStatus, Severity, bool)>,
    /// The first flag without a status of its own, with its position and suppression.
    inherited: Option<(u64, bool)>,
    /// Flags naming it.
    flags: u64,
}

impl FlaggedEntry {
    /// The resource's result once the check's time and status are known.
    fn latest(&self, time: i64, check_status: &str) -> Latest {
        let inherited = self.inherited.map(|(at, muted)| {
            let (status, severity) = advisor_status(check_status);
            (at, status, severity, muted)
        });
        // The worse stands; of two equally bad, the one flagged first.
        let (_, status, severity, muted) = match (self.own, inherited) {
            (Some(own), Some(inherited)) => {
                if inherited.1 > own.1 || (inherited.1 == own.1 && inherited.0 < own.0) {
                    inherited
                } else {
                    own
                }
            }
            (Some(one), None) | (None, Some(one)) => one,
            (None, None) => (0, ScanStatus::Unknown, Severity(0), false),
        };
        Latest {
            time,
            status,
            muted,
            severity,
        }
    }
}

impl FlaggedTable {
    /// Fold one element of the array.
    fn add(&mut self, element: Loose<FlaggedResource>, index: u64) {
        let resource = match element {
            Loose::Absent => return,
            Loose::Got(resource) => resource,
            wrong => {
                if self.element_error.is_none() {
                    self.element_error = wrong.take(format_args!("[{index}]")).err();
                    self.resources = HashMap::new();
                }
                return;
            }
        };
        let at = self.flags;
        self.flags += 1;
        if self.element_error.is_some() || self.field_error.is_some() {
            // The result is dropped; only an element of the wrong type may still
            // change the reason.
            return;
        }
        let checked = (|| {
            Ok::<_, String>((
                resource.status.take(format_args!("[{at}].status"))?,
                resource.region.take(format_args!("[{at}].region"))?,
                resource
                    .resource_id
                    .take(format_args!("[{at}].resourceId"))?,
                resource
                    .is_suppressed
                    .take(format_args!("[{at}].isSuppressed"))?,
            ))
        })();
        let (status, region, resource_id, suppressed) = match checked {
            Ok(fields) => fields,
            Err(why) => {
                self.field_error = Some(why);
                self.resources = HashMap::new();
                return;
            }
        };
        let Some(id) = resource_id.filter(|r| !r.trim().is_empty()) else {
            self.without_id += 1;
            return;
        };
        let region = region.map(|r| format!("region {r}"));
        let label = resource_label(&id, None, region.as_deref());
        let suppressed = suppressed.unwrap_or(false);
        let entry = self.resources.entry(label).or_insert(FlaggedEntry {
            first: at,
            own: None,
            inherited: None,
            flags: 0,
        });
        entry.flags += 1;
        match status {
            Some(status) => {
                let (status, severity) = advisor_status(&status);
                if entry.own.is_none_or(|(_, held, _, _)| status > held) {
                    entry.own = Some((at, status, severity, suppressed));
                }
            }
            None => {
                entry.inherited.get_or_insert((at, suppressed));
            }
        }
    }

    /// Why the result is dropped, if an element or field is of the wrong type: the
    /// text after `flaggedResources`.
    fn error(&mut self) -> Option<String> {
        self.element_error
            .take()
            .or_else(|| self.field_error.take())
    }

    /// The resources flagged, in the order first flagged.
    fn in_order(self) -> Vec<(String, FlaggedEntry)> {
        let mut resources: Vec<(String, FlaggedEntry)> = self.resources.into_iter().collect();
        resources.sort_unstable_by_key(|(_, entry)| entry.first);
        resources
    }
}

impl Shape for FlaggedTable {
    const EXPECTED: &'static str = "an array";

    fn from_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Option<Self>, A::Error> {
        let mut table = FlaggedTable::default();
        let mut index = 0;
        while let Some(element) = seq.next_element::<Loose<FlaggedResource>>()? {
            table.add(element, index);
            index += 1;
        }
        Ok(Some(table))
    }
}

/// A check result's fields once their types are checked.
struct Checked {
    check_id: Option<String>,
    category: Option<String>,
    name: Option<String>,
    timestamp: Option<String>,
    status: Option<String>,
    flagged: FlaggedTable,
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
    let mut flagged = r
        .flagged_resources
        .take(field("flaggedResources"))?
        .unwrap_or_default();
    if let Some(why) = flagged.error() {
        return Err(format!("{prefix}flaggedResources{why}"));
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
/// list of those or of bare results. Streamed like every scanner file: a result's
/// flagged resources are folded as they are read, never held as JSON.
pub fn read_trusted_advisor(
    file: impl Read,
    _size: u64,
    relative: &Path,
) -> Result<FindingsRead, Problem> {
    let mut read = FindingsRead::new(relative.to_path_buf(), ScanFormat::TrustedAdvisor);
    // The counting reader passes over a byte-order mark, as for every JSON scan.
    let input = CountingReader::new(file);
    let mut de = serde_json::Deserializer::from_reader(BufReader::with_capacity(1 << 20, input));
    let results = Results {
        relative,
        read: &mut read,
    };
    let recognised = results
        .deserialize(&mut de)
        .and_then(|recognised| de.end().map(|()| recognised))
        .map_err(|e| json_problem(relative, &e))?;
    if !recognised {
        return Err(Problem::new(
            Location::file(relative),
            "not Trusted Advisor output: expected an object with \"result\" or a list of check results",
        ));
    }
    read.finish();
    Ok(read)
}

/// The whole file: a list of check results, or one. Anything else is read through
/// and answered with false.
struct Results<'a, 'r> {
    relative: &'a Path,
    read: &'r mut FindingsRead,
}

impl Results<'_, '_> {
    fn fold(&mut self, result: Loose<CheckResult>, index: u64) {
        let at = ElementAt {
            relative: self.relative,
            index,
        };
        match result.element().and_then(check_result) {
            Ok(result) => fold_trusted_advisor(result, at, self.read),
            Err(why) => self.read.drop_finding(at, why),
        }
    }
}

impl<'de> DeserializeSeed<'de> for Results<'_, '_> {
    type Value = bool;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Results<'_, '_> {
    type Value = bool;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "a Trusted Advisor check result or a list of them")
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<bool, A::Error> {
        let mut index = 0;
        while let Some(result) = seq.next_element::<Loose<CheckResult>>()? {
            index += 1;
            self.fold(result, index);
        }
        Ok(true)
    }

    fn visit_map<A: MapAccess<'de>>(mut self, map: A) -> Result<bool, A::Error> {
        let result = CheckResult::from_map(map)?;
        self.fold(result, 1);
        Ok(true)
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }
}

fn fold_trusted_advisor(result: Checked, at: ElementAt, read: &mut FindingsRead) {
    let Some(check_id) = result.check_id.filter(|c| !c.trim().is_empty()) else {
        read.drop_finding(at, "no check id (checkId)");
        return;
    };
    let flagged = result.flagged;
    let items = flagged.flags.max(1);
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
    if flagged.flags == 0 {
        // No resource flagged: the check's status covers the account.
        let latest = advisor_latest(time, &status, false);
        read.record(check, "the account (no resource flagged)", latest);
        return;
    }
    for _ in 0..flagged.without_id {
        read.drop_finding(at, "a flagged resource without resourceId");
    }
    for (label, entry) in flagged.in_order() {
        let latest = entry.latest(time, &status);
        read.record_many(check, &label, latest, entry.flags);
    }
}

/// `ok` passes; `warning` and `error` fail (error worse); anything else is not assessed.
fn advisor_status(status: &str) -> (ScanStatus, Severity) {
    match status.trim().to_ascii_lowercase().as_str() {
        "ok" => (ScanStatus::Pass, Severity(0)),
        "warning" => (ScanStatus::Fail, Severity(3)),
        "error" => (ScanStatus::Fail, Severity(4)),
        _ => (ScanStatus::Unknown, Severity(0)),
    }
}

fn advisor_latest(time: i64, status: &str, muted: bool) -> Latest {
    let (status, severity) = advisor_status(status);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> FindingsRead {
        read_trusted_advisor(json.as_bytes(), 0, Path::new("ta.json")).unwrap()
    }

    #[test]
    fn flags_take_the_checks_status_even_when_it_comes_after_them() {
        let read = read(
            r#"{"result": {"checkId": "c", "flaggedResources": [
                {"resourceId": "a", "status": "ok"}, {"resourceId": "a"},
                {"resourceId": "b", "status": "error"}, {"region": "us-east-1"}],
                "status": "warning"}}"#,
        );
        assert_eq!((read.findings, read.dropped), (3, 1));
        assert_eq!(read.resources, ["a", "b"]);
        let results: Vec<(ScanStatus, u8)> = read
            .latest
            .iter()
            .map(|r| (r.latest.status, r.latest.severity.0))
            .collect();
        // `a` takes the check's warning (worse than its own ok); `b` its own error.
        assert_eq!(results, [(ScanStatus::Fail, 3), (ScanStatus::Fail, 4)]);
    }

    #[test]
    fn a_key_given_twice_drops_the_result_as_for_every_scanner() {
        let read = read(
            r#"[{"result": {"checkId": "a", "checkId": "b", "status": "ok"}},
                {"checkId": "c", "status": "ok", "flaggedResources": [{"resourceId": "x", "resourceId": "y"}]}]"#,
        );
        assert_eq!(read.findings, 0);
        let reasons: Vec<&str> = read
            .dropped_examples
            .iter()
            .map(|p| p.message.as_str())
            .collect();
        assert_eq!(
            reasons,
            [
                "result gives a key twice",
                "flaggedResources[0] gives a key twice"
            ]
        );
    }
}
