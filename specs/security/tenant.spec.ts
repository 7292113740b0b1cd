import { missingCapability } from '../../harness/adapter.ts';
import { clientFor, dispatcherFor } from '../../harness/connection.ts';
import { DataFactory, runPrefix, seededFaker } from '../../harness/data.ts';
import { bearerTarget } from '../../harness/target.ts';
import { sinkFor } from '../../fixtures/report-sink.ts';
import { expect, req, test as base, type FreshTenantHandle } from '../../fixtures/test.ts';
import { expectStatus, explain } from '../checks/scim.ts';

// Multi-tenancy (RFC 7644 §6): a token belongs to one tenant and sees only that tenant's data.

/**
 * `freshTenant` here is the vendor's second tenant when certify was given one (`--second-target URL --second-token T`),
 * else the adapter's fresh tenant. The second tenant lives on after the run: only what the checks create there is
 * removed.
 */
const test = base.extend({
  freshTenant: async ({ target, freshTenant }, use, testInfo) => {
    const second = target.secondTarget;
    if (!second) return use(freshTenant);
    const made: DataFactory[] = [];
    await use(async (): Promise<FreshTenantHandle> => {
      const tenant = bearerTarget(target, second.scimUrl, second.token);
      const scim = clientFor(tenant, sinkFor(testInfo, 'harness (second tenant)'), dispatcherFor(target));
      const make = new DataFactory(
        scim,
        seededFaker(target.seed, `${testInfo.testId}:second`),
        `${runPrefix(target.runId)}-s${made.length}t${testInfo.testId.slice(-6)}`,
      );
      made.push(make);
      return { scim, make, scimUrl: tenant.scimUrl };
    });
    for (const m of made) await m.cleanup();
  },
});

test.beforeEach(({ target, adapter }) => {
  const reason = missingCapability(adapter, 'freshTenant');
  test.skip(!target.secondTarget && reason !== undefined, `${reason}; or give certify a second tenant: --second-target URL --second-token-file F`);
});

test("a tenant's token is refused on another tenant's SCIM base", req('SEC-TENANT-TOKEN'), async ({ scim, freshTenant, target }) => {
  const other = await freshTenant();
  test.skip(other.scimUrl === target.scimUrl, 'the fresh tenant shares the SCIM base URL of the run: token-per-base isolation cannot be observed');
  const res = await scim.get(`${other.scimUrl}/Users`, { count: 1 });
  expect(res.status, explain(res)).toBe(401);
});

test(
  "one tenant cannot read, list, change or delete another tenant's resources",
  req('SEC-TENANT-ISOLATION'),
  async ({ scim, make, freshTenant, capabilities }) => {
    const mine = await make.user();
    const group = await make.group({ members: [{ value: mine.id }] });
    const other = await freshTenant();
    const probes = [
      await other.scim.getUser(mine.id),
      await other.scim.getGroup(group.id),
      await other.scim.put(`/Users/${mine.id}`, other.make.userBody({ userName: mine.userName! })),
      ...(capabilities.patch ? [await other.scim.patch(`/Users/${mine.id}`, [{ op: 'replace', path: 'displayName', value: 'hijacked' }])] : []),
      await other.scim.delete(`/Users/${mine.id}`),
      await other.scim.delete(`/Groups/${group.id}`),
    ];
    for (const res of probes) expect([401, 403, 404], explain(res)).toContain(res.status);
    const listed = await other.scim.get('/Users', { filter: `userName eq "${mine.userName}"` });
    if (listed.status === 200) expect((listed.body as { totalResults?: number }).totalResults, explain(listed)).toBe(0);
    const still = await scim.user(await scim.getUser(mine.id));
    expect(still.displayName).toBe(mine.displayName);
    expectStatus(await scim.getGroup(group.id), 200);
  },
);

test('the same userName can exist in two tenants', req('SEC-TENANT-UNIQUENESS'), async ({ make, freshTenant }) => {
  const mine = await make.user();
  const other = await freshTenant();
  const theirs = await other.make.user({ userName: mine.userName! });
  expect(theirs.userName).toBe(mine.userName);
});
