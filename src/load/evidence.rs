//! Load: evidence spreadsheets (CSV, XLSX, XLS, ODS) into typed rows, or the reason a row is unusable.

use crate::diag::{Location, Problem};
use crate::load::dates::parse_text_date;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A column of an evidence sheet that auditpack understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    Controls,
    Title,
    Id,
    Description,
    Owner,
    Collected,
    Result,
    Link,
    Reviewer,
    Expires,
    Framework,
}

impl Field {
    pub(crate) const ALL: [Field; 11] = [
        Field::Controls,
        Field::Title,
        Field::Id,
        Field::Description,
        Field::Owner,
        Field::Collected,
        Field::Result,
        Field::Link,
        Field::Reviewer,
        Field::Expires,
        Field::Framework,
    ];

    /// The key used for column overrides in `audit.toml`.
    pub fn key(self) -> &'static str {
        match self {
            Field::Controls => "controls",
            Field::Title => "title",
            Field::Id => "id",
            Field::Description => "description",
            Field::Owner => "owner",
            Field::Collected => "collected",
            Field::Result => "result",
            Field::Link => "link",
            Field::Reviewer => "reviewer",
            Field::Expires => "expires",
            Field::Framework => "framework",
        }
    }

    /// Header names recognised for this field, already normalised.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::Controls => &[
                "controls",
                "control",
                "control ref",
                "control refs",
                "control reference",
                "control references",
                "control id",
                "control ids",
                "requirement",
                "requirements",
                "requirement id",
                "maps to",
                "mapped controls",
                "mapping",
                "criteria",
                "reference",
                "references",
            ],
            Field::Title => &[
                "title",
                "evidence",
                "evidence title",
                "evidence name",
                "name",
                "artifact",
            ],
            Field::Id => &[
                "id",
                "evidence id",
                "evidence ref",
                "ref",
                "#",
                "no",
                "number",
            ],
            Field::Description => &["description", "details", "notes", "comment", "comments"],
            Field::Owner => &["owner", "collected by", "responsible", "evidence owner"],
            Field::Collected => &[
                "collected",
                "collected date",
                "date collected",
                "collected on",
                "date",
                "evidence date",
                "last collected",
                "collection date",
                "as of",
            ],
            Field::Result => &["result", "status", "outcome", "test result", "conclusion"],
            Field::Link => &[
                "link",
                "url",
                "file",
                "location",
                "path",
                "evidence link",
                "attachment",
            ],
            Field::Reviewer => &["reviewer", "reviewed by", "approver"],
            Field::Expires => &[
                "expires",
                "expiry",
                "expiration",
                "expiry date",
                "valid until",
                "expires on",
            ],
            Field::Framework => &["framework", "standard", "regime"],
        }
    }

    pub(crate) fn from_key(key: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.key() == key)
    }
}

/// What a piece of evidence says about its control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Pass,
    Partial,
    Fail,
}

impl Outcome {
    pub fn id(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Partial => "partial",
            Outcome::Fail => "fail",
        }
    }
}

/// Where a row came from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Origin {
    /// Relative to the project folder.
    pub path: PathBuf,
    pub sheet: Option<String>,
    /// 1-based line (CSV) or row (spreadsheet); 0 for a whole file (a scan's summary).
    pub row: u32,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.sheet {
            Some(sheet) => write!(f, "{} [{sheet}] row {}", self.path.display(), self.row),
            None if self.row == 0 => write!(f, "{}", self.path.display()),
            None => write!(f, "{}:{}", self.path.display(), self.row),
        }
    }
}

/// One readable evidence row, before its references are resolved.
#[derive(Debug, Clone)]
pub struct EvidenceRow {
    pub origin: Origin,
    pub id: String,
    pub title: String,
    pub references: Vec<String>,
    pub references_at: Location,
    /// The row's framework column, else the source's `framework` setting.
    pub framework: Option<String>,
    pub description: Option<String>,
    pub owner: Option<String>,
    pub collected: Option<NaiveDate>,
    pub outcome: Outcome,
    /// False where the sheet gave no result and pass was assumed.
    pub outcome_stated: bool,
    pub link: Option<String>,
    pub reviewer: Option<String>,
    pub expires: Option<NaiveDate>,
}

/// A row that could not be used, with every reason found.
#[derive(Debug, Clone)]
pub struct RejectedRow {
    pub origin: Origin,
    pub title: Option<String>,
    pub problems: Vec<Problem>,
}

/// Everything read from the evidence sources.
#[derive(Debug, Default)]
pub struct EvidenceRead {
    pub rows: Vec<EvidenceRow>,
    pub rejected: Vec<RejectedRow>,
    /// What reading noticed and says rather than hides: sheets passed over for want
    /// of an evidence header, rows above a header read as a title.
    pub notes: Vec<String>,
    /// Files that could not be read at all.
    pub errors: Vec<Problem>,
    /// Scanner files, each with the index of its `[[evidence]]` entry.
    pub findings: Vec<(usize, crate::load::findings::FindingsRead)>,
}

impl EvidenceRead {
    pub fn rows_read(&self) -> usize {
        self.rows.len() + self.rejected.len()
    }

    /// Take in what one file gave, once it was read to the end.
    pub fn absorb(&mut self, other: EvidenceRead) {
        self.rows.extend(other.rows);
        self.rejected.extend(other.rejected);
        self.notes.extend(other.notes);
        self.errors.extend(other.errors);
        self.findings.extend(other.findings);
    }
}

/// A cell value as read, before it is typed for its field.
#[derive(Debug, Clone)]
pub(crate) enum Cell {
    Empty,
    Text(String),
    Date(NaiveDate),
    Number(f64),
    Bool(bool),
    Error(String),
}

impl Cell {
    pub(crate) fn text(&self) -> Option<String> {
        match self {
            Cell::Empty => None,
            Cell::Text(t) => Some(t.trim().to_string()).filter(|t| !t.is_empty()),
            Cell::Date(d) => Some(d.to_string()),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => Some(format!("{}", *n as i64)),
            Cell::Number(n) => Some(n.to_string()),
            Cell::Bool(b) => Some(b.to_string()),
            Cell::Error(e) => Some(e.clone()),
        }
    }

    pub(crate) fn is_blank(&self) -> bool {
        self.text().is_none()
    }
}

/// Lower case, single spaces, no `(s)` or punctuation at the ends.
pub(crate) fn normalise_header(header: &str) -> String {
    let header = header
        .trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .replace("(s)", "s");
    let words: Vec<&str> = header
        .split(|c: char| c.is_whitespace() || c == '_')
        .filter(|w| !w.is_empty())
        .collect();
    words
        .join(" ")
        .trim_matches(|c: char| c == ':' || c == '*')
        .to_string()
}

/// The column that marks a sheet as an evidence request list (normalised).
pub(crate) const REQUEST_COLUMN: &str = "requested evidence";

/// What every sheet of one source shares: its name, column overrides and date formats.
pub(crate) struct SheetReader<'a> {
    pub(crate) relative: &'a Path,
    pub(crate) framework: Option<String>,
    pub(crate) columns: &'a BTreeMap<Field, String>,
    pub(crate) formats: &'a [String],
}

/// Which column holds which field, found from the header row.
pub(crate) struct Header {
    pub(crate) fields: BTreeMap<Field, usize>,
    pub(crate) names: Vec<String>,
}

impl SheetReader<'_> {
    pub(crate) fn header(&self, cells: &[String]) -> Header {
        let names: Vec<String> = cells.iter().map(|c| c.trim().to_string()).collect();
        let normalised: Vec<String> = cells.iter().map(|c| normalise_header(c)).collect();
        let mut fields = BTreeMap::new();
        for field in Field::ALL {
            let position = match self.columns.get(&field) {
                Some(name) => normalised.iter().position(|h| h == name),
                None => field
                    .aliases()
                    .iter()
                    .find_map(|alias| normalised.iter().position(|h| h == alias)),
            };
            if let Some(position) = position
                && !fields.values().any(|p| *p == position)
            {
                fields.insert(field, position);
            }
        }
        Header { fields, names }
    }

    /// Type one data row; `locate(column)` gives a cell's position for errors.
    pub(crate) fn row(
        &self,
        header: &Header,
        origin: Origin,
        cells: &[Cell],
        locate: &dyn Fn(usize) -> Location,
    ) -> Result<EvidenceRow, RejectedRow> {
        let get = |field: Field| header.fields.get(&field).and_then(|c| cells.get(*c));
        let text = |field: Field| get(field).and_then(Cell::text);
        let at = |field: Field| locate(header.fields.get(&field).copied().unwrap_or(0));
        let mut problems = Vec::new();

        let title = text(Field::Title);
        let references = text(Field::Controls)
            .map(|t| split_references(&t))
            .unwrap_or_default();
        if references.is_empty() {
            problems.push(Problem::new(
                at(Field::Controls),
                "no control reference in this row",
            ));
        }
        if title.is_none() {
            problems.push(Problem::new(
                at(Field::Title),
                "no evidence title in this row",
            ));
        }
        let mut date = |field: Field| match get(field) {
            None | Some(Cell::Empty) => None,
            Some(cell) => match self.date(cell) {
                Ok(date) => date,
                Err(message) => {
                    problems.push(Problem::new(at(field), message));
                    None
                }
            },
        };
        let collected = date(Field::Collected);
        let expires = date(Field::Expires);
        let (outcome, outcome_stated) = match text(Field::Result) {
            None => (Outcome::Pass, false),
            Some(t) => match parse_outcome(&t) {
                Some(o) => (o, true),
                None => {
                    problems.push(Problem::new(
                        at(Field::Result),
                        format!("unknown result \"{t}\" (expected pass, fail or partial)"),
                    ));
                    (Outcome::Pass, false)
                }
            },
        };
        if !problems.is_empty() {
            return Err(RejectedRow {
                origin,
                title,
                problems,
            });
        }
        let id = text(Field::Id).unwrap_or_else(|| default_id(&origin));
        Ok(EvidenceRow {
            id,
            title: title.unwrap_or_default(),
            references,
            references_at: at(Field::Controls),
            framework: text(Field::Framework).or_else(|| self.framework.clone()),
            description: text(Field::Description),
            owner: text(Field::Owner),
            collected,
            outcome,
            outcome_stated,
            link: text(Field::Link),
            reviewer: text(Field::Reviewer),
            expires,
            origin,
        })
    }

    fn date(&self, cell: &Cell) -> Result<Option<NaiveDate>, String> {
        match cell {
            Cell::Empty => Ok(None),
            Cell::Date(d) => Ok(Some(*d)),
            Cell::Text(t) if t.trim().is_empty() => Ok(None),
            Cell::Text(t) => parse_text_date(t, self.formats).map(Some),
            Cell::Number(n) => Err(format!(
                "the number {n} is not a date; format the cell as a date or write 2026-09-30"
            )),
            Cell::Bool(b) => Err(format!("{b} is not a date")),
            Cell::Error(e) => Err(format!(
                "the cell holds the spreadsheet error {e}, not a date"
            )),
        }
    }

    /// A row of an evidence request list (a header with a `Requested evidence`
    /// column, as `auditpack init` writes) that nobody has filled in yet: no
    /// evidence title, date, result, link, reviewer or expiry. It asks for
    /// evidence rather than giving any, so it is neither evidence nor a problem.
    pub(crate) fn is_open_request(&self, header: &Header, cells: &[Cell]) -> bool {
        let is_request_list = header
            .names
            .iter()
            .any(|n| normalise_header(n) == REQUEST_COLUMN);
        let given = [
            Field::Title,
            Field::Collected,
            Field::Result,
            Field::Link,
            Field::Reviewer,
            Field::Expires,
        ]
        .iter()
        .any(|f| {
            header
                .fields
                .get(f)
                .and_then(|c| cells.get(*c))
                .is_some_and(|cell| !cell.is_blank())
        });
        is_request_list && !given
    }

    pub(crate) fn missing_required(&self, header: &Header) -> Option<String> {
        let missing: Vec<&str> = [Field::Controls, Field::Title]
            .into_iter()
            .filter(|f| !header.fields.contains_key(f))
            .map(|f| f.key())
            .collect();
        if missing.is_empty() {
            return None;
        }
        let columns: Vec<String> = header
            .names
            .iter()
            .filter(|n| !n.is_empty())
            .map(|n| format!("\"{n}\""))
            .collect();
        Some(format!(
            "no column for {} (header has {}; name it in audit.toml with columns = {{ {} = \"...\" }})",
            missing.join(" or "),
            if columns.is_empty() {
                "no names".to_string()
            } else {
                columns.join(", ")
            },
            missing[0]
        ))
    }
}

fn default_id(origin: &Origin) -> String {
    let stem = origin
        .path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("evidence");
    match &origin.sheet {
        Some(sheet) => format!("{stem}/{sheet}#{}", origin.row),
        None => format!("{stem}#{}", origin.row),
    }
}

/// A cell may name several controls, separated by commas, semicolons or new lines.
pub fn split_references(cell: &str) -> Vec<String> {
    cell.split([',', ';', '\n', '\r', '|'])
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty())
        .collect()
}

fn parse_outcome(text: &str) -> Option<Outcome> {
    let t = text.trim().to_lowercase();
    let t = t.trim_end_matches('.');
    match t {
        "pass" | "passed" | "ok" | "yes" | "compliant" | "effective" | "satisfied" | "met"
        | "implemented" | "green" => Some(Outcome::Pass),
        "fail" | "failed" | "no" | "non-compliant" | "noncompliant" | "not compliant"
        | "ineffective" | "deficient" | "not met" | "red" => Some(Outcome::Fail),
        "partial" | "partially" | "partially compliant" | "partially met" | "amber" => {
            Some(Outcome::Partial)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_aliases_case_insensitively() {
        assert_eq!(
            normalise_header("  Control Reference(s) "),
            "control references"
        );
        assert_eq!(normalise_header("\u{feff}Evidence_Title"), "evidence title");
    }

    #[test]
    fn references_split_on_common_separators() {
        assert_eq!(
            split_references("HIPAA 164.312(d); SOC2 CC6.1,\n164.308(a)(1)"),
            vec!["HIPAA 164.312(d)", "SOC2 CC6.1", "164.308(a)(1)"]
        );
    }
}
