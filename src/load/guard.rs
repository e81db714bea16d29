//! Load: a library that panics on a damaged file fails that file, not the run.
//!
//! calamine's older readers (the CFB container of `.xls`) index past the end of a
//! truncated file and panic. The call is wrapped at the file boundary: the panic
//! is caught, its message kept for the error, and the default report on stderr
//! ("thread 'main' panicked at ...") is held back, since it is not the user's
//! concern. Panics anywhere else still report and abort as usual.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

thread_local! {
    /// Whether this thread is inside a guarded call.
    static GUARDED: Cell<bool> = const { Cell::new(false) };
}

static QUIET_HOOK: Once = Once::new();

/// Run `work`; a panic inside it becomes `Err` with the panic's message.
/// The caller must drop whatever `work` was building when it fails.
pub fn catch_library_panic<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    QUIET_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !GUARDED.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was = GUARDED.with(|g| g.replace(true));
    let outcome = catch_unwind(AssertUnwindSafe(work));
    GUARDED.with(|g| g.set(was));
    outcome.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown failure".to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_and_the_guard_is_lifted() {
        let outcome: Result<(), String> =
            catch_library_panic(|| panic!("slice index {} out", 4096));
        assert_eq!(outcome.unwrap_err(), "slice index 4096 out");
        assert_eq!(catch_library_panic(|| 7), Ok(7));
        assert!(!GUARDED.with(Cell::get));
    }
}
