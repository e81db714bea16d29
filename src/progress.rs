//! Shared: progress on stderr for long work. Shown only when stderr is a terminal
//! and the work has taken a second; nothing is ever printed into a pipe.

use std::io::IsTerminal;
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// How long work runs before progress shows, and how often it is redrawn.
const QUIET_FOR: Duration = Duration::from_secs(1);
const REDRAW_EVERY: Duration = Duration::from_millis(200);

/// A read whose size is known: a bar by bytes, and a count of what was read.
pub struct Progress {
    label: String,
    total: u64,
    unit: &'static str,
    started: Instant,
    last: Instant,
    shown: bool,
    enabled: bool,
}

impl Progress {
    /// `total` bytes to read (0 when unknown: no bar, just the count) of `unit`s.
    pub fn new(label: &str, total: u64, unit: &'static str) -> Self {
        let now = Instant::now();
        Progress {
            label: label.to_string(),
            total,
            unit,
            started: now,
            last: now,
            shown: false,
            enabled: std::io::stderr().is_terminal(),
        }
    }

    /// Show how far the read is: `bytes` read so far, `count` units.
    pub fn tick(&mut self, bytes: u64, count: u64) {
        if !self.enabled || self.last.elapsed() < REDRAW_EVERY {
            return;
        }
        self.last = Instant::now();
        if self.started.elapsed() < QUIET_FOR {
            return;
        }
        eprint!(
            "\r{}",
            progress_line(&self.label, bytes, self.total, count, self.unit)
        );
        self.shown = true;
    }

    /// Clear the line, if anything was shown.
    pub fn done(&mut self) {
        if self.shown {
            eprint!("\r\x1b[2K");
            self.shown = false;
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.done();
    }
}

/// `scan.csv [#########           ]  45%  120000 findings`, or without a bar when
/// the size is unknown: `ev.xlsx  120000 rows`.
fn progress_line(label: &str, bytes: u64, total: u64, count: u64, unit: &str) -> String {
    if total == 0 {
        return format!("{label}  {count} {unit}");
    }
    let percent = (bytes * 100).checked_div(total).unwrap_or(0).min(100);
    let filled = (percent / 5) as usize;
    format!(
        "{label} [{}{}] {percent:>3}%  {count} {unit}",
        "#".repeat(filled),
        " ".repeat(20 - filled)
    )
}

/// Run `work`, which says nothing of how far it is (Typst laying out the PDF), and
/// show how long it has taken while it runs.
pub fn while_busy<T>(label: &str, work: impl FnOnce() -> T) -> T {
    if !std::io::stderr().is_terminal() {
        return work();
    }
    let (finished, wait) = channel::<()>();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let started = Instant::now();
            let mut shown = false;
            while let Err(RecvTimeoutError::Timeout) = wait.recv_timeout(REDRAW_EVERY) {
                if started.elapsed() >= QUIET_FOR {
                    eprint!("\r{}", busy_line(label, started.elapsed()));
                    shown = true;
                }
            }
            if shown {
                eprint!("\r\x1b[2K");
            }
        });
        let result = work();
        drop(finished);
        result
    })
}

/// `laying out the PDF... 3 s`.
fn busy_line(label: &str, elapsed: Duration) -> String {
    format!("{label}... {} s", elapsed.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_progress_line_fills_a_bar_by_bytes_read() {
        assert_eq!(
            progress_line("scan.csv", 45, 100, 120_000, "findings"),
            "scan.csv [#########           ]  45%  120000 findings"
        );
        // A file that grew while read never overflows the bar.
        assert_eq!(
            progress_line("s", 150, 100, 1, "findings"),
            "s [####################] 100%  1 findings"
        );
        // Of unknown size: the count alone.
        assert_eq!(progress_line("ev.xlsx", 5, 0, 7, "rows"), "ev.xlsx  7 rows");
        assert_eq!(
            busy_line("laying out the PDF", Duration::from_millis(3400)),
            "laying out the PDF... 3 s"
        );
    }

    #[test]
    fn busy_work_returns_its_result_and_prints_nothing_into_a_pipe() {
        // Under `cargo test` stderr is captured, not a terminal: the work just runs.
        assert_eq!(while_busy("adding", || 2 + 2), 4);
    }
}
