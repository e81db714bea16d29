//! Load: which files may be read, and how much of them.
//!
//! Every input goes through here before it is opened. A path the project names
//! (evidence, catalogs, the PDF template) must resolve, symlinks included, inside
//! the project folder or a folder `[inputs] folders` names; anything read must be
//! a regular file (a named pipe blocks forever, `/dev/zero` never ends) no larger
//! than its kind of input allows. Files named on the command line (`--previous`,
//! `diff OLD NEW`, `check --baseline`, `inventory import FILE`, `init --from`) may
//! live anywhere, but the same file rules hold.

use std::io::Read;
use std::path::{Path, PathBuf};

/// A kind of input, with the largest file of that kind the tool reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// `audit.toml` or a project's own catalog.
    Settings,
    /// An evidence CSV, read whole into memory.
    EvidenceText,
    /// An evidence workbook (XLSX, XLS, ODS): compressed, read by calamine.
    Workbook,
    /// A scanner export, streamed: memory follows the estate, not the file.
    Scan,
    /// A `snapshot.json` of an earlier run.
    Snapshot,
    /// A PDF template or a file beside it (a logo, a font).
    Template,
    /// `terraform show -json` output (`inventory import`, `init --from`), streamed:
    /// memory follows the resources kept, not the file.
    Terraform,
}

const MIB: u64 = 1024 * 1024;

impl InputKind {
    /// The largest file of this kind read. Scanner exports stream, so theirs only
    /// guards against a file that never ends; the others are read whole.
    pub fn limit(self) -> u64 {
        match self {
            InputKind::Settings => 16 * MIB,
            InputKind::EvidenceText => 512 * MIB,
            InputKind::Workbook => 512 * MIB,
            InputKind::Scan => 64 * 1024 * MIB,
            InputKind::Snapshot => 512 * MIB,
            InputKind::Template => 20 * MIB,
            InputKind::Terraform => 4 * 1024 * MIB,
        }
    }

    fn noun(self) -> &'static str {
        match self {
            InputKind::Settings => "a settings file",
            InputKind::EvidenceText => "an evidence file",
            InputKind::Workbook => "an evidence workbook",
            InputKind::Scan => "a scanner export",
            InputKind::Snapshot => "a snapshot",
            InputKind::Template => "a template file",
            InputKind::Terraform => "Terraform output",
        }
    }
}

/// The folders a project's inputs may come from: its own, and those it names.
#[derive(Debug, Clone)]
pub struct InputFolders {
    /// The project folder, symlinks resolved.
    root: PathBuf,
    /// The project folder as the user gave it, to join relative paths to.
    given_root: PathBuf,
    /// `[inputs] folders`, symlinks resolved.
    others: Vec<PathBuf>,
}

impl InputFolders {
    /// The project folder alone.
    pub fn project(root: &Path) -> Result<Self, String> {
        let resolved = root
            .canonicalize()
            .map_err(|e| format!("failed to open the project folder {} ({e})", root.display()))?;
        Ok(InputFolders {
            root: resolved,
            given_root: root.to_path_buf(),
            others: Vec::new(),
        })
    }

    /// Add a folder outside the project that inputs may come from, relative to the project.
    pub fn allow(&mut self, folder: &Path) -> Result<(), String> {
        let joined = self.given_root.join(folder);
        let resolved = joined
            .canonicalize()
            .map_err(|e| format!("cannot open the folder {} ({e})", folder.display()))?;
        if !resolved.is_dir() {
            return Err(format!("{} is not a folder", folder.display()));
        }
        self.others.push(resolved);
        Ok(())
    }

    /// The project folder, symlinks resolved.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where a path the project names really is, after checking that it may be
    /// read: inside an allowed folder once symlinks are resolved, a regular file,
    /// and no larger than `kind` allows. The error says why not, without the
    /// file's contents.
    pub fn resolve(&self, relative: &Path, kind: InputKind) -> Result<PathBuf, String> {
        let resolved = self.inside(relative)?;
        check_regular_file(&resolved, relative, kind)?;
        Ok(resolved)
    }

    /// Where a path the project names really is (a file or a folder), after
    /// checking that it lies inside an allowed folder once symlinks are resolved.
    pub fn inside(&self, relative: &Path) -> Result<PathBuf, String> {
        let joined = self.given_root.join(relative);
        let resolved = joined
            .canonicalize()
            .map_err(|e| format!("cannot open {} ({})", relative.display(), os_reason(&e)))?;
        let inside = std::iter::once(&self.root)
            .chain(&self.others)
            .any(|folder| resolved.starts_with(folder));
        if !inside {
            return Err(format!(
                "{} is outside the project folder; name the folder that holds it under [inputs] folders in audit.toml to read it",
                relative.display()
            ));
        }
        Ok(resolved)
    }
}

/// The reason an OS error gives, without Rust's "(os error 2)" suffix.
fn os_reason(error: &std::io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error") {
        Some(at) => text[..at].to_lowercase(),
        None => text,
    }
}

/// Check that `path` (shown as `shown`) is a regular file, after symlinks, no larger
/// than `kind` allows, without opening it: opening a named pipe blocks.
pub fn check_regular_file(path: &Path, shown: &Path, kind: InputKind) -> Result<u64, String> {
    let metadata = std::fs::metadata(path)
        .map_err(|e| format!("cannot open {} ({})", shown.display(), os_reason(&e)))?;
    if !metadata.is_file() {
        let what = if metadata.is_dir() {
            "a folder"
        } else {
            "a device, pipe or socket"
        };
        return Err(format!("{} is {what}, not a regular file", shown.display()));
    }
    within_limit(shown, metadata.len(), kind)?;
    Ok(metadata.len())
}

/// Check a file's size against its kind's limit, where the kind is known only once
/// its first bytes are read (`inventory import` takes Terraform or a scan).
pub fn within_limit(shown: &Path, size: u64, kind: InputKind) -> Result<(), String> {
    match size > kind.limit() {
        true => Err(too_large(shown, kind)),
        false => Ok(()),
    }
}

fn too_large(shown: &Path, kind: InputKind) -> String {
    format!(
        "{} is larger than {} MB, the most auditpack reads for {}",
        shown.display(),
        kind.limit() / MIB,
        kind.noun()
    )
}

/// Read a checked file whole, stopping past the kind's limit (the file may have
/// grown since it was checked).
pub fn read_bytes(path: &Path, shown: &Path, kind: InputKind) -> Result<Vec<u8>, String> {
    let size = check_regular_file(path, shown, kind)?;
    let file = std::fs::File::open(path)
        .map_err(|e| format!("cannot open {} ({})", shown.display(), os_reason(&e)))?;
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(kind.limit() + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("failed to read {} ({})", shown.display(), os_reason(&e)))?;
    if bytes.len() as u64 > kind.limit() {
        return Err(too_large(shown, kind));
    }
    Ok(bytes)
}

/// Read a checked file whole as UTF-8 text.
pub fn read_text(path: &Path, shown: &Path, kind: InputKind) -> Result<String, String> {
    let bytes = read_bytes(path, shown, kind)?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{} is not UTF-8 text (byte {} is not valid)",
            shown.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

/// Open a checked file for streaming, capped at the kind's limit.
pub fn open_stream(
    path: &Path,
    shown: &Path,
    kind: InputKind,
) -> Result<(std::io::Take<std::fs::File>, u64), String> {
    let size = check_regular_file(path, shown, kind)?;
    let file = std::fs::File::open(path)
        .map_err(|e| format!("cannot open {} ({})", shown.display(), os_reason(&e)))?;
    Ok((file.take(kind.limit()), size))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_outside_the_project_are_refused_even_through_symlinks() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("project");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(&project).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("secret.csv"), "a,b\n").unwrap();
        std::fs::write(project.join("mine.csv"), "a,b\n").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(outside.join("secret.csv"), project.join("link.csv")).unwrap();
        let mut folders = InputFolders::project(&project).unwrap();
        let kind = InputKind::EvidenceText;
        assert!(folders.resolve(Path::new("mine.csv"), kind).is_ok());
        let up = folders.resolve(Path::new("../outside/secret.csv"), kind);
        assert!(up.unwrap_err().contains("outside the project folder"));
        let absolute = folders.resolve(&outside.join("secret.csv"), kind);
        assert!(absolute.unwrap_err().contains("outside the project folder"));
        #[cfg(unix)]
        assert!(
            folders
                .resolve(Path::new("link.csv"), kind)
                .unwrap_err()
                .contains("outside the project folder")
        );
        folders.allow(Path::new("../outside")).unwrap();
        assert!(
            folders
                .resolve(Path::new("../outside/secret.csv"), kind)
                .is_ok()
        );
    }

    #[test]
    fn only_regular_files_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let folders = InputFolders::project(dir.path()).unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let error = folders
            .resolve(Path::new("sub"), InputKind::Settings)
            .unwrap_err();
        assert!(error.contains("is a folder, not a regular file"), "{error}");
        let error = check_regular_file(
            Path::new("/dev/zero"),
            Path::new("zero"),
            InputKind::Settings,
        )
        .unwrap_err();
        assert!(error.contains("not a regular file"), "{error}");
    }
}
