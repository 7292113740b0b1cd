import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDirectory } from './directory.ts';

test('a seed always yields the same directory; another seed another one', () => {
  const a = createDirectory('entra', { seed: 99, users: 20, groups: 3 });
  const b = createDirectory('entra', { seed: 99, users: 20, groups: 3 });
  const c = createDirectory('entra', { seed: 100, users: 20, groups: 3 });
  assert.deepEqual(a.people, b.people);
  assert.deepEqual(a.groups, b.groups);
  assert.notDeepEqual(
    a.people.map((p) => p.userName),
    c.people.map((p) => p.userName),
  );
});

test('userNames are unique, ASCII and lower case, even among thousands of people', () => {
  const d = createDirectory('okta', { seed: 1, users: 3000, groups: 4 });
  const names = d.people.map((p) => p.userName);
  assert.equal(new Set(names.map((n) => n.toLowerCase())).size, names.length);
  for (const n of names) assert.match(n, /^[a-z]+\.[a-z]+\d*@example\.test$/);
});

test('IdP-shaped ids, managers, groups and assignments', () => {
  const okta = createDirectory('okta', { seed: 3, users: 4, groups: 2 });
  assert.match(okta.people[0]!.idpId, /^00u[A-Za-z0-9]{17}$/);
  assert.match(okta.groups[0]!.idpId, /^00g[A-Za-z0-9]{17}$/);
  assert.match(createDirectory('entra', { seed: 3 }).people[0]!.idpId, /^[0-9a-f-]{36}$/);
  assert.match(createDirectory('sailpoint', { seed: 3 }).people[0]!.idpId, /^[0-9a-f]{32}$/);
  assert.equal(okta.people[0]!.managerKey, undefined);
  assert.ok(okta.people.slice(1).every((p) => p.managerKey === 'user1'));
  // the last person is in no group, so a membership delta always has someone to add
  assert.ok(!okta.groups.some((g) => g.memberKeys.includes('user4')));
  assert.equal(okta.assigned.size, 4);
});
