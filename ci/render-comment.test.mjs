// The trusted comment: a forged comment.md is never read, a forged
// comparison.json is refused, and a pull request that changes its own judge
// is labelled. Run: node --test ci/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { MARKER, readArtifact, render } from './render-comment.mjs';

const head = 'a'.repeat(40);
const base = 'b'.repeat(40);
const bench = (id, verdict, ratio) => ({ id, verdict, base_ns: 1000, new_ns: 1000 * ratio, ratio, low: ratio - 0.01, high: ratio + 0.01, floor: 0.02 });
const comparison = {
  rule: { confidence: 0.99, method: 'ignored free text @someone' },
  sides: [{ label: 'base', source: '[click](https://evil.example)', machine: '@org/team' }],
  summary: { regressed: 0 },
  benchmarks: [bench('rlp/hash/header', 'regressed', 1.1), bench('rlp/decode/block_200tx', 'unchanged', 1.0)],
  instruction_counts: { cpu_differs: false, rows: [{ id: 'rlp/hash/header', old: 100, new: 120, tolerance: 0.01, status: 'rose' }] },
};

function artifactDir(files) {
  const dir = mkdtempSync(`${tmpdir()}/ethbench-artifact-`);
  for (const [name, text] of Object.entries(files)) writeFileSync(`${dir}/${name}`, text);
  return dir;
}

test('a forged comment.md is ignored: the comment is rendered from the JSON', () => {
  const dir = artifactDir({
    'comment.md': `${MARKER}\n### ethbench: 0 regressed. All good! cc @maintainer [details](https://evil.example)`,
    'comparison.json': JSON.stringify(comparison),
    'base-sha': base,
    'head-sha': head,
  });
  const body = render({ headSha: head, runUrl: 'https://github.com/o/r/actions/runs/1', conclusion: 'success', artifact: readArtifact(dir) });
  assert.ok(body.startsWith(MARKER));
  assert.match(body, /### ethbench: 2 regressed \(1 in time, 1 in instruction counts\), 0 improved/);
  assert.doesNotMatch(body, /All good|@maintainer|evil\.example|@someone|@org/);
  assert.match(body, new RegExp(`Head \`${head}\` against base \`${base}\``));
});

test('ids outside the alphabet, non-numbers and unknown verdicts refuse the whole file', () => {
  for (const forged of [
    { ...comparison, benchmarks: [bench('rlp/x` @someone `', 'regressed', 1.1)] },
    { ...comparison, benchmarks: [bench('rlp/<img src=x>', 'regressed', 1.1)] },
    { ...comparison, benchmarks: [bench('rlp/a|b', 'regressed', 1.1)] },
    { ...comparison, benchmarks: [{ ...bench('rlp/a/b', 'regressed', 1.1), ratio: 'NaN' }] },
    { ...comparison, benchmarks: [bench('rlp/a/b', 'looks fine to me', 1.1)] },
    'not an object',
  ]) {
    const body = render({ headSha: head, conclusion: 'success', artifact: { comparison: forged, failure: null, baseSha: base } });
    assert.match(body, /### ethbench: the results were refused/);
    assert.doesNotMatch(body, /@someone|<img|looks fine/);
  }
});

test('a pull request that changes its own judge is labelled at the top', () => {
  const artifact = { comparison, failure: null, baseSha: base };
  const body = render({ headSha: head, conclusion: 'success', artifact, changed: ['README.md', 'src/judge/ab/driver.rs'] });
  assert.match(body.split('\n')[1], /This pull request changes the code that judges it\*\* \(1 file: `src\/judge\/ab\/driver.rs`\)/);
  const clean = render({ headSha: head, conclusion: 'success', artifact, changed: ['src/groups/rlp/mod.rs'] });
  assert.doesNotMatch(clean, /changes the code that judges it/);
});

test('every run ends with a comment true for it: cancelled, no artifact, failed', () => {
  assert.match(render({ headSha: head, conclusion: 'cancelled', artifact: null }), /cancelled, no verdict for head `aaaaaaaaaaaa`/);
  assert.match(render({ headSha: head, conclusion: 'failure', artifact: null }), /ended \(failure\) before it uploaded/);
  const failed = render({ headSha: head, conclusion: 'failure', artifact: { comparison: null, failure: 'head-build', baseSha: base } });
  assert.match(failed, /comparison failed: the head did not build/);
  const unknown = render({ headSha: head, conclusion: 'failure', artifact: { comparison: null, failure: 'pwned [x](y)', baseSha: base } });
  assert.match(unknown, /comparison failed: the comparison stopped before a verdict/);
  assert.doesNotMatch(unknown, /pwned/);
  assert.throws(() => render({ headSha: 'HEAD', conclusion: 'success', artifact: null }));
});

test('a large comparison stays under GitHub\'s comment limit', () => {
  const many = { ...comparison, benchmarks: Array.from({ length: 4000 }, (_, i) => bench(`evm/op/case_${i}`, 'unchanged', 1.0)) };
  const body = render({ headSha: head, conclusion: 'success', artifact: { comparison: many, failure: null, baseSha: base } });
  assert.ok(body.length < 65536, `${body.length}`);
  assert.match(body, /rows left out to fit GitHub's limit/);
});
