/**
 * Scale bench (`npm run bench:scale`): `node --import tsx bench/scale.ts [--runs N] [--sizes 1000,100000] [--no-fsync]
 * [--no-server]`. Runs `measure` (scale-lib.ts, in process) per size and prints medians of wall and CPU ms and
 * the CPU ratio of the largest size to the smallest; then `measureServer` (scale-server.ts) at the largest size:
 * the server as a child process, its CPU per request and RSS.
 * `--no-fsync` sets `synchronous=OFF` on the bench database only, to separate the engines' cost from disk flushes
 * (which dominate writes on a busy machine); the server's own setting is `synchronous=FULL`.
 */
import { parseArgs } from 'node:util';
import { measure, type ScaleResult } from './scale-lib.ts';
import { measureServer } from './scale-server.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '9' },
    sizes: { type: 'string', default: '1000,100000' },
    'no-fsync': { type: 'boolean', default: false },
    'no-server': { type: 'boolean', default: false },
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
const header = [
  `median of ${runs}${values['no-fsync'] ? ', no fsync' : ''}`,
  ...results.flatMap((r) => [`ms ${r.size}`, `CPU ms ${r.size}`]),
  `CPU ratio ${last.size}/${first.size}`,
];
const rows = Object.keys(first.metrics).map((name) => [
  name,
  ...results.flatMap((r) => [r.metrics[name]!.toFixed(2), r.cpu[name]!.toFixed(2)]),
  (last.cpu[name]! / first.cpu[name]!).toFixed(2),
]);
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[0]!) : col(c, widths[i]!))).join('  ');
process.stdout.write(`${line(header)}\n${rows.map(line).join('\n')}\n`);
for (const r of results) {
  process.stdout.write(
    `${r.size} users + a ${r.groupSize}-member group: RSS ${r.rssMb.loaded.toFixed(0)} MB loaded, ${r.rssMb.end.toFixed(0)} MB after the cases; load ${r.loadS.toFixed(1)} s\n`,
  );
}

if (!values['no-server']) {
  const size = last.size;
  process.stderr.write(`server process: loading ${size} users...\n`);
  const server = await measureServer(size);
  process.stdout.write(`\nscimulator serve on ${size} users + a ${server.groupSize}-member group, 16 concurrent requests over 127.0.0.1:\n`);
  const head = ['workload', 'ops', 'ops/s', 'p50 ms', 'p99 ms', 'server CPU ms/op'];
  const body = server.results.map((r) => [r.name, String(r.ops), r.opsPerS.toFixed(0), r.p50.toFixed(2), r.p99.toFixed(2), r.cpuMsPerOp.toFixed(2)]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(w[0]!) : c.padStart(w[i]!))).join('  ');
  process.stdout.write(`${fmt(head)}\n${body.map(fmt).join('\n')}\nserver RSS after the workloads: ${server.rssMb.toFixed(0)} MB\n`);
}
