/**
 * `npm run reliability`: one table of the hardening figures (docs/hardening.md), every count expected to be 0.
 * Loopback only, a few minutes at most. SCIMULATOR_FUZZ_RUNS (default 10000) and SCIMULATOR_FUZZ_SEED pick the
 * fuzzing; --skip-certify and --skip-durability leave out the two slowest probes. Exit code 1 when a count is not 0.
 */
import { crossTenantReads, durability, fuzz, secretsInReports, slowConnections } from './reliability-lib.ts';

const args = new Set(process.argv.slice(2));
const runs = Number(process.env.SCIMULATOR_FUZZ_RUNS) || 10_000;
const seed = Number(process.env.SCIMULATOR_FUZZ_SEED) || Date.now() % 1_000_000;
const started = Date.now();
const rows: [string, string, boolean][] = [];
const notes: string[] = [];
const row = (name: string, value: number | string, ok: boolean) => rows.push([name, String(value), ok]);
const step = (what: string) => process.stderr.write(`reliability: ${what} (${Math.round((Date.now() - started) / 1000)} s)\n`);

step(`fuzzing ${runs} cases, seed ${seed}`);
const f = await fuzz(runs, seed);
row('cases fuzzed', f.cases, f.cases === runs);
row('5xx answers (but /Me 501)', f.serverErrors, f.serverErrors === 0);
row('non-SCIM error bodies', f.nonScimErrors, f.nonScimErrors === 0);
row('refused requests that changed data', f.changedOnReject, f.changedOnReject === 0);
row('accepted writes not round-tripping', f.roundTripFailures, f.roundTripFailures === 0);
notes.push(...f.examples.map((e) => `fuzz: ${e}`));

step('slow-body and slow-header connections');
const s = await slowConnections();
row(`hung connections (of ${s.probes} slow ones, requestTimeout ${s.requestTimeoutMs / 1000} s)`, s.hung, s.hung === 0);
row('other requests served meanwhile', s.servedMeanwhile ? 'yes' : 'no', s.servedMeanwhile);
notes.push(`slow connections closed after at most ${(s.longestMs / 1000).toFixed(1)} s`);

step('cross-tenant probes');
const t = await crossTenantReads();
row(`cross-tenant reads (${t.probes} probes, two accounts)`, t.leaks, t.leaks === 0);
notes.push(...t.examples.map((e) => `tenant: ${e}`));

if (!args.has('--skip-certify')) {
  step('certify --profile security against serve --demo, then searching the reports');
  const r = await secretsInReports();
  row(`secrets found in reports (${r.files} files, ${Math.round(r.bytes / 1024)} KiB)`, r.found, r.found === 0 && r.files > 0);
  notes.push(`certify --profile security exited ${r.certifyExit}`, ...r.examples.map((e) => `reports: ${e}`));
}
if (!args.has('--skip-durability')) {
  step('kill -9 durability');
  const d = await durability();
  row(`acknowledged writes lost after kill -9${d.acknowledged ? ` (of ${d.acknowledged})` : ''}`, d.lost ?? 'test failed', d.ok && d.lost === 0);
}
row('peak RSS of this process (server in process), MiB', Math.round(process.resourceUsage().maxRSS / 1024), true);

const width = Math.max(...rows.map(([n]) => n.length));
const out = [
  `${'figure'.padEnd(width)}  value`,
  `${'-'.repeat(width)}  -----`,
  ...rows.map(([n, v, ok]) => `${n.padEnd(width)}  ${v}${ok ? '' : '   <- FAIL'}`),
];
process.stdout.write(`${out.join('\n')}\n\n${notes.map((n) => `  ${n}`).join('\n')}\n  took ${Math.round((Date.now() - started) / 1000)} s\n`);
process.exitCode = rows.every(([, , ok]) => ok) ? 0 : 1;
