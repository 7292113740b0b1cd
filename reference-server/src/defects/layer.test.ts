import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { DEFECTS } from './index.ts';

const SRC = join(import.meta.dirname, '..');
/** The correct code: no defect may be named, or switched on, in here. */
const CORRECT = ['product', 'protocol', 'scim'];
/** Ways of switching a defect on or asking for one: a lookup, or a server option in a test. */
const WORDS = ['defects.has', '.defect(', 'defects:', 'DefectName'];

/** Every file below `dir`: code, tests and READMEs. A defect's tests live in defects/ beside it. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** What in `text` names a defect or asks for one. */
export function defectMentions(text: string): string[] {
  return [...Object.keys(DEFECTS), ...WORDS].filter((w) => text.includes(w));
}

describe('defects live in defects/, not in the correct code', () => {
  test('the check finds a planted defect name or lookup', () => {
    assert.deepEqual(defectMentions("if (x) return 'ok'; // create-returns-200"), ['create-returns-200']);
    assert.deepEqual(defectMentions('if (deps.defects.has(name)) {}'), ['defects.has']);
    assert.deepEqual(defectMentions("service.defect('x')"), ['.defect(']);
    assert.deepEqual(defectMentions("await harness({ defects: ['x'] })"), ['defects:']);
    assert.deepEqual(defectMentions('return 201;'), []);
  });

  for (const folder of CORRECT) {
    test(`${folder}/ names no defect`, () => {
      const files = sources(join(SRC, folder));
      assert.ok(files.length > 0, `no sources found in ${folder}/`);
      const found = files.flatMap((f) => defectMentions(readFileSync(f, 'utf8')).map((w) => `${relative(SRC, f)}: ${w}`));
      assert.deepEqual(found, []);
    });
  }
});
