//! The global allocator, chosen at compile time for allocator A/B runs:
//! `--features mimalloc` or `--features jemalloc`; the system allocator otherwise.

#[cfg(all(feature = "mimalloc", feature = "jemalloc"))]
compile_error!("features `mimalloc` and `jemalloc` both select the global allocator; enable at most one of them");

#[cfg(all(feature = "heap", any(feature = "mimalloc", feature = "jemalloc")))]
compile_error!("feature `heap` makes dhat the global allocator; it cannot be combined with `mimalloc` or `jemalloc`");

#[cfg(feature = "heap")]
#[global_allocator]
static GLOBAL: dhat::Alloc = dhat::Alloc;

#[cfg(all(feature = "mimalloc", not(feature = "heap")))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(all(feature = "jemalloc", not(feature = "mimalloc"), not(feature = "heap")))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Name of the global allocator this build uses.
pub const ACTIVE: &str = if cfg!(feature = "heap") {
    "dhat (heap profiling)"
} else if cfg!(feature = "mimalloc") {
    "mimalloc"
} else if cfg!(feature = "jemalloc") {
    "jemalloc"
} else {
    "system"
};
