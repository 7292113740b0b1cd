import { expect, given, PreconditionFailed, req, test, verify } from '../../fixtures/test.ts';
import { NOT_CLAIMED } from '../../harness/capabilities.ts';
import type { EntraMode, EntraSimulator } from '../../simulators/index.ts';
import { expectAppRegions, expectMembers, expectStepOk, expectStepsOk, exchangesOf, readGroup, unlessEntraCasingRefused } from '../checks/idp.ts';

// Entra ID group provisioning (docs/idp-patterns.md §3.4 E8-E11, §3.6): match by displayName without members,
// create with the ADSCIM schema, member add with $ref null, member removal in the mode's shape.

test.beforeEach(({ capabilities }) => {
  test.skip(!capabilities.filter, `${NOT_CLAIMED.filter}: Entra matches every object with an eq filter`);
  test.skip(!capabilities.patch, `${NOT_CLAIMED.patch}: Entra updates groups only by PATCH`);
});

/** The initial cycle as the set-up of a check: it must go as Entra expects, or the check is blocked (not assessed). */
async function initialCycle(entra: EntraSimulator): Promise<{ groupId: string; ids: (keys: string[]) => Array<string | undefined> }> {
  const before = entra.session.steps.length;
  await given(
    'the Entra initial cycle',
    async () => {
      await entra.initialCycle();
      expectStepsOk(entra.session.steps.slice(before));
    },
    'ENTRA-CREATE-USER',
  );
  const g = entra.directory.groups[0]!;
  return { groupId: entra.groupIds.get(g.key)!, ids: (keys) => keys.map((k) => entra.userIds.get(k)) };
}

test(
  'Initial cycle: the group is matched by displayName without members, created with the ADSCIM schema, members added with $ref null',
  req('ENTRA-GROUP-MATCH-DISPLAYNAME', 'ENTRA-GROUP-CREATE-EXTRA-SCHEMA', 'ENTRA-GROUP-MEMBERS-ADD-REFNULL'),
  async ({ simulate, scim }) => {
    const entra = await simulate('entra', { mode: 'legacy' });
    const before = entra.session.steps.length;
    await entra.initialCycle();
    const g = entra.directory.groups[0]!;
    const steps = entra.session.steps.slice(before);
    const groupId = entra.groupIds.get(g.key);
    const create = steps.flatMap((s) => exchangesOf(s, 'POST', /\/Groups$/))[0];
    await verify('ENTRA-GROUP-CREATE-EXTRA-SCHEMA', () => {
      expect((create?.request.body as { schemas: string[] } | undefined)?.schemas).toContain(
        'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group',
      );
      expect([200, 201], "a create carrying the ADSCIM schema is accepted (its status is RFC-GROUP-CREATE-201's)").toContain(create?.response?.status);
    });
    await verify('ENTRA-GROUP-MEMBERS-ADD-REFNULL', async () => {
      if (!groupId) throw new PreconditionFailed('the group was not created', 'ENTRA-GROUP-CREATE-EXTRA-SCHEMA');
      const add = steps.flatMap((s) => exchangesOf(s, 'PATCH', /\/Groups\//))[0];
      if ((add?.response?.status ?? 0) >= 400) await unlessEntraCasingRefused(scim);
      expect(add?.request.body).toMatchObject({
        Operations: [{ op: 'Add', path: 'members', value: expect.arrayContaining([{ $ref: null, value: expect.any(String) }]) }],
      });
      expect(g.memberKeys.length, 'several members in one op').toBeGreaterThanOrEqual(2);
      await expectMembers(
        scim,
        groupId,
        g.memberKeys.map((k) => entra.userIds.get(k)),
      );
    });
    await verify('ENTRA-GROUP-MATCH-DISPLAYNAME', async () => {
      if (!groupId) throw new PreconditionFailed('the group was not created', 'ENTRA-GROUP-CREATE-EXTRA-SCHEMA');
      // a second cycle matches the group by displayName instead of creating another
      const again = entra.session.steps.length;
      await entra.initialCycle();
      const groupStep = entra.session.steps.slice(again).find((s) => s.observed.groupId !== undefined);
      expectStepOk(groupStep);
      expect(groupStep.observed).toMatchObject({ groupId, matched: true });
    });
  },
);

test('excludedAttributes=members drops members from Group lists and reads', req('ENTRA-GROUP-EXCLUDE-MEMBERS'), async ({ simulate, scim }) => {
  const entra = await simulate('entra');
  const { groupId } = await initialCycle(entra);
  const g = entra.directory.groups[0]!;
  expect((await readGroup(scim, groupId)).members?.length, 'the group has members').toBeGreaterThan(0);
  const step = await entra.updateGroup(g.key, {});
  expectStepOk(step);
  const read = exchangesOf(step, 'GET', /\/Groups\//)[0];
  expect(read?.request.url).toContain('excludedAttributes=members');
  expect(read?.response?.body ?? {}, 'GET /Groups/{id}?excludedAttributes=members').not.toHaveProperty('members');
  const { list } = await scim.list('/Groups', { filter: `displayName eq "${g.displayName}"`, excludedAttributes: 'members' });
  expect(list.Resources?.length).toBe(1);
  expect(list.Resources?.[0] ?? {}, 'the matched group in the list').not.toHaveProperty('members');
});

const MODES: readonly EntraMode[] = ['legacy', 'compliant', 'mixed'];
for (const mode of MODES) {
  const removal = mode === 'compliant' ? 'ENTRA-REMOVE-MEMBER-FILTER' : 'ENTRA-REMOVE-MEMBER-VALUE';
  test(
    `Group update (${mode}): rename keeps the members, then add and remove exactly the members named`,
    req('ENTRA-GROUP-RENAME-KEEPS-MEMBERS', removal, 'ENTRA-GROUP-PATCH-204'),
    async ({ simulate, scim }) => {
      const entra = await simulate('entra', { mode, users: 4 });
      const { groupId, ids } = await initialCycle(entra);
      const g = entra.directory.groups[0]!;
      const members = [...g.memberKeys];
      const rename = await entra.updateGroup(g.key, { rename: `${g.displayName}-2` });
      await verify('ENTRA-GROUP-RENAME-KEEPS-MEMBERS', async () => {
        expectStepOk(rename);
        const renameOp = (exchangesOf(rename, 'PATCH')[0]?.request.body as { Operations: Array<{ path?: string }> }).Operations[0];
        if (mode === 'compliant') expect(renameOp?.path, 'compliant renames with a no-path replace').toBeUndefined();
        expect((await readGroup(scim, groupId)).displayName).toBe(g.displayName);
        await expectMembers(scim, groupId, ids(members));
      });
      const outsider = entra.directory.people.find((p) => !members.includes(p.key))!.key;
      const leaving = members[0]!;
      const step = await entra.updateGroup(g.key, { add: [outsider], remove: [leaving] });
      const patches = exchangesOf(step, 'PATCH');
      await verify('ENTRA-GROUP-PATCH-204', () => {
        // "should yield an HTTP 204": 200 is accepted too
        for (const e of [...exchangesOf(rename, 'PATCH'), ...patches]) expect([200, 204], `${e.request.method} ${e.request.url}`).toContain(e.response?.status);
      });
      await verify(removal, async () => {
        expectStepOk(step);
        const remove = (patches.at(-1)?.request.body as { Operations: Array<{ op: string; path: string; value?: unknown }> }).Operations[0];
        if (mode === 'compliant') expect(remove).toMatchObject({ op: 'remove', path: `members[value eq "${entra.userIds.get(leaving)}"]` });
        else expect(remove).toMatchObject({ op: 'Remove', path: 'members', value: [{ value: entra.userIds.get(leaving) }] });
        const after = (await readGroup(scim, groupId)).members?.map((m) => m.value) ?? [];
        expect(after, 'the member named is removed').not.toContain(entra.userIds.get(leaving));
        const staying = ids(members.filter((k) => k !== leaving));
        // the others must stay; when they are gone but the added one is there, the add replaced the list
        // (an add requirement's failure), and the removal cannot be judged
        if (staying.some((id) => !after.includes(id)) && after.includes(entra.userIds.get(outsider))) {
          throw new PreconditionFailed('the add in the same request replaced the member list, so the removal cannot be judged', 'RFC-PATCH-ADD-MEMBERS');
        }
        for (const id of staying) expect(after, `${id} stays`).toContain(id);
      });
    },
  );
}

test('Delete group answers 204 and the group is gone', req('ENTRA-GROUP-DELETE'), async ({ simulate, scim }) => {
  const entra = await simulate('entra', { mode: 'compliant' });
  const { groupId } = await initialCycle(entra);
  const step = await entra.deleteGroup(entra.directory.groups[0]!.key);
  expectStepOk(step);
  expect(exchangesOf(step, 'DELETE')[0]?.response?.status).toBe(204);
  expect((await scim.getGroup(groupId)).status).toBe(404);
});

test('Entra group memberships show as regions in the application', req('ENTRA-GROUP-APP-REGIONS'), async ({ simulate, needs }) => {
  const adapter = needs('userRegions');
  const entra = await simulate('entra', { mode: 'legacy' });
  await initialCycle(entra);
  const g = entra.directory.groups[0]!;
  const userNameOf = (k: string) => entra.directory.people.find((p) => p.key === k)!.userName;
  const [member] = g.memberKeys;
  await expectAppRegions(adapter, userNameOf(member!), [g.displayName]);
  expectStepOk(await entra.updateGroup(g.key, { remove: [member!] }));
  await expectAppRegions(adapter, userNameOf(member!), [], [g.displayName]);
});
