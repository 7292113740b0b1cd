/**
 * The SCIM defects at the route level: each breaks exactly the behaviour its correct counterpart in scim/*.test.ts
 * shows, and leaves the neighbouring behaviour alone, so a harness check that fails names the right rule.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  GROUP_CASE_LOOKUP,
  group,
  ids,
  inactiveUserLookup,
  memberBurst,
  offsetDeltaLookup,
  PLUS_FILTER,
  patch,
  renameUserName,
  user,
  USER_URN,
  withHarness,
} from '../scim/testing.ts';

const q = (filter: string) => `?filter=${encodeURIComponent(filter)}`;

describe('SCIM defects at the route level (serve --defect)', () => {
  test('create-returns-200 answers 200 to POST; delete-user-keeps-memberships leaves the user in its groups', () =>
    withHarness({ defects: ['create-returns-200', 'delete-user-keeps-memberships'] }, async (broken) => {
      const u = await broken.req('POST', 'Users', user('defect@x.test'));
      assert.equal(u.status, 200);
      const g = await broken.req('POST', 'Groups', group('G', [u.body.id]));
      assert.equal(g.status, 200);
      await broken.req('DELETE', `Users/${u.body.id}`);
      const members = broken.app.db.prepare('SELECT member_id FROM group_members WHERE group_id = ?').pluck().all(g.body.id);
      assert.deepEqual(members, [u.body.id]);
    }));

  test('filter-username-case-sensitive makes userName eq case-sensitive', () =>
    withHarness({ defects: ['filter-username-case-sensitive'] }, async (broken) => {
      await broken.req('POST', 'Users', user('Case@Example.test'));
      assert.equal((await broken.req('GET', `Users${q('userName eq "case@example.test"')}`)).body.totalResults, 0);
      assert.equal((await broken.req('GET', `Users${q('userName eq "Case@Example.test"')}`)).body.totalResults, 1);
    }));

  test('patch-add-members-replaces: parallel per-member adds lose members (the burst check can fail)', () =>
    withHarness({ defects: ['patch-add-members-replaces'] }, async (broken) => {
      const { g } = await memberBurst(broken, 5);
      assert.equal((await broken.req('GET', `Groups/${g.id}`)).body.members.length, 1);
    }));

  test('filter-hides-inactive-users hides a disabled user from the filter only', () =>
    withHarness({ defects: ['filter-hides-inactive-users'] }, async (broken) => {
      const { filtered, read } = await inactiveUserLookup(broken);
      assert.deepEqual(ids(filtered), []);
      assert.equal(read.status, 200);
      const active = await broken.req('POST', 'Users', user('still.here@x.test'));
      assert.deepEqual(ids(await broken.req('GET', `Users${q('userName eq "still.here@x.test"')}`)), [active.body.id]);
    }));

  test("filter-plus-not-decoded refuses Entra's '+' form and still takes %20", () =>
    withHarness({ defects: ['filter-plus-not-decoded'] }, async (broken) => {
      const u = await broken.req('POST', 'Users', user('plus.space@x.test'));
      const refused = await broken.req('GET', PLUS_FILTER);
      assert.equal(refused.status, 400, refused.raw);
      assert.equal(refused.body.scimType, 'invalidFilter');
      assert.deepEqual(ids(await broken.req('GET', 'Users?filter=userName%20eq%20%22plus.space%40x.test%22')), [u.body.id]);
    }));

  test('group-filter-displayname-case-sensitive misses a case variant and still matches the exact name', () =>
    withHarness({ defects: ['group-filter-displayname-case-sensitive'] }, async (broken) => {
      const g = await broken.req('POST', 'Groups', group('Engineering'));
      assert.deepEqual(ids(await broken.req('GET', GROUP_CASE_LOOKUP)), []);
      assert.deepEqual(ids(await broken.req('GET', `Groups${q('displayName eq "Engineering"')}`)), [g.body.id]);
      const u = await broken.req('POST', 'Users', user('Case.Kept@x.test'));
      assert.deepEqual(ids(await broken.req('GET', `Users${q('userName eq "case.kept@x.test"')}`)), [u.body.id]);
    }));

  test('schema-by-urn-404 answers 404 for a schema by URI and still lists the schemas', () =>
    withHarness({ defects: ['schema-by-urn-404'] }, async (broken) => {
      assert.equal((await broken.req('GET', `Schemas/${USER_URN}`)).status, 404);
      const list = await broken.req('GET', 'Schemas');
      assert.ok(list.body.Resources.some((s: { id: string }) => s.id === USER_URN));
    }));

  test('username-patch-immutable refuses a userName change with 400 mutability and still takes other changes', () =>
    withHarness({ defects: ['username-patch-immutable'] }, async (broken) => {
      const u = await broken.req('POST', 'Users', user('old.upn@x.test'));
      const refused = await renameUserName(broken, u.body.id);
      assert.equal(refused.status, 400);
      assert.equal(refused.body.scimType, 'mutability');
      assert.equal((await broken.req('PATCH', `Users/${u.body.id}`, patch({ op: 'replace', path: 'displayName', value: 'Old' }))).status, 200);
      assert.equal((await broken.req('PATCH', `Users/${u.body.id}`, patch({ op: 'replace', path: 'userName', value: 'old.upn@x.test' }))).status, 200);
    }));

  test('filter-datetime-ignores-offset reads the wall clock as UTC, an hour late, and misses the change; Z values still work', () =>
    withHarness({ defects: ['filter-datetime-ignores-offset'] }, async (broken) => {
      const { id, res } = await offsetDeltaLookup(broken);
      assert.ok(!ids(res).includes(id), res.raw);
      const since = new Date(Date.now() - 60_000).toISOString();
      assert.ok(ids(await broken.req('GET', `Users${q(`meta.lastModified gt "${since}"`)}`)).includes(id));
    }));
});
