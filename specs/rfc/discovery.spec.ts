import { expect, given, PreconditionFailed, readOnlyReq, test, verify } from '../../fixtures/test.ts';
import { resourceTypeSchema, schemaDefinitionSchema, serviceProviderConfigSchema, URN, type SchemaAttribute } from '../../harness/scim-schemas.ts';
import { expectStatus } from '../checks/scim.ts';
import { formatIssues } from '../../simulators/core/issues.ts';

// RFC 7644 §4 and RFC 7643 §5-7: the discovery endpoints.

test(
  'ServiceProviderConfig is one resource that states every capability',
  readOnlyReq('RFC-DISCOVERY-SPC-GET', 'RFC-DISCOVERY-SPC-FIELDS'),
  async ({ scim }) => {
    const res = await scim.get('/ServiceProviderConfig');
    const body = (res.body ?? {}) as Record<string, unknown>;
    await verify('RFC-DISCOVERY-SPC-GET', () => {
      expectStatus(res, 200);
      expect(body.Resources, 'ServiceProviderConfig is not wrapped in a ListResponse').toBeUndefined();
      expect(body.schemas).toContain(URN.spc);
    }, [res]);
    await verify('RFC-DISCOVERY-SPC-FIELDS', async () => {
      await scim.validate(res, serviceProviderConfigSchema, 'ServiceProviderConfig');
    }, [res]);
  },
);

test(
  'ResourceTypes lists User and Group with their endpoints and schemas',
  readOnlyReq('RFC-DISCOVERY-RESOURCETYPES-LIST', 'RFC-DISCOVERY-RESOURCETYPE-ENDPOINTS'),
  async ({ scim }) => {
    let types: Array<{ name: string; endpoint: string; schema: string }> = [];
    await verify('RFC-DISCOVERY-RESOURCETYPES-LIST', async () => {
      const { list } = await scim.list('/ResourceTypes');
      types = (list.Resources ?? []).map((r) => resourceTypeSchema.parse(r));
      expect(
        types.map((t) => t.name),
        'User and Group resource types',
      ).toEqual(expect.arrayContaining(['User', 'Group']));
    });
    await verify('RFC-DISCOVERY-RESOURCETYPE-ENDPOINTS', () => {
      const user = types.find((t) => t.name === 'User');
      const group = types.find((t) => t.name === 'Group');
      if (!user && !group) throw new PreconditionFailed('no User or Group resource type was listed to read', 'RFC-DISCOVERY-RESOURCETYPES-LIST');
      if (user) expect([user.endpoint, user.schema]).toEqual(['/Users', URN.user]);
      if (group) expect([group.endpoint, group.schema]).toEqual(['/Groups', URN.group]);
    });
  },
);

test('a single resource type can be read by name', readOnlyReq('RFC-DISCOVERY-RESOURCETYPES-GET'), async ({ scim }) => {
  const res = await scim.get('/ResourceTypes/User');
  expectStatus(res, 200);
  const rt = await scim.validate(res, resourceTypeSchema, 'ResourceType');
  expect(rt.name).toBe('User');
});

test(
  'Schemas holds the core User and Group schemas with full attribute definitions',
  readOnlyReq('RFC-DISCOVERY-SCHEMAS-LIST', 'RFC-DISCOVERY-SCHEMAS-ATTRIBUTES'),
  async ({ scim }) => {
    const { list } = await given('GET /Schemas as a ListResponse', () => scim.list('/Schemas'));
    await verify('RFC-DISCOVERY-SCHEMAS-LIST', () => {
      const ids = (list.Resources ?? []).map((r) => (r as { id?: string }).id);
      expect(ids).toEqual(expect.arrayContaining([URN.user, URN.group]));
    });
    await verify('RFC-DISCOVERY-SCHEMAS-ATTRIBUTES', () => {
      for (const raw of list.Resources ?? []) {
        const parsed = schemaDefinitionSchema.safeParse(raw);
        expect(parsed.success, `schema ${(raw as { id?: string }).id}: ${parsed.success ? '' : formatIssues(parsed.error, { root: '(root)' })}`).toBe(true);
      }
    });
  },
);

test(
  'a single schema can be read by URN and declares userName caseExact=false',
  readOnlyReq('RFC-DISCOVERY-SCHEMAS-GET', 'RFC-DISCOVERY-USERNAME-CASEEXACT'),
  async ({ scim }) => {
    const res = await scim.get(`/Schemas/${URN.user}`);
    await verify('RFC-DISCOVERY-SCHEMAS-GET', async () => {
      expectStatus(res, 200);
      expect((await scim.validate(res, schemaDefinitionSchema, 'Schema')).id).toBe(URN.user);
    }, [res]);
    await verify('RFC-DISCOVERY-USERNAME-CASEEXACT', async () => {
      // read from the single schema when it is served, else from the list
      const schema =
        res.status === 200
          ? await scim.validate(res, schemaDefinitionSchema, 'Schema')
          : ((await scim.list('/Schemas')).list.Resources ?? []).map((r) => schemaDefinitionSchema.parse(r)).find((x) => x.id === URN.user);
      const userName = (schema?.attributes as SchemaAttribute[] | undefined)?.find((a) => a.name === 'userName');
      expect(userName, 'userName attribute').toBeDefined();
      expect(userName!.caseExact).toBe(false);
      // RFC 7643 §4.1.1: unique across the provider's Users: "server" or "global"
      expect(['server', 'global']).toContain(userName!.uniqueness);
    }, [res]);
  },
);
