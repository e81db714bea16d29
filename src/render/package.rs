//! Render: write a package folder atomically, with a manifest of every input and output.

use crate::error::{Error, Result};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// One file of the package, already rendered; `name` is its path inside the
/// package (`oscal/ssp.json` for a file of a subfolder).
pub struct Output {
    pub name: String,
    pub bytes: Vec<u8>,
}

#[derive(Serialize)]
struct Manifest {
    tool: String,
    as_of: String,
    inputs: Vec<Entry>,
    outputs: Vec<Entry>,
}

/// A file the manifest lists: its path, SHA-256 and size.
#[derive(Serialize, Clone, Debug)]
pub struct Entry {
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    to_hex(&Sha256::digest(bytes))
}

/// The SHA-256 and size of a file, read in pieces: a scanner export can be gigabytes.
pub fn hash_file(path: &Path) -> Result<(String, u64)> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).map_err(|e| Error::io("read", path, e))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0; 1 << 16];
    let mut bytes = 0u64;
    loop {
        let n = match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::io("read", path, e)),
        };
        hasher.update(&buffer[..n]);
        bytes += n as u64;
    }
    Ok((to_hex(&hasher.finalize()), bytes))
}

fn to_hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// `manifest.json`: hashes of the inputs (paths relative to the project) and the outputs.
pub fn render_manifest(
    root: &Path,
    inputs: &[PathBuf],
    outputs: &[Output],
    as_of: &str,
) -> Result<Vec<u8>> {
    render_manifest_hashed(&hash_inputs(root, inputs)?, outputs, as_of)
}

/// The input files' hashes, sorted by path (relative to the project): computed once
/// and shared by the manifest and the OSCAL back matter.
pub fn hash_inputs(root: &Path, inputs: &[PathBuf]) -> Result<Vec<Entry>> {
    let mut input_entries = Vec::new();
    for path in inputs {
        let (sha256, bytes) = hash_file(&root.join(path))?;
        input_entries.push(Entry {
            path: path.to_string_lossy().replace('\\', "/"),
            sha256,
            bytes,
        });
    }
    input_entries.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(input_entries)
}

/// `manifest.json` from inputs already hashed by [`hash_inputs`].
pub fn render_manifest_hashed(
    inputs: &[Entry],
    outputs: &[Output],
    as_of: &str,
) -> Result<Vec<u8>> {
    let manifest = Manifest {
        tool: format!("auditpack {}", env!("CARGO_PKG_VERSION")),
        as_of: as_of.to_string(),
        inputs: inputs.to_vec(),
        outputs: outputs
            .iter()
            .map(|o| Entry {
                path: o.name.clone(),
                sha256: sha256_hex(&o.bytes),
                bytes: o.bytes.len() as u64,
            })
            .collect(),
    };
    crate::render::json::to_json_pretty(&manifest).map_err(|e| Error::render("the manifest", e))
}

/// The files a package holds, by name: what a package folder may contain for
/// auditpack to replace it.
pub const PACKAGE_FILES: &[&str] = &[
    "audit-package.pdf",
    "audit-workbook.xlsx",
    "snapshot.json",
    "manifest.json",
    crate::render::html::REPORT_FILE,
];

/// The subfolders a package holds, each for files of one output.
pub const PACKAGE_FOLDERS: &[&str] = &[crate::render::oscal::FOLDER];

/// Whether `path` names a file auditpack writes in a package: one of
/// `PACKAGE_FILES`, or a JSON file directly inside one of `PACKAGE_FOLDERS`.
pub fn is_package_file(path: &str) -> bool {
    if PACKAGE_FILES.contains(&path) {
        return true;
    }
    let Some((folder, name)) = path.split_once('/') else {
        return false;
    };
    PACKAGE_FOLDERS.contains(&folder)
        && name.ends_with(".json")
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// What is at the target before a build writes there.
#[derive(Debug, PartialEq, Eq)]
enum Existing {
    /// Nothing, or an empty folder.
    Nothing,
    /// A package auditpack wrote: these of its files (paths inside it) are replaced.
    Package(Vec<String>),
}

/// Write all files into `target` at once: into a hidden sibling first, then renamed into place.
/// A failure leaves any previous package untouched. The target is replaced only
/// when it is empty or a package auditpack wrote, and never when it is, or holds,
/// one of `protected` (the project folder and its inputs).
pub fn write_package(target: &Path, outputs: &[Output], protected: &[PathBuf]) -> Result<()> {
    let resolved = resolve_target(target)?;
    let existing = check_target(&resolved, protected).map_err(|why| refusal(target, &why))?;
    let parent = resolved.parent().unwrap_or(Path::new("/"));
    std::fs::create_dir_all(parent).map_err(|e| Error::io("create folder", parent, e))?;
    // The folders just made must not have moved the target elsewhere.
    if resolve_target(target)? != resolved {
        return Err(refusal(target, "it changed while auditpack ran"));
    }
    let name = resolved
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("package");
    let staging = new_sibling(parent, name, "partial")?;
    let result = stage(&staging, outputs)
        .and_then(|()| recheck(target, &resolved, protected, &existing))
        .and_then(|()| swap(&resolved, &staging, &existing, parent, name));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

/// Check, before any work, that a package may be written to `target`.
pub fn check_package_target(target: &Path, protected: &[PathBuf]) -> Result<()> {
    let resolved = resolve_target(target)?;
    check_target(&resolved, protected)
        .map(|_| ())
        .map_err(|why| refusal(target, &why))
}

/// The target once more, just before it is replaced: what is there must still
/// be what was checked before the outputs were rendered.
fn recheck(target: &Path, resolved: &Path, protected: &[PathBuf], before: &Existing) -> Result<()> {
    match check_target(resolved, protected) {
        Ok(now) if now == *before => Ok(()),
        Ok(_) => Err(refusal(target, "it changed while auditpack ran")),
        Err(why) => Err(refusal(target, &why)),
    }
}

/// The package folder as the system will reach it: `zz/../proj` is `proj`
/// even while `zz` does not exist yet.
fn resolve_target(target: &Path) -> Result<PathBuf> {
    crate::render::target::resolve(target)
        .map_err(|e| refusal(target, &format!("cannot resolve the path ({e})")))
}

fn refusal(target: &Path, why: &str) -> Error {
    Error::Usage(format!(
        "will not write the package to {}: {why}. Nothing was written or removed; name another folder with --out, or empty this one",
        target.display()
    ))
}

/// Why the target may not be replaced, if it may not.
fn check_target(target: &Path, protected: &[PathBuf]) -> Result<Existing, String> {
    let metadata = match std::fs::symlink_metadata(target) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Existing::Nothing),
        Err(e) => return Err(format!("cannot look at it ({e})")),
    };
    if metadata.file_type().is_symlink() {
        return Err("it is a symbolic link".to_string());
    }
    if !metadata.is_dir() {
        return Err("it is a file, not a package folder".to_string());
    }
    let resolved = target
        .canonicalize()
        .map_err(|e| format!("cannot resolve it ({e})"))?;
    if let Some(input) = protected.iter().find(|p| p.starts_with(&resolved)) {
        return Err(format!(
            "it is or holds the project's own input {}",
            input.display()
        ));
    }
    let names = list_entries(target, "")?;
    if names.is_empty() {
        return Ok(Existing::Nothing);
    }
    let listed = package_files_listed(target).unwrap_or_default();
    let mut files = Vec::new();
    let mut foreign: Vec<String> = Vec::new();
    for (name, is_file, is_dir) in names {
        let folder = is_dir
            && PACKAGE_FOLDERS.contains(&name.as_str())
            && listed.iter().any(|l| l.starts_with(&format!("{name}/")));
        if folder {
            // An output's folder: every file in it must be one the manifest lists.
            for (inner, inner_is_file, _) in list_entries(&target.join(&name), &name)? {
                match inner_is_file && listed.contains(&inner) {
                    true => files.push(inner),
                    false => foreign.push(inner),
                }
            }
        } else if is_file && listed.contains(&name) {
            files.push(name);
        } else {
            foreign.push(name);
        }
    }
    if !foreign.is_empty() {
        foreign.sort();
        let shown: Vec<String> = foreign
            .iter()
            .take(5)
            .map(|n| crate::diag::quoted(n, 60))
            .collect();
        let more = match foreign.len() > 5 {
            true => format!(" and {} more", foreign.len() - 5),
            false => String::new(),
        };
        let why = match listed.is_empty() {
            true => {
                "it is not a package auditpack wrote (it has no manifest.json of auditpack's) and holds"
            }
            false => "it holds, beside an earlier package,",
        };
        return Err(format!(
            "{why} what auditpack did not write ({}{more})",
            shown.join(", ")
        ));
    }
    files.sort();
    Ok(Existing::Package(files))
}

/// The entries of a folder as (path inside the package, whether a plain file,
/// whether a real folder: a symbolic link is neither); `prefix` is the folder's
/// own path inside the package, empty for the package.
fn list_entries(folder: &Path, prefix: &str) -> Result<Vec<(String, bool, bool)>, String> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(folder).map_err(|e| format!("cannot list it ({e})"))? {
        let entry = entry.map_err(|e| format!("cannot list it ({e})"))?;
        let kind = entry.file_type().ok();
        let is_file = kind.is_some_and(|t| t.is_file());
        let is_dir = kind.is_some_and(|t| t.is_dir());
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = match prefix.is_empty() {
            true => name,
            false => format!("{prefix}/{name}"),
        };
        names.push((path, is_file, is_dir));
    }
    Ok(names)
}

/// The files an earlier package's `manifest.json` says it wrote, itself included;
/// `None` when the folder holds no manifest of auditpack's.
fn package_files_listed(folder: &Path) -> Option<Vec<String>> {
    #[derive(serde::Deserialize)]
    struct Listed {
        tool: String,
        outputs: Vec<ListedEntry>,
    }
    #[derive(serde::Deserialize)]
    struct ListedEntry {
        path: String,
    }
    let path = folder.join("manifest.json");
    let bytes =
        crate::load::input::read_bytes(&path, &path, crate::load::input::InputKind::Snapshot)
            .ok()?;
    let listed: Listed = serde_json::from_slice(&bytes).ok()?;
    if !listed.tool.starts_with("auditpack ") {
        return None;
    }
    let mut names: Vec<String> = listed
        .outputs
        .into_iter()
        .map(|e| e.path)
        .filter(|p| is_package_file(p))
        .collect();
    names.push("manifest.json".to_string());
    Some(names)
}

/// A hidden sibling folder's path no other file or run holds, under a name no
/// one can guess ahead; it is created by `create_dir`, which fails on anything
/// already there, a planted link included.
fn new_sibling(parent: &Path, name: &str, what: &str) -> Result<PathBuf> {
    for _ in 0..16 {
        let suffix = crate::render::target::random_suffix();
        let path = parent.join(format!(".{name}.{what}-{suffix}"));
        if std::fs::symlink_metadata(&path).is_err() {
            return Ok(path);
        }
    }
    Err(Error::Usage(format!(
        "found no free name for .{name}.{what}-* in {}",
        parent.display()
    )))
}

fn stage(staging: &Path, outputs: &[Output]) -> Result<()> {
    std::fs::create_dir(staging).map_err(|e| Error::io("create folder", staging, e))?;
    for output in outputs {
        let path = staging.join(&output.name);
        if let Some(folder) = path.parent().filter(|p| *p != staging) {
            std::fs::create_dir_all(folder).map_err(|e| Error::io("create folder", folder, e))?;
        }
        std::fs::write(&path, &output.bytes).map_err(|e| Error::io("write", &path, e))?;
    }
    Ok(())
}

/// Move the staged package into place. An earlier package is moved aside first
/// and, once the new one is in place, only the files its manifest listed are removed.
fn swap(
    target: &Path,
    staging: &Path,
    existing: &Existing,
    parent: &Path,
    name: &str,
) -> Result<()> {
    let aside = match std::fs::symlink_metadata(target).is_ok() {
        true => {
            let aside = new_sibling(parent, name, "previous")?;
            std::fs::rename(target, &aside).map_err(|e| Error::io("move aside", target, e))?;
            Some(aside)
        }
        false => None,
    };
    if let Err(e) = std::fs::rename(staging, target) {
        if let Some(aside) = &aside {
            let _ = std::fs::rename(aside, target);
        }
        return Err(Error::io("move into place", target, e));
    }
    if let Some(aside) = aside {
        if let Existing::Package(files) = existing {
            for file in files {
                let _ = std::fs::remove_file(aside.join(file));
            }
            for folder in PACKAGE_FOLDERS {
                let _ = std::fs::remove_dir(aside.join(folder));
            }
        }
        // Fails, and keeps the folder, if anything unexpected appeared in it meanwhile.
        let _ = std::fs::remove_dir(&aside);
    }
    Ok(())
}
