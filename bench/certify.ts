/**
 * `npm run bench:certify -- [--profiles rfc,okta,entra,sailpoint]`: the harness's own speed. Runs
 * `scimulator certify --profile X --out <tmp>` against the embedded reference server once per profile, one after
 * another (never two at once on a shared machine), and prints wall seconds and the requirement counts of each
 * run's certificate.json (requirements covered = passed + failed + waived; not assessed is listed apart).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { certificateSchema } from '../cli/certify/certificate.ts';

const { values } = parseArgs({ options: { profiles: { type: 'string', default: 'rfc,okta,entra,sailpoint' } } });
const BIN = fileURLToPath(new URL('../cli/bin.js', import.meta.url));

interface Row {
  profile: string;
  seconds: number;
  exit: number | null;
  requirements: number;
  covered: number;
  passed: number;
  failed: number;
  notAssessed: number;
}

const rows: Row[] = [];
for (const profile of values.profiles
  .split(',')
  .map((p) => p.trim())
  .filter(Boolean)) {
  const out = mkdtempSync(join(tmpdir(), `scimulator-bench-certify-${profile}-`));
  try {
    process.stderr.write(`certify --profile ${profile}...\n`);
    const started = performance.now();
    const exit = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'certify', '--profile', profile, '--out', out], { stdio: ['ignore', 'ignore', 'inherit'] });
      child.once('exit', (code) => resolve(code));
    });
    const seconds = (performance.now() - started) / 1000;
    const cert = certificateSchema.parse(JSON.parse(readFileSync(join(out, 'certificate.json'), 'utf8')));
    const s = cert.summary;
    rows.push({
      profile,
      seconds,
      exit,
      requirements: cert.requirements.length,
      covered: s.passed + s.failed + s.waived,
      passed: s.passed,
      failed: s.failed,
      notAssessed: s.notAssessed,
    });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const head = ['profile', 'wall s', 'exit', 'requirements', 'covered', 'passed', 'failed', 'not assessed'];
const body = rows.map((r) => [r.profile, r.seconds.toFixed(1), String(r.exit), ...[r.requirements, r.covered, r.passed, r.failed, r.notAssessed].map(String)]);
const w = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(w[0]!) : c.padStart(w[i]!))).join('  ');
process.stdout.write(`${fmt(head)}\n${body.map(fmt).join('\n')}\n`);
