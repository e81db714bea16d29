//! Render: JSON as the tool writes it, every control character escaped.
//!
//! serde_json escapes the C0 controls JSON requires, but writes DEL and the C1
//! controls (U+0080 to U+009F) as raw characters. U+009B is a terminal's
//! one-byte escape sequence introducer: a snapshot string holding it would drive
//! the terminal of whoever runs `diff --format json`. Here they, and the line
//! and paragraph separators that end a line in JavaScript, are written `\uXXXX`.

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};
use std::io::{self, Write};

/// Pretty-printed JSON with a closing newline, control characters escaped.
pub fn to_json_pretty<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut serializer =
        serde_json::Serializer::with_formatter(&mut bytes, Escaping(PrettyFormatter::new()));
    value.serialize(&mut serializer)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// JSON the tool wrote, as text for standard output. serde_json writes UTF-8;
/// were it ever not to, the text is shown lossily rather than panicking.
pub fn json_text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Whether serde_json leaves `c` raw where it should not reach a reader.
fn needs_escape(c: char) -> bool {
    matches!(c, '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}') || crate::diag::is_bidi_control(c)
}

/// A formatter that escapes what serde_json leaves raw, and otherwise pretty-prints.
struct Escaping(PrettyFormatter<'static>);

impl Formatter for Escaping {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (at, c) in fragment.char_indices() {
            if needs_escape(c) {
                writer.write_all(&fragment.as_bytes()[start..at])?;
                write!(writer, "\\u{:04x}", c as u32)?;
                start = at + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c1_controls_and_separators_are_escaped_and_read_back_the_same() {
        let text = "csi\u{9b}2J del\u{7f} ls\u{2028} tab\t é";
        let bytes = to_json_pretty(&serde_json::json!({ "title": text })).unwrap();
        let written = String::from_utf8(bytes.clone()).unwrap();
        assert!(
            written.contains("csi\\u009b2J del\\u007f ls\\u2028 tab\\t é"),
            "{written}"
        );
        assert!(!written.chars().any(|c| c.is_control() && c != '\n'));
        let back: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(back["title"], text);
    }
}
