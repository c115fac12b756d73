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
    /// The commit of the measured build's checkout (`None` outside a git
    /// checkout, and in records before 2026-12-06), and whether that
    /// checkout had uncommitted changes to tracked files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    #[serde(default)]
    pub dirty: bool,
    /// The measured build's cargo features.
    #[serde(default)]
    pub features: Vec<String>,
    /// UTC time of day of the record, `HH:MM:SS`.
    #[serde(default)]
    pub time: String,
}

/// The features this build was compiled with, by name.
pub fn features() -> Vec<String> {
    let all = [
        ("mimalloc", cfg!(feature = "mimalloc")),
        ("jemalloc", cfg!(feature = "jemalloc")),
        ("keccak-asm", cfg!(feature = "keccak-asm")),
        ("keccak-tiny", cfg!(feature = "keccak-tiny")),
        ("heap", cfg!(feature = "heap")),
        ("iai", cfg!(feature = "iai")),
        ("plant", cfg!(feature = "plant")),
    ];
    all.iter().filter(|(_, on)| *on).map(|(name, _)| (*name).to_owned()).collect()
}

/// The checkout this crate was built from: its commit, and whether tracked files differ from it.
fn checkout() -> (Option<String>, bool) {
    let git = |args: &[&str]| {
        Command::new("git")
            .args(["-C", env!("CARGO_MANIFEST_DIR")])
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
    };
    match git(&["rev-parse", "HEAD"]) {
        Some(commit) => {
            (Some(commit), git(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty()))
        }
        None => (None, false),
    }
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
        let (commit, dirty) = checkout();
        Machine {
            date: civil_date(now as i64),
            cpu,
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            memory_gib: (memory_kib + (1 << 19)) >> 20,
            os: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
            rustc,
            allocator: crate::measure::alloc::ACTIVE.to_owned(),
            keccak: crate::measure::keccak_backend::ACTIVE.to_owned(),
            commit,
            dirty,
            features: features(),
            time: format!("{:02}:{:02}:{:02}", now / 3600 % 24, now / 60 % 60, now % 60),
        }
    }

    /// Where the measured build came from: `commit 1a2b3c4d (with uncommitted changes), features: mimalloc`.
    pub(crate) fn provenance(&self) -> String {
        format!("{}, recorded {} {} UTC", self.build(), self.date, self.time)
    }

    /// The build alone: `commit 1a2b3c4d (with uncommitted changes), features: mimalloc`.
    fn build(&self) -> String {
        let commit = match &self.commit {
            Some(c) => format!(
                "commit {}{}",
                &c[..c.len().min(12)],
                if self.dirty { " (with uncommitted changes)" } else { "" }
            ),
            None => "commit not recorded".to_owned(),
        };
        let features = if self.features.is_empty() {
            "no features".to_owned()
        } else {
            format!("features {}", self.features.join(", "))
        };
        format!("{commit}, {features}")
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

impl Machine {
    /// A short name for file names: the CPU's family and the cores,
    /// `xeon-2core` for two cores of an "Intel Xeon Processor".
    pub fn slug(&self) -> String {
        format!("{}-{}core", cpu_slug(&self.cpu), self.cores)
    }
}

/// `ethbench --version`: the crate's version, the checkout's commit and the features.
pub fn version_line() -> String {
    format!("ethbench {} ({})", env!("CARGO_PKG_VERSION"), Machine::current().build())
}

/// The first two words of a CPU's model name that say something: vendor,
/// trademark and generic words and the clock after `@` dropped.
fn cpu_slug(cpu: &str) -> String {
    const NOISE: [&str; 8] = ["intel", "amd", "r", "tm", "processor", "cpu", "core", "with"];
    let model = cpu.split('@').next().unwrap_or_default().to_lowercase();
    let words: Vec<&str> = model
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty() && !NOISE.contains(w))
        .take(2)
        .collect();
    if words.is_empty() {
        "cpu".to_owned()
    } else {
        words.join("-")
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

#[cfg(test)]
mod tests {
    use super::cpu_slug;

    #[test]
    fn a_cpus_slug_is_its_family() {
        assert_eq!(cpu_slug("Intel Xeon Processor"), "xeon");
        assert_eq!(cpu_slug("Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz"), "xeon-platinum");
        assert_eq!(cpu_slug("AMD EPYC 7B13 64-Core Processor"), "epyc-7b13");
        assert_eq!(cpu_slug("Apple M2"), "apple-m2");
        assert_eq!(cpu_slug(""), "cpu");
    }
}
