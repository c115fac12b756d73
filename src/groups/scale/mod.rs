//! The state at scale (`scale/*`): what each state hot path costs as the
//! state grows from 10⁴ to 10⁸ entries, on disk in MDBX with reth's layout
//! and alloy-trie's stored branch nodes. Each tier is built once,
//! deterministically, and cached under `target/ethbench-scale/`
//! ([`build`]); the method is in docs/scale.md.
//!
//! Ids end in the tier: `scale/mdbx/read_account/1e7`. The registry lists
//! the smallest tier, the one `cargo bench` and `cargo test` run; a larger
//! tier's workloads exist when asked for by id (`ethbench run
//! scale/trie/incremental_root/1e7`) and `ethbench scale` runs them all.
//! A `_cold_cache` case evicts the tier's data from the page cache before
//! every run; the others run on a warm page cache.

pub mod build;
pub mod cache;
pub mod evm;
pub mod gen;
pub mod io;
pub mod mdbx;
pub mod measure;

pub mod report;
pub mod root;
pub mod store;
pub mod tier;
pub mod trie;

use std::cell::OnceCell;
use std::rc::Rc;

pub use cache::Cache;
pub use tier::Tier;

use crate::data::Fixtures;
use crate::measure::error::Error;
use crate::measure::workload::deferred;
use crate::measure::workload::{Select, Workload};

/// Tiers up to this one also get the from-scratch root (it reads the whole state).
pub(crate) const FROM_SCRATCH_UP_TO: Tier = Tier(6);

type Make = fn(String, String, Rc<store::ScaleDb>) -> Result<Box<dyn Workload>, String>;

/// Every case: its name, what one run does, and how it is built on a tier's state.
fn cases(tier: Tier) -> Vec<(&'static str, String, Make)> {
    use Cache::{Cold, Warm};
    let m = mdbx::READS;
    let mut all: Vec<(&'static str, String, Make)> = vec![
        ("mdbx/read_account", format!("{m} point reads of random accounts (hashed key), one read transaction"), |i, a, db| Ok(mdbx::read_account(i, a, db, Warm))),
        ("mdbx/read_slot", format!("{m} point reads of random storage slots (DUPSORT, get_both_range), one read transaction"), |i, a, db| Ok(mdbx::read_slot(i, a, db, Warm))),
        ("mdbx/seek_walk_100", format!("{} cursor seeks to random keys of the hashed accounts, each walking {} entries", mdbx::SEEKS, mdbx::WALK), |i, a, db| Ok(mdbx::seek_walk(i, a, db, Warm))),
        ("mdbx/commit_1k_durable", format!("{} random account updates in one write transaction, committed durably (fsync)", mdbx::BATCH), |i, a, db| mdbx::commit(i, a, db, true)),
        ("mdbx/commit_1k_nosync", format!("{} random account updates in one write transaction, committed without sync (MDBX_SAFE_NOSYNC)", mdbx::BATCH), |i, a, db| mdbx::commit(i, a, db, false)),
        ("trie/incremental_root", "state root after 1,000 account and 10,000 slot writes over 100 contracts, updated on the stored branch nodes".into(), |i, a, db| Ok(trie::incremental(i, a, db, Warm))),
        ("evm/sload", format!("revm: {} SLOADs of cold slots (EIP-2929) of the state's contracts, read from MDBX", evm::ACCESSES), |i, a, db| evm::workload(i, a, db, evm::Access::Sload, Warm)),
        ("evm/sstore", format!("revm: {} SSTOREs to cold, nonzero slots of the state's contracts, read from MDBX", evm::ACCESSES), |i, a, db| evm::workload(i, a, db, evm::Access::Sstore, Warm)),
        ("evm/balance", format!("revm: BALANCE of {} cold accounts, read from MDBX", evm::ACCESSES), |i, a, db| evm::workload(i, a, db, evm::Access::Balance, Warm)),
        ("evm/extcodehash", format!("revm: EXTCODEHASH of {} cold accounts, read from MDBX", evm::ACCESSES), |i, a, db| evm::workload(i, a, db, evm::Access::Extcodehash, Warm)),
    ];
    if tier <= FROM_SCRATCH_UP_TO {
        all.push((
            "trie/from_scratch_root",
            "the same state root from scratch: every account and slot read, every storage root recomputed".into(),
            |i, a, db| Ok(trie::from_scratch(i, a, db)),
        ));
    }
    // Cold cases come last, so that warm ones run before any eviction.
    all.extend::<Vec<(&'static str, String, Make)>>(vec![
        (
            "mdbx/read_account_cold_cache",
            format!("{m} point reads of random accounts, page cache evicted before each run"),
            |i, a, db| Ok(mdbx::read_account(i, a, db, Cold)),
        ),
        (
            "mdbx/read_slot_cold_cache",
            format!("{m} point reads of random storage slots, page cache evicted before each run"),
            |i, a, db| Ok(mdbx::read_slot(i, a, db, Cold)),
        ),
        (
            "mdbx/seek_walk_100_cold_cache",
            format!("{} seeks with walks of {}, page cache evicted before each run", mdbx::SEEKS, mdbx::WALK),
            |i, a, db| Ok(mdbx::seek_walk(i, a, db, Cold)),
        ),
        (
            "trie/incremental_root_cold_cache",
            "the incremental state root, page cache evicted before each run".into(),
            |i, a, db| Ok(trie::incremental(i, a, db, Cold)),
        ),
        (
            "evm/sload_cold_cache",
            format!("revm: {} cold SLOADs, page cache evicted before each run", evm::ACCESSES),
            |i, a, db| evm::workload(i, a, db, evm::Access::Sload, Cold),
        ),
        (
            "evm/balance_cold_cache",
            format!("revm: BALANCE of {} cold accounts, page cache evicted before each run", evm::ACCESSES),
            |i, a, db| evm::workload(i, a, db, evm::Access::Balance, Cold),
        ),
    ]);
    all
}

/// The registry's workloads: the smallest tier's, and any tier's that `select` names by id.
pub fn workloads(fx: &Fixtures, select: Select) -> Result<Vec<Box<dyn Workload>>, Error> {
    let mut all = Vec::new();
    for tier in tier::Tier::up_to(tier::LARGEST) {
        if tier == tier::SMALLEST || select.names(&format!("/{tier}")) {
            all.extend(tier_workloads(fx, tier)?);
        }
    }
    Ok(select.keep(all))
}

/// The execution specification's roots of `tier`, where they were computed (up to 10⁶).
pub fn reference(fx: &Fixtures, tier: Tier) -> Result<Option<crate::data::ScaleReference>, Error> {
    let name = format!("scale/{tier}.json");
    if !crate::data::SCALE_REFERENCES.contains(&name.as_str()) {
        return Ok(None);
    }
    fx.json(&name).map(Some)
}

/// The tier's state, built if needed, and held to the execution
/// specification's roots where they exist: every expected root of the
/// tier's workloads is then one the specification computed.
pub(crate) fn open(tier: Tier, reference: Option<&crate::data::ScaleReference>) -> Result<Rc<store::ScaleDb>, String> {
    let db = build::ensure(tier).map_err(|e| e.to_string())?;
    if let Some(r) = reference {
        let (built, spec) = ((db.manifest.root, db.manifest.root_after_changeset), (r.root, r.root_after_changeset));
        if built != spec {
            return Err(format!(
                "the state of tier {tier} has roots {built:?}, and the execution specification computes {spec:?} (fixtures/scale/{tier}.json); the generator and the reference disagree"
            ));
        }
    }
    Ok(db)
}

/// Every workload of one tier, each built on first use; the tier's state is
/// opened (built if needed) once, by the first of them.
pub fn tier_workloads(fx: &Fixtures, tier: Tier) -> Result<Vec<Box<dyn Workload>>, Error> {
    let reference = Rc::new(reference(fx, tier)?);
    let shared: Rc<OnceCell<Rc<store::ScaleDb>>> = Rc::default();
    let tier_about = format!("tier {tier} ({} accounts, {} slots)", tier.mix().accounts, tier.mix().slots);
    let all = cases(tier)
        .into_iter()
        .map(|(case, about, make)| {
            let id = format!("scale/{case}/{tier}");
            let about = format!("{about}; {tier_about}");
            let (shared, reference) = (shared.clone(), reference.clone());
            let (id2, about2) = (id.clone(), about.clone());
            deferred(
                id,
                about,
                Box::new(move || {
                    let problem = |problem: String| Error::Prepare { workload: id2.clone(), problem };
                    let db = match shared.get() {
                        Some(db) => db.clone(),
                        None => {
                            let db = open(tier, reference.as_ref().as_ref()).map_err(problem)?;
                            let _ = shared.set(db.clone());
                            db
                        }
                    };
                    if !id2.ends_with(&format!("_cold_cache/{tier}")) {
                        db.warm().map_err(problem)?;
                    }
                    make(id2.clone(), about2, db).map_err(problem)
                }),
            )
        })
        .collect();
    Ok(all)
}
