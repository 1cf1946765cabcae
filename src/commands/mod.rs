//! The front doors onto the pipeline; each is thin.

pub mod build;
pub mod check;
pub mod new;
pub mod pdf;
pub mod serve;
