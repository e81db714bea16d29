//! Load: read the project's inputs from disk. Nothing here computes a result.

pub mod asff;
pub mod checkov;
pub mod checkov_sarif;
pub mod dates;
pub mod evidence;
pub mod evidence_files;
pub mod findings;
pub mod guard;
pub mod html_template;
pub mod input;
pub mod json_stream;
pub mod library;
pub mod project;
pub mod prowler;
pub mod prowler2;
pub mod prowler_json;
pub mod scenarios;
pub mod sector_chains;
pub mod snapshot;
pub mod template;
pub mod terraform;
