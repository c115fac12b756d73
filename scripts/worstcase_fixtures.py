#!/usr/bin/env python3
"""The worst case of each family `ethbench worst` found, as filled
execution-spec-tests fixtures another client can run in its own tooling: a
`state_test` and a one-block `blockchain_test` per family, filled by the
Ethereum execution specification (Osaka, the fork the search runs on),
never by revm or by the suite.

The programs come from fixtures/worstcase/programs.json, which `ethbench
worst --from <results.json> --programs fixtures/worstcase/programs.json`
writes: each family's winner, its loop re-made to spend the fixtures' gas
(1M, as the benchmark release's smallest files; the specification is
Python and slow on pairings and MSMs). Every expected value in the output
(state roots, logs hashes, block headers, the post state) is what the
specification computed, and every transaction must succeed.

Run through scripts/worstcase-fixtures.sh:

    scripts/worstcase-fixtures.sh           # write the files
    scripts/worstcase-fixtures.sh --check   # recompute and compare with the committed files
"""

import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from spec_chain import (  # noqa: E402
    ETHER,
    FIXTURES,
    PACKAGE,
    SENDER,
    Spec,
    Tx,
    render,
    system_contracts,
    unhex,
    write_or_check,
)

SPEC = Spec("osaka")
DIR = FIXTURES / "worstcase"
PROGRAMS = DIR / "programs.json"
STATE_TESTS = DIR / "state_tests.json"
BLOCKCHAIN_TESTS = DIR / "blockchain_tests.json"
# Where `ethbench worst` runs its programs (src/groups/evm/exec.rs, PROGRAM).
PROGRAM = bytes.fromhex("00000000000000000000000000000000000b3c00")


def test_name(program: dict) -> str:
    """`ethbench_worst_<family>__<variant and size>`: the family is what
    `ethbench worst --reference` reads back from the name."""
    shape = program["variant"] if not program["unit"] else f"{program['variant']} {program['size']} {program['unit']}"
    slug = "".join(c if c.isalnum() else "_" for c in shape.lower())
    return f"ethbench_worst_{program['family']}__{'_'.join(filter(None, slug.split('_')))}"


def describe(program: dict) -> str:
    searched = program["searched"]
    shape = program["variant"] if not program["unit"] else f"{program['variant']}, {program['size']} {program['unit']}"
    found = f"{searched['size']} {program['unit']}" if program["unit"] else program["variant"]
    return (
        f"The worst case `ethbench worst` found in family {program['family']}: {shape}, its loop spending "
        f"{program['gas_limit']} gas (the search: {found} at {searched['gas']} gas, {searched['mgas']:.1f} MGas/s). "
        f"Filled by the Ethereum execution specification (scripts/worstcase_fixtures.py, {PACKAGE})"
    )


def fill(program: dict) -> tuple:
    """One family's state test and blockchain test."""
    started = time.monotonic()
    name = test_name(program)
    tx = Tx(name, PROGRAM, unhex(program["calldata"]), gas=program["gas_limit"])
    accounts = {SENDER: (0, 1_000 * ETHER, b"", {}), PROGRAM: (1, 0, unhex(program["code"]), {})}
    state_test = SPEC.state_test(accounts, tx, describe(program))
    # A block needs the system contracts (EIP-7002 and EIP-7251 calls fail a block without them).
    chain_accounts = {**accounts, **system_contracts()}
    genesis = SPEC.genesis(SPEC.build_state(chain_accounts))
    block, chain = SPEC.next_block(chain_accounts, [], [tx], 0, [])
    blockchain_test = SPEC.blockchain_test(
        describe(program), chain_accounts, genesis, [SPEC.block_json(block)], chain, block
    )
    return name, state_test, blockchain_test, time.monotonic() - started


def main() -> None:
    check = sys.argv[1:] == ["--check"]
    programs = json.loads(PROGRAMS.read_text())
    state_tests, blockchain_tests = {}, {}
    started = time.monotonic()
    # One family a process: the pairings and MSMs take most of the time.
    slowest_first = sorted(programs, key=lambda p: p["family"] not in ("bls12_pairing", "bn254_pairing", "bls12_g1msm", "bls12_g2msm", "blake2f"))
    with ProcessPoolExecutor() as pool:
        for i, (name, state_test, blockchain_test, took) in enumerate(pool.map(fill, slowest_first), 1):
            print(f"[{i}/{len(programs)}] {name}: filled in {took:.1f} s", file=sys.stderr)
            state_tests[name] = state_test
            blockchain_tests[name] = blockchain_test
    files = {
        STATE_TESTS: render(dict(sorted(state_tests.items()))),
        BLOCKCHAIN_TESTS: render(dict(sorted(blockchain_tests.items()))),
    }
    write_or_check(files, check, "scripts/worstcase-fixtures.sh")
    print(
        f"worst-case fixtures: {len(programs)} state tests and {len(programs)} one-block blockchain tests "
        + ("recomputed by the execution specification and equal" if check else "written")
        + f" in {time.monotonic() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
