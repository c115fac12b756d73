// Join the shards of one sharded pull-request comparison into one artifact.
// Each shard ran ci/compare.sh with SHARD=INDEX/COUNT on its own share of
// the benchmarks, both builds paired on one runner, and judged its share:
// this only gathers. Rows are concatenated; a shard that failed or never
// uploaded is named in `shards`, and the trusted renderer says so in the
// comment's headline, so no shard is dropped silently.
//
//   node ci/merge-shards.mjs OUT COUNT [--parts times,counts] [SHARD_DIR…]
//
// A SHARD_DIR holds one shard's files (comparison.json, failure, status,
// wall-secs, phases, shard, part). With --parts, every shard index ran as
// one job per part (ci/compare.sh's PART: the paired times on one runner,
// the instruction counts on another), and each part is expected of every
// index; without it, each shard ran both. Writes OUT/comparison.json,
// OUT/failure when no shard has a verdict, and OUT/status: the worst
// shard's exit status, 2 for a missing shard. Exit status: that status.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

function readShard(dir) {
  const read = (name) => (existsSync(`${dir}/${name}`) ? readFileSync(`${dir}/${name}`, 'utf8').trim() : null);
  const [index, count] = (read('shard') ?? '').split('/').map(Number);
  const part = read('part') ?? 'both';
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
  return { index, count, part, comparison, failure: read('failure'), status: Number.isInteger(status) ? status : 2, wall: Number(read('wall-secs') ?? NaN), phases };
}

export const PARTS = ['both', 'times', 'counts'];

/** The shards in `dirs` as one comparison, and the merged exit status; `parts`: what each shard index ran as. */
export function merge(count, shards, parts = ['both']) {
  const key = (index, part) => `${index}/${part}`;
  const byKey = new Map(
    shards.filter((s) => s.count === count && s.index >= 1 && s.index <= count).map((s) => [key(s.index, s.part ?? 'both'), s]),
  );
  const summary = [];
  const benchmarks = [];
  const countRows = [];
  const benchSecs = {};
  let cpuDiffers = false;
  let withCounts = false;
  let first = null;
  let measured = 0;
  let status = 0;
  const jobs = [];
  for (let index = 1; index <= count; index += 1) for (const part of parts) jobs.push([index, part]);
  for (const [index, part] of jobs) {
    const shard = byKey.get(key(index, part));
    const wall = shard && Number.isFinite(shard.wall) ? shard.wall : null;
    if (!shard) {
      summary.push({ index, count, part, status: 'missing', failure: null, benchmarks: 0, wall_secs: null });
      status = 2;
      continue;
    }
    const ok = shard.comparison !== null && shard.status <= 1 && Array.isArray(shard.comparison.benchmarks);
    summary.push({
      index,
      count,
      part,
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
  const [out, countText, ...rest] = process.argv.slice(2);
  const count = Number(countText);
  const parts = rest[0] === '--parts' ? (rest[1] ?? '').split(',') : ['both'];
  const dirs = rest[0] === '--parts' ? rest.slice(2) : rest;
  if (!out || !Number.isInteger(count) || count < 1 || parts.some((p) => !PARTS.includes(p))) {
    console.error('error: usage: node ci/merge-shards.mjs OUT COUNT [--parts times,counts] [SHARD_DIR…]');
    process.exit(2);
  }
  const merged = merge(count, dirs.filter((d) => existsSync(d)).map(readShard), parts);
  mkdirSync(out, { recursive: true });
  if (merged.comparison) writeFileSync(`${out}/comparison.json`, JSON.stringify(merged.comparison, null, 2) + '\n');
  if (merged.failure) writeFileSync(`${out}/failure`, merged.failure + '\n');
  writeFileSync(`${out}/status`, `${merged.status}\n`);
  for (const s of merged.shards) {
    const phases = Object.entries(s.phases ?? {}).map(([name, secs]) => `${name} ${secs} s`);
    const wall = s.wall_secs === null ? 'no time' : `${Math.round(s.wall_secs)} s wall, builds included${phases.length ? ` (${phases.join(', ')})` : ''}`;
    console.log(`shard ${s.index}/${s.count}${s.part === 'both' ? '' : ` ${s.part}`}: ${s.status}${s.failure ? ` (${s.failure})` : ''}, ${s.benchmarks} benchmarks, ${wall}`);
  }
  process.exit(merged.status);
}
