import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { buildApp } from '../../reference-server/src/app.ts';

const BIN = new URL('../bin.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'scimulator-accounts-'));
const db = join(dir, 'data.db');
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, 'accounts', ...args], { encoding: 'utf8', env: { ...process.env, SCIMULATOR_LOG_LEVEL: 'silent' } });

describe('scimulator accounts create', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('creates an account whose first Master Admin signs in with the printed password and starts with SSO unconfigured', async () => {
    const res = cli('create', '--db', db, '--name', 'Globex', '--admin-email', 'ops@globex.test', '--public-url', 'http://127.0.0.1:9000');
    assert.equal(res.status, 0, res.stderr);
    const out = JSON.parse(res.stdout) as { accountId: string; scimUrl: string; admin: { email: string; role: string; password: string } };
    assert.equal(out.admin.role, 'Master Admin');
    assert.equal(out.scimUrl, `http://127.0.0.1:9000/scim/v2/${out.accountId}`);

    const app = buildApp({ db, logLevel: 'silent' });
    try {
      const login = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'ops@globex.test', password: out.admin.password } });
      assert.equal(login.statusCode, 200);
      const cookie = String(login.headers['set-cookie']).split(';')[0]!;
      const account = await app.inject({ method: 'GET', url: '/api/v1/account', headers: { cookie } });
      assert.equal(account.json().name, 'Globex');
      assert.equal(account.json().ssoState, 'unconfigured');
    } finally {
      await app.close();
    }
  });

  it('refuses a second admin with the same email and bad input with exit 2 and a readable message', () => {
    const dup = cli('create', '--db', db, '--name', 'Other', '--admin-email', 'ops@globex.test');
    assert.equal(dup.status, 2);
    assert.match(dup.stderr, /already exists/);
    const bad = cli('create', '--db', db, '--name', 'X', '--admin-email', 'not-an-email');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--admin-email must be an email address/);
    assert.doesNotMatch(bad.stderr, /\n\s+at /, 'no stack trace');
  });
});
