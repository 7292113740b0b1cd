import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TestOutcome } from '../../harness/reporting/results.ts';
import { findRequirement, type Requirement } from '../../catalog/index.ts';
import { canonicalJson } from './canonical.ts';
import { configHash, judge, signCertificate, summarize, type UnsignedCertificate } from './certificate.ts';
import { grepFor } from './plan.ts';
import { fingerprint, loadOrCreateSigningKey, publicKeyFromBase64, verifyBytes } from './signing.ts';
import { readWaivers } from './waivers.ts';

const req = (id: string): Requirement => findRequirement(id)!;
const EXCHANGE = { request: { method: 'GET', url: 'u' }, response: { status: 500 } };
/** A test outcome; a failed test judged each id it cites as failed, a passed one as passed (override with extra). */
const outcome = (status: TestOutcome['status'], requirements: string[], extra: Partial<TestOutcome> = {}): TestOutcome => ({
  testId: Math.random().toString(36),
  title: `t-${status}`,
  project: 'rfc',
  file: 'x.spec.ts',
  status,
  requirements,
  errors: status === 'failed' ? ['Error: boom'] : [],
  evidence: [],
  verdicts:
    status === 'failed' || status === 'passed'
      ? requirements.map((id) => ({ id, status, ...(status === 'failed' ? { message: 'boom' } : {}), exchanges: status === 'failed' ? [EXCHANGE] : [] }))
      : [],
  durationMs: 1,
  ...extra,
});

test('a requirement passes only when every citing test passed', () => {
  const [a, b, c, d] = ['RFC-FILTER-EQ', 'RFC-FILTER-NE', 'RFC-FILTER-CO', 'RFC-FILTER-SW'].map(req) as [Requirement, Requirement, Requirement, Requirement];
  const results = judge(
    [a, b, c, d],
    [outcome('passed', [a.id, b.id]), outcome('failed', [b.id]), outcome('skipped', [c.id], { skipReason: 'filter.supported=false in ServiceProviderConfig' })],
    [],
    'no check ran',
  );
  assert.deepEqual(
    results.map((r) => r.status),
    ['passed', 'failed', 'not_assessed', 'not_assessed'],
  );
  assert.equal(results[1]!.evidence[0]!.request !== undefined, true);
  assert.match(results[2]!.reason!, /filter.supported=false/);
  assert.equal(results[3]!.reason, 'no check ran');
});

test('a partly skipped requirement is not assessed, never passed; a waived failure is waived', () => {
  const a = req('RFC-GROUP-GET');
  const [partly] = judge([a], [outcome('passed', [a.id]), outcome('skipped', [a.id], { skipReason: 'read-only' })], [], '');
  assert.equal(partly!.status, 'not_assessed');
  assert.match(partly!.reason!, /partly assessed/);
  const [waived] = judge([a], [outcome('failed', [a.id])], [{ id: a.id, reason: 'known bug 12' }], '');
  assert.equal(waived!.status, 'waived');
  const [stillPassed] = judge([a], [outcome('passed', [a.id])], [{ id: a.id, reason: 'x' }], '');
  assert.equal(stillPassed!.status, 'passed');
});

test('one verdict per requirement: a test failing one of its ids fails only that one', () => {
  const [a, b] = ['RFC-USER-CREATE-201', 'RFC-USER-CREATE-LOCATION'].map(req) as [Requirement, Requirement];
  const t = outcome('failed', [a.id, b.id], {
    verdicts: [
      { id: a.id, status: 'passed', exchanges: [] },
      { id: b.id, status: 'failed', message: 'Location header: expected meta.location', exchanges: [EXCHANGE, { ...EXCHANGE, by: 'Okta Assign' }] },
    ],
  });
  const [ra, rb] = judge([a, b], [t], [], '');
  assert.equal(ra!.status, 'passed');
  assert.equal(rb!.status, 'failed');
  assert.equal(rb!.evidence.length, 2, 'every exchange of the failing requirement is evidence');
  assert.equal(rb!.evidence[1]!.by, 'Okta Assign');
  assert.match(rb!.reason!, /Location header/);
});

test('a test stopped before judging an id makes it not assessed, blocked by what stopped it, never failed', () => {
  const [a, b] = ['RFC-PATCH-ADD-SINGLE', 'RFC-PATCH-ADD-MULTIVALUED'].map(req) as [Requirement, Requirement];
  const t = outcome('failed', [a.id, b.id], {
    errors: ['PreconditionFailed: creating a test User (POST /Users): POST /Users answered 400'],
    evidence: [EXCHANGE],
    verdicts: [{ id: a.id, status: 'failed', message: 'expected 200', exchanges: [EXCHANGE] }],
  });
  const [ra, rb] = judge([a, b], [t], [], '');
  assert.equal(ra!.status, 'failed', 'what was judged before the stop keeps its verdict');
  assert.equal(rb!.status, 'not_assessed');
  assert.match(rb!.reason!, /blocked by PreconditionFailed: creating a test User/);
  assert.equal(rb!.evidence.length, 1, 'the blocking exchanges are shown');
  const [timedOut] = judge([b], [outcome('timedOut', [b.id])], [], '');
  assert.equal(timedOut!.status, 'not_assessed');
  assert.match(timedOut!.reason!, /did not finish within the test timeout/);
  const [na] = judge(
    [b],
    [outcome('passed', [b.id], { verdicts: [{ id: b.id, status: 'not_assessed', message: 'NotAssessed: sort not supported', exchanges: [] }] })],
    [],
    '',
  );
  assert.equal(na!.status, 'not_assessed');
});

test('a test without verify() blocks is one check of all it cites; one stopped by a precondition blocks them', () => {
  const [a, b] = ['RFC-FILTER-EQ', 'RFC-FILTER-NE'].map(req) as [Requirement, Requirement];
  const whole = judge([a, b], [outcome('failed', [a.id, b.id], { verdicts: [], evidence: [EXCHANGE] })], [], '');
  assert.deepEqual(
    whole.map((r) => r.status),
    ['failed', 'failed'],
  );
  const stopped = judge([a], [outcome('failed', [a.id], { verdicts: [], errors: ['PreconditionFailed: creating a test User (POST /Users): 500'] })], [], '');
  assert.equal(stopped[0]!.status, 'not_assessed');
});

test('summary counts MUST failures only', () => {
  const results = judge([req('RFC-FILTER-EQ'), req('RFC-PAGE-ITEMSPERPAGE')], [outcome('failed', ['RFC-FILTER-EQ', 'RFC-PAGE-ITEMSPERPAGE'])], [], '');
  assert.deepEqual(summarize(results), { passed: 0, failed: 2, notAssessed: 0, waived: 0, mustFailed: 1 });
});

test('canonical JSON sorts keys at every depth and the signature covers it', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } }), '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}');
  const dir = mkdtempSync(join(tmpdir(), 'scimulator-key-'));
  const key = loadOrCreateSigningKey(join(dir, 'k.pem'));
  const again = loadOrCreateSigningKey(join(dir, 'k.pem'));
  assert.equal(again.publicKey, key.publicKey, 'the stored key is reused');
  const unsigned = { schemaVersion: 1, summary: { passed: 1 } } as unknown as UnsignedCertificate;
  const cert = signCertificate(unsigned, key);
  const pub = publicKeyFromBase64(cert.signature.publicKey);
  assert.equal(verifyBytes(pub, canonicalJson(unsigned), cert.signature.value), true);
  assert.equal(verifyBytes(pub, canonicalJson({ ...unsigned, summary: { passed: 2 } }), cert.signature.value), false);
  assert.match(fingerprint(pub), /^SHA256:([0-9a-f]{2}:){31}[0-9a-f]{2}$/);
});

test('the config hash ignores order but not content', () => {
  const base = { profiles: ['rfc', 'security'], only: [], waivers: [], readOnly: false, seed: 1 };
  assert.equal(configHash(base), configHash({ ...base, profiles: ['security', 'rfc'] }));
  assert.notEqual(configHash(base), configHash({ ...base, readOnly: true }));
});

test('waivers read from JSON or text, unknown ids refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scimulator-waivers-'));
  const known = new Set(['RFC-FILTER-EQ', 'SEC-AUTH-MISSING']);
  writeFileSync(join(dir, 'w.json'), JSON.stringify([{ id: 'RFC-FILTER-EQ', reason: 'bug 1' }, 'SEC-AUTH-MISSING']));
  assert.deepEqual(readWaivers(join(dir, 'w.json'), known), [
    { id: 'RFC-FILTER-EQ', reason: 'bug 1' },
    { id: 'SEC-AUTH-MISSING', reason: '' },
  ]);
  writeFileSync(join(dir, 'w.txt'), '# known\nRFC-FILTER-EQ  # bug 1\n\nSEC-AUTH-MISSING\n');
  assert.deepEqual(
    readWaivers(join(dir, 'w.txt'), known).map((w) => w.id),
    ['RFC-FILTER-EQ', 'SEC-AUTH-MISSING'],
  );
  writeFileSync(join(dir, 'bad.txt'), 'RFC-NOPE-X\n');
  assert.throws(() => readWaivers(join(dir, 'bad.txt'), known), /unknown requirement ids: RFC-NOPE-X/);
});

test('--only and --read-only become one grep over the requirement tags', () => {
  assert.equal(grepFor([], false), undefined);
  const only = new RegExp(grepFor(['RFC-FILTER-EQ'], false)!);
  assert.equal(only.test('eq matches @RFC-FILTER-EQ'), true);
  assert.equal(only.test('case @RFC-FILTER-EQ-CASEINSENSITIVE'), false, 'an id is not a prefix match');
  const both = new RegExp(grepFor(['SEC-AUTH-MISSING'], true)!);
  assert.equal(both.test('x @SEC-AUTH-MISSING @readonly'), true);
  assert.equal(both.test('x @SEC-AUTH-MISSING'), false);
});
