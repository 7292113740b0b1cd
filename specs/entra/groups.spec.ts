import { expect, req, test } from '../../fixtures/test.ts';
import { NOT_CLAIMED } from '../../fixtures/capabilities.ts';
import type { EntraMode, EntraSimulator } from '../../simulators/index.ts';
import { expectAppRegions, expectMembers, expectStepOk, expectStepsOk, exchangesOf, readGroup } from '../checks/idp.ts';

// Entra ID group provisioning (idp-patterns.md §3.4 E8-E11, §3.6): match by displayName without members,
// create with the ADSCIM schema, member add with $ref null, member removal in the mode's shape.

test.beforeEach(({ capabilities }) => {
  test.skip(!capabilities.filter, `${NOT_CLAIMED.filter}: Entra matches every object with an eq filter`);
  test.skip(!capabilities.patch, `${NOT_CLAIMED.patch}: Entra updates groups only by PATCH`);
});

async function initialCycle(entra: EntraSimulator): Promise<{ groupId: string; ids: (keys: string[]) => Array<string | undefined> }> {
  const before = entra.session.steps.length;
  await entra.initialCycle();
  expectStepsOk(entra.session.steps.slice(before));
  const g = entra.directory.groups[0]!;
  return { groupId: entra.groupIds.get(g.key)!, ids: (keys) => keys.map((k) => entra.userIds.get(k)) };
}

test('Initial cycle: the group is matched by displayName without members, created with the ADSCIM schema, members added with $ref null', req('ENTRA-GROUP-MATCH-DISPLAYNAME', 'ENTRA-GROUP-CREATE-EXTRA-SCHEMA', 'ENTRA-GROUP-MEMBERS-ADD-REFNULL'), async ({ simulate, scim }) => {
  const entra = await simulate('entra', { mode: 'legacy' });
  const before = entra.session.steps.length;
  const { groupId, ids } = await initialCycle(entra);
  const g = entra.directory.groups[0]!;
  const steps = entra.session.steps.slice(before);
  const create = steps.flatMap((s) => exchangesOf(s, 'POST', /\/Groups$/))[0];
  expect(create?.response?.status).toBe(201);
  expect((create?.request.body as { schemas: string[] }).schemas).toContain('http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group');
  const add = steps.flatMap((s) => exchangesOf(s, 'PATCH', /\/Groups\//))[0];
  expect(add?.request.body).toMatchObject({ Operations: [{ op: 'Add', path: 'members', value: expect.arrayContaining([{ $ref: null, value: expect.any(String) }]) }] });
  expect(g.memberKeys.length, 'several members in one op').toBeGreaterThanOrEqual(2);
  await expectMembers(scim, groupId, ids(g.memberKeys));
  // a second cycle matches the group by displayName instead of creating another
  const again = entra.session.steps.length;
  await entra.initialCycle();
  const groupStep = entra.session.steps.slice(again).find((s) => s.observed.groupId !== undefined);
  expectStepOk(groupStep);
  expect(groupStep.observed).toMatchObject({ groupId, matched: true });
});

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
  test(`Group update (${mode}): rename keeps the members, then add and remove exactly the members named`, req('ENTRA-GROUP-RENAME-KEEPS-MEMBERS', removal, 'ENTRA-GROUP-PATCH-204'), async ({ simulate, scim }) => {
    const entra = await simulate('entra', { mode, users: 4 });
    const { groupId, ids } = await initialCycle(entra);
    const g = entra.directory.groups[0]!;
    const members = [...g.memberKeys];
    const rename = await entra.updateGroup(g.key, { rename: `${g.displayName}-2` });
    expectStepOk(rename);
    const renameOp = (exchangesOf(rename, 'PATCH')[0]?.request.body as { Operations: Array<{ path?: string }> }).Operations[0];
    if (mode === 'compliant') expect(renameOp?.path, 'compliant renames with a no-path replace').toBeUndefined();
    expect((await readGroup(scim, groupId)).displayName).toBe(g.displayName);
    await expectMembers(scim, groupId, ids(members));
    const outsider = entra.directory.people.find((p) => !members.includes(p.key))!.key;
    const leaving = members[0]!;
    const step = await entra.updateGroup(g.key, { add: [outsider], remove: [leaving] });
    expectStepOk(step);
    const patches = exchangesOf(step, 'PATCH');
    for (const e of patches) expect([200, 204], `${e.request.method} ${e.request.url}`).toContain(e.response?.status);
    const remove = (patches.at(-1)?.request.body as { Operations: Array<{ op: string; path: string; value?: unknown }> }).Operations[0];
    if (mode === 'compliant') expect(remove).toMatchObject({ op: 'remove', path: `members[value eq "${entra.userIds.get(leaving)}"]` });
    else expect(remove).toMatchObject({ op: 'Remove', path: 'members', value: [{ value: entra.userIds.get(leaving) }] });
    await expectMembers(scim, groupId, ids([...members.filter((k) => k !== leaving), outsider]));
  });
}

test('Delete group answers 204 and the group is gone', req('ENTRA-GROUP-DELETE'), async ({ simulate, scim }) => {
  const entra = await simulate('entra', { mode: 'compliant' });
  const { groupId } = await initialCycle(entra);
  const step = await entra.deleteGroup(entra.directory.groups[0]!.key);
  expectStepOk(step);
  expect(exchangesOf(step, 'DELETE')[0]?.response?.status).toBe(204);
  expect((await scim.getGroup(groupId)).status).toBe(404);
});

test('Entra group memberships show as regions in the application', req('ENTRA-GROUP-APP-REGIONS'), async ({ simulate, needsAdapter, adapter }) => {
  needsAdapter('userRegions');
  const entra = await simulate('entra', { mode: 'legacy' });
  await initialCycle(entra);
  const g = entra.directory.groups[0]!;
  const userNameOf = (k: string) => entra.directory.people.find((p) => p.key === k)!.userName;
  const [member] = g.memberKeys;
  await expectAppRegions(adapter, userNameOf(member!), [g.displayName]);
  expectStepOk(await entra.updateGroup(g.key, { remove: [member!] }));
  await expectAppRegions(adapter, userNameOf(member!), [], [g.displayName]);
});
