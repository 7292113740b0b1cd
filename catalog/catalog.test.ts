import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CATALOG, PROFILE_PREFIX, REQUIREMENT_ID, requirementSchema } from './index.ts';

const SPECS = new URL('..', import.meta.url).pathname;
const CITED = new RegExp(`['"\`]((?:${Object.values(PROFILE_PREFIX).join('|')})-[A-Z0-9]+(?:-[A-Z0-9]+)+)['"\`]`, 'g');

function specFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'catalog' ? [] : specFiles(path);
    return e.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Every requirement id quoted in a spec file, with the files quoting it. */
function citations(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const file of specFiles(SPECS)) {
    for (const m of readFileSync(file, 'utf8').matchAll(CITED)) out.set(m[1]!, [...(out.get(m[1]!) ?? []), file]);
  }
  return out;
}

test('every entry parses and follows the id grammar', () => {
  for (const r of CATALOG) {
    assert.ok(REQUIREMENT_ID.test(r.id), r.id);
    assert.ok(requirementSchema.safeParse(r).success, r.id);
  }
});

test('ids are unique', () => {
  const seen = new Set<string>();
  for (const r of CATALOG) {
    assert.ok(!seen.has(r.id), `duplicate id ${r.id}`);
    seen.add(r.id);
  }
});

test('the rfc and security profiles hold at least 120 requirements, each citing its source', () => {
  const core = CATALOG.filter((r) => r.profile === 'rfc' || r.profile === 'security');
  assert.ok(core.length >= 120, `only ${core.length}`);
  for (const r of core) assert.match(r.source, /RFC \d{4}|seed/, r.id);
});

test('every requirement is cited by at least one spec', () => {
  const cited = citations();
  const uncited = CATALOG.filter((r) => !cited.has(r.id)).map((r) => r.id);
  assert.deepEqual(uncited, []);
});

test('every id a spec cites exists in the catalog', () => {
  const known = new Set(CATALOG.map((r) => r.id));
  const unknown = [...citations()].filter(([id]) => !known.has(id)).map(([id, files]) => `${id} (${files.join(', ')})`);
  assert.deepEqual(unknown, []);
});

test('the schema refuses a malformed entry', () => {
  assert.equal(requirementSchema.safeParse({ id: 'rfc-lower', title: 'x'.repeat(12), profile: 'rfc', kind: 'rfc', severity: 'MUST', source: 'RFC 7644' }).success, false);
  assert.equal(requirementSchema.safeParse({ id: 'SEC-AUTH-X', title: 'x'.repeat(12), profile: 'rfc', kind: 'rfc', severity: 'MUST', source: 'RFC 7644' }).success, false);
  assert.equal(requirementSchema.safeParse({ id: 'RFC-AUTH-X', title: 'x'.repeat(12), profile: 'rfc', kind: 'rfc', severity: 'MUST', source: 'RFC 7644' }).success, true);
});
