//! Long runs of the parser properties in `tests/fuzz_properties.rs`: random and
//! mutated input for every parser entry point, asserting `Ok` or a located error
//! and never a panic.
//!
//! `cargo bench --bench fuzz [-- CASES [NAME]]`: CASES inputs per property
//! (default 50,000) from a random seed, every property or the one NAME
//! (`"evidence xls"`). Each property runs in a child process of its own: an
//! input that makes a library reserve absurd memory ends that child with the
//! tool's memory-limit error (exit 2, a defined answer, reported with the input
//! kept for study) and the campaign goes on. A failure prints proptest's
//! smallest failing input and the bench exits 1.

#[path = "../tests/fuzz_properties.rs"]
mod properties;

use std::process::Command;
use std::time::Instant;

/// As in the binary: memory is counted, so a runaway step ends with a message.
#[global_allocator]
static ALLOCATOR: auditpack::memory::CountingAllocator = auditpack::memory::CountingAllocator;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if args.first().map(String::as_str) == Some("--child") {
        child(&args[1], args[2].parse().unwrap_or(1));
    }
    let cases: u32 = args.first().and_then(|n| n.parse().ok()).unwrap_or(50_000);
    let only = args.get(1).map(String::as_str);
    let mut failed = 0;
    for (name, _) in properties::ALL {
        if only.is_some_and(|o| o != *name) {
            continue;
        }
        let started = Instant::now();
        let output = Command::new(std::env::current_exe().expect("the bench binary"))
            .args(["--child", name, &cases.to_string()])
            .output()
            .expect("the bench runs itself");
        let seconds = started.elapsed().as_secs_f64();
        let stderr = String::from_utf8_lossy(&output.stderr);
        match output.status.code() {
            Some(0) => println!("{name}: {cases} cases passed in {seconds:.1} s"),
            Some(2) if stderr.contains("needed more than") => println!(
                "{name}: stopped after {seconds:.1} s by the memory limit, the tool's defined answer (exit 2):\n  {}\n  the input is in the newest /tmp/.tmp* folder",
                stderr.trim()
            ),
            _ => {
                failed += 1;
                println!(
                    "{name}: FAILED after {seconds:.1} s\n{}{stderr}",
                    String::from_utf8_lossy(&output.stdout)
                );
            }
        }
    }
    std::process::exit(i32::from(failed > 0));
}

/// In a child: one property, exit 0 when it holds.
fn child(name: &str, cases: u32) -> ! {
    let (_, property) = properties::ALL
        .iter()
        .find(|(n, _)| *n == name)
        .expect("a known property");
    match property(properties::Budget { cases, seed: None }) {
        Ok(()) => std::process::exit(0),
        Err(failure) => {
            println!("{failure}");
            std::process::exit(1)
        }
    }
}
