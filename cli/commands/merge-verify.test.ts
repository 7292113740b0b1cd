import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RunResults, TestOutcome } from '../../harness/reporting/results.ts';
import type { RunContext } from '../certify/run.ts';
import { CliError } from '../errors.ts';
import { run as merge } from './merge-reports.ts';
import { run as verify } from './verify.ts';

const ONLY = ['RFC-FILTER-EQ', 'RFC-FILTER-NE', 'SEC-AUTH-MISSING'];

function shard(root: string, n: number, tests: TestOutcome[], config: Partial<RunContext['config']> = {}): string {
  const dir = join(root, `shard-${n}`);
  mkdirSync(dir, { recursive: true });
  const ctx: RunContext = {
    scimUrl: 'http://127.0.0.1:1/scim/v2/acct',
    serviceProviderConfig: { schemas: [] },
    config: { profiles: ['rfc', 'security'], only: ONLY, waivers: [], readOnly: false, seed: 1, ...config },
    startedAt: `2026-01-01T00:00:0${n}.000Z`,
    shard: { current: n, total: 2 },
  };
  const results: RunResults = { startedAt: ctx.startedAt, durationMs: 1000 * n, status: 'passed', shard: ctx.shard, tests };
  writeFileSync(join(dir, 'run.json'), JSON.stringify(ctx));
  writeFileSync(join(dir, 'results.json'), JSON.stringify(results));
  return dir;
}

const outcome = (id: string, status: TestOutcome['status']): TestOutcome => ({
  testId: id,
  title: `checks ${id}`,
  project: id.startsWith('SEC') ? 'security' : 'rfc',
  file: 'x.spec.ts',
  status,
  requirements: [id],
  errors: status === 'failed' ? ['Error: expected 200, got 500'] : [],
  evidence: [],
  verdicts:
    status === 'failed' || status === 'passed'
      ? [
          {
            id,
            status,
            ...(status === 'failed' ? { message: 'expected 200, got 500' } : {}),
            exchanges: status === 'failed' ? [{ request: { method: 'GET', url: 'http://127.0.0.1:1/scim/v2/acct/Users' }, response: { status: 500 } }] : [],
          },
        ]
      : [],
  durationMs: 5,
});

async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const [out, err] = [process.stdout.write, process.stderr.write];
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    return await fn();
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

test('merge-reports joins shards into one signed certificate that verify accepts, and catches tampering', async () => {
  const root = mkdtempSync(join(tmpdir(), 'scimulator-merge-'));
  const a = shard(root, 1, [outcome('RFC-FILTER-EQ', 'passed'), outcome('SEC-AUTH-MISSING', 'passed')]);
  const b = shard(root, 2, [outcome('RFC-FILTER-NE', 'failed')]);
  const out = join(root, 'merged');
  const key = join(root, 'key.pem');
  assert.equal(await quietly(() => merge([a, b, '--out', out, '--signing-key', key])), 1, 'a MUST failed');
  const cert = JSON.parse(readFileSync(join(out, 'certificate.json'), 'utf8'));
  assert.deepEqual(cert.summary, { passed: 2, failed: 1, notAssessed: 0, waived: 0, mustFailed: 1 });
  assert.equal(cert.startedAt, '2026-01-01T00:00:01.000Z');
  assert.equal(cert.requirements.find((r: { id: string }) => r.id === 'RFC-FILTER-NE').evidence[0].response.status, 500);
  assert.match(readFileSync(join(out, 'certificate.md'), 'utf8'), /RFC-FILTER-NE/);

  assert.equal(await quietly(() => verify([join(out, 'certificate.json')])), 0);
  cert.requirements[1].status = 'passed';
  writeFileSync(join(root, 'tampered.json'), JSON.stringify(cert));
  assert.equal(await quietly(() => verify([join(root, 'tampered.json')])), 1);
  writeFileSync(
    join(root, 'other.pem'),
    '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n',
  );
  assert.equal(await quietly(() => verify([join(out, 'certificate.json'), '--public-key', join(root, 'other.pem')])), 1, 'signed with another key');
});

test('merge-reports refuses shards of different runs', async () => {
  const root = mkdtempSync(join(tmpdir(), 'scimulator-merge-'));
  const a = shard(root, 1, [outcome('RFC-FILTER-EQ', 'passed')]);
  const b = shard(root, 2, [outcome('RFC-FILTER-NE', 'passed')], { seed: 2 });
  await assert.rejects(
    quietly(() => merge([a, b, '--out', join(root, 'm')])),
    (err: unknown) => err instanceof CliError && /another target or selection/.test(err.message),
  );
  await assert.rejects(
    quietly(() => merge([root, '--out', join(root, 'm')])),
    (err: unknown) => err instanceof CliError && /not a certify report directory/.test(err.message),
  );
});
