//! No DevTools pipe on this system: `launch` fails, and `pdf` prints each booklet with a
//! browser run of its own, as it does when the protocol fails on Linux.

use std::path::{Path, PathBuf};

pub struct Browser;

impl Browser {
    pub fn launch(_: &Path, _: &Path) -> std::io::Result<Browser> {
        Err(std::io::Error::new(std::io::ErrorKind::Unsupported, "the DevTools pipe is used on Linux only"))
    }

    pub fn watch(&mut self, _: u64) {}

    pub fn print(&mut self, _: &[PathBuf]) -> Result<Vec<Vec<u8>>, String> {
        Err("the DevTools pipe is used on Linux only".to_owned())
    }
}
