/**
 * `npm run peer`: certifies a third-party SCIM service, SCIMMY (npm `scimmy` + `scimmy-routers`, with the small
 * in-memory store in scimmy-server.mjs), with the SCIM profiles, and prints every failed requirement with the quoted
 * sentence it rests on and the exchange that shows the failure. The verdicts are reviewed by hand in docs/peers.md:
 * each failure must be a violation of its quote. SCIMMY is installed into .tmp/peer, never into the project.
 *
 *   npm run peer                  # rfc, security, okta, entra, sailpoint -> reports/peer-scimmy/
 *   npm run peer -- --profile rfc # any certify options after --
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = new URL('../..', import.meta.url).pathname;
const DIR = join(ROOT, '.tmp', 'peer');
const PACKAGES = ['scimmy@1.3.5', 'scimmy-routers@1.3.2', 'express@5.1.0'];
const OUT = join(ROOT, 'reports', 'peer-scimmy');

function install(): void {
  mkdirSync(DIR, { recursive: true });
  const marker = join(DIR, 'installed.json');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === JSON.stringify(PACKAGES)) return;
  writeFileSync(join(DIR, 'package.json'), JSON.stringify({ name: 'scimulator-peer', private: true, type: 'module' }));
  const res = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...PACKAGES], { cwd: DIR, stdio: 'inherit' });
  if (res.status !== 0) throw new Error(`npm install ${PACKAGES.join(' ')} failed in ${DIR}`);
  writeFileSync(marker, JSON.stringify(PACKAGES));
}

async function startPeer(): Promise<{ ready: { scimUrl: string; token: string }; stop: () => void }> {
  copyFileSync(new URL('./scimmy-server.mjs', import.meta.url), join(DIR, 'scimmy-server.mjs'));
  const child = spawn(process.execPath, [join(DIR, 'scimmy-server.mjs')], { cwd: DIR, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('SCIMMY did not print its ready line within 20 s')), 20_000);
    createInterface({ input: child.stdout! }).once('line', (l) => {
      clearTimeout(timer);
      resolve(l);
    });
    child.once('exit', (code) => reject(new Error(`SCIMMY exited with ${code}`)));
  });
  return { ready: JSON.parse(line) as { scimUrl: string; token: string }, stop: () => child.kill('SIGTERM') };
}

interface CertRequirement {
  id: string;
  severity: string;
  status: string;
  source: string;
  quote?: string;
  reason?: string;
  evidence: Array<{
    message: string;
    request?: { method?: string; url?: string; body?: unknown };
    response?: { status?: number; body?: unknown } | null;
    by?: string;
  }>;
}

function printFailures(certFile: string): void {
  const cert = JSON.parse(readFileSync(certFile, 'utf8')) as { summary: Record<string, number>; requirements: CertRequirement[] };
  const failed = cert.requirements.filter((r) => r.status === 'failed');
  console.log(`\nSCIMMY: ${JSON.stringify(cert.summary)}\n`);
  for (const r of failed) {
    console.log(`FAILED ${r.id} (${r.severity}, ${r.source})`);
    if (r.quote) console.log(`  quote: "${r.quote}"`);
    console.log(`  reason: ${(r.reason ?? '').slice(0, 400)}`);
    for (const e of r.evidence.filter((x) => x.request).slice(-3)) {
      const body = JSON.stringify(e.response?.body ?? '').slice(0, 240);
      console.log(`  ${e.by ? `[${e.by}] ` : ''}${e.request!.method} ${e.request!.url} -> ${e.response?.status ?? '(no answer)'} ${body}`);
    }
    console.log('');
  }
  const na = cert.requirements.filter((r) => r.status === 'not_assessed');
  console.log(`${failed.length} failed, ${na.length} not assessed:`);
  for (const r of na) console.log(`  - ${r.id}: ${(r.reason ?? '').slice(0, 200)}`);
}

install();
const peer = await startPeer();
try {
  const extra = process.argv.slice(2);
  const profile = extra.includes('--profile') ? [] : ['--profile', 'rfc,security,okta,entra,sailpoint'];
  const res = spawnSync(process.execPath, [join(ROOT, 'cli/bin.js'), 'certify', '--target', peer.ready.scimUrl, '--out', OUT, ...profile, ...extra], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, SCIMULATOR_TOKEN: peer.ready.token },
  });
  console.log(`certify exited with ${res.status}`);
  printFailures(join(OUT, 'certificate.json'));
} finally {
  peer.stop();
}
