//! State roots at scale: the incremental update after a block-sized
//! changeset on the stored branch nodes, and the root from scratch beside
//! it where that fits in a run.

use std::rc::Rc;

use alloy_primitives::B256;

use super::cache::{self, Cache, OnState};
use super::root::{self, Changes};
use super::store::{db_error, ScaleDb};
use crate::measure::workload::Workload;
use crate::measure::workload::{expect_eq, stateful_case, Throughput};

struct Roots {
    db: Rc<ScaleDb>,
    changes: Changes,
    compute: Root,
}

impl OnState for Roots {
    fn state(&self) -> &ScaleDb {
        &self.db
    }
}

type Root = fn(&super::store::RoTxSync, &Changes) -> Result<B256, String>;

fn make(id: String, about: String, db: Rc<ScaleDb>, cache: Cache, compute: Root) -> Box<dyn Workload> {
    let want = db.manifest.root_after_changeset;
    let changes = Changes::of(db.tier);
    let hooks = cache::hooks(cache);
    let op = |r: &mut Roots| {
        let env = r.db.env();
        let txn = env.begin_ro_sync().map_err(|e| db_error("begin", e))?;
        (r.compute)(&txn, &r.changes)
    };
    stateful_case(id, about, Throughput::Elements(1), Roots { db, changes, compute }, hooks, op, move |_, out| {
        expect_eq("the state root after the changeset", out?, want)
    })
}

pub(super) fn incremental(id: String, about: String, db: Rc<ScaleDb>, cache: Cache) -> Box<dyn Workload> {
    make(id, about, db, cache, root::incremental)
}

pub(super) fn from_scratch(id: String, about: String, db: Rc<ScaleDb>) -> Box<dyn Workload> {
    make(id, about, db, Cache::Warm, root::from_scratch)
}
