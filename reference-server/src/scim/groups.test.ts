import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { group, GROUP_URN, harness, user, type Harness } from './testing.ts';

let h: Harness;
const ids: Record<string, string> = {};
before(async () => {
  h = await harness();
  for (const name of ['ann', 'bob', 'cat']) ids[name] = (await h.req('POST', 'Users', user(`${name}@x.test`, { displayName: name.toUpperCase() }))).body.id;
});
after(async () => {
  await h.app.close();
});

test('POST /Groups creates a group with members: 201, Location, meta; the server fills $ref, display and type', async () => {
  const res = await h.req('POST', 'Groups', { ...group('EMEA', [ids.ann!]), externalId: 'okta-g1' });
  assert.equal(res.status, 201);
  assert.equal(res.headers.location, res.body.meta.location);
  assert.equal(res.body.meta.resourceType, 'Group');
  assert.equal(res.body.meta.version, 'W/"1"');
  assert.deepEqual(res.body.schemas, [GROUP_URN]);
  assert.equal(res.body.externalId, 'okta-g1');
  assert.deepEqual(res.body.members, [{ value: ids.ann, $ref: `http://localhost:80${h.base}/Users/${ids.ann}`, type: 'User', display: 'ANN' }]);
  const u = await h.req('GET', `Users/${ids.ann}`);
  assert.deepEqual(
    u.body.groups.map((g: { display: string }) => g.display),
    ['EMEA'],
  );
});

test('Okta shapes: members without type, display null, empty members list', async () => {
  const res = await h.req('POST', 'Groups', { schemas: [GROUP_URN], displayName: 'Okta', members: [{ value: ids.bob, display: null }] });
  assert.equal(res.status, 201);
  assert.equal(res.body.members[0].value, ids.bob);
  const empty = await h.req('POST', 'Groups', { schemas: [GROUP_URN], displayName: 'Empty', members: [] });
  assert.equal(empty.status, 201);
  assert.equal(empty.body.members, undefined);
});

test('groups can contain groups; unknown members, wrong member types and self-membership are 400 invalidValue', async () => {
  const child = (await h.req('POST', 'Groups', group('Child'))).body;
  const parent = await h.req('POST', 'Groups', group('Parent', [child.id, ids.cat!]));
  assert.equal(parent.status, 201);
  assert.deepEqual(parent.body.members.map((m: { type: string }) => m.type).sort(), ['Group', 'User']);
  for (const members of [[{ value: 'nobody' }], [{ value: ids.ann, type: 'Group' }], [{ value: ids.ann, type: 'robot' }], [{ display: 'x' }], 'x']) {
    const res = await h.req('POST', 'Groups', { schemas: [GROUP_URN], displayName: 'Bad', members });
    assert.equal(res.status, 400, JSON.stringify(members));
    assert.equal(res.body.scimType, 'invalidValue');
  }
  const self = await h.req('PUT', `Groups/${child.id}`, group('Child', [child.id]));
  assert.equal(self.status, 400);
  // Deleting the child takes it out of the parent.
  assert.equal((await h.req('DELETE', `Groups/${child.id}`)).status, 204);
  const after = await h.req('GET', `Groups/${parent.body.id}`);
  assert.deepEqual(
    after.body.members.map((m: { value: string }) => m.value),
    [ids.cat],
  );
});

test('displayName is required', async () => {
  const res = await h.req('POST', 'Groups', { schemas: [GROUP_URN], members: [] });
  assert.equal(res.status, 400);
  assert.equal(res.body.scimType, 'invalidValue');
});

test('PUT /Groups replaces name and the whole member list as rows; users see the change', async () => {
  const g = (await h.req('POST', 'Groups', group('AMER', [ids.ann!, ids.bob!]))).body;
  const res = await h.req('PUT', `Groups/${g.id}`, group('Americas', [ids.bob!, ids.cat!]));
  assert.equal(res.status, 200);
  assert.equal(res.body.displayName, 'Americas');
  assert.deepEqual(res.body.members.map((m: { value: string }) => m.value).sort(), [ids.bob, ids.cat].sort());
  const cat = await h.req('GET', `Users/${ids.cat}`);
  assert.ok(cat.body.groups.some((x: { value: string; display: string }) => x.value === g.id && x.display === 'Americas'));
  const ann = await h.req('GET', `Users/${ids.ann}`);
  assert.ok(!(ann.body.groups ?? []).some((x: { value: string }) => x.value === g.id));
  const emptied = await h.req('PUT', `Groups/${g.id}`, { schemas: [GROUP_URN], displayName: 'Americas', members: [] });
  assert.equal(emptied.body.members, undefined);
  assert.equal((await h.req('PUT', 'Groups/unknown', group('X'))).status, 404);
});

test('excludedAttributes=members never returns members; attributes=members does', async () => {
  const g = (await h.req('POST', 'Groups', group('APAC', [ids.ann!]))).body;
  const without = await h.req('GET', `Groups/${g.id}?excludedAttributes=members`);
  assert.equal(without.status, 200);
  assert.equal(without.body.members, undefined);
  const list = await h.req('GET', 'Groups?excludedAttributes=members');
  assert.ok(list.body.Resources.every((r: { members?: unknown }) => r.members === undefined));
  const withMembers = await h.req('GET', `Groups/${g.id}?attributes=members`);
  assert.equal(withMembers.body.members.length, 1);
});

test('DELETE /Groups answers 204 then 404 and frees its members; If-Match and If-None-Match apply', async () => {
  const g = (await h.req('POST', 'Groups', group('Temp', [ids.bob!]))).body;
  assert.equal((await h.req('GET', `Groups/${g.id}`, undefined, { 'if-none-match': g.meta.version })).status, 304);
  assert.equal((await h.req('DELETE', `Groups/${g.id}`, undefined, { 'if-match': 'W/"9"' })).status, 412);
  assert.equal((await h.req('DELETE', `Groups/${g.id}`, undefined, { 'if-match': g.meta.version })).status, 204);
  assert.equal((await h.req('GET', `Groups/${g.id}`)).status, 404);
  assert.equal(h.app.db.prepare('SELECT COUNT(*) FROM group_members WHERE group_id = ?').pluck().get(g.id), 0);
});

test('group events carry the member ids that joined or left', async () => {
  await new Promise((r) => setImmediate(r));
  const events: { name: string; added?: string[]; removed?: string[] }[] = [];
  const on = (name: string) => (e: { addedMembers?: string[]; removedMembers?: string[] }) =>
    events.push({ name, added: e.addedMembers, removed: e.removedMembers });
  const listeners = ['group.created', 'group.updated', 'group.deleted'].map((n) => [n, on(n)] as const);
  for (const [n, l] of listeners) h.app.scimEvents.on(n, l);
  const g = (await h.req('POST', 'Groups', group('Evt', [ids.ann!]))).body;
  await h.req('PUT', `Groups/${g.id}`, group('Evt', [ids.bob!]));
  await h.req('DELETE', `Groups/${g.id}`);
  await new Promise((r) => setImmediate(r));
  for (const [n, l] of listeners) h.app.scimEvents.off(n, l);
  assert.deepEqual(events, [
    { name: 'group.created', added: undefined, removed: undefined },
    { name: 'group.updated', added: [ids.bob], removed: [ids.ann] },
    { name: 'group.deleted', added: undefined, removed: [ids.bob] },
  ]);
});
