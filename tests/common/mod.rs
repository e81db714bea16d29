//! Helpers: fixture projects in temporary folders, and runs of the real binary.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A project folder in a temporary directory, removed when dropped.
pub struct Project {
    dir: tempfile::TempDir,
}

/// What a run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Project {
    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> Self {
        let project = Project::empty();
        copy_dir(&fixtures().join(name), project.path());
        project
    }

    /// A copy of `samples/<name>`, without any built output.
    pub fn sample(name: &str) -> Self {
        let project = Project::empty();
        let source = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("samples")
            .join(name);
        copy_dir(&source, project.path());
        let _ = std::fs::remove_dir_all(project.path().join("out"));
        project
    }

    pub fn empty() -> Self {
        Project {
            dir: tempfile::tempdir().expect("temporary folder"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, relative: &str, contents: impl AsRef<[u8]>) {
        let path = self.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }

    /// Run `auditpack ARGS`; `{}` in an argument stands for the project folder.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_env(args, &[])
    }

    /// As `run`, with these environment variables; the caller's SOURCE_DATE_EPOCH never leaks in.
    pub fn run_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let folder = self.path().to_string_lossy().into_owned();
        let args: Vec<String> = args.iter().map(|a| a.replace("{}", &folder)).collect();
        let output = Command::new(env!("CARGO_BIN_EXE_auditpack"))
            .args(&args)
            .env_remove("SOURCE_DATE_EPOCH")
            .envs(env.iter().copied())
            .output()
            .expect("the auditpack binary runs");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).replace(&folder, "[PROJECT]"),
            stderr: String::from_utf8_lossy(&output.stderr).replace(&folder, "[PROJECT]"),
        }
    }

    /// As `run`, with a deadline: a run still going after `limit` (blocked on a named
    /// pipe, or doing unbounded work) is killed and fails the test instead of hanging
    /// the suite. Returns the run and how long it took.
    pub fn run_within(&self, args: &[&str], limit: Duration) -> (Run, Duration) {
        let folder = self.path().to_string_lossy().into_owned();
        let args: Vec<String> = args.iter().map(|a| a.replace("{}", &folder)).collect();
        let mut child = Command::new(env!("CARGO_BIN_EXE_auditpack"))
            .args(&args)
            .env_remove("SOURCE_DATE_EPOCH")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the auditpack binary runs");
        // Drained while it runs, so that a full pipe never stalls it.
        let mut stdout = child.stdout.take().expect("piped");
        let mut stderr = child.stderr.take().expect("piped");
        let out = std::thread::spawn(move || {
            let mut text = Vec::new();
            let _ = stdout.read_to_end(&mut text);
            text
        });
        let err = std::thread::spawn(move || {
            let mut text = Vec::new();
            let _ = stderr.read_to_end(&mut text);
            text
        });
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("the child is there") {
                break status;
            }
            if started.elapsed() > limit {
                let _ = child.kill();
                let _ = child.wait();
                panic!("auditpack {args:?} still running after {limit:?}");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let took = started.elapsed();
        let text = |bytes: Vec<u8>| String::from_utf8_lossy(&bytes).replace(&folder, "[PROJECT]");
        let run = Run {
            code: status.code().unwrap_or(-1),
            stdout: text(out.join().unwrap_or_default()),
            stderr: text(err.join().unwrap_or_default()),
        };
        (run, took)
    }

    /// Build into `<project>/pkg` and return that folder; panics with stderr on failure.
    pub fn build(&self) -> PathBuf {
        let out = self.path().join("pkg");
        let run = self.run(&["build", "{}", "--out", out.to_str().unwrap()]);
        assert_eq!(run.code, 0, "build failed: {}", run.stderr);
        out
    }
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The snapshot of a built package.
pub fn snapshot(package: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(package.join("snapshot.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// One control of a snapshot, by framework and id.
pub fn control<'a>(
    snapshot: &'a serde_json::Value,
    framework: &str,
    id: &str,
) -> &'a serde_json::Value {
    snapshot["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == framework)
        .unwrap_or_else(|| panic!("no framework {framework}"))["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no control {framework} {id}"))
}

/// The text of a PDF, with every run of white space made one space.
pub fn pdf_text(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    let text = pdf_extract::extract_text_from_mem(&bytes).expect("the PDF's text extracts");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A minimal project file; `extra` is appended as written.
pub fn audit_toml(frameworks: &str, inventory: &[(&str, &str, &str)], extra: &str) -> String {
    let mut text = format!(
        "[organization]\nname = \"Test Org\"\n\n[audit]\nperiod_start = 2026-01-01\nperiod_end = 2026-03-31\nas_of = 2026-03-31\nframeworks = [{frameworks}]\n"
    );
    for (provider, service, tag) in inventory {
        text.push_str(&format!(
            "\n[[inventory]]\nname = \"{service}-workload\"\nprovider = \"{provider}\"\nservice = \"{service}\"\ntags = [\"{tag}\"]\n"
        ));
    }
    text.push('\n');
    text.push_str(extra);
    text
}
