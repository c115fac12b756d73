// The pull-request comment, rendered by the trusted side (bench-comment,
// from the base branch's copy of this file) out of data alone.
//
// A pull request runs its own bench-pr.yml and ci/*.sh, so everything in its
// artifact is the fork's: its comment.md is never read here, and its
// comparison.json is held to a schema (ids of a fixed alphabet, finite
// numbers, known verdicts) before anything of it is printed. Every word of
// the comment is this file's; ids go inside code spans, where Markdown,
// mentions and links are not interpreted, and their alphabet has no
// backtick, pipe or angle bracket. The head SHA, the run's link and its
// conclusion come from GitHub's own payload, not the artifact.
//
//   node ci/render-comment.mjs DIR [--changed FILE] [--head SHA] [--conclusion C] [--run-url URL]
//
// DIR is the downloaded artifact (missing: the run ended before uploading);
// FILE lists the pull request's changed paths, one per line.

import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const MARKER = '<!-- ethbench:comparison -->';
const ID = /^[A-Za-z0-9_.\-/:+=,[\]()#]{1,200}$/;
const SHA = /^[0-9a-f]{40}$/;
const VERDICTS = ['regressed', 'improved', 'suspect', 'incomparable', 'new', 'missing', 'unchanged'];
const COUNT_STATUSES = ['rose', 'fell', 'new', 'not_run', 'within', 'same'];
const SHARD_STATUSES = ['ok', 'failed', 'missing'];
// The code that decides a pull request's verdict: when a pull request
// changes any of it, its verdict came from its own judge.
export const JUDGING_PATHS = ['ci/', '.github/', 'src/judge/ab/', 'src/judge/compare/', 'src/judge/report/', 'src/judge/iai.rs', 'src/cli/verdict.rs', 'scripts/iai.sh', 'src/measure/stats.rs'];
const FAILURES = {
  'base-build': 'the base did not build',
  'head-build': 'the head did not build',
  'no-binary': 'a side did not build',
  'old-base': 'the base predates the paired A/B protocol',
  'old-base-shard': 'the base predates sharded runs',
  'shards-missing': 'no shard uploaded its results',
  'same-binary': 'base and head built to the same binary although their sources differ',
  'counts-base': "the base's instruction counts could not be taken",
  'counts-head': "the head's instruction counts could not be taken",
  'no-valgrind': 'valgrind is missing on the counting runner',
  'old-base-counts': 'the base predates counting jobs',
  'no-counts': 'no instruction counts were taken',
  ab: 'the paired A/B run failed',
  unexpected: 'an unexpected error in ci/compare.sh',
};
// How a shard's part reads after "shard N": nothing when it ran both.
const PART_NAMES = { both: '', times: ' (times)', counts: ' (instruction counts)' };
const LIMIT = 60000;

export class SchemaError extends Error {}

function finite(value, where, { nullable = true } = {}) {
  if (value === null || value === undefined) {
    if (nullable) return null;
    throw new SchemaError(`${where} is missing`);
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new SchemaError(`${where} is not a finite number`);
  return value;
}

function count(value, where) {
  if (value === null || value === undefined) return null;
  if (!Number.isSafeInteger(value) || value < 0) throw new SchemaError(`${where} is not a count`);
  return value;
}

function id(value, where) {
  if (typeof value !== 'string' || !ID.test(value)) throw new SchemaError(`${where} is not a benchmark id`);
  return value;
}

function oneOf(value, allowed, where) {
  if (!allowed.includes(value)) throw new SchemaError(`${where} is not one of ${allowed.join(', ')}`);
  return value;
}

function list(value, where, max) {
  if (!Array.isArray(value)) throw new SchemaError(`${where} is not a list`);
  if (value.length > max) throw new SchemaError(`${where} has more than ${max} entries`);
  return value;
}

/** The parts of comparison.json the comment shows, checked; anything else is dropped. */
export function validate(json) {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new SchemaError('not a JSON object');
  const benchmarks = list(json.benchmarks, 'benchmarks', 5000).map((b, i) => {
    const at = `benchmarks[${i}]`;
    if (typeof b !== 'object' || b === null) throw new SchemaError(`${at} is not an object`);
    return {
      id: id(b.id, `${at}.id`),
      verdict: oneOf(b.verdict, VERDICTS, `${at}.verdict`),
      base: finite(b.base_ns, `${at}.base_ns`),
      head: finite(b.new_ns, `${at}.new_ns`),
      ratio: finite(b.ratio, `${at}.ratio`),
      low: finite(b.low, `${at}.low`),
      high: finite(b.high, `${at}.high`),
      floor: finite(b.floor, `${at}.floor`, { nullable: false }),
    };
  });
  let counts = null;
  if (json.instruction_counts !== undefined && json.instruction_counts !== null) {
    const c = json.instruction_counts;
    if (typeof c.cpu_differs !== 'boolean') throw new SchemaError('instruction_counts.cpu_differs is not true or false');
    counts = {
      cpuDiffers: c.cpu_differs,
      rows: list(c.rows, 'instruction_counts.rows', 5000).map((r, i) => ({
        id: id(r.id, `instruction_counts.rows[${i}].id`),
        base: count(r.old, `instruction_counts.rows[${i}].old`),
        head: count(r.new, `instruction_counts.rows[${i}].new`),
        tolerance: finite(r.tolerance, `instruction_counts.rows[${i}].tolerance`, { nullable: false }),
        status: oneOf(r.status, COUNT_STATUSES, `instruction_counts.rows[${i}].status`),
      })),
    };
  }
  let shards = null;
  if (json.shards !== undefined && json.shards !== null) {
    shards = list(json.shards, 'shards', 64).map((s, i) => {
      const at = `shards[${i}]`;
      if (typeof s !== 'object' || s === null) throw new SchemaError(`${at} is not an object`);
      return {
        index: count(s.index, `${at}.index`),
        count: count(s.count, `${at}.count`),
        part: s.part === undefined || s.part === null ? 'both' : oneOf(s.part, Object.keys(PART_NAMES), `${at}.part`),
        status: oneOf(s.status, SHARD_STATUSES, `${at}.status`),
        failure: s.failure === null || s.failure === undefined ? null : oneOf(s.failure, Object.keys(FAILURES), `${at}.failure`),
        benchmarks: count(s.benchmarks, `${at}.benchmarks`),
        wall: finite(s.wall_secs, `${at}.wall_secs`),
      };
    });
  }
  const confidence = finite(json.rule?.confidence, 'rule.confidence');
  return { benchmarks, counts, confidence, shards };
}

function time(ns) {
  if (ns === null) return '–';
  const [value, unit] = ns < 1e3 ? [ns, 'ns'] : ns < 1e6 ? [ns / 1e3, 'µs'] : ns < 1e9 ? [ns / 1e6, 'ms'] : [ns / 1e9, 's'];
  return `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)} ${unit}`;
}

const percent = (fraction) => `${fraction >= 0 ? '+' : ''}${(fraction * 100).toFixed(1)}%`;
const words = { regressed: '**regressed**', improved: 'improved', suspect: 'suspect', incomparable: 'incomparable', new: 'new', missing: 'missing', unchanged: 'no change' };

function row(b) {
  const change = b.ratio === null ? '–' : percent(b.ratio - 1);
  const interval = b.low === null || b.high === null ? '–' : `${percent(b.low - 1)} … ${percent(b.high - 1)}`;
  return `| \`${b.id}\` | ${time(b.base)} | ${time(b.head)} | ${change} | ${interval} | ±${(b.floor * 100).toFixed(1)}% | ${words[b.verdict]} |`;
}

const HEAD = '| benchmark | base | head | change | interval | floor | verdict |\n|---|---|---|---|---|---|---|';

/** The paths of `changed` under the code that judges a pull request. */
export function judgingChanges(changed) {
  return changed.filter((path) => JUDGING_PATHS.some((prefix) => path === prefix || path.startsWith(prefix)));
}

/**
 * The comment for one run. `artifact` is null when the run uploaded none;
 * otherwise `{ comparison, failure, baseSha }` as read from it (comparison
 * already parsed JSON or null), or `{ refused }` with the trusted side's own
 * reason for not reading it. Returns the Markdown body.
 */
export function render({ headSha, runUrl, conclusion, artifact, changed = [] }) {
  if (!SHA.test(headSha)) throw new SchemaError('the head SHA is not 40 hex digits');
  const lines = [MARKER];
  const judging = judgingChanges(changed);
  if (judging.length > 0) {
    const shown = judging.slice(0, 5).map((p) => (ID.test(p) ? `\`${p}\`` : 'a path')).join(', ');
    lines.push(
      `> **This pull request changes the code that judges it** (${judging.length} file${judging.length === 1 ? '' : 's'}: ${shown}${judging.length > 5 ? ', …' : ''}). ` +
        'Its verdict below came from its own version of that code: review those changes before trusting it.',
      '',
    );
  }
  const run = /^https:\/\/github\.com\/[\w.\-/]+$/.test(runUrl ?? '') ? ` ([the run](${runUrl}))` : '';
  const baseSha = artifact?.baseSha && SHA.test(artifact.baseSha) ? artifact.baseSha : null;
  const against = `Head \`${headSha}\`${baseSha ? ` against base \`${baseSha}\`` : ''}${run}.`;
  if (conclusion === 'cancelled') {
    lines.push(`### ethbench: cancelled, no verdict for head \`${headSha.slice(0, 12)}\``, '', `The run was cancelled: a newer push supersedes it, or it was stopped. ${against}`);
    return lines.join('\n') + '\n';
  }
  if (artifact === null) {
    lines.push(`### ethbench: no verdict for head \`${headSha.slice(0, 12)}\``, '', `The run ended (${oneWord(conclusion)}) before it uploaded its results. ${against}`);
    return lines.join('\n') + '\n';
  }
  if (artifact.refused) {
    lines.push('### ethbench: the results were refused', '', `${artifact.refused}; nothing of them is shown. ${against}`);
    return lines.join('\n') + '\n';
  }
  if (artifact.comparison === null) {
    const why = FAILURES[artifact.failure] ?? 'the comparison stopped before a verdict';
    lines.push(`### ethbench: comparison failed: ${why}`, '', `No verdict for this push; the run's log says more. ${against}`);
    return lines.join('\n') + '\n';
  }
  let data;
  try {
    data = validate(artifact.comparison);
  } catch (e) {
    if (!(e instanceof SchemaError)) throw e;
    lines.push('### ethbench: the results were refused', '', `comparison.json does not match the schema (${e.message}), so nothing of it is shown. ${against}`);
    return lines.join('\n') + '\n';
  }
  const tally = Object.fromEntries(VERDICTS.map((v) => [v, data.benchmarks.filter((b) => b.verdict === v).length]));
  const countsRose = data.counts && !data.counts.cpuDiffers ? data.counts.rows.filter((r) => r.status === 'rose').length : 0;
  const regressed = countsRose > 0 ? `${tally.regressed + countsRose} regressed (${tally.regressed} in time, ${countsRose} in instruction counts)` : `${tally.regressed} regressed`;
  const extra = ['suspect', 'incomparable'].filter((v) => tally[v] > 0).map((v) => `, ${tally[v]} ${v}`).join('');
  const lost = (data.shards ?? []).filter((sh) => sh.status !== 'ok');
  const incomplete = lost.length > 0
    ? `incomplete, ${lost.map((sh) => `shard ${sh.index} of ${sh.count}${PART_NAMES[sh.part]} ${sh.status}${sh.failure ? ` (${FAILURES[sh.failure]})` : ''}`).join(', ')}: `
    : '';
  lines.push(
    `### ethbench: ${incomplete}${regressed}, ${tally.improved} improved${extra}, ${tally.unchanged} unchanged, ${tally.new} new, ${tally.missing} missing`,
    '',
  );
  if (data.shards) {
    const done = (sh) => (sh.part === 'counts' ? 'counted' : `${sh.benchmarks} benchmarks`);
    const each = data.shards.map((sh) => `shard ${sh.index}${PART_NAMES[sh.part]}: ${sh.status === 'ok' ? done(sh) : `**${sh.status}**, its ${sh.part === 'counts' ? 'instruction counts have' : 'benchmarks have'} no verdict`}${sh.wall === null ? '' : `, ${Math.round(sh.wall / 60)} min`}`);
    const split = data.shards.some((sh) => sh.part !== 'both');
    lines.push(`Sharded over ${data.shards.length} runners, each ${split ? 'pairing base and head on its own share, or counting instructions of its share' : 'pairing base and head on its own share'}: ${each.join('; ')}.`, '');
  }
  lines.push(
    `${against} A change counts only when the whole ${data.confidence === null ? '' : `${Math.round(data.confidence * 100)}% `}interval of the head/base time ratio lies beyond the row's floor (paired A/B; method in \`docs/comparing.md\`).`,
    '',
  );
  const moved = data.benchmarks
    .filter((b) => b.verdict !== 'unchanged')
    .sort((a, b) => VERDICTS.indexOf(a.verdict) - VERDICTS.indexOf(b.verdict) || Math.abs((b.ratio ?? 1) - 1) - Math.abs((a.ratio ?? 1) - 1));
  if (moved.length > 0) lines.push(HEAD, ...moved.slice(0, 100).map(row), '');
  if (moved.length > 100) lines.push(`(${moved.length - 100} more in the full table)`, '');
  if (data.counts) {
    const notable = data.counts.rows.filter((r) => ['rose', 'fell', 'new', 'not_run'].includes(r.status));
    const by = (s) => data.counts.rows.filter((r) => r.status === s).length;
    lines.push(
      `**Instruction counts** (deterministic; each twin's tolerance from its measured spread): ${by('rose')} rose past tolerance, ${by('fell')} fell, ${by('within') + by('same')} within${data.counts.cpuDiffers ? '; the two sides ran on different CPUs, so a rise is shown, not judged' : ''}.`,
      '',
    );
    if (notable.length > 0) {
      lines.push('| benchmark | base | head | change | tolerance | status |\n|---|---|---|---|---|---|');
      for (const r of notable.slice(0, 100)) {
        const change = r.base && r.head !== null ? percent(r.head / r.base - 1) : '–';
        lines.push(`| \`${r.id}\` | ${r.base ?? '–'} | ${r.head ?? '–'} | ${change} | ±${(r.tolerance * 100).toFixed(2)}% | ${r.status.replace('_', ' ')} |`);
      }
      lines.push('');
    }
  }
  const all = ['<details><summary>All ' + data.benchmarks.length + ' benchmarks</summary>', '', HEAD];
  let size = lines.join('\n').length;
  let shown = 0;
  for (const b of data.benchmarks) {
    const r = row(b);
    if (size + r.length > LIMIT) break;
    all.push(r);
    size += r.length + 1;
    shown += 1;
  }
  if (shown < data.benchmarks.length) all.push('', `(${data.benchmarks.length - shown} rows left out to fit GitHub's limit; the comparison.json artifact has them all)`);
  all.push('', '</details>');
  lines.push(...all);
  return lines.join('\n') + '\n';
}

function oneWord(conclusion) {
  return /^[a-z_]{1,30}$/.test(conclusion ?? '') ? conclusion : 'unknown';
}

/** What render() needs from an artifact directory: never its comment.md. */
export function readArtifact(dir) {
  if (!dir || !existsSync(dir)) return null;
  const read = (name) => (existsSync(`${dir}/${name}`) ? readFileSync(`${dir}/${name}`, 'utf8').trim() : null);
  let comparison = null;
  const text = read('comparison.json');
  if (text !== null) {
    try {
      comparison = JSON.parse(text);
    } catch {
      comparison = 'not JSON';
    }
  }
  return { comparison, failure: read('failure'), baseSha: read('base-sha'), headSha: read('head-sha') };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const option = (name) => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const dir = args[0];
  const artifact = readArtifact(dir);
  const changedFile = option('--changed');
  const changed = changedFile ? readFileSync(changedFile, 'utf8').split('\n').filter(Boolean) : [];
  const headSha = option('--head') ?? artifact?.headSha ?? '';
  try {
    process.stdout.write(render({ headSha, runUrl: option('--run-url'), conclusion: option('--conclusion') ?? 'success', artifact, changed }));
  } catch (e) {
    console.error(`error: ${e.message}`);
    process.exit(2);
  }
}
