// A shard's wall time is cut into its phases without losing or inventing
// any of it. Run: node --test ci/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rows, svg, table, SEGMENTS } from './shard-times.mjs';

const comparison = {
  shards: [
    { index: 1, count: 2, status: 'ok', wall_secs: 1000, phases: { builds: 100, counts: 350, paired: 540 }, load_secs: 120, measured_secs: 400 },
    { index: 2, count: 2, status: 'missing', wall_secs: null },
  ],
};

test('the segments of a shard add up to its wall time', () => {
  const [one, two] = rows('aa-1', comparison);
  assert.equal(SEGMENTS.reduce((sum, s) => sum + one[s.key], 0), 1000);
  assert.equal(one.other, 30);
  assert.equal(two.wall, 0);
  assert.equal(SEGMENTS.reduce((sum, s) => sum + two[s.key], 0), 0);
});

test('the table has a row per shard and the chart draws the goal', () => {
  const all = rows('aa-1', comparison);
  assert.match(table(all), /\| aa-1 \| 1\/2 \| 100 s \| 350 s \| 120 s \| 400 s \| 30 s \| \*\*1000 s\*\* \|/);
  assert.match(svg(all, 600), /goal 600 s/);
  assert.match(svg(all, 600), /aa-1, shard 2\/2/);
});
