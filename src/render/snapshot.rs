//! Render: `snapshot.json`, what a later review cycle diffs against.
//! The shape lives in `model::snapshot`; its schema in `schema/snapshot.schema.json`.

use crate::error::{Error, Result};
use crate::model::audit::Audit;
use crate::model::snapshot::{Snapshot, snapshot_of};

pub use crate::model::snapshot::SNAPSHOT_SCHEMA_VERSION;

/// The snapshot of an audit as pretty-printed JSON, ending in a newline.
pub fn render_snapshot(audit: &Audit) -> Result<Vec<u8>> {
    write_snapshot(&snapshot_of(audit))
}

/// A snapshot as pretty-printed JSON, ending in a newline.
pub fn write_snapshot(snapshot: &Snapshot) -> Result<Vec<u8>> {
    crate::render::json::to_json_pretty(snapshot).map_err(|e| Error::render("the snapshot", e))
}
