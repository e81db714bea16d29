//! Shared: positions in input files and the problems found there.

use serde::Serialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// Where in the inputs a problem was found.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Location {
    /// A whole file.
    File { path: PathBuf },
    /// A line and column of a text file (TOML); 1-based.
    Text {
        path: PathBuf,
        line: usize,
        column: usize,
    },
    /// A record and field of a CSV file; the line is 1-based, as an editor shows it.
    Record {
        path: PathBuf,
        line: u64,
        field: usize,
        header: String,
    },
    /// The n-th element (1-based) of a file's list of findings (JSON).
    Element { path: PathBuf, index: u64 },
    /// A cell of a spreadsheet; the row is 1-based, the column 0-based.
    Cell {
        path: PathBuf,
        sheet: String,
        row: u32,
        column: u32,
    },
}

impl Location {
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Location::File { path: path.into() }
    }

    /// The position of a byte offset in a text, as line and column.
    pub fn in_text(path: &Path, text: &str, offset: usize) -> Self {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Location::Text {
            path: path.to_path_buf(),
            line,
            column,
        }
    }

    pub fn path(&self) -> &Path {
        match self {
            Location::File { path }
            | Location::Text { path, .. }
            | Location::Record { path, .. }
            | Location::Element { path, .. }
            | Location::Cell { path, .. } => path,
        }
    }
}

/// The spreadsheet name of a 0-based column: 0 is A, 26 is AA.
pub fn column_letters(mut column: u32) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (column % 26) as u8);
        if column < 26 {
            break;
        }
        column = column / 26 - 1;
    }
    letters.reverse();
    String::from_utf8_lossy(&letters).into_owned()
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File { path } => write!(f, "{}", path.display()),
            Location::Text { path, line, column } => {
                write!(f, "{}:{line}:{column}", path.display())
            }
            Location::Element { path, index } => write!(f, "{} finding {index}", path.display()),
            Location::Record {
                path,
                line,
                field,
                header,
            } => {
                write!(f, "{}:{line}", path.display())?;
                if *field > 0 {
                    write!(f, ":{field}")?;
                }
                if !header.is_empty() {
                    write!(f, " ({header})")?;
                }
                Ok(())
            }
            Location::Cell {
                path,
                sheet,
                row,
                column,
            } => write!(
                f,
                "{} [{sheet}] {}{row}",
                path.display(),
                column_letters(*column)
            ),
        }
    }
}

/// The most characters of a problem's message.
const MESSAGE_CHARS: usize = 2_000;

/// One thing wrong with the inputs, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Problem {
    pub location: Location,
    pub message: String,
}

impl Problem {
    /// A problem; a message longer than a terminal can usefully show (one quoting a
    /// 10 MB cell) is clipped.
    pub fn new(location: Location, message: impl Into<String>) -> Self {
        let message = message.into();
        let message = match clip(&message, MESSAGE_CHARS) {
            std::borrow::Cow::Borrowed(_) => message,
            std::borrow::Cow::Owned(clipped) => clipped,
        };
        Problem { location, message }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// The longest text a "did you mean" looks for a near match to.
const SUGGESTION_INPUT_BYTES: usize = 256;

/// Closest candidate to `wanted` by edit distance, if it is close enough to suggest.
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    // No id is this long; a 10 MB cell must not cost a 10 MB edit distance per id.
    if wanted.len() > SUGGESTION_INPUT_BYTES {
        return None;
    }
    let wanted_norm = wanted.to_lowercase();
    let wanted_chars = wanted_norm.chars().count();
    let limit = (wanted_chars / 3).clamp(1, 4);
    candidates
        .into_iter()
        // The distance is at least the difference in length.
        .filter(|c| c.chars().count().abs_diff(wanted_chars) <= limit)
        .map(|c| (edit_distance(&wanted_norm, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// Where serde_json failed in a file, and its message without its own "at line L
/// column C", which the location carries instead.
pub fn json_error(path: &Path, error: &serde_json::Error) -> (Location, String) {
    let text = error.to_string();
    let cause = text
        .rfind(" at line ")
        .map_or(text.as_str(), |at| &text[..at]);
    let location = match error.line() {
        0 => Location::file(path),
        line => Location::Text {
            path: path.to_path_buf(),
            line,
            column: error.column().max(1),
        },
    };
    (location, cause.to_string())
}

/// Whether `c` reorders the text around it: a bidirectional mark, embedding,
/// override or isolate. U+202E in a cell makes `evil.exe` read as `exe.live`
/// ("Trojan Source", CVE-2021-42574).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Text for a terminal: control characters from input (an escape sequence in a
/// cell, the bytes of a binary file) and bidirectional controls are shown
/// escaped, never sent to the terminal. Line breaks and tabs stay.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c);
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match unsafe_char(c) {
            true => shown.extend(c.escape_default()),
            false => shown.push(c),
        }
    }
    std::borrow::Cow::Owned(shown)
}

/// Input quoted in a message: printable, and cut after `max` characters.
pub fn quoted(text: &str, max: usize) -> String {
    let cut: String = text.chars().take(max).collect();
    let more = if text.chars().nth(max).is_some() {
        "..."
    } else {
        ""
    };
    format!("{}{more}", printable(&cut))
}

/// Input text cut to `max` characters for a place that cannot take more (a PDF
/// line, a message, a suggestion search), saying how much was left out:
/// "… (N more characters)". The workbook keeps the whole cell.
pub fn clip(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => std::borrow::Cow::Borrowed(text),
        Some((cut, _)) => {
            let more = text[cut..].chars().count();
            std::borrow::Cow::Owned(format!("{}… ({more} more characters)", &text[..cut]))
        }
    }
}

/// The most characters of one input value a message quotes.
pub const QUOTED_CHARS: usize = 200;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_input_is_clipped_with_what_was_left_out() {
        assert_eq!(clip("short", 10), "short");
        assert_eq!(clip("abcdef", 3), "abc… (3 more characters)");
        assert_eq!(clip("ééééé", 2), "éé… (3 more characters)");
    }

    #[test]
    fn control_characters_from_input_never_reach_the_terminal() {
        assert_eq!(printable("plain\tand\nlines"), "plain\tand\nlines");
        assert_eq!(printable("a\u{1b}[2Jb\u{7}"), "a\\u{1b}[2Jb\\u{7}");
        assert_eq!(quoted("abcdef", 3), "abc...");
        assert_eq!(quoted("\u{0}x", 5), "\\u{0}x");
        assert_eq!(printable("a\u{202e}b\u{2066}c"), "a\\u{202e}b\\u{2066}c");
    }

    #[test]
    fn columns_are_spreadsheet_letters() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn text_offsets_become_lines_and_columns() {
        let text = "a = 1\nbb = 2\n";
        let at = Location::in_text(Path::new("x.toml"), text, 8);
        assert_eq!(at.to_string(), "x.toml:2:3");
    }

    #[test]
    fn suggests_the_nearest_id() {
        let ids = ["164.312(a)(2)(iv)", "164.312(d)", "164.308(a)(1)"];
        assert_eq!(
            did_you_mean("164.312(a)(2)(v)", ids),
            Some("164.312(a)(2)(iv)")
        );
        assert_eq!(did_you_mean("CC6.1", ids), None);
    }
}
