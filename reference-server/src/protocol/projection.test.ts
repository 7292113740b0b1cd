import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isReturned, project } from './projection.ts';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const USER = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENT],
  id: 'u1',
  externalId: 'e1',
  userName: 'bjensen',
  password: 'must-never-show',
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  emails: [
    { value: 'b@example.com', type: 'work', primary: true },
    { value: 'b@home.test', type: 'home' },
  ],
  [ENT]: { department: 'Tours', manager: { value: 'm1', $ref: 'https://x/Users/m1' } },
  meta: { resourceType: 'User', version: 'W/"1"' },
};
const GROUP = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
  id: 'g1',
  displayName: 'Eng',
  members: [{ value: 'u1' }],
  meta: { resourceType: 'Group' },
};

test('no lists: everything but returned=never (password)', () => {
  const out = project(USER, 'User', {});
  const { password: _p, ...expected } = USER;
  assert.deepEqual(out, expected);
});

test('attributes selects, and always-returned id and schemas stay', () => {
  assert.deepEqual(project(USER, 'User', { attributes: ['userName'] }), { schemas: USER.schemas, id: 'u1', userName: 'bjensen' });
});

test('attributes with sub-attributes of a multi-valued attribute', () => {
  const out = project(USER, 'User', { attributes: ['emails.value', 'name.familyName'] });
  assert.deepEqual(out.emails, [{ value: 'b@example.com' }, { value: 'b@home.test' }]);
  assert.deepEqual(out.name, { familyName: 'Jensen' });
});

test('attribute names are case-insensitive and may be URN-qualified', () => {
  const out = project(USER, 'User', { attributes: ['USERNAME', `${ENT}:department`, 'urn:ietf:params:scim:schemas:core:2.0:User:externalId'] });
  assert.deepEqual(out, { schemas: USER.schemas, id: 'u1', externalId: 'e1', userName: 'bjensen', [ENT]: { department: 'Tours' } });
});

test('an extension URN alone selects the whole extension', () => {
  assert.deepEqual(project(USER, 'User', { attributes: [ENT] })[ENT], USER[ENT]);
});

test('Entra §3.6 excludedAttributes=members drops members', () => {
  assert.deepEqual(project(GROUP, 'Group', { excludedAttributes: ['members'] }), { schemas: GROUP.schemas, id: 'g1', displayName: 'Eng', meta: GROUP.meta });
  assert.equal(isReturned('Group', { excludedAttributes: ['members'] }, 'members'), false);
  assert.equal(isReturned('Group', { attributes: ['displayName'] }, 'members'), false);
  assert.equal(isReturned('Group', {}, 'members'), true);
  assert.equal(isReturned('Group', { attributes: ['members.value'] }, 'members'), true);
});

test('excluding id or schemas has no effect (returned=always)', () => {
  const out = project(USER, 'User', { excludedAttributes: ['id', 'schemas', 'meta', 'emails.type'] });
  assert.equal(out.id, 'u1');
  assert.deepEqual(out.schemas, USER.schemas);
  assert.equal(out.meta, undefined);
  assert.deepEqual(out.emails, [{ value: 'b@example.com', primary: true }, { value: 'b@home.test' }]);
});

test('password is never returned, even when asked for', () => {
  assert.equal(project(USER, 'User', { attributes: ['password'] }).password, undefined);
});

test('unknown names are ignored', () => {
  assert.deepEqual(project(USER, 'User', { attributes: ['nope', 'userName'] }), { schemas: USER.schemas, id: 'u1', userName: 'bjensen' });
});

test('the input is not modified', () => {
  const copy = structuredClone(USER);
  project(USER, 'User', { attributes: ['emails.value'] });
  assert.deepEqual(USER, copy);
});
