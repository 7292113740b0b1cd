import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ScimError } from '../errors.ts';
import { applyPatch, PATCH_OP_SCHEMA } from '../protocol/patch/index.ts';
import type { DefectName } from './index.ts';
import { scimSeams } from './scim.ts';

type Json = Record<string, unknown>;
const ID = '2819c223-7f76-453a-919d-413861904646';
const body = (...ops: Json[]) => ({ schemas: [PATCH_OP_SCHEMA], Operations: ops });
const engine = (defect: DefectName) => scimSeams(new Set([defect])).patch;
const onGroup = (ops: Json[], defect: DefectName) => applyPatch({ id: 'g1', displayName: 'Tour Guides' }, body(...ops), { ...engine(defect), kind: 'Group' });
const onUser = (ops: Json[], defect: DefectName) => applyPatch({ id: 'u1', userName: 'bjensen' }, body(...ops), { ...engine(defect), kind: 'User' });

describe('PATCH: defects make the harness checks fail', () => {
  test('patch-members-filter-remove-ignored drops filtered member removals (authentik #25686)', () => {
    const r = onGroup([{ op: 'remove', path: `members[value eq "${ID}"]` }], 'patch-members-filter-remove-ignored');
    assert.deepEqual(r.members, undefined);
  });

  test('patch-remove-value-list-removes-all wipes the group on a value-list remove (SimpleIdServer #244)', () => {
    const r = onGroup([{ op: 'Remove', path: 'members', value: [{ value: ID }] }], 'patch-remove-value-list-removes-all');
    assert.equal(r.members?.removeAll, true);
  });

  test('patch-add-members-replaces turns add into replace (agent-bom #3533)', () => {
    const r = onGroup([{ op: 'add', path: 'members', value: [{ value: ID }] }], 'patch-add-members-replaces');
    assert.deepEqual(r.members?.replaceAll, [{ value: ID }]);
  });

  test('patch-op-case-sensitive refuses Entra "Replace"', () => {
    assert.throws(
      () => onUser([{ op: 'Replace', path: 'title', value: 'x' }], 'patch-op-case-sensitive'),
      (e: unknown) => e instanceof ScimError && e.scimType === 'invalidSyntax',
    );
  });

  test('username-patch-immutable refuses a userName change, not an unchanged one', () => {
    assert.throws(
      () => onUser([{ op: 'replace', path: 'userName', value: 'bj2' }], 'username-patch-immutable'),
      (e: unknown) => e instanceof ScimError && e.scimType === 'mutability',
    );
    assert.equal(onUser([{ op: 'replace', path: 'userName', value: 'bjensen' }], 'username-patch-immutable').changed, false);
  });
});
