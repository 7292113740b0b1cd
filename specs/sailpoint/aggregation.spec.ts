import { expect, readOnlyReq, req, test, verify } from '../../fixtures/test.ts';
import { NOT_CLAIMED } from '../../harness/capabilities.ts';
import { URN } from '../../harness/scim-schemas.ts';
import type { SailPointSimulator } from '../../simulators/index.ts';
import { expectStepOk, exchangesOf, listedIds, stepDone } from '../checks/idp.ts';

// SailPoint Test Connection, Discover Schema and aggregation (docs/idp-patterns.md §4.3-4.5). Aggregations carry an
// admin filter on this test's namespace, so other tests writing to the same tenant never shift the pages read.

/** The namespace the fixture gave this simulator's people (`<prefix>-<nick>@domain`). */
function namespaceOf(sp: SailPointSimulator): string {
  const u = sp.directory.people[0]!.userName;
  return u.slice(0, u.lastIndexOf('-') + 1);
}

async function createAll(sp: SailPointSimulator): Promise<string[]> {
  for (const p of sp.directory.people) await stepDone(sp.createAccount(p.key), `SailPoint creates ${p.userName}`, 'SP-CREATE-ACCOUNT');
  return sp.directory.people.map((p) => sp.userIds.get(p.key)!);
}

test(
  'Test Connection: the discovery endpoints, then /Users?startIndex=1&count=1, all answer 200 (GETs carry Content-Type)',
  readOnlyReq('SP-DISCOVERY-CONNECT', 'SP-CONTENT-TYPE-ON-GET'),
  async ({ simulate }) => {
    const sp = await simulate('sailpoint');
    const step = await sp.testConnection();
    const gets = exchangesOf(step, 'GET');
    await verify('SP-DISCOVERY-CONNECT', () => {
      expectStepOk(step);
      expect(gets.map((e) => new URL(e.request.url).pathname.split('/').pop())).toEqual(
        expect.arrayContaining(['ServiceProviderConfig', 'ResourceTypes', 'Schemas']),
      );
      for (const e of gets) expect(e.response?.status, e.request.url).toBe(200);
    });
    await verify('SP-CONTENT-TYPE-ON-GET', () => {
      // SailPoint sends Content-Type on its GETs too: a server must answer them like any other
      for (const e of gets) {
        expect(e.request.headers['content-type']).toBe('application/scim+json');
        // refused for the header (415, or 400 for a body-less GET with a content type); a 404 is the endpoint's own matter
        expect([400, 415], `${e.request.url} answered ${e.response?.status}`).not.toContain(e.response?.status);
      }
    });
  },
);

test('/ResourceTypes/User and /ResourceTypes/Group answer their resource types', readOnlyReq('SP-DISCOVERY-RESOURCETYPES'), async ({ scim }) => {
  for (const [name, endpoint] of [
    ['User', '/Users'],
    ['Group', '/Groups'],
  ] as const) {
    const res = await scim.get(`/ResourceTypes/${name}`);
    expect(res.status, res.safeText.slice(0, 300)).toBe(200);
    expect(res.body).toMatchObject({ name, endpoint });
  }
});

test(
  'Discover Schema: /Schemas lists the core User and Group schemas, /ResourceTypes the extensions',
  readOnlyReq('SP-DISCOVER-SCHEMA'),
  async ({ simulate, capabilities }) => {
    const sp = await simulate('sailpoint');
    const step = await sp.discoverSchema();
    expectStepOk(step);
    expect(step.observed.schemas).toEqual(expect.arrayContaining([URN.user, URN.group]));
    if (capabilities.enterpriseUser) expect(step.observed.schemas).toEqual(expect.arrayContaining([URN.enterprise]));
    const types = exchangesOf(step, 'GET', /\/ResourceTypes$/)[0]?.response?.body as {
      Resources?: Array<{ name?: string; schemaExtensions?: Array<{ schema: string }> }>;
    };
    expect((types.Resources ?? []).map((t) => t.name)).toEqual(expect.arrayContaining(['User', 'Group']));
  },
);

test(
  'Account Aggregation pages by startIndex/count, reads every account once with its identity, and ids stay stable',
  req('SP-AGG-PAGED', 'SP-AGG-IDENTITY', 'SP-AGG-STABLE-IDS'),
  async ({ simulate, capabilities }) => {
    test.skip(!capabilities.filter, `${NOT_CLAIMED.filter}: the aggregation carries the admin's filter`);
    const sp = await simulate('sailpoint', { users: 7, options: { pageSize: 3 } });
    sp.options.accountFilter = `userName sw "${namespaceOf(sp)}"`;
    const ids = await createAll(sp);
    const step = await sp.aggregateAccounts();
    const pages = exchangesOf(step, 'GET', /\/Users$/);
    await verify('SP-AGG-PAGED', () => {
      expectStepOk(step);
      expect(pages.length, 'three pages of three').toBeGreaterThanOrEqual(3);
      pages.forEach((e, i) => expect(e.request.url).toMatch(new RegExp(`startIndex=${1 + 3 * i}&count=3$`)));
      expect(listedIds(step).slice().sort()).toEqual(ids.slice().sort());
    });
    await verify('SP-AGG-IDENTITY', () => {
      for (const e of pages) {
        for (const r of (e.response?.body as { Resources?: Array<Record<string, unknown>> } | undefined)?.Resources ?? []) {
          expect(typeof r.id === 'string' && typeof r.userName === 'string', `identity of ${JSON.stringify(r).slice(0, 200)}`).toBe(true);
        }
      }
    });
    await verify('SP-AGG-STABLE-IDS', async () => {
      const first = listedIds(step);
      const again = await sp.aggregateAccounts();
      expectStepOk(again);
      expect(
        listedIds(again)
          .filter((x) => ids.includes(x))
          .sort(),
        'the same ids on the next aggregation',
      ).toEqual(first.filter((x) => ids.includes(x)).sort());
    });
  },
);

test('The admin filter on aggregation selects exactly the matching accounts', req('SP-AGG-FILTER'), async ({ simulate, capabilities }) => {
  test.skip(!capabilities.filter, NOT_CLAIMED.filter);
  const sp = await simulate('sailpoint', { users: 3 });
  const ids = await createAll(sp);
  const first = sp.directory.people[0]!;
  sp.options.accountFilter = `userName sw "${first.userName}"`;
  const step = await sp.aggregateAccounts();
  expectStepOk(step);
  expect(listedIds(step)).toEqual([ids[0]]);
  sp.options.accountFilter = `userName sw "${namespaceOf(sp)}"`;
  const all = await sp.aggregateAccounts();
  expect(listedIds(all).slice().sort()).toEqual(ids.slice().sort());
});

test('Explicit Attribute Request: attributes=userName,emails returns those and id only', req('SP-AGG-ATTRIBUTES'), async ({ simulate, capabilities }) => {
  test.skip(!capabilities.filter, NOT_CLAIMED.filter);
  const sp = await simulate('sailpoint', { users: 2 });
  await createAll(sp);
  sp.options.accountFilter = `userName sw "${namespaceOf(sp)}"`;
  sp.options.explicitAttributes = ['userName', 'emails'];
  const step = await sp.aggregateAccounts();
  expectStepOk(step);
  expect(exchangesOf(step, 'GET')[0]?.request.url).toContain('attributes=userName%2Cemails');
  const resources = exchangesOf(step, 'GET').flatMap((e) => (e.response?.body as { Resources: Array<Record<string, unknown>> }).Resources);
  expect(resources).toHaveLength(2);
  for (const r of resources) {
    expect(r).toMatchObject({ id: expect.any(String), userName: expect.any(String), emails: expect.any(Array) });
    for (const absent of ['name', 'title', 'displayName', URN.enterprise]) expect(r, `${absent} was not asked for`).not.toHaveProperty(absent);
  }
});

test('Aggregation with paging off answers every account in one ListResponse', req('SP-AGG-NO-PAGING'), async ({ simulate, capabilities }) => {
  test.skip(!capabilities.filter, NOT_CLAIMED.filter);
  const sp = await simulate('sailpoint', { users: 3, options: { pageSize: null } });
  const ids = await createAll(sp);
  sp.options.accountFilter = `userName sw "${namespaceOf(sp)}"`;
  const step = await sp.aggregateAccounts();
  expectStepOk(step);
  expect(exchangesOf(step, 'GET')).toHaveLength(1);
  expect(exchangesOf(step, 'GET')[0]?.request.url).not.toContain('count=');
  expect(listedIds(step).slice().sort()).toEqual(ids.slice().sort());
});

test('Entitlement Aggregation pages /Groups with the group filter and finds every group', req('SP-AGG-GROUPS'), async ({ simulate, capabilities }) => {
  test.skip(!capabilities.filter, NOT_CLAIMED.filter);
  const sp = await simulate('sailpoint', { users: 1, groups: 3, options: { pageSize: 2 } });
  for (const g of sp.directory.groups) await sp.ensureEntitlement(g.key);
  const created = new Map(sp.groupIds);
  sp.groupIds.clear();
  sp.options.groupFilter = `displayName sw "${sp.directory.groups[0]!.displayName.split(' ')[0]} "`;
  const step = await sp.aggregateEntitlements();
  expectStepOk(step);
  expect(exchangesOf(step, 'GET', /\/Groups$/).length, 'two pages of two').toBeGreaterThanOrEqual(2);
  expect(step.observed.entitlements).toBe(3);
  expect(new Map(sp.groupIds)).toEqual(created);
  for (const g of sp.directory.groups) expectStepOk(await sp.deleteGroup(g.key));
});

test('Delta Aggregation by meta.lastModified gt returns the changed accounts only', req('SP-AGG-DELTA-LASTMODIFIED'), async ({ simulate, capabilities }) => {
  test.skip(!capabilities.filter, NOT_CLAIMED.filter);
  test.skip(!capabilities.patch, NOT_CLAIMED.patch);
  const sp = await simulate('sailpoint', { users: 3 });
  const ids = await createAll(sp);
  sp.options.accountFilter = `userName sw "${namespaceOf(sp)}"`;
  expectStepOk(await sp.aggregateAccounts());
  // a change strictly after the aggregation began, on a millisecond clock
  await new Promise((r) => setTimeout(r, 20));
  expectStepOk(await sp.updateAccount(sp.directory.people[1]!.key, { title: 'Delta Analyst' }));
  const delta = await sp.deltaAggregation();
  expectStepOk(delta);
  expect(decodeURIComponent(exchangesOf(delta, 'GET')[0]!.request.url)).toMatch(/filter=meta\.lastModified gt "[^"]+" and userName sw/);
  expect(listedIds(delta)).toEqual([ids[1]]);
  const quiet = await sp.deltaAggregation();
  expectStepOk(quiet);
  expect(listedIds(quiet), 'nothing changed since the last delta').toEqual([]);
});
