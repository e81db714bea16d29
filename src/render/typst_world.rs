//! Render: a sandboxed Typst world. It holds the template and its data in memory,
//! uses only the embedded fonts, reads no file and downloads no package.

use std::collections::HashMap;
use std::sync::OnceLock;
use typst::diag::{FileError, FileResult, PackageError, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};

/// Fonts we ship beside Typst's own, for text Libertinus lacks: Chinese, Japanese and
/// Korean (Droid Sans Fallback, Apache-2.0) and emoji (Noto Color Emoji, OFL-1.1).
const FALLBACK_FONTS: [&[u8]; 2] = [
    include_bytes!("../../templates/fonts/DroidSansFallbackFull.ttf"),
    include_bytes!("../../templates/fonts/NotoColorEmoji.ttf"),
];

/// The fonts compiled into the binary, loaded once.
fn embedded_fonts() -> &'static (LazyHash<FontBook>, Vec<Font>) {
    static FONTS: OnceLock<(LazyHash<FontBook>, Vec<Font>)> = OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = typst_assets::fonts()
            .chain(FALLBACK_FONTS)
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect();
        (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
    })
}

fn project_id(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(path).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// A world made of one main template and named in-memory files.
pub struct MemoryWorld {
    library: LazyHash<Library>,
    main: Source,
    // Only looked up, never iterated, so its order cannot reach the output.
    files: HashMap<FileId, Bytes>,
    today: Datetime,
}

impl MemoryWorld {
    /// `main_name` is how diagnostics name the template; `files` are (virtual path, bytes).
    pub fn new(
        main_name: &str,
        main: String,
        files: Vec<(&str, Vec<u8>)>,
        today: Datetime,
    ) -> Option<Self> {
        let main = Source::new(project_id(main_name)?, main);
        let mut map = HashMap::new();
        for (path, bytes) in files {
            map.insert(project_id(path)?, Bytes::new(bytes));
        }
        Some(MemoryWorld {
            library: LazyHash::new(Library::builder().build()),
            main,
            files: map,
            today,
        })
    }

    /// `file:line:column: message` for each diagnostic, with hints.
    pub fn describe(&self, diagnostics: &[SourceDiagnostic]) -> String {
        let mut lines = Vec::new();
        for diagnostic in diagnostics {
            let position = diagnostic
                .span
                .id()
                .and_then(|id| self.source(id).ok())
                .and_then(|source| {
                    let range = self.range(diagnostic.span)?;
                    let lines = source.lines();
                    let line = lines.byte_to_line(range.start)? + 1;
                    let column = lines.byte_to_column(range.start)? + 1;
                    Some(format!(
                        "{}:{line}:{column}: ",
                        source.id().vpath().get_without_slash()
                    ))
                })
                .unwrap_or_default();
            lines.push(format!("{position}{}", diagnostic.message));
            for hint in &diagnostic.hints {
                lines.push(format!("  hint: {}", hint.v));
            }
        }
        lines.join("\n")
    }
}

impl World for MemoryWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &embedded_fonts().0
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            return Ok(self.main.clone());
        }
        let bytes = self.file(id)?;
        let text = bytes.as_str().map_err(|_| FileError::InvalidUtf8)?;
        Ok(Source::new(id, text.into()))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(bytes) = self.files.get(&id) {
            return Ok(bytes.clone());
        }
        Err(match id.root() {
            VirtualRoot::Package(spec) => FileError::Package(PackageError::NotFound(spec.clone())),
            VirtualRoot::Project => FileError::NotFound(id.vpath().get_without_slash().into()),
        })
    }

    fn font(&self, index: usize) -> Option<Font> {
        embedded_fonts().1.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

/// Compile one of the tool's own templates with `files` beside it into a PDF
/// dated `as_of` (document date and timestamp), so output is reproducible.
/// `what` names the document in errors; `ident` is the PDF's stable identifier.
pub fn compile_dated_pdf(
    what: &str,
    (name, template): (&str, &str),
    files: Vec<(&str, Vec<u8>)>,
    as_of: chrono::NaiveDate,
    ident: &str,
) -> crate::error::Result<Vec<u8>> {
    use crate::error::Error;
    use chrono::Datelike;
    let (year, month, day) = (as_of.year(), as_of.month() as u8, as_of.day() as u8);
    let date = Datetime::from_ymd(year, month, day)
        .ok_or_else(|| Error::render(what, format!("as-of date {as_of} is out of range")))?;
    let world = MemoryWorld::new(name, template.to_string(), files, date)
        .ok_or_else(|| Error::render(what, "a template name is not a valid path"))?;
    let cause = "AUDITPACK_PDF_MEMORY_MB and AUDITPACK_TEMPLATE_SECONDS raise the limits";
    let document = crate::memory::with_bounds(
        &format!("laying out {what}"),
        cause,
        crate::memory::pdf_allowance(),
        crate::memory::template_deadline(),
        || typst::compile::<typst_layout::PagedDocument>(&world),
    )
    .output
    .map_err(|errors| Error::render(what, world.describe(&errors)))?;
    let options = typst_pdf::PdfOptions {
        ident: typst::foundations::Smart::Custom(ident.to_string()),
        timestamp: Datetime::from_ymd_hms(year, month, day, 0, 0, 0)
            .map(typst_pdf::Timestamp::new_utc),
        tagged: false,
        ..typst_pdf::PdfOptions::default()
    };
    typst_pdf::pdf(&document, &options)
        .map_err(|errors| Error::render(what, world.describe(&errors)))
}
