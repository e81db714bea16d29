//! Load: evidence spreadsheets (CSV, XLSX, XLS, ODS) into typed rows, or the reason a row is unusable.

use crate::diag::{Location, Problem};
use crate::load::dates::parse_text_date;
use crate::load::project::EvidenceSource;
use calamine::{Data, Reader};
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
    const ALL: [Field; 11] = [
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

    fn from_key(key: &str) -> Option<Field> {
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

/// Where a row came from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Origin {
    /// Relative to the project folder.
    pub path: PathBuf,
    pub sheet: Option<String>,
    /// 1-based line (CSV) or row (spreadsheet).
    pub row: u32,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.sheet {
            Some(sheet) => write!(f, "{} [{sheet}] row {}", self.path.display(), self.row),
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
    /// Sheets passed over because they have no evidence header; said, not hidden.
    pub skipped_sheets: Vec<String>,
    /// Files that could not be read at all.
    pub errors: Vec<Problem>,
}

impl EvidenceRead {
    pub fn rows_read(&self) -> usize {
        self.rows.len() + self.rejected.len()
    }
}

/// A cell value as read, before it is typed for its field.
#[derive(Debug, Clone)]
enum Cell {
    Empty,
    Text(String),
    Date(NaiveDate),
    Number(f64),
    Bool(bool),
    Error(String),
}

impl Cell {
    fn text(&self) -> Option<String> {
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

    fn is_blank(&self) -> bool {
        self.text().is_none()
    }
}

/// Read every evidence source of a project.
pub fn read_sources(
    root: &Path,
    sources: &[EvidenceSource],
    project_formats: &[String],
    at: &dyn Fn(std::ops::Range<usize>) -> Location,
) -> EvidenceRead {
    let mut read = EvidenceRead::default();
    for source in sources {
        let relative = source.path.get_ref().clone();
        let absolute = root.join(&relative);
        let mut formats = project_formats.to_vec();
        formats.extend(source.date_formats.iter().cloned());
        let columns = match column_overrides(source, at) {
            Ok(c) => c,
            Err(problems) => {
                read.errors.extend(problems);
                continue;
            }
        };
        let sheet_reader = SheetReader {
            relative: &relative,
            framework: source.framework.as_ref().map(|f| f.get_ref().clone()),
            columns: &columns,
            formats: &formats,
        };
        let kind = source
            .format
            .as_ref()
            .map(|f| f.get_ref().to_lowercase())
            .unwrap_or_else(|| extension(&relative));
        match kind.as_str() {
            "csv" | "tsv" | "txt" => {
                read_csv(&absolute, source.delimiter, &sheet_reader, &mut read)
            }
            "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => {
                read_workbook(&absolute, &source.sheets, &sheet_reader, &mut read)
            }
            other => {
                let span = source
                    .format
                    .as_ref()
                    .map_or(source.path.span(), |f| f.span());
                read.errors.push(Problem::new(
                    at(span),
                    format!("unknown evidence format \"{other}\" (expected csv, xlsx, xls or ods)"),
                ))
            }
        }
    }
    read
}

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_lowercase()
}

fn column_overrides(
    source: &EvidenceSource,
    at: &dyn Fn(std::ops::Range<usize>) -> Location,
) -> Result<BTreeMap<Field, String>, Vec<Problem>> {
    let mut columns = BTreeMap::new();
    let mut problems = Vec::new();
    for (key, header) in &source.columns {
        match Field::from_key(key.get_ref()) {
            Some(field) => {
                columns.insert(field, normalise_header(header));
            }
            None => {
                let keys: Vec<&str> = Field::ALL.iter().map(|f| f.key()).collect();
                let hint = crate::diag::did_you_mean(key.get_ref(), keys.iter().copied())
                    .map(|k| format!("; did you mean \"{k}\"?"))
                    .unwrap_or_else(|| format!(" (expected one of {})", keys.join(", ")));
                problems.push(Problem::new(
                    at(key.span()),
                    format!("unknown evidence column \"{}\"{hint}", key.get_ref()),
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(columns)
    } else {
        Err(problems)
    }
}

/// Lower case, single spaces, no `(s)` or punctuation at the ends.
fn normalise_header(header: &str) -> String {
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

/// What every sheet of one source shares: its name, column overrides and date formats.
struct SheetReader<'a> {
    relative: &'a Path,
    framework: Option<String>,
    columns: &'a BTreeMap<Field, String>,
    formats: &'a [String],
}

/// Which column holds which field, found from the header row.
struct Header {
    fields: BTreeMap<Field, usize>,
    names: Vec<String>,
}

impl SheetReader<'_> {
    fn header(&self, cells: &[String]) -> Header {
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
    fn row(
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

    fn missing_required(&self, header: &Header) -> Option<String> {
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

fn read_csv(path: &Path, delimiter: Option<char>, reader: &SheetReader, read: &mut EvidenceRead) {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            read.errors.push(Problem::new(
                Location::file(reader.relative),
                format!("failed to read the file ({e})"),
            ));
            return;
        }
    };
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(&bytes);
    let delimiter = match delimiter {
        Some(d) if d.is_ascii() => d as u8,
        Some(d) => {
            read.errors.push(Problem::new(
                Location::file(reader.relative),
                format!("the delimiter {d:?} is not a single ASCII character"),
            ));
            return;
        }
        None => sniff_delimiter(bytes),
    };
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut header: Option<Header> = None;
    let mut lines = LineCounter::default();
    for record in csv.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| lines.line_at(bytes, p.byte()));
                let at = Location::Record {
                    path: reader.relative.to_path_buf(),
                    line,
                    field: 0,
                    header: String::new(),
                };
                if let csv::ErrorKind::Utf8 { .. } = e.kind() {
                    // One badly encoded row does not spoil the others: report it and go on.
                    read.rejected.push(RejectedRow {
                        origin: Origin {
                            path: reader.relative.to_path_buf(),
                            sheet: None,
                            row: line as u32,
                        },
                        title: None,
                        problems: vec![Problem::new(
                            at,
                            "the row is not valid UTF-8 text; save the file as UTF-8",
                        )],
                    });
                    continue;
                }
                read.errors
                    .push(Problem::new(at, format!("failed to read CSV ({e})")));
                return;
            }
        };
        let line = record
            .position()
            .map_or(0, |p| lines.line_at(bytes, p.byte()));
        let cells: Vec<Cell> = record.iter().map(|t| Cell::Text(t.to_string())).collect();
        if cells.iter().all(Cell::is_blank) {
            continue;
        }
        let Some(found) = &header else {
            let found = reader.header(&record.iter().map(str::to_string).collect::<Vec<_>>());
            if let Some(message) = reader.missing_required(&found) {
                read.errors.push(Problem::new(
                    Location::Record {
                        path: reader.relative.to_path_buf(),
                        line,
                        field: 1,
                        header: String::new(),
                    },
                    message,
                ));
                return;
            }
            header = Some(found);
            continue;
        };
        let locate = |column: usize| Location::Record {
            path: reader.relative.to_path_buf(),
            line,
            field: column + 1,
            header: found.names.get(column).cloned().unwrap_or_default(),
        };
        let origin = Origin {
            path: reader.relative.to_path_buf(),
            sheet: None,
            row: line as u32,
        };
        match reader.row(found, origin, &cells, &locate) {
            Ok(row) => read.rows.push(row),
            Err(rejected) => read.rejected.push(rejected),
        }
    }
}

/// Line numbers from byte offsets, counted once through the file.
/// (The csv crate's own line count lags by one after a CRLF terminator.)
#[derive(Default)]
struct LineCounter {
    offset: usize,
    line: u64,
}

impl LineCounter {
    /// The 1-based line of the first character at or after `byte` that ends no line.
    fn line_at(&mut self, bytes: &[u8], byte: u64) -> u64 {
        let mut start = (byte as usize).min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start < self.offset {
            self.offset = 0;
            self.line = 0;
        }
        self.line += bytes[self.offset..start]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u64;
        self.offset = start;
        self.line + 1
    }
}

/// The delimiter that splits the first line into the most fields.
fn sniff_delimiter(bytes: &[u8]) -> u8 {
    let first_line = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let mut best = (0, b',');
    for candidate in [b',', b';', b'\t', b'|'] {
        let mut in_quotes = false;
        let mut count = 0;
        for byte in first_line {
            match *byte {
                b'"' => in_quotes = !in_quotes,
                b if b == candidate && !in_quotes => count += 1,
                _ => {}
            }
        }
        if count > best.0 {
            best = (count, candidate);
        }
    }
    best.1
}

fn read_workbook(path: &Path, sheets: &[String], reader: &SheetReader, read: &mut EvidenceRead) {
    let whole_file = || Location::file(reader.relative);
    let mut workbook = match calamine::open_workbook_auto(path) {
        Ok(w) => w,
        Err(e) => {
            read.errors.push(Problem::new(
                whole_file(),
                format!("failed to open the workbook ({e})"),
            ));
            return;
        }
    };
    let names = workbook.sheet_names();
    let chosen: Vec<String> = if sheets.is_empty() {
        names.clone()
    } else {
        let mut chosen = Vec::new();
        for wanted in sheets {
            match names.iter().find(|n| n.eq_ignore_ascii_case(wanted)) {
                Some(name) => chosen.push(name.clone()),
                None => read.errors.push(Problem::new(
                    whole_file(),
                    format!(
                        "no sheet \"{wanted}\" (the workbook has {})",
                        names.join(", ")
                    ),
                )),
            }
        }
        chosen
    };
    let explicit = !sheets.is_empty();
    for sheet in chosen {
        match workbook.worksheet_range(&sheet) {
            Ok(range) => read_sheet(&range, &sheet, explicit, reader, read),
            Err(e) => read.errors.push(Problem::new(
                whole_file(),
                format!("failed to read sheet \"{sheet}\" ({e})"),
            )),
        }
    }
}

fn read_sheet(
    range: &calamine::Range<Data>,
    sheet: &str,
    explicit: bool,
    reader: &SheetReader,
    read: &mut EvidenceRead,
) {
    let Some((first_row, first_col)) = range.start() else {
        if explicit {
            read.errors.push(Problem::new(
                Location::file(reader.relative),
                format!("sheet \"{sheet}\" is empty"),
            ));
        }
        return;
    };
    let cell_at = |row: u32, column: usize| Location::Cell {
        path: reader.relative.to_path_buf(),
        sheet: sheet.to_string(),
        row: row + 1,
        column: first_col + column as u32,
    };
    // Cells are placed by absolute column so that positions match what the user sees.
    let mut header: Option<Header> = None;
    for (offset, row) in range.rows().enumerate() {
        let row_index = first_row + offset as u32;
        let cells: Vec<Cell> = row.iter().map(to_cell).collect();
        if cells.iter().all(Cell::is_blank) {
            continue;
        }
        let Some(found) = &header else {
            let names: Vec<String> = cells.iter().map(|c| c.text().unwrap_or_default()).collect();
            let found = reader.header(&names);
            if let Some(message) = reader.missing_required(&found) {
                if explicit
                    || found.fields.contains_key(&Field::Controls)
                    || found.fields.contains_key(&Field::Title)
                {
                    read.errors
                        .push(Problem::new(cell_at(row_index, 0), message));
                } else {
                    read.skipped_sheets.push(format!(
                        "{} [{sheet}]: no evidence header (a column of control references and one of titles)",
                        reader.relative.display()
                    ));
                }
                return;
            }
            header = Some(found);
            continue;
        };
        let origin = Origin {
            path: reader.relative.to_path_buf(),
            sheet: Some(sheet.to_string()),
            row: row_index + 1,
        };
        let locate = |column: usize| cell_at(row_index, column);
        match reader.row(found, origin, &cells, &locate) {
            Ok(row) => read.rows.push(row),
            Err(rejected) => read.rejected.push(rejected),
        }
    }
}

fn to_cell(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => match dt.as_datetime() {
            Some(d) => Cell::Date(d.date()),
            None => Cell::Error(format!("unreadable date serial {}", dt.as_f64())),
        },
        Data::DateTime(dt) => Cell::Number(dt.as_f64()),
        Data::DateTimeIso(s) => match parse_text_date(s, &[]) {
            Ok(d) => Cell::Date(d),
            Err(_) => Cell::Text(s.clone()),
        },
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(format!("{e}")),
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
    fn lines_count_from_bytes_whatever_the_line_ending() {
        let text = b"a;b\r\n1;2\r\n\r\n3;4\n5;6";
        let mut lines = LineCounter::default();
        assert_eq!(lines.line_at(text, 0), 1);
        assert_eq!(lines.line_at(text, 4), 2);
        assert_eq!(lines.line_at(text, 9), 4);
        assert_eq!(lines.line_at(text, 19), 5);
    }

    #[test]
    fn delimiter_is_sniffed_outside_quotes() {
        assert_eq!(sniff_delimiter(b"a;b;c\n1;2;3"), b';');
        assert_eq!(sniff_delimiter(b"\"a;b\",c,d\n"), b',');
        assert_eq!(sniff_delimiter(b"a\tb\tc\n"), b'\t');
    }

    #[test]
    fn references_split_on_common_separators() {
        assert_eq!(
            split_references("HIPAA 164.312(d); SOC2 CC6.1,\n164.308(a)(1)"),
            vec!["HIPAA 164.312(d)", "SOC2 CC6.1", "164.308(a)(1)"]
        );
    }
}
