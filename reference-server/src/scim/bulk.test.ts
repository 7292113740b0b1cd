import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BULK_MAX_OPERATIONS } from './bulk.ts';
import { group, harness, PATCH_URN, user, type Harness } from './testing.ts';

const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const bulk = (Operations: unknown[], extra: Record<string, unknown> = {}) => ({ schemas: [BULK], Operations, ...extra });

let h: Harness;
before(async () => {
  h = await harness({ bodyLimit: 64 * 1024 });
});
after(async () => {
  await h.app.close();
});

test('RFC 7644 §3.7.2: POST, POST with a bulkId reference, PATCH and DELETE in one request', async () => {
  const res = await h.req(
    'POST',
    'Bulk',
    bulk([
      { method: 'POST', path: '/Users', bulkId: 'qwerty', data: user('alice@bulk.test') },
      { method: 'POST', path: '/Groups', bulkId: 'ytrewq', data: group('Bulk Tour Guides', ['bulkId:qwerty']) },
      {
        method: 'PATCH',
        path: '/Groups/bulkId:ytrewq',
        data: { schemas: [PATCH_URN], Operations: [{ op: 'replace', path: 'displayName', value: 'Bulk Guides' }] },
      },
      { method: 'POST', path: '/Users', bulkId: 'gone', data: user('gone@bulk.test') },
      { method: 'DELETE', path: '/Users/bulkId:gone' },
    ]),
  );
  assert.equal(res.status, 200);
  assert.deepEqual(res.body.schemas, ['urn:ietf:params:scim:api:messages:2.0:BulkResponse']);
  const ops = res.body.Operations;
  assert.deepEqual(
    ops.map((o: { status: string }) => o.status),
    ['201', '201', '204', '201', '204'],
  );
  assert.equal(ops[0].bulkId, 'qwerty');
  assert.match(ops[0].location, /\/Users\/[0-9a-f-]{36}$/);
  assert.equal(ops[0].version, 'W/"1"');
  const userId = ops[0].location.split('/').pop();
  const groupId = ops[1].location.split('/').pop();
  const g = await h.req('GET', `Groups/${groupId}`);
  assert.equal(g.body.displayName, 'Bulk Guides');
  assert.deepEqual(
    g.body.members.map((m: { value: string }) => m.value),
    [userId],
  );
  assert.equal((await h.req('GET', ops[4].location.replace(/^.*\/scim\/v2\/[^/]+\//, ''))).status, 404);
});

test('forward reference: a group listed before the user it contains is created after it', async () => {
  const res = await h.req(
    'POST',
    'Bulk',
    bulk([
      { method: 'POST', path: '/Groups', bulkId: 'g', data: group('Forward', ['bulkId:later']) },
      { method: 'POST', path: '/Users', bulkId: 'later', data: user('later@bulk.test') },
    ]),
  );
  assert.deepEqual(
    res.body.Operations.map((o: { status: string }) => o.status),
    ['201', '201'],
  );
  const g = await h.req('GET', `Groups/${res.body.Operations[0].location.split('/').pop()}`);
  assert.equal(g.body.members[0].value, res.body.Operations[1].location.split('/').pop());
});

test('circular bulkId references answer 409 for the operations in the cycle; the others run', async () => {
  const res = await h.req(
    'POST',
    'Bulk',
    bulk([
      { method: 'POST', path: '/Groups', bulkId: 'a', data: group('Cycle A', ['bulkId:b']) },
      { method: 'POST', path: '/Groups', bulkId: 'b', data: group('Cycle B', ['bulkId:a']) },
      { method: 'POST', path: '/Users', bulkId: 'free', data: user('free@bulk.test') },
    ]),
  );
  assert.deepEqual(
    res.body.Operations.map((o: { status: string }) => o.status),
    ['409', '409', '201'],
  );
  assert.match(res.body.Operations[0].response.detail, /circular/);
});

test('failOnErrors stops after that many errors; later operations are not run', async () => {
  const res = await h.req(
    'POST',
    'Bulk',
    bulk(
      [
        { method: 'POST', path: '/Users', bulkId: 'd1', data: user('dup@bulk.test') },
        { method: 'POST', path: '/Users', bulkId: 'd2', data: user('DUP@bulk.test') },
        { method: 'POST', path: '/Users', bulkId: 'd3', data: { schemas: [] } },
        { method: 'POST', path: '/Users', bulkId: 'd4', data: user('never@bulk.test') },
      ],
      { failOnErrors: 2 },
    ),
  );
  assert.deepEqual(
    res.body.Operations.map((o: { status: string }) => o.status),
    ['201', '409', '400'],
  );
  assert.equal(res.body.Operations[1].response.scimType, 'uniqueness');
  const never = await h.req('GET', `Users?filter=${encodeURIComponent('userName eq "never@bulk.test"')}`);
  assert.equal(never.status, 200);
  assert.equal(never.body.totalResults, 0);
});

test('operations referring to a failed or unknown bulkId fail without running', async () => {
  const res = await h.req(
    'POST',
    'Bulk',
    bulk([
      { method: 'POST', path: '/Users', bulkId: 'bad', data: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'] } },
      { method: 'POST', path: '/Groups', bulkId: 'needs-bad', data: group('Needs bad', ['bulkId:bad']) },
      { method: 'POST', path: '/Groups', bulkId: 'needs-none', data: group('Needs none', ['bulkId:nowhere']) },
    ]),
  );
  assert.deepEqual(
    res.body.Operations.map((o: { status: string }) => o.status),
    ['400', '409', '400'],
  );
  assert.equal(res.body.Operations[2].response.scimType, 'invalidValue');
});

test('malformed operations get their own error; the request still runs the rest', async () => {
  const res = await h.req(
    'POST',
    'Bulk',
    bulk([
      { method: 'GET', path: '/Users' },
      { method: 'POST', path: '/Users', data: user('nobulkid@bulk.test') },
      { method: 'POST', path: '/Schemas', bulkId: 'x', data: {} },
      { method: 'PUT', path: '/Users', data: user('x@bulk.test') },
      { method: 'PATCH', path: '/Users/unknown-id', data: { schemas: [PATCH_URN], Operations: [{ op: 'replace', path: 'title', value: 'x' }] } },
      { method: 'post', path: '/Users', bulkId: 'ok', data: user('ok@bulk.test') },
    ]),
  );
  assert.deepEqual(
    res.body.Operations.map((o: { status: string }) => o.status),
    ['400', '400', '400', '400', '404', '201'],
  );
  assert.deepEqual(
    res.body.Operations.map((o: { response?: { scimType?: string } }) => o.response?.scimType),
    ['invalidSyntax', 'invalidSyntax', 'invalidPath', 'invalidPath', undefined, undefined],
  );
});

test('version is sent as If-Match: a stale version gives 412 for that operation', async () => {
  const created = await h.req('POST', 'Users', user('etag@bulk.test'));
  const patch = { schemas: [PATCH_URN], Operations: [{ op: 'replace', path: 'title', value: 'x' }] };
  const res = await h.req(
    'POST',
    'Bulk',
    bulk([
      { method: 'PATCH', path: `/Users/${created.body.id}`, version: 'W/"99"', data: patch },
      { method: 'PATCH', path: `/Users/${created.body.id}`, version: created.body.meta.version, data: patch },
    ]),
  );
  assert.deepEqual(
    res.body.Operations.map((o: { status: string }) => o.status),
    ['412', '200'],
  );
});

test('more than maxOperations is 413 with a SCIM error', async () => {
  const ops = Array.from({ length: BULK_MAX_OPERATIONS + 1 }, () => ({ method: 'DELETE', path: '/Users/x' }));
  const res = await h.req('POST', 'Bulk', bulk(ops));
  assert.equal(res.status, 413);
  assert.equal(res.body.status, '413');
  assert.match(res.body.detail, /maxOperations/);
});

test('a body over maxPayloadSize is 413, and /ServiceProviderConfig advertises both limits', async () => {
  const spc = await h.req('GET', 'ServiceProviderConfig');
  assert.deepEqual(spc.body.bulk, { supported: true, maxOperations: BULK_MAX_OPERATIONS, maxPayloadSize: 64 * 1024 });
  const big = bulk([{ method: 'POST', path: '/Users', bulkId: 'big', data: user('big@bulk.test', { title: 'x'.repeat(70 * 1024) }) }]);
  const res = await h.req('POST', 'Bulk', big);
  assert.equal(res.status, 413);
  assert.equal(res.body.schemas[0], 'urn:ietf:params:scim:api:messages:2.0:Error');
});

test('envelope errors are 400 invalidSyntax; duplicate bulkIds too', async () => {
  for (const body of [
    {},
    { schemas: ['urn:x'], Operations: [] },
    { schemas: [BULK] },
    { schemas: [BULK], Operations: {} },
    bulk([{ path: '/Users' }]),
    bulk([], { failOnErrors: 0 }),
  ]) {
    const res = await h.req('POST', 'Bulk', body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal(res.body.scimType, 'invalidSyntax');
  }
  const dup = await h.req(
    'POST',
    'Bulk',
    bulk([
      { method: 'POST', path: '/Users', bulkId: 'same', data: user('s1@bulk.test') },
      { method: 'POST', path: '/Users', bulkId: 'same', data: user('s2@bulk.test') },
    ]),
  );
  assert.equal(dup.status, 400);
});

test('Bulk needs the account token, like every SCIM request', async () => {
  const res = await h.app.inject({
    method: 'POST',
    url: `${h.base}/Bulk`,
    headers: { 'content-type': 'application/scim+json' },
    payload: JSON.stringify(bulk([])),
  });
  assert.equal(res.statusCode, 401);
  const wrong = await h.req('GET', 'Bulk');
  assert.equal(wrong.status, 405);
});

test('a Bulk request shares commits: a chain of 60 creates with a failure in it commits far fewer than 60 times', async () => {
  const ops: unknown[] = [];
  for (let i = 0; i < 60; i++) {
    // #0 and #30 create the same userName (the second is a 409); each group holds the previous operation's resource.
    if (i === 0 || i === 30) ops.push({ method: 'POST', path: '/Users', bulkId: `g${i}`, data: user('chain@bulk.test') });
    else ops.push({ method: 'POST', path: '/Groups', bulkId: `g${i}`, data: group(`Chain ${i}`, i !== 31 ? [`bulkId:g${i - 1}`] : []) });
  }
  const before = h.app.store.commitCount();
  const res = await h.req('POST', 'Bulk', bulk(ops));
  const commits = h.app.store.commitCount() - before;
  assert.equal(res.status, 200);
  const statuses = res.body.Operations.map((o: { status: string }) => o.status);
  assert.deepEqual(
    statuses.filter((s: string) => s !== '201'),
    ['409'],
    'only the taken userName failed',
  );
  assert.equal(statuses[30], '409');
  // The failed operation rolled back alone: every group is there, chained as asked.
  const listed = await h.req('GET', `Groups?filter=${encodeURIComponent('displayName sw "Chain "')}&count=100`);
  assert.equal(listed.body.totalResults, 58);
  const g59 = listed.body.Resources.find((g: { displayName: string }) => g.displayName === 'Chain 59');
  assert.equal(g59.members.length, 1);
  // Commits happen every MAX_HOLD_MS at most, so a slow machine commits a few times; one per operation is 60.
  assert.ok(commits >= 1 && commits < 30, `${commits} commits for 60 operations`);
});
