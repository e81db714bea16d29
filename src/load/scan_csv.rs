//! Load: what the scanner CSV readers share (Prowler 4, Prowler 2, Defender for
//! Cloud): opening the file (a byte-order mark passed over, the separator sniffed, the
//! header read), and the row loop: unreadable and ragged rows are dropped with their
//! line, a short last row is a cut-off file, and each full row goes to the reader's
//! own fold.

use crate::diag::{Location, Problem};
use crate::load::findings::FindingsRead;
use crate::progress::Progress;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// Open a scanner CSV: pass over a byte-order mark, sniff the separator from the start
/// of the file, and read the header row, which is returned with the reader.
pub(crate) fn open_csv<R: Read>(
    file: R,
    relative: &Path,
) -> Result<(csv::Reader<BufReader<R>>, csv::ByteRecord), Problem> {
    let mut input = BufReader::with_capacity(1 << 20, file);
    let head = input.fill_buf().map_err(|e| {
        Problem::new(
            Location::file(relative),
            format!("failed to read the file ({e})"),
        )
    })?;
    let bom = head.starts_with(b"\xEF\xBB\xBF");
    let delimiter = crate::load::evidence_files::sniff_delimiter(&head[if bom { 3 } else { 0 }..]);
    if bom {
        input.consume(3);
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 20)
        .from_reader(input);
    let mut header = csv::ByteRecord::new();
    match reader.read_byte_record(&mut header) {
        Ok(true) => Ok((reader, header)),
        Ok(false) => Err(Problem::new(Location::file(relative), "the file is empty")),
        Err(e) => Err(Problem::new(
            header_at(relative, 0),
            format!("failed to read CSV ({e})"),
        )),
    }
}

/// A place in the header row (line 1): field 0 for the whole row.
pub(crate) fn header_at(relative: &Path, field: usize) -> Location {
    Location::Record {
        path: relative.to_path_buf(),
        line: 1,
        field,
        header: String::new(),
    }
}

/// What a row wider than the header is.
pub(crate) enum WideRow {
    /// Dropped at once, its message ending with this note.
    Drop(&'static str),
    /// Like a short row: dropped when another row follows, a cut-off file when last.
    AsShort,
}

/// The header a file's rows are measured against.
pub(crate) struct RowShape<'a> {
    pub relative: &'a Path,
    /// Fields in the header.
    pub count: usize,
    /// The header's names, for the column a bad cell is in.
    pub names: &'a [String],
    pub wide: WideRow,
}

impl RowShape<'_> {
    fn at(&self, line: u64, field: usize, header: &str) -> Location {
        Location::Record {
            path: self.relative.to_path_buf(),
            line,
            field,
            header: header.to_string(),
        }
    }

    fn ragged(&self, fields: usize, note: &str) -> String {
        format!(
            "the row has {fields} fields where the header has {}{note}",
            self.count
        )
    }
}

/// Read every row after the header; `fold` takes a full row or names the column
/// (0-based) and what is wrong with it.
pub(crate) fn read_rows<R: Read>(
    reader: &mut csv::Reader<R>,
    shape: &RowShape,
    read: &mut FindingsRead,
    progress: &mut Progress,
    mut fold: impl FnMut(&csv::ByteRecord, &mut FindingsRead) -> Result<(), (usize, String)>,
) -> Result<(), Problem> {
    let mut record = csv::ByteRecord::new();
    // A short row is only known to be a cut-off end once no row follows it.
    let mut short: Option<(u64, usize, usize)> = None;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    return Err(Problem::new(
                        shape.at(line, 0, ""),
                        format!("failed to read CSV ({e})"),
                    ));
                }
                read.drop_finding(shape.at(line, 0, ""), format!("unreadable row ({e})"));
                continue;
            }
        }
        if let Some((line, fields, _)) = short.take() {
            read.drop_finding(shape.at(line, fields, ""), shape.ragged(fields, ""));
        }
        let line = record.position().map_or(0, |p| p.line());
        if line.is_multiple_of(65_536) {
            progress.tick(record.position().map_or(0, |p| p.byte()), read.findings);
        }
        // A separator at the end of every row (Prowler 2 writes one) adds empty fields
        // past the header's: the row is whole.
        let blank = |f: &[u8]| f.iter().all(u8::is_ascii_whitespace);
        if record.len() > shape.count && record.iter().skip(shape.count).all(blank) {
            record.truncate(shape.count);
        }
        if record.len() != shape.count {
            if record.iter().all(blank) {
                continue;
            }
            match shape.wide {
                WideRow::Drop(note) if record.len() > shape.count => {
                    let field = record.len().min(shape.count);
                    read.drop_finding(shape.at(line, field, ""), shape.ragged(record.len(), note));
                }
                _ => {
                    // Where the row ends: its fields and the separators between them.
                    let end = record.iter().map(<[u8]>::len).sum::<usize>() + record.len();
                    short = Some((line, record.len(), end));
                }
            }
            continue;
        }
        if let Err((column, message)) = fold(&record, read) {
            let header = shape.names.get(column).cloned().unwrap_or_default();
            read.drop_finding(shape.at(line, column + 1, &header), message);
        }
    }
    match short {
        Some((line, fields, column)) => Err(Problem::new(
            Location::Text {
                path: shape.relative.to_path_buf(),
                line: line as usize,
                column,
            },
            format!(
                "the file ends early (truncated?): its last row has {fields} of the header's {} fields",
                shape.count
            ),
        )),
        None => Ok(()),
    }
}
