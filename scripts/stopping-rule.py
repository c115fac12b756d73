#!/usr/bin/env python3
"""Replay stopping rules of the paired verdict on recorded A/A rounds.

    scripts/stopping-rule.py target/calibrate/aa-*.json

Each benchmark's recorded per-round log ratios (head/base, ratio of chunk
means) from A/A runs are its noise. For each rule below, every benchmark is
re-run many times by drawing rounds from its own noise, shifted by a planted
change (0: an A/A), and judged the way the driver judges: looked at after
every round from the first look, stopping as changed when the verdict
interval clears the floor and as unchanged when the settle interval lies
inside it. Prints false alarms per benchmark-run and detection per change.

Resampling a few dozen rounds per benchmark understates rare tails, so use
it to rank rules, and a real calibration (scripts/calibrate.sh) to measure one.
"""
import json
import math
import random
import sys

FLOOR = 0.02
# name: (first look, most rounds, verdict confidence, settle confidence)
RULES = {
    "first look 6, 95% (the rule before 2026-11-27)": (6, 24, 0.95, 0.95),
    "first look 8, 95%": (8, 24, 0.95, 0.95),
    "first look 8, change at 99%, settle at 95% (the rule now)": (8, 24, 0.99, 0.95),
    "first look 8, 99% for both": (8, 24, 0.99, 0.99),
}
REPEATS = {0.0: 20, 0.02: 3, 0.05: 3, 0.10: 3}


def critical(n, confidence):
    """Largest T with P(W <= T) <= (1 - confidence) / 2, W the signed-rank statistic."""
    most = n * (n + 1) // 2
    ways = [0] * (most + 1)
    ways[0] = 1
    for rank in range(1, n + 1):
        for s in range(most, rank - 1, -1):
            ways[s] += ways[s - rank]
    tail, below, t_max = (1 - confidence) / 2, 0, 0
    for t, w in enumerate(ways):
        below += w
        if below / 2**n > tail:
            break
        t_max = t
    return t_max


CRITICAL = {}


def interval(values, confidence):
    """Wilcoxon signed-rank interval of the centre (Walsh averages)."""
    n = len(values)
    walsh = sorted((values[i] + values[j]) / 2 for i in range(n) for j in range(i, n))
    key = (n, confidence)
    if key not in CRITICAL:
        CRITICAL[key] = critical(n, confidence)
    t = min(CRITICAL[key], (len(walsh) - 1) // 2)
    return walsh[t], walsh[-1 - t]


def judge(low, high):
    if low > math.log(1 + FLOOR):
        return 1
    if high < math.log(1 - FLOOR):
        return -1
    return 0


def replay(noise, shift, rule, rng):
    first, most, verdict, settle = rule
    rounds = []
    for n in range(1, most + 1):
        rounds.append(rng.choice(noise) + shift)
        if n >= first:
            called = judge(*interval(rounds, verdict))
            if called:
                return called, n
            low, high = interval(rounds, settle)
            if low > math.log(1 - FLOOR) and high < math.log(1 + FLOOR):
                return 0, n
    return judge(*interval(rounds, verdict)), most


def main(paths):
    noise = {}
    for path in paths:
        with open(path) as f:
            for bench, rounds in json.load(f)["samples"].items():
                for pairs in rounds:
                    if pairs:
                        head, base = sum(p[1] for p in pairs), sum(p[0] for p in pairs)
                        noise.setdefault(bench, []).append(math.log(head / base))
    print(f"{len(noise)} benchmarks, {sum(map(len, noise.values()))} recorded rounds from {len(paths)} runs")
    for name, rule in RULES.items():
        rng = random.Random(1)
        cells = []
        for change, repeats in REPEATS.items():
            hits = runs = rounds = 0
            for _ in range(repeats):
                for bench in sorted(noise):
                    verdict, n = replay(noise[bench], math.log(1 + change), rule, rng)
                    runs, rounds = runs + 1, rounds + n
                    hits += (verdict != 0) if change == 0 else (verdict == 1)
            label = "A/A false alarms" if change == 0 else f"+{change:.0%} caught"
            cells.append(f"{label} {hits}/{runs} ({rounds / runs:.1f} rounds)")
        print(f"{name}: " + "; ".join(cells))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: scripts/stopping-rule.py AA_JSON...")
    main(sys.argv[1:])
