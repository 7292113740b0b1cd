import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import type { Exchange, ScenarioResult, Step } from '../../simulators/index.ts';
import { runCli } from '../testing/run-cli.ts';

/**
 * `scimulator simulate <idp> full-lifecycle --json` against `scimulator serve --demo`: the transcript shows each
 * request the vendors document (Okta: SCIM 2.0 Protocol Reference; Microsoft: How Application Provisioning works,
 * the SCIM tutorial, Troubleshoot on-premises application provisioning; SailPoint: Prerequisites, Aggregation Settings).
 */

let serve: ChildProcess;
let ready: { scimUrl: string; token: string };

before(async () => {
  serve = spawn(process.execPath, [new URL('../bin.js', import.meta.url).pathname, 'serve', '--demo', '--port', '0', '--db', ':memory:'], {
    env: { ...process.env, SCIMULATOR_LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: serve.stdout! });
  ready = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('serve printed no ready line within 20 s')), 20_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line) as { scimUrl: string; token: string });
    });
    serve.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
});

after(() => {
  serve?.kill();
});

let seed = 11;

/** One run on a directory of its own (a new seed), so runs on the same server never meet. */
async function transcript(idp: string, ...extra: string[]): Promise<ScenarioResult> {
  const run = await runCli([
    'simulate',
    idp,
    'full-lifecycle',
    '--target',
    ready.scimUrl,
    '--token',
    ready.token,
    '--seed',
    String(seed++),
    '--json',
    ...extra,
  ]);
  assert.equal(run.code, 0, run.stderr || run.stdout.slice(0, 2000));
  const result = JSON.parse(run.stdout) as ScenarioResult;
  assert.ok(!run.stdout.includes(ready.token), 'the token leaked into the transcript');
  return result;
}

const query = (e: Exchange) => new URL(e.request.url).search;
const path = (e: Exchange) => new URL(e.request.url).pathname.replace(/^.*\/scim\/v2\/[^/]+/, '');
const listed = (e: Exchange | undefined) => ((e?.response?.body ?? {}) as { Resources?: Array<{ id: string; active?: boolean }> }).Resources ?? [];

test('okta: re-assigning a deactivated user finds it by the userName check; Push Groups looks the group up first', async () => {
  const r = await transcript('okta');
  const reassign = r.steps.at(-1)!;
  assert.equal(reassign.name, 'Assign');
  const check = reassign.exchanges[0]!;
  assert.match(query(check), /^\?filter=userName%20eq%20%22.+%22&startIndex=1&count=100$/);
  assert.deepEqual(
    listed(check).map((u) => u.active),
    [false],
    'the check returned the deactivated user',
  );
  assert.equal(reassign.observed.linked, true);
  assert.ok(!reassign.exchanges.some((e) => e.request.method === 'POST'));
  const push = r.steps.find((s) => s.name === 'Push Groups')!;
  assert.equal(path(push.exchanges[0]!), '/Groups');
  assert.match(query(push.exchanges[0]!), /^\?filter=displayName%20eq%20%22.+%22&startIndex=1&count=100$/);
  assert.equal(push.exchanges[1]!.request.method, 'POST');
});

test("entra: '+' in queries, the restore matched again while disabled, a userName rename, provisioning-log steps", async () => {
  const r = await transcript('entra');
  const queries = r.steps.flatMap((s) => s.exchanges).filter((e) => query(e).includes('filter='));
  assert.ok(queries.length > 5 && queries.every((e) => query(e).includes('+eq+') && !query(e).includes('%20')));
  // the user unassigned, then assigned again: Entra matches it again while it is still disabled
  const disabled = r.steps.find((s) => s.name === 'Disable' && s.message.includes('unassigned'))!;
  const restore = r.steps.find((s) => s.name === 'Update' && s.message.startsWith('Re-enabled') && s.observed.userId === disabled.observed.userId)!;
  assert.equal(restore.observed.userId, disabled.observed.userId);
  assert.deepEqual(
    listed(restore.exchanges[0]).map((u) => [u.id, u.active]),
    [[disabled.observed.userId, false]],
  );
  const rename = r.steps.find((s) => s.message.startsWith('Renamed'))!;
  assert.deepEqual((rename.exchanges.at(-1)!.request.body as { Operations: Array<{ op: string; path: string }> }).Operations[0], {
    op: 'Replace',
    path: 'userName',
    value: rename.observed.userName,
  });
  const logged = r.steps.filter((s: Step) => s.log);
  assert.deepEqual([...new Set(logged.map((s) => s.log!.action))].sort(), ['Create', 'Delete', 'Disable', 'Update']);
  for (const s of logged)
    assert.deepEqual(
      s.log!.steps.map((x) => x.name).filter((n) => n !== 'referenceResolution' && n !== 'matching'),
      ['import', 'scoping', 'processing', 'export'],
    );
  const percent = await transcript('entra', '--option', 'queryEncoding=percent');
  assert.match(query(percent.steps[0]!.exchanges[0]!), /^\?filter=userName%20eq%20%22/);
});

test('sailpoint: Test Connection reads the discovery sub-resources; the delta aggregation brings back the change', async () => {
  const r = await transcript('sailpoint', '--option', 'serverTimeZone=Europe/Paris');
  assert.deepEqual(r.steps[0]!.exchanges.map(path), [
    '/ServiceProviderConfig',
    '/ResourceTypes',
    '/Schemas',
    '/ResourceTypes/User',
    '/ResourceTypes/Group',
    '/Schemas/urn:ietf:params:scim:schemas:core:2.0:User',
    '/Users',
  ]);
  for (const e of r.steps[0]!.exchanges) assert.equal(e.response?.status, 200, e.request.url);
  const names = r.steps.map((s) => s.name);
  const agg = names.lastIndexOf('Account Aggregation');
  assert.deepEqual(names.slice(agg, agg + 3), ['Account Aggregation', 'Update Account', 'Delta Aggregation']);
  const changed = r.steps[agg + 1]!;
  const delta = r.steps[agg + 2]!;
  const filter = new URL(delta.exchanges[0]!.request.url).searchParams.get('filter') ?? '';
  assert.match(filter, /^meta\.lastModified gt "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0[12]:00"$/, 'the bound in Paris time');
  assert.ok(
    listed(delta.exchanges[0]).some((u) => u.id === changed.observed.userId),
    'the account changed after the aggregation',
  );
});

test('simulate <idp> --help is about that IdP only', async () => {
  for (const [idp, own, others] of [
    ['okta', /Automatic provisioning of user/, /entra \(|sailpoint \(/],
    ['entra', /log\.steps/, /okta \(|sailpoint \(/],
    ['sailpoint', /serverTimeZone/, /okta \(|entra \(/],
  ] as const) {
    const run = await runCli(['simulate', idp, '--help']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, new RegExp(`^Usage: scimulator simulate ${idp} <scenario>`));
    assert.match(run.stdout, own);
    assert.doesNotMatch(run.stdout, others);
  }
  const all = await runCli(['simulate', '--help']);
  assert.equal((all.stdout.match(/ scenarios:/g) ?? []).length, 3);
});
