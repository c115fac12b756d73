//! Workloads on the user's own inputs (`ethbench run|bench input/...`): a
//! contract's runtime bytecode, a whole block and the community's state
//! tests, through the same
//! workloads, timing loop, profilers and Criterion setup as the built-ins.

pub mod block;
pub mod blocktest;
pub mod bytecode;
pub(crate) mod community;
pub use community::check_fork;
pub mod statetest;

use std::path::{Path, PathBuf};

use crate::measure::error::Error;

pub(crate) fn input_error(path: &Path, problem: impl Into<String>) -> Error {
    Error::Input { path: path.to_owned(), problem: problem.into() }
}

/// A file of hex text or of raw bytes. A file of printable ASCII is taken
/// as hex (`0x` optional, whitespace ignored) and must be valid hex; any
/// other file is raw bytes.
pub(crate) fn read_hex_or_binary(path: &Path) -> Result<Vec<u8>, Error> {
    let data = std::fs::read(path).map_err(|e| {
        let problem = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_owned(),
            _ => format!("cannot read it: {e}"),
        };
        input_error(path, problem)
    })?;
    let is_text = data.iter().all(|b| b.is_ascii_graphic() || b.is_ascii_whitespace());
    let bytes = if is_text {
        parse_hex(std::str::from_utf8(&data).expect("ASCII")).map_err(|e| input_error(path, e))?
    } else {
        data
    };
    if bytes.is_empty() {
        return Err(input_error(path, "holds no bytes; give it hex text or raw bytes"));
    }
    Ok(bytes)
}

/// Bytes the user gave for a flag: a file (hex text or raw bytes, see
/// [`read_hex_or_binary`]), or hex itself starting with `0x` where no such
/// file exists.
pub(crate) struct UserBytes {
    pub(crate) bytes: Vec<u8>,
    /// For ids: the file's stem, or `inline`.
    pub(crate) name: String,
    /// For messages: the file, or the flag for inline hex.
    pub(crate) label: PathBuf,
}

pub(crate) fn user_bytes(arg: &Path, flag: &str) -> Result<UserBytes, Error> {
    let text = arg.to_str().unwrap_or_default();
    if !arg.exists() && text.starts_with("0x") {
        let label = PathBuf::from(flag);
        let bytes = parse_hex(text).map_err(|e| {
            input_error(&label, format!("names no file and {e}; give a file, or hex text starting with 0x"))
        })?;
        if bytes.is_empty() {
            return Err(input_error(&label, "`0x` holds no bytes"));
        }
        return Ok(UserBytes { bytes, name: "inline".to_owned(), label });
    }
    Ok(UserBytes { bytes: read_hex_or_binary(arg)?, name: stem(arg), label: arg.to_owned() })
}

/// Hex text, `0x` optional, whitespace ignored.
pub(crate) fn parse_hex(text: &str) -> Result<Vec<u8>, String> {
    let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    alloy_primitives::hex::decode(&digits).map_err(|e| format!("is not hex: {e}"))
}

/// The file's name without extension, for benchmark ids.
pub(crate) fn stem(path: &Path) -> String {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("input");
    stem.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '_' }).collect()
}
