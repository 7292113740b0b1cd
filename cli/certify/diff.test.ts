import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeCertificate } from '../testing/certificates.ts';
import { runCli } from '../testing/run-cli.ts';
import { diffCertificates } from './diff.ts';

const before = makeCertificate({
  'OKTA-ASSIGN-CREATE': 'passed',
  'OKTA-CONNECT-LIST': 'failed',
  'OKTA-PUT-KEEPS-ACTIVE': 'passed',
  'OKTA-CONTENT-JSON': 'not_assessed',
  'OKTA-UPDATE-PUT': 'waived',
  'OKTA-LIST-NUMBERS': 'passed',
  'OKTA-ASSIGN-LINK': 'failed',
});
const after = makeCertificate({
  'OKTA-CONTENT-JSON': 'failed', // MAY, not assessed before: a new failure, not a regression
  'OKTA-PUT-KEEPS-ACTIVE': 'failed', // SHOULD regression
  'OKTA-ASSIGN-CREATE': 'failed', // MUST regression
  'OKTA-CONNECT-LIST': 'passed', // fixed
  'OKTA-UPDATE-PUT': 'passed', // waived -> passed: other
  'OKTA-LIST-NUMBERS': 'not_assessed', // other
  'OKTA-ASSIGN-LINK': 'failed', // unchanged: not listed
  'OKTA-USER-STILL-EXISTS': 'passed', // absent before: other
});

test('diff groups new failures, fixed and other changes, MUST first, and counts only passed -> failed as regressions', () => {
  const d = diffCertificates(before, after);
  assert.deepEqual(
    d.newFailures.map((c) => c.id),
    ['OKTA-ASSIGN-CREATE', 'OKTA-PUT-KEEPS-ACTIVE', 'OKTA-CONTENT-JSON'],
  );
  assert.deepEqual(
    d.regressions.map((c) => c.id),
    ['OKTA-ASSIGN-CREATE', 'OKTA-PUT-KEEPS-ACTIVE'],
  );
  assert.deepEqual(
    d.fixed.map((c) => `${c.id} ${c.before}->${c.after}`),
    ['OKTA-CONNECT-LIST failed->passed'],
  );
  assert.deepEqual(
    d.other.map((c) => `${c.id} ${c.before}->${c.after}`),
    ['OKTA-LIST-NUMBERS passed->not_assessed', 'OKTA-UPDATE-PUT waived->passed', 'OKTA-USER-STILL-EXISTS absent->passed'],
  );
  assert.match(d.newFailures[0]!.reason!, /expected 201, received 200/);
  assert.deepEqual(diffCertificates(after, after), { newFailures: [], fixed: [], other: [], regressions: [] });
});

const dir = mkdtempSync(join(tmpdir(), 'scimulator-diff-'));
const file = (name: string, body: unknown) => {
  const f = join(dir, name);
  writeFileSync(f, typeof body === 'string' ? body : JSON.stringify(body));
  return f;
};
const b = file('before.json', before);
const a = file('after.json', after);

test('scimulator diff prints the sections in order and exits 1 on a regression, 0 without one', async () => {
  const text = await runCli(['diff', b, a]);
  assert.equal(text.code, 1, text.stderr);
  const at = (s: string) => text.stdout.indexOf(s);
  assert.ok(at('New failures (3):') >= 0 && at('New failures (3):') < at('Fixed (1):') && at('Fixed (1):') < at('Other changes (3):'), text.stdout);
  assert.ok(at('OKTA-ASSIGN-CREATE (MUST) passed -> failed') < at('OKTA-CONTENT-JSON (MAY) not_assessed -> failed'), text.stdout);
  assert.match(text.stdout, /REGRESSION: 2 requirement\(s\) passed before and fail now/);

  const md = await runCli(['diff', b, a, '--format', 'md']);
  assert.equal(md.code, 1);
  assert.match(md.stdout, /^# SCIM conformance: changes between two certificates/);
  assert.match(md.stdout, /## New failures \(3\)\n\n\| id \| severity \| before \| after \|/);
  assert.match(md.stdout, /\| OKTA-CONNECT-LIST \| SHOULD \| failed \| passed \|/);

  const json = await runCli(['diff', b, a, '--format', 'json']);
  assert.equal(json.code, 1);
  const parsed = JSON.parse(json.stdout) as { regressions: string[]; fixed: Array<{ id: string }>; before: { file: string } };
  assert.deepEqual(parsed.regressions, ['OKTA-ASSIGN-CREATE', 'OKTA-PUT-KEEPS-ACTIVE']);
  assert.deepEqual(
    parsed.fixed.map((c) => c.id),
    ['OKTA-CONNECT-LIST'],
  );
  assert.equal(parsed.before.file, b);

  // only fixes and a new failure of something not assessed before: no regression
  const onlyNew = file('only-new.json', makeCertificate({ 'OKTA-CONTENT-JSON': 'failed', 'OKTA-CONNECT-LIST': 'passed' }));
  const ok = await runCli(['diff', b, onlyNew]);
  assert.equal(ok.code, 0, ok.stdout);
  assert.match(ok.stdout, /No regression/);
});

test('scimulator diff answers usage errors with exit 2 and a readable message', async () => {
  const notCert = file('not-cert.json', { schemaVersion: 1, requirements: [] });
  const cases: Array<[string[], RegExp]> = [
    [['diff', b], /give two certificates/],
    [['diff', b, join(dir, 'missing.json')], /cannot read .*missing\.json: ENOENT/],
    [['diff', b, file('garbage.json', '{not json')], /garbage\.json is not JSON/],
    [['diff', notCert, a], /not-cert\.json is not a scimulator certificate/],
    [['diff', b, a, '--format', 'html'], /--format must be text, md or json/],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
  const help = await runCli(['diff', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: scimulator diff BEFORE\.json AFTER\.json/);
});
