// Where a sharded pull-request comparison spends its wall time, shard by
// shard, over one or more rehearsals (ci/rehearse-pr.sh --shards K): a
// Markdown table on stdout and, with --svg, the same as stacked bars with
// the 10-minute goal drawn in.
//
//   node ci/shard-times.mjs [--svg FILE] [--goal SECS] REHEARSAL_OUT…
//
// Each REHEARSAL_OUT holds the merged comparison.json (ci/merge-shards.mjs),
// whose `shards` carry each shard's wall time, its phases from
// ci/compare.sh (builds, counts, paired) and, of the paired phase, the
// seconds spent preparing and measuring.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';

export const SEGMENTS = [
  { key: 'builds', label: 'builds (both sides)', colour: '#8c8c8c' },
  { key: 'counts', label: 'instruction counts (both sides)', colour: '#9467bd' },
  { key: 'preparing', label: 'preparing (every round)', colour: '#ff7f0e' },
  { key: 'measuring', label: 'measuring', colour: '#1f77b4' },
  { key: 'other', label: 'other', colour: '#d9d9d9' },
];

/** One row per shard (and part, where times and counts ran as jobs of their own) of one rehearsal: its wall time cut into SEGMENTS. */
export function rows(name, comparison) {
  return (comparison.shards ?? []).map((s) => {
    const phases = s.phases ?? {};
    const wall = Number(s.wall_secs) || 0;
    const preparing = Number(s.load_secs) || 0;
    const measuring = Number(s.measured_secs) || 0;
    const builds = phases.builds ?? 0;
    const counts = phases.counts ?? 0;
    const other = Math.max(0, wall - builds - counts - preparing - measuring);
    return { name, shard: `${s.index}/${s.count}${s.part && s.part !== 'both' ? ` ${s.part}` : ''}`, status: s.status, wall, builds, counts, preparing, measuring, other };
  });
}

export function table(all) {
  const secs = (x) => `${Math.round(x)} s`;
  const lines = ['| rehearsal | shard | builds | counts | preparing | measuring | other | wall |', '|---|---|---:|---:|---:|---:|---:|---:|'];
  for (const r of all) {
    lines.push(`| ${r.name} | ${r.shard} | ${secs(r.builds)} | ${secs(r.counts)} | ${secs(r.preparing)} | ${secs(r.measuring)} | ${secs(r.other)} | **${secs(r.wall)}** |`);
  }
  return lines.join('\n') + '\n';
}

const escape = (text) => String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

export function svg(all, goal) {
  const bar = 22;
  const gap = 8;
  const left = 190;
  const width = 560;
  const top = 46;
  const longest = Math.max(goal * 1.1, ...all.map((r) => r.wall));
  const x = (secs) => left + (secs / longest) * width;
  const legendTop = top + all.length * (bar + gap) + 36;
  const height = legendTop + SEGMENTS.length * 18 + 10;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${left + width + 60}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<text x="${left}" y="18" font-weight="bold">Wall time of each shard, builds included (seconds)</text>`,
  ];
  all.forEach((r, i) => {
    const y = top + i * (bar + gap);
    parts.push(`<text x="${left - 6}" y="${y + bar / 2 + 4}" text-anchor="end">${escape(`${r.name}, shard ${r.shard}`)}</text>`);
    let at = 0;
    for (const seg of SEGMENTS) {
      const secs = r[seg.key];
      if (secs <= 0) continue;
      parts.push(`<rect x="${x(at).toFixed(1)}" y="${y}" width="${(x(at + secs) - x(at)).toFixed(1)}" height="${bar}" fill="${seg.colour}"><title>${escape(`${seg.label}: ${Math.round(secs)} s`)}</title></rect>`);
      at += secs;
    }
    parts.push(`<text x="${x(r.wall) + 4}" y="${y + bar / 2 + 4}">${Math.round(r.wall)}</text>`);
  });
  const axisY = top + all.length * (bar + gap);
  parts.push(`<line x1="${left}" y1="${axisY}" x2="${left + width}" y2="${axisY}" stroke="#000"/>`);
  for (let t = 0; t <= longest; t += 120) {
    parts.push(`<line x1="${x(t)}" y1="${axisY}" x2="${x(t)}" y2="${axisY + 4}" stroke="#000"/><text x="${x(t)}" y="${axisY + 16}" text-anchor="middle">${t}</text>`);
  }
  parts.push(`<line x1="${x(goal)}" y1="${top - 6}" x2="${x(goal)}" y2="${axisY}" stroke="#d62728" stroke-dasharray="4 3"/>`);
  parts.push(`<text x="${x(goal)}" y="${top - 10}" fill="#d62728" text-anchor="middle">goal ${goal} s</text>`);
  SEGMENTS.forEach((seg, i) => {
    const y = legendTop + i * 18;
    parts.push(`<rect x="${left}" y="${y - 10}" width="12" height="12" fill="${seg.colour}"/><text x="${left + 18}" y="${y}">${escape(seg.label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  let svgFile = null;
  let goal = 600;
  const dirs = [];
  for (let i = 0; i < args.length; i += 1) {
    if (args[i] === '--svg') svgFile = args[++i];
    else if (args[i] === '--goal') goal = Number(args[++i]);
    else if (args[i].startsWith('--')) {
      console.error(`error: unknown option ${args[i]}; the options are --svg FILE and --goal SECS`);
      process.exit(2);
    } else dirs.push(args[i]);
  }
  if (dirs.length === 0 || !(goal > 0) || (svgFile !== null && !svgFile)) {
    console.error('error: usage: node ci/shard-times.mjs [--svg FILE] [--goal SECS] REHEARSAL_OUT…');
    process.exit(2);
  }
  const all = [];
  for (const dir of dirs) {
    const file = `${dir}/comparison.json`;
    if (!existsSync(file)) {
      console.error(`error: ${file} does not exist; name a ci/rehearse-pr.sh --shards output directory`);
      process.exit(2);
    }
    all.push(...rows(basename(dir), JSON.parse(readFileSync(file, 'utf8'))));
  }
  process.stdout.write(table(all));
  if (svgFile) writeFileSync(svgFile, svg(all, goal));
}
