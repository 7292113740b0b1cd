import { expect, given, notAssessed, readOnlyReq, req, test, verify } from '../../fixtures/test.ts';
import { NOT_CLAIMED } from '../../harness/capabilities.ts';
import { URN } from '../../harness/scim-schemas.ts';
import type { SailPointSimulator } from '../../simulators/index.ts';
import { exchangesOf, expectStepOk, listedIds, stepDone } from '../checks/idp.ts';

// Requests SailPoint's connector pages document that the SailPoint simulator sends: the core User schema read when it
// connects, and a delta aggregation whose bound is written in the configured server time zone.

test(
  'Test Connection reads the core User schema by its URI (/Schemas/urn:...:User): 200 with that schema',
  readOnlyReq('SP-DISCOVERY-SCHEMA-USER'),
  async ({ simulate }) => {
    const sp = await simulate('sailpoint');
    const step = await sp.testConnection();
    const read = exchangesOf(step, 'GET').find((e) => decodeURIComponent(new URL(e.request.url).pathname).endsWith(`/Schemas/${URN.user}`));
    await verify('SP-DISCOVERY-SCHEMA-USER', () => {
      expect(read, `SailPoint read /Schemas/${URN.user}`).toBeDefined();
      expect(read?.response?.status, read?.request.url).toBe(200);
      expect((read?.response?.body as { id?: string } | null)?.id).toBe(URN.user);
    });
  },
);

/** The namespace the fixture gave this simulator's people (`<prefix>-<nick>@domain`). */
function namespaceOf(sp: SailPointSimulator): string {
  const u = sp.directory.people[0]!.userName;
  return u.slice(0, u.lastIndexOf('-') + 1);
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test(
  'Delta Aggregation with the bound in the server time zone (+01:00) returns the account changed since the aggregation, not the others',
  req('SP-AGG-DELTA-SERVER-TIMEZONE'),
  async ({ simulate, scim, capabilities }) => {
    test.skip(!capabilities.filter, `${NOT_CLAIMED.filter}: Delta Aggregation filters on meta.lastModified`);
    // PUT updates (usePatch=false): the change needs no PATCH support
    const sp = await simulate('sailpoint', { mode: 'put', users: 2, groups: 0 });
    Object.assign(sp.options, {
      accountFilter: `userName sw "${namespaceOf(sp)}"`,
      serverTimeZone: '+01:00',
      serverTimestampFormat: "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
    });
    const [a1, a2] = sp.directory.people;
    for (const p of [a1!, a2!]) await stepDone(sp.createAccount(p.key), `SailPoint creates ${p.userName}`, 'SP-CREATE-ACCOUNT');
    // "Delta Aggregation is applicable only for those SCIM 2.0 systems that support the lastModified attribute and filter for it"
    const probe = await scim.get('/Users', { filter: `meta.lastModified gt "${new Date(Date.now() - 3_600_000).toISOString()}"`, count: 1 });
    if (probe.status === 400) {
      await verify('SP-AGG-DELTA-SERVER-TIMEZONE', () => notAssessed('the target does not filter on meta.lastModified (SP-AGG-DELTA-LASTMODIFIED)'));
      return;
    }
    // timestamps may have second precision: each side of the aggregation more than a second apart
    await wait(1_100);
    await stepDone(sp.aggregateAccounts(), 'SailPoint aggregates the accounts', 'SP-AGG-FILTER');
    await wait(1_100);
    await stepDone(sp.updateAccount(a2!.key, { title: 'Principal Engineer' }), `SailPoint updates ${a2!.userName}`, 'SP-UPDATE-PUT');
    const ids = await given('the account ids', async () => [sp.userIds.get(a1!.key)!, sp.userIds.get(a2!.key)!]);
    await verify('SP-AGG-DELTA-SERVER-TIMEZONE', async () => {
      const delta = await sp.deltaAggregation();
      const filter = new URL(exchangesOf(delta, 'GET')[0]!.request.url).searchParams.get('filter') ?? '';
      expect(filter, 'the bound carries the server time zone').toMatch(
        /^meta\.lastModified gt "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+01:00" and userName sw /,
      );
      expectStepOk(delta);
      const listed = listedIds(delta);
      expect(listed, 'the account changed after the aggregation').toContain(ids[1]);
      expect(listed, 'the account unchanged since the aggregation').not.toContain(ids[0]);
    });
  },
);
