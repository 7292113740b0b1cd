import { expect, req, test } from '../../fixtures/test.ts';
import type { ScimClient, ScimResponse } from '../../harness/scim-client.ts';
import { listResponseSchema, URN } from '../../harness/scim-schemas.ts';
import { expectStatus, resourceIds } from '../checks/scim.ts';

// RFC 7644 §3.4.3: querying with POST .search. ServiceProviderConfig has no flag for it, so a target that
// answers 404, 405 or 501 is reported as not implementing it (not assessed), anything else is judged.

async function search(scim: ScimClient, path: string, body: Record<string, unknown>): Promise<ScimResponse> {
  const res = await scim.post(path, { schemas: [URN.search], ...body });
  test.skip([404, 405, 501].includes(res.status), `the target does not implement POST ${path} (answered ${res.status})`);
  return res;
}

test('POST /Users/.search filters like GET /Users', req('RFC-SEARCH-USERS'), async ({ scim, make }) => {
  const [a] = [await make.user(), await make.user()];
  const res = await search(scim, '/Users/.search', { filter: `userName eq "${a.userName}"` });
  expectStatus(res, 200);
  const list = await scim.validate(res, listResponseSchema, 'ListResponse');
  expect(resourceIds(list)).toEqual([a.id]);
});

test('.search honours startIndex, count and attributes', req('RFC-SEARCH-PAGING'), async ({ scim, make }) => {
  for (let i = 0; i < 3; i++) await make.user();
  const res = await search(scim, '/Users/.search', { filter: `userName sw "${make.prefix}"`, startIndex: 2, count: 1, attributes: ['userName'] });
  expectStatus(res, 200);
  const list = await scim.validate(res, listResponseSchema, 'ListResponse');
  expect(list.totalResults).toBe(3);
  expect(list.startIndex).toBe(2);
  expect(list.Resources?.length).toBe(1);
  const item = list.Resources![0] as Record<string, unknown>;
  expect(item.userName).toBeDefined();
  expect(item.emails).toBeUndefined();
});

test('POST /.search searches across resource types', req('RFC-SEARCH-ROOT'), async ({ scim, make }) => {
  const user = await make.user();
  const group = await make.group();
  const res = await search(scim, '/.search', { filter: `userName eq "${user.userName}" or displayName eq "${group.displayName}"` });
  expectStatus(res, 200);
  const list = await scim.validate(res, listResponseSchema, 'ListResponse');
  expect(resourceIds(list)).toEqual(expect.arrayContaining([user.id, group.id]));
});
