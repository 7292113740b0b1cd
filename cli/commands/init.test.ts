import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CliError } from '../errors.ts';
import { expandConfig } from '../certify/config-file.ts';
import { run } from './init.ts';

test('init writes an adapter explaining every capability and a config certify reads', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'scimulator-init-')), 'app');
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    assert.equal(await run([dir]), 0);
    await assert.rejects(run([dir]), (err: unknown) => err instanceof CliError && /already exist/.test(err.message));
    assert.equal(await run([dir, '--force']), 0);
  } finally {
    process.stdout.write = write;
  }
  const adapter = readFileSync(join(dir, 'scimulator.adapter.ts'), 'utf8');
  for (const capability of [
    'issueToken',
    'revokeToken',
    'setSso',
    'userStatus',
    'userRegions',
    'mailbox',
    'ssoIdp',
    'signIn',
    'manualChangeWarning',
    'freshTenant',
  ]) {
    assert.match(adapter, new RegExp(`// ${capability}[(:]`), `${capability} is explained`);
  }
  assert.ok(existsSync(join(dir, 'scimulator.config.json')));
  const argv = expandConfig(['--config', join(dir, 'scimulator.config.json')]);
  assert.deepEqual(argv.slice(0, 2), ['--target', 'https://app.example.com/scim/v2']);
  assert.ok(argv.includes(join(dir, 'scimulator.adapter.ts')), 'relative paths resolve against the config file');
});
