import { expect, given, readOnlyReq, req, test, verify } from '../../fixtures/test.ts';
import { URN } from '../../harness/scim-schemas.ts';
import { NOT_CLAIMED } from '../../harness/capabilities.ts';
import type { OktaMode } from '../../simulators/index.ts';
import { expectScimError, expectStatus } from '../checks/scim.ts';
import { describeStep, expectActive, expectAppStatus, expectNumericPaging, expectStepOk, exchangesOf, readUser, stepDone, usersNamed } from '../checks/idp.ts';

// Okta-style provisioning of users (docs/idp-patterns.md §2.3-2.6), replayed by the Okta simulator in each mode.

const MODES: readonly OktaMode[] = ['oin', 'aiw'];

test.beforeEach(({ capabilities }) => {
  test.skip(!capabilities.filter, `${NOT_CLAIMED.filter}: Okta's existence check is a userName filter`);
});

test(
  'Test API Credentials reads Users and Groups as ListResponses with numeric paging fields',
  readOnlyReq('OKTA-CONNECT-LIST', 'OKTA-LIST-NUMBERS', 'OKTA-CONNECT-GROUPS'),
  async ({ simulate }) => {
    const okta = await simulate('okta', { options: { testCredentialsReadsGroups: true } });
    const step = await okta.testApiCredentials();
    const users = exchangesOf(step, 'GET', /\/Users$/)[0];
    await verify('OKTA-CONNECT-LIST', () => {
      expect(users?.request.url).toMatch(/startIndex=1&count=2$/);
      expect(users?.response?.status, describeStep(step)).toBe(200);
      expect((users?.response?.body as { schemas?: string[] } | undefined)?.schemas).toContain(URN.list);
    });
    await verify('OKTA-CONNECT-GROUPS', () => {
      expect(exchangesOf(step, 'GET', /\/Groups$/)[0]?.response?.status, describeStep(step)).toBe(200);
    });
    await verify('OKTA-LIST-NUMBERS', () => expectNumericPaging(step));
  },
);

test(
  'Assign: the existence check finds nothing, the create answers 201 with the full user, a second assign links',
  req('OKTA-ASSIGN-FILTER-EQ', 'OKTA-ASSIGN-CREATE', 'OKTA-ASSIGN-EMPTY-BODY', 'OKTA-ASSIGN-LINK', 'OKTA-USER-STILL-EXISTS'),
  async ({ simulate, scim }) => {
    const okta = await simulate('okta', { users: 1 });
    const p = okta.directory.people[0]!;
    const step = await okta.assign(p.key);
    const [check, create] = [exchangesOf(step, 'GET')[0], exchangesOf(step, 'POST')[0]];
    await verify('OKTA-ASSIGN-FILTER-EQ', () => {
      // Okta's reference: an empty ListResponse, or "the error schema response" 404, both mean not found
      if (check?.response?.status === 404) return;
      expect(check?.response?.status, describeStep(step)).toBe(200);
      expect((check?.response?.body as { totalResults?: unknown }).totalResults).toBe(0);
    });
    await verify('OKTA-ASSIGN-CREATE', async () => {
      expect(create?.response?.status, describeStep(step)).toBe(201);
      const id = okta.userIds.get(p.key);
      expect(id, 'the created user has an id').toBeTruthy();
      const stored = await readUser(scim, id!);
      expect(stored).toMatchObject({ userName: p.userName, externalId: p.idpId, active: true, name: { givenName: p.givenName, familyName: p.familyName } });
    });
    await verify('OKTA-ASSIGN-EMPTY-BODY', () => {
      expect(create?.response?.body, 'the create returns the user').toMatchObject({ userName: p.userName, id: expect.any(String) });
    });
    const id = await given(
      'the assigned user',
      async () => {
        expectStepOk(step);
        return okta.userIds.get(p.key)!;
      },
      'OKTA-ASSIGN-CREATE',
    );
    const again = await okta.assign(p.key);
    await verify('OKTA-ASSIGN-LINK', async () => {
      expectStepOk(again);
      expect(again.observed.linked, 'the second assign links to the existing user').toBe(true);
      expect(exchangesOf(again, 'POST'), 'no second create').toHaveLength(0);
      expect(await usersNamed(scim, p.userName)).toEqual([id]);
    });
    await verify('OKTA-USER-STILL-EXISTS', async () => {
      expectStatus(await scim.getUser(id), 200);
    });
  },
);

test('Assign: the existence check matches a userName that differs only in case', req('OKTA-ASSIGN-FILTER-CASE'), async ({ simulate }) => {
  const first = await simulate('okta', { users: 1 });
  const p = first.directory.people[0]!;
  expectStepOk(await first.assign(p.key));
  const second = await simulate('okta', { users: 1 });
  const q = second.directory.people[0]!;
  q.userName = p.userName.toUpperCase();
  const step = await second.assign(q.key);
  expectStepOk(step);
  expect(step.observed.linked, `userName eq "${q.userName}" found ${p.userName}`).toBe(true);
  expect(second.userIds.get(q.key)).toBe(first.userIds.get(p.key));
});

test('A create for an existing userName answers 409 uniqueness', req('OKTA-ASSIGN-DUPLICATE-409'), async ({ simulate, scim }) => {
  const okta = await simulate('okta', { users: 1 });
  const p = okta.directory.people[0]!;
  expectStepOk(await okta.assign(p.key));
  // Okta's documented 409 carries no scimType (RFC-USER-CREATE-UNIQUENESS holds that): a SCIM error with 409
  await expectScimError(scim, await scim.post('/Users', okta.createBody(p)), 409);
});

for (const mode of MODES) {
  test(`Update User Attributes (${mode}): GET then PUT of the fetched user stores the change`, req('OKTA-UPDATE-PUT'), async ({ simulate, scim }) => {
    const okta = await simulate('okta', { mode, users: 1 });
    const p = okta.directory.people[0]!;
    expectStepOk(await okta.assign(p.key));
    const step = await okta.updateUserAttributes(p.key, { familyName: `${p.familyName}-Moreau` });
    expectStepOk(step);
    const put = exchangesOf(step, 'PUT')[0];
    expect(put?.response?.status).toBe(200);
    expect(put?.request.body, 'Okta PUTs the object it fetched, id and meta included').toMatchObject({ id: okta.userIds.get(p.key), meta: expect.any(Object) });
    const stored = await expectActive(scim, okta.userIds.get(p.key)!, true);
    expect(stored.name?.familyName).toBe(p.familyName);
    expect(stored.displayName).toBe(p.displayName);
  });

  const deactivateId = mode === 'oin' ? 'OKTA-DEACTIVATE-NOPATH' : 'OKTA-DEACTIVATE-AIW-PUT';
  test(
    `Deactivate and Reactivate (${mode}) flip active and keep the user`,
    req(deactivateId, 'OKTA-DEACTIVATE-KEEPS-USER', 'OKTA-REACTIVATE-ACTIVE'),
    async ({ simulate, scim, capabilities }) => {
      test.skip(mode === 'oin' && !capabilities.patch, NOT_CLAIMED.patch);
      const okta = await simulate('okta', { mode, users: 1 });
      const p = okta.directory.people[0]!;
      await stepDone(okta.assign(p.key), 'Okta assigns the user', 'OKTA-ASSIGN-CREATE');
      const id = okta.userIds.get(p.key)!;
      const off = await okta.deactivate(p.key);
      await verify(deactivateId, async () => {
        expectStepOk(off);
        if (mode === 'oin') expect(exchangesOf(off, 'PATCH')[0]?.request.body).toMatchObject({ Operations: [{ op: 'replace', value: { active: false } }] });
        else expect(exchangesOf(off, 'PUT')[0]?.request.body).toMatchObject({ id, active: false });
        await expectActive(scim, id, false);
      });
      await verify('OKTA-DEACTIVATE-KEEPS-USER', async () => {
        expect(await usersNamed(scim, p.userName), 'the deactivated user is still found by its userName').toEqual([id]);
      });
      await verify('OKTA-REACTIVATE-ACTIVE', async () => {
        expectStepOk(await okta.reactivate(p.key));
        await expectActive(scim, id, true);
      });
    },
  );

  test(
    `Deactivate (${mode}) shows the user Disabled in the application, Reactivate Active`,
    req('OKTA-DEACTIVATE-APP-DISABLED'),
    async ({ simulate, needs, capabilities }) => {
      const adapter = needs('userStatus');
      test.skip(mode === 'oin' && !capabilities.patch, NOT_CLAIMED.patch);
      const okta = await simulate('okta', { mode, users: 1 });
      const p = okta.directory.people[0]!;
      expectStepOk(await okta.assign(p.key));
      await expectAppStatus(adapter, p.userName, 'Active');
      expectStepOk(await okta.deactivate(p.key));
      await expectAppStatus(adapter, p.userName, 'Disabled');
      expectStepOk(await okta.reactivate(p.key));
      await expectAppStatus(adapter, p.userName, 'Active');
    },
  );

  test(`Sync Password (${mode}) is accepted and the password is never returned`, req('OKTA-SYNC-PASSWORD'), async ({ simulate, scim, capabilities }) => {
    test.skip(mode === 'oin' && !capabilities.patch, NOT_CLAIMED.patch);
    const okta = await simulate('okta', { mode, users: 1 });
    const p = okta.directory.people[0]!;
    expectStepOk(await okta.assign(p.key));
    const step = await okta.syncPassword(p.key);
    expectStepOk(step);
    for (const e of step.exchanges) expect(JSON.stringify(e.response?.body ?? null), 'a response carrying the password').not.toContain('"password"');
    const stored = await readUser(scim, okta.userIds.get(p.key)!);
    expect(stored).not.toHaveProperty('password');
    expect(stored.active).not.toBe(false);
  });
}

test('A PUT that leaves out active does not deactivate the user', req('OKTA-PUT-KEEPS-ACTIVE'), async ({ simulate, scim }) => {
  const okta = await simulate('okta', { users: 1 });
  const p = okta.directory.people[0]!;
  expectStepOk(await okta.assign(p.key));
  const id = okta.userIds.get(p.key)!;
  const { active: _dropped, ...withoutActive } = await readUser(scim, id);
  const res = await scim.put(`/Users/${id}`, { ...withoutActive, displayName: `${p.displayName} (PUT)` });
  expect(res.status, res.safeText.slice(0, 300)).toBe(200);
  await expectActive(scim, id, true);
});

test(
  'A profile update as one no-path PATCH replace (oin_patch_profile) is applied',
  req('OKTA-UPDATE-PATCH-PROFILE'),
  async ({ simulate, scim, capabilities }) => {
    test.skip(!capabilities.patch, NOT_CLAIMED.patch);
    const okta = await simulate('okta', { mode: 'oin', users: 1, options: { oinPatchProfile: true } });
    const p = okta.directory.people[0]!;
    expectStepOk(await okta.assign(p.key));
    const step = await okta.updateUserAttributes(p.key, { givenName: `${p.givenName}-Ann`, familyName: `${p.familyName}-Lee` });
    expectStepOk(step);
    expect(exchangesOf(step, 'PATCH')).toHaveLength(1);
    const stored = await readUser(scim, okta.userIds.get(p.key)!);
    expect(stored.name).toMatchObject({ givenName: p.givenName, familyName: p.familyName });
    expect(stored.displayName).toBe(p.displayName);
  },
);

test('Requests sent as application/json are processed like application/scim+json', req('OKTA-CONTENT-JSON'), async ({ simulate, scim, capabilities }) => {
  test.skip(!capabilities.patch, NOT_CLAIMED.patch);
  const okta = await simulate('okta', { users: 1, options: { jsonContentType: true } });
  const p = okta.directory.people[0]!;
  const assigned = await okta.assign(p.key);
  expectStepOk(assigned);
  expect(exchangesOf(assigned, 'POST')[0]?.request.headers['content-type']).toBe('application/json');
  expectStepOk(await okta.deactivate(p.key));
  await expectActive(scim, okta.userIds.get(p.key)!, false);
});

test('Import Now pages /Users by 100 and reads every user exactly once', req('OKTA-IMPORT-PAGED'), async ({ simulate, idpTenant }) => {
  test.setTimeout(120_000);
  const tenant = await idpTenant();
  const okta = await simulate('okta', { tenant, users: 103, groups: 1 });
  const [assigned, bulk] = [okta.directory.people.slice(0, 3), okta.directory.people.slice(3)];
  for (const p of assigned) expectStepOk(await okta.assign(p.key));
  // 100 more users go in directly, without Okta's password placeholder: hashing it is the slow part
  const direct: string[] = [];
  let step;
  try {
    for (const p of bulk) {
      const { password: _none, ...body } = okta.createBody(p);
      const res = await tenant.scim.post('/Users', body);
      expect([200, 201], res.safeText.slice(0, 300)).toContain(res.status);
      direct.push((await tenant.scim.user(res)).id);
    }
    step = await okta.importNow();
  } finally {
    for (const id of direct) await tenant.scim.delete(`/Users/${id}`);
  }
  expectStepOk(step);
  const pages = exchangesOf(step, 'GET', /\/Users$/);
  expect(pages.length, 'at least two pages of 100').toBeGreaterThanOrEqual(2);
  pages.forEach((e, i) => expect(e.request.url).toMatch(new RegExp(`startIndex=${1 + 100 * i}&count=100$`)));
  const imported = pages.flatMap((e) => ((e.response?.body as { Resources?: Array<{ id?: string }> }).Resources ?? []).map((r) => r.id ?? ''));
  expect(new Set(imported).size, 'no user read twice').toBe(imported.length);
  const ours = [...okta.userIds.values(), ...direct];
  expect(
    ours.filter((id) => !imported.includes(id)),
    'users the import missed',
  ).toEqual([]);
  if (tenant.fresh) {
    const last = pages.at(-1)?.response?.body as { totalResults?: number };
    expect(imported.length, 'every user of the tenant').toBe(last.totalResults);
  }
});
