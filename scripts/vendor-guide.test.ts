import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { findRequirement, PROFILE_PREFIX } from '../catalog/index.ts';
import { DEFECTS } from '../reference-server/src/defects/index.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const GUIDE = join(ROOT, 'docs/vendor-guide.md');
const text = readFileSync(GUIDE, 'utf8');

test('every relative link of the vendor guide points to a file in the repository', () => {
  const links = [...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!).filter((l) => !/^https?:/.test(l));
  assert.ok(links.length >= 8);
  for (const l of links) assert.ok(existsSync(join(dirname(GUIDE), l)), `docs/vendor-guide.md links to ${l}, which does not exist`);
});

test('every requirement id the vendor guide names is in the catalog', () => {
  const prefixes = Object.values(PROFILE_PREFIX).join('|');
  const ids = [...new Set([...text.matchAll(new RegExp(`\\b(?:${prefixes})-[A-Z0-9]+(?:-[A-Z0-9]+)+\\b`, 'g'))].map((m) => m[0]))];
  assert.ok(ids.length >= 15);
  for (const id of ids) assert.ok(findRequirement(id), `docs/vendor-guide.md names ${id}, which the catalog does not have`);
});

test('the failures table rests on defects the reference server has', () => {
  for (const name of [
    'create-returns-200',
    'filter-username-case-sensitive',
    'patch-op-case-sensitive',
    'patch-rejects-string-booleans',
    'put-defaults-active-false',
    'patch-add-members-replaces',
    'ignores-excluded-members',
    'valuepath-add-notarget',
    'delete-user-keeps-memberships',
  ]) {
    assert.ok(name in DEFECTS, name);
  }
});
