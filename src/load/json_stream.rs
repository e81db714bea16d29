//! Load: JSON scanner files read one finding at a time. The array of findings may be
//! the whole file or sit under a key (`Findings`, `detail.findings`); it is never
//! held whole, so memory follows the findings kept, not the file.

use crate::diag::{Location, Problem, json_error};
use crate::load::findings::{FindingsRead, ScanFormat};
use crate::load::loose::{Loose, Shape};
use crate::progress::Progress;
use serde::Deserialize;
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;
use std::io::{BufReader, Read};
use std::path::Path;

/// Counts the bytes read, for progress, where the reader itself is out of reach.
/// A UTF-8 byte order mark at the start (Windows tools write one) is passed over,
/// since JSON parsers refuse it.
pub(crate) struct CountingReader<R> {
    inner: R,
    bytes: std::rc::Rc<std::cell::Cell<u64>>,
}

impl<R: Read> CountingReader<R> {
    pub(crate) fn new(inner: R) -> Self {
        CountingReader {
            inner,
            bytes: std::rc::Rc::default(),
        }
    }

    pub(crate) fn counter(&self) -> std::rc::Rc<std::cell::Cell<u64>> {
        self.bytes.clone()
    }
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let at_start = self.bytes.get() == 0;
        let n = self.inner.read(buf)?;
        self.bytes.set(self.bytes.get() + n as u64);
        if at_start && n >= 3 && buf[..3] == [0xEF, 0xBB, 0xBF] {
            if n == 3 {
                return self.read(buf);
            }
            buf.copy_within(3..n, 0);
            return Ok(n - 3);
        }
        Ok(n)
    }
}

/// A JSON error as a located problem: `failed to read` words by its kind, then the cause.
pub(crate) fn json_problem(relative: &Path, e: &serde_json::Error) -> Problem {
    let what = match e.classify() {
        serde_json::error::Category::Eof => "the file ends early (truncated?)",
        serde_json::error::Category::Syntax => "invalid JSON",
        serde_json::error::Category::Data => "unexpected JSON content",
        serde_json::error::Category::Io => "failed to read the file",
    };
    let (location, cause) = json_error(relative, e);
    Problem::new(location, format!("{what} ({cause})"))
}

/// Where a finding sits in a scanner file: its element of the findings array. It is
/// made into a [`Location`] only when a message needs one.
#[derive(Clone, Copy)]
pub(crate) struct ElementAt<'a> {
    pub relative: &'a Path,
    pub index: u64,
}

impl From<ElementAt<'_>> for Location {
    fn from(at: ElementAt<'_>) -> Location {
        Location::Element {
            path: at.relative.to_path_buf(),
            index: at.index,
        }
    }
}

/// Read a scanner's JSON findings one element at a time (the array under one of
/// `paths`, as [`stream_json`] finds it). `check` turns each element's [`Loose`]
/// fields into what the reader uses, or gives the reason it is dropped; `fold` counts
/// what passed. Progress is shown as the file is read.
pub(crate) fn read_findings<T: Shape, C>(
    file: impl Read,
    size: u64,
    relative: &Path,
    format: ScanFormat,
    paths: &[&'static str],
    check: impl Fn(T) -> Result<C, String>,
    mut fold: impl FnMut(C, ElementAt, &mut FindingsRead),
) -> Result<FindingsRead, Problem> {
    let mut read = FindingsRead::new(relative.to_path_buf(), format);
    let mut progress = Progress::new(&format!("reading {}", relative.display()), size, "findings");
    let counter = CountingReader::new(file);
    let bytes = counter.counter();
    let mut index = 0u64;
    let mut each = |element: Loose<T>| {
        index += 1;
        if index.is_multiple_of(16_384) {
            progress.tick(bytes.get(), read.findings);
        }
        let at = ElementAt { relative, index };
        match element.element().and_then(&check) {
            Ok(checked) => fold(checked, at, &mut read),
            Err(why) => read.drop_finding(at, why),
        }
    };
    stream_json(counter, relative, paths, &mut each)?;
    progress.done();
    read.finish();
    Ok(read)
}

/// Stream the elements of a JSON array that is the whole file, or that sits in a
/// top-level object under one of `paths` (`Findings`, or `detail.findings` for an
/// object inside an object), calling `each` with every element.
pub(crate) fn stream_json<R: Read, T: for<'de> Deserialize<'de>>(
    reader: CountingReader<R>,
    relative: &Path,
    paths: &[&'static str],
    each: &mut dyn FnMut(T),
) -> Result<(), Problem> {
    let buffered = BufReader::with_capacity(1 << 20, reader);
    let mut de = serde_json::Deserializer::from_reader(buffered);
    let seed = Elements {
        paths: paths.to_vec(),
        whole: paths.to_vec(),
        top: true,
        each,
    };
    let result = seed.deserialize(&mut de).and_then(|()| de.end());
    result.map_err(|e| json_problem(relative, &e))
}

struct Elements<'a, T> {
    /// Where the array may be, from this level down.
    paths: Vec<&'static str>,
    /// The paths as given, for messages.
    whole: Vec<&'static str>,
    /// At the top of the file, where a bare array is accepted.
    top: bool,
    each: &'a mut dyn FnMut(T),
}

impl<T> Elements<'_, T> {
    fn names(&self) -> String {
        let quoted: Vec<String> = self.whole.iter().map(|p| format!("\"{p}\"")).collect();
        match quoted.as_slice() {
            [] => String::new(),
            [one] => one.clone(),
            [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
        }
    }
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for Elements<'_, T> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for Elements<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match (self.whole.is_empty(), self.top) {
            (true, _) => write!(f, "a JSON array of findings"),
            (false, true) => write!(
                f,
                "a JSON array of findings, or an object with {}",
                self.names()
            ),
            (false, false) => write!(f, "an array or object on the way to {}", self.names()),
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let at_array = self.top || self.paths.iter().any(|p| p.is_empty());
        if !at_array {
            return Err(serde::de::Error::invalid_type(
                serde::de::Unexpected::Seq,
                &self,
            ));
        }
        while let Some(item) = seq.next_element::<T>()? {
            (self.each)(item);
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        if self.paths.iter().all(|p| p.is_empty()) {
            return Err(serde::de::Error::invalid_type(
                serde::de::Unexpected::Map,
                &self,
            ));
        }
        let mut seed = Some(self);
        while let Some(name) = map.next_key::<String>()? {
            // The paths that go on through this key, with its name taken off.
            let below: Vec<&'static str> = seed
                .as_ref()
                .map(|s| {
                    s.paths
                        .iter()
                        .filter_map(|p| match p.split_once('.') {
                            Some((head, rest)) if head == name => Some(rest),
                            None if *p == name => Some(""),
                            _ => None,
                        })
                        .collect()
                })
                .unwrap_or_default();
            match (below.is_empty(), seed.take()) {
                (false, Some(s)) => map.next_value_seed(Elements {
                    paths: below,
                    whole: s.whole,
                    top: false,
                    each: s.each,
                })?,
                (_, s) => {
                    seed = s;
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        match seed {
            Some(s) => Err(serde::de::Error::custom(format!("no {} array", s.names()))),
            None => Ok(()),
        }
    }
}
