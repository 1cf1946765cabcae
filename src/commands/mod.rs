pub mod build;
pub mod pdf;
