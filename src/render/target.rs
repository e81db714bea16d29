//! Render: where an output may be written, and writing it so that nothing is lost.
//!
//! One policy for every file auditpack writes (a package folder, a report, a
//! worksheet, `audit.toml` itself):
//! - the path is resolved before any folder is created: `..` and symbolic links
//!   in the folders above it are followed the way the system will follow them
//!   once missing folders exist (`zz/../proj` is `proj`), and resolved again
//!   after, so a check never looks at one place and the write lands in another;
//! - only a path that is absent or a regular file is written (a device, a
//!   folder, a symbolic link, a pipe or a socket is refused), never an input of
//!   the same run, never the same path twice in one run;
//! - bytes go to a temporary file created exclusively (never through a link)
//!   under a random name beside the target, then renamed over it; a replaced
//!   file keeps its permissions; every error path removes the temporary file;
//! - `-` is standard output, so a CI job can pipe a report.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// The path that means standard output.
pub const STDOUT: &str = "-";

/// `path` as the system will reach it once its missing folders exist: absolute,
/// every existing folder above it resolved through symbolic links, `.` and `..`
/// applied in order. The last component is not followed, so a symbolic link
/// there is seen as one.
pub fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let absolute = match path.is_absolute() {
        true => path.to_path_buf(),
        false => std::env::current_dir()?.join(path),
    };
    let components: Vec<Component> = absolute.components().collect();
    let mut resolved = PathBuf::new();
    // Once a component is missing, the rest is made by `create_dir_all` as real
    // folders, so the remainder is applied lexically.
    let mut exists = true;
    for (index, component) in components.iter().enumerate() {
        let last = index + 1 == components.len();
        match component {
            Component::Prefix(_) | Component::RootDir => resolved.push(component),
            Component::CurDir => {}
            Component::ParentDir => {
                resolved.pop();
            }
            Component::Normal(name) => {
                resolved.push(name);
                if !exists || last {
                    continue;
                }
                match std::fs::symlink_metadata(&resolved) {
                    Ok(m) if m.file_type().is_symlink() => resolved = resolved.canonicalize()?,
                    Ok(_) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => exists = false,
                    Err(e) => return Err(e),
                }
            }
        }
    }
    Ok(resolved)
}

/// Where one output goes, checked: standard output, or a file path resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    Stdout,
    File {
        /// The path as the user gave it, for messages.
        given: PathBuf,
        /// The path resolved by [`resolve`].
        resolved: PathBuf,
    },
}

impl Destination {
    pub fn is_stdout(&self) -> bool {
        matches!(self, Destination::Stdout)
    }
}

/// The outputs of one run, claimed before any work: each one checked against
/// the run's inputs and against the others.
#[derive(Debug, Default)]
pub struct Claims {
    /// The run's inputs, resolved: never written over.
    protected: Vec<PathBuf>,
    claimed: Vec<PathBuf>,
    stdout: Option<String>,
}

impl Claims {
    /// Claims for a run that read `inputs` (any paths; those that exist are resolved).
    pub fn new<P: AsRef<Path>>(inputs: impl IntoIterator<Item = P>) -> Self {
        Claims {
            protected: inputs
                .into_iter()
                .filter_map(|p| p.as_ref().canonicalize().ok())
                .collect(),
            ..Claims::default()
        }
    }

    /// One more input of the run, never to be written over.
    pub fn protect(&mut self, input: &Path) {
        if let Ok(resolved) = input.canonicalize() {
            self.protected.push(resolved);
        }
    }

    /// The run's inputs, resolved.
    pub fn protected(&self) -> &[PathBuf] {
        &self.protected
    }

    /// Whether an output was claimed for standard output.
    pub fn stdout_taken(&self) -> bool {
        self.stdout.is_some()
    }

    /// Check that `what` ("the SARIF report") may be written to `path`: `-` for
    /// standard output (once a run), else a path that is absent or a regular
    /// file, not an input and not claimed already. Nothing is touched.
    pub fn claim_file(&mut self, what: &str, path: &Path) -> Result<Destination> {
        if path.as_os_str() == STDOUT {
            if let Some(earlier) = &self.stdout {
                return Err(Error::Usage(format!(
                    "will not write {what} to standard output: {earlier} goes there already; nothing was written"
                )));
            }
            self.stdout = Some(what.to_string());
            return Ok(Destination::Stdout);
        }
        let refuse = |why: String| {
            Error::Usage(format!(
                "will not write {what} to {}: {why}; nothing was written",
                path.display()
            ))
        };
        let resolved =
            resolve(path).map_err(|e| refuse(format!("cannot resolve the path ({e})")))?;
        check_file_target(&resolved).map_err(refuse)?;
        if self.protected.contains(&resolved) {
            return Err(refuse("it is one of this run's inputs".to_string()));
        }
        if self.claimed.contains(&resolved) {
            return Err(refuse(
                "another output of this run is written there".to_string(),
            ));
        }
        self.claimed.push(resolved.clone());
        Ok(Destination::File {
            given: path.to_path_buf(),
            resolved,
        })
    }
}

/// Why a resolved path may not take a file, if it may not: it must be absent or
/// a regular file.
pub fn check_file_target(resolved: &Path) -> Result<(), String> {
    match std::fs::symlink_metadata(resolved) {
        Ok(m) => match kind_refused(&m) {
            Some(kind) => Err(format!("it is {kind}, not a regular file")),
            None => Ok(()),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("cannot look at it ({e})")),
    }
}

/// What a file that may not be replaced is, in words; `None` for a regular file.
fn kind_refused(metadata: &std::fs::Metadata) -> Option<&'static str> {
    let kind = metadata.file_type();
    if kind.is_file() {
        return None;
    }
    if kind.is_symlink() {
        return Some("a symbolic link");
    }
    if kind.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_char_device() || kind.is_block_device() {
            return Some("a device");
        }
        if kind.is_fifo() {
            return Some("a named pipe");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a regular file")
}

/// Write `bytes` to a destination claimed by [`Claims::claim_file`].
pub fn write_output(destination: &Destination, bytes: &[u8]) -> Result<()> {
    match destination {
        Destination::Stdout => write_stdout(bytes),
        Destination::File { given, resolved } => write_file(given, resolved, bytes),
    }
}

/// Bytes to standard output; a closed pipe is not an error.
fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::io("write", "standard output", e))
        }
        _ => Ok(()),
    }
}

/// Write beside the target, then rename over it: a failed run never leaves half
/// a file, and the target is checked again just before it is replaced.
fn write_file(given: &Path, resolved: &Path, bytes: &[u8]) -> Result<()> {
    let parent = resolved.parent().unwrap_or(Path::new("/"));
    std::fs::create_dir_all(parent).map_err(|e| Error::io("create folder", parent, e))?;
    let again = resolve(given).map_err(|e| Error::io("resolve", given, e))?;
    if again != resolved {
        return Err(Error::Usage(format!(
            "will not write to {}: it changed while auditpack ran (it now leads to {}); nothing was written",
            given.display(),
            again.display()
        )));
    }
    let name = resolved
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".to_string());
    let (temporary, mut file) = create_temporary(parent, &name)?;
    let written = fill(&mut file, &temporary, bytes)
        .and_then(|()| keep_permissions(resolved, &temporary))
        .and_then(|()| {
            check_file_target(resolved).map_err(|why| {
                Error::Usage(format!(
                    "will not write to {}: {why}; nothing was written",
                    given.display()
                ))
            })
        })
        .and_then(|()| {
            std::fs::rename(&temporary, resolved).map_err(|e| Error::io("write", given, e))
        });
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

fn fill(file: &mut std::fs::File, path: &Path, bytes: &[u8]) -> Result<()> {
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| Error::io("write", path, e))
}

/// A replaced file keeps its mode: a report kept private (0600) stays private.
fn keep_permissions(target: &Path, temporary: &Path) -> Result<()> {
    match std::fs::symlink_metadata(target) {
        Ok(m) if m.is_file() => std::fs::set_permissions(temporary, m.permissions())
            .map_err(|e| Error::io("set the permissions of", temporary, e)),
        _ => Ok(()),
    }
}

/// A new hidden file beside the target, created exclusively under a random name:
/// nothing planted at a guessable name is followed or written through.
pub fn create_temporary(folder: &Path, name: &str) -> Result<(PathBuf, std::fs::File)> {
    let mut last = None;
    for _ in 0..16 {
        let path = folder.join(format!(".{name}.partial-{}", random_suffix()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(file) => return Ok((path, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(Error::io("create", path, e)),
        }
    }
    let e = last.unwrap_or_else(|| std::io::Error::other("no free temporary name"));
    Err(Error::io("create a temporary file in", folder, e))
}

/// Sixteen hex digits no other run can guess: the standard library's hasher keys
/// come from the system's random source.
pub fn random_suffix() -> String {
    use std::hash::BuildHasher;
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let state = std::collections::hash_map::RandomState::new();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let value = state.hash_one((std::process::id(), count, nanos));
    format!("{value:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_folder_then_up_is_the_folder_beside_it() {
        let root = tempfile::tempdir().unwrap();
        let base = root.path().canonicalize().unwrap();
        std::fs::create_dir(base.join("proj")).unwrap();
        let resolved = resolve(&base.join("zz/../proj")).unwrap();
        assert_eq!(resolved, base.join("proj"));
        let deeper = resolve(&base.join("a/b/../../proj/x")).unwrap();
        assert_eq!(deeper, base.join("proj/x"));
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_folder_then_up_is_the_links_targets_parent() {
        let root = tempfile::tempdir().unwrap();
        let base = root.path().canonicalize().unwrap();
        std::fs::create_dir_all(base.join("real/inner")).unwrap();
        std::os::unix::fs::symlink(base.join("real/inner"), base.join("link")).unwrap();
        // The system resolves `link/..` to `real`, not to `base`.
        assert_eq!(
            resolve(&base.join("link/../x")).unwrap(),
            base.join("real/x")
        );
        // The last component is not followed.
        assert_eq!(resolve(&base.join("link")).unwrap(), base.join("link"));
    }

    #[test]
    fn claims_refuse_inputs_and_twice_the_same_path() {
        let root = tempfile::tempdir().unwrap();
        let input = root.path().join("audit.toml");
        std::fs::write(&input, "x").unwrap();
        let mut claims = Claims::new([&input]);
        let err = claims.claim_file("the report", &input).unwrap_err();
        assert!(err.to_string().contains("this run's inputs"), "{err}");
        let report = root.path().join("r.json");
        claims.claim_file("the report", &report).unwrap();
        let twice = claims.claim_file("the PDF", &report).unwrap_err();
        assert!(twice.to_string().contains("another output"), "{twice}");
        claims.claim_file("one", Path::new("-")).unwrap();
        assert!(claims.claim_file("two", Path::new("-")).is_err());
    }
}
