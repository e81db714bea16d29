//! Integration tests: fixture projects run through the real `auditpack` binary,
//! their outputs read back. One binary, a module per feature.

/// As in the binary: a parser that runs away with memory inside a limited step
/// (reading a workbook) ends the run with a message, not the machine.
#[global_allocator]
static ALLOCATOR: auditpack::memory::CountingAllocator = auditpack::memory::CountingAllocator;

mod common;

mod attestations;
mod catalogs;
mod check;
mod claims;
mod cli;
mod cloud_scanners;
mod derivation;
mod diff;
mod evidence;
mod evidence_bounds;
mod focus;
mod fuzz;
mod hardening;
mod html;
mod init;
mod inventory;
mod links;
mod oscal;
mod oscal_results;
mod outputs;
mod report_validity;
mod scan_bounds;
mod scanner_formats;
mod scanner_hostile;
mod scanners;
mod schemas;
mod services;
mod statuses;
mod tabletop;
mod vendors;
mod write_paths;
