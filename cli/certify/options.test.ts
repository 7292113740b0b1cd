import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { availableProfiles } from '../../catalog/index.ts';
import { CliError } from '../errors.ts';
import { parseCertifyArgs, type CertifyOptions } from './options.ts';

const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => parseCertifyArgs(argv, env) as CertifyOptions;
const refused = (argv: string[], pattern: RegExp, env: NodeJS.ProcessEnv = {}) =>
  assert.throws(
    () => parseCertifyArgs(argv, env),
    (err: unknown) => err instanceof CliError && err.exitCode === 2 && pattern.test(err.message),
  );

test('no --target certifies the embedded server with every available profile', () => {
  const o = parse([]);
  assert.equal(o.target, undefined);
  assert.deepEqual(o.profiles, availableProfiles());
  assert.ok(o.profiles.includes('rfc') && o.profiles.includes('security'));
  assert.equal(o.timeoutMs, 15000);
});

test('the token comes from --token, --token-file or SCIMULATOR_TOKEN', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scimulator-opts-'));
  writeFileSync(join(dir, 't'), 'from-file\n');
  assert.deepEqual(parse(['--target', 'http://x/scim/v2', '--token', 'abc']).target?.auth, { type: 'bearer', token: 'abc' });
  assert.deepEqual(parse(['--target', 'http://x/scim/v2', '--token-file', join(dir, 't')]).target?.auth, { type: 'bearer', token: 'from-file' });
  assert.deepEqual(parse(['--target', 'http://x/scim/v2'], { SCIMULATOR_TOKEN: 'env' }).target?.auth, { type: 'bearer', token: 'env' });
  refused(['--target', 'http://x/scim/v2'], /needs credentials/);
  refused(['--target', 'http://x', '--token-file', join(dir, 'missing')], /cannot read --token-file/);
});

test('basic and oauth2 client credentials', () => {
  assert.deepEqual(parse(['--target', 'http://x', '--auth', 'basic', '--username', 'u', '--token', 'p']).target?.auth, {
    type: 'basic',
    username: 'u',
    password: 'p',
  });
  refused(['--target', 'http://x', '--auth', 'basic', '--token', 'p'], /--username/);
  const o = parse(['--target', 'http://x', '--auth', 'oauth2-client-credentials', '--token-url', 'http://idp/token', '--client-id', 'c'], {
    SCIMULATOR_CLIENT_SECRET: 's',
  });
  assert.deepEqual(o.target?.auth, { type: 'oauth2-client-credentials', tokenUrl: 'http://idp/token', clientId: 'c', clientSecret: 's' });
  refused(['--target', 'http://x', '--auth', 'kerberos', '--token', 't'], /--auth must be/);
});

test('usage errors are one readable sentence', () => {
  refused(['--bogus'], /Unknown option/);
  refused(['--target', 'not a url', '--token', 't'], /is not a URL/);
  refused(['--target', 'ftp://x', '--token', 't'], /http:\/\/ or https:\/\//);
  refused(['--profile', 'rfc,nope'], /unknown: nope/);
  refused(['--only', 'RFC-NOPE-X'], /unknown requirement ids/);
  refused(['--profile', 'security', '--only', 'RFC-FILTER-EQ'], /outside the selected profiles/);
  refused(['--shard', '3/2'], /--shard must look like i\/n/);
  refused(['--timeout-ms', 'soon'], /--timeout-ms must be a number/);
  refused(['--token', 't'], /needs --target/);
  refused(['--target', 'http://x', '--token', 't', '--adapter', 'reference'], /--admin-url and --admin-api-key/);
  refused(['--target', 'http://x', '--token', 't', '--mailbox', '127.0.0.1:2525'], /belong to --adapter reference/);
  refused(['--target', 'http://x', '--token', 't', '--adapter', 'package.json', '--mailbox', '127.0.0.1:2525'], /belong to --adapter reference/);
});

test('--only selects the profiles of its ids; --config supplies flags the command line overrides', () => {
  assert.deepEqual(parse(['--only', 'SEC-AUTH-MISSING']).profiles, ['security']);
  const dir = mkdtempSync(join(tmpdir(), 'scimulator-config-'));
  writeFileSync(join(dir, 'tok'), 'cfg-token');
  writeFileSync(join(dir, 'c.json'), JSON.stringify({ target: 'http://x/scim/v2', tokenFile: 'tok', profile: ['security'], timeoutMs: 2000, readOnly: true }));
  const o = parse(['--config', join(dir, 'c.json'), '--timeout-ms', '3000']);
  assert.deepEqual(o.target?.auth, { type: 'bearer', token: 'cfg-token' });
  assert.deepEqual(o.profiles, ['security']);
  assert.equal(o.timeoutMs, 3000);
  assert.equal(o.readOnly, true);
  writeFileSync(join(dir, 'secret.json'), JSON.stringify({ target: 'http://x', token: 'nope' }));
  refused(['--config', join(dir, 'secret.json')], /secrets never go in config files/);
});
