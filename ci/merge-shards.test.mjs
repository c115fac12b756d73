// Sharded comparisons: the shards' rows are joined without judging again,
// and a missing or failed shard is named in the comment, never dropped.
// Run: node --test ci/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { merge } from './merge-shards.mjs';
import { render } from './render-comment.mjs';

const head = 'a'.repeat(40);
const bench = (id, verdict, ratio) => ({ id, verdict, base_ns: 1000, new_ns: 1000 * ratio, ratio, low: ratio - 0.01, high: ratio + 0.01, floor: 0.02 });
const shard = (index, count, benchmarks, { status = 0, counts = null } = {}) => ({
  index,
  count,
  status,
  wall: 300 + index,
  failure: null,
  comparison: {
    rule: { confidence: 0.99 },
    sides: [],
    benchmarks,
    measured_secs: 100,
    bench_secs: Object.fromEntries(benchmarks.map((b) => [b.id, 1])),
    ...(counts ? { instruction_counts: { cpu_differs: false, rows: counts } } : {}),
  },
});
const rendered = (comparison) => render({ headSha: head, runUrl: null, conclusion: 'success', artifact: { comparison, failure: null, baseSha: null } });

test("two shards' rows and counts become one verdict", () => {
  const merged = merge(2, [
    shard(2, 2, [bench('rlp/hash/header', 'regressed', 1.1)], { status: 1, counts: [{ id: 'rlp/hash/header', old: 1, new: 1, tolerance: 0.01, status: 'same' }] }),
    shard(1, 2, [bench('evm/op/add', 'unchanged', 1.0)]),
  ]);
  assert.equal(merged.status, 1);
  assert.deepEqual(merged.comparison.benchmarks.map((b) => b.id), ['evm/op/add', 'rlp/hash/header']);
  assert.equal(merged.comparison.instruction_counts.rows.length, 1);
  const body = rendered(merged.comparison);
  assert.match(body, /### ethbench: 1 regressed, 0 improved, 1 unchanged/);
  assert.match(body, /Sharded over 2 runners.*shard 1: 1 benchmarks.*shard 2: 1 benchmarks/);
});

test('a missing shard is named in the headline and fails the status', () => {
  const merged = merge(2, [shard(1, 2, [bench('evm/op/add', 'unchanged', 1.0)])]);
  assert.equal(merged.status, 2);
  const body = rendered(merged.comparison);
  assert.match(body, /### ethbench: incomplete, shard 2 of 2 missing: 0 regressed/);
  assert.match(body, /shard 2: \*\*missing\*\*, its benchmarks have no verdict/);
});

test('a failed shard says why; no shard at all is a failed comparison', () => {
  const failed = { index: 2, count: 2, status: 2, wall: 60, failure: 'head-build', comparison: null };
  const merged = merge(2, [shard(1, 2, [bench('evm/op/add', 'unchanged', 1.0)]), failed]);
  assert.match(rendered(merged.comparison), /incomplete, shard 2 of 2 failed \(the head did not build\)/);
  const none = merge(2, [failed]);
  assert.equal(none.comparison, null);
  assert.equal(none.failure, 'head-build');
  assert.equal(none.status, 2);
});

test('a shard of another split is not counted as this one', () => {
  const merged = merge(2, [shard(1, 3, [bench('evm/op/add', 'unchanged', 1.0)]), shard(1, 2, [bench('rlp/hash/header', 'unchanged', 1.0)])]);
  assert.deepEqual(merged.comparison.benchmarks.map((b) => b.id), ['rlp/hash/header']);
  assert.equal(merged.shards[1].status, 'missing');
});

test("each shard's phases and its preparing and measuring seconds are kept", () => {
  const one = { ...shard(1, 1, [bench('evm/op/add', 'unchanged', 1.0)]), phases: { builds: 103, counts: 363, paired: 500 } };
  one.comparison.load_secs = 120;
  const [summary] = merge(1, [one]).shards;
  assert.deepEqual(summary.phases, { builds: 103, counts: 363, paired: 500 });
  assert.equal(summary.load_secs, 120);
  assert.equal(summary.measured_secs, 100);
});

test('times and counts on runners of their own: each index needs both parts, and a missing part is named', () => {
  const times = (index) => ({ ...shard(index, 2, [bench(`evm/op/add${index}`, 'unchanged', 1.0)]), part: 'times' });
  const counts = (index) => ({
    ...shard(index, 2, [], { counts: [{ id: `rlp/hash/h${index}`, old: 1, new: 1, tolerance: 0.01, status: 'same' }] }),
    part: 'counts',
  });
  const whole = merge(2, [times(1), times(2), counts(1), counts(2)], ['times', 'counts']);
  assert.equal(whole.status, 0);
  assert.equal(whole.comparison.benchmarks.length, 2);
  assert.equal(whole.comparison.instruction_counts.rows.length, 2);
  assert.match(rendered(whole.comparison), /shard 1 \(times\): 1 benchmarks.*shard 1 \(instruction counts\): counted/);
  const lost = merge(2, [times(1), times(2), counts(1)], ['times', 'counts']);
  assert.equal(lost.status, 2);
  assert.match(rendered(lost.comparison), /incomplete, shard 2 of 2 \(instruction counts\) missing/);
});
