//! The front doors onto the pipeline; each is thin.

pub mod approve;
pub mod build;
pub mod check;
pub mod import;
pub mod live;
pub mod new;
pub mod new_plan;
pub mod pdf;
pub mod progress;
pub mod serve;
pub mod template;
