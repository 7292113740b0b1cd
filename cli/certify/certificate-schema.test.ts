import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { certificateJsonSchema, ROOT } from '../../scripts/generate/docs.ts';
import { certificateSchemaErrors } from '../testing/certificate-json-schema.ts';
import { makeCertificate } from '../testing/certificates.ts';
import { certificateSchema } from './certificate.ts';

test('schemas/certificate.schema.json is what z.toJSONSchema gives for certificateSchema now', () => {
  assert.equal(readFileSync(`${ROOT}schemas/certificate.schema.json`, 'utf8'), certificateJsonSchema(), "stale: run 'npm run gen'");
});

test('certificates of every status validate against the shipped JSON Schema and the zod schema alike', () => {
  const cert = makeCertificate({
    'RFC-FILTER-EQ': 'passed',
    'RFC-FILTER-NE': 'failed',
    'SEC-TENANT-ISOLATION': 'not_assessed',
    'OKTA-ASSIGN-CREATE': 'waived',
  });
  assert.deepEqual(certificateSchemaErrors(JSON.parse(JSON.stringify(cert))), []);
  assert.equal(certificateSchema.safeParse(cert).success, true);
});

test('the JSON Schema refuses what the zod schema refuses', () => {
  const good = JSON.parse(JSON.stringify(makeCertificate({ 'RFC-FILTER-EQ': 'failed' }))) as Record<string, any>;
  const broken: Array<[string, (c: Record<string, any>) => void]> = [
    ['unknown status', (c) => (c.requirements[0].status = 'skipped')],
    ['unknown severity', (c) => (c.requirements[0].severity = 'LOW')],
    ['no signature', (c) => delete c.signature],
    ['another schemaVersion', (c) => (c.schemaVersion = 2)],
    ['a summary count that is not an integer', (c) => (c.summary.passed = 1.5)],
    ['evidence without a message', (c) => delete c.requirements[0].evidence[0].message],
  ];
  for (const [what, breakIt] of broken) {
    const c = structuredClone(good);
    breakIt(c);
    assert.notDeepEqual(certificateSchemaErrors(c), [], `the JSON Schema accepted ${what}`);
    assert.equal(certificateSchema.safeParse(c).success, false, `zod accepted ${what}`);
  }
});
