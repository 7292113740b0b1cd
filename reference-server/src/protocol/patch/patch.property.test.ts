import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ScimError } from '../../errors.ts';
import { applyPatch, PATCH_OP_SCHEMA } from './index.ts';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const USER = {
  id: 'u1',
  userName: 'bjensen',
  name: { givenName: 'B' },
  active: true,
  emails: [{ value: 'b@x.test', type: 'work', primary: true }],
  [ENT]: { department: 'Tours' },
};

const PATHS = [
  'title',
  'userName',
  'active',
  'name',
  'name.givenName',
  'emails',
  'emails.value',
  'emails[type eq "work"]',
  'emails[type eq "work"].value',
  'emails[value co "@"].primary',
  'phoneNumbers[type eq "mobile"].value',
  'manager',
  `${ENT}:manager`,
  `${ENT}:department`,
  'groups',
  'id',
  'meta',
  'password',
  'members',
  'members[value eq "x"]',
  'nope',
  'name.nope',
  'emails[',
  'emails[type eq "work"].',
  'emails[type zz 1]',
  '',
  'x.y.z',
  'urn:bad',
  'emails[not (primary pr)]',
];

const opArb = fc.record(
  {
    op: fc.constantFrom('add', 'replace', 'remove', 'Add', 'REPLACE', 'copy', 7),
    path: fc.oneof(fc.constantFrom(...PATHS), fc.string({ maxLength: 20 })),
    value: fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.constantFrom('False', 'true', [], {}, [{ value: 'a@b' }], { 'name.givenName': 'x', [`${ENT}:department`]: 'y' }),
    ),
  },
  { requiredKeys: ['op'] },
);

test('any PATCH body yields a result or a 4xx ScimError, never another exception, and never mutates the input', () => {
  fc.assert(
    fc.property(
      fc.constantFrom('User' as const, 'Group' as const),
      fc.oneof(fc.array(opArb, { minLength: 1, maxLength: 4 }), fc.jsonValue({ maxDepth: 3 })),
      (kind, ops) => {
        const resource = kind === 'User' ? structuredClone(USER) : { id: 'g1', displayName: 'G' };
        const before = structuredClone(resource);
        const body =
          Array.isArray(ops) && ops.every((o) => typeof o === 'object' && o !== null && 'op' in o) ? { schemas: [PATCH_OP_SCHEMA], Operations: ops } : ops;
        try {
          const r = applyPatch(resource, body, { kind, loadMembers: () => [{ value: 'x', type: 'User' }] });
          assert.equal(typeof r.changed, 'boolean');
        } catch (e) {
          assert.ok(e instanceof ScimError, `unexpected ${String(e)} for ${JSON.stringify(body)}`);
          assert.ok(e.status >= 400 && e.status < 500, `status ${e.status}`);
        }
        assert.deepEqual(resource, before);
      },
    ),
    { numRuns: 3000 },
  );
});
