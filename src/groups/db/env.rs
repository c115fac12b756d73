//! A temporary MDBX environment with a client's tables.

use std::path::{Path, PathBuf};

use signet_libmdbx::{DatabaseFlags, Environment, EnvironmentFlags, Geometry, Mode, WriteFlags};

use super::Row;
use crate::measure::error::Error;

pub use signet_libmdbx::SyncMode;

pub const ACCOUNTS: &str = "HashedAccounts";
pub const STORAGE: &str = "HashedStorages";
pub(crate) const HEADERS: &str = "Headers";

/// Prefix of every temporary database directory, with the owning process id after it.
const DIR_PREFIX: &str = "ethbench-mdbx-";

/// An MDBX environment in its own temporary directory, deleted on drop.
pub struct TempDb {
    pub env: Environment,
    // Dropped after `env`, so the files are closed before they are removed.
    dir: tempfile::TempDir,
}

fn db_error(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Output { path: std::env::temp_dir(), problem: format!("MDBX {what}: {e}") }
}

/// A temporary directory named for this process, which [`remove_stale_dirs`] removes if the process is killed.
pub fn temp_dir() -> Result<tempfile::TempDir, Error> {
    tempfile::Builder::new()
        .prefix(&format!("{DIR_PREFIX}{}-", std::process::id()))
        .tempdir()
        .map_err(|e| Error::Output { path: std::env::temp_dir(), problem: e.to_string() })
}

impl TempDb {
    pub fn open(sync: SyncMode) -> Result<Self, Error> {
        let dir = temp_dir()?;
        let env = Environment::builder()
            .set_max_dbs(4)
            .set_flags(EnvironmentFlags { mode: Mode::ReadWrite { sync_mode: sync }, ..Default::default() })
            .set_geometry(Geometry { size: Some(0..(16usize << 30)), ..Default::default() })
            .open(dir.path())
            .map_err(|e| db_error("open", e))?;
        let db = Self { env, dir };
        let txn = db.env.begin_rw_sync().map_err(|e| db_error("begin", e))?;
        for (name, flags) in
            [(ACCOUNTS, DatabaseFlags::empty()), (STORAGE, DatabaseFlags::DUP_SORT), (HEADERS, DatabaseFlags::empty())]
        {
            txn.create_db(Some(name), flags).map_err(|e| db_error("create table", e))?;
        }
        txn.commit().map_err(|e| db_error("commit", e))?;
        Ok(db)
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Write `rows` to `table` in one transaction.
    pub fn write(&self, table: &str, rows: &[Row], flags: WriteFlags) -> Result<(), String> {
        let txn = self.env.begin_rw_sync().map_err(|e| e.to_string())?;
        let db = txn.open_db(Some(table)).map_err(|e| e.to_string())?;
        for (k, v) in rows {
            txn.put(db, k, v, flags).map_err(|e| e.to_string())?;
        }
        txn.commit().map_err(|e| e.to_string())
    }

    /// Empty `table`, committed.
    pub fn clear(&self, table: &str) -> Result<(), String> {
        let txn = self.env.begin_rw_sync().map_err(|e| e.to_string())?;
        let db = txn.open_db(Some(table)).map_err(|e| e.to_string())?;
        txn.clear_db(db).map_err(|e| e.to_string())?;
        txn.commit().map_err(|e| e.to_string())
    }

    /// Every row of `table`, in key order.
    pub(crate) fn read_all(&self, table: &str) -> Result<Vec<Row>, String> {
        let txn = self.env.begin_ro_sync().map_err(|e| e.to_string())?;
        let db = txn.open_db(Some(table)).map_err(|e| e.to_string())?;
        let mut cursor = txn.cursor(db).map_err(|e| e.to_string())?;
        let mut rows = Vec::new();
        let mut next = cursor.first::<Vec<u8>, Vec<u8>>().map_err(|e| e.to_string())?;
        while let Some(row) = next {
            rows.push(row);
            next = cursor.next::<Vec<u8>, Vec<u8>>().map_err(|e| e.to_string())?;
        }
        Ok(rows)
    }

    /// `file 12.0 MiB, table 3.1 MiB in 790 pages`: the data file and the pages `table` uses.
    pub(crate) fn size_note(&self, table: &str) -> String {
        let file = std::fs::read_dir(self.path())
            .map(|d| d.flatten().filter_map(|e| e.metadata().ok()).map(|m| m.len()).sum::<u64>())
            .unwrap_or(0);
        let pages = (|| {
            let txn = self.env.begin_ro_sync().ok()?;
            let db = txn.open_db(Some(table)).ok()?;
            let stat = txn.db_stat(&db).ok()?;
            let pages = stat.branch_pages() + stat.leaf_pages() + stat.overflow_pages();
            Some((pages, pages as u64 * u64::from(stat.page_size())))
        })();
        let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
        match pages {
            Some((n, bytes)) => format!("file {:.1} MiB, table {:.1} MiB in {n} pages", mib(file), mib(bytes)),
            None => format!("file {:.1} MiB", mib(file)),
        }
    }
}

/// Remove temporary databases left by ethbench processes that no longer
/// run (killed before they could clean up).
pub(crate) fn remove_stale_dirs() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(DIR_PREFIX)) else { continue };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else { continue };
        if pid != std::process::id() && !PathBuf::from(format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}
