//! Shared by the fuzz targets (and, by path, by tests/hostile/prop.rs): the "no script in the
//! output" checker and a small site built in memory.

pub mod check;
pub mod site;

/// `PLANPRESS_FUZZ_PANIC_ONLY=1` checks for panics and crashes only, to look for them on a
/// version that still lets script through (where the first hostile link would stop the run).
pub fn panic_only() -> bool {
    static PANIC_ONLY: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *PANIC_ONLY.get_or_init(|| std::env::var_os("PLANPRESS_FUZZ_PANIC_ONLY").is_some_and(|v| !v.is_empty() && v != "0"))
}
