//! Writing output files whole or not at all.

use std::path::{Path, PathBuf};

use crate::measure::error::Error;

/// Write `data` to `path` (creating its directory): to a temporary file
/// beside it, then renamed over it, so a reader never sees half a file and
/// a failure leaves nothing behind.
pub fn write_file(path: &Path, data: &[u8]) -> Result<(), Error> {
    let fail = |e: std::io::Error| Error::Output { path: path.to_owned(), problem: e.to_string() };
    if path.is_dir() {
        return Err(Error::Output { path: path.to_owned(), problem: "it is a directory".into() });
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    std::fs::write(&tmp, data).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e)
    })?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e)
    })
}

/// Cargo's target directory: `$CARGO_TARGET_DIR`, else `target/` of this crate.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}
