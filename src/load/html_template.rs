//! Load: a project's own tera template for audit-report.html, read into memory.

use crate::diag::Problem;
use crate::error::{Error, Result};
use crate::load::input::{InputKind, read_text};
use crate::load::project::Project;
use std::path::PathBuf;

/// A project's HTML report template.
#[derive(Debug, Clone)]
pub struct HtmlTemplate {
    /// The path the project gave, as errors name it.
    pub path: PathBuf,
    pub source: String,
}

/// The project's HTML template, if `[report] html_template` names one.
pub fn load_html_template(project: &Project) -> Result<Option<HtmlTemplate>> {
    let Some(setting) = project
        .file
        .report
        .as_ref()
        .and_then(|r| r.html_template.as_ref())
    else {
        return Ok(None);
    };
    let relative = setting.get_ref();
    let problem =
        |message: String| Error::Problems(vec![Problem::new(project.at(setting.span()), message)]);
    if relative.is_absolute()
        || relative
            .components()
            .any(|c| matches!(c, std::path::Component::ParentDir))
    {
        return Err(problem(format!(
            "the HTML template {} must be a path inside the project",
            relative.display()
        )));
    }
    let source = project
        .folders
        .resolve(relative, InputKind::Template)
        .and_then(|path| read_text(&path, relative, InputKind::Template))
        .map_err(|message| problem(format!("the HTML template: {message}")))?;
    Ok(Some(HtmlTemplate {
        path: relative.clone(),
        source,
    }))
}

/// How many evidence rows the HTML report lists per control, when the project says.
pub fn html_rows_per_control(project: &Project) -> Option<usize> {
    project
        .file
        .report
        .as_ref()
        .and_then(|r| r.html_rows_per_control)
}
