"""Chains, blocks and state tests made by the Ethereum execution specification
(ethereum/execution-specs, the `ethereum-execution` package on PyPI), for one
fork: the building blocks the suite's fillers share (own_fixtures.py,
worstcase_fixtures.py). Every expected value they write is what the
specification computed.

    spec = Spec("prague")
    block = spec.next_block(accounts, [], [Tx(...)], 0, [])
"""

import dataclasses
import importlib
import json
import sys
from pathlib import Path

import coincurve
from ethereum.crypto.hash import keccak256
from ethereum_rlp import rlp
from ethereum_types.bytes import Bytes, Bytes8, Bytes32
from ethereum_types.numeric import U64, U256, Uint

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
PACKAGE = "ethereum-execution==2.20.0"
SYSTEM_SOURCE = FIXTURES / "blocktests" / "eest_eip7002_el_triggerable_withdrawals__test_eip_7002.json"
# The one externally owned account of the system contracts' source test, left out.
SENDER_OF_SYSTEM_SOURCE = "85298d386ba53c63b50e1148148218e885c00d0b"

CHAIN_ID = 1
ETHER = 10**18
GWEI = 10**9
BLOCK_GAS_LIMIT = 30_000_000


def address(n: int) -> bytes:
    return n.to_bytes(20, "big")


def private_key(label: str) -> bytes:
    return keccak256(label.encode())


def key_address(key: bytes) -> bytes:
    public = coincurve.PrivateKey(key).public_key.format(compressed=False)[1:]
    return keccak256(public)[12:]


SENDER_KEY = private_key("ethbench own fixtures: sender")
SENDER = key_address(SENDER_KEY)
COINBASE = address(0xC01B)
BEACON_ROOT = keccak256(b"ethbench own fixtures: beacon root")
PREV_RANDAO = keccak256(b"ethbench own fixtures: prev_randao")


def word(n: int) -> bytes:
    return n.to_bytes(32, "big")


def hexq(n: int) -> str:
    return hex(n)


def hexb(b: bytes) -> str:
    return "0x" + bytes(b).hex()


def unhex(text: str) -> bytes:
    return bytes.fromhex(text.removeprefix("0x"))


def system_contracts() -> dict:
    """The Prague system contracts (EIP-2935, EIP-4788, EIP-7002, EIP-7251) and
    the deposit contract, as a filled execution-spec-tests test deploys them:
    address → (nonce, balance, code, {slot: value})."""
    test = next(iter(json.loads(SYSTEM_SOURCE.read_text()).values()))
    return {
        bytes.fromhex(a[2:]): (
            int(acc["nonce"], 16),
            int(acc["balance"], 16),
            bytes.fromhex(acc["code"][2:]),
            {int(k, 16): int(v, 16) for k, v in acc["storage"].items()},
        )
        for a, acc in test["pre"].items()
        if a.lower() != "0x" + SENDER_OF_SYSTEM_SOURCE
    }


class Tx:
    """One transaction of a fixture: what it does, and whether it must succeed."""

    def __init__(self, label: str, to: bytes, data: bytes = b"", value: int = 0, gas: int = 300_000, succeeds: bool = True):
        self.label, self.to, self.data, self.value, self.gas, self.succeeds = label, to, data, value, gas, succeeds


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


def render(value: dict) -> str:
    return json.dumps(value, indent=2) + "\n"


def write_or_check(files: dict, check: bool, script: str) -> None:
    """Write each path's text, or with `check` fail unless every committed file is that text exactly."""
    differ = []
    for path, text in files.items():
        if check:
            if not path.exists() or path.read_text() != text:
                differ.append(str(path.relative_to(ROOT)))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    if differ:
        sys.exit(f"{', '.join(differ)} differ from what the specification computes now; run {script}")


class Spec:
    """One fork of the specification, and what the fillers make with it."""

    def __init__(self, fork_name: str):
        base = f"ethereum.forks.{fork_name}"
        module = lambda name: importlib.import_module(f"{base}.{name}")  # noqa: E731
        self.network = fork_name.capitalize()
        self.fork = module("fork")
        self.vm = module("vm")
        self.st = module("state")
        blocks = module("blocks")
        self.Block, self.Header, self.Withdrawal, self.decode_receipt = (
            blocks.Block,
            blocks.Header,
            blocks.Withdrawal,
            blocks.decode_receipt,
        )
        self.logs_bloom = module("bloom").logs_bloom
        self.Account, self.Address = module("fork_types").Account, module("fork_types").Address
        self.compute_requests_hash = module("requests").compute_requests_hash
        transactions = module("transactions")
        self.FeeMarketTransaction = transactions.FeeMarketTransaction
        self.encode_transaction = transactions.encode_transaction
        self.signing_hash_1559 = transactions.signing_hash_1559
        trie = module("trie")
        self.root, self.trie_get = trie.root, trie.trie_get
        self.calculate_excess_blob_gas = module("vm.gas").calculate_excess_blob_gas

    def build_state(self, accounts: dict):
        state = self.st.State()
        for a, (nonce, balance, code, storage) in accounts.items():
            self.st.set_account(state, a, self.Account(nonce=Uint(nonce), balance=U256(balance), code=Bytes(code)))
            for k, v in storage.items():
                self.st.set_storage(state, a, Bytes32(word(k)), U256(v))
        return state

    def signed(self, tx: Tx, nonce: int, key: bytes = SENDER_KEY):
        unsigned = self.FeeMarketTransaction(
            chain_id=U64(CHAIN_ID),
            nonce=U256(nonce),
            max_priority_fee_per_gas=Uint(GWEI),
            max_fee_per_gas=Uint(10 * GWEI),
            gas=Uint(tx.gas),
            to=self.Address(tx.to),
            value=U256(tx.value),
            data=Bytes(tx.data),
            access_list=(),
            y_parity=U256(0),
            r=U256(0),
            s=U256(0),
        )
        signature = coincurve.PrivateKey(key).sign_recoverable(self.signing_hash_1559(unsigned), hasher=None)
        return dataclasses.replace(
            unsigned,
            r=U256(int.from_bytes(signature[:32], "big")),
            s=U256(int.from_bytes(signature[32:64], "big")),
            y_parity=U256(signature[64]),
        )

    def genesis(self, state):
        empty = self.root(self.vm.BlockOutput().transactions_trie)
        header = self.Header(
            parent_hash=Bytes32(b"\0" * 32),
            ommers_hash=self.fork.EMPTY_OMMER_HASH,
            coinbase=COINBASE,
            state_root=self.st.state_root(state),
            transactions_root=empty,
            receipt_root=empty,
            bloom=self.logs_bloom(()),
            difficulty=Uint(0),
            number=Uint(0),
            gas_limit=Uint(BLOCK_GAS_LIMIT),
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
            requests_hash=self.compute_requests_hash([]),
        )
        return self.Block(header=header, transactions=(), ommers=(), withdrawals=())

    def receipts_succeeded(self, output) -> list:
        return [self.decode_receipt(self.trie_get(output.receipts_trie, key)).succeeded for key in output.receipt_keys]

    def new_chain(self, accounts: dict, blocks: list):
        """A chain from `accounts` with `blocks` applied (the specification's state cannot be copied)."""
        chain = self.fork.BlockChain(
            blocks=[self.genesis(self.build_state(accounts))], state=self.build_state(accounts), chain_id=U64(CHAIN_ID)
        )
        for block in blocks:
            self.fork.state_transition(chain, block)
        return chain

    def next_block(self, accounts: dict, blocks: list, txs: list, first_nonce: int, withdrawals: list):
        """Execute `txs` on the state `blocks` leave, make the header from the
        results, then apply the block to a second such chain with the
        specification's own `state_transition`, which checks every field
        again: the block, and that chain."""
        chain = self.new_chain(accounts, blocks)
        parent = chain.blocks[-1].header
        encoded = tuple(self.encode_transaction(self.signed(t, first_nonce + i)) for i, t in enumerate(txs))
        number = parent.number + Uint(1)
        timestamp = parent.timestamp + U256(12)
        base_fee = self.fork.calculate_base_fee_per_gas(
            parent.gas_limit, parent.gas_limit, parent.gas_used, parent.base_fee_per_gas
        )
        excess_blob_gas = self.calculate_excess_blob_gas(parent)
        scratch = chain.state
        block_env = self.vm.BlockEnvironment(
            chain_id=chain.chain_id,
            state=scratch,
            block_gas_limit=parent.gas_limit,
            block_hashes=self.fork.get_last_256_block_hashes(chain),
            coinbase=COINBASE,
            number=number,
            base_fee_per_gas=base_fee,
            time=timestamp,
            prev_randao=PREV_RANDAO,
            excess_blob_gas=excess_blob_gas,
            parent_beacon_block_root=BEACON_ROOT,
        )
        output = self.fork.apply_body(block_env, encoded, tuple(withdrawals))
        for t, succeeded in zip(txs, self.receipts_succeeded(output)):
            if succeeded != t.succeeds:
                sys.exit(f"transaction {t.label} {'succeeded' if succeeded else 'failed'}, which it must not")
        header = self.Header(
            parent_hash=header_hash(parent),
            ommers_hash=self.fork.EMPTY_OMMER_HASH,
            coinbase=COINBASE,
            state_root=self.st.state_root(scratch),
            transactions_root=self.root(output.transactions_trie),
            receipt_root=self.root(output.receipts_trie),
            bloom=self.logs_bloom(output.block_logs),
            difficulty=Uint(0),
            number=number,
            gas_limit=parent.gas_limit,
            gas_used=output.block_gas_used,
            timestamp=timestamp,
            extra_data=Bytes(b""),
            prev_randao=PREV_RANDAO,
            nonce=Bytes8(b"\0" * 8),
            base_fee_per_gas=base_fee,
            withdrawals_root=self.root(output.withdrawals_trie),
            blob_gas_used=output.blob_gas_used,
            excess_blob_gas=excess_blob_gas,
            parent_beacon_block_root=BEACON_ROOT,
            requests_hash=self.compute_requests_hash(output.requests),
        )
        block = self.Block(header=header, transactions=encoded, ommers=(), withdrawals=tuple(withdrawals))
        return block, self.new_chain(accounts, blocks + [block])

    def state_accounts(self, state) -> dict:
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

    def block_json(self, block, expect_exception: str | None = None) -> dict:
        out = {"rlp": hexb(rlp.encode(block))}
        if expect_exception:
            out["expectException"] = expect_exception
        else:
            out["blockHeader"] = header_json(block.header)
        return out

    def blockchain_test(self, comment: str, accounts: dict, genesis, blocks: list, chain, last) -> dict:
        """A filled blockchain test: `blocks` (each `block_json`) from `genesis`
        on `accounts`, ending in `chain`'s state with `last` the head."""
        return {
            "_info": {"comment": comment},
            "network": self.network,
            "config": {"network": self.network, "chainid": hexq(CHAIN_ID)},
            "sealEngine": "NoProof",
            "genesisBlockHeader": header_json(genesis.header),
            "genesisRLP": hexb(rlp.encode(genesis)),
            "pre": alloc_json(accounts),
            "blocks": blocks,
            "postState": alloc_json(self.state_accounts(chain.state)),
            "lastblockhash": hexb(header_hash(last.header)),
        }

    def state_test(self, accounts: dict, tx: Tx, comment: str) -> dict:
        """`tx` alone on `accounts`, executed by the specification, as a filled state test."""
        state = self.build_state(accounts)
        block_env = self.vm.BlockEnvironment(
            chain_id=U64(CHAIN_ID),
            state=state,
            block_gas_limit=Uint(BLOCK_GAS_LIMIT),
            block_hashes=[],
            coinbase=COINBASE,
            number=Uint(1),
            base_fee_per_gas=Uint(GWEI),
            time=U256(12),
            prev_randao=PREV_RANDAO,
            excess_blob_gas=U64(0),
            parent_beacon_block_root=BEACON_ROOT,
        )
        output = self.vm.BlockOutput()
        signed = self.signed(tx, 0)
        self.fork.process_transaction(block_env, output, signed, Uint(0))
        if self.receipts_succeeded(output) != [tx.succeeds]:
            sys.exit(f"state test {tx.label}: the transaction's outcome is not the intended one")
        return {
            "_info": {"comment": comment},
            "env": {
                "currentCoinbase": hexb(COINBASE),
                "currentGasLimit": hexq(BLOCK_GAS_LIMIT),
                "currentNumber": hexq(1),
                "currentTimestamp": hexq(12),
                "currentBaseFee": hexq(GWEI),
                "currentRandom": hexb(PREV_RANDAO),
                "currentDifficulty": hexq(0),
                "currentExcessBlobGas": hexq(0),
            },
            "pre": alloc_json(accounts),
            "transaction": {
                "data": [hexb(tx.data)],
                "gasLimit": [hexq(tx.gas)],
                "value": [hexq(tx.value)],
                "nonce": hexq(0),
                "to": hexb(tx.to),
                "secretKey": hexb(SENDER_KEY),
                "sender": hexb(SENDER),
                "maxFeePerGas": hexq(10 * GWEI),
                "maxPriorityFeePerGas": hexq(GWEI),
                "accessLists": [[]],
            },
            "post": {
                self.network: [
                    {
                        "hash": hexb(self.st.state_root(state)),
                        "logs": hexb(keccak256(rlp.encode(output.block_logs))),
                        "indexes": {"data": 0, "gas": 0, "value": 0},
                        "txbytes": hexb(self.encode_transaction(signed)),
                    }
                ]
            },
        }


def header_hash(header) -> bytes:
    return keccak256(rlp.encode(header))


def header_json(h) -> dict:
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
