import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScimError } from '../errors.ts';
import { GROUP, USER } from './resource-types.ts';
import { validateResource } from './validate.ts';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const refused = (fn: () => unknown, detail: RegExp, scimType = 'invalidValue') =>
  assert.throws(fn, (e: unknown) => e instanceof ScimError && e.scimType === scimType && detail.test(e.message));

test('the zod schemas built from the schema data name the offending attribute path', () => {
  refused(() => validateResource(USER, { displayName: 'x' }, 'create'), /^userName is required$/);
  refused(() => validateResource(USER, { userName: 'a', emails: [{ value: 1 }] }, 'create'), /^emails\[0\]\.value must be a string$/);
  refused(() => validateResource(USER, { userName: 'a', emails: { value: 'x' } }, 'create'), /^emails must be an array/);
  refused(() => validateResource(USER, { userName: 'a', [ENTERPRISE]: { manager: 5 } }, 'create'), new RegExp(`^${ENTERPRISE}:manager must be`));
  refused(() => validateResource(USER, { userName: 'a', x509Certificates: [{ value: 'abc' }] }, 'create'), /must be base64/);
  refused(
    () => validateResource(GROUP, { displayName: 'g', members: [{ value: 'u', type: 'robot' }] }, 'create'),
    /^members\[0\]\.type must be User or Group$/,
  );
  refused(() => validateResource(USER, ['a'], 'create'), /JSON object/, 'invalidSyntax');
});

test('canonical spelling, URN-qualified names, string booleans, nulls and empty lists as unassigned', () => {
  const { data, password } = validateResource(
    USER,
    {
      USERNAME: 'a@x.test',
      name: { GivenName: 'A', bogus: 1, familyName: null },
      emails: [{ value: 'a@x.test', primary: 'TRUE' }, null],
      phoneNumbers: [],
      [`${ENTERPRISE}:department`]: 'D',
      'urn:ietf:params:scim:schemas:core:2.0:User:title': 'T',
      [ENTERPRISE.toUpperCase()]: { employeeNumber: null, manager: [{ value: 'm1', $ref: null }] },
      Password: 'pw',
      meta: { created: 'x' },
      groups: [{ value: 'g' }],
    },
    'create',
  );
  assert.deepEqual(data, {
    userName: 'a@x.test',
    name: { givenName: 'A' },
    emails: [{ value: 'a@x.test', primary: true }],
    [ENTERPRISE]: { department: 'D', manager: { value: 'm1' } },
    title: 'T',
  });
  assert.equal(password, 'pw');
});
