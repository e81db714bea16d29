//! Render: outputs made from the finished audit. Renderers only read the model.

pub mod package;
pub mod pdf;
pub mod snapshot;
pub mod typst_world;
pub mod view;
pub mod xlsx;
