#!/usr/bin/env python3
"""The allocator A/B as a dated results file: what mimalloc and jemalloc
changed against the system allocator, from the paired runs of
scripts/allocators.sh, beside each workload's allocations per run
(`ethbench list --allocs`), with a chart of the changes.

    BUDGET=300 OUT=DIR scripts/allocators.sh
    cargo run --release --features heap -- list --allocs > DIR/allocs.txt
    python3 scripts/allocator_tables.py DIR OUT.md       # writes OUT.md and OUT.svg

Only the data of those files is used: the verdicts are the paired runner's.
"""

import json
import re
import sys
from pathlib import Path

ALLOCATORS = ("mimalloc", "jemalloc")


def allocs(path: Path) -> dict:
    out = {}
    for line in path.read_text().splitlines():
        m = re.match(r"^(\S+)\s.*\[(\d+) allocs, (\d+) B per op\]$", line)
        if m:
            out[m.group(1)] = (int(m.group(2)), int(m.group(3)))
    return out


def pct(ratio: float) -> str:
    return f"{(ratio - 1) * 100:+.1f}%"


def chart(changed: dict, path: Path) -> None:
    """Horizontal bars of each changed benchmark's change, one colour per allocator."""
    rows = sorted({i for v in changed.values() for i in v}, key=lambda i: min(changed[a].get(i, 1.0) for a in ALLOCATORS))
    colours = {"mimalloc": "#1f77b4", "jemalloc": "#ff7f0e"}
    left, width, row, top = 330, 520, 16, 52
    lo = min([0.5] + [r for v in changed.values() for r in v.values()])
    hi = max([1.2] + [r for v in changed.values() for r in v.values()])
    x = lambda r: left + (r - lo) / (hi - lo) * width
    height = top + row * len(rows) + 40
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 40}" height="{height}" font-family="sans-serif" font-size="11">',
           '<rect width="100%" height="100%" fill="white"/>',
           f'<text x="{left}" y="16" font-size="13">Change of time per run against the system allocator (changed benchmarks only)</text>']
    for a, (i, name) in zip(ALLOCATORS, enumerate(ALLOCATORS)):
        svg.append(f'<rect x="{left + i * 90}" y="26" width="10" height="10" fill="{colours[a]}"/><text x="{left + 14 + i * 90}" y="35">{name}</text>')
    for t in [round(0.1 * k, 1) for k in range(int(lo * 10), int(hi * 10) + 1)]:
        if lo <= t <= hi:
            svg.append(f'<line x1="{x(t):.1f}" y1="{top - 4}" x2="{x(t):.1f}" y2="{height - 30}" stroke="{"#444" if t == 1.0 else "#ddd"}"/>')
            svg.append(f'<text x="{x(t):.1f}" y="{height - 16}" text-anchor="middle">{(t - 1) * 100:+.0f}%</text>')
    for n, bench in enumerate(rows):
        y = top + n * row
        svg.append(f'<text x="{left - 6}" y="{y + 11}" text-anchor="end">{bench}</text>')
        for k, a in enumerate(ALLOCATORS):
            r = changed[a].get(bench)
            if r is None:
                continue
            x0, x1 = sorted((x(1.0), x(r)))
            svg.append(f'<rect x="{x0:.1f}" y="{y + 1 + 7 * k}" width="{max(x1 - x0, 1):.1f}" height="6" fill="{colours[a]}"/>')
    svg.append("</svg>")
    path.write_text("\n".join(svg) + "\n")


def main() -> None:
    src, out = Path(sys.argv[1]), Path(sys.argv[2])
    per_run = allocs(src / "allocs.txt")
    runs = {a: json.loads((src / f"{a}.json").read_text()) for a in ALLOCATORS}
    changed = {a: {b["id"]: b["ratio"] for b in runs[a]["benchmarks"] if b["verdict"] in ("improved", "regressed")} for a in ALLOCATORS}
    chart(changed, out.with_suffix(".svg"))
    side = runs["mimalloc"]["sides"][0]
    md = [
        "# mimalloc and jemalloc against the system allocator, by the paired runner",
        "",
        f"{side['date']}, {side['machine']}. Made by `BUDGET=300 REF=ceca742 OUT=target/allocators-paired scripts/allocators.sh`"
        " (one build per allocator by `ci/build-side.sh`, then a paired `ethbench ab` of each against the system allocator,"
        " 300 s of measuring each, over every benchmark), `cargo run --release --features heap -- list --allocs >"
        " target/allocators-paired/allocs.txt`, and"
        f" `python3 scripts/allocator_tables.py target/allocators-paired {out}`.",
        "",
        "A change counts only when the whole 99% interval of the paired time ratio lies beyond ±2%. Allocations per run"
        " are counted once per workload with dhat as the allocator.",
        "",
    ]
    for a in ALLOCATORS:
        s = runs[a]["summary"]
        md.append(f"- **{a}**: {s['improved']} improved, {s['regressed']} regressed, {s['unchanged']} unchanged"
                  f" ({runs[a]['measured_secs']:.0f} s measuring).")
    md += ["", f"![Changed benchmarks]({out.with_suffix('.svg').name})", ""]
    # Why: the share of benchmarks that improved, by how much they allocate.
    md += ["## Who is helped: by allocations per run", "",
           "| allocations per run | benchmarks | mimalloc improved | jemalloc improved | mimalloc regressed | jemalloc regressed |",
           "|---|---:|---:|---:|---:|---:|"]
    bands = [(0, 0, "none"), (1, 9, "1–9"), (10, 99, "10–99"), (100, 9999, "100–9,999"), (10000, 10**12, "10,000 or more")]
    for lo, hi, label in bands:
        ids = [i for i, (n, _) in per_run.items() if lo <= n <= hi]
        verdicts = {a: {b["id"]: b["verdict"] for b in runs[a]["benchmarks"]} for a in ALLOCATORS}
        count = lambda a, v: sum(1 for i in ids if verdicts[a].get(i) == v)
        md.append(f"| {label} | {len(ids)} | {count('mimalloc', 'improved')} | {count('jemalloc', 'improved')} |"
                  f" {count('mimalloc', 'regressed')} | {count('jemalloc', 'regressed')} |")
    md.append("")
    for a in ALLOCATORS:
        md += [f"## {a}: every change", "", "| benchmark | change | 99% interval | allocations per run | bytes per run |",
               "|---|---:|---|---:|---:|"]
        rows = [b for b in runs[a]["benchmarks"] if b["verdict"] in ("improved", "regressed")]
        for b in sorted(rows, key=lambda b: b["ratio"]):
            n, bytes_ = per_run.get(b["id"], ("–", "–"))
            md.append(f"| `{b['id']}` | {pct(b['ratio'])} | {pct(b['low'])} … {pct(b['high'])} | {n} | {bytes_} |")
        md.append("")
    out.write_text("\n".join(md))


if __name__ == "__main__":
    main()
