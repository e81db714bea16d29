//! Load: Checkov's JSON (`checkov -o json`): one report, or a list of reports (one per
//! framework scanned), each with `results.passed_checks`, `failed_checks` and
//! `skipped_checks`. Every check result is a finding on an IaC resource, kept with its
//! file and first line so that the evidence points at the code. Reports and their
//! lists are streamed: memory follows the checks and resources kept, not the file.

use crate::diag::{Location, Problem};
use crate::load::findings::{FindingsRead, Latest, ScanFormat, ScanStatus, Severity};
use crate::load::json_stream::{CountingReader, json_problem};
use crate::load::loose::{Loose, loose_object};
use crate::progress::Progress;
use serde::Deserialize;
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;
use std::io::{BufReader, Read};
use std::path::Path;

/// One check result, as far as auditpack reads it (field names from Checkov's `Record`).
/// Every field is [`Loose`]: a wrong type drops the result, not the file.
#[derive(Deserialize, Default)]
#[serde(default)]
struct CheckovRecord {
    check_id: Loose<String>,
    check_name: Loose<String>,
    resource: Loose<String>,
    file_path: Loose<String>,
    file_line_range: Loose<Vec<Loose<i64>>>,
    severity: Loose<String>,
}

loose_object!(CheckovRecord);

/// A check result's fields once their types are checked.
struct Record {
    check_id: Option<String>,
    check_name: Option<String>,
    resource: Option<String>,
    file_path: Option<String>,
    /// The first line of the resource in its file.
    line: Option<i64>,
    severity: Option<String>,
}

/// Check the types of the fields auditpack uses: the first wrong one is the reason the
/// result is dropped.
fn check_types(r: CheckovRecord) -> Result<Record, String> {
    let lines = r.file_line_range.take("file_line_range")?;
    Ok(Record {
        check_id: r.check_id.take("check_id")?,
        check_name: r.check_name.take("check_name")?,
        resource: r.resource.take("resource")?,
        file_path: r.file_path.take("file_path")?,
        line: lines.and_then(|l| l.into_iter().next()).and_then(Loose::ok),
        severity: r.severity.take("severity")?,
    })
}

/// Which list a record came from.
#[derive(Clone, Copy)]
enum Outcome {
    Passed,
    Failed,
    /// Skipped by a suppression (`#checkov:skip=...`): a failure the team has set aside,
    /// read as Prowler's muted findings are.
    Skipped,
}

struct Reading<'a> {
    read: FindingsRead,
    relative: &'a Path,
    index: u64,
    progress: Progress,
    bytes: std::rc::Rc<std::cell::Cell<u64>>,
}

/// Read a Checkov JSON report one check result at a time.
pub fn read_checkov(file: impl Read, size: u64, relative: &Path) -> Result<FindingsRead, Problem> {
    let counter = CountingReader::new(file);
    let mut reading = Reading {
        read: FindingsRead::new(relative.to_path_buf(), ScanFormat::Checkov),
        relative,
        index: 0,
        progress: Progress::new(&format!("reading {}", relative.display()), size, "findings"),
        bytes: counter.counter(),
    };
    let buffered = BufReader::with_capacity(1 << 20, counter);
    let mut de = serde_json::Deserializer::from_reader(buffered);
    let result = Reports(&mut reading)
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

impl Reading<'_> {
    /// One element of a list of check results: a wrong type drops this result with its
    /// reason and the rest are read.
    fn fold(&mut self, element: Loose<CheckovRecord>, outcome: Outcome) {
        self.index += 1;
        if self.index.is_multiple_of(16_384) {
            self.progress.tick(self.bytes.get(), self.read.findings);
        }
        let at = Location::Element {
            path: self.relative.to_path_buf(),
            index: self.index,
        };
        let record = match element.element().and_then(check_types) {
            Ok(record) => record,
            Err(why) => {
                self.read.drop_finding(at, why);
                return;
            }
        };
        let Some(check_id) = record.check_id.filter(|c| !c.trim().is_empty()) else {
            self.read.drop_finding(at, "no check id (check_id)");
            return;
        };
        let Some(resource) = record.resource.filter(|r| !r.trim().is_empty()) else {
            self.read.drop_finding(at, "no resource (resource)");
            return;
        };
        let place = match (record.file_path.as_deref().map(str::trim), record.line) {
            (Some(file), Some(line)) if !file.is_empty() => format!(" ({file}:{line})"),
            (Some(file), None) if !file.is_empty() => format!(" ({file})"),
            _ => String::new(),
        };
        let check = self
            .read
            .check(check_id.trim(), record.check_name.as_deref().unwrap_or(""));
        let (status, muted) = match outcome {
            Outcome::Passed => (ScanStatus::Pass, false),
            Outcome::Failed => (ScanStatus::Fail, false),
            Outcome::Skipped => (ScanStatus::Fail, true),
        };
        let latest = Latest {
            time: 0,
            status,
            muted,
            severity: Severity::parse(record.severity.as_deref().unwrap_or("")),
        };
        self.read
            .record(check, &format!("{}{place}", resource.trim()), latest);
    }
}

/// The whole file: one report, or an array of them.
struct Reports<'r, 'a>(&'r mut Reading<'a>);

impl<'de> DeserializeSeed<'de> for Reports<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Reports<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "a Checkov report (an object with \"results\") or a list of them"
        )
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Report(&mut *self.0))?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        Report(self.0).visit_map(map)
    }
}

/// One report: `check_type`, `results` (or `checks` in a full report), `summary`.
struct Report<'r, 'a>(&'r mut Reading<'a>);

impl<'de> DeserializeSeed<'de> for Report<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Report<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a Checkov report (an object with \"results\")")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(name) = map.next_key::<String>()? {
            match name.as_str() {
                "results" | "checks" => map.next_value_seed(Results(&mut *self.0))?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// `results`: the lists of passed, failed and skipped checks.
struct Results<'r, 'a>(&'r mut Reading<'a>);

impl<'de> DeserializeSeed<'de> for Results<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Results<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "an object of \"passed_checks\" and \"failed_checks\"")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(name) = map.next_key::<String>()? {
            let outcome = match name.as_str() {
                "passed_checks" => Outcome::Passed,
                "failed_checks" => Outcome::Failed,
                "skipped_checks" => Outcome::Skipped,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            map.next_value_seed(Records(&mut *self.0, outcome))?;
        }
        Ok(())
    }
}

/// One list of check results.
struct Records<'r, 'a>(&'r mut Reading<'a>, Outcome);

impl<'de> DeserializeSeed<'de> for Records<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Records<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a list of check results")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(record) = seq.next_element::<Loose<CheckovRecord>>()? {
            self.0.fold(record, self.1);
        }
        Ok(())
    }
}
