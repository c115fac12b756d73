#!/usr/bin/env python3
"""The block pipeline's generated blocks, filled by the Ethereum execution
specification (the `ethereum-execution` package on PyPI), never by revm or
by the suite's own code.

For each block, the Rust generator writes its spec (`ethbench pipeline
--spec`): the environment, the accounts the block needs beyond the tier's,
and the signed transactions. Here the 10^4 tier's state is derived from the
generator's written rules (scripts/scale_reference.py), the block's
accounts are added, and the specification's `apply_body` executes the
transactions. What it computes is written to fixtures/pipeline/<block>.json:
the state root before and after, the transactions root, the gas used, the
receipts root, the logs bloom, the requests hash and the withdrawals root,
with the keccak256 of the spec they were filled from. Every transaction
must succeed.

Run through scripts/pipeline-reference.sh:

    scripts/pipeline-reference.sh [--block mixed_3m]           # write (all blocks, or one)
    scripts/pipeline-reference.sh [--block mixed_3m] --check   # recompute and compare with the committed file
"""

import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scale_reference as tiers  # noqa: E402

from ethereum.crypto.hash import keccak256  # noqa: E402
from ethereum.forks.prague import fork, vm  # noqa: E402
from ethereum.forks.prague import state as st  # noqa: E402
from ethereum.forks.prague.blocks import decode_receipt  # noqa: E402
from ethereum.forks.prague.bloom import logs_bloom  # noqa: E402
from ethereum.forks.prague.fork_types import Account, Address  # noqa: E402
from ethereum.forks.prague.requests import compute_requests_hash  # noqa: E402
from ethereum.forks.prague.trie import root, trie_get  # noqa: E402
from ethereum_types.bytes import Bytes, Bytes32  # noqa: E402
from ethereum_types.numeric import U64, U256, Uint  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "ethereum-execution==2.20.0"
BLOCKS = ["mixed_3m", "mixed_30m", "mixed_60m"]


def hexb(b) -> str:
    return "0x" + bytes(b).hex()


def unhex(text: str) -> bytes:
    return bytes.fromhex(text[2:] if text.startswith("0x") else text)


def number(value) -> int:
    return int(value, 16) if isinstance(value, str) else int(value)


def write_spec(block: str) -> bytes:
    out = ROOT / "target" / "pipeline-spec" / f"{block}.json"
    subprocess.run(
        ["cargo", "run", "--release", "--quiet", "--", "pipeline", "--blocks", block, "--spec", str(out)],
        cwd=ROOT,
        check=True,
    )
    return out.read_bytes()


def fill(spec_bytes: bytes) -> dict:
    spec = json.loads(spec_bytes)
    _, state = tiers.tier_state(10 ** int(spec["tier"][2:]))
    for address, a in spec["alloc"].items():
        owner = Address(unhex(address))
        st.set_account(state, owner, Account(nonce=Uint(number(a["nonce"])), balance=U256(number(a["balance"])), code=Bytes(unhex(a["code"]))))
        for slot, value in a["storage"].items():
            st.set_storage(state, owner, Bytes32(number(slot).to_bytes(32, "big")), U256(number(value)))
    pre_state_root = st.state_root(state)
    env = spec["env"]
    block_env = vm.BlockEnvironment(
        chain_id=U64(1),
        state=state,
        block_gas_limit=Uint(env["gas_limit"]),
        block_hashes=[Bytes32(unhex(env["parent_hash"]))],
        coinbase=Address(unhex(env["coinbase"])),
        number=Uint(env["number"]),
        base_fee_per_gas=Uint(env["base_fee"]),
        time=U256(env["timestamp"]),
        prev_randao=Bytes32(unhex(env["prev_randao"])),
        excess_blob_gas=U64(0),
        parent_beacon_block_root=Bytes32(unhex(env["parent_beacon_block_root"])),
    )
    transactions = tuple(Bytes(unhex(t)) for t in spec["transactions"])
    output = fork.apply_body(block_env, transactions, ())
    for i, key in enumerate(output.receipt_keys):
        if not decode_receipt(trie_get(output.receipts_trie, key)).succeeded:
            sys.exit(f"pipeline reference: transaction {i} of {spec['block']} failed, and every one must succeed")
    if int(output.blob_gas_used) != 0:
        sys.exit(f"pipeline reference: {spec['block']} uses blob gas, and the generated blocks carry no blobs")
    return {
        "block": spec["block"],
        "tier": spec["tier"],
        "spec_digest": hexb(keccak256(spec_bytes)),
        "transactions": len(transactions),
        "pre_state_root": hexb(pre_state_root),
        "transactions_root": hexb(root(output.transactions_trie)),
        "gas_used": int(output.block_gas_used),
        "receipts_root": hexb(root(output.receipts_trie)),
        "logs_bloom": hexb(logs_bloom(output.block_logs)),
        "requests_hash": hexb(compute_requests_hash(output.requests)),
        "withdrawals_root": hexb(root(output.withdrawals_trie)),
        "state_root": hexb(st.state_root(state)),
        "computed_by": f"{PACKAGE}, ethereum.forks.prague.fork.apply_body on the 1e4 tier (scripts/pipeline_reference.py)",
    }


def main():
    args = sys.argv[1:]
    blocks = BLOCKS
    if "--block" in args:
        i = args.index("--block")
        blocks = [args[i + 1]]
        del args[i : i + 2]
    check = args == ["--check"]
    if args and not check:
        sys.exit("usage: scripts/pipeline-reference.sh [--block NAME] [--check]")
    for block in blocks:
        if block not in BLOCKS:
            sys.exit(f"there is no block {block}; the blocks are {', '.join(BLOCKS)}")
        started = time.time()
        record = fill(write_spec(block))
        text = json.dumps(record, indent=2) + "\n"
        out = ROOT / "fixtures" / "pipeline" / f"{block}.json"
        took = f"{time.time() - started:.0f} s"
        if check:
            if out.read_text() != text:
                sys.exit(f"{out.relative_to(ROOT)} differs from what the specification computes now:\n{text}")
            print(f"{out.relative_to(ROOT)} matches the specification ({took})")
        else:
            out.write_text(text)
            print(f"wrote {out.relative_to(ROOT)}: {record['transactions']} transactions, {record['gas_used']} gas, state root {record['state_root']} ({took})")


if __name__ == "__main__":
    main()
