//! Shared: a bound on the memory one step may take, where a library has none.
//!
//! A PDF template is a Typst program, and Typst puts no bound on what a program
//! computes: `#for i in range(2000000000) {}` builds a two-billion-element array,
//! grows to the machine's whole memory and is killed by the kernel a minute
//! later. calamine follows a damaged `.xls` file's chain of sectors round a loop,
//! pushing to a vector until the same happens. The binary counts the bytes it
//! holds (`CountingAllocator`); around such a step a limit above what was held
//! before applies, and crossing it stops the run at once with an error that
//! names the step and the file. Outputs are written only after every such step,
//! so no partial package is left.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Bytes held by the process, as counted by `CountingAllocator`.
static LIVE: AtomicUsize = AtomicUsize::new(0);
/// The most bytes the process may hold; 0 for no limit.
static LIMIT: AtomicUsize = AtomicUsize::new(0);
/// Set once the limit was crossed: from then on nothing is refused, so the
/// message can be written.
static TRIPPED: AtomicBool = AtomicBool::new(false);
/// What the limited step is doing, and the likely cause, for the message.
static WHAT: Mutex<(String, String)> = Mutex::new((String::new(), String::new()));

/// The memory the PDF's layout may take beyond what the run held before it, in
/// MB, unless `AUDITPACK_PDF_MEMORY_MB` says otherwise. The shipped template
/// needs well under 1 GB for a five-framework package with its evidence index at
/// its 2,000-row bound.
pub const DEFAULT_PDF_MEMORY_MB: usize = 6 * 1024;

/// The system allocator, counting what it hands out. Installed by the binary;
/// without it `with_memory_limit` never trips.
pub struct CountingAllocator;

unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grow(layout.size());
        // SAFETY: the caller's contract for `layout` is passed on unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        grow(layout.size());
        // SAFETY: as above.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` was allocated by `System` with this `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            grow(new_size - layout.size());
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
        }
        // SAFETY: `ptr` was allocated by `System` with this `layout`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Count `bytes` more; past the limit, stop the run.
fn grow(bytes: usize) {
    let live = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    let limit = LIMIT.load(Ordering::Relaxed);
    if limit != 0 && live > limit && !TRIPPED.swap(true, Ordering::SeqCst) {
        over_limit(limit);
    }
}

/// Say what happened and end the run with exit 2. Unwinding out of an allocator
/// is not allowed, so this ends the process where it stands.
#[cold]
fn over_limit(limit: usize) -> ! {
    let (what, cause) = WHAT.lock().map(|w| w.clone()).unwrap_or_default();
    eprintln!(
        "error: {what} needed more than {} MB of memory and was stopped ({cause}). Nothing was written.",
        limit.saturating_sub(BASELINE.load(Ordering::Relaxed)) / (1024 * 1024)
    );
    std::process::exit(2)
}

/// Bytes held when the current limit was set.
static BASELINE: AtomicUsize = AtomicUsize::new(0);

/// The allowance for the PDF's layout, in bytes.
pub fn pdf_allowance() -> usize {
    let mb = std::env::var("AUDITPACK_PDF_MEMORY_MB")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|mb| *mb > 0)
        .unwrap_or(DEFAULT_PDF_MEMORY_MB);
    mb.saturating_mul(1024 * 1024)
}

/// Run `work` with at most `allowance` bytes more held than now. If it takes
/// more, the run ends with exit 2 and "{what} needed more than N MB ({cause})".
pub fn with_memory_limit<T>(
    what: &str,
    cause: &str,
    allowance: usize,
    work: impl FnOnce() -> T,
) -> T {
    if let Ok(mut w) = WHAT.lock() {
        *w = (what.to_string(), cause.to_string());
    }
    let baseline = LIVE.load(Ordering::Relaxed);
    BASELINE.store(baseline, Ordering::Relaxed);
    LIMIT.store(baseline.saturating_add(allowance), Ordering::Relaxed);
    let result = work();
    LIMIT.store(0, Ordering::Relaxed);
    result
}

/// How long a template may run, in seconds, unless `AUDITPACK_TEMPLATE_SECONDS`
/// says otherwise. The shipped PDF template lays out a five-framework package in
/// a few seconds; a loop nested in a loop that allocates nothing never trips the
/// memory limit, and only a clock stops it.
pub const DEFAULT_TEMPLATE_SECONDS: u64 = 300;

/// The time a template may run.
pub fn template_deadline() -> std::time::Duration {
    let seconds = std::env::var("AUDITPACK_TEMPLATE_SECONDS")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|s| *s > 0)
        .unwrap_or(DEFAULT_TEMPLATE_SECONDS);
    std::time::Duration::from_secs(seconds)
}

/// Run `work` with at most `allowance` bytes more held than now and for at most
/// `deadline`. Past either, the run ends with exit 2 and a message naming the
/// step: a template has no other way out of a loop, and nothing has been
/// written yet, since outputs are written only after every such step.
pub fn with_bounds<T>(
    what: &str,
    cause: &str,
    allowance: usize,
    deadline: std::time::Duration,
    work: impl FnOnce() -> T,
) -> T {
    let (done, wait) = std::sync::mpsc::channel::<()>();
    let message = format!(
        "error: {what} ran for more than {} s and was stopped ({cause}). Nothing was written.",
        deadline.as_secs()
    );
    let watchdog = std::thread::spawn(move || {
        if let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = wait.recv_timeout(deadline) {
            TRIPPED.store(true, Ordering::SeqCst);
            eprintln!("{message}");
            std::process::exit(2);
        }
    });
    let result = with_memory_limit(what, cause, allowance, work);
    drop(done);
    let _ = watchdog.join();
    result
}
