/**
 * `npm run bench` (bench/README.md): the reference server (`scimulator serve`, a child process on a temporary
 * SQLite file) and a bare Fastify server (bench/bare-server.ts), both on 127.0.0.1, driven through real sockets by
 * one undici client at a fixed concurrency with bounded request counts. Prints one table: ops/s, latency
 * percentiles, server CPU per op (from /proc/<pid>/stat), RSS, and each workload's share of bare Fastify's ops/s
 * measured in the same run.
 *
 *   npm run bench -- [--users 5000] [--concurrency 16] [--bare 20000] [--cpu-prof DIR] [--log-level info]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Driver, type RunResult } from './driver.ts';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '16' },
    bare: { type: 'string', default: '20000' },
    'cpu-prof': { type: 'string' },
    'log-level': { type: 'string', default: 'info' },
  },
});
const USERS = Number(values.users);
const CONCURRENCY = Number(values.concurrency);
const BARE_OPS = Number(values.bare);
if (![USERS, CONCURRENCY, BARE_OPS].every((n) => Number.isInteger(n) && n > 0) || USERS < 200) {
  process.stderr.write('usage: npm run bench -- [--users N>=200] [--concurrency N] [--bare N] [--cpu-prof DIR] [--log-level LEVEL]\n');
  process.exit(2);
}

const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const BIN = fileURLToPath(new URL('../cli/bin.js', import.meta.url));
const BARE = fileURLToPath(new URL('./bare-server.ts', import.meta.url));

/** Starts a node child and resolves with its first stdout line parsed as JSON. */
function start(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; ready: Record<string, unknown> }> {
  const prof = values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] : [];
  const child = spawn(process.execPath, [...prof, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code} before its ready line`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve({ child, ready: JSON.parse(line) as Record<string, unknown> }));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

const dir = mkdtempSync(join(tmpdir(), 'scimulator-bench-run-'));
const children: ChildProcess[] = [];
const results: RunResult[] = [];
try {
  const bare = await start(['--import', 'tsx', BARE]);
  children.push(bare.child);
  const server = await start([BIN, 'serve', '--db', join(dir, 'bench.db'), '--demo', '--port', '0'], { SCIMULATOR_LOG_LEVEL: values['log-level'] });
  children.push(server.child);

  const bareDriver = new Driver(`http://127.0.0.1:${bare.ready.port}`, {}, CONCURRENCY);
  const scimUrl = new URL(String(server.ready.scimUrl));
  const base = scimUrl.pathname;
  const scim = new Driver(scimUrl.origin, { authorization: `Bearer ${String(server.ready.token)}` }, CONCURRENCY);
  const pid = server.child.pid!;

  // Warm both up (JIT, sockets) before anything is timed.
  await bareDriver.run('warm-up', bare.child.pid!, 2000, () => ({ method: 'GET', path: '/bare', expect: 200 }));
  await scim.run('warm-up', pid, 500, (i) => ({ method: 'GET', path: `${base}/Users?filter=${encodeURIComponent(`userName eq "warm${i}"`)}`, expect: 200 }));

  results.push(await bareDriver.run('bare Fastify GET', bare.child.pid!, BARE_OPS, () => ({ method: 'GET', path: '/bare', expect: 200 })));

  const ids: string[] = new Array(USERS);
  const posted = await scim.run('POST /Users', pid, USERS, (i) => ({
    method: 'POST',
    path: `${base}/Users`,
    body: {
      schemas: [USER_SCHEMA],
      userName: `user${i}@bench.test`,
      displayName: `User ${i}`,
      active: true,
      emails: [{ value: `user${i}@bench.test`, type: 'work', primary: true }],
    },
    expect: 201,
  }));
  results.push(posted);
  // The ids, in userName order (the POST answers are not kept by the driver): one listing, untimed.
  for (let start = 1; start <= USERS + 1000; start += 1000) {
    const page = (await scim.send({ method: 'GET', path: `${base}/Users?attributes=userName&startIndex=${start}&count=1000`, expect: 200 })) as {
      Resources: { id: string; userName: string }[];
    };
    for (const u of page.Resources) {
      const n = /^user(\d+)@bench\.test$/.exec(u.userName);
      if (n) ids[Number(n[1])] = u.id;
    }
  }

  const pick = (i: number) => (i * 7919) % USERS;
  results.push(
    await scim.run('GET /Users?filter=userName eq', pid, USERS, (i) => ({
      method: 'GET',
      path: `${base}/Users?filter=${encodeURIComponent(`userName eq "user${pick(i)}@bench.test"`)}`,
      expect: 200,
    })),
  );
  results.push(
    await scim.run('GET /Users page of 100', pid, Math.max(200, USERS / 10), (i) => ({
      method: 'GET',
      path: `${base}/Users?startIndex=${1 + ((i * 100) % (USERS - 100))}&count=100`,
      expect: 200,
    })),
  );
  results.push(
    await scim.run('PATCH /Users active=false', pid, USERS, (i) => ({
      method: 'PATCH',
      path: `${base}/Users/${ids[pick(i)]}`,
      body: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] },
      expect: 200,
    })),
  );

  // One group holding every user; then each DELETE removes a member of it (and so changes the group too).
  await scim.send({
    method: 'POST',
    path: `${base}/Groups`,
    body: { schemas: [GROUP_SCHEMA], displayName: 'Everyone', members: ids.map((value) => ({ value })) },
    expect: 201,
  });
  const deletes = Math.floor(USERS / 2);
  results.push(
    await scim.run(`DELETE /Users/{id} (member of a ${USERS} group)`, pid, deletes, (i) => ({
      method: 'DELETE',
      path: `${base}/Users/${ids[i]}`,
      expect: 204,
    })),
  );

  // A Bulk request of 60 chained creates (each group holds the previous one): one shared commit per request.
  const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
  results.push(
    await scim.run('POST /Bulk (chain of 60 group creates)', pid, 32, (n) => ({
      method: 'POST',
      path: `${base}/Bulk`,
      body: {
        schemas: [BULK],
        Operations: Array.from({ length: 60 }, (_, i) => ({
          method: 'POST',
          path: '/Groups',
          bulkId: `g${i}`,
          data: { schemas: [GROUP_SCHEMA], displayName: `Bulk ${n}-${i}`, members: i > 0 ? [{ value: `bulkId:g${i - 1}` }] : [] },
        })),
      },
      expect: 200,
    })),
  );

  await Promise.all([bareDriver.close(), scim.close()]);
} finally {
  await Promise.all(children.map(stop));
  rmSync(dir, { recursive: true, force: true });
}

const bareOps = results[0]!.opsPerS;
const header = ['workload', 'ops', 'ops/s', 'p50 ms', 'p95 ms', 'p99 ms', 'CPU ms/op', 'RSS MB', 'of bare'];
const rows = results.map((r) => [
  r.name,
  String(r.ops),
  r.opsPerS.toFixed(0),
  r.p50.toFixed(2),
  r.p95.toFixed(2),
  r.p99.toFixed(2),
  r.cpuMsPerOp.toFixed(3),
  r.rssMb.toFixed(0),
  `${((100 * r.opsPerS) / bareOps).toFixed(1)} %`,
]);
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[0]!) : c.padStart(widths[i]!))).join('  ');
process.stdout.write(`concurrency ${CONCURRENCY}, ${USERS} users, log level ${values['log-level']}\n${line(header)}\n${rows.map(line).join('\n')}\n`);
