//! Integration tests: fixture projects run through the real `auditpack` binary,
//! their outputs read back. One binary, a module per feature.

mod common;

mod catalogs;
mod cli;
mod derivation;
mod diff;
mod evidence;
mod focus;
mod fuzz;
mod hardening;
mod links;
mod outputs;
mod scanners;
mod statuses;
