import { expect, given, notAssessed, readOnlyReq, req, test, verify } from '../../fixtures/test.ts';
import type { ScimClient, ScimResponse } from '../../harness/scim-client.ts';
import { URN, type ScimGroup } from '../../harness/scim-schemas.ts';
import { expectScimError, expectStatus, explain } from '../checks/scim.ts';

// RFC 7643 §4.2 and RFC 7644 §3.3-3.6: the Group resource.

/** The Group a POST created, as a precondition of checks that read it: any 2xx with a valid Group body. */
function createdGroup(scim: ScimClient, res: ScimResponse): Promise<ScimGroup> {
  return given(
    `the created Group (POST answered ${res.status})`,
    async () => {
      if (res.status < 200 || res.status > 299) throw new Error(explain(res));
      return scim.group(res);
    },
    'RFC-GROUP-CREATE-201',
  );
}

test(
  'POST /Groups answers 201 with the group; the members given are stored',
  req('RFC-GROUP-CREATE-201', 'RFC-GROUP-CREATE-MEMBERS', 'RFC-GROUP-MEMBER-REF'),
  async ({ scim, make }) => {
    const [a, b] = [await make.user(), await make.user()];
    const body = make.groupBody({ members: [{ value: a.id }, { value: b.id }] });
    const res = await scim.post('/Groups', body);
    make.track('Groups', res);
    await verify('RFC-GROUP-CREATE-201', async () => {
      expectStatus(res, 201);
      const group = await scim.group(res);
      expect(group.schemas).toContain(URN.group);
      expect(group.displayName).toBe(body.displayName);
      expect(group.id, 'the created Group has an id').toBeTruthy();
    }, [res]);
    const group = await createdGroup(scim, res);
    const stored = await given('reading the created Group back', async () => scim.group(await scim.getGroup(group.id)), 'RFC-GROUP-GET');
    await verify('RFC-GROUP-CREATE-MEMBERS', () => {
      expect((stored.members ?? []).map((m) => m.value).sort()).toEqual([a.id, b.id].sort());
    });
    await verify('RFC-GROUP-MEMBER-REF', () => {
      // "$ref ... is OPTIONAL" (RFC 7643 §2.3.7): a member without one is fine; one that is given names the member
      const withRef = (stored.members ?? []).filter((m) => m.$ref);
      if (withRef.length === 0) notAssessed('the members carry no $ref (it is OPTIONAL), so there is none to check');
      for (const m of withRef) expect(String(m.$ref), `member ${m.value}'s $ref`).toContain(String(m.value));
    });
  },
);

test(
  'GET /Groups/{id} returns the Group; an unknown id is 404; GET /Groups lists',
  readOnlyReq('RFC-GROUP-GET', 'RFC-GROUP-GET-NOTFOUND', 'RFC-GROUP-LIST'),
  async ({ scim, target }) => {
    await verify('RFC-GROUP-GET-NOTFOUND', async () => {
      await expectScimError(scim, await scim.getGroup('scimulator-no-such-id'), 404);
    });
    let first: { id?: string } | undefined;
    await verify('RFC-GROUP-LIST', async () => {
      const { list } = await scim.list('/Groups', { count: 3 });
      expect(list.schemas).toContain(URN.list);
      first = list.Resources?.[0];
    });
    test.skip(!first && target.readOnly, 'read-only run on a target without groups: nothing to read back');
    await verify('RFC-GROUP-GET', async () => {
      if (!first?.id) return;
      const res = await scim.getGroup(first.id);
      expectStatus(res, 200);
      expect((await scim.group(res)).id).toBe(first.id);
    });
  },
);

test('a created Group reads back unchanged', req('RFC-GROUP-GET'), async ({ scim, make }) => {
  const group = await make.group();
  await verify('RFC-GROUP-GET', async () => {
    const got = await scim.group(await scim.getGroup(group.id));
    expect(got.id).toBe(group.id);
    expect(got.displayName).toBe(group.displayName);
  });
});

test('PUT /Groups/{id} replaces displayName and members', req('RFC-GROUP-PUT-REPLACE'), async ({ scim, make }) => {
  const [a, b] = [await make.user(), await make.user()];
  const group = await make.group({ members: [{ value: a.id }] });
  const name = make.name('renamed');
  await verify('RFC-GROUP-PUT-REPLACE', async () => {
    const res = await scim.put(`/Groups/${group.id}`, { schemas: [URN.group], displayName: name, members: [{ value: b.id }] });
    expectStatus(res, 200);
    const got = await scim.group(await scim.getGroup(group.id));
    expect(got.displayName).toBe(name);
    expect((got.members ?? []).map((m) => m.value)).toEqual([b.id]);
  });
});

test('DELETE /Groups/{id} answers 204 and the Group is gone; its members remain', req('RFC-GROUP-DELETE-204'), async ({ scim, make }) => {
  const user = await make.user();
  const group = await make.group({ members: [{ value: user.id }] });
  await verify('RFC-GROUP-DELETE-204', async () => {
    expectStatus(await scim.delete(`/Groups/${group.id}`), 204);
    await expectScimError(scim, await scim.getGroup(group.id), 404);
    expectStatus(await scim.getUser(user.id), 200);
  });
});

test('a deleted User disappears from the members of every Group', req('RFC-GROUP-DELETED-MEMBER'), async ({ scim, make }) => {
  const [gone, stays] = [await make.user(), await make.user()];
  const g1 = await make.group({ members: [{ value: gone.id }, { value: stays.id }] });
  const g2 = await make.group({ members: [{ value: gone.id }] });
  await given('deleting a member User', async () => expectStatus(await scim.delete(`/Users/${gone.id}`), 200, 204), 'RFC-USER-DELETE-204');
  await verify('RFC-GROUP-DELETED-MEMBER', async () => {
    const after1 = await scim.group(await scim.getGroup(g1.id));
    const after2 = await scim.group(await scim.getGroup(g2.id));
    expect((after1.members ?? []).map((m) => m.value)).toEqual([stays.id]);
    expect((after2.members ?? []).map((m) => m.value)).toEqual([]);
  });
});
