//! A block's life in a client, stage by stage (`pipeline/*`): decode,
//! sender recovery (sequential and rayon), execution on the MDBX state of a
//! tier, the state root on the stored nodes, and the durable commit, each a
//! workload, and the whole import beside them. Method and what the stages
//! leave out: docs/pipeline.md.
//!
//! Ids are `pipeline/<block>_<tier>/<stage>`. The registry lists the small
//! block on the smallest tier (`pipeline/mixed_3m_1e4/*`), the one `cargo
//! bench` and `cargo test` run; the others exist when named by id, and
//! `ethbench pipeline` runs them.

pub mod block;
pub mod input;
pub mod report;
pub mod stages;
pub mod state;
pub mod write;

use std::cell::OnceCell;
use std::rc::Rc;

use crate::data::Fixtures;
use crate::groups::chain::{self, check_executed, Recovery};
use crate::groups::scale::{tier, Tier};
use crate::measure::error::Error;
use crate::measure::workload::{case, deferred, expect_eq, stateful_case, Hooks, Throughput};
use crate::measure::workload::{Select, Workload};
use stages::{Block, Stage};

/// Tiers up to this one also check the incremental root against the committed state's root from scratch.
pub(crate) const FROM_SCRATCH_UP_TO: Tier = Tier(7);
/// The tier `ethbench pipeline` runs on unless told otherwise.
pub const DEFAULT_TIER: Tier = Tier(6);

/// The id of a block on a tier: `mixed_30m_1e6`.
pub fn block_id(name: &str, tier: Tier) -> String {
    format!("{name}_{tier}")
}

/// The registry's workloads: the first block on the smallest tier, and any block's that `select` names.
pub fn workloads(fx: &Fixtures, select: Select) -> Result<Vec<Box<dyn Workload>>, Error> {
    let mut all = Vec::new();
    for (i, (name, gas_limit)) in block::BLOCKS.iter().enumerate() {
        for t in Tier::up_to(tier::LARGEST) {
            let id = block_id(name, t);
            if (i == 0 && t == tier::SMALLEST) || select.names(&format!("pipeline/{id}")) {
                all.extend(block_workloads(fx, name, *gas_limit, t, &Stage::ALL));
            }
        }
    }
    Ok(select.keep(all))
}

/// The block ready on its state: generated, checked against the execution
/// specification's filled values, and its state made (built if needed).
pub fn prepare(fx: &Fixtures, name: &str, gas_limit: u64, tier: Tier) -> Result<Block, String> {
    let file = format!("pipeline/{name}.json");
    let reference: crate::data::PipelineReference = fx.json(&file).map_err(|e| e.to_string())?;
    let generated = block::generate(fx, name, gas_limit, tier).map_err(|e| e.to_string())?;
    let exact = tier.to_string() == reference.tier;
    if exact && generated.spec.digest() != reference.spec_digest {
        return Err(format!(
            "the generated block is not the one the execution specification filled (fixtures/{file}); run scripts/pipeline-reference.sh"
        ));
    }
    let scale_reference = crate::groups::scale::reference(fx, tier).map_err(|e| e.to_string())?;
    let tier_db = crate::groups::scale::open(tier, scale_reference.as_ref())?;
    let pre_root = exact.then_some(reference.pre_state_root);
    let db = state::ensure(tier, &tier_db, &generated.spec.alloc, pre_root)?;
    drop(tier_db);
    stages::prepare_generated(generated, &reference, db, exact)
}

struct On(Rc<Block>);

/// Every stage of one block on one tier, each built on first use; the block is prepared once, by the first.
pub fn block_workloads(fx: &Fixtures, name: &str, gas_limit: u64, t: Tier, which: &[Stage]) -> Vec<Box<dyn Workload>> {
    let shared: Rc<OnceCell<Rc<Block>>> = Rc::default();
    let fx = Rc::new(fx.clone());
    let block = block_id(name, t);
    which
        .iter()
        .map(|&stage| {
            let id = format!("pipeline/{block}/{}", stage.name());
            let about = format!(
                "{}; block {name} (mixed traffic, {} M gas limit) on tier {t}",
                stage.about(),
                gas_limit / 1_000_000
            );
            let (shared, fx, name, id2) = (shared.clone(), fx.clone(), name.to_owned(), id.clone());
            let about2 = about.clone();
            deferred(
                id,
                about,
                Box::new(move || {
                    let problem = |problem: String| Error::Prepare { workload: id2.clone(), problem };
                    let b = match shared.get() {
                        Some(b) => b.clone(),
                        None => {
                            let b = Rc::new(prepare(&fx, &name, gas_limit, t).map_err(problem)?);
                            let _ = shared.set(b.clone());
                            b
                        }
                    };
                    Ok(stage_workload(id2.clone(), about2, b, stage))
                }),
            )
        })
        .collect()
}

/// Every stage of blocks already prepared (a blockchain test's), with ids `pipeline/<prefix>/<stage>`.
pub fn prepared_workloads(blocks: Vec<(String, Block)>) -> Vec<Box<dyn Workload>> {
    let mut all = Vec::new();
    for (prefix, block) in blocks {
        let about = format!("{}: {}", block.about, block.name);
        let block = Rc::new(block);
        for stage in Stage::ALL {
            let id = format!("pipeline/{prefix}/{}", stage.name());
            all.push(stage_workload(id, format!("{}; {about}", stage.about()), block.clone(), stage));
        }
    }
    all
}

fn stage_workload(id: String, about: String, b: Rc<Block>, stage: Stage) -> Box<dyn Workload> {
    let gas = Throughput::Gas(b.gas_used);
    let on = On(b);
    match stage {
        Stage::Decode => case(
            id,
            about,
            gas,
            on,
            |o: &mut On| chain::decode(&o.0.rlp).map(|d| (d.hash, d.transactions.len())),
            |o, out| {
                let (hash, count) = out?;
                expect_eq("the decoded block's hash", hash, o.0.hash)?;
                expect_eq("the decoded block's transactions", count, o.0.transactions.len())
            },
        ),
        Stage::Senders | Stage::SendersRayon => {
            let how = if stage == Stage::Senders { Recovery::Sequential } else { Recovery::Rayon };
            case(
                id,
                about,
                gas,
                on,
                move |o: &mut On| chain::senders(&o.0.transactions, how),
                |o, out| expect_eq("the recovered senders (against the signing keys' addresses)", &out?, &o.0.senders),
            )
        }
        Stage::Execute => case(
            id,
            about,
            gas,
            on,
            |o: &mut On| stages::execute(&o.0.db, &o.0.chain, &o.0.prepared, &o.0.ancestors),
            |o, out| {
                let (executed, bundle) = out?;
                check_executed(&o.0.prepared, &executed)?;
                expect_eq("the accounts the block changed", bundle.state.len(), o.0.bundle.state.len())
            },
        ),
        Stage::StateRoot => case(
            id,
            about,
            gas,
            on,
            |o: &mut On| {
                let hashed = stages::hash_state(&o.0.bundle)?;
                stages::state_root(&o.0.db, &hashed).map(|(root, updates)| (root, updates.len()))
            },
            |o, out| {
                let (root, nodes) = out?;
                expect_eq("the state root (against the header's)", root, o.0.prepared.header.state_root)?;
                expect_eq("the branch nodes rebuilt", nodes, o.0.updates.len())
            },
        ),
        Stage::Commit => stateful_case(
            id,
            about,
            gas,
            on,
            Hooks { reset: Some(|o: &mut On| stages::undo(&o.0)), notes: None },
            |o: &mut On| stages::commit(&o.0.db, &o.0.hashed, &o.0.updates),
            |o, out| {
                out?;
                expect_eq(
                    "the stored root node after the commit",
                    o.0.db.stored_root()?,
                    Some(o.0.prepared.header.state_root),
                )
            },
        ),
        Stage::Import => stateful_case(
            id,
            about,
            gas,
            on,
            Hooks { reset: Some(|o: &mut On| stages::undo(&o.0)), notes: None },
            |o: &mut On| stages::import(&o.0.db, &o.0.chain, &o.0.ancestors, &o.0.rlp),
            |o, out| {
                let imported = out.map_err(|e| e.to_string())?;
                expect_eq("the gas used", imported.gas_used, o.0.prepared.header.gas_used)?;
                expect_eq(
                    "the stored root node after the import",
                    o.0.db.stored_root()?,
                    Some(o.0.prepared.header.state_root),
                )
            },
        ),
    }
}
