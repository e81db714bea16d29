//! Load: read the project's inputs from disk. Nothing here computes a result.

pub mod dates;
pub mod evidence;
pub mod evidence_files;
pub mod library;
pub mod project;
pub mod snapshot;
pub mod template;
