import { expect, given, req, test, verify } from '../../fixtures/test.ts';
import { NOT_CLAIMED } from '../../harness/capabilities.ts';
import { URN } from '../../harness/scim-schemas.ts';
import type { Step } from '../../simulators/index.ts';
import { expectActive, exchangesOf, stepDone } from '../checks/idp.ts';

// Requests Okta's SCIM 2.0 reference documents that the Okta simulator sends as written: the existence check when a
// deactivated user is assigned again, and the group lookup before Push Groups creates a group. Both run in AIW mode,
// where every write is a PUT (no PATCH support needed).

test.beforeEach(({ capabilities }) => {
  test.skip(!capabilities.filter, `${NOT_CLAIMED.filter}: Okta looks users and groups up with eq filters`);
});

/** Ids in the ListResponse of the step's first GET on this collection. */
function lookedUp(step: Step, collection: RegExp): { status: number | undefined; ids: string[]; url: string } {
  const e = exchangesOf(step, 'GET', collection)[0];
  const body = (e?.response?.body ?? {}) as { Resources?: Array<{ id?: string }> };
  return { status: e?.response?.status, ids: (body.Resources ?? []).map((r) => r.id ?? ''), url: e?.request.url ?? '(no lookup sent)' };
}

test(
  'Assigning again a user Okta deactivated: the userName existence check returns it, so Okta links instead of creating',
  req('OKTA-REASSIGN-FINDS-DEACTIVATED'),
  async ({ simulate, scim }) => {
    const okta = await simulate('okta', { mode: 'aiw', users: 1 });
    const p = okta.directory.people[0]!;
    await stepDone(okta.assign(p.key), `Okta assigns ${p.userName}`, 'OKTA-ASSIGN-CREATE');
    const id = okta.userIds.get(p.key)!;
    await stepDone(okta.unassign(p.key), `Okta unassigns ${p.userName} (a PUT with active false)`, 'OKTA-DEACTIVATE-AIW-PUT');
    await given('the user reads back deactivated', () => expectActive(scim, id, false), 'OKTA-DEACTIVATE-AIW-PUT');
    await verify('OKTA-REASSIGN-FINDS-DEACTIVATED', async () => {
      const again = await okta.assign(p.key);
      const check = lookedUp(again, /\/Users$/);
      expect(check.url, 'the existence check').toMatch(/filter=userName%20eq%20%22.+%22&startIndex=1&count=100$/);
      expect(check.status, check.url).toBe(200);
      expect(check.ids, `filter=userName eq "${p.userName}" after the deactivation`).toEqual([id]);
      expect(exchangesOf(again, 'POST', /\/Users$/), 'no second create').toHaveLength(0);
      expect(okta.userIds.get(p.key), 'Okta linked to the deactivated user').toBe(id);
    });
  },
);

test(
  'Push Groups looks the group up by displayName eq first and links to a group of that name, in any letter case',
  req('OKTA-GROUP-PUSH-LOOKUP'),
  async ({ simulate, scim, make }) => {
    const okta = await simulate('okta', { mode: 'aiw', users: 1, groups: 1 });
    const g = okta.directory.groups[0]!;
    // RFC 7643 §8.7.1 makes a Group's displayName caseExact false; a server whose schema says otherwise is judged on
    // the exact name
    const caseExact = await given(
      "the Group schema's displayName caseExact",
      async () => {
        const res = await scim.get(`/Schemas/${URN.group}`);
        const attrs = ((res.body ?? {}) as { attributes?: Array<{ name?: string; caseExact?: boolean }> }).attributes ?? [];
        return res.status === 200 && attrs.find((a) => a.name === 'displayName')?.caseExact === true;
      },
      'RFC-DISCOVERY-SCHEMAS-GET',
    );
    const existing = await make.group({ displayName: caseExact ? g.displayName : g.displayName.toUpperCase() });
    await verify('OKTA-GROUP-PUSH-LOOKUP', async () => {
      const push = await okta.pushGroup(g.key);
      const lookup = lookedUp(push, /\/Groups$/);
      expect(lookup.url, 'the group existence check').toMatch(/\/Groups\?filter=displayName%20eq%20%22.+%22&startIndex=1&count=100$/);
      expect(lookup.status, lookup.url).toBe(200);
      expect(lookup.ids, `displayName eq "${g.displayName}" with "${existing.displayName}" in the target`).toEqual([existing.id]);
      expect(exchangesOf(push, 'POST', /\/Groups$/), 'no second group created').toHaveLength(0);
      expect(okta.groupIds.get(g.key)).toBe(existing.id);
    });
  },
);
