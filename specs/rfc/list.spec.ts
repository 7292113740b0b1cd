import { expect, readOnlyReq, req, test } from '../../fixtures/test.ts';
import { NOT_CLAIMED } from '../../fixtures/capabilities.ts';
import type { DataFactory } from '../../fixtures/data.ts';
import { URN } from '../../fixtures/scim-schemas.ts';
import { expectStatus, resourceIds } from '../checks/scim.ts';

// RFC 7644 §3.4.2, §3.4.2.3, §3.4.2.4: list responses, paging and sorting.

/** Five Users sharing one prefix, so a scoped filter pages over exactly them. */
async function five(make: DataFactory): Promise<{ filter: string; ids: string[]; names: string[] }> {
  const users = [];
  for (let i = 0; i < 5; i++) users.push(await make.user());
  return { filter: `userName sw "${make.prefix}"`, ids: users.map((u) => u.id), names: users.map((u) => u.userName!) };
}

test('list responses have the ListResponse schema and numeric counters', readOnlyReq('RFC-LIST-SCHEMA', 'RFC-PAGE-NUMBERS'), async ({ scim }) => {
  const res = await scim.get('/Users', { count: 2 });
  expectStatus(res, 200);
  const body = res.body as Record<string, unknown>;
  expect(body.schemas).toEqual([URN.list]);
  expect(typeof body.totalResults, 'totalResults').toBe('number');
  expect(typeof body.startIndex, 'startIndex').toBe('number');
  expect(typeof body.itemsPerPage, 'itemsPerPage').toBe('number');
  expect(body.resources, 'Resources is spelled with a capital R').toBeUndefined();
  if ((body.totalResults as number) > 0) expect(Array.isArray(body.Resources), 'Resources array').toBe(true);
});

test('startIndex and count select the page; itemsPerPage counts it', req('RFC-PAGE-STARTINDEX-COUNT', 'RFC-PAGE-ITEMSPERPAGE'), async ({ scim, make, capabilities }) => {
  test.skip(!capabilities.filter, NOT_CLAIMED.filter);
  const { filter } = await five(make);
  const all = await scim.list('/Users', { filter, startIndex: 1, count: 10 });
  expect(all.list.totalResults).toBe(5);
  const page = await scim.list('/Users', { filter, startIndex: 2, count: 2 });
  expect(page.list.totalResults).toBe(5);
  expect(page.list.startIndex).toBe(2);
  expect(page.list.itemsPerPage).toBe(page.list.Resources?.length);
  expect(resourceIds(page.list)).toEqual(resourceIds(all.list).slice(1, 3));
});

test('count=0 returns only totalResults and a negative count acts as 0', req('RFC-PAGE-COUNT-ZERO', 'RFC-PAGE-COUNT-NEGATIVE'), async ({ scim, make, capabilities }) => {
  test.skip(!capabilities.filter, NOT_CLAIMED.filter);
  const { filter } = await five(make);
  for (const count of [0, -3]) {
    const { list } = await scim.list('/Users', { filter, count });
    expect(list.totalResults, `count=${count}`).toBe(5);
    expect(list.Resources ?? [], `count=${count}`).toEqual([]);
  }
});

test('a startIndex below 1 is read as 1', req('RFC-PAGE-STARTINDEX-LOW'), async ({ scim, make, capabilities }) => {
  test.skip(!capabilities.filter, NOT_CLAIMED.filter);
  const { filter } = await five(make);
  const first = await scim.list('/Users', { filter, startIndex: 1, count: 2 });
  for (const startIndex of [0, -5]) {
    const page = await scim.list('/Users', { filter, startIndex, count: 2 });
    expect(resourceIds(page.list), `startIndex=${startIndex}`).toEqual(resourceIds(first.list));
  }
});

test('a page never exceeds filter.maxResults', readOnlyReq('RFC-PAGE-MAXRESULTS'), async ({ scim, capabilities }) => {
  test.skip(capabilities.maxResults === undefined, 'ServiceProviderConfig states no filter.maxResults');
  const { list } = await scim.list('/Users', { count: capabilities.maxResults! + 50 });
  expect(list.Resources?.length ?? 0).toBeLessThanOrEqual(capabilities.maxResults!);
  expect(list.itemsPerPage ?? 0).toBeLessThanOrEqual(capabilities.maxResults!);
});

test('walking the pages returns every match exactly once', req('RFC-PAGE-STABLE'), async ({ scim, make, capabilities }) => {
  test.skip(!capabilities.filter, NOT_CLAIMED.filter);
  const { filter, ids } = await five(make);
  const seen: string[] = [];
  for (let start = 1; start <= 5; start += 2) seen.push(...resourceIds((await scim.list('/Users', { filter, startIndex: start, count: 2 })).list));
  expect(seen.slice().sort()).toEqual(ids.slice().sort());
});

test.describe('sorting', () => {
  test.beforeEach(({ capabilities }) => {
    test.skip(!capabilities.sort, NOT_CLAIMED.sort);
    test.skip(!capabilities.filter, NOT_CLAIMED.filter);
  });

  const byName = (a: string, b: string) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0);

  test('sortBy=userName ascending', req('RFC-SORT-ASCENDING'), async ({ scim, make }) => {
    const { filter, names } = await five(make);
    const { list } = await scim.list('/Users', { filter, sortBy: 'userName', sortOrder: 'ascending' });
    expect((list.Resources ?? []).map((r) => (r as { userName?: string }).userName)).toEqual(names.slice().sort(byName));
  });

  test('sortOrder=descending', req('RFC-SORT-DESCENDING'), async ({ scim, make }) => {
    const { filter, names } = await five(make);
    const { list } = await scim.list('/Users', { filter, sortBy: 'userName', sortOrder: 'descending' });
    expect((list.Resources ?? []).map((r) => (r as { userName?: string }).userName)).toEqual(names.slice().sort(byName).reverse());
  });

  test('sortBy without sortOrder sorts ascending', req('RFC-SORT-DEFAULT'), async ({ scim, make }) => {
    const { filter, names } = await five(make);
    const { list } = await scim.list('/Users', { filter, sortBy: 'userName' });
    expect((list.Resources ?? []).map((r) => (r as { userName?: string }).userName)).toEqual(names.slice().sort(byName));
  });

  test('sortBy a sub-attribute', req('RFC-SORT-SUBATTR'), async ({ scim, make }) => {
    const families = ['Mendez', 'Abbott', 'Zhou', 'Keller'];
    for (const familyName of families) await make.user({ name: { givenName: 'Sam', familyName } });
    const { list } = await scim.list('/Users', { filter: `userName sw "${make.prefix}"`, sortBy: 'name.familyName' });
    expect((list.Resources ?? []).map((r) => (r as { name?: { familyName?: string } }).name?.familyName)).toEqual(families.slice().sort());
  });
});
