//! Hostile and careless input: what a public government site must never do (issue 10).
//!
//! Each module is one class of input. Every case asserts the exact behaviour: the build fails
//! with a message naming the file (and line), or it succeeds and no output file carries script
//! or a file from outside the site.

#[path = "../common/mod.rs"]
mod common;

mod content;
// Links, FIFOs, sockets and permissions: made with Unix calls.
#[cfg(unix)]
mod files;
#[cfg(unix)]
mod output;
mod prop;
