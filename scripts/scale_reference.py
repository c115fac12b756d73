#!/usr/bin/env python3
"""The state roots of the state-at-scale's smallest tier (10^4 entries),
computed by the Ethereum execution specification (the `ethereum-execution`
package on PyPI), never by the suite's Rust code or by alloy-trie.

By default the 10^4 tier; `--tier 1e5` or `1e6` for the larger ones
(seconds, then minutes: the specification's trie is plain Python).

The state is derived here from the generator's written rules
(src/groups/scale/gen.rs and src/groups/scale/tier.rs: keccak256 of the seed, a tag and
counters), put into the specification's own `State`, and its `state_root`
is taken before and after the tier's changeset. The Rust build must arrive
at the same two roots (tests/scale.rs).

Run through scripts/scale-reference.sh:

    scripts/scale-reference.sh [--tier 1e5]           # write fixtures/scale/1e4.json (1e5.json)
    scripts/scale-reference.sh [--tier 1e5] --check   # recompute and compare with the committed file
"""

import json
import sys
from pathlib import Path

from ethereum.crypto.hash import keccak256
from ethereum.forks.prague import state as st
from ethereum.forks.prague.fork_types import Account, Address
from ethereum_types.bytes import Bytes32
from ethereum_types.numeric import U256, Uint

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "ethereum-execution==2.20.0"

SEED = 0x5CA1E000
MAX_U64 = 2**64 - 1


def word(tag, *parts):
    data = SEED.to_bytes(8, "big") + tag.encode() + b"".join(p.to_bytes(8, "big") for p in parts)
    return bytes(keccak256(data))


def be(b):
    return int.from_bytes(b, "big")


class Mix:
    def __init__(self, entries):
        self.accounts = entries // 5
        self.contracts = max(self.accounts // 20, 100)
        self.slots = entries - self.accounts
        self.harmonic = 0.0
        for k in range(self.contracts):
            self.harmonic += 1.0 / float(k + 1)
        self.first = self.slots - sum(self.share(k) for k in range(1, self.contracts))

    def share(self, k):
        return max(int(float(self.slots) / (float(k + 1) * self.harmonic)), 1)

    def slot_count(self, k):
        return self.first if k == 0 else self.share(k)


def account(mix, i):
    r = word("account", i)
    code = b"ethbench contract" + i.to_bytes(8, "big") if i < mix.contracts else b""
    return Address(r[:20]), be(r[20:22]), be(r[22:30]), code


def slot(k, j):
    index = word("slot", k, j)
    return index, (be(index[24:]) >> 8) + 1


def distinct(want, limit, pick):
    want = min(want, limit)
    seen, order, t = set(), [], 0
    while len(order) < want:
        v = pick(t) % limit
        if v not in seen:
            seen.add(v)
            order.append(v)
        t += 1
    return order


def tier_state(entries):
    """The tier's state in the specification's own `State` (also used by scripts/pipeline_reference.py)."""
    mix = Mix(entries)
    state = st.State()
    for i in range(mix.accounts):
        address, nonce, balance, code = account(mix, i)
        st.set_account(state, address, Account(nonce=Uint(nonce), balance=U256(balance), code=code))
    for k in range(mix.contracts):
        address = account(mix, k)[0]
        for j in range(mix.slot_count(k)):
            index, value = slot(k, j)
            st.set_storage(state, address, Bytes32(index), U256(value))
    return mix, state


def roots(entries):
    mix, state = tier_state(entries)
    before = st.state_root(state)

    for i in distinct(1000, mix.accounts, lambda t: be(word("change account", t)[:8])):
        address, nonce, balance, code = account(mix, i)
        st.set_account(state, address, Account(nonce=Uint(nonce + 1), balance=U256(balance + 1), code=code))
    for k in distinct(100, mix.contracts, lambda t: be(word("change contract", t)[:8])):
        address = account(mix, k)[0]
        for j in distinct(50, mix.slot_count(k), lambda t, k=k: be(word("change slot", k, t)[:8])):
            index, value = slot(k, j)
            st.set_storage(state, address, Bytes32(index), U256(value + 1))
        for t in range(50):
            index, value = slot(k, MAX_U64 - t)
            st.set_storage(state, address, Bytes32(index), U256(value))
    after = st.state_root(state)
    return mix, before, after


def main():
    args = sys.argv[1:]
    tier = "1e4"
    if "--tier" in args:
        i = args.index("--tier")
        tier = args[i + 1]
        del args[i : i + 2]
    if tier not in ("1e4", "1e5", "1e6"):
        sys.exit(f"tier {tier}: the reference is computed for 1e4, 1e5 and 1e6")
    out = ROOT / "fixtures" / "scale" / f"{tier}.json"
    mix, before, after = roots(10 ** int(tier[2:]))
    record = {
        "tier": tier,
        "seed": SEED,
        "accounts": mix.accounts,
        "contracts": mix.contracts,
        "slots": mix.slots,
        "root": "0x" + bytes(before).hex(),
        "root_after_changeset": "0x" + bytes(after).hex(),
        "computed_by": f"{PACKAGE}, ethereum.forks.prague.state.state_root (scripts/scale_reference.py)",
    }
    text = json.dumps(record, indent=2) + "\n"
    if args == ["--check"]:
        if out.read_text() != text:
            sys.exit(f"{out} differs from what the specification computes now:\n{text}")
        print(f"{out.relative_to(ROOT)} matches the specification")
    else:
        out.write_text(text)
        print(f"wrote {out.relative_to(ROOT)}: root {record['root']}, after the changeset {record['root_after_changeset']}")


if __name__ == "__main__":
    main()
