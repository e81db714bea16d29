//! Model: one audit built from the loaded inputs. No I/O happens here.

pub mod assemble;
pub mod audit;
pub mod catalog;
pub mod diff;
pub mod diff_drift;
pub mod diff_keyed;
pub mod drift;
pub mod evaluate;
pub mod evidence_map;
pub mod findings_map;
pub mod focus;
pub mod gate;
pub mod inventory_import;
pub mod layer;
pub mod library;
pub mod provider;
pub mod reports;
pub mod responsibility;
pub mod scanner_checks;
pub mod scanner_ids;
pub mod site;
pub mod snapshot;
pub mod status;
pub mod tabletop;
pub mod vendors;
