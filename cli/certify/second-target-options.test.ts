import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { targetSchema, targetSecrets } from '../../harness/target.ts';
import { CliError } from '../errors.ts';
import { parseCertifyArgs, type CertifyOptions } from './options.ts';

const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => parseCertifyArgs(argv, env) as CertifyOptions;
const A = ['--target', 'http://127.0.0.1:9/scim/v2/a', '--token', 'token-a'];

test('the second tenant comes from flags, a token file, the environment or --config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scimulator-second-'));
  writeFileSync(join(dir, 'b.token'), 'token-b-file\n');
  assert.deepEqual(parse([...A, '--second-target', 'http://127.0.0.1:9/scim/v2/b/', '--second-token', 'token-b']).secondTarget, {
    scimUrl: 'http://127.0.0.1:9/scim/v2/b',
    token: 'token-b',
  });
  assert.equal(
    parse([...A, '--second-target', 'http://127.0.0.1:9/scim/v2/b', '--second-token-file', join(dir, 'b.token')]).secondTarget?.token,
    'token-b-file',
  );
  assert.equal(parse([...A, '--second-target', 'http://127.0.0.1:9/scim/v2/b'], { SCIMULATOR_SECOND_TOKEN: 'token-b-env' }).secondTarget?.token, 'token-b-env');
  assert.equal(parse(A).secondTarget, undefined);

  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({ target: 'http://127.0.0.1:9/scim/v2/a', secondTarget: 'http://127.0.0.1:9/scim/v2/b', secondTokenFile: 'b.token' }),
  );
  assert.deepEqual(parse(['--config', join(dir, 'config.json'), '--token', 'token-a']).secondTarget, {
    scimUrl: 'http://127.0.0.1:9/scim/v2/b',
    token: 'token-b-file',
  });
  writeFileSync(join(dir, 'secret.json'), JSON.stringify({ secondToken: 'token-b' }));
  assert.throws(
    () => parse(['--config', join(dir, 'secret.json')]),
    (e: unknown) => e instanceof CliError && /holds 'secondToken': secrets never go in config files/.test(e.message),
  );
});

test("the second tenant's token travels to the workers and is masked like the first", () => {
  const target = targetSchema.parse({
    scimUrl: 'http://127.0.0.1:9/scim/v2/a',
    auth: { type: 'bearer', token: 'token-a' },
    runId: 'abcd1234',
    secondTarget: { scimUrl: 'http://127.0.0.1:9/scim/v2/b', token: 'token-b' },
  });
  assert.deepEqual(targetSecrets(target).sort(), ['token-a', 'token-b']);
  assert.equal(targetSchema.safeParse({ ...target, secondTarget: { scimUrl: 'not a url', token: 'x' } }).success, false);
});
