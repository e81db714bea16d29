//! Load: Checkov's SARIF (`checkov -o sarif`): `runs[].results`, one result per failed
//! or skipped check on an IaC resource, named by its `ruleId` (`CKV_AWS_21`) and placed
//! by its file and first line. Checkov writes no passed checks to SARIF, so a file holds
//! failures only; a result with `suppressions` is a skipped check, read as a muted
//! failure as in Checkov's JSON. The rules of a run (`tool.driver.rules`) give each
//! check's title and severity when they come before the results, as Checkov writes
//! them. Results are streamed: memory follows the checks and resources kept.

use crate::diag::{Location, Problem};
use crate::load::findings::{FindingsRead, Latest, ScanFormat, ScanStatus, Severity};
use crate::load::json_stream::{CountingReader, json_problem};
use crate::load::loose::{Loose, loose_object};
use crate::progress::Progress;
use serde::Deserialize;
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::collections::HashMap;
use std::fmt;
use std::io::{BufReader, Read};
use std::path::Path;

/// One result. Every field is [`Loose`]: a wrong type drops the result, not the file.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct SarifResult {
    rule_id: Loose<String>,
    message: Loose<SarifText>,
    locations: Loose<Vec<Loose<SarifLocation>>>,
    suppressions: Loose<Vec<Loose<Anything>>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SarifText {
    text: Loose<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct SarifLocation {
    physical_location: Loose<PhysicalLocation>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct PhysicalLocation {
    artifact_location: Loose<ArtifactLocation>,
    region: Loose<SarifRegion>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ArtifactLocation {
    uri: Loose<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct SarifRegion {
    start_line: Loose<i64>,
}

/// The tool and its rules: metadata for titles and severities, so a rule of the wrong
/// shape is passed over.
#[derive(Deserialize, Default)]
#[serde(default)]
struct SarifTool {
    driver: Loose<SarifDriver>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SarifDriver {
    rules: Loose<Vec<Loose<SarifRule>>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SarifRule {
    id: Loose<String>,
    name: Loose<String>,
    properties: Loose<RuleProperties>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RuleProperties {
    #[serde(rename = "security-severity")]
    security_severity: Loose<String>,
}

/// A suppression: only that there is one matters.
#[derive(Deserialize, Default)]
struct Anything {}

loose_object!(
    SarifResult,
    SarifText,
    SarifLocation,
    PhysicalLocation,
    ArtifactLocation,
    SarifRegion,
    SarifTool,
    SarifDriver,
    SarifRule,
    RuleProperties,
    Anything,
);

/// A result's fields once their types are checked.
struct Checked {
    rule_id: Option<String>,
    message: Option<String>,
    /// The first physical location's file and line.
    uri: Option<String>,
    line: Option<i64>,
    suppressed: bool,
}

/// Check the types of the fields auditpack uses: the first wrong one is the reason the
/// result is dropped.
fn check_types(r: SarifResult) -> Result<Checked, String> {
    let mut uri = None;
    let mut line = None;
    for (i, l) in r.locations.take_all("locations")?.into_iter().enumerate() {
        let Some(p) = l
            .physical_location
            .take(format_args!("locations[{i}].physicalLocation"))?
        else {
            continue;
        };
        if let Some(a) = p.artifact_location.take(format_args!(
            "locations[{i}].physicalLocation.artifactLocation"
        ))? {
            uri = a.uri.take(format_args!(
                "locations[{i}].physicalLocation.artifactLocation.uri"
            ))?;
        }
        line = p.region.ok().and_then(|r| r.start_line.ok());
        break;
    }
    Ok(Checked {
        rule_id: r.rule_id.take("ruleId")?,
        message: match r.message.take("message")? {
            Some(m) => m.text.take("message.text")?,
            None => None,
        },
        uri,
        line,
        suppressed: !r
            .suppressions
            .take("suppressions")?
            .unwrap_or_default()
            .is_empty(),
    })
}

/// A rule's title and severity, by rule id.
type Rules = HashMap<String, (String, Severity)>;

struct Reading<'a> {
    read: FindingsRead,
    relative: &'a Path,
    index: u64,
    rules: Rules,
    progress: Progress,
    bytes: std::rc::Rc<std::cell::Cell<u64>>,
}

/// Read a Checkov SARIF report one result at a time.
pub fn read_checkov_sarif(
    file: impl Read,
    size: u64,
    relative: &Path,
) -> Result<FindingsRead, Problem> {
    let counter = CountingReader::new(file);
    let mut reading = Reading {
        read: FindingsRead::new(relative.to_path_buf(), ScanFormat::CheckovSarif),
        relative,
        index: 0,
        rules: Rules::new(),
        progress: Progress::new(&format!("reading {}", relative.display()), size, "findings"),
        bytes: counter.counter(),
    };
    let buffered = BufReader::with_capacity(1 << 20, counter);
    let mut de = serde_json::Deserializer::from_reader(buffered);
    let result = Log(&mut reading)
        .deserialize(&mut de)
        .and_then(|()| de.end());
    result.map_err(|e| json_problem(relative, &e))?;
    let Reading {
        mut read,
        mut progress,
        ..
    } = reading;
    progress.done();
    read.finish();
    Ok(read)
}

/// SARIF's `security-severity` score (Checkov writes 10.0, 8.9, 6.9, 3.9) as a severity,
/// on the CVSS bands GitHub code scanning uses.
fn score_severity(score: Option<&str>) -> Severity {
    let Some(score) = score.and_then(|s| s.trim().parse::<f64>().ok()) else {
        return Severity(0);
    };
    let label = match score {
        s if s >= 9.0 => "critical",
        s if s >= 7.0 => "high",
        s if s >= 4.0 => "medium",
        s if s > 0.0 => "low",
        _ => "",
    };
    Severity::parse(label)
}

impl Reading<'_> {
    fn learn(&mut self, tool: SarifTool) {
        let rules = tool
            .driver
            .ok()
            .and_then(|d| d.rules.ok())
            .unwrap_or_default();
        for rule in rules.into_iter().filter_map(Loose::ok) {
            let Some(id) = rule.id.ok().filter(|i| !i.trim().is_empty()) else {
                continue;
            };
            let score = rule.properties.ok().and_then(|p| p.security_severity.ok());
            let severity = score_severity(score.as_deref());
            self.rules.insert(
                id.trim().to_string(),
                (rule.name.ok().unwrap_or_default(), severity),
            );
        }
    }

    fn fold(&mut self, element: Loose<SarifResult>) {
        self.index += 1;
        if self.index.is_multiple_of(16_384) {
            self.progress.tick(self.bytes.get(), self.read.findings);
        }
        let at = Location::Element {
            path: self.relative.to_path_buf(),
            index: self.index,
        };
        let result = match element.element().and_then(check_types) {
            Ok(result) => result,
            Err(why) => return self.read.drop_finding(at, why),
        };
        let Some(rule_id) = result.rule_id.filter(|c| !c.trim().is_empty()) else {
            self.read.drop_finding(at, "no check id (ruleId)");
            return;
        };
        let uri = result
            .uri
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty());
        let Some(uri) = uri else {
            self.read.drop_finding(
                at,
                "no file (locations[].physicalLocation.artifactLocation.uri)",
            );
            return;
        };
        let resource = match result.line {
            Some(line) => format!("{uri}:{line}"),
            None => uri.to_string(),
        };
        let rule_id = rule_id.trim();
        let (title, severity) = match self.rules.get(rule_id) {
            Some((title, severity)) => (title.clone(), *severity),
            None => (result.message.unwrap_or_default(), Severity(0)),
        };
        let check = self.read.check(rule_id, &title);
        let latest = Latest {
            time: 0,
            status: ScanStatus::Fail,
            muted: result.suppressed,
            severity,
        };
        self.read.record(check, &resource, latest);
    }
}

/// The whole file: a SARIF log with `runs`.
struct Log<'r, 'a>(&'r mut Reading<'a>);

impl<'de> DeserializeSeed<'de> for Log<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Log<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a SARIF log (an object with \"runs\")")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut runs = false;
        while let Some(name) = map.next_key::<String>()? {
            if name == "runs" {
                runs = true;
                map.next_value_seed(Runs(&mut *self.0))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        match runs {
            true => Ok(()),
            false => Err(serde::de::Error::custom("no \"runs\" array")),
        }
    }
}

/// `runs`: one run per tool invocation.
struct Runs<'r, 'a>(&'r mut Reading<'a>);

impl<'de> DeserializeSeed<'de> for Runs<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Runs<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a list of SARIF runs")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Run(&mut *self.0))?.is_some() {}
        Ok(())
    }
}

/// One run: `tool` (with the rules) and `results`.
struct Run<'r, 'a>(&'r mut Reading<'a>);

impl<'de> DeserializeSeed<'de> for Run<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Run<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a SARIF run (an object with \"tool\" and \"results\")")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(name) = map.next_key::<String>()? {
            match name.as_str() {
                "tool" => {
                    if let Loose::Got(tool) = map.next_value::<Loose<SarifTool>>()? {
                        self.0.learn(tool);
                    }
                }
                "results" => map.next_value_seed(Results(&mut *self.0))?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// `results`: the failed and skipped checks.
struct Results<'r, 'a>(&'r mut Reading<'a>);

impl<'de> DeserializeSeed<'de> for Results<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Results<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a list of SARIF results")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(result) = seq.next_element::<Loose<SarifResult>>()? {
            self.0.fold(result);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn security_severity_scores_fall_in_cvss_bands() {
        assert_eq!(score_severity(Some("10.0")).label(), "critical");
        assert_eq!(score_severity(Some("8.9")).label(), "high");
        assert_eq!(score_severity(Some("6.9")).label(), "medium");
        assert_eq!(score_severity(Some("3.9")).label(), "low");
        assert_eq!(score_severity(Some("0.0")).label(), "unknown");
        assert_eq!(score_severity(Some("high")).label(), "unknown");
        assert_eq!(score_severity(None).label(), "unknown");
    }
}
