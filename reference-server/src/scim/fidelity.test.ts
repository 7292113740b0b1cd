/**
 * What the IdPs' documented requests need, at the route level, and the deliberate defects that break exactly that:
 * each test shows the correct answer, then the same request against the defect.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DefectName } from '../defects/index.ts';
import { GROUP_URN, group, harness, PATCH_URN, user, USER_URN, type Harness } from './testing.ts';

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_URN], Operations });

let h: Harness;
before(async () => {
  h = await harness();
});
after(async () => {
  await h.app.close();
});

async function withDefect(defect: DefectName, fn: (broken: Harness) => Promise<void>): Promise<void> {
  const broken = await harness({ defects: [defect] });
  try {
    await fn(broken);
  } finally {
    await broken.app.close();
  }
}

const ids = (res: { body: { Resources?: Array<{ id: string }> } }) => (res.body.Resources ?? []).map((r) => r.id);

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

describe('filter-hides-inactive-users: "The user object should be returned in a request whether or not the user is active"', () => {
  const scenario = async (s: Harness) => {
    const u = await s.req('POST', 'Users', user('gone.quiet@x.test'));
    await s.req('PATCH', `Users/${u.body.id}`, patch({ op: 'replace', value: { active: false } }));
    return {
      id: u.body.id as string,
      filtered: await s.req('GET', `Users?filter=${encodeURIComponent('userName eq "gone.quiet@x.test"')}&startIndex=1&count=100`),
      read: await s.req('GET', `Users/${u.body.id}`),
    };
  };
  test('the reference server finds the disabled user by filter', async () => {
    const { id, filtered } = await scenario(h);
    assert.deepEqual(ids(filtered), [id]);
    assert.equal(filtered.body.Resources[0].active, false);
  });
  test('the defect hides it from the filter only', () =>
    withDefect('filter-hides-inactive-users', async (broken) => {
      const { filtered, read } = await scenario(broken);
      assert.deepEqual(ids(filtered), []);
      assert.equal(read.status, 200);
      const active = await broken.req('POST', 'Users', user('still.here@x.test'));
      assert.deepEqual(ids(await broken.req('GET', `Users?filter=${encodeURIComponent('userName eq "still.here@x.test"')}`)), [active.body.id]);
    }));
});

describe('filter-plus-not-decoded: Entra writes a space in a query as \'+\' (Users?filter=PLACEHOLDER+eq+"...")', () => {
  const plus = 'Users?filter=userName+eq+%22plus.space%40x.test%22';
  test("the reference server reads '+' as a space", async () => {
    const u = await h.req('POST', 'Users', user('plus.space@x.test'));
    assert.deepEqual(ids(await h.req('GET', plus)), [u.body.id]);
    const g = await h.req('POST', 'Groups', group('EDU All personal'));
    assert.deepEqual(ids(await h.req('GET', 'Groups?excludedAttributes=members&filter=displayName+eq+%22EDU+All+personal%22')), [g.body.id]);
  });
  test("the defect refuses the '+' form and still takes %20", () =>
    withDefect('filter-plus-not-decoded', async (broken) => {
      const u = await broken.req('POST', 'Users', user('plus.space@x.test'));
      const refused = await broken.req('GET', plus);
      assert.equal(refused.status, 400, refused.raw);
      assert.equal(refused.body.scimType, 'invalidFilter');
      assert.deepEqual(ids(await broken.req('GET', 'Users?filter=userName%20eq%20%22plus.space%40x.test%22')), [u.body.id]);
    }));
});

describe('group-filter-displayname-case-sensitive: Okta looks a pushed group up by displayName eq (caseExact false)', () => {
  const lookup = `Groups?filter=${encodeURIComponent('displayName eq "engineering"')}&startIndex=1&count=100`;
  test('the reference server matches a displayName that differs only in case', async () => {
    const g = await h.req('POST', 'Groups', group('Engineering'));
    assert.deepEqual(ids(await h.req('GET', lookup)), [g.body.id]);
  });
  test('the defect does not, and still matches the exact name', () =>
    withDefect('group-filter-displayname-case-sensitive', async (broken) => {
      const g = await broken.req('POST', 'Groups', group('Engineering'));
      assert.deepEqual(ids(await broken.req('GET', lookup)), []);
      assert.deepEqual(ids(await broken.req('GET', `Groups?filter=${encodeURIComponent('displayName eq "Engineering"')}`)), [g.body.id]);
      const u = await broken.req('POST', 'Users', user('Case.Kept@x.test'));
      assert.deepEqual(ids(await broken.req('GET', `Users?filter=${encodeURIComponent('userName eq "case.kept@x.test"')}`)), [u.body.id]);
    }));
});

describe('schema-by-urn-404: SailPoint reads the core User schema by its URI when it connects', () => {
  const path = `Schemas/${USER_URN}`;
  test('the reference server answers the schema', async () => {
    const res = await h.req('GET', path);
    assert.equal(res.status, 200);
    assert.equal(res.body.id, USER_URN);
  });
  test('the defect answers 404 there and still lists the schemas', () =>
    withDefect('schema-by-urn-404', async (broken) => {
      assert.equal((await broken.req('GET', path)).status, 404);
      const list = await broken.req('GET', 'Schemas');
      assert.ok(list.body.Resources.some((s: { id: string }) => s.id === USER_URN));
    }));
});

describe("username-patch-immutable: Entra sends a UPN change as Replace on path userName (the tutorial's example)", () => {
  const rename = (s: Harness, id: string) => s.req('PATCH', `Users/${id}`, patch({ op: 'Replace', path: 'userName', value: 'new.upn@x.test' }));
  test('the reference server renames the user', async () => {
    const u = await h.req('POST', 'Users', user('old.upn@x.test'));
    assert.equal((await rename(h, u.body.id)).status, 200);
    assert.equal((await h.req('GET', `Users/${u.body.id}`)).body.userName, 'new.upn@x.test');
  });
  test('the defect refuses it with 400 mutability and still takes other changes', () =>
    withDefect('username-patch-immutable', async (broken) => {
      const u = await broken.req('POST', 'Users', user('old.upn@x.test'));
      const refused = await rename(broken, u.body.id);
      assert.equal(refused.status, 400);
      assert.equal(refused.body.scimType, 'mutability');
      assert.equal((await broken.req('PATCH', `Users/${u.body.id}`, patch({ op: 'replace', path: 'displayName', value: 'Old' }))).status, 200);
      assert.equal((await broken.req('PATCH', `Users/${u.body.id}`, patch({ op: 'replace', path: 'userName', value: 'old.upn@x.test' }))).status, 200);
    }));
});

describe('filter-datetime-ignores-offset: SailPoint writes the delta bound in the server time zone', () => {
  const delta = async (s: Harness) => {
    const u = await s.req('POST', 'Users', user('changed.late@x.test'));
    const modified = Date.parse(u.body.meta.lastModified);
    // the same instant one minute before the change, written at +01:00 (wall clock one hour ahead of UTC)
    const bound = new Date(modified - 60_000 + 3_600_000).toISOString().replace('Z', '+01:00');
    return { id: u.body.id, res: await s.req('GET', `Users?filter=${encodeURIComponent(`meta.lastModified gt "${bound}"`)}`) };
  };
  test('the reference server compares the instant the offset names', async () => {
    const { id, res } = await delta(h);
    assert.ok(ids(res).includes(id), res.raw);
  });
  test('the defect reads the wall clock as UTC, an hour late, and misses the change; Z values still work', () =>
    withDefect('filter-datetime-ignores-offset', async (broken) => {
      const { id, res } = await delta(broken);
      assert.ok(!ids(res).includes(id), res.raw);
      const since = new Date(Date.now() - 60_000).toISOString();
      assert.ok(ids(await broken.req('GET', `Users?filter=${encodeURIComponent(`meta.lastModified gt "${since}"`)}`)).includes(id));
    }));
});
