//! Load: read the project's inputs from disk. Nothing here computes a result.

pub mod advisors;
pub mod asff;
pub mod checkov;
pub mod cloud_ids;
pub mod dates;
pub mod defender;
pub mod defender_csv;
pub mod detect_cloud;
pub mod evidence;
pub mod evidence_files;
pub mod findings;
pub mod guard;
pub mod input;
pub mod json_stream;
pub mod library;
pub mod project;
pub mod prowler;
pub mod prowler_json;
pub mod scc;
pub mod scenarios;
pub mod sector_chains;
pub mod snapshot;
pub mod template;
