//! The data layer: fixed, checksummed inputs (this module's loader and its
//! catalog of files), the real mainnet blocks ([`mainnet`]) and the seed
//! everything generated derives from ([`seed`]).
//!
//! `fixtures/manifest.json` lists every fixture
//! file with its sha256, its size, its shape and the values a correct workload
//! must reproduce. Every read checks the checksum first, so an edited or
//! truncated file fails loudly here instead of deep inside a decoder, and a
//! benchmark can never silently run on different data.

use std::any::{Any, TypeId};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::measure::error::Error;

mod catalog;
mod decoded;
pub mod mainnet;
pub mod seed;
pub use catalog::*;
pub use decoded::{load_block, load_receipts, Decoded};

pub use crate::measure::error::REGENERATE;

/// Environment variable that points the suite at another fixtures directory.
pub const DIR_ENV: &str = "ETHBENCH_FIXTURES";

pub const MANIFEST: &str = "manifest.json";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// How the files were made.
    pub generator: String,
    /// Master seed; each file draws from its own ChaCha20 stream derived from it.
    pub seed: u64,
    pub files: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub sha256: String,
    pub bytes: u64,
    pub about: String,
    /// Size and make-up of the data (counts, lengths, type mix).
    pub shape: serde_json::Value,
    /// Values that workloads over this file must reproduce.
    pub expected: serde_json::Value,
}

/// The fixtures directory, and what has been decoded from it so far.
///
/// Clones share the decoded values: each is built once per process, on
/// first use, by whichever workload asks first ([`Fixtures::shared`]).
#[derive(Clone)]
pub struct Fixtures {
    dir: PathBuf,
    manifest: Manifest,
    // Ordered, not hashed: a randomly seeded map would free its values in a
    // different order each process, and the heap left behind would change
    // what the allocator does inside an instruction-count twin.
    shared: Arc<Mutex<BTreeMap<TypeId, Arc<dyn Any + Send + Sync>>>>,
}

impl std::fmt::Debug for Fixtures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fixtures").field("dir", &self.dir).finish_non_exhaustive()
    }
}

pub fn sha256_hex(data: &[u8]) -> String {
    alloy_primitives::hex::encode(Sha256::digest(data))
}

impl Fixtures {
    /// `$ETHBENCH_FIXTURES`, or the `fixtures/` directory of this crate.
    pub fn default_dir() -> PathBuf {
        std::env::var_os(DIR_ENV)
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"))
    }

    pub fn open_default() -> Result<Self, Error> {
        Self::open(Self::default_dir())
    }

    pub fn open(dir: impl Into<PathBuf>) -> Result<Self, Error> {
        let dir = dir.into();
        let path = dir.join(MANIFEST);
        let manifest_error = |problem: String| Error::Manifest { path: path.clone(), problem };
        let text = std::fs::read_to_string(&path).map_err(|e| manifest_error(e.to_string()))?;
        let manifest = serde_json::from_str(&text).map_err(|e| manifest_error(format!("not valid: {e}")))?;
        Ok(Self { dir, manifest, shared: Arc::default() })
    }

    /// The one `T` of this process, built by `build` the first time it is
    /// asked for: a decoded fixture (the block, the state) or what is
    /// prepared from one (the EVM world, the 1M-row table). Keyed by type,
    /// so each kind of decoded value has its own type and one builder.
    pub fn shared<T: Any + Send + Sync>(&self, build: fn(&Fixtures) -> Result<T, Error>) -> Result<Arc<T>, Error> {
        let key = TypeId::of::<T>();
        let cached = |map: &BTreeMap<TypeId, Arc<dyn Any + Send + Sync>>| {
            map.get(&key).map(|v| v.clone().downcast::<T>().expect("keyed by its own type"))
        };
        if let Some(v) = cached(&self.shared.lock().expect("not poisoned")) {
            return Ok(v);
        }
        // Built without the lock held: a builder may ask for another shared value.
        let built = Arc::new(build(self)?);
        let mut map = self.shared.lock().expect("not poisoned");
        Ok(cached(&map).unwrap_or_else(|| {
            map.insert(key, built.clone());
            built
        }))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    fn entry(&self, name: &str) -> Result<&Entry, Error> {
        self.manifest.files.get(name).ok_or_else(|| Error::fixture(name, "not listed in the manifest"))
    }

    /// The file's bytes, after checking its size and sha256 against the manifest.
    pub fn bytes(&self, name: &str) -> Result<Vec<u8>, Error> {
        let entry = self.entry(name)?;
        let data = std::fs::read(self.dir.join(name)).map_err(|e| {
            let problem = match e.kind() {
                std::io::ErrorKind::NotFound => "file is missing".to_owned(),
                _ => format!("cannot read it: {e}"),
            };
            Error::fixture(name, problem)
        })?;
        if data.len() as u64 != entry.bytes {
            return Err(Error::fixture(
                name,
                format!("{} bytes on disk, manifest says {} (truncated or edited)", data.len(), entry.bytes),
            ));
        }
        let actual = sha256_hex(&data);
        if actual != entry.sha256 {
            return Err(Error::fixture(name, format!("sha256 is {actual}, manifest says {} (edited)", entry.sha256)));
        }
        Ok(data)
    }

    /// A checked JSON fixture, deserialized.
    pub fn json<T: DeserializeOwned>(&self, name: &str) -> Result<T, Error> {
        let data = self.bytes(name)?;
        serde_json::from_slice(&data).map_err(|e| Error::fixture(name, format!("not valid JSON for its type: {e}")))
    }

    /// The manifest's expected values for `name`, deserialized.
    pub fn expected<T: DeserializeOwned>(&self, name: &str) -> Result<T, Error> {
        let entry = self.entry(name)?;
        serde_json::from_value(entry.expected.clone())
            .map_err(|e| Error::fixture(name, format!("manifest `expected` does not fit: {e}")))
    }
}
