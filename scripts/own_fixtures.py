#!/usr/bin/env python3
"""The project's own state tests and blockchain test, filled by the Ethereum
execution specification (ethereum/execution-specs, the `ethereum-execution`
package on PyPI), never by revm or by the suite.

The transactions use the suite's own contracts (fixtures/evm/contracts: an
ERC-20 token, a Uniswap-V2 pair and router, laid out in storage as
src/evm/genesis.rs lays them out) and a few programs written here in
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
import json
import sys
from pathlib import Path

import coincurve
from ethereum.crypto.hash import keccak256
from ethereum.forks.prague import fork, vm
from ethereum.forks.prague import state as st
from ethereum.forks.prague.blocks import Block, Header, Withdrawal, decode_receipt
from ethereum.forks.prague.bloom import logs_bloom
from ethereum.forks.prague.fork_types import Account, Address
from ethereum.forks.prague.requests import compute_requests_hash
from ethereum.forks.prague.transactions import (
    FeeMarketTransaction,
    encode_transaction,
    signing_hash_1559,
)
from ethereum.forks.prague.trie import root, trie_get
from ethereum.forks.prague.vm.gas import calculate_excess_blob_gas
from ethereum_rlp import rlp
from ethereum_types.bytes import Bytes, Bytes8, Bytes32
from ethereum_types.numeric import U64, U256, Uint

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
CONTRACTS = FIXTURES / "evm" / "contracts"
SYSTEM_SOURCE = FIXTURES / "blocktests" / "eest_eip7002_el_triggerable_withdrawals__test_eip_7002.json"
BLOCKTEST = FIXTURES / "blocktests" / "ethbench_own_chain.json"
STATETEST = FIXTURES / "statetests" / "ethbench_own.json"
CORRUPTED = FIXTURES / "corrupted" / "ethbench_own_chain_wrong_post_root.json"
PACKAGE = "ethereum-execution==2.20.0"

CHAIN_ID = 1
ETHER = 10**18
GWEI = 10**9


def address(n: int) -> bytes:
    return n.to_bytes(20, "big")


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
COINBASE = address(0xC01B)
RECIPIENT = address(0xBEEF)
NEW_ACCOUNT = address(0xBEEF01)
WITHDRAWN_TO = address(0xBEEF02)

HOLDING = 1_000_000 * ETHER
RESERVES = (10_000_000 * ETHER, 20_000_000 * ETHER)


def private_key(label: str) -> bytes:
    return keccak256(label.encode())


SENDER_KEY = private_key("ethbench own fixtures: sender")


def key_address(key: bytes) -> bytes:
    public = coincurve.PrivateKey(key).public_key.format(compressed=False)[1:]
    return keccak256(public)[12:]


SENDER = key_address(SENDER_KEY)


def word(n: int) -> bytes:
    return n.to_bytes(32, "big")


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


def system_contracts() -> dict:
    """The Prague system contracts (EIP-2935, EIP-4788, EIP-7002, EIP-7251) and
    the deposit contract, as a filled execution-spec-tests test deploys them."""
    test = next(iter(json.loads(SYSTEM_SOURCE.read_text()).values()))
    return {
        bytes.fromhex(a[2:]): acc
        for a, acc in test["pre"].items()
        if a.lower() != "0x" + SENDER_OF_SYSTEM_SOURCE
    }


# The one externally owned account of the source test, left out.
SENDER_OF_SYSTEM_SOURCE = "85298d386ba53c63b50e1148148218e885c00d0b"


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
        for a, acc in system_contracts().items():
            storage = {int(k, 16): int(v, 16) for k, v in acc["storage"].items()}
            accounts[a] = (int(acc["nonce"], 16), int(acc["balance"], 16), bytes.fromhex(acc["code"][2:]), storage)
    return accounts


def build_state(accounts: dict) -> st.State:
    state = st.State()
    for a, (nonce, balance, code, storage) in accounts.items():
        st.set_account(state, a, Account(nonce=Uint(nonce), balance=U256(balance), code=Bytes(code)))
        for k, v in storage.items():
            st.set_storage(state, a, Bytes32(word(k)), U256(v))
    return state


class Tx:
    """One transaction of the fixtures: what it does, and whether it must succeed."""

    def __init__(self, label: str, to: bytes, data: bytes = b"", value: int = 0, gas: int = 300_000, succeeds: bool = True):
        self.label, self.to, self.data, self.value, self.gas, self.succeeds = label, to, data, value, gas, succeeds

    def signed(self, nonce: int) -> FeeMarketTransaction:
        unsigned = FeeMarketTransaction(
            chain_id=U64(CHAIN_ID),
            nonce=U256(nonce),
            max_priority_fee_per_gas=Uint(GWEI),
            max_fee_per_gas=Uint(10 * GWEI),
            gas=Uint(self.gas),
            to=Address(self.to),
            value=U256(self.value),
            data=Bytes(self.data),
            access_list=(),
            y_parity=U256(0),
            r=U256(0),
            s=U256(0),
        )
        signature = coincurve.PrivateKey(SENDER_KEY).sign_recoverable(signing_hash_1559(unsigned), hasher=None)
        return dataclasses.replace(
            unsigned,
            r=U256(int.from_bytes(signature[:32], "big")),
            s=U256(int.from_bytes(signature[32:64], "big")),
            y_parity=U256(signature[64]),
        )


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
WITHDRAWALS2 = [Withdrawal(index=U64(0), validator_index=U64(7), address=WITHDRAWN_TO, amount=U256(5 * GWEI))]

BEACON_ROOT = keccak256(b"ethbench own fixtures: beacon root")
PREV_RANDAO = keccak256(b"ethbench own fixtures: prev_randao")


def header_hash(header: Header) -> bytes:
    return keccak256(rlp.encode(header))


def genesis(state: st.State) -> Block:
    empty = root(vm.BlockOutput().transactions_trie)
    header = Header(
        parent_hash=Bytes32(b"\0" * 32),
        ommers_hash=fork.EMPTY_OMMER_HASH,
        coinbase=COINBASE,
        state_root=st.state_root(state),
        transactions_root=empty,
        receipt_root=empty,
        bloom=logs_bloom(()),
        difficulty=Uint(0),
        number=Uint(0),
        gas_limit=Uint(30_000_000),
        gas_used=Uint(0),
        timestamp=U256(0),
        extra_data=Bytes(b""),
        prev_randao=Bytes32(b"\0" * 32),
        nonce=Bytes8(b"\0" * 8),
        base_fee_per_gas=Uint(GWEI),
        withdrawals_root=empty,
        blob_gas_used=U64(0),
        excess_blob_gas=U64(0),
        parent_beacon_block_root=Bytes32(b"\0" * 32),
        requests_hash=compute_requests_hash([]),
    )
    return Block(header=header, transactions=(), ommers=(), withdrawals=())


def receipts_succeeded(output: vm.BlockOutput) -> list:
    return [decode_receipt(trie_get(output.receipts_trie, key)).succeeded for key in output.receipt_keys]


def new_chain(accounts: dict, blocks: list) -> fork.BlockChain:
    """A chain from `accounts` with `blocks` applied (the specification's state cannot be copied)."""
    chain = fork.BlockChain(blocks=[genesis(build_state(accounts))], state=build_state(accounts), chain_id=U64(CHAIN_ID))
    for block in blocks:
        fork.state_transition(chain, block)
    return chain


def next_block(accounts: dict, blocks: list, txs: list, first_nonce: int, withdrawals: list) -> Block:
    """Execute `txs` on the state `blocks` leave, make the header from the
    results, then apply the block to a second such chain with the
    specification's own `state_transition`, which checks every field again."""
    chain = new_chain(accounts, blocks)
    parent = chain.blocks[-1].header
    encoded = tuple(encode_transaction(t.signed(first_nonce + i)) for i, t in enumerate(txs))
    number = parent.number + Uint(1)
    timestamp = parent.timestamp + U256(12)
    base_fee = fork.calculate_base_fee_per_gas(parent.gas_limit, parent.gas_limit, parent.gas_used, parent.base_fee_per_gas)
    excess_blob_gas = calculate_excess_blob_gas(parent)
    scratch = chain.state
    block_env = vm.BlockEnvironment(
        chain_id=chain.chain_id,
        state=scratch,
        block_gas_limit=parent.gas_limit,
        block_hashes=fork.get_last_256_block_hashes(chain),
        coinbase=COINBASE,
        number=number,
        base_fee_per_gas=base_fee,
        time=timestamp,
        prev_randao=PREV_RANDAO,
        excess_blob_gas=excess_blob_gas,
        parent_beacon_block_root=BEACON_ROOT,
    )
    output = fork.apply_body(block_env, encoded, tuple(withdrawals))
    outcomes = receipts_succeeded(output)
    for t, succeeded in zip(txs, outcomes):
        if succeeded != t.succeeds:
            sys.exit(f"own fixtures: transaction {t.label} {'succeeded' if succeeded else 'failed'}, which it must not")
    header = Header(
        parent_hash=header_hash(parent),
        ommers_hash=fork.EMPTY_OMMER_HASH,
        coinbase=COINBASE,
        state_root=st.state_root(scratch),
        transactions_root=root(output.transactions_trie),
        receipt_root=root(output.receipts_trie),
        bloom=logs_bloom(output.block_logs),
        difficulty=Uint(0),
        number=number,
        gas_limit=parent.gas_limit,
        gas_used=output.block_gas_used,
        timestamp=timestamp,
        extra_data=Bytes(b""),
        prev_randao=PREV_RANDAO,
        nonce=Bytes8(b"\0" * 8),
        base_fee_per_gas=base_fee,
        withdrawals_root=root(output.withdrawals_trie),
        blob_gas_used=output.blob_gas_used,
        excess_blob_gas=excess_blob_gas,
        parent_beacon_block_root=BEACON_ROOT,
        requests_hash=compute_requests_hash(output.requests),
    )
    block = Block(header=header, transactions=encoded, ommers=(), withdrawals=tuple(withdrawals))
    new_chain(accounts, blocks + [block])
    return block


def hexq(n: int) -> str:
    return hex(n)


def hexb(b: bytes) -> str:
    return "0x" + bytes(b).hex()


def header_json(h: Header) -> dict:
    return {
        "parentHash": hexb(h.parent_hash),
        "uncleHash": hexb(h.ommers_hash),
        "coinbase": hexb(h.coinbase),
        "stateRoot": hexb(h.state_root),
        "transactionsTrie": hexb(h.transactions_root),
        "receiptTrie": hexb(h.receipt_root),
        "bloom": hexb(h.bloom),
        "difficulty": hexq(h.difficulty),
        "number": hexq(h.number),
        "gasLimit": hexq(h.gas_limit),
        "gasUsed": hexq(h.gas_used),
        "timestamp": hexq(h.timestamp),
        "extraData": hexb(h.extra_data),
        "mixHash": hexb(h.prev_randao),
        "nonce": hexb(h.nonce),
        "baseFeePerGas": hexq(h.base_fee_per_gas),
        "withdrawalsRoot": hexb(h.withdrawals_root),
        "blobGasUsed": hexq(h.blob_gas_used),
        "excessBlobGas": hexq(h.excess_blob_gas),
        "parentBeaconBlockRoot": hexb(h.parent_beacon_block_root),
        "requestsHash": hexb(h.requests_hash),
        "hash": hexb(header_hash(h)),
    }


def alloc_json(accounts: dict) -> dict:
    return {
        hexb(a): {
            "nonce": hexq(nonce),
            "balance": hexq(balance),
            "code": hexb(code),
            "storage": {hexq(k): hexq(v) for k, v in sorted(storage.items()) if v != 0},
        }
        for a, (nonce, balance, code, storage) in sorted(accounts.items())
    }


def state_accounts(state: st.State) -> dict:
    out = {}
    for a, account in state._main_trie._data.items():
        if account is None:
            continue
        storage = {}
        trie = state._storage_tries.get(a)
        if trie is not None:
            storage = {int.from_bytes(k, "big"): int(v) for k, v in trie._data.items()}
        out[bytes(a)] = (int(account.nonce), int(account.balance), bytes(account.code), storage)
    return out


def blockchain_test() -> dict:
    accounts = alloc(with_system_contracts=True)
    gen = genesis(build_state(accounts))
    block1 = next_block(accounts, [], TRANSACTIONS, 0, [])
    block2 = next_block(accounts, [block1], BLOCK2, len(TRANSACTIONS), WITHDRAWALS2)
    # An invalid block: block 2 with a wrong state root. The specification must refuse it.
    bad_header = dataclasses.replace(block2.header, state_root=keccak256(b"not the state root"))
    bad = dataclasses.replace(block2, header=bad_header)
    try:
        fork.state_transition(new_chain(accounts, [block1]), bad)
        sys.exit("own fixtures: the specification accepted a block with a wrong state root")
    except fork.InvalidBlock:
        pass
    chain = new_chain(accounts, [block1, block2])

    def block_json(block: Block, expect_exception: str | None = None) -> dict:
        out = {"rlp": hexb(rlp.encode(block))}
        if expect_exception:
            out["expectException"] = expect_exception
        else:
            out["blockHeader"] = header_json(block.header)
        return out

    name = "ethbench_own_chain"
    return {
        name: {
            "_info": {
                "comment": "The suite's contracts and programs in two Prague blocks and one invalid block; "
                "filled by the Ethereum execution specification (scripts/own_fixtures.py, " + PACKAGE + ")",
            },
            "network": "Prague",
            "config": {"network": "Prague", "chainid": hexq(CHAIN_ID)},
            "sealEngine": "NoProof",
            "genesisBlockHeader": header_json(gen.header),
            "genesisRLP": hexb(rlp.encode(gen)),
            "pre": alloc_json(accounts),
            "blocks": [block_json(block1), block_json(bad, "BlockException.INVALID_STATE_ROOT"), block_json(block2)],
            "postState": alloc_json(state_accounts(chain.state)),
            "lastblockhash": hexb(header_hash(block2.header)),
        }
    }


def state_tests() -> dict:
    """One state test per transaction, each from the same pre-state (without
    system contracts: a state test executes the transaction alone)."""
    accounts = alloc(with_system_contracts=False)
    env = {
        "currentCoinbase": hexb(COINBASE),
        "currentGasLimit": hexq(30_000_000),
        "currentNumber": hexq(1),
        "currentTimestamp": hexq(12),
        "currentBaseFee": hexq(GWEI),
        "currentRandom": hexb(PREV_RANDAO),
        "currentDifficulty": hexq(0),
        "currentExcessBlobGas": hexq(0),
    }
    out = {}
    for t in TRANSACTIONS:
        state = build_state(accounts)
        block_env = vm.BlockEnvironment(
            chain_id=U64(CHAIN_ID),
            state=state,
            block_gas_limit=Uint(30_000_000),
            block_hashes=[],
            coinbase=COINBASE,
            number=Uint(1),
            base_fee_per_gas=Uint(GWEI),
            time=U256(12),
            prev_randao=PREV_RANDAO,
            excess_blob_gas=U64(0),
            parent_beacon_block_root=BEACON_ROOT,
        )
        output = vm.BlockOutput()
        signed = t.signed(0)
        fork.process_transaction(block_env, output, signed, Uint(0))
        if receipts_succeeded(output) != [t.succeeds]:
            sys.exit(f"own fixtures: state test {t.label}: the transaction's outcome is not the intended one")
        out[t.label] = {
            "_info": {"comment": "filled by the Ethereum execution specification (scripts/own_fixtures.py, " + PACKAGE + ")"},
            "env": env,
            "pre": alloc_json(accounts),
            "transaction": {
                "data": [hexb(t.data)],
                "gasLimit": [hexq(t.gas)],
                "value": [hexq(t.value)],
                "nonce": hexq(0),
                "to": hexb(t.to),
                "secretKey": hexb(SENDER_KEY),
                "sender": hexb(SENDER),
                "maxFeePerGas": hexq(10 * GWEI),
                "maxPriorityFeePerGas": hexq(GWEI),
                "accessLists": [[]],
            },
            "post": {
                "Prague": [
                    {
                        "hash": hexb(st.state_root(state)),
                        "logs": hexb(keccak256(rlp.encode(output.block_logs))),
                        "indexes": {"data": 0, "gas": 0, "value": 0},
                        "txbytes": hexb(encode_transaction(signed)),
                    }
                ]
            },
        }
    return out


def corrupted(test: dict) -> dict:
    """The blockchain test with one postState balance changed: a runner must refuse it."""
    bad = copy.deepcopy(test)
    post = next(iter(bad.values()))["postState"]
    post[hexb(NEW_ACCOUNT)]["balance"] = hexq(1)
    return bad


def render(value: dict) -> str:
    return json.dumps(value, indent=2) + "\n"


def main() -> None:
    check = sys.argv[1:] == ["--check"]
    chain = blockchain_test()
    files = {BLOCKTEST: render(chain), STATETEST: render(state_tests()), CORRUPTED: render(corrupted(chain))}
    differ = []
    for path, text in files.items():
        if check:
            if not path.exists() or path.read_text() != text:
                differ.append(str(path.relative_to(ROOT)))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    if differ:
        sys.exit(f"own fixtures: {', '.join(differ)} differ from what the specification computes now; run scripts/own-fixtures.sh")
    print(
        f"own fixtures: {len(TRANSACTIONS)} state tests and a 2-block chain (plus one invalid block) "
        + ("recomputed by the execution specification and equal" if check else "written")
    )


if __name__ == "__main__":
    main()
