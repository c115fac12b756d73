//! CPU flamegraphs with pprof: for `ethbench run --flame`, and for
//! Criterion's `--profile-time`, through Criterion 0.8's `Profiler` trait
//! (pprof's own `criterion` feature implements the trait of Criterion 0.5).

use std::path::{Path, PathBuf};

use pprof::ProfilerGuard;

use crate::measure::error::Error;

/// Frames of the sampling machinery itself, which unwinding must not enter.
const BLOCKLIST: [&str; 4] = ["libc", "libgcc", "pthread", "vdso"];

/// Start sampling this process `frequency` times a second.
pub fn start(frequency: i32) -> Result<ProfilerGuard<'static>, String> {
    pprof::ProfilerGuardBuilder::default()
        .frequency(frequency)
        .blocklist(&BLOCKLIST)
        .build()
        .map_err(|e| format!("cannot start the CPU profiler: {e}"))
}

/// Render what `guard` sampled as a flamegraph SVG at `path`, whole or not at all.
pub fn write_flamegraph(guard: &ProfilerGuard<'static>, path: &Path) -> Result<(), Error> {
    let fail = |problem: String| Error::Output { path: path.to_owned(), problem };
    let report = guard.report().build().map_err(|e| fail(format!("no profile to write: {e}")))?;
    let mut svg = Vec::new();
    report.flamegraph(&mut svg).map_err(|e| fail(format!("cannot render the flamegraph: {e}")))?;
    crate::measure::output::write_file(path, &svg)
}

/// Refuse an output path that cannot be written, before spending time profiling.
pub fn check_writable(path: &Path) -> Result<(), Error> {
    let fail = |problem: &str| Error::Output { path: path.to_owned(), problem: problem.to_owned() };
    if path.is_dir() {
        return Err(fail("it is a directory"));
    }
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !parent.is_dir() {
        return Err(fail("its directory does not exist"));
    }
    let mut probe = path.as_os_str().to_owned();
    probe.push(".tmp");
    let probe = PathBuf::from(probe);
    std::fs::write(&probe, b"").map_err(|e| fail(&e.to_string()))?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

/// Criterion's profiler hook: with `--profile-time SECS`, each benchmark's
/// samples become `target/criterion/<id>/profile/flamegraph.svg`.
pub(crate) struct CriterionProfiler {
    frequency: i32,
    active: Option<ProfilerGuard<'static>>,
}

impl CriterionProfiler {
    pub fn new(frequency: i32) -> Self {
        Self { frequency, active: None }
    }
}

impl criterion::profiler::Profiler for CriterionProfiler {
    fn start_profiling(&mut self, benchmark_id: &str, _benchmark_dir: &Path) {
        match start(self.frequency) {
            Ok(guard) => self.active = Some(guard),
            Err(e) => eprintln!("ethbench: {benchmark_id}: {e}"),
        }
    }

    fn stop_profiling(&mut self, benchmark_id: &str, benchmark_dir: &Path) {
        let Some(guard) = self.active.take() else { return };
        let path = benchmark_dir.join("flamegraph.svg");
        match write_flamegraph(&guard, &path) {
            Ok(()) => eprintln!("ethbench: {benchmark_id}: flamegraph written to {}", path.display()),
            Err(e) => eprintln!("ethbench: {benchmark_id}: {e}"),
        }
    }
}
