//! Warm and cold: whether a run starts with the tier's pages in the page
//! cache, and the hook that evicts them before every cold run.

use super::store::ScaleDb;
use crate::measure::workload::{Hooks, Reset};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cache {
    Warm,
    Cold,
}

/// A workload's input that runs on a tier's state.
pub(crate) trait OnState {
    fn state(&self) -> &ScaleDb;
}

/// The hooks of a workload on a tier's state: a cold one evicts the tier's pages before every run.
pub(crate) fn hooks<I: OnState + 'static>(cache: Cache) -> Hooks<I> {
    let evict: Reset<I> = |input| input.state().evict();
    Hooks { reset: (cache == Cache::Cold).then_some(evict), notes: None }
}
