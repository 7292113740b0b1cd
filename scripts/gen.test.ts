import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { GENERATED, ROOT } from './generate/docs.ts';

const check = (root?: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/gen.ts'), '--check', ...(root ? ['--root', root] : [])], { cwd: ROOT, encoding: 'utf8' });

test('every generated file is current (npm run gen:check)', { timeout: 120_000 }, () => {
  const r = check();
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`all ${GENERATED.length} generated files are current`));
});

test('gen:check exits 1 and names a generated file that drifted or is missing', { timeout: 120_000 }, () => {
  const copy = mkdtempSync(join(tmpdir(), 'scimulator-gen-'));
  for (const f of GENERATED) cpSync(join(ROOT, f.path), join(copy, f.path));
  appendFileSync(join(copy, 'docs/reference/defects.md'), '| `hand-edit` | added by hand |\n');
  rmSync(join(copy, 'schemas/certificate.schema.json'));
  const r = check(copy);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /docs\/reference\/defects\.md differs from what DEFECTS in reference-server\/src\/defects\/index\.ts gives; run 'npm run gen'/);
  assert.match(r.stderr, /schemas\/certificate\.schema\.json is missing/);
  assert.doesNotMatch(r.stderr, /requirements\.md|cli\.md/);
});
