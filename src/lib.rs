//! auditpack: framework control catalogs mapped onto the cloud shared
//! responsibility model, evidence merged from spreadsheets, audit packages rendered.
//!
//! The pipeline reads as its folders: `load` reads inputs, `model` builds one
//! `Audit`, `render` writes outputs from it; `cmd` holds one file per subcommand.

pub mod cli;
pub mod cmd;
pub mod diag;
pub mod error;
pub mod load;
pub mod memory;
pub mod model;
pub mod progress;
pub mod render;
