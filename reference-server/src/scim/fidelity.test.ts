/**
 * What the IdPs' documented requests need, at the route level. Each has a deliberate defect that breaks exactly
 * that, shown failing in defects/scim-routes.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  GROUP_CASE_LOOKUP,
  GROUP_URN,
  group,
  harness,
  ids,
  inactiveUserLookup,
  offsetDeltaLookup,
  PLUS_FILTER,
  patch,
  renameUserName,
  user,
  USER_URN,
  type Harness,
} from './testing.ts';

let h: Harness;
before(async () => {
  h = await harness();
});
after(async () => {
  await h.app.close();
});

describe('empty multi-valued attributes are omitted, never null (RFC 7643 §2.5; Okta and Entra show [] in their examples)', () => {
  test('a Group created with members [] and a User created with groups []: no members/groups key anywhere, no null', async () => {
    const g = await h.req('POST', 'Groups', { schemas: [GROUP_URN], displayName: 'Test SCIMv2', members: [] });
    const u = await h.req('POST', 'Users', { schemas: [USER_URN], userName: 'empty.groups@x.test', groups: [], emails: [] });
    assert.equal(g.status, 201);
    assert.equal(u.status, 201);
    const answers = [
      g,
      u,
      await h.req('GET', `Groups/${g.body.id}`),
      await h.req('GET', `Users/${u.body.id}`),
      await h.req('GET', `Groups?filter=${encodeURIComponent('displayName eq "Test SCIMv2"')}`),
      await h.req('GET', `Users?filter=${encodeURIComponent('userName eq "empty.groups@x.test"')}`),
      await h.req('GET', `Groups/${g.body.id}?attributes=members,displayName`),
      await h.req('PUT', `Groups/${g.body.id}`, { schemas: [GROUP_URN], displayName: 'Test SCIMv2', members: [] }),
      await h.req('PATCH', `Groups/${g.body.id}?attributes=members`, patch({ op: 'replace', path: 'members', value: [] })),
      await h.req('PATCH', `Users/${u.body.id}`, patch({ op: 'replace', value: { displayName: 'Empty' } })),
    ];
    for (const a of answers) {
      assert.ok(a.status >= 200 && a.status < 300, `${a.status} ${a.raw}`);
      assert.ok(!a.raw.includes('null'), `a null in ${a.raw}`);
      for (const r of [a.body, ...(a.body.Resources ?? [])]) {
        assert.equal(r.members, undefined, `members of ${JSON.stringify(r)}`);
        assert.equal(r.groups, undefined, `groups of ${JSON.stringify(r)}`);
      }
    }
  });

  test('a group that had members and was emptied reads back without members, as one that never had any', async () => {
    const u = await h.req('POST', 'Users', user('was.member@x.test'));
    const g = await h.req('POST', 'Groups', { ...group('Emptied'), members: [{ value: u.body.id }] });
    assert.equal(g.body.members.length, 1);
    await h.req('PATCH', `Groups/${g.body.id}`, patch({ op: 'remove', path: `members[value eq "${u.body.id}"]` }));
    const read = await h.req('GET', `Groups/${g.body.id}`);
    assert.ok(!('members' in read.body), read.raw);
    assert.ok(!('groups' in (await h.req('GET', `Users/${u.body.id}`)).body));
  });
});

describe('"The user object should be returned in a request whether or not the user is active" (Entra)', () => {
  test('the reference server finds the disabled user by filter', async () => {
    const { id, filtered } = await inactiveUserLookup(h);
    assert.deepEqual(ids(filtered), [id]);
    assert.equal(filtered.body.Resources[0].active, false);
  });
});

describe('Entra writes a space in a query as \'+\' (Users?filter=PLACEHOLDER+eq+"...")', () => {
  test("the reference server reads '+' as a space", async () => {
    const u = await h.req('POST', 'Users', user('plus.space@x.test'));
    assert.deepEqual(ids(await h.req('GET', PLUS_FILTER)), [u.body.id]);
    const g = await h.req('POST', 'Groups', group('EDU All personal'));
    assert.deepEqual(ids(await h.req('GET', 'Groups?excludedAttributes=members&filter=displayName+eq+%22EDU+All+personal%22')), [g.body.id]);
  });
});

describe('Okta looks a pushed group up by displayName eq (caseExact false)', () => {
  test('the reference server matches a displayName that differs only in case', async () => {
    const g = await h.req('POST', 'Groups', group('Engineering'));
    assert.deepEqual(ids(await h.req('GET', GROUP_CASE_LOOKUP)), [g.body.id]);
  });
});

describe('SailPoint reads the core User schema by its URI when it connects', () => {
  test('the reference server answers the schema', async () => {
    const res = await h.req('GET', `Schemas/${USER_URN}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.id, USER_URN);
  });
});

describe("Entra sends a UPN change as Replace on path userName (the tutorial's example)", () => {
  test('the reference server renames the user', async () => {
    const u = await h.req('POST', 'Users', user('old.upn@x.test'));
    assert.equal((await renameUserName(h, u.body.id)).status, 200);
    assert.equal((await h.req('GET', `Users/${u.body.id}`)).body.userName, 'new.upn@x.test');
  });
});

describe('SailPoint writes the delta bound in the server time zone', () => {
  test('the reference server compares the instant the offset names', async () => {
    const { id, res } = await offsetDeltaLookup(h);
    assert.ok(ids(res).includes(id), res.raw);
  });
});
