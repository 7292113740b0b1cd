import { expect, given, PreconditionFailed, readOnlyReq, req, test, verify } from '../../fixtures/test.ts';
import type { ScimClient } from '../../harness/scim-client.ts';
import { NOT_CLAIMED } from '../../harness/capabilities.ts';
import { URN } from '../../harness/scim-schemas.ts';
import type { EntraMode, EntraSimulator } from '../../simulators/index.ts';
import {
  expectActive,
  expectAppRegions,
  expectAppStatus,
  expectMembers,
  expectStepOk,
  expectStepsOk,
  expectUserGone,
  exchangesOf,
  readUser,
  stepDone,
  unlessEntraCasingRefused,
  usersNamed,
} from '../checks/idp.ts';

// Entra ID provisioning of users (docs/idp-patterns.md §3), replayed by the Entra simulator in legacy, compliant
// (aadOptscim062020) and mixed modes.

const MODES: readonly EntraMode[] = ['legacy', 'compliant', 'mixed'];

test.beforeEach(({ capabilities }) => {
  test.skip(!capabilities.filter, `${NOT_CLAIMED.filter}: Entra matches every object with an eq filter`);
  test.skip(!capabilities.patch, `${NOT_CLAIMED.patch}: Entra updates users only by PATCH`);
});

const enterprise = (u: Record<string, unknown>) => (u[URN.enterprise] ?? {}) as Record<string, unknown>;

/**
 * Runs the initial cycle as the set-up of a check: every step must go as Entra expects, or the check cannot reach its
 * rule and is not assessed, blocked by the cycle (whose creates ENTRA-CREATE-USER judges).
 */
async function initialCycle(entra: EntraSimulator): Promise<void> {
  const before = entra.session.steps.length;
  await given(
    'the Entra initial cycle',
    async () => {
      await entra.initialCycle();
      expectStepsOk(entra.session.steps.slice(before));
    },
    'ENTRA-CREATE-USER',
  );
}

/** A PATCH of active sent directly, to tell which part of Entra's legacy shape a server refuses. */
async function patchActive(scim: ScimClient, id: string, op: string, value: unknown): Promise<number> {
  return (await scim.patch(`/Users/${id}`, [{ op, path: 'active', value }])).status;
}

test(
  'Test Connection: a filter on a random GUID answers 200 with an empty ListResponse, without Content-Type on the GET',
  readOnlyReq('ENTRA-EMPTY-FILTER-200', 'ENTRA-GET-NO-CONTENT-TYPE'),
  async ({ simulate }) => {
    const entra = await simulate('entra');
    const step = await entra.testConnection();
    const get = exchangesOf(step, 'GET')[0];
    await verify('ENTRA-EMPTY-FILTER-200', () => {
      expectStepOk(step);
      expect(get?.response?.body).toMatchObject({ totalResults: 0 });
    });
    await verify('ENTRA-GET-NO-CONTENT-TYPE', () => {
      expect(get?.request.headers['content-type'], 'Entra sends no Content-Type on GET').toBeUndefined();
      expect(get?.request.headers.accept, 'Entra sends no Accept').toBeUndefined();
      expect(get?.response?.status, 'a GET without Content-Type or Accept is answered').toBe(200);
    });
  },
);

for (const mode of MODES) {
  test(
    `Full lifecycle (${mode}): every answer is what Entra accepts, every body is application/scim+json`,
    req('ENTRA-RESPONSE-CONTENT-TYPE', 'ENTRA-GET-NO-CONTENT-TYPE', ...(mode === 'compliant' ? ['ENTRA-FLAG-QUERY-PARAM'] : [])),
    async ({ simulate }) => {
      const entra = await simulate('entra', { mode });
      const result = await entra.run('full-lifecycle');
      const exchanges = result.steps.flatMap((s) => s.exchanges);
      await verify('ENTRA-RESPONSE-CONTENT-TYPE', () => {
        for (const e of exchanges) {
          if (!e.response || e.response.status === 204 || e.response.body === undefined || e.response.body === null) continue;
          expect(e.response.headers['content-type'] ?? '(none)', `${e.request.method} ${e.request.url}`).toMatch(/^application\/scim\+json\s*(;|$)/i);
        }
      });
      await verify('ENTRA-GET-NO-CONTENT-TYPE', () => {
        const gets = exchanges.filter((e) => e.request.method === 'GET' && e.request.headers['content-type'] === undefined);
        expect(gets.length, 'Entra sent GETs without Content-Type').toBeGreaterThan(0);
        for (const e of gets) expect(e.response?.status, `${e.request.url} without Content-Type`).toBeLessThan(400);
      });
      if (mode === 'compliant') {
        await verify('ENTRA-FLAG-QUERY-PARAM', () => {
          expect(
            exchanges.every((e) => /[?&]aadOptscim062020(&|$)/.test(e.request.url)),
            'the flag rides on every request',
          ).toBe(true);
          expectStepsOk(result.steps.filter((s) => s.name === 'Test Connection'));
        });
      }
    },
  );

  const pathsId = mode === 'compliant' ? 'ENTRA-NOPATH-DOTTED-KEYS' : 'ENTRA-PATCH-PATHS';
  test(
    `Update (${mode}): each op the mode sends changes exactly its attribute`,
    req(pathsId, 'ENTRA-PATCH-ENTERPRISE-PATH', ...(mode === 'compliant' ? [] : ['ENTRA-PATCH-OP-CASE'])),
    async ({ simulate, scim, capabilities }) => {
      test.skip(!capabilities.enterpriseUser, NOT_CLAIMED.enterpriseUser);
      const entra = await simulate('entra', { mode });
      await initialCycle(entra);
      const p = entra.directory.people[0]!;
      const change = entra.sampleChange(p);
      Object.assign(p, change);
      const step = await entra.updateUser(p.key, change);
      const ops = (exchangesOf(step, 'PATCH')[0]?.request.body as { Operations?: Array<{ op: string; path?: string }> } | undefined)?.Operations ?? [];
      if (mode !== 'compliant') {
        await verify('ENTRA-PATCH-OP-CASE', () => {
          expect(
            ops.every((o) => o.op === 'Replace'),
            'capitalised ops',
          ).toBe(true);
          expectStepOk(step);
        });
      }
      // the attributes can only be judged when the server took the request
      const read = async () => {
        if (!step.ok) throw new PreconditionFailed(`Entra's update was refused: ${step.message}`, mode === 'compliant' ? undefined : 'ENTRA-PATCH-OP-CASE');
        return readUser(scim, entra.userIds.get(p.key)!);
      };
      await verify(pathsId, async () => {
        if (mode === 'compliant')
          expect(
            ops.some((o) => o.path === undefined),
            'a no-path op with dotted keys',
          ).toBe(true);
        const u = await read();
        expect(u.name).toMatchObject({ familyName: p.familyName, givenName: p.givenName, formatted: `${p.givenName} ${p.familyName}` });
        expect(u.emails?.find((e) => e.type === 'work')?.value).toBe(p.email);
        expect(u.userName).toBe(p.userName);
      });
      await verify('ENTRA-PATCH-ENTERPRISE-PATH', async () => {
        expect(enterprise(await read())).toMatchObject({ department: p.department, employeeNumber: p.employeeNumber });
      });
    },
  );

  test(
    `Disable (soft delete) and Enable (${mode}): active flips, the user stays readable and matchable`,
    req(
      'ENTRA-DISABLE-SOFT',
      'ENTRA-ENABLE-ACTIVE',
      ...(mode === 'legacy' ? ['ENTRA-PATCH-BOOL-STRING'] : []),
      ...(mode === 'compliant' ? [] : ['ENTRA-PATCH-OP-CASE']),
    ),
    async ({ simulate, scim }) => {
      const entra = await simulate('entra', { mode, users: 1, groups: 0 });
      await initialCycle(entra);
      const p = entra.directory.people[0]!;
      const id = entra.userIds.get(p.key)!;
      const off = await entra.disable(p.key, 'soft-deleted');
      const op = (exchangesOf(off, 'PATCH')[0]?.request.body as { Operations?: Array<{ value: unknown }> } | undefined)?.Operations?.[0];
      // when Entra's PATCH is refused, a PATCH of one shape at a time tells which part the server refuses
      if (mode !== 'compliant') {
        await verify('ENTRA-PATCH-OP-CASE', async () => {
          if (off.ok) return;
          expect([200, 204], 'op "Replace" with a boolean value').toContain(await patchActive(scim, id, 'Replace', false));
        });
      }
      if (mode === 'legacy') {
        await verify('ENTRA-PATCH-BOOL-STRING', async () => {
          expect(op?.value).toBe('False');
          if (off.ok) return;
          expect([200, 204], 'op "replace" with the string "False"').toContain(await patchActive(scim, id, 'replace', 'False'));
        });
      }
      await verify('ENTRA-DISABLE-SOFT', async () => {
        if (!off.ok)
          throw new PreconditionFailed(
            `Entra's Disable was refused: ${off.message}`,
            mode === 'compliant' ? undefined : 'ENTRA-PATCH-OP-CASE or ENTRA-PATCH-BOOL-STRING',
          );
        expect(op?.value).toBe(mode === 'legacy' ? 'False' : false);
        await expectActive(scim, id, false);
        expect(await usersNamed(scim, p.userName), 'a disabled user is still matched').toEqual([id]);
      });
      await verify('ENTRA-ENABLE-ACTIVE', async () => {
        if (!off.ok) throw new PreconditionFailed(`Entra's Disable was refused: ${off.message}`);
        expectStepOk(await entra.enable(p.key));
        await expectActive(scim, id, true);
      });
    },
  );
}

test('Disable with the lower-case strings "false"/"true" of a Switch() mapping', req('ENTRA-PATCH-BOOL-LOWER'), async ({ simulate, scim }) => {
  const entra = await simulate('entra', { mode: 'legacy', users: 1, groups: 0, options: { activeValue: 'string-lower' } });
  await initialCycle(entra);
  const p = entra.directory.people[0]!;
  await verify('ENTRA-PATCH-BOOL-LOWER', async () => {
    const off = await entra.disable(p.key, 'soft-deleted');
    if (!off.ok) await unlessEntraCasingRefused(scim);
    expectStepOk(off);
    expect(JSON.stringify(exchangesOf(off, 'PATCH')[0]?.request.body)).toContain('"value":"false"');
    await expectActive(scim, entra.userIds.get(p.key)!, false);
    expectStepOk(await entra.enable(p.key));
    await expectActive(scim, entra.userIds.get(p.key)!, true);
  });
});

for (const mode of ['legacy', 'compliant'] as const) {
  test(`Disable (${mode}) shows the user Disabled in the application, Enable Active`, req('ENTRA-DISABLE-APP-DISABLED'), async ({ simulate, needs }) => {
    const adapter = needs('userStatus');
    const entra = await simulate('entra', { mode, users: 1, groups: 0 });
    await initialCycle(entra);
    const p = entra.directory.people[0]!;
    await expectAppStatus(adapter, p.userName, 'Active');
    await stepDone(entra.disable(p.key, 'soft-deleted'), 'Entra disables the user', 'ENTRA-DISABLE-SOFT');
    await expectAppStatus(adapter, p.userName, 'Disabled');
    await stepDone(entra.enable(p.key), 'Entra enables the user', 'ENTRA-ENABLE-ACTIVE');
    await expectAppStatus(adapter, p.userName, 'Active');
  });
}

test(
  'Create (E1) answers 201 and stores externalId, active and the enterprise attributes',
  req('ENTRA-CREATE-USER'),
  async ({ simulate, scim, capabilities }) => {
    test.skip(!capabilities.enterpriseUser, NOT_CLAIMED.enterpriseUser);
    const entra = await simulate('entra', { groups: 0 });
    await initialCycle(entra);
    for (const p of entra.directory.people) {
      const u = await readUser(scim, entra.userIds.get(p.key)!);
      expect(u).toMatchObject({ userName: p.userName, externalId: p.mailNickname, active: true });
      expect(u.meta?.resourceType).toBe('User');
      expect(enterprise(u)).toMatchObject({ department: p.department, employeeNumber: p.employeeNumber });
    }
  },
);

for (const matchOn of ['userName', 'externalId', 'emails'] as const) {
  const id = { userName: 'ENTRA-MATCH-USERNAME', externalId: 'ENTRA-MATCH-EXTERNALID', emails: 'ENTRA-MATCH-EMAIL' }[matchOn];
  test(`A second initial cycle matching on ${matchOn} finds every user instead of creating`, req(id), async ({ simulate }) => {
    const entra = await simulate('entra', { groups: 0, options: { matchOn } });
    await initialCycle(entra);
    const first = new Map(entra.userIds);
    const before = entra.session.steps.length;
    await entra.initialCycle();
    const creates = entra.session.steps.slice(before).filter((s) => s.name === 'Create');
    expectStepsOk(creates);
    for (const s of creates) {
      expect(s.observed.matched, `${s.message}`).toBe(true);
      expect(exchangesOf(s, 'POST')).toHaveLength(0);
    }
    expect(new Map(entra.userIds)).toEqual(first);
  });
}

for (const managerShape of ['documented', 'urn-string', 'post-string'] as const) {
  test(
    `The manager sent as ${managerShape} is stored and returned as {value, $ref}`,
    req('ENTRA-MANAGER-SHAPES', 'ENTRA-MANAGER-RETURNED-OBJECT'),
    async ({ simulate, scim, capabilities }) => {
      test.skip(!capabilities.enterpriseUser, NOT_CLAIMED.enterpriseUser);
      const entra = await simulate('entra', { groups: 0, options: { managerShape, mapManager: true } });
      const before = entra.session.steps.length;
      await entra.initialCycle();
      const steps = entra.session.steps.slice(before);
      const [boss, report] = entra.directory.people;
      const bossId = entra.userIds.get(boss!.key);
      let manager: unknown;
      await verify('ENTRA-MANAGER-SHAPES', async () => {
        if (!steps.every((x) => x.ok)) await unlessEntraCasingRefused(scim);
        expectStepsOk(steps);
        const u = await readUser(scim, entra.userIds.get(report!.key)!);
        manager = enterprise(u).manager;
        expect(JSON.stringify(manager ?? null), 'the manager is stored').toContain(String(bossId));
      });
      await verify('ENTRA-MANAGER-RETURNED-OBJECT', () => {
        if (manager === undefined) throw new PreconditionFailed('no manager was stored to read', 'ENTRA-MANAGER-SHAPES');
        expect(manager, 'manager is an object').toMatchObject({ value: bossId });
        const ref = (manager as { $ref?: unknown }).$ref;
        if (ref !== undefined) expect(String(ref)).toContain(String(bossId));
      });
    },
  );
}

test(
  'The manager check id eq ... and manager eq ... matches only the manager that is set',
  req('ENTRA-MANAGER-CHECK-FILTER'),
  async ({ simulate, scim, capabilities }) => {
    test.skip(!capabilities.enterpriseUser, NOT_CLAIMED.enterpriseUser);
    const entra = await simulate('entra', { groups: 0, options: { checkManagerFirst: true, mapManager: true } });
    await initialCycle(entra);
    const [boss, report, other] = entra.directory.people;
    const id = entra.userIds.get(report!.key)!;
    const again = await entra.updateManager(report!.key);
    expectStepOk(again);
    expect(again.message, 'the check found the manager already set').toMatch(/already set/);
    expect(exchangesOf(again, 'PATCH')).toHaveLength(0);
    const wrong = await scim.list('/Users', { filter: `id eq "${id}" and manager eq "${entra.userIds.get(other!.key)}"`, attributes: 'id' });
    expect(wrong.res.status).toBe(200);
    expect(wrong.list.totalResults, 'another manager id does not match').toBe(0);
    const right = await scim.list('/Users', { filter: `id eq "${id}" and manager eq "${entra.userIds.get(boss!.key)}"`, attributes: 'id' });
    expect(right.list.totalResults).toBe(1);
  },
);

test('Add on emails[type eq "work"].value creates the work email when there is none', req('ENTRA-ADD-VALUEPATH-CREATES'), async ({ simulate, scim, make }) => {
  const entra = await simulate('entra', { users: 1, groups: 0 });
  const p = entra.directory.people[0]!;
  const home = `${p.mailNickname}@home.example.test`;
  const created = await scim.post('/Users', { ...entra.createBody(p), emails: [{ type: 'home', value: home }] });
  make.track('Users', created);
  const id = await given(
    'a User with only a home email',
    async () => {
      expect([200, 201], created.safeText.slice(0, 300)).toContain(created.status);
      return (await scim.user(created)).id;
    },
    'ENTRA-CREATE-USER',
  );
  await verify('ENTRA-ADD-VALUEPATH-CREATES', async () => {
    const res = await scim.patch(`/Users/${id}`, [{ op: 'Add', path: 'emails[type eq "work"].value', value: p.email }]);
    if (res.status >= 400) await unlessEntraCasingRefused(scim);
    expect([200, 204], res.safeText.slice(0, 300)).toContain(res.status);
    const emails = (await readUser(scim, id)).emails ?? [];
    expect(emails.find((e) => e.type === 'work')?.value).toBe(p.email);
    expect(emails.find((e) => e.type === 'home')?.value).toBe(home);
  });
});

test('A create carrying "active":"True" as a string stores the boolean', req('ENTRA-CREATE-BOOL-STRING'), async ({ simulate, scim }) => {
  const entra = await simulate('entra', { users: 1, groups: 0 });
  const created = await scim.post('/Users', { ...entra.createBody(entra.directory.people[0]!), active: 'True' });
  expect([200, 201], created.safeText.slice(0, 300)).toContain(created.status);
  const u = await scim.user(created);
  await scim.delete(`/Users/${u.id}`);
  expect(u.active).toBe(true);
});

test(
  'Explicit nulls and the malformed "...:enterprise:2.0User" URN of older Entra creates are tolerated',
  req('ENTRA-CREATE-LEGACY-SHAPES'),
  async ({ simulate, scim }) => {
    const entra = await simulate('entra', { users: 1, groups: 0 });
    const p = entra.directory.people[0]!;
    const { [URN.enterprise]: _ext, ...core } = entra.createBody(p);
    const created = await scim.post('/Users', {
      ...core,
      schemas: [URN.user, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0User'],
      addresses: null,
      title: null,
      manager: null,
    });
    expect([200, 201], created.safeText.slice(0, 300)).toContain(created.status);
    const u = await scim.user(created);
    await scim.delete(`/Users/${u.id}`);
    expect(u.userName).toBe(p.userName);
  },
);

test('Delete (hard delete) answers 204; the user is then 404 and no longer matched', req('ENTRA-HARD-DELETE'), async ({ simulate, scim }) => {
  const entra = await simulate('entra', { users: 1, groups: 0 });
  await initialCycle(entra);
  const p = entra.directory.people[0]!;
  const id = entra.userIds.get(p.key)!;
  await stepDone(entra.disable(p.key, 'soft-deleted'), 'Entra soft-deletes first', 'ENTRA-DISABLE-SOFT');
  const step = await entra.hardDelete(p.key);
  expectStepOk(step);
  expect(exchangesOf(step, 'DELETE')[0]?.response?.status).toBe(204);
  await expectUserGone(scim, id, p.userName);
});

test('After a hard delete the user is gone from the application and from its regions', req('ENTRA-DELETE-APP-ABSENT'), async ({ simulate, needs, scim }) => {
  const adapter = needs('userStatus', 'userRegions');
  const entra = await simulate('entra', { users: 2, groups: 1 });
  await initialCycle(entra);
  const g = entra.directory.groups[0]!;
  const p = entra.directory.people.find((x) => g.memberKeys.includes(x.key))!;
  await expectAppRegions(adapter, p.userName, [g.displayName]);
  const groupId = entra.groupIds.get(g.key)!;
  expectStepOk(await entra.hardDelete(p.key));
  await expectAppStatus(adapter, p.userName, 'Absent');
  expect(await adapter.userRegions(p.userName)).toEqual([]);
  // the region (a SCIM Group) no longer lists the deleted user
  await expectMembers(
    scim,
    groupId,
    entra.directory.people.filter((x) => x.key !== p.key && g.memberKeys.includes(x.key)).map((x) => entra.userIds.get(x.key)),
  );
});
