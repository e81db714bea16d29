//! Load: Checkov's SARIF (`checkov -o sarif`): `runs[].results`, one result per failed
//! or skipped check on an IaC resource, named by its `ruleId` (`CKV_AWS_21`) and placed
//! by its file and first line. Checkov writes no passed checks to SARIF, so a file holds
//! failures only; a result with `suppressions` is a skipped check, read as a muted
//! failure as in Checkov's JSON. The rules of a run (`tool.driver.rules`) give each
//! check's title and severity when they come before the results, as Checkov writes
//! them. Results are streamed: memory follows the checks and resources kept.

use crate::diag::{Location, Problem};
use crate::load::findings::{FindingsRead, Latest, ScanFormat, ScanStatus, Severity, opt_string};
use crate::load::json_stream::{CountingReader, json_problem};
use crate::progress::Progress;
use serde::Deserialize;
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::collections::HashMap;
use std::fmt;
use std::io::{BufReader, Read};
use std::path::Path;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    #[serde(default, deserialize_with = "opt_string")]
    rule_id: Option<String>,
    #[serde(default)]
    message: Option<SarifText>,
    #[serde(default)]
    locations: Option<Vec<SarifLocation>>,
    #[serde(default)]
    suppressions: Option<Vec<IgnoredAny>>,
}

#[derive(Deserialize)]
struct SarifText {
    #[serde(default, deserialize_with = "opt_string")]
    text: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    #[serde(default)]
    physical_location: Option<PhysicalLocation>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    #[serde(default)]
    artifact_location: Option<ArtifactLocation>,
    #[serde(default)]
    region: Option<SarifRegion>,
}

#[derive(Deserialize)]
struct ArtifactLocation {
    #[serde(default, deserialize_with = "opt_string")]
    uri: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SarifRegion {
    #[serde(default)]
    start_line: Option<serde_json::Value>,
}

#[derive(Deserialize, Default)]
struct SarifTool {
    #[serde(default)]
    driver: Option<SarifDriver>,
}

#[derive(Deserialize, Default)]
struct SarifDriver {
    #[serde(default)]
    rules: Option<Vec<SarifRule>>,
}

#[derive(Deserialize)]
struct SarifRule {
    #[serde(default, deserialize_with = "opt_string")]
    id: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    name: Option<String>,
    #[serde(default)]
    properties: Option<RuleProperties>,
}

#[derive(Deserialize)]
struct RuleProperties {
    #[serde(default, rename = "security-severity", deserialize_with = "opt_string")]
    security_severity: Option<String>,
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
        let rules = tool.driver.and_then(|d| d.rules).unwrap_or_default();
        for rule in rules {
            let Some(id) = rule.id.filter(|i| !i.trim().is_empty()) else {
                continue;
            };
            let severity = score_severity(
                rule.properties
                    .as_ref()
                    .and_then(|p| p.security_severity.as_deref()),
            );
            self.rules.insert(
                id.trim().to_string(),
                (rule.name.unwrap_or_default(), severity),
            );
        }
    }

    fn fold(&mut self, result: SarifResult) {
        self.index += 1;
        if self.index.is_multiple_of(16_384) {
            self.progress.tick(self.bytes.get(), self.read.findings);
        }
        let at = Location::Element {
            path: self.relative.to_path_buf(),
            index: self.index,
        };
        let Some(rule_id) = result.rule_id.filter(|c| !c.trim().is_empty()) else {
            self.read.drop_finding(at, "no check id (ruleId)");
            return;
        };
        let physical = result
            .locations
            .unwrap_or_default()
            .into_iter()
            .find_map(|l| l.physical_location);
        let uri = physical
            .as_ref()
            .and_then(|p| p.artifact_location.as_ref())
            .and_then(|a| a.uri.as_deref())
            .map(str::trim)
            .filter(|u| !u.is_empty());
        let Some(uri) = uri else {
            self.read.drop_finding(
                at,
                "no file (locations[].physicalLocation.artifactLocation.uri)",
            );
            return;
        };
        let line = physical
            .as_ref()
            .and_then(|p| p.region.as_ref())
            .and_then(|r| r.start_line.as_ref())
            .and_then(serde_json::Value::as_u64);
        let resource = match line {
            Some(line) => format!("{uri}:{line}"),
            None => uri.to_string(),
        };
        let rule_id = rule_id.trim();
        let (title, severity) = match self.rules.get(rule_id) {
            Some((title, severity)) => (title.clone(), *severity),
            None => (
                result.message.and_then(|m| m.text).unwrap_or_default(),
                Severity(0),
            ),
        };
        let check = self.read.check(rule_id, &title);
        let latest = Latest {
            time: 0,
            status: ScanStatus::Fail,
            muted: result.suppressions.is_some_and(|s| !s.is_empty()),
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
                    let tool = map.next_value::<SarifTool>()?;
                    self.0.learn(tool);
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
        while let Some(result) = seq.next_element::<SarifResult>()? {
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
