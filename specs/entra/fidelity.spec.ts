import { expect, given, req, test, verify } from '../../fixtures/test.ts';
import { NOT_CLAIMED } from '../../harness/capabilities.ts';
import { type EntraSimulator, renamedUpn } from '../../simulators/index.ts';
import { expectActive, exchangesOf, expectStepOk, readUser, stepDone, usersNamed } from '../checks/idp.ts';

// Requests Microsoft documents that the Entra simulator sends as written: the matching query for a user back in
// scope, filters encoded as Entra encodes them ('+' for a space), and a UPN change. The compliant shapes
// (lower-case ops, real booleans) without the flag on the URL: op casing and string booleans have checks of their own.

test.beforeEach(({ capabilities }) => {
  test.skip(!capabilities.filter, `${NOT_CLAIMED.filter}: Entra matches every object with an eq filter`);
});

const COMPLIANT = { mode: 'compliant', groups: 0, users: 1, options: { flagInUrl: false } } as const;

/** The user created by Entra's initial cycle: set-up owned by ENTRA-CREATE-USER. */
async function provisioned(entra: EntraSimulator): Promise<{ key: string; id: string; userName: string }> {
  const p = entra.directory.people[0]!;
  await stepDone(entra.provisionUser(p.key), `Entra creates ${p.userName}`, 'ENTRA-CREATE-USER');
  return { key: p.key, id: entra.userIds.get(p.key)!, userName: p.userName };
}

test(
  "A disabled user back in scope is found by Entra's matching query, so Entra re-enables it instead of creating a second",
  req('ENTRA-RESTORE-MATCHES-DISABLED'),
  async ({ simulate, scim, capabilities }) => {
    test.skip(!capabilities.patch, `${NOT_CLAIMED.patch}: Entra disables and re-enables users by PATCH`);
    const entra = await simulate('entra', COMPLIANT);
    const u = await provisioned(entra);
    await stepDone(entra.disable(u.key, 'unassigned'), `Entra disables ${u.userName} (unassigned)`, 'ENTRA-DISABLE-SOFT');
    await given('the user reads back disabled', () => expectActive(scim, u.id, false), 'ENTRA-DISABLE-SOFT');
    await verify('ENTRA-RESTORE-MATCHES-DISABLED', async () => {
      const restore = await entra.enable(u.key);
      const match = exchangesOf(restore, 'GET', /\/Users$/)[0];
      expect(match?.request.url, 'the matching query').toMatch(/\/Users\?filter=userName%20eq%20%22.+%22$/);
      expect(match?.response?.status, match?.request.url).toBe(200);
      const found = ((match?.response?.body ?? {}) as { Resources?: Array<{ id?: string }> }).Resources ?? [];
      expect(
        found.map((r) => r.id),
        `userName eq "${u.userName}" while the user is disabled`,
      ).toEqual([u.id]);
      expect(exchangesOf(restore, 'POST', /\/Users$/), 'no second user created').toHaveLength(0);
      expect(entra.userIds.get(u.key)).toBe(u.id);
    });
  },
);

test(
  "Filters as Entra writes them, '+' for a space and %22 for quotes, select what the %20 form selects",
  req('ENTRA-FILTER-PLUS-SPACE'),
  async ({ scim, make }) => {
    const user = await make.user();
    const group = await make.group({ displayName: `${make.groupBody().displayName} EDU All personal` });
    const plus = (s: string) => new URLSearchParams([['v', s]]).toString().slice(2);
    await verify('ENTRA-FILTER-PLUS-SPACE', async () => {
      // Entra's Test Connection and user match (Microsoft's troubleshooting page logs Users?filter=PLACEHOLDER+eq+"...")
      const users = await scim.get(`/Users?filter=userName+eq+%22${plus(user.userName!)}%22`);
      expect(users.status, users.safeText.slice(0, 300)).toBe(200);
      expect(((users.body ?? {}) as { Resources?: Array<{ id: string }> }).Resources?.map((r) => r.id)).toEqual([user.id]);
      // Entra's group match, with '+' inside the quoted name too: displayName+eq+%22EDU+All+personal%22
      const groups = await scim.get(`/Groups?excludedAttributes=members&filter=displayName+eq+%22${plus(group.displayName!)}%22`);
      expect(groups.status, groups.safeText.slice(0, 300)).toBe(200);
      expect(((groups.body ?? {}) as { Resources?: Array<{ id: string }> }).Resources?.map((r) => r.id)).toEqual([group.id]);
    });
  },
);

test(
  'A UPN change, PATCH replace on path userName, renames the user: read back and matched by the new userName',
  req('ENTRA-RENAME-USERNAME'),
  async ({ simulate, scim, capabilities }) => {
    test.skip(!capabilities.patch, `${NOT_CLAIMED.patch}: Entra updates users only by PATCH`);
    const entra = await simulate('entra', COMPLIANT);
    const u = await provisioned(entra);
    const next = renamedUpn(u.userName);
    await verify('ENTRA-RENAME-USERNAME', async () => {
      const step = await entra.renameUser(u.key, next);
      expect(exchangesOf(step, 'PATCH')[0]?.request.body).toMatchObject({ Operations: [{ op: 'replace', path: 'userName', value: next }] });
      expectStepOk(step);
      expect((await readUser(scim, u.id)).userName?.toLowerCase()).toBe(next.toLowerCase());
      expect(await usersNamed(scim, next), `userName eq "${next}"`).toEqual([u.id]);
      expect(await usersNamed(scim, u.userName), `the old userName "${u.userName}"`).toEqual([]);
    });
  },
);
