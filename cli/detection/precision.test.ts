import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CATALOG, findRequirement } from '../../catalog/index.ts';
import { DEFECTS } from '../../reference-server/src/defects/index.ts';
import { certifyAgainstDefects, type DefectVerdicts } from '../testing/certify-run.ts';
import { DECLARED, expectedFailures, LIFECYCLE_RUNS, SCIM_PROFILES, scimDefects } from './declared.ts';

/**
 * Detection, precision and recall: certify against the reference server with each deliberate defect and compare the
 * failed requirements with the ones that defect is declared to violate (cli/detection/declared.ts). Fewer means a
 * check cannot see the defect; more means a requirement failed because of another one's defect.
 */

const SCIM_PREFIXES = ['RFC', 'SEC', 'OKTA', 'ENTRA', 'SP'];
const failedIds = (v: DefectVerdicts) =>
  Object.entries(v.statuses)
    .filter(([, s]) => s === 'failed')
    .map(([id]) => id)
    .sort();

/** The difference, worded for the assertion message. */
function compare(v: DefectVerdicts, expected: string[]): string {
  const failed = failedIds(v);
  const missing = expected.filter((id) => !failed.includes(id)).map((id) => `${id} is ${v.statuses[id] ?? 'missing'}`);
  const extra = failed.filter((id) => !expected.includes(id));
  return `not failed: ${missing.join(', ') || 'none'}; failed but not declared: ${extra.join(', ') || 'none'}\n${v.stderr.slice(-1500)}`;
}

test('every defect of the server is declared, with ids of the catalog, and every declared defect exists', (t) => {
  const known = new Set(CATALOG.map((r) => r.id));
  assert.deepEqual(
    Object.keys(DEFECTS).filter((d) => !(d in DECLARED)),
    [],
    'defects with no declared requirements',
  );
  assert.deepEqual(
    Object.keys(DECLARED).filter((d) => !(d in DEFECTS)),
    [],
    'declared defects the server does not have',
  );
  assert.deepEqual(
    Object.values(DECLARED)
      .flat()
      .filter((id) => !known.has(id)),
    [],
    'declared ids not in the catalog',
  );
  assert.deepEqual(
    [...LIFECYCLE_RUNS.flat()].sort(),
    Object.keys(DECLARED)
      .filter((d) => DECLARED[d]!.some((id) => id.startsWith('LC-')))
      .sort(),
    'every defect with lifecycle ids is in one lifecycle run',
  );
  const covered = new Set(Object.values(DECLARED).flat());
  const uncovered = CATALOG.filter((r) => !covered.has(r.id)).map((r) => r.id);
  // a requirement no defect violates has only been seen passing: listed, so the gap stays visible
  if (uncovered.length > 0) t.diagnostic(`${uncovered.length} of ${CATALOG.length} requirements have no defect yet: ${uncovered.join(', ')}`);
  const lifecycle = CATALOG.filter((r) => r.profile === 'lifecycle' && !covered.has(r.id)).map((r) => r.id);
  assert.deepEqual(lifecycle, [], 'every lifecycle requirement has a defect');
});

test('a waived failure is reported as waived and does not fail the exit code', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'scimulator-waivers-'));
  writeFileSync(join(dir, 'waivers.txt'), 'RFC-USER-CREATE-201  # vendor bug 42, fix in 2.1\n');
  const v = await certifyAgainstDefects(['create-returns-200'], ['--only', 'RFC-USER-CREATE-201,RFC-USER-GET', '--waivers', join(dir, 'waivers.txt')], 240_000);
  assert.deepEqual(v.leaks, []);
  assert.equal(v.code, 0, v.stderr.slice(-2000));
  assert.equal(v.statuses['RFC-USER-CREATE-201'], 'waived');
  assert.equal(v.statuses['RFC-USER-GET'], 'passed');
});

// each case starts its own server and certify run; two at a time on two cores
describe(`certify --profile ${SCIM_PROFILES.join(',')} against each protocol defect: failed set == declared set`, { concurrency: 2 }, () => {
  for (const defect of scimDefects()) {
    const expected = expectedFailures([defect], SCIM_PREFIXES);
    test(`${defect} fails exactly ${expected.join(', ')}`, async () => {
      const v = await certifyAgainstDefects([defect], ['--profile', SCIM_PROFILES.join(',')], 600_000);
      assert.deepEqual(v.leaks, [], 'no report file holds the SCIM token or the admin API key');
      assert.deepEqual(failedIds(v), expected, compare(v, expected));
      // exit 1 only when a MUST failed; a failed SHOULD or MAY is reported, not fatal
      const must = expected.some((id) => findRequirement(id)?.severity === 'MUST');
      assert.equal(v.code, must ? 1 : 0, `exit code; output:\n${v.stderr.slice(-1500)}`);
    });
  }
});

describe('certify --profile lifecycle against each run of defects: failed set == declared set', { concurrency: 1 }, () => {
  for (const defects of LIFECYCLE_RUNS) {
    const expected = expectedFailures(defects, ['LC']);
    test(`${defects.join(', ')} fail exactly ${expected.join(', ')}`, async () => {
      const v = await certifyAgainstDefects([...defects], ['--profile', 'lifecycle'], 900_000, { secretPattern: /scim_[A-Za-z0-9_-]{20,}/ });
      assert.deepEqual(v.leaks, [], 'no report file holds the SCIM token or the admin API key');
      assert.deepEqual(v.setupFailures, [], 'each requirement fails on its own defect, not because no fresh tenant could be provisioned');
      assert.deepEqual(failedIds(v), expected, compare(v, expected));
    });
  }
});
