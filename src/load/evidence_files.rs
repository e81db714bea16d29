//! Load: evidence files (CSV, XLSX, XLS, ODS) read sheet by sheet into typed rows.

use crate::diag::{Location, Problem};
use crate::load::dates::parse_text_date;
use crate::load::evidence::{
    Cell, EvidenceRead, Field, Header, Origin, RejectedRow, SheetReader, normalise_header,
};
use crate::load::findings::{ScanFormat, unrecognised_scan};
use crate::load::guard::catch_library_panic;
use crate::load::input::{InputFolders, InputKind, check_regular_file, read_bytes};
use crate::load::project::EvidenceSource;
use crate::load::scan_files::{detect_kind, is_declared_scan, read_scan};
use crate::load::sector_chains::check_sector_chains;
use crate::memory::with_memory_limit;
use crate::progress::Progress;
use calamine::{Data, Reader, Sheets};
use std::collections::BTreeMap;
use std::path::Path;

/// Read every evidence source of a project, each only if it may be read
/// (inside the project or a folder it names, a regular file).
pub fn read_sources(
    folders: &InputFolders,
    sources: &[EvidenceSource],
    project_formats: &[String],
    at: &dyn Fn(std::ops::Range<usize>) -> Location,
) -> EvidenceRead {
    let mut read = EvidenceRead::default();
    for (index, source) in sources.iter().enumerate() {
        let relative = source.path.get_ref().clone();
        // The largest kind's limit here; each reader checks its own.
        let absolute = match folders.resolve(&relative, InputKind::Scan) {
            Ok(path) => path,
            Err(message) => {
                read.errors
                    .push(Problem::new(at(source.path.span()), message));
                continue;
            }
        };
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
            .unwrap_or_else(|| detect_kind(&absolute, &relative));
        if let Some(format) = ScanFormat::from_id(&kind) {
            match read_scan(&absolute, &relative, format, source) {
                Ok(mut findings) => {
                    if let Some(date) = source.collected {
                        findings.date_undated(date);
                    }
                    read.findings.push((index, findings))
                }
                Err(problem) => read.errors.push(problem),
            }
            continue;
        }
        let declared_scan = source.format.is_none() && is_declared_scan(source);
        match kind.as_str() {
            "json" | "sarif" if source.format.is_none() => {
                read.errors.push(unrecognised_scan(&relative, "json"))
            }
            "csv" | "txt" if declared_scan => read.errors.push(unrecognised_scan(&relative, "csv")),
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
                    format!(
                        "unknown evidence format \"{other}\" (expected csv, xlsx, xls, ods, {})",
                        ScanFormat::ALL.map(ScanFormat::id).join(", ")
                    ),
                ))
            }
        }
    }
    read
}

pub(crate) fn extension(path: &Path) -> String {
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

fn read_csv(path: &Path, delimiter: Option<char>, reader: &SheetReader, read: &mut EvidenceRead) {
    let bytes = match read_bytes(path, reader.relative, InputKind::EvidenceText) {
        Ok(b) => b,
        Err(message) => {
            read.errors
                .push(Problem::new(Location::file(reader.relative), message));
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
    // Lines before the header (a title), each read as a header that was not one.
    let mut above: Vec<(u64, Header)> = Vec::new();
    let mut open_requests = 0u64;
    let mut lines = LineCounter::default();
    let label = format!("reading {}", reader.relative.display());
    let mut progress = Progress::new(&label, bytes.len() as u64, "rows");
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
        progress.tick(record.position().map_or(0, |p| p.byte()), line);
        let cells: Vec<Cell> = record.iter().map(|t| Cell::Text(t.to_string())).collect();
        if cells.iter().all(Cell::is_blank) {
            continue;
        }
        let Some(found) = &header else {
            let found = reader.header(&record.iter().map(str::to_string).collect::<Vec<_>>());
            if reader.missing_required(&found).is_none() {
                if !above.is_empty() {
                    read.notes.push(format!(
                        "{}: the header is line {line}; the {} line(s) above it are read as a title, not evidence",
                        reader.relative.display(),
                        above.len()
                    ));
                }
                header = Some(found);
                continue;
            }
            above.push((line, found));
            if above.len() < TITLE_ROWS {
                continue;
            }
            break;
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
        if reader.is_open_request(found, &cells) {
            open_requests += 1;
            continue;
        }
        match reader.row(found, origin, &cells, &locate) {
            Ok(row) => read.rows.push(row),
            Err(rejected) => read.rejected.push(rejected),
        }
    }
    note_open_requests(read, &reader.relative.display().to_string(), open_requests);
    // No header: the first line is the one that should have been, so the error names it.
    if header.is_none()
        && let Some((line, first)) = above.first()
        && let Some(message) = reader.missing_required(first)
    {
        read.errors.push(Problem::new(
            Location::Record {
                path: reader.relative.to_path_buf(),
                line: *line,
                field: 1,
                header: String::new(),
            },
            message,
        ));
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
pub(crate) fn sniff_delimiter(bytes: &[u8]) -> u8 {
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

/// Read a workbook's sheets. calamine can panic on a damaged file (`.xls` cut
/// short): that is caught here and the file reported as damaged, with none of
/// its rows kept.
fn read_workbook(path: &Path, sheets: &[String], reader: &SheetReader, read: &mut EvidenceRead) {
    let size = match check_regular_file(path, reader.relative, InputKind::Workbook) {
        Ok(size) => size,
        Err(message) => {
            read.errors
                .push(Problem::new(Location::file(reader.relative), message));
            return;
        }
    };
    if extension(reader.relative) == "xls"
        && let Err(why) = read_bytes(path, reader.relative, InputKind::Workbook)
            .and_then(|bytes| check_sector_chains(&bytes))
    {
        read.errors.push(Problem::new(
            Location::file(reader.relative),
            format!("damaged or truncated workbook: {why}"),
        ));
        return;
    }
    let mut this_file = EvidenceRead::default();
    let reading = format!("reading {}", reader.relative.display());
    let guarded = with_memory_limit(
        &reading,
        "a damaged or truncated workbook: its reader trusted a size or a chain of records written in the file",
        workbook_allowance(size),
        || catch_library_panic(|| read_workbook_sheets(path, sheets, reader, &mut this_file)),
    );
    match guarded {
        Ok(()) => read.absorb(this_file),
        Err(cause) => read.errors.push(Problem::new(
            Location::file(reader.relative),
            format!(
                "damaged or truncated workbook: {} could not be read ({})",
                reader.relative.display(),
                crate::diag::quoted(&cause, 200)
            ),
        )),
    }
}

/// The memory reading a workbook may take: its rows are kept (about 1.2 KB
/// each, and a compressed row is some 30 bytes), plus room for the reader.
fn workbook_allowance(size: u64) -> usize {
    const GIB: usize = 1 << 30;
    (size as usize).saturating_mul(100).saturating_add(2 * GIB)
}

fn read_workbook_sheets(
    path: &Path,
    sheets: &[String],
    reader: &SheetReader,
    read: &mut EvidenceRead,
) {
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
        let mut rows = SheetRows::new(&sheet, explicit, reader);
        let outcome = match &mut workbook {
            // Excel's own format streams a cell at a time; the others read whole.
            Sheets::Xlsx(xlsx) => stream_sheet(xlsx, &sheet, &mut rows, read),
            other => other
                .worksheet_range(&sheet)
                .map_err(|e| e.to_string())
                .map(|range| range_rows(&range, &mut rows, read)),
        };
        match outcome {
            Ok(()) => rows.finish(read),
            Err(e) => read.errors.push(Problem::new(
                whole_file(),
                format!("failed to read sheet \"{sheet}\" ({e})"),
            )),
        }
    }
}

/// Columns an Excel sheet has (A to XFD).
const EXCEL_COLUMNS: usize = 16_384;

/// Feed a sheet to `rows` cell by cell, as calamine streams it, a row at a time.
fn stream_sheet<RS: std::io::Read + std::io::Seek>(
    workbook: &mut calamine::Xlsx<RS>,
    sheet: &str,
    rows: &mut SheetRows,
    read: &mut EvidenceRead,
) -> Result<(), String> {
    let mut cells = workbook
        .worksheet_cells_reader(sheet)
        .map_err(|e| e.to_string())?;
    let mut row: Vec<Cell> = Vec::new();
    let mut row_index = None;
    let label = format!("reading {} [{sheet}]", rows.reader.relative.display());
    let mut progress = Progress::new(&label, 0, "rows");
    while let Some(cell) = cells.next_cell().map_err(|e| e.to_string())? {
        let (r, c) = cell.get_position();
        if row_index != Some(r) {
            if let Some(done) = row_index
                && !rows.take(done, std::mem::take(&mut row), read)
            {
                return Ok(());
            }
            row_index = Some(r);
            progress.tick(0, u64::from(r));
        }
        let column = c as usize;
        // A damaged or hostile file can name any column: rows are sized by it.
        if column >= EXCEL_COLUMNS {
            return Err(format!(
                "row {} has a cell in column {}, past Excel's last column XFD",
                r + 1,
                column + 1
            ));
        }
        if row.len() <= column {
            row.resize(column + 1, Cell::Empty);
        }
        row[column] = to_cell(Data::from(cell.get_value().clone()));
    }
    if let Some(done) = row_index {
        rows.take(done, row, read);
    }
    Ok(())
}

/// Feed a whole-sheet range to `rows`, a row at a time, at the cells' true columns.
fn range_rows(range: &calamine::Range<Data>, rows: &mut SheetRows, read: &mut EvidenceRead) {
    let Some((first_row, first_col)) = range.start() else {
        return;
    };
    for (offset, row) in range.rows().enumerate() {
        let mut cells = vec![Cell::Empty; first_col as usize];
        cells.extend(row.iter().cloned().map(to_cell));
        if !rows.take(first_row + offset as u32, cells, read) {
            return;
        }
    }
}

/// How many non-blank rows a sheet or CSV file may open with before its header: a
/// title, a date, a note on how to fill it in.
const TITLE_ROWS: usize = 10;

/// One sheet's rows, taken one at a time: the header first, then evidence rows.
struct SheetRows<'a> {
    sheet: &'a str,
    /// The sheet was named in audit.toml: it must hold evidence.
    explicit: bool,
    reader: &'a SheetReader<'a>,
    header: Option<Header>,
    /// The first non-blank row, read as a header, while the header is looked for.
    first: Option<(u32, Header)>,
    /// Non-blank rows above the header.
    above: usize,
    /// Rows of an evidence request list not filled in yet.
    open_requests: u64,
}

impl<'a> SheetRows<'a> {
    fn new(sheet: &'a str, explicit: bool, reader: &'a SheetReader<'a>) -> Self {
        SheetRows {
            sheet,
            explicit,
            reader,
            header: None,
            first: None,
            above: 0,
            open_requests: 0,
        }
    }

    fn cell_at(&self, row: u32, column: usize) -> Location {
        Location::Cell {
            path: self.reader.relative.to_path_buf(),
            sheet: self.sheet.to_string(),
            row: row + 1,
            column: column as u32,
        }
    }

    /// Take row `row_index` (0-based), cells at their columns; false to stop reading.
    fn take(&mut self, row_index: u32, cells: Vec<Cell>, read: &mut EvidenceRead) -> bool {
        if cells.iter().all(Cell::is_blank) {
            return true;
        }
        let Some(found) = &self.header else {
            return self.look_for_header(row_index, &cells, read);
        };
        let origin = Origin {
            path: self.reader.relative.to_path_buf(),
            sheet: Some(self.sheet.to_string()),
            row: row_index + 1,
        };
        if self.reader.is_open_request(found, &cells) {
            self.open_requests += 1;
            return true;
        }
        let locate = |column: usize| self.cell_at(row_index, column);
        match self.reader.row(found, origin, &cells, &locate) {
            Ok(row) => read.rows.push(row),
            Err(rejected) => read.rejected.push(rejected),
        }
        true
    }

    /// A row before the header: the header if it names a controls and a title column,
    /// else a title row, up to `TITLE_ROWS` of them.
    fn look_for_header(&mut self, row_index: u32, cells: &[Cell], read: &mut EvidenceRead) -> bool {
        let names: Vec<String> = cells.iter().map(|c| c.text().unwrap_or_default()).collect();
        let found = self.reader.header(&names);
        if self.reader.missing_required(&found).is_none() {
            if self.above > 0 {
                read.notes.push(format!(
                    "{} [{}]: the header is row {}; the {} row(s) above it are read as a title, not evidence",
                    self.reader.relative.display(),
                    self.sheet,
                    row_index + 1,
                    self.above
                ));
            }
            self.header = Some(found);
            self.first = None;
            return true;
        }
        self.first.get_or_insert((row_index, found));
        self.above += 1;
        if self.above < TITLE_ROWS {
            return true;
        }
        self.no_header(read);
        false
    }

    /// No header found: an error where the sheet must or seems to hold evidence
    /// (named in audit.toml, or its first row has a controls or title column),
    /// else a note that the sheet was passed over.
    fn no_header(&mut self, read: &mut EvidenceRead) {
        let Some((row_index, first)) = self.first.take() else {
            return;
        };
        let Some(message) = self.reader.missing_required(&first) else {
            return;
        };
        if self.explicit
            || first.fields.contains_key(&Field::Controls)
            || first.fields.contains_key(&Field::Title)
        {
            read.errors
                .push(Problem::new(self.cell_at(row_index, 0), message));
        } else {
            read.notes.push(format!(
                "{} [{}]: no evidence header (a column of control references and one of titles)",
                self.reader.relative.display(),
                self.sheet
            ));
        }
    }

    /// After the last row: a sheet named in audit.toml must not be empty, and one
    /// whose header never came is reported.
    fn finish(mut self, read: &mut EvidenceRead) {
        self.no_header(read);
        let place = format!("{} [{}]", self.reader.relative.display(), self.sheet);
        note_open_requests(read, &place, self.open_requests);
        let seen = self.header.is_some() || self.above > 0;
        if self.explicit && !seen {
            read.errors.push(Problem::new(
                Location::file(self.reader.relative),
                format!("sheet \"{}\" is empty", self.sheet),
            ));
        }
    }
}

/// Say how many requests of an evidence request list are still open, so that
/// rows passed over are counted, not hidden.
fn note_open_requests(read: &mut EvidenceRead, place: &str, open: u64) {
    if open > 0 {
        read.notes.push(format!(
            "{place}: {open} evidence request(s) not filled in yet (no title, date, result or link), passed over"
        ));
    }
}

/// A spreadsheet value as a cell; taken by value so that text moves, not copies
/// (the streamed reader hands over each cell once).
fn to_cell(data: Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s),
        Data::Int(i) => Cell::Number(i as f64),
        Data::Float(f) => Cell::Number(f),
        Data::Bool(b) => Cell::Bool(b),
        Data::DateTime(dt) if dt.is_datetime() => match date_serial_in_range(dt.as_f64()) {
            true => match dt.as_datetime() {
                Some(d) => Cell::Date(d.date()),
                None => Cell::Error(format!("unreadable date serial {}", dt.as_f64())),
            },
            false => Cell::Error(format!(
                "date serial {} is outside the dates a spreadsheet holds ({EARLIEST_DATE_SERIAL} to {LATEST_DATE_SERIAL})",
                dt.as_f64()
            )),
        },
        Data::DateTime(dt) => Cell::Number(dt.as_f64()),
        Data::DateTimeIso(s) => match parse_text_date(&s, &[]) {
            Ok(d) => Cell::Date(d),
            Err(_) => Cell::Text(s),
        },
        Data::DurationIso(s) => Cell::Text(s),
        Data::Error(e) => Cell::Error(format!("{e}")),
    }
}

/// The serials of 1900-01-01 and 9999-12-31, the first and last dates Excel shows.
const EARLIEST_DATE_SERIAL: f64 = 1.0;
const LATEST_DATE_SERIAL: f64 = 2_958_465.0;

/// Whether a date cell's serial is a date at all; chrono panics on some far
/// outside the range (-1.1e11), and none outside it is a real evidence date.
fn date_serial_in_range(serial: f64) -> bool {
    (EARLIEST_DATE_SERIAL..LATEST_DATE_SERIAL + 1.0).contains(&serial)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_serials_outside_a_spreadsheet_range_are_not_dates() {
        assert!(date_serial_in_range(46_000.5));
        assert!(!date_serial_in_range(-1.1e11));
        assert!(!date_serial_in_range(f64::NAN));
        assert!(!date_serial_in_range(3.0e6));
    }

    #[test]
    fn delimiter_is_sniffed_outside_quotes() {
        assert_eq!(sniff_delimiter(b"a;b;c\n1;2;3"), b';');
        assert_eq!(sniff_delimiter(b"\"a;b\",c,d\n"), b',');
        assert_eq!(sniff_delimiter(b"a\tb\tc\n"), b'\t');
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
}
