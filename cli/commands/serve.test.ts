import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BIN, serve } from '../../reference-server/test/serve-process.ts';
import { CliError } from '../errors.ts';
import { parseServeArgs } from './serve.ts';

const listUsers = (scimUrl: string, token: string) => fetch(`${scimUrl}/Users?count=100`, { headers: { authorization: `Bearer ${token}` } });

test('serve --demo twice on one database: a ready line each time, users kept, new token works, old token refused', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'scimulator-demo-'));
  const db = join(dir, 'nested', 'data.db');
  try {
    const first = await serve(['--db', db, '--demo', '--port', '0']);
    const r1 = first.ready;
    assert.equal(r1.event, 'ready');
    assert.match(r1.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(r1.scimUrl, `${r1.url}/scim/v2/${r1.accountId}`);
    assert.match(r1.token!, /^scim_/);
    const health = await fetch(`${r1.url}/healthz`);
    assert.deepEqual(await health.json(), { status: 'ok' });
    const before = (await (await listUsers(r1.scimUrl!, r1.token!)).json()) as { totalResults: number };
    assert.ok(before.totalResults >= 6);
    const created = await fetch(`${r1.scimUrl}/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${r1.token}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'kept@x.test' }),
    });
    assert.equal(created.status, 201);
    const groups = (await (await fetch(`${r1.scimUrl}/Groups`, { headers: { authorization: `Bearer ${r1.token}` } })).json()) as {
      Resources: { displayName: string }[];
    };
    assert.deepEqual(groups.Resources.map((g) => g.displayName).sort(), ['AMER', 'APAC', 'EMEA']);
    first.child.kill('SIGINT');
    assert.equal(await first.exited, 0);
    assert.deepEqual(first.extraStdout, [], 'nothing but the ready line on stdout');

    const second = await serve(['--db', db, '--demo', '--port', '0']);
    try {
      const r2 = second.ready;
      assert.equal(r2.accountId, r1.accountId, 'the demo account is reused');
      assert.notEqual(r2.token, r1.token);
      const res = await listUsers(r2.scimUrl!, r2.token!);
      assert.equal(res.status, 200);
      const after = (await res.json()) as { totalResults: number; Resources: { userName: string }[] };
      assert.equal(after.totalResults, before.totalResults + 1);
      assert.ok(after.Resources.some((u) => u.userName === 'kept@x.test'));
      const old = await listUsers(r2.scimUrl!, r1.token!);
      assert.equal(old.status, 401);
    } finally {
      second.child.kill('SIGTERM');
      assert.equal(await second.exited, 0);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('serve without --demo prints only event and url', { timeout: 30_000 }, async () => {
  const s = await serve(['--db', ':memory:', '--port', '0']);
  try {
    assert.deepEqual(Object.keys(s.ready), ['event', 'url']);
  } finally {
    s.child.kill('SIGTERM');
    await s.exited;
  }
});

test('argument checks: bad port, bad smtp, unknown flag, defects need SCIMULATOR_ALLOW_DEFECTS=1', () => {
  assert.throws(() => parseServeArgs(['--port', 'http']), CliError);
  assert.throws(() => parseServeArgs(['--port', '70000']), CliError);
  assert.throws(() => parseServeArgs(['--smtp', 'localhost']), CliError);
  assert.throws(() => parseServeArgs(['--bogus']), CliError);
  assert.throws(() => parseServeArgs(['--public-url', 'not a url']), CliError);
  assert.throws(() => parseServeArgs(['--scim-rate-limit', '0']), /--scim-rate-limit/);
  assert.throws(() => parseServeArgs(['--scim-rate-limit', 'many']), /--scim-rate-limit/);
  assert.equal(parseServeArgs(['--scim-rate-limit', '600'])['scim-rate-limit'], 600);
  assert.equal(parseServeArgs([])['scim-rate-limit'], undefined, 'off unless given');
  assert.throws(() => parseServeArgs([], { SCIMULATOR_LOG_LEVEL: 'verbose' }), /^CliError: SCIMULATOR_LOG_LEVEL/);
  assert.throws(() => parseServeArgs(['--defect', 'create-returns-200'], {}), /SCIMULATOR_ALLOW_DEFECTS=1/);
  assert.throws(() => parseServeArgs(['--defect', 'nope'], { SCIMULATOR_ALLOW_DEFECTS: '1' }), /unknown defect/);
  const ok = parseServeArgs(['--port', '0', '--smtp', 'mail.test:2525', '--defect', 'create-returns-200'], { SCIMULATOR_ALLOW_DEFECTS: '1' });
  assert.deepEqual({ port: ok.port, smtp: ok.smtp, defect: ok.defect }, { port: 0, smtp: { host: 'mail.test', port: 2525 }, defect: ['create-returns-200'] });
});

test('--list-defects prints every defect with its description; usage errors exit 2 with one paragraph', () => {
  const list = spawnSync(process.execPath, [BIN, 'serve', '--list-defects'], { encoding: 'utf8' });
  assert.equal(list.status, 0);
  assert.match(list.stdout, /^create-returns-200\s+POST/m);
  const bad = spawnSync(process.execPath, [BIN, 'serve', '--defect', 'create-returns-200'], {
    encoding: 'utf8',
    env: { ...process.env, SCIMULATOR_ALLOW_DEFECTS: '' },
  });
  assert.equal(bad.status, 2);
  assert.equal(bad.stdout, '');
  assert.doesNotMatch(bad.stderr, /\n\s+at /, 'no stack trace');
  const dir = mkdtempSync(join(tmpdir(), 'scimulator-notdb-'));
  try {
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'this is not a SQLite database, just text that is long enough to have a header. '.repeat(20));
    const notSqlite = spawnSync(process.execPath, [BIN, 'serve', '--db', junk, '--port', '0'], { encoding: 'utf8' });
    assert.equal(notSqlite.status, 2);
    assert.match(notSqlite.stderr, /cannot open the database/);
    assert.doesNotMatch(notSqlite.stderr, /\n\s+at /, 'no stack trace');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
