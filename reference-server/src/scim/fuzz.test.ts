import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { ENTERPRISE_URN, group, harness, PATCH_URN, user, USER_URN, type Harness } from './testing.ts';

/** Property: nothing a client sends yields a 5xx, and every answer is application/scim+json. */
let h: Harness;
let userId: string;
let groupId: string;
before(async () => {
  h = await harness();
  userId = (await h.req('POST', 'Users', user('fuzz@x.test'))).body.id;
  groupId = (await h.req('POST', 'Groups', group('Fuzz', [userId]))).body.id;
});
after(async () => {
  await h.app.close();
});

const names = [
  'userName',
  'USERNAME',
  'name',
  'emails',
  'active',
  'displayName',
  'members',
  'password',
  'groups',
  'id',
  'meta',
  'schemas',
  'externalId',
  'phoneNumbers',
  'x509Certificates',
  ENTERPRISE_URN,
  `${ENTERPRISE_URN}:manager`,
  'value',
  'primary',
  'type',
  '__proto__',
  '',
];
const key = fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 12 }));
const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(null, true, false, 'true', 'False', '', 0, -1, 1.5, 'x', USER_URN),
    fc.string({ maxLength: 20 }),
    fc.integer(),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(key, tie('v'), { maxKeys: 4 }),
  ),
})).v;
const body = fc.dictionary(key, value, { maxKeys: 8 });

const ok = (res: { status: number; headers: Record<string, unknown> }) =>
  res.status < 500 && (res.status === 204 || res.status === 304 || /^application\/scim\+json/.test(String(res.headers['content-type'])));

test('random bodies to POST, PUT and PATCH never get a 5xx', async () => {
  await fc.assert(
    fc.asyncProperty(body, fc.constantFrom('POST Users', 'POST Groups', 'PUT User', 'PUT Group', 'PATCH User', 'PATCH Group'), async (b, target) => {
      const [method, what] = target.split(' ') as [string, string];
      const path = what === 'User' ? `Users/${userId}` : what === 'Group' ? `Groups/${groupId}` : what;
      const payload =
        method === 'PATCH'
          ? {
              schemas: [PATCH_URN],
              Operations: [
                { op: 'add', value: b },
                { op: 'replace', path: Object.keys(b)[0] ?? 'x', value: Object.values(b)[0] },
              ],
            }
          : b;
      const res = await h.req(method, path, payload);
      assert.ok(ok(res), `${method} ${path} ${JSON.stringify(payload)} -> ${res.status} ${res.raw.slice(0, 200)}`);
    }),
    { numRuns: 300, seed: 20261129 },
  );
});

test('random filters, sortBy and attribute lists never get a 5xx', async () => {
  const text = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.constantFrom(
      'userName eq "a"',
      'emails[type eq "work"].value co "@"',
      'meta.lastModified gt "2020-01-01T00:00:00Z"',
      'members pr',
      'not (active eq true)',
      'name.givenName sw "A" or title pr',
    ),
  );
  await fc.assert(
    fc.asyncProperty(
      text,
      fc.string({ maxLength: 20 }),
      fc.string({ maxLength: 20 }),
      fc.constantFrom('Users', 'Groups'),
      async (filter, sortBy, attributes, type) => {
        const q = new URLSearchParams({ filter, sortBy, attributes, startIndex: '1', count: '5' });
        const res = await h.req('GET', `${type}?${q}`);
        assert.ok(ok(res), `GET ${type}?${q} -> ${res.status} ${res.raw.slice(0, 200)}`);
        const search = await h.req('POST', '.search', {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
          filter,
          sortBy,
          excludedAttributes: [attributes],
        });
        assert.ok(ok(search), `.search ${filter} -> ${search.status} ${search.raw.slice(0, 200)}`);
      },
    ),
    { numRuns: 300, seed: 20261129 },
  );
});
