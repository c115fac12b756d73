#!/usr/bin/env python3
"""The project's own state tests and blockchain test, filled by the Ethereum
execution specification (ethereum/execution-specs, the `ethereum-execution`
package on PyPI), never by revm or by the suite.

The transactions use the suite's own contracts (fixtures/evm/contracts: an
ERC-20 token, a Uniswap-V2 pair and router, laid out in storage as
src/groups/evm/genesis.rs lays them out) and a few programs written here in
bytecode: SSTORE cases, a precompile call, a CREATE2 and a reverting call.
Every expected value in the output (state roots, receipts roots, blooms,
logs hashes, block hashes, the post state) is what the specification
computed; each block is then checked once more by the specification's own
`state_transition`, and every transaction's success or failure is asserted
to be the intended one.

Run through scripts/own-fixtures.sh, which installs the pinned package:

    scripts/own-fixtures.sh           # write the files
    scripts/own-fixtures.sh --check   # recompute and compare with the committed files
"""

import copy
import dataclasses
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from spec_chain import (  # noqa: E402
    ETHER,
    FIXTURES,
    GWEI,
    PACKAGE,
    SENDER,
    Spec,
    Tx,
    address,
    hexb,
    hexq,
    render,
    system_contracts,
    word,
    write_or_check,
)

from ethereum.crypto.hash import keccak256  # noqa: E402
from ethereum_types.numeric import U64, U256  # noqa: E402

SPEC = Spec("prague")
CONTRACTS = FIXTURES / "evm" / "contracts"
BLOCKTEST = FIXTURES / "blocktests" / "ethbench_own_chain.json"
STATETEST = FIXTURES / "statetests" / "ethbench_own.json"
CORRUPTED = FIXTURES / "corrupted" / "ethbench_own_chain_wrong_post_root.json"


TOKEN_A = address(0x0A0000)
TOKEN_B = address(0x0B0000)
PAIR = address(0x0C0000)
ROUTER = address(0x0D0000)
# Programs written here, in bytecode (comments give the mnemonics).
STORE = address(0xF00001)  # SSTORE(calldata[0:32], calldata[32:64])
STORE_CODE = bytes.fromhex("6020355f355500")  # PUSH1 32 CALLDATALOAD PUSH0 CALLDATALOAD SSTORE STOP
FACTORY = address(0xF00002)  # CREATE2(0, calldata, salt 0); SSTORE(0, the new address)
FACTORY_CODE = bytes.fromhex("365f5f37" "5f365f5ff5" "5f55" "00")
REVERTER = address(0xF00003)  # REVERT(0, 0)
REVERTER_CODE = bytes.fromhex("5f5ffd")
PARENT_HASH = address(0xF00004)  # SSTORE(0, BLOCKHASH(NUMBER - 1))
PARENT_HASH_CODE = bytes.fromhex("4360019003405f5500")  # NUMBER PUSH1 1 SWAP1 SUB BLOCKHASH PUSH0 SSTORE STOP
SHA256 = address(0x02)
RECIPIENT = address(0xBEEF)
NEW_ACCOUNT = address(0xBEEF01)
WITHDRAWN_TO = address(0xBEEF02)

HOLDING = 1_000_000 * ETHER
RESERVES = (10_000_000 * ETHER, 20_000_000 * ETHER)


def word_address(a: bytes) -> bytes:
    return b"\0" * 12 + a


def selector(signature: str) -> bytes:
    return keccak256(signature.encode())[:4]


def mapping_slot(key: bytes, slot: int) -> int:
    return int.from_bytes(keccak256(word_address(key) + word(slot)), "big")


def nested_slot(owner: bytes, spender: bytes, slot: int) -> int:
    return int.from_bytes(keccak256(word_address(spender) + word(mapping_slot(owner, slot))), "big")


def runtime(name: str) -> bytes:
    return bytes.fromhex((CONTRACTS / f"{name}.bin").read_text().strip().removeprefix("0x"))


def alloc(with_system_contracts: bool) -> dict:
    """address → (nonce, balance, code, {slot: value})"""
    accounts = {
        SENDER: (0, 1_000 * ETHER, b"", {}),
        STORE: (1, 0, STORE_CODE, {1: 5, 2: 5}),
        FACTORY: (1, 0, FACTORY_CODE, {}),
        REVERTER: (1, 0, REVERTER_CODE, {}),
        PARENT_HASH: (1, 0, PARENT_HASH_CODE, {}),
        ROUTER: (1, 0, runtime("Router"), {}),
    }
    for token in (TOKEN_A, TOKEN_B):
        storage = {
            mapping_slot(SENDER, 0): HOLDING,
            nested_slot(SENDER, ROUTER, 1): 2**256 - 1,
        }
        held = RESERVES[0] if token == TOKEN_A else RESERVES[1]
        storage[mapping_slot(PAIR, 0)] = held
        storage[2] = HOLDING + held
        accounts[token] = (1, 0, runtime("Token"), storage)
    reserves_word = RESERVES[0] | (RESERVES[1] << 112)  # timestamp 0
    accounts[PAIR] = (
        1,
        0,
        runtime("Pair"),
        {
            0: int.from_bytes(TOKEN_A, "big"),
            1: int.from_bytes(TOKEN_B, "big"),
            2: reserves_word,
            3: 1 << 130,
            4: 1 << 128,
            5: 1,
        },
    )
    if with_system_contracts:
        accounts.update(system_contracts())
    return accounts


# A contract whose init code returns the one-byte runtime 0x00 (STOP).
INIT_CODE = bytes.fromhex("60006000" "53" "60016000f3")  # MSTORE8(0, 0); RETURN(0, 1)

TRANSACTIONS = [
    Tx("erc20_transfer", TOKEN_A, selector("transfer(address,uint256)") + word_address(RECIPIENT) + word(1_000 * ETHER), gas=100_000),
    Tx(
        "swap",
        ROUTER,
        selector("swapExactIn(address,address,uint256,uint256,address)")
        + word_address(PAIR)
        + word_address(TOKEN_A)
        + word(100 * ETHER)
        + word(0)
        + word_address(SENDER),
        gas=200_000,
    ),
    Tx("sstore_0_to_x", STORE, word(0) + word(7), gas=60_000),
    Tx("sstore_x_to_y", STORE, word(1) + word(9), gas=60_000),
    Tx("sstore_x_to_0", STORE, word(2) + word(0), gas=60_000),
    Tx("precompile_sha256", SHA256, b"abc", gas=30_000),
    Tx("create2", FACTORY, INIT_CODE, gas=100_000),
    Tx("eth_to_new_account", NEW_ACCOUNT, value=ETHER, gas=21_000),
    Tx("reverting_call", REVERTER, gas=50_000, succeeds=False),
]
BLOCK2 = [
    Tx("erc20_transfer_back", TOKEN_A, selector("transfer(address,uint256)") + word_address(RECIPIENT) + word(ETHER), gas=100_000),
    Tx("store_parent_hash", PARENT_HASH, gas=50_000),
]
WITHDRAWALS2 = [SPEC.Withdrawal(index=U64(0), validator_index=U64(7), address=WITHDRAWN_TO, amount=U256(5 * GWEI))]


def blockchain_test() -> dict:
    accounts = alloc(with_system_contracts=True)
    gen = SPEC.genesis(SPEC.build_state(accounts))
    block1, _ = SPEC.next_block(accounts, [], TRANSACTIONS, 0, [])
    block2, chain = SPEC.next_block(accounts, [block1], BLOCK2, len(TRANSACTIONS), WITHDRAWALS2)
    # An invalid block: block 2 with a wrong state root. The specification must refuse it.
    bad_header = dataclasses.replace(block2.header, state_root=keccak256(b"not the state root"))
    bad = dataclasses.replace(block2, header=bad_header)
    try:
        SPEC.fork.state_transition(SPEC.new_chain(accounts, [block1]), bad)
        sys.exit("own fixtures: the specification accepted a block with a wrong state root")
    except SPEC.fork.InvalidBlock:
        pass

    comment = (
        "The suite's contracts and programs in two Prague blocks and one invalid block; "
        "filled by the Ethereum execution specification (scripts/own_fixtures.py, " + PACKAGE + ")"
    )
    blocks = [SPEC.block_json(block1), SPEC.block_json(bad, "BlockException.INVALID_STATE_ROOT"), SPEC.block_json(block2)]
    return {"ethbench_own_chain": SPEC.blockchain_test(comment, accounts, gen, blocks, chain, block2)}


def state_tests() -> dict:
    """One state test per transaction, each from the same pre-state (without
    system contracts: a state test executes the transaction alone)."""
    accounts = alloc(with_system_contracts=False)
    comment = "filled by the Ethereum execution specification (scripts/own_fixtures.py, " + PACKAGE + ")"
    return {t.label: SPEC.state_test(accounts, t, comment) for t in TRANSACTIONS}


def corrupted(test: dict) -> dict:
    """The blockchain test with one postState balance changed: a runner must refuse it."""
    bad = copy.deepcopy(test)
    post = next(iter(bad.values()))["postState"]
    post[hexb(NEW_ACCOUNT)]["balance"] = hexq(1)
    return bad


def main() -> None:
    check = sys.argv[1:] == ["--check"]
    chain = blockchain_test()
    files = {BLOCKTEST: render(chain), STATETEST: render(state_tests()), CORRUPTED: render(corrupted(chain))}
    write_or_check(files, check, "scripts/own-fixtures.sh")
    print(
        f"own fixtures: {len(TRANSACTIONS)} state tests and a 2-block chain (plus one invalid block) "
        + ("recomputed by the execution specification and equal" if check else "written")
    )


if __name__ == "__main__":
    main()
