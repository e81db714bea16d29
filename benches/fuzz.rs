//! Long runs of the parser properties in `tests/fuzz_properties.rs`: random and
//! mutated input for every parser entry point, asserting `Ok` or a located error
//! and never a panic.
//!
//! `cargo bench --bench fuzz [-- CASES [NAME]]`: CASES inputs per property
//! (default 50,000), every property or the one NAME (`evidence xls`). A failure
//! prints proptest's smallest failing input and exits 1.

#[path = "../tests/fuzz_properties.rs"]
mod properties;

use std::time::Instant;

/// As in the binary: a parser that runs away with memory inside a limited step
/// ends the run with a message naming the step; its input stays in the
/// temporary project folder it was written to.
#[global_allocator]
static ALLOCATOR: auditpack::memory::CountingAllocator = auditpack::memory::CountingAllocator;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let cases: u32 = args.first().and_then(|n| n.parse().ok()).unwrap_or(50_000);
    let only = args.get(1).map(String::as_str);
    let mut failed = 0;
    for (name, property) in properties::ALL {
        if only.is_some_and(|o| o != *name) {
            continue;
        }
        let started = Instant::now();
        let outcome = property(properties::Budget { cases, seed: None });
        let seconds = started.elapsed().as_secs_f64();
        match outcome {
            Ok(()) => println!("{name}: {cases} cases passed in {seconds:.1} s"),
            Err(failure) => {
                failed += 1;
                println!("{name}: FAILED after {seconds:.1} s\n{failure}");
            }
        }
    }
    std::process::exit(i32::from(failed > 0));
}
