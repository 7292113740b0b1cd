/**
 * `npm run stability -- [--runs 20] [certify options]`: the same certification N times in a row (the embedded
 * reference server unless --target is given), then one line per requirement whose verdict differed between runs.
 * A certifier whose verdicts change without the target changing cannot gate a release. Exit 1 on any difference.
 *
 *   npm run stability -- --runs 20 --profile rfc,security
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const at = args.indexOf('--runs');
const runs = at >= 0 ? Number(args.splice(at, 2)[1]) : 20;
if (!Number.isInteger(runs) || runs < 2) throw new Error('--runs takes a whole number of at least 2');

const verdicts: Array<Record<string, string>> = [];
for (let i = 1; i <= runs; i++) {
  const out = mkdtempSync(join(tmpdir(), 'scimulator-stability-'));
  const started = Date.now();
  const r = spawnSync(process.execPath, [join(ROOT, 'cli/bin.js'), 'certify', '--out', out, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const cert = JSON.parse(readFileSync(join(out, 'certificate.json'), 'utf8')) as { requirements: Array<{ id: string; status: string }> };
    verdicts.push(Object.fromEntries(cert.requirements.map((x) => [x.id, x.status])));
  } catch {
    throw new Error(`run ${i}: certify wrote no certificate (exit ${r.status}): ${r.stderr.slice(-1000)}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  process.stderr.write(`stability: run ${i}/${runs} exit ${r.status} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
const ids = [...new Set(verdicts.flatMap((v) => Object.keys(v)))].sort();
const differing = ids.filter((id) => new Set(verdicts.map((v) => v[id] ?? 'absent')).size > 1);
for (const id of differing) {
  const counts = new Map<string, number>();
  for (const v of verdicts) counts.set(v[id] ?? 'absent', (counts.get(v[id] ?? 'absent') ?? 0) + 1);
  console.log(`${id}: ${[...counts].map(([s, n]) => `${s} ${n}x`).join(', ')}`);
}
console.log(`${runs} runs, ${ids.length} requirements, ${differing.length} with differing verdicts`);
process.exitCode = differing.length > 0 ? 1 : 0;
