//! What the benchmarks share: each measurement runs in a child process of its own
//! (the bench binary again, with `--child STEP PATH`), so that the peak memory it
//! reports is that step's alone.

use std::path::Path;
use std::process::Command;

/// Peak resident memory of this process so far, in MB (Linux), if known.
pub fn peak_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// In a child: one measured step, for `run_child` to collect.
pub fn report(step: &str, seconds: f64) {
    let memory = peak_mb().map_or("n/a".to_string(), |m| format!("{m:.0} MB"));
    println!("RESULT {step} {seconds:.3} {memory}");
}

/// A measured step: its name, seconds and peak memory.
pub type Measure = (String, f64, String);

/// Run `step` on `path` in a child process; its other output is passed through.
pub fn run_child(step: &str, path: &Path) -> Vec<Measure> {
    let output = Command::new(std::env::current_exe().expect("own path"))
        .args(["--child", step])
        .arg(path)
        .output()
        .expect("child runs");
    assert!(
        output.status.success(),
        "{step} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut results = Vec::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        match line.strip_prefix("RESULT ") {
            Some(rest) => {
                let parts: Vec<&str> = rest.splitn(3, ' ').collect();
                results.push((
                    parts[0].to_string(),
                    parts[1].parse().unwrap_or(0.0),
                    parts[2].to_string(),
                ));
            }
            None => println!("  {line}"),
        }
    }
    results
}

/// The seconds of `step` among `results`, 0 if it is not there.
pub fn seconds(results: &[Measure], step: &str) -> f64 {
    results.iter().find(|x| x.0 == step).map_or(0.0, |x| x.1)
}
