//! Load: a project's own PDF template and the files beside it, read into memory
//! so the Typst world never touches the disk.

use crate::diag::Problem;
use crate::error::{Error, Result};
use crate::load::input::{InputKind, read_bytes, read_text};
use crate::load::project::Project;
use std::path::PathBuf;

/// A template and its neighbouring files, as the Typst world will see them.
#[derive(Debug, Clone)]
pub struct Template {
    /// The template's file name, as diagnostics name it.
    pub name: String,
    pub source: String,
    /// (file name, bytes) of the other files in its folder.
    pub files: Vec<(String, Vec<u8>)>,
    /// Every file read, relative to the project, for the manifest.
    pub inputs: Vec<PathBuf>,
}

/// The project's template, if `[report] template` names one.
pub fn load_template(project: &Project) -> Result<Option<Template>> {
    let Some(template) = project
        .file
        .report
        .as_ref()
        .and_then(|r| r.template.as_ref())
    else {
        return Ok(None);
    };
    let relative = template.get_ref();
    let problem =
        |message: String| Error::Problems(vec![Problem::new(project.at(template.span()), message)]);
    if relative.is_absolute()
        || relative
            .components()
            .any(|c| matches!(c, std::path::Component::ParentDir))
    {
        return Err(problem(format!(
            "the template {} must be a path inside the project",
            relative.display()
        )));
    }
    let source = project
        .folders
        .resolve(relative, InputKind::Template)
        .and_then(|path| read_text(&path, relative, InputKind::Template))
        .map_err(|message| problem(format!("the template: {message}")))?;
    let name = relative
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("template.typ")
        .to_string();
    let folder = relative.parent().map(PathBuf::from).unwrap_or_default();
    let mut files = Vec::new();
    let mut inputs = vec![relative.clone()];
    let mut entries: Vec<_> = std::fs::read_dir(project.root.join(&folder))
        .map_err(|e| problem(format!("failed to read the template's folder ({e})")))?
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_type().is_ok_and(|t| t.is_file())
                && e.file_name().to_str() != Some(name.as_str())
        })
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let Some(file_name) = entry.file_name().to_str().map(str::to_string) else {
            continue;
        };
        let shown = folder.join(&file_name);
        if file_name == "data.json"
            || entry
                .metadata()
                .map_or(true, |m| m.len() > InputKind::Template.limit())
        {
            continue;
        }
        let bytes = read_bytes(&entry.path(), &shown, InputKind::Template)
            .map_err(|message| problem(format!("a file beside the template: {message}")))?;
        inputs.push(folder.join(&file_name));
        files.push((file_name, bytes));
    }
    Ok(Some(Template {
        name,
        source,
        files,
        inputs,
    }))
}
