//! I/O per operation, from the kernel's own counters for this process, and
//! the page-cache eviction that makes a run cold.
//!
//! - `/proc/self/io`: `read_bytes` and `write_bytes` are what reached the
//!   block layer (page-cache hits and mmap hits count nothing); `syscr` and
//!   `syscw` count read- and write-type system calls.
//! - `getrusage`: major faults (a page of the memory-mapped database that
//!   had to come from disk) and minor faults (mapped from the page cache).
//!
//! fsyncs are not counted: Linux keeps no per-process count of them and
//! counting them needs tracing (`strace -c -e trace=fsync,fdatasync`).

use std::path::Path;

/// The counters at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counters {
    pub read_bytes: u64,
    pub write_bytes: u64,
    pub read_calls: u64,
    pub write_calls: u64,
    pub major_faults: u64,
    pub minor_faults: u64,
}

impl Counters {
    /// Now. Fields the kernel does not expose (no `/proc/self/io` in some
    /// sandboxes) read as zero, and [`Counters::available`] says so.
    pub fn now() -> Self {
        let mut c = Counters::default();
        if let Ok(text) = std::fs::read_to_string("/proc/self/io") {
            for line in text.lines() {
                let Some((name, value)) = line.split_once(':') else { continue };
                let value: u64 = value.trim().parse().unwrap_or(0);
                match name {
                    "read_bytes" => c.read_bytes = value,
                    "write_bytes" => c.write_bytes = value,
                    "syscr" => c.read_calls = value,
                    "syscw" => c.write_calls = value,
                    _ => {}
                }
            }
        }
        // SAFETY: getrusage writes into the zeroed struct we own.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } == 0 {
            c.major_faults = usage.ru_majflt as u64;
            c.minor_faults = usage.ru_minflt as u64;
        }
        c
    }

    pub fn available() -> bool {
        Path::new("/proc/self/io").exists()
    }

    /// What happened between `earlier` and `self`.
    pub fn since(self, earlier: Counters) -> Counters {
        Counters {
            read_bytes: self.read_bytes.saturating_sub(earlier.read_bytes),
            write_bytes: self.write_bytes.saturating_sub(earlier.write_bytes),
            read_calls: self.read_calls.saturating_sub(earlier.read_calls),
            write_calls: self.write_calls.saturating_sub(earlier.write_calls),
            major_faults: self.major_faults.saturating_sub(earlier.major_faults),
            minor_faults: self.minor_faults.saturating_sub(earlier.minor_faults),
        }
    }

    pub fn plus(self, other: Counters) -> Counters {
        Counters {
            read_bytes: self.read_bytes + other.read_bytes,
            write_bytes: self.write_bytes + other.write_bytes,
            read_calls: self.read_calls + other.read_calls,
            write_calls: self.write_calls + other.write_calls,
            major_faults: self.major_faults + other.major_faults,
            minor_faults: self.minor_faults + other.minor_faults,
        }
    }
}

/// The counters of one operation: totals divided by the operations run.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PerOp {
    pub read_bytes: f64,
    pub write_bytes: f64,
    pub read_calls: f64,
    pub write_calls: f64,
    pub major_faults: f64,
    pub minor_faults: f64,
}

impl PerOp {
    pub fn of(total: Counters, ops: u64) -> Self {
        let per = |v: u64| v as f64 / ops.max(1) as f64;
        PerOp {
            read_bytes: per(total.read_bytes),
            write_bytes: per(total.write_bytes),
            read_calls: per(total.read_calls),
            write_calls: per(total.write_calls),
            major_faults: per(total.major_faults),
            minor_faults: per(total.minor_faults),
        }
    }
}

/// Drop `file`'s clean pages from the page cache: `posix_fadvise(DONTNEED)`,
/// which needs no privileges. Pages still mapped by a process stay, so the
/// database must be closed first (see `store::ScaleDb::evict`).
pub(crate) fn evict(file: &Path) -> Result<(), String> {
    let f = std::fs::File::open(file).map_err(|e| format!("opening {} to evict it: {e}", file.display()))?;
    use std::os::unix::io::AsRawFd;
    // SAFETY: a valid descriptor we own; offset 0 and length 0 mean the whole file.
    let rc = unsafe { libc::posix_fadvise(f.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED) };
    if rc != 0 {
        return Err(format!("posix_fadvise(DONTNEED) on {} failed with {rc}", file.display()));
    }
    Ok(())
}

/// Free bytes on the file system holding `dir` (or its nearest existing parent).
pub(crate) fn free_bytes(dir: &Path) -> Option<u64> {
    let mut probe = dir.to_path_buf();
    while !probe.exists() {
        probe = probe.parent()?.to_path_buf();
    }
    let c = std::ffi::CString::new(probe.as_os_str().as_encoded_bytes()).ok()?;
    // SAFETY: statvfs fills the zeroed struct we own from a valid C string.
    let mut s: libc::statvfs = unsafe { std::mem::zeroed() };
    (unsafe { libc::statvfs(c.as_ptr(), &mut s) } == 0).then(|| s.f_bavail as u64 * s.f_frsize as u64)
}

/// Copy `from` to `to`, keeping its holes, and flush the copy. A state's
/// data file is mostly unallocated map (a 10⁴ tier's is 64 MiB, of which
/// about 1 MiB is written), so a copy costs what the state holds; and the
/// flush leaves no dirty pages for the kernel to write back while a
/// workload is being timed.
pub(crate) fn copy_sparse(from: &Path, to: &Path) -> Result<(), String> {
    use std::os::unix::fs::FileExt;
    use std::os::unix::io::AsRawFd;
    let problem =
        |what: &str, e: std::io::Error| format!("copying {} to {}: {what}: {e}", from.display(), to.display());
    let src = std::fs::File::open(from).map_err(|e| problem("open", e))?;
    let dst = std::fs::File::create(to).map_err(|e| problem("create", e))?;
    let len = src.metadata().map_err(|e| problem("stat", e))?.len();
    dst.set_len(len).map_err(|e| problem("size", e))?;
    let mut buf = vec![0u8; 1 << 20];
    let mut offset = 0u64;
    while offset < len {
        // SAFETY: lseek on a descriptor we own; it moves only that descriptor's offset, which nothing else reads.
        let data = unsafe { libc::lseek(src.as_raw_fd(), offset as libc::off_t, libc::SEEK_DATA) };
        let (start, end) = if data < 0 {
            match std::io::Error::last_os_error().raw_os_error() {
                Some(libc::ENXIO) => break, // nothing but a hole past `offset`
                _ => (offset, len),         // a file system that cannot tell: copy the rest whole
            }
        } else {
            // SAFETY: as above.
            let hole = unsafe { libc::lseek(src.as_raw_fd(), data, libc::SEEK_HOLE) };
            (data as u64, if hole < 0 { len } else { (hole as u64).min(len) })
        };
        let mut at = start;
        while at < end {
            let want = buf.len().min((end - at) as usize);
            let n = src.read_at(&mut buf[..want], at).map_err(|e| problem("read", e))?;
            if n == 0 {
                break;
            }
            dst.write_all_at(&buf[..n], at).map_err(|e| problem("write", e))?;
            at += n as u64;
        }
        offset = end;
    }
    dst.sync_all().map_err(|e| problem("flush", e))
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::{FileExt, MetadataExt};

    #[test]
    fn a_sparse_copy_has_the_same_bytes_and_keeps_the_holes() {
        let dir = tempfile::tempdir().unwrap();
        let (from, to) = (dir.path().join("from"), dir.path().join("to"));
        let f = std::fs::File::create(&from).unwrap();
        f.set_len(64 << 20).unwrap();
        f.write_all_at(&[7u8; 4096], 0).unwrap();
        f.write_all_at(&[9u8; 5000], 40 << 20).unwrap();
        f.sync_all().unwrap();
        super::copy_sparse(&from, &to).unwrap();
        assert!(std::fs::read(&from).unwrap() == std::fs::read(&to).unwrap(), "the copy's bytes differ");
        let allocated = std::fs::metadata(&to).unwrap().blocks() * 512;
        assert!(allocated < 1 << 20, "the copy allocated {allocated} bytes of a 64 MiB file holding 9 KiB");
    }
}
