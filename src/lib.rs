//! planpress: Markdown and YAML in, a bilingual static website out.
//!
//! One pipeline, one stage per module: [`content`] loads the typed [`model`], [`validate`]
//! checks it, [`render`] turns it into files in memory, [`output`] writes them atomically.
//! [`commands`] are the thin front doors onto that pipeline; [`routes`] gives every page and file
//! of the output its URL and path.

pub mod commands;
pub mod content;
pub mod diagnostics;
pub mod import;
pub mod linkcheck;
pub mod model;
pub mod output;
pub mod publish;
pub mod render;
pub mod routes;
pub mod sitefs;
pub mod url_policy;
pub mod validate;
