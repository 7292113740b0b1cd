import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ENTERPRISE_URN, group, harness, user, USER_URN, type Harness } from './testing.ts';

let h: Harness;
before(async () => {
  h = await harness();
});
after(async () => {
  await h.app.close();
});

const fullUser = {
  schemas: [USER_URN, ENTERPRISE_URN],
  externalId: 'ext-1',
  userName: 'full.user@example.test',
  name: { formatted: 'Ms. Full User III', familyName: 'User', givenName: 'Full', middleName: 'M', honorificPrefix: 'Ms.', honorificSuffix: 'III' },
  displayName: 'Full User',
  nickName: 'Fu',
  profileUrl: 'https://example.test/full',
  title: 'Tester',
  userType: 'Employee',
  preferredLanguage: 'en-GB',
  locale: 'en-GB',
  timezone: 'Europe/London',
  active: true,
  password: 'S3cret-password!',
  emails: [
    { value: 'full@example.test', type: 'work', primary: true },
    { value: 'home@example.test', type: 'home' },
  ],
  phoneNumbers: [{ value: '+44 20 1234 5678', type: 'work' }],
  ims: [{ value: 'fulluser', type: 'xmpp' }],
  photos: [{ value: 'https://example.test/p.jpg', type: 'photo' }],
  addresses: [{ streetAddress: '1 Way', locality: 'London', postalCode: 'N1', country: 'GB', type: 'work', primary: true }],
  entitlements: [{ value: 'ent-a' }],
  roles: [{ value: 'admin', primary: true }],
  x509Certificates: [{ value: 'TUlJQ0lqQU5CZ2txaGtpRzl3MEJBUUVGQUFPQ0FnOEFNSUlDQ2dLQ0FnRUF2' }],
  [ENTERPRISE_URN]: { employeeNumber: '42', costCenter: 'CC1', organization: 'Org', division: 'Div', department: 'Dept' },
};

test('POST /Users creates a user with every core attribute: 201, Location, ETag and full meta', async () => {
  const res = await h.req('POST', 'Users', fullUser);
  assert.equal(res.status, 201);
  assert.match(res.headers['content-type'] as string, /^application\/scim\+json; charset=utf-8$/);
  const body = res.body;
  assert.equal(res.headers.location, body.meta.location);
  assert.equal(body.meta.location, `http://localhost:80${h.base}/Users/${body.id}`);
  assert.equal(res.headers.etag, 'W/"1"');
  assert.deepEqual(Object.keys(body.meta).sort(), ['created', 'lastModified', 'location', 'resourceType', 'version']);
  assert.equal(body.meta.resourceType, 'User');
  assert.equal(body.meta.version, 'W/"1"');
  for (const key of Object.keys(fullUser)) if (key !== 'password' && key !== 'schemas') assert.deepEqual(body[key], (fullUser as any)[key], key);
  assert.deepEqual(body.schemas, [USER_URN, ENTERPRISE_URN]);
  assert.equal(body.password, undefined, 'password is never returned');
  assert.ok(!res.raw.includes('S3cret'), 'the password appears nowhere in the response');
  const row = h.app.db.prepare('SELECT data, password_hash FROM users WHERE id = ?').get(body.id) as { data: string; password_hash: string };
  assert.ok(!row.data.includes('S3cret'));
  assert.match(row.password_hash, /^scrypt\$/);
  const got = await h.req('GET', `Users/${body.id}`);
  assert.equal(got.status, 200);
  assert.deepEqual(got.body, body);
});

test('attribute names are case-insensitive and stored in schema spelling; readOnly and unknown attributes are ignored', async () => {
  const res = await h.req('POST', 'Users', {
    USERNAME: 'Case.Test@example.test',
    DisplayName: 'C',
    id: 'mine',
    meta: { resourceType: 'User' },
    groups: [{ value: 'x' }],
    bogus: 1,
  });
  assert.equal(res.status, 201);
  assert.equal(res.body.userName, 'Case.Test@example.test');
  assert.equal(res.body.displayName, 'C');
  assert.notEqual(res.body.id, 'mine');
  assert.equal(res.body.bogus, undefined);
  assert.equal(res.body.groups, undefined);
});

test('boolean strings in any case are stored as booleans; other wrong types are 400 invalidValue', async () => {
  const res = await h.req('POST', 'Users', user('bool@example.test', { active: 'FaLsE', emails: [{ value: 'b@x', primary: 'True' }] }));
  assert.equal(res.status, 201);
  assert.equal(res.body.active, false);
  assert.equal(res.body.emails[0].primary, true);
  for (const bad of [
    { active: 'yes' },
    { active: 1 },
    { displayName: 5 },
    { emails: { value: 'x' } },
    { name: 'Ann' },
    { emails: [{ value: 1 }] },
    { userName: ['a'] },
  ]) {
    const r = await h.req('POST', 'Users', { ...user(`bad-${Math.random()}@x.test`), ...bad });
    assert.equal(r.status, 400, JSON.stringify(bad));
    assert.equal(r.body.scimType, 'invalidValue', JSON.stringify(bad));
    assert.equal(r.body.status, '400');
  }
});

test('userName is required and unique per account, case-insensitively (409 uniqueness)', async () => {
  const missing = await h.req('POST', 'Users', { schemas: [USER_URN], displayName: 'x' });
  assert.equal(missing.status, 400);
  assert.equal(missing.body.scimType, 'invalidValue');
  assert.equal((await h.req('POST', 'Users', user('Dup@Example.test'))).status, 201);
  const dup = await h.req('POST', 'Users', user('dup@example.TEST'));
  assert.equal(dup.status, 409);
  assert.equal(dup.body.scimType, 'uniqueness');
});

test('two primary values in one multi-valued attribute are refused', async () => {
  const res = await h.req(
    'POST',
    'Users',
    user('prim@x.test', {
      emails: [
        { value: 'a@x', primary: true },
        { value: 'b@x', primary: true },
      ],
    }),
  );
  assert.equal(res.status, 400);
  assert.equal(res.body.scimType, 'invalidValue');
});

test('manager is accepted as a bare id, {value,$ref} and [{value,$ref}] and returned as {value,$ref}', async () => {
  const mgr = (await h.req('POST', 'Users', user('mgr@x.test'))).body.id as string;
  const shapes = [mgr, { value: mgr, $ref: 'ignored' }, [{ value: mgr, $ref: `../Users/${mgr}` }]];
  for (const [i, manager] of shapes.entries()) {
    const res = await h.req('POST', 'Users', user(`report${i}@x.test`, { [ENTERPRISE_URN]: { manager } }));
    assert.equal(res.status, 201);
    assert.deepEqual(res.body[ENTERPRISE_URN].manager, { value: mgr, $ref: `http://localhost:80${h.base}/Users/${mgr}` });
  }
  const nulled = await h.req('POST', 'Users', user('report-null@x.test', { [ENTERPRISE_URN]: { manager: { value: null, $ref: null }, department: 'D' } }));
  assert.equal(nulled.status, 201);
  assert.deepEqual(nulled.body[ENTERPRISE_URN], { department: 'D' });
});

test('GET of an unknown user is 404; If-None-Match with the current ETag is 304', async () => {
  const missing = await h.req('GET', 'Users/does-not-exist');
  assert.equal(missing.status, 404);
  assert.equal(missing.body.detail, 'User does-not-exist not found');
  const created = await h.req('POST', 'Users', user('etag@x.test'));
  const same = await h.req('GET', `Users/${created.body.id}`, undefined, { 'if-none-match': created.headers.etag as string });
  assert.equal(same.status, 304);
  assert.equal(same.raw, '');
  const stale = await h.req('GET', `Users/${created.body.id}`, undefined, { 'if-none-match': 'W/"999"' });
  assert.equal(stale.status, 200);
});

test('PUT replaces the user, ignores readOnly values, keeps the password hash, never creates', async () => {
  const created = (await h.req('POST', 'Users', user('put@x.test', { title: 'Old', nickName: 'Nick', password: 'pw-one' }))).body;
  const hashBefore = h.app.db.prepare('SELECT password_hash FROM users WHERE id = ?').pluck().get(created.id);
  const res = await h.req('PUT', `Users/${created.id}`, { ...user('put@x.test', { title: 'New', active: 'false' }), id: 'other', meta: { version: 'W/"77"' } });
  assert.equal(res.status, 200);
  assert.equal(res.body.id, created.id);
  assert.equal(res.body.title, 'New');
  assert.equal(res.body.nickName, undefined, 'attributes left out are cleared');
  assert.equal(res.body.active, false);
  assert.equal(res.body.meta.version, 'W/"2"');
  assert.equal(res.headers.etag, 'W/"2"');
  assert.equal(res.body.meta.created, created.meta.created);
  assert.equal(h.app.db.prepare('SELECT password_hash FROM users WHERE id = ?').pluck().get(created.id), hashBefore);
  const nowhere = await h.req('PUT', 'Users/not-there', user('ghost@x.test'));
  assert.equal(nowhere.status, 404);
  assert.equal(
    h.app.store.users.list(h.accountId, { offset: 0, limit: 1000 }).items.some((u) => u.data.userName === 'ghost@x.test'),
    false,
  );
});

test('PUT and DELETE honour If-Match: a stale version is 412 and nothing changes', async () => {
  const created = (await h.req('POST', 'Users', user('ifmatch@x.test', { title: 'T' }))).body;
  const stale = await h.req('PUT', `Users/${created.id}`, user('ifmatch@x.test', { title: 'U' }), { 'if-match': 'W/"5"' });
  assert.equal(stale.status, 412);
  const del = await h.req('DELETE', `Users/${created.id}`, undefined, { 'if-match': '"5"' });
  assert.equal(del.status, 412);
  assert.equal((await h.req('GET', `Users/${created.id}`)).body.title, 'T');
  const ok = await h.req('PUT', `Users/${created.id}`, user('ifmatch@x.test', { title: 'U' }), { 'if-match': 'W/"1"' });
  assert.equal(ok.status, 200);
  const star = await h.req('DELETE', `Users/${created.id}`, undefined, { 'if-match': '*' });
  assert.equal(star.status, 204);
});

test('PUT changing userName to one taken by another user is 409', async () => {
  await h.req('POST', 'Users', user('taken@x.test'));
  const mine = (await h.req('POST', 'Users', user('mine@x.test'))).body;
  const res = await h.req('PUT', `Users/${mine.id}`, user('TAKEN@x.test'));
  assert.equal(res.status, 409);
  assert.equal(res.body.scimType, 'uniqueness');
});

test('DELETE answers 204, then 404; the user leaves every group and the groups change version', async () => {
  const u = (await h.req('POST', 'Users', user('leaver@x.test'))).body;
  const other = (await h.req('POST', 'Users', user('stayer@x.test'))).body;
  const g = (await h.req('POST', 'Groups', group('Leavers', [u.id, other.id]))).body;
  const withGroups = await h.req('GET', `Users/${u.id}`);
  assert.deepEqual(withGroups.body.groups, [{ value: g.id, $ref: `http://localhost:80${h.base}/Groups/${g.id}`, display: 'Leavers', type: 'direct' }]);
  assert.equal((await h.req('DELETE', `Users/${u.id}`)).status, 204);
  assert.equal((await h.req('GET', `Users/${u.id}`)).status, 404);
  assert.equal((await h.req('DELETE', `Users/${u.id}`)).status, 404);
  const after = (await h.req('GET', `Groups/${g.id}`)).body;
  assert.deepEqual(
    after.members.map((m: { value: string }) => m.value),
    [other.id],
  );
  assert.notEqual(after.meta.version, g.meta.version);
});

test('events: created, deactivated, reactivated, updated and deleted are published once each after commit', async () => {
  await new Promise((r) => setImmediate(r)); // let events of earlier tests drain
  const seen: string[] = [];
  const names = ['user.created', 'user.updated', 'user.deactivated', 'user.reactivated', 'user.deleted'] as const;
  const listeners = names.map(
    (n) =>
      [
        n,
        (e: { id: string; accountId: string }) => {
          assert.equal(e.accountId, h.accountId);
          seen.push(n);
        },
      ] as const,
  );
  for (const [n, l] of listeners) h.app.scimEvents.on(n, l);
  h.app.scimEvents.on('user.created', () => {
    throw new Error('a failing listener must not affect SCIM');
  });
  const u = await h.req('POST', 'Users', user('events@x.test', { active: true }));
  assert.equal(u.status, 201);
  await h.req('PUT', `Users/${u.body.id}`, user('events@x.test', { active: false }));
  await h.req('PUT', `Users/${u.body.id}`, user('events@x.test', { active: true }));
  await h.req('PUT', `Users/${u.body.id}`, user('events@x.test', { active: true, title: 'x' }));
  await h.req('DELETE', `Users/${u.body.id}`);
  await new Promise((r) => setImmediate(r));
  for (const [n, l] of listeners) h.app.scimEvents.off(n, l);
  h.app.scimEvents.removeAllListeners('user.created');
  assert.deepEqual(seen, ['user.created', 'user.deactivated', 'user.reactivated', 'user.updated', 'user.deleted']);
});

test('GET /Users lists in creation order with 1-based paging; count=0 gives only totalResults', async () => {
  const local = await harness();
  try {
    for (let i = 0; i < 5; i++) assert.equal((await local.req('POST', 'Users', user(`page${i}@x.test`))).status, 201);
    const all = await local.req('GET', 'Users');
    assert.equal(all.body.totalResults, 5);
    assert.deepEqual(
      all.body.Resources.map((u: { userName: string }) => u.userName),
      [0, 1, 2, 3, 4].map((i) => `page${i}@x.test`),
    );
    const pageTwo = await local.req('GET', 'Users?startIndex=3&count=2');
    assert.deepEqual(
      {
        total: pageTwo.body.totalResults,
        start: pageTwo.body.startIndex,
        per: pageTwo.body.itemsPerPage,
        names: pageTwo.body.Resources.map((u: { userName: string }) => u.userName),
      },
      { total: 5, start: 3, per: 2, names: ['page2@x.test', 'page3@x.test'] },
    );
    const none = await local.req('GET', 'Users?count=0');
    assert.deepEqual(none.body, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 5,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });
    const negative = await local.req('GET', 'Users?startIndex=-4&count=-1&unknownParam=1');
    assert.equal(negative.status, 200);
    assert.equal(negative.body.startIndex, 1);
    assert.equal(negative.body.itemsPerPage, 0);
    const past = await local.req('GET', 'Users?startIndex=99');
    assert.equal(past.body.itemsPerPage, 0);
    assert.equal(past.body.totalResults, 5);
    const bad = await local.req('GET', 'Users?count=ten');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.scimType, 'invalidValue');
  } finally {
    await local.app.close();
  }
});

test('count is capped at maxResults', async () => {
  const local = await harness({ maxResults: 2 });
  try {
    for (let i = 0; i < 3; i++) await local.req('POST', 'Users', user(`cap${i}@x.test`));
    const res = await local.req('GET', 'Users?count=50');
    assert.equal(res.body.itemsPerPage, 2);
    assert.equal(res.body.totalResults, 3);
  } finally {
    await local.app.close();
  }
});

test('a bodiless DELETE or GET labelled application/scim+json is served, not refused as a syntax error', async () => {
  const u = (await h.req('POST', 'Users', user('labelled.delete@example.test'))).body as { id: string };
  const get = await h.req('GET', `Users/${u.id}`, undefined, { 'content-type': 'application/scim+json; charset=utf-8' });
  assert.equal(get.status, 200);
  const del = await h.req('DELETE', `Users/${u.id}`, undefined, { 'content-type': 'application/scim+json' });
  assert.equal(del.status, 204);
  const empty = await h.req('POST', 'Users', undefined, { 'content-type': 'application/scim+json' });
  assert.equal(empty.status, 400, 'a POST still needs its body');
});
