"""Write a synthetic history of main for looking at the trend page.

    python3 scripts/trend_demo.py DIR RUNS < ids.txt

One record per run for every benchmark id read from standard input (one per
line, as `ethbench list` prints them), each with 30 samples of uniform noise
(each benchmark its own width, 1% to 12%, as one run per side shows on a
2-core machine) and the odd 2x slow sample, and four things planted so that the page has
something to show:

- a step: `rlp/hash/mainnet_22431084` is 8% slower from two thirds of the way on;
- a creep: `trie/state_root/accounts_10k` grows 0.7% per run over the last half;
- a skipped run, a third of the way in, with its reason;
- a toolchain change, rustc 1.95.0 to 1.96.0, halfway.

The generator is deterministic (its own seed), so the committed screenshot
can be made again.
"""

import hashlib
import json
import pathlib
import random
import sys

STEP_ID = "rlp/hash/mainnet_22431084"
CREEP_ID = "trie/state_root/accounts_10k"


def main() -> None:
    out, runs = pathlib.Path(sys.argv[1]), int(sys.argv[2])
    ids = [line.split()[0] for line in sys.stdin if line.strip()]
    for planted in (STEP_ID, CREEP_ID):
        if planted not in ids:
            sys.exit(f"error: `{planted}` is not among the ids read; pipe `ethbench list` in")
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20261206)
    base = {i: 10 ** rng.uniform(2, 7) for i in ids}
    noise = {i: rng.uniform(0.01, 0.12) for i in ids}
    noise[STEP_ID] = noise[CREEP_ID] = 0.04
    for run in range(runs):
        commit = hashlib.sha1(f"ethbench-demo-{run}".encode()).hexdigest()
        unix = 1_764_000_000 + run * 86_400
        day = 1 + run % 28
        month = 11 + run // 28
        machine = {
            "date": f"2026-{month:02}-{day:02}",
            "cpu": "Intel Xeon Processor (synthetic)",
            "cores": 2,
            "memory_gib": 24,
            "os": "Linux",
            "rustc": "rustc 1.95.0" if run < runs // 2 else "rustc 1.96.0",
            "allocator": "system",
            "keccak": "tiny-keccak",
        }
        record = {"commit": commit, "unix": unix, "machine": machine, "benchmarks": {}}
        if run == runs // 3:
            record["skipped"] = "the suite failed: runner lost (synthetic)"
        else:
            for i in ids:
                factor = 1.0
                if i == STEP_ID and run >= 2 * runs // 3:
                    factor = 1.08
                if i == CREEP_ID and run >= runs // 2:
                    factor = 1.007 ** (run - runs // 2 + 1)
                samples = []
                for _ in range(30):
                    slow = 2.0 if rng.random() < 0.03 else 1.0
                    samples.append(round(base[i] * factor * (1 + rng.uniform(-noise[i], noise[i])) * slow, 3))
                record["benchmarks"][i] = samples
        (out / f"{unix:012}-{commit[:12]}.json").write_text(json.dumps(record))


if __name__ == "__main__":
    main()
