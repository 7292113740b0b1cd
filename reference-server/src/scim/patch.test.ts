import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ENTERPRISE_URN, group, harness, PATCH_URN, user, type Harness } from './testing.ts';

let h: Harness;
before(async () => {
  h = await harness();
});
after(async () => {
  await h.app.close();
});

const P = (...ops: unknown[]) => ({ schemas: [PATCH_URN], Operations: ops });
const memberIds = async (groupId: string) =>
  ((await h.req('GET', `Groups/${groupId}`)).body.members ?? []).map((m: { value: string }) => m.value).sort() as string[];
const newUser = async (name: string, extra: Record<string, unknown> = {}) => (await h.req('POST', 'Users', user(`${name}@x.test`, extra))).body;

test('Okta deactivate: replace with no path and {active:false} answers 200 with the user, new version and ETag', async () => {
  const u = await newUser('okta-deact', { active: true });
  const res = await h.req('PATCH', `Users/${u.id}`, P({ op: 'replace', value: { active: false } }));
  assert.equal(res.status, 200);
  assert.equal(res.body.active, false);
  assert.equal(res.body.meta.version, 'W/"2"');
  assert.equal(res.headers.etag, 'W/"2"');
  assert.equal((await h.req('GET', `Users/${u.id}`)).body.active, false);
});

test('Entra shapes: capitalised ops, "False" strings, value-path replace, dotted and URN keys in a no-path value', async () => {
  const u = await newUser('entra', { active: true, emails: [{ value: 'old@x.test', type: 'work', primary: true }] });
  const res = await h.req(
    'PATCH',
    `Users/${u.id}`,
    P(
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'new@x.test' },
      { op: 'Replace', path: 'active', value: 'False' },
      { op: 'replace', value: { 'name.givenName': 'Ann', [`${ENTERPRISE_URN}:department`]: 'Sales' } },
    ),
  );
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.emails[0].value, 'new@x.test');
  assert.equal(res.body.active, false);
  assert.equal(res.body.name.givenName, 'Ann');
  assert.equal(res.body[ENTERPRISE_URN].department, 'Sales');
});

test('Entra manager as a bare id on the URN path is returned as {value,$ref}', async () => {
  const mgr = await newUser('boss');
  const u = await newUser('report');
  const res = await h.req('PATCH', `Users/${u.id}`, P({ op: 'add', path: `${ENTERPRISE_URN}:manager`, value: mgr.id }));
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body[ENTERPRISE_URN].manager, { value: mgr.id, $ref: `http://localhost:80${h.base}/Users/${mgr.id}` });
});

test('a new password by PATCH is stored hashed and never returned', async () => {
  const u = await newUser('pw');
  const res = await h.req('PATCH', `Users/${u.id}`, P({ op: 'replace', path: 'password', value: 'Patched-Secret-1' }));
  assert.equal(res.status, 200);
  assert.ok(!res.raw.includes('Patched-Secret-1'));
  const row = h.app.db.prepare('SELECT data, password_hash FROM users WHERE id = ?').get(u.id) as { data: string; password_hash: string };
  assert.match(row.password_hash, /^scrypt\$/);
  assert.ok(!row.data.includes('Patched-Secret-1'));
});

test('a failing operation leaves the user unchanged (atomic), and If-Match applies', async () => {
  const u = await newUser('atomic', { title: 'Before' });
  const res = await h.req(
    'PATCH',
    `Users/${u.id}`,
    P({ op: 'replace', path: 'title', value: 'After' }, { op: 'replace', path: 'emails[type eq "home"].value', value: 'x' }),
  );
  assert.equal(res.status, 400);
  assert.equal(res.body.scimType, 'noTarget');
  const now = (await h.req('GET', `Users/${u.id}`)).body;
  assert.equal(now.title, 'Before');
  assert.equal(now.meta.version, u.meta.version);
  const stale = await h.req('PATCH', `Users/${u.id}`, P({ op: 'replace', path: 'title', value: 'X' }), { 'if-match': 'W/"42"' });
  assert.equal(stale.status, 412);
  const missing = await h.req('PATCH', 'Users/nope', P({ op: 'replace', path: 'title', value: 'X' }));
  assert.equal(missing.status, 404);
});

test("a user's groups are readOnly: patching them is 400 mutability", async () => {
  const u = await newUser('ro');
  const g = (await h.req('POST', 'Groups', group('RO'))).body;
  const res = await h.req('PATCH', `Users/${u.id}`, P({ op: 'add', path: 'groups', value: [{ value: g.id }] }));
  assert.equal(res.status, 400);
  assert.equal(res.body.scimType, 'mutability');
});

test('Okta group push: rename carrying the readOnly id, then member delta; 204 without a body', async () => {
  const [a, b] = [await newUser('push-a'), await newUser('push-b')];
  const g = (await h.req('POST', 'Groups', group('Eng'))).body;
  const rename = await h.req('PATCH', `Groups/${g.id}`, P({ op: 'replace', value: { id: g.id, displayName: 'Engineering' } }));
  assert.equal(rename.status, 204);
  assert.equal(rename.raw, '');
  assert.equal(rename.headers.etag, 'W/"2"');
  const add = await h.req('PATCH', `Groups/${g.id}`, P({ op: 'add', path: 'members', value: [{ value: a.id, display: 'a' }, { value: b.id }] }));
  assert.equal(add.status, 204);
  assert.deepEqual(await memberIds(g.id), [a.id, b.id].sort());
  const remove = await h.req('PATCH', `Groups/${g.id}`, P({ op: 'remove', path: `members[value eq "${a.id}"]` }));
  assert.equal(remove.status, 204, remove.raw);
  assert.deepEqual(await memberIds(g.id), [b.id]);
  const other = await h.req('PATCH', `Groups/${g.id}`, P({ op: 'replace', value: { id: 'another-id' } }));
  assert.equal(other.status, 400);
  assert.equal(other.body.scimType, 'mutability');
  assert.equal((await h.req('GET', `Groups/${g.id}`)).body.displayName, 'Engineering');
});

test('member removal by value list removes exactly those; replace with [] empties; attributes= asks for a 200 body', async () => {
  const [a, b, c] = [await newUser('list-a'), await newUser('list-b'), await newUser('list-c')];
  const g = (await h.req('POST', 'Groups', group('List', [a.id, b.id, c.id]))).body;
  const res = await h.req('PATCH', `Groups/${g.id}?attributes=members`, P({ op: 'Remove', path: 'members', value: [{ value: a.id }, { value: c.id }] }));
  assert.equal(res.status, 200);
  assert.deepEqual(
    res.body.members.map((m: { value: string }) => m.value),
    [b.id],
  );
  assert.deepEqual((await h.req('GET', `Users/${a.id}`)).body.groups, undefined, 'the removed user no longer lists the group');
  const emptied = await h.req('PATCH', `Groups/${g.id}`, P({ op: 'replace', path: 'members', value: [] }));
  assert.equal(emptied.status, 204);
  assert.deepEqual(await memberIds(g.id), []);
});

test('adding an unknown member fails the whole PATCH, including an earlier rename', async () => {
  const a = await newUser('unk-a');
  const g = (await h.req('POST', 'Groups', group('Unknown', [a.id]))).body;
  const res = await h.req(
    'PATCH',
    `Groups/${g.id}`,
    P({ op: 'replace', path: 'displayName', value: 'Renamed' }, { op: 'add', path: 'members', value: [{ value: 'ghost' }] }),
  );
  assert.equal(res.status, 400);
  assert.equal(res.body.scimType, 'invalidValue');
  const now = (await h.req('GET', `Groups/${g.id}`)).body;
  assert.equal(now.displayName, 'Unknown');
  assert.equal(now.meta.version, g.meta.version);
});

test('PATCH envelope errors are 400 invalidSyntax', async () => {
  const u = await newUser('envelope');
  for (const body of [
    { Operations: [{ op: 'add', path: 'title', value: 'x' }] },
    { schemas: [PATCH_URN] },
    { schemas: [PATCH_URN], Operations: [] },
    [],
    'x',
  ]) {
    const res = await h.req('PATCH', `Users/${u.id}`, body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal(res.body.scimType, 'invalidSyntax', JSON.stringify(body));
  }
});

test('PATCH publishes user.deactivated / group.updated with the member delta; a no-op PATCH publishes nothing', async () => {
  await new Promise((r) => setImmediate(r));
  const u = await newUser('evt', { active: true });
  const g = (await h.req('POST', 'Groups', group('Evt'))).body;
  const seen: unknown[] = [];
  const onUser = (e: { id: string }) => seen.push(['user.deactivated', e.id]);
  const onGroup = (e: { addedMembers?: string[] }) => seen.push(['group.updated', e.addedMembers]);
  h.app.scimEvents.on('user.deactivated', onUser);
  h.app.scimEvents.on('group.updated', onGroup);
  await h.req('PATCH', `Users/${u.id}`, P({ op: 'replace', value: { active: false } }));
  const noop = await h.req('PATCH', `Users/${u.id}`, P({ op: 'replace', value: { active: false } }));
  assert.equal(noop.body.meta.version, 'W/"2"', 'a PATCH that changes nothing keeps the version');
  await h.req('PATCH', `Groups/${g.id}`, P({ op: 'add', path: 'members', value: [{ value: u.id }] }));
  await new Promise((r) => setImmediate(r));
  h.app.scimEvents.off('user.deactivated', onUser);
  h.app.scimEvents.off('group.updated', onGroup);
  assert.deepEqual(seen, [
    ['user.deactivated', u.id],
    ['group.updated', [u.id]],
  ]);
});
