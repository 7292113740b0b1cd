import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { removeRunTenants, runTenantPrefix } from '../../harness/adapters/reference-operator.ts';
import { startEmbeddedServer, type EmbeddedServer } from '../../harness/embedded-server.ts';
import { runCli } from '../testing/run-cli.ts';

// A certify interrupted with Ctrl+C against a running `serve --demo` removes the fresh tenants it made there
// (docs/contracts.md: exit 3 "after cleaning up what it created").

let server: EmbeddedServer;
let key: string;

before(async () => {
  server = await startEmbeddedServer({ env: { SCIMULATOR_LOG_LEVEL: 'silent' } });
  key = server.ready.adminApiKey!;
});
after(() => server.stop());

async function accounts(adminApiKey = key): Promise<Array<{ id: string; name: string }>> {
  const res = await fetch(`${server.ready.url}/api/v1/accounts`, { headers: { authorization: `Bearer ${adminApiKey}` }, signal: AbortSignal.timeout(10_000) });
  assert.equal(res.status, 200);
  return ((await res.json()) as { accounts: Array<{ id: string; name: string }> }).accounts;
}

async function createAccount(name: string): Promise<string> {
  const res = await fetch(`${server.ready.url}/api/v1/accounts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  assert.equal(res.status, 201);
  return ((await res.json()) as { accountId: string }).accountId;
}

test('removeRunTenants deletes exactly the tenants named after its run, and never throws', async () => {
  const adminApiUrl = `${server.ready.url}/api/v1`;
  const mine = [await createAccount(`${runTenantPrefix('sweep1')}1-aaaaaa`), await createAccount(`${runTenantPrefix('sweep1')}2-bbbbbb`)];
  const others = [await createAccount(`${runTenantPrefix('sweep12')}1-cccccc`), await createAccount('Harness tenant SWEEP1-1-dddddd')];
  assert.equal(await removeRunTenants(adminApiUrl, key, 'sweep1', 5_000), 2);
  const left = (await accounts()).map((a) => a.id);
  assert.deepEqual(
    left.filter((id) => mine.includes(id)),
    [],
  );
  assert.deepEqual(
    left.filter((id) => others.includes(id)),
    others,
  );
  assert.equal(await removeRunTenants(adminApiUrl, key, 'sweep1', 5_000), 0, 'a second sweep finds nothing');

  // a key that may not list, a server that is not there: 0, no exception
  assert.equal(await removeRunTenants(adminApiUrl, 'not-a-key-123456', 'sweep12', 5_000), 0);
  assert.equal(await removeRunTenants('http://127.0.0.1:9/api/v1', key, 'sweep12', 2_000), 0);
  for (const id of others)
    assert.equal((await fetch(`${adminApiUrl}/accounts/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${key}` } })).status, 204);
  assert.deepEqual(
    (await accounts()).map((a) => a.id),
    [server.ready.accountId],
  );
});

/** The process group Playwright runs in: certify spawns it detached, so it leads its own group (cli/certify/run.ts). */
function playwrightGroupOf(certifyPid: number): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    // pid (comm) state ppid pgrp ...: comm may hold spaces, so read after its closing parenthesis
    const [, ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(ppid) === certifyPid && Number(pgrp) === Number(entry)) return Number(entry);
  }
  return undefined;
}

/**
 * certify --profile lifecycle against the running server; once a fresh tenant exists (polled, bounded), SIGINT as
 * Ctrl+C would, and with `killWorkers` the Playwright group is SIGKILLed right after, so no worker's dispose() runs.
 */
async function interruptedRun(t: TestContext, killWorkers: boolean): Promise<void> {
  const { ready } = server;
  assert.deepEqual(
    (await accounts()).map((a) => a.id),
    [ready.accountId],
    'the server starts with its demo account only',
  );
  const out = mkdtempSync(join(tmpdir(), 'scimulator-interrupt-'));
  let child: ChildProcess | undefined;
  const running = runCli(
    ['certify', '--target', ready.scimUrl, '--adapter', 'reference', '--admin-url', ready.url, '--admin-api-key', key, '--profile', 'lifecycle', '--out', out],
    {
      env: { SCIMULATOR_TOKEN: ready.token },
      onSpawn: (c) => (child = c),
      killAfterMs: 300_000,
    },
  );
  let finished = false;
  void running.then(() => (finished = true));

  const deadline = Date.now() + 240_000;
  let tenantSeen = false;
  while (!finished && Date.now() < deadline) {
    if ((await accounts()).some((a) => a.name.startsWith('Harness tenant '))) {
      tenantSeen = true;
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(tenantSeen, `the run made no fresh tenant within the bound (finished: ${finished})`);
  const group = killWorkers ? playwrightGroupOf(child!.pid!) : undefined;
  if (killWorkers) assert.ok(group, 'the Playwright process group of the run was found');
  const signalled = !finished && child!.kill('SIGINT');
  if (signalled && group) process.kill(-group, 'SIGKILL');
  const run = await running;

  // the lifecycle profile provisions a tenant for each of its ~30 checks, so the signal lands mid-run; should the
  // run still have ended first, the tenants it made must be gone all the same
  if (signalled) {
    assert.equal(run.code, 3, run.stderr.slice(-3000));
    assert.match(run.stderr, /SIGINT received, stopping the checks/);
    const line = /certify: interrupted; removed \d+ leftover resource\(s\) and (\d+) fresh tenant\(s\) of this run\n/.exec(run.stderr);
    assert.ok(line, run.stderr.slice(-3000));
    // with the workers killed, nobody but this sweep removed the tenant that was there
    if (killWorkers) assert.ok(Number(line[1]) >= 1, line[0]);
    t.diagnostic(`${line[0].trim()} (after ${run.ms} ms)`);
  } else {
    t.diagnostic('the run ended before the signal: checked only that its tenants are gone');
  }
  assert.deepEqual(
    (await accounts()).map((a) => a.id),
    [ready.accountId],
    'every fresh tenant of the run is gone',
  );
}

test('certify --profile lifecycle against serve --demo, SIGINT once a fresh tenant exists: exit 3 and only the demo account is left', (t) =>
  interruptedRun(t, false));

test("the same with the Playwright workers killed before any dispose(): certify itself removes the run's tenants", (t) => interruptedRun(t, true));
