//! What a measurement was taken on, for every table and baseline that shows numbers.

use std::process::Command;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Machine {
    /// UTC date the measurement was recorded, `YYYY-MM-DD`.
    #[serde(default)]
    pub date: String,
    pub cpu: String,
    pub cores: usize,
    pub memory_gib: u64,
    pub os: String,
    pub rustc: String,
    pub allocator: String,
    /// The keccak backend (recorded since the keccak A/B; older records have none).
    #[serde(default)]
    pub keccak: String,
}

impl Machine {
    pub fn current() -> Self {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find_map(|l| {
                l.strip_prefix("model name").and_then(|r| r.split_once(':')).map(|(_, v)| v.trim().to_owned())
            })
            .unwrap_or_else(|| std::env::consts::ARCH.to_owned());
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let memory_kib: u64 = meminfo
            .lines()
            .find_map(|l| l.strip_prefix("MemTotal:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0);
        let rustc = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
            .arg("--version")
            .output()
            .ok()
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .map(|s| s.trim().to_owned())
            .unwrap_or_else(|| "rustc (unknown version)".into());
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        Machine {
            date: civil_date(now as i64),
            cpu,
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            memory_gib: (memory_kib + (1 << 19)) >> 20,
            os: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
            rustc,
            allocator: crate::alloc::ACTIVE.to_owned(),
            keccak: crate::keccak_backend::ACTIVE.to_owned(),
        }
    }

    /// One line: `2 × Intel Xeon …, 24 GiB, linux x86_64, rustc 1.95.0, system allocator, sha3 keccak`.
    pub fn summary(&self) -> String {
        let keccak = if self.keccak.is_empty() { String::new() } else { format!(", {} keccak", self.keccak) };
        format!(
            "{} × {}, {} GiB, {}, {}, {} allocator{keccak}",
            self.cores, self.cpu, self.memory_gib, self.os, self.rustc, self.allocator
        )
    }
}

/// `YYYY-MM-DD` for a Unix timestamp (days-from-civil, inverted).
pub fn civil_date(secs: i64) -> String {
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}
