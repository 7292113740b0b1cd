import { expect, given, PreconditionFailed, req, test, verify } from '../../fixtures/test.ts';
import { NOT_CLAIMED } from '../../harness/capabilities.ts';
import { bulkResponseSchema, URN } from '../../harness/scim-schemas.ts';
import { expectScimError, expectStatus, filterIds } from '../checks/scim.ts';

// RFC 7644 §3.7: Bulk operations, bulkId references, error handling and limits.

test.beforeEach(({ capabilities }) => {
  test.skip(!capabilities.bulk, NOT_CLAIMED.bulk);
});

const bulk = (operations: unknown[], failOnErrors?: number) => ({
  schemas: [URN.bulkRequest],
  ...(failOnErrors !== undefined ? { failOnErrors } : {}),
  Operations: operations,
});
const idFromLocation = (location: string | undefined) => location?.split('/').pop();
/** An operation's status: the RFC's own examples write it as "201" and as {"code": "201"}. */
const code = (s: unknown) => String(typeof s === 'object' && s !== null ? (s as { code?: unknown }).code : s);

test(
  'POST operations answer a BulkResponse with status and location each; bulkIds link them',
  req('RFC-BULK-POST', 'RFC-BULK-BULKID'),
  async ({ scim, make }) => {
    const user = make.userBody();
    const group = make.groupBody({ members: [{ value: 'bulkId:newUser' }] });
    const res = await scim.post(
      '/Bulk',
      bulk([
        { method: 'POST', path: '/Users', bulkId: 'newUser', data: user },
        { method: 'POST', path: '/Groups', bulkId: 'newGroup', data: group },
      ]),
    );
    const body = await given(
      'a BulkResponse',
      async () => {
        expectStatus(res, 200);
        return scim.validate(res, bulkResponseSchema, 'BulkResponse');
      },
      'RFC-BULK-POST',
    );
    const [u, g] = body.Operations;
    const userId = idFromLocation(u?.location);
    const groupId = idFromLocation(g?.location);
    make.track('Groups', groupId);
    make.track('Users', userId);
    await verify('RFC-BULK-POST', () => {
      expect(body.schemas).toContain(URN.bulkResponse);
      expect(code(u?.status)).toBe('201');
      expect(code(g?.status)).toBe('201');
      expect(userId, 'location of the created User').toBeTruthy();
    }, [res]);
    await verify('RFC-BULK-BULKID', async () => {
      expect(u?.bulkId).toBe('newUser');
      if (!groupId || !userId) throw new PreconditionFailed('the Bulk created no Group and User to read back', 'RFC-BULK-POST');
      const stored = await scim.group(await scim.getGroup(groupId));
      expect((stored.members ?? []).map((m) => m.value)).toEqual([userId]);
    }, [res]);
  },
);

test('PUT, PATCH and DELETE operations apply', req('RFC-BULK-METHODS'), async ({ scim, make, capabilities }) => {
  const [a, b] = [await make.user(), await make.user()];
  const group = await make.group();
  const ops: unknown[] = [
    { method: 'PUT', path: `/Users/${a.id}`, data: make.userBody({ userName: a.userName!, displayName: 'Bulk Put' }) },
    { method: 'DELETE', path: `/Users/${b.id}` },
  ];
  if (capabilities.patch)
    ops.push({
      method: 'PATCH',
      path: `/Groups/${group.id}`,
      data: { schemas: [URN.patch], Operations: [{ op: 'add', path: 'members', value: [{ value: a.id }] }] },
    });
  const res = await scim.post('/Bulk', bulk(ops));
  expectStatus(res, 200);
  const body = await scim.validate(res, bulkResponseSchema, 'BulkResponse');
  expect(body.Operations.map((o) => code(o.status))).toEqual(['200', '204', ...(capabilities.patch ? [expect.stringMatching(/^20[04]$/)] : [])]);
  expect((await scim.user(await scim.getUser(a.id))).displayName).toBe('Bulk Put');
  expectStatus(await scim.getUser(b.id), 404);
  if (capabilities.patch) expect(((await scim.group(await scim.getGroup(group.id))).members ?? []).map((m) => m.value)).toEqual([a.id]);
});

test('a failed operation reports its status and a SCIM error', req('RFC-BULK-OP-ERROR'), async ({ scim, make }) => {
  const existing = await make.user();
  const res = await scim.post('/Bulk', bulk([{ method: 'POST', path: '/Users', bulkId: 'dup', data: make.userBody({ userName: existing.userName! }) }]));
  expectStatus(res, 200);
  const [op] = (await scim.validate(res, bulkResponseSchema, 'BulkResponse')).Operations;
  expect(code(op?.status)).toBe('409');
  expect(op?.response).toMatchObject({ schemas: [URN.error], status: '409', scimType: 'uniqueness' });
});

test('failOnErrors stops after that many errors', req('RFC-BULK-FAILONERRORS'), async ({ scim, make, capabilities }) => {
  test.skip(!capabilities.filter, NOT_CLAIMED.filter);
  const existing = await make.user();
  const later = make.userBody();
  const res = await scim.post(
    '/Bulk',
    bulk(
      [
        { method: 'POST', path: '/Users', bulkId: 'dup', data: make.userBody({ userName: existing.userName! }) },
        { method: 'POST', path: '/Users', bulkId: 'later', data: later },
      ],
      1,
    ),
  );
  const leftover = await filterIds(scim, '/Users', `userName eq "${later.userName}"`);
  for (const id of leftover) make.track('Users', id);
  expectStatus(res, 200);
  const body = await scim.validate(res, bulkResponseSchema, 'BulkResponse');
  expect(body.Operations.length, 'operations after the first error are not processed').toBe(1);
  expect(leftover).toEqual([]);
});

test('more operations than maxOperations answers 413', req('RFC-BULK-MAXOPERATIONS'), async ({ scim, capabilities }) => {
  const max = capabilities.bulkMaxOperations;
  test.skip(max === undefined || max > 5000, `bulk.maxOperations is ${max ?? 'not stated'}: too large to probe`);
  const ops = Array.from({ length: max! + 1 }, (_, i) => ({ method: 'DELETE', path: `/Users/scimulator-none-${i}` }));
  await expectScimError(scim, await scim.post('/Bulk', bulk(ops)), 413);
});

test('a request over maxPayloadSize answers 413', req('RFC-BULK-MAXPAYLOAD'), async ({ scim, make, capabilities }) => {
  const max = capabilities.bulkMaxPayloadSize;
  test.skip(max === undefined || max > 8 * 1024 * 1024, `bulk.maxPayloadSize is ${max ?? 'not stated'}: too large to probe`);
  const body = make.userBody({ title: 'x'.repeat(max! + 1024) });
  const res = await scim.post('/Bulk', bulk([{ method: 'POST', path: '/Users', bulkId: 'big', data: body }]));
  expect(res.status, `answered ${res.status}`).toBe(413);
  if (res.body) await expectScimError(scim, res, 413);
});
