// Write ci/shard-weights.json, what sharded pull-request runs balance their
// shares by: each benchmark's measuring seconds in whole paired runs
// (`ethbench ab --json`), averaged over the files given. A run's
// `bench_secs` is used as recorded; an older run without it is estimated
// from its samples (each pair of chunks lasts about 20 ms a side, or one run
// where a run is longer).
//
//   node ci/shard-weights.mjs COMPARISON.json… > ci/shard-weights.json

import { readFileSync } from 'node:fs';

const CHUNK_NS = 20e6;
const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('error: give one or more comparison.json files of whole paired runs (ethbench ab --json)');
  process.exit(2);
}
const sums = new Map();
for (const file of files) {
  const run = JSON.parse(readFileSync(file, 'utf8'));
  const secs = run.bench_secs ?? Object.fromEntries(
    Object.entries(run.samples ?? {}).map(([id, rounds]) => [
      id,
      rounds.flat().reduce((total, [base, head]) => total + Math.max(CHUNK_NS, base) + Math.max(CHUNK_NS, head), 0) / 1e9,
    ]),
  );
  for (const [id, s] of Object.entries(secs)) sums.set(id, [...(sums.get(id) ?? []), s]);
}
const weights = Object.fromEntries([...sums].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, s]) => [id, Math.round((s.reduce((a, b) => a + b, 0) / s.length) * 100) / 100]));
process.stdout.write(JSON.stringify(weights, null, 1) + '\n');
