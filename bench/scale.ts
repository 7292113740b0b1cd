/**
 * Issue 3 scale bench: `node --import tsx bench/scale.ts [--runs N] [--sizes 1000,100000] [--no-fsync]`.
 * Runs `measure` (scale-lib.ts) per size and prints medians and the ratio of the largest size to the smallest.
 * `--no-fsync` sets `synchronous=OFF` on the bench database only, to separate the engines' cost from disk flushes
 * (which dominate writes on a busy machine); the server's own setting is `synchronous=FULL`.
 */
import { parseArgs } from 'node:util';
import { measure, type ScaleResult } from './scale-lib.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '9' },
    sizes: { type: 'string', default: '1000,100000' },
    'no-fsync': { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const sizes = values.sizes.split(',').map(Number);
if (!Number.isInteger(runs) || runs < 1 || sizes.some((n) => !Number.isInteger(n) || n < 300)) {
  process.stderr.write('usage: node --import tsx bench/scale.ts [--runs N>=1] [--sizes 1000,100000 (each >= 300)] [--no-fsync]\n');
  process.exit(2);
}

const results: ScaleResult[] = [];
for (const size of sizes) {
  process.stderr.write(`loading ${size} users...\n`);
  results.push(await measure(size, runs, { fsync: !values['no-fsync'] }));
}

const first = results[0]!;
const last = results.at(-1)!;
const col = (s: string, w: number) => s.padStart(w);
const header = [`median ms (of ${runs}${values['no-fsync'] ? ', no fsync' : ''})`, ...results.map((r) => `${r.size} users`), `ratio ${last.size}/${first.size}`];
const rows = Object.keys(first.metrics).map((name) => [
  name,
  ...results.map((r) => r.metrics[name]!.toFixed(2)),
  (last.metrics[name]! / first.metrics[name]!).toFixed(2),
]);
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[0]!) : col(c, widths[i]!))).join('  ');
process.stdout.write(`${line(header)}\n${rows.map(line).join('\n')}\n`);
process.stdout.write(`group sizes: ${results.map((r) => `${r.groupSize} members at ${r.size}`).join(', ')}; load times: ${results.map((r) => `${r.loadS.toFixed(1)} s`).join(', ')}\n`);
