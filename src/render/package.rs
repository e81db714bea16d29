//! Render: write a package folder atomically, with a manifest of every input and output.

use crate::error::{Error, Result};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// One file of the package, already rendered.
pub struct Output {
    pub name: &'static str,
    pub bytes: Vec<u8>,
}

#[derive(Serialize)]
struct Manifest {
    tool: String,
    as_of: String,
    inputs: Vec<Entry>,
    outputs: Vec<Entry>,
}

#[derive(Serialize)]
struct Entry {
    path: String,
    sha256: String,
    bytes: u64,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    to_hex(&Sha256::digest(bytes))
}

/// The SHA-256 and size of a file, read in pieces: a scanner export can be gigabytes.
fn hash_file(path: &Path) -> Result<(String, u64)> {
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
    let manifest = Manifest {
        tool: format!("auditpack {}", env!("CARGO_PKG_VERSION")),
        as_of: as_of.to_string(),
        inputs: input_entries,
        outputs: outputs
            .iter()
            .map(|o| Entry {
                path: o.name.to_string(),
                sha256: sha256_hex(&o.bytes),
                bytes: o.bytes.len() as u64,
            })
            .collect(),
    };
    let mut bytes =
        serde_json::to_vec_pretty(&manifest).map_err(|e| Error::render("the manifest", e))?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Write all files into `target` at once: into a hidden sibling first, then renamed into place.
/// A failure leaves any previous package untouched.
pub fn write_package(target: &Path, outputs: &[Output]) -> Result<()> {
    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| Error::io("create folder", parent, e))?;
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("package");
    let staging = parent.join(format!(".{name}.partial-{}", std::process::id()));
    let previous = parent.join(format!(".{name}.previous-{}", std::process::id()));
    let result = stage(&staging, outputs).and_then(|()| swap(target, &staging, &previous));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn stage(staging: &Path, outputs: &[Output]) -> Result<()> {
    let _ = std::fs::remove_dir_all(staging);
    std::fs::create_dir(staging).map_err(|e| Error::io("create folder", staging, e))?;
    for output in outputs {
        let path = staging.join(output.name);
        std::fs::write(&path, &output.bytes).map_err(|e| Error::io("write", &path, e))?;
    }
    Ok(())
}

fn swap(target: &Path, staging: &Path, previous: &Path) -> Result<()> {
    let had_previous = target.exists();
    if had_previous {
        std::fs::rename(target, previous).map_err(|e| Error::io("move aside", target, e))?;
    }
    if let Err(e) = std::fs::rename(staging, target) {
        if had_previous {
            let _ = std::fs::rename(previous, target);
        }
        return Err(Error::io("move into place", target, e));
    }
    if had_previous {
        let _ = std::fs::remove_dir_all(previous);
    }
    Ok(())
}
