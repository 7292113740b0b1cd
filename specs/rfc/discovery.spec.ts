import { expect, readOnlyReq, test } from '../../fixtures/test.ts';
import { resourceTypeSchema, schemaDefinitionSchema, serviceProviderConfigSchema, URN, type SchemaAttribute } from '../../fixtures/scim-schemas.ts';
import { expectStatus } from '../checks/scim.ts';

// RFC 7644 §4 and RFC 7643 §5-7: the discovery endpoints.

test('ServiceProviderConfig is one resource that states every capability', readOnlyReq('RFC-DISCOVERY-SPC-GET', 'RFC-DISCOVERY-SPC-FIELDS'), async ({ scim }) => {
  const res = await scim.get('/ServiceProviderConfig');
  expectStatus(res, 200);
  const body = res.body as Record<string, unknown>;
  expect(body.Resources, 'ServiceProviderConfig is not wrapped in a ListResponse').toBeUndefined();
  expect(body.schemas).toContain(URN.spc);
  await scim.validate(res, serviceProviderConfigSchema, 'ServiceProviderConfig');
});

test('ResourceTypes lists User and Group with their endpoints and schemas', readOnlyReq('RFC-DISCOVERY-RESOURCETYPES-LIST', 'RFC-DISCOVERY-RESOURCETYPE-ENDPOINTS'), async ({ scim }) => {
  const { list } = await scim.list('/ResourceTypes');
  const types = (list.Resources ?? []).map((r) => resourceTypeSchema.parse(r));
  const user = types.find((t) => t.name === 'User');
  const group = types.find((t) => t.name === 'Group');
  expect(user, 'User resource type').toBeDefined();
  expect(group, 'Group resource type').toBeDefined();
  expect(user!.endpoint).toBe('/Users');
  expect(user!.schema).toBe(URN.user);
  expect(group!.endpoint).toBe('/Groups');
  expect(group!.schema).toBe(URN.group);
});

test('a single resource type can be read by name', readOnlyReq('RFC-DISCOVERY-RESOURCETYPES-GET'), async ({ scim }) => {
  const res = await scim.get('/ResourceTypes/User');
  expectStatus(res, 200);
  const rt = await scim.validate(res, resourceTypeSchema, 'ResourceType');
  expect(rt.name).toBe('User');
});

test('Schemas holds the core User and Group schemas with full attribute definitions', readOnlyReq('RFC-DISCOVERY-SCHEMAS-LIST', 'RFC-DISCOVERY-SCHEMAS-ATTRIBUTES'), async ({ scim }) => {
  const { list } = await scim.list('/Schemas');
  const ids = (list.Resources ?? []).map((r) => (r as { id?: string }).id);
  expect(ids).toEqual(expect.arrayContaining([URN.user, URN.group]));
  for (const raw of list.Resources ?? []) {
    const parsed = schemaDefinitionSchema.safeParse(raw);
    expect(parsed.success, `schema ${(raw as { id?: string }).id}: ${parsed.success ? '' : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`).toBe(true);
  }
});

test('a single schema can be read by URN and declares userName caseExact=false, uniqueness=server', readOnlyReq('RFC-DISCOVERY-SCHEMAS-GET', 'RFC-DISCOVERY-USERNAME-CASEEXACT'), async ({ scim }) => {
  const res = await scim.get(`/Schemas/${URN.user}`);
  expectStatus(res, 200);
  const schema = await scim.validate(res, schemaDefinitionSchema, 'Schema');
  expect(schema.id).toBe(URN.user);
  const userName = (schema.attributes as SchemaAttribute[]).find((a) => a.name === 'userName');
  expect(userName, 'userName attribute').toBeDefined();
  expect(userName!.caseExact).toBe(false);
  expect(userName!.uniqueness).toBe('server');
});
