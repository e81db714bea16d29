//! Render: the audit package PDF, compiled in-process by Typst from a template and JSON data.

use crate::error::{Error, Result};
use crate::load::template::Template;
use crate::memory::{pdf_allowance, template_deadline, with_bounds};
use crate::model::audit::Audit;
use crate::render::diff_pdf::{CHANGES_SECTION, CHANGES_SECTION_NAME};
use crate::render::diff_view::ChangesView;
use crate::render::typst_world::MemoryWorld;
use crate::render::view::package_view;
use chrono::Datelike;
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

/// The template shipped with the tool.
pub const PACKAGE_TEMPLATE: &str = include_str!("../../templates/audit-package.typ");

/// How to write the PDF.
#[derive(Debug, Clone, Copy, Default)]
pub struct PdfSettings {
    /// Write PDF/A-2b, for archiving.
    pub archival: bool,
    /// The document date; the as-of date (at midnight UTC) when not given.
    pub date: Option<chrono::NaiveDateTime>,
}

/// Compile the package PDF. The document date is fixed, so output is reproducible.
/// `template` replaces the shipped one; its neighbouring files are readable by it.
pub fn render_pdf(
    audit: &Audit,
    settings: PdfSettings,
    template: Option<&Template>,
) -> Result<Vec<u8>> {
    render_pdf_with_changes(audit, settings, template, None)
}

/// As `render_pdf`, with a "Changes since the previous review" section when `changes` is given.
pub fn render_pdf_with_changes(
    audit: &Audit,
    settings: PdfSettings,
    template: Option<&Template>,
    changes: Option<ChangesView>,
) -> Result<Vec<u8>> {
    let mut view = package_view(audit);
    view.changes = changes;
    let data = serde_json::to_vec(&view).map_err(|e| Error::render("the PDF data", e))?;
    let as_of = audit.as_of;
    let date = Datetime::from_ymd(as_of.year(), as_of.month() as u8, as_of.day() as u8)
        .ok_or_else(|| {
            Error::render(
                "the PDF",
                format!("as-of date {as_of} is out of Typst's range"),
            )
        })?;
    let (name, source) = match template {
        Some(t) => (t.name.as_str(), t.source.clone()),
        None => ("audit-package.typ", PACKAGE_TEMPLATE.to_string()),
    };
    let mut files: Vec<(&str, Vec<u8>)> = vec![
        ("data.json", data),
        (CHANGES_SECTION_NAME, CHANGES_SECTION.as_bytes().to_vec()),
    ];
    if let Some(t) = template {
        files.extend(t.files.iter().map(|(n, b)| (n.as_str(), b.clone())));
    }
    let world = MemoryWorld::new(name, source, files, date).ok_or_else(|| {
        Error::render(
            "the PDF",
            format!("the template name {name} is not a valid path"),
        )
    })?;
    let laying_out = match template {
        Some(t) => format!(
            "laying out the PDF template {}",
            t.inputs
                .first()
                .map_or(t.name.clone(), |p| p.display().to_string())
        ),
        None => "laying out the package PDF".to_string(),
    };
    let cause = "a loop over a huge range or a runaway recursion in a template does this; AUDITPACK_PDF_MEMORY_MB and AUDITPACK_TEMPLATE_SECONDS raise the limits";
    let compiled = with_bounds(
        &laying_out,
        cause,
        pdf_allowance(),
        template_deadline(),
        || typst::compile::<PagedDocument>(&world),
    );
    let document = compiled
        .output
        .map_err(|errors| Error::render("the PDF", world.describe(&errors)))?;
    let when = settings
        .date
        .unwrap_or_else(|| as_of.and_time(chrono::NaiveTime::MIN));
    let timestamp = Datetime::from_ymd_hms(
        when.year(),
        when.month() as u8,
        when.day() as u8,
        chrono::Timelike::hour(&when) as u8,
        chrono::Timelike::minute(&when) as u8,
        chrono::Timelike::second(&when) as u8,
    )
    .map(Timestamp::new_utc);
    let standards = match settings.archival {
        true => PdfStandards::new(&[PdfStandard::A_2b])
            .map_err(|e| Error::render("the PDF", e.message()))?,
        false => PdfStandards::default(),
    };
    let options = PdfOptions {
        ident: Smart::Custom("auditpack/audit-package".to_string()),
        timestamp,
        tagged: false,
        standards,
        ..PdfOptions::default()
    };
    let pdf = typst_pdf::pdf(&document, &options)
        .map_err(|errors| Error::render("the PDF", world.describe(&errors)));
    // Typst memoizes layout for later compiles; one compile per run needs none of it,
    // so it is freed before the workbook is written (about 200 MB for five frameworks).
    drop(document);
    typst::comemo::evict(0);
    pdf
}
