// Join the shards of one sharded pull-request comparison into one artifact.
// Each shard ran ci/compare.sh with SHARD=INDEX/COUNT on its own share of
// the benchmarks, both builds paired on one runner, and judged its share:
// this only gathers. Rows are concatenated; a shard that failed or never
// uploaded is named in `shards`, and the trusted renderer says so in the
// comment's headline, so no shard is dropped silently.
//
//   node ci/merge-shards.mjs OUT COUNT [SHARD_DIR…]
//
// A SHARD_DIR holds one shard's files (comparison.json, failure, status,
// wall-secs, phases, shard). Writes OUT/comparison.json, OUT/failure when no shard
// has a verdict, and OUT/status: the worst shard's exit status, 2 for a
// missing shard. Exit status: that status.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

function readShard(dir) {
  const read = (name) => (existsSync(`${dir}/${name}`) ? readFileSync(`${dir}/${name}`, 'utf8').trim() : null);
  const [index, count] = (read('shard') ?? '').split('/').map(Number);
  const text = read('comparison.json');
  let comparison = null;
  try {
    comparison = text === null ? null : JSON.parse(text);
  } catch {
    comparison = null;
  }
  const status = Number(read('status') ?? 2);
  // ci/compare.sh's phases, a line `NAME SECONDS` each: builds, counts, paired.
  const phases = Object.fromEntries(
    (read('phases') ?? '')
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter(([name, secs]) => /^[a-z]+$/.test(name ?? '') && Number.isFinite(Number(secs)))
      .map(([name, secs]) => [name, Number(secs)]),
  );
  return { index, count, comparison, failure: read('failure'), status: Number.isInteger(status) ? status : 2, wall: Number(read('wall-secs') ?? NaN), phases };
}

/** The shards in `dirs` as one comparison, and the merged exit status. */
export function merge(count, shards) {
  const byIndex = new Map(shards.filter((s) => s.count === count && s.index >= 1 && s.index <= count).map((s) => [s.index, s]));
  const summary = [];
  const benchmarks = [];
  const countRows = [];
  const benchSecs = {};
  let cpuDiffers = false;
  let withCounts = false;
  let first = null;
  let measured = 0;
  let status = 0;
  for (let index = 1; index <= count; index += 1) {
    const shard = byIndex.get(index);
    const wall = shard && Number.isFinite(shard.wall) ? shard.wall : null;
    if (!shard) {
      summary.push({ index, count, status: 'missing', failure: null, benchmarks: 0, wall_secs: null });
      status = 2;
      continue;
    }
    const ok = shard.comparison !== null && shard.status <= 1 && Array.isArray(shard.comparison.benchmarks);
    summary.push({
      index,
      count,
      status: ok ? 'ok' : 'failed',
      failure: ok ? null : shard.failure,
      benchmarks: ok ? shard.comparison.benchmarks.length : 0,
      wall_secs: wall,
      phases: shard.phases ?? {},
      load_secs: ok ? Number(shard.comparison.load_secs) || 0 : null,
      measured_secs: ok ? Number(shard.comparison.measured_secs) || 0 : null,
    });
    status = Math.max(status, ok ? shard.status : 2);
    if (!ok) continue;
    const c = shard.comparison;
    first ??= c;
    benchmarks.push(...c.benchmarks);
    measured += Number(c.measured_secs) || 0;
    Object.assign(benchSecs, c.bench_secs ?? {});
    if (c.instruction_counts) {
      withCounts = true;
      cpuDiffers ||= Boolean(c.instruction_counts.cpu_differs);
      countRows.push(...(c.instruction_counts.rows ?? []));
    }
  }
  if (first === null) {
    return { comparison: null, failure: shards.find((s) => s.failure)?.failure ?? 'shards-missing', status: 2, shards: summary };
  }
  benchmarks.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const tally = (verdict) => benchmarks.filter((b) => b.verdict === verdict).length;
  const comparison = {
    rule: first.rule,
    sides: first.sides,
    summary: { regressed: tally('regressed'), improved: tally('improved'), unchanged: tally('unchanged'), new: tally('new'), missing: tally('missing'), incomparable: tally('incomparable') },
    benchmarks,
    measured_secs: measured,
    bench_secs: benchSecs,
    shards: summary,
  };
  if (withCounts) comparison.instruction_counts = { cpu_differs: cpuDiffers, rows: countRows.sort((a, b) => (a.id < b.id ? -1 : 1)) };
  return { comparison, failure: null, status, shards: summary };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [out, countText, ...dirs] = process.argv.slice(2);
  const count = Number(countText);
  if (!out || !Number.isInteger(count) || count < 1) {
    console.error('error: usage: node ci/merge-shards.mjs OUT COUNT [SHARD_DIR…]');
    process.exit(2);
  }
  const merged = merge(count, dirs.filter((d) => existsSync(d)).map(readShard));
  mkdirSync(out, { recursive: true });
  if (merged.comparison) writeFileSync(`${out}/comparison.json`, JSON.stringify(merged.comparison, null, 2) + '\n');
  if (merged.failure) writeFileSync(`${out}/failure`, merged.failure + '\n');
  writeFileSync(`${out}/status`, `${merged.status}\n`);
  for (const s of merged.shards) {
    const phases = Object.entries(s.phases ?? {}).map(([name, secs]) => `${name} ${secs} s`);
    const wall = s.wall_secs === null ? 'no time' : `${Math.round(s.wall_secs)} s wall, builds included${phases.length ? ` (${phases.join(', ')})` : ''}`;
    console.log(`shard ${s.index}/${s.count}: ${s.status}${s.failure ? ` (${s.failure})` : ''}, ${s.benchmarks} benchmarks, ${wall}`);
  }
  process.exit(merged.status);
}
