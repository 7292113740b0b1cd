import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { group, harness, user, type Harness } from './testing.ts';

let h: Harness;
before(async () => {
  h = await harness();
  await h.req(
    'POST',
    'Users',
    user('Ann.Lee@Example.test', { externalId: 'ExtA', displayName: 'Ann Lee', emails: [{ value: 'ann@work.test', type: 'work' }] }),
  );
  await h.req('POST', 'Users', user('bob@example.test', { externalId: 'extb', displayName: 'Bob' }));
  await h.req('POST', 'Groups', group('EMEA'));
  await h.req('POST', 'Groups', group('AMER'));
});
after(async () => {
  await h.app.close();
});

const names = (res: { body: { Resources: { userName?: string; displayName?: string }[] } }) => res.body.Resources.map((r) => r.userName ?? r.displayName);
const q = (filter: string) => `?filter=${encodeURIComponent(filter)}`;

test('userName eq matches case-insensitively (caseExact=false), as Okta re-queries in upper case', async () => {
  const res = await h.req('GET', `Users${q('userName eq "ANN.LEE@EXAMPLE.TEST"')}`);
  assert.equal(res.status, 200);
  assert.deepEqual(names(res), ['Ann.Lee@Example.test']);
  assert.equal(res.body.totalResults, 1);
});

test('externalId and id are caseExact; and combines terms', async () => {
  assert.deepEqual(names(await h.req('GET', `Users${q('externalId eq "ExtA"')}`)), ['Ann.Lee@Example.test']);
  assert.deepEqual(names(await h.req('GET', `Users${q('externalId eq "exta"')}`)), []);
  const ann = (await h.req('GET', `Users${q('externalId eq "ExtA"')}`)).body.Resources[0];
  assert.deepEqual(names(await h.req('GET', `Users${q(`id eq "${ann.id}" and userName eq "ann.lee@example.test"`)}`)), ['Ann.Lee@Example.test']);
  assert.deepEqual(names(await h.req('GET', `Users${q(`id eq "${ann.id.toUpperCase()}"`)}`)), []);
  assert.deepEqual(names(await h.req('GET', `Users${q('emails[type eq "work"].value eq "ann@work.test"')}`)), ['Ann.Lee@Example.test']);
});

test('a filter that matches nothing is 200 with an empty ListResponse (Entra Test Connection)', async () => {
  const res = await h.req('GET', `Users${q('userName eq "7f3c2a0e-0000-4000-8000-000000000000"')}`);
  assert.equal(res.status, 200);
  assert.equal(res.body.totalResults, 0);
  assert.deepEqual(res.body.Resources, []);
});

test('displayName eq on Groups with excludedAttributes=members (Entra group match)', async () => {
  const res = await h.req('GET', `Groups${q('displayName eq "emea"')}&excludedAttributes=members`);
  assert.deepEqual(names(res), ['EMEA']);
});

test('bad filters are 400 invalidFilter', async () => {
  for (const f of ['userName', 'userName eq', 'userName zz "a"', '(userName eq "a"', 'userName eq "a" and', 'active gt true']) {
    const res = await h.req('GET', `Users${q(f)}`);
    assert.equal(res.status, 400, f);
    assert.equal(res.body.scimType, 'invalidFilter', f);
  }
});

test('POST /Users/.search takes a SearchRequest body; a body without its schema is 400', async () => {
  const res = await h.req('POST', 'Users/.search', {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
    filter: 'userName eq "bob@example.test"',
    startIndex: 1,
    count: 10,
  });
  assert.equal(res.status, 200);
  assert.deepEqual(names(res), ['bob@example.test']);
  const groups = await h.req('POST', 'Groups/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], excludedAttributes: ['members'] });
  assert.equal(groups.body.totalResults, 2);
  const bad = await h.req('POST', 'Users/.search', { filter: 'userName pr' });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.scimType, 'invalidSyntax');
  const badCount = await h.req('POST', 'Users/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], count: 'ten' });
  assert.equal(badCount.status, 400);
  assert.equal(badCount.body.scimType, 'invalidValue');
});

test('POST /.search at the root pages across Users then Groups', async () => {
  const search = (extra: Record<string, unknown>) => h.req('POST', '.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], ...extra });
  const all = await search({});
  assert.equal(all.status, 200);
  assert.equal(all.body.totalResults, 4);
  assert.deepEqual(names(all), ['Ann.Lee@Example.test', 'bob@example.test', 'EMEA', 'AMER']);
  const middle = await search({ startIndex: 2, count: 2 });
  assert.deepEqual(names(middle), ['bob@example.test', 'EMEA']);
  const byName = await search({ filter: 'displayName eq "amer"' });
  assert.deepEqual(names(byName), ['AMER']);
  const usersOnly = await search({ filter: 'userName eq "bob@example.test"' });
  assert.deepEqual(names(usersOnly), ['bob@example.test']);
  const broken = await search({ filter: 'userName eq' });
  assert.equal(broken.status, 400);
  assert.equal(broken.body.scimType, 'invalidFilter');
});

test('attributes and excludedAttributes project every resource; id and schemas always come back', async () => {
  const res = await h.req('GET', 'Users?attributes=userName');
  for (const r of res.body.Resources) assert.deepEqual(Object.keys(r).sort(), ['id', 'schemas', 'userName']);
  const excluded = await h.req('GET', `Users${q('userName eq "bob@example.test"')}&excludedAttributes=externalId,displayName`);
  const bob = excluded.body.Resources[0];
  assert.equal(bob.externalId, undefined);
  assert.equal(bob.displayName, undefined);
  assert.equal(bob.userName, 'bob@example.test');
  const one = await h.req('GET', `Users/${bob.id}?attributes=displayName`);
  assert.deepEqual(Object.keys(one.body).sort(), ['displayName', 'id', 'schemas']);
});

test('sortBy and sortOrder order the list; unknown sortBy is 400 invalidValue', async () => {
  const asc = await h.req('GET', 'Users?sortBy=userName');
  assert.deepEqual(names(asc), ['Ann.Lee@Example.test', 'bob@example.test']);
  const desc = await h.req('GET', 'Users?sortBy=userName&sortOrder=descending');
  assert.deepEqual(names(desc), ['bob@example.test', 'Ann.Lee@Example.test']);
  const groups = await h.req('GET', 'Groups?sortBy=displayName');
  assert.deepEqual(names(groups), ['AMER', 'EMEA']);
  const bad = await h.req('GET', 'Users?sortBy=shoeSize');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.scimType, 'invalidValue');
  const spc = await h.req('GET', 'ServiceProviderConfig');
  assert.equal(spc.body.sort.supported, true);
});

test('attributes also project the answers to POST, PUT and PATCH (RFC 7644 §3.9)', async () => {
  const created = await h.req('POST', 'Users?attributes=userName', user('projected@example.test', { title: 'T' }));
  assert.equal(created.status, 201);
  assert.deepEqual(Object.keys(created.body).sort(), ['id', 'schemas', 'userName']);
  const put = await h.req('PUT', `Users/${created.body.id}?excludedAttributes=title`, user('projected@example.test', { title: 'U' }));
  assert.equal(put.body.title, undefined);
  assert.equal(put.body.userName, 'projected@example.test');
  const patched = await h.req('PATCH', `Users/${created.body.id}?attributes=title`, {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: [{ op: 'replace', path: 'title', value: 'V' }],
  });
  assert.deepEqual(Object.keys(patched.body).sort(), ['id', 'schemas', 'title']);
  const g = await h.req('POST', 'Groups?excludedAttributes=members', group('Projected', [created.body.id]));
  assert.equal(g.status, 201);
  assert.equal(g.body.members, undefined);
  assert.equal((await h.req('GET', `Groups/${g.body.id}`)).body.members.length, 1);
  await h.req('DELETE', `Groups/${g.body.id}`);
  await h.req('DELETE', `Users/${created.body.id}`);
});
