import { expect, given, req, test, verify } from '../../fixtures/lifecycle.ts';
import { lifecycleDirectory } from '../../harness/lifecycle-services.ts';
import { provided } from './steps.ts';

/**
 * Seed, "Removing a User via IdP: The user is deleted from the Users tab UI, and is removed from associated regions."
 * Regions are SCIM Groups. Entra deletes with "Delete (hard delete)", SailPoint with "Delete Account"; a deleted user also
 * loses access, as deprovisioning "removes user access to the Own Application".
 */

test('Entra "Delete (hard delete)" removes the user from the Users tab', req('LC-DELETE-USERS-TAB'), async ({ tenant, needs }) => {
  const adapter = needs('userStatus');
  const person = lifecycleDirectory('entra').people[0]!;
  const entra = tenant.simulator('entra');
  await provided(tenant, entra.provisionUser(person.key), 'Entra provisions the user', 'ENTRA-CREATE-USER');
  await given(
    'the user is listed after provisioning',
    async () => expect(await adapter.userStatus(person.userName)).toBe('Active'),
    'LC-DEPROV-DISABLED-ENTRA',
  );
  await provided(tenant, entra.disable(person.key, 'soft-deleted'), 'Entra soft-deletes first');
  await provided(tenant, entra.hardDelete(person.key), 'Entra "Delete (hard delete)"', 'ENTRA-HARD-DELETE');
  await verify('LC-DELETE-USERS-TAB', async () => {
    expect(await adapter.userStatus(person.userName), 'in the Users tab after deletion').toBe('Absent');
  });
});

test('SailPoint "Delete Account" removes the user from the Users tab', req('LC-DELETE-USERS-TAB'), async ({ tenant, needs }) => {
  const adapter = needs('userStatus');
  const person = lifecycleDirectory('sailpoint').people[0]!;
  const sp = tenant.simulator('sailpoint');
  await provided(tenant, sp.createAccount(person.key), 'SailPoint "Create Account"', 'SP-CREATE-ACCOUNT');
  await given(
    'the user is listed after provisioning',
    async () => expect(await adapter.userStatus(person.userName)).toBe('Active'),
    'LC-DEPROV-DISABLED-SAILPOINT',
  );
  await provided(tenant, sp.deleteAccount(person.key), 'SailPoint "Delete Account"', 'SP-DELETE-ACCOUNT');
  await verify('LC-DELETE-USERS-TAB', async () => {
    expect(await adapter.userStatus(person.userName), 'in the Users tab after deletion').toBe('Absent');
  });
});

test(
  'SailPoint "Delete Account": the deleted user can no longer sign in through SSO',
  req('LC-DELETE-SIGNIN-REFUSED'),
  async ({ tenant, needs, freshPage }) => {
    const adapter = needs('signIn');
    const person = lifecycleDirectory('sailpoint').people[1]!;
    const sp = tenant.simulator('sailpoint');
    await provided(tenant, sp.createAccount(person.key), 'SailPoint "Create Account"', 'SP-CREATE-ACCOUNT');
    await given(
      'sign-in before deletion',
      async () => expect(await adapter.signIn(await freshPage(), person.userName)).toBe('signed-in'),
      'LC-SSO-SIGNIN-PROVISIONED',
    );
    await provided(tenant, sp.deleteAccount(person.key), 'SailPoint "Delete Account"', 'SP-DELETE-ACCOUNT');
    await verify('LC-DELETE-SIGNIN-REFUSED', async () => {
      expect(await adapter.signIn(await freshPage(), person.userName), 'sign-in after deletion').toBe('refused');
    });
  },
);

test('a user the IdP deletes is removed from every region they belonged to', req('LC-DELETE-REGIONS'), async ({ tenant, needs }) => {
  const adapter = needs('userRegions');
  const directory = lifecycleDirectory('entra');
  const [person, other] = [directory.people[0]!, directory.people[1]!];
  const regions = directory.groups.slice(0, 2);
  const entra = tenant.simulator('entra', { directory });
  for (const p of [person, other]) await provided(tenant, entra.provisionUser(p.key), `Entra provisions ${p.userName}`, 'ENTRA-CREATE-USER');
  for (const g of regions) {
    await provided(tenant, entra.provisionGroup(g.key), `Entra provisions the group ${g.displayName}`);
    await provided(tenant, entra.addMembers(g.key, [person.key, other.key]), `Entra adds both users to ${g.displayName}`);
  }
  await given('the regions of the user before deletion', async () =>
    expect((await adapter.userRegions(person.userName)).sort()).toEqual(regions.map((g) => g.displayName).sort()),
  );
  const userId = await given('the user is found over SCIM', async () => {
    const found = await tenant.scim.get('/Users', { filter: `userName eq "${person.userName}"` });
    const id = (found.body as { Resources?: Array<{ id: string }> }).Resources?.[0]?.id;
    if (!id) throw new Error(`userName eq "${person.userName}" found nothing`);
    return id;
  });
  await provided(tenant, entra.hardDelete(person.key), 'Entra "Delete (hard delete)"', 'ENTRA-HARD-DELETE');
  await verify('LC-DELETE-REGIONS', async () => {
    // every region still exists, without the deleted user and with the other member
    const groups = await tenant.scim.get('/Groups', { filter: regions.map((g) => `displayName eq "${g.displayName}"`).join(' or ') });
    const list = (groups.body as { Resources?: Array<{ displayName: string; members?: Array<{ value: string }> }> }).Resources ?? [];
    expect(list.length, 'the regions are still there').toBe(regions.length);
    for (const g of list) {
      const members = (g.members ?? []).map((m) => m.value);
      expect(members.includes(userId), `${g.displayName} still lists the deleted user`).toBe(false);
      expect(members.length, `${g.displayName} keeps its other member`).toBe(1);
    }
    expect(await adapter.userRegions(other.userName), 'the other member keeps both regions').toHaveLength(regions.length);
  });
});
