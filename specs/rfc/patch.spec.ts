import { expect, notAssessed, PreconditionFailed, req, test, verify } from '../../fixtures/test.ts';
import { NOT_CLAIMED } from '../../harness/capabilities.ts';
import type { ScimClient } from '../../harness/scim-client.ts';
import { URN } from '../../harness/scim-schemas.ts';
import { expectPatchOk, expectScimError } from '../checks/scim.ts';

// RFC 7644 §3.5.2: PATCH operations, their paths, errors and atomicity.

test.beforeEach(({ capabilities }) => {
  test.skip(!capabilities.patch, NOT_CLAIMED.patch);
});

const readUser = async (scim: ScimClient, id: string) => scim.user(await scim.getUser(id));
const readGroup = async (scim: ScimClient, id: string) => scim.group(await scim.getGroup(id));
const memberIds = (g: { members?: Array<{ value?: string }> }) => (g.members ?? []).map((m) => m.value).sort();

test('a successful PATCH answers 200 with the resource or 204', req('RFC-PATCH-RESPONSE'), async ({ scim, make }) => {
  const user = await make.user();
  const res = await scim.patch(`/Users/${user.id}`, [{ op: 'replace', path: 'displayName', value: 'Patched' }]);
  expectPatchOk(res);
  if (res.status === 200) expect((await scim.user(res)).displayName).toBe('Patched');
});

test('add without a path merges the value object', req('RFC-PATCH-ADD-NOPATH'), async ({ scim, make }) => {
  const user = await make.user();
  expectPatchOk(await scim.patch(`/Users/${user.id}`, [{ op: 'add', value: { title: 'Chief Tester', nickName: 'Tess' } }]));
  const got = await readUser(scim, user.id);
  expect(got).toMatchObject({ title: 'Chief Tester', nickName: 'Tess', userName: user.userName, displayName: user.displayName });
});

test('add on a single-valued attribute replaces it', req('RFC-PATCH-ADD-SINGLE'), async ({ scim, make }) => {
  const user = await make.user();
  expectPatchOk(await scim.patch(`/Users/${user.id}`, [{ op: 'add', path: 'displayName', value: 'Added Name' }]));
  expect((await readUser(scim, user.id)).displayName).toBe('Added Name');
});

test('add on a multi-valued attribute appends', req('RFC-PATCH-ADD-MULTIVALUED'), async ({ scim, make }) => {
  const user = await make.user();
  const extra = { value: `${user.userName}@home.example.test`, type: 'home' };
  expectPatchOk(await scim.patch(`/Users/${user.id}`, [{ op: 'add', path: 'emails', value: [extra] }]));
  const values = ((await readUser(scim, user.id)).emails ?? []).map((e) => e.value);
  expect(values).toEqual(expect.arrayContaining([user.emails![0]!.value, extra.value]));
  expect(values.length).toBe(2);
});

test('add on members adds the Users, without duplicates', req('RFC-PATCH-ADD-MEMBERS', 'RFC-PATCH-ADD-NODUP'), async ({ scim, make }) => {
  const [a, b] = [await make.user(), await make.user()];
  const group = await make.group({ members: [{ value: a.id }] });
  await verify('RFC-PATCH-ADD-MEMBERS', async () => {
    expectPatchOk(await scim.patch(`/Groups/${group.id}`, [{ op: 'add', path: 'members', value: [{ value: b.id }] }]));
    expect(memberIds(await readGroup(scim, group.id))).toEqual([a.id, b.id].sort());
  });
  await verify('RFC-PATCH-ADD-NODUP', async () => {
    const before = memberIds(await readGroup(scim, group.id));
    if (!before.includes(a.id)) throw new PreconditionFailed(`the Group does not hold ${a.id} to add again`, 'RFC-GROUP-CREATE-MEMBERS');
    expectPatchOk(await scim.patch(`/Groups/${group.id}`, [{ op: 'add', path: 'members', value: [{ value: a.id }] }]));
    expect(memberIds(await readGroup(scim, group.id))).toEqual(before);
  });
});

test('replace without a path replaces each attribute given', req('RFC-PATCH-REPLACE-NOPATH'), async ({ scim, make }) => {
  const user = await make.user();
  expectPatchOk(
    await scim.patch(`/Users/${user.id}`, [{ op: 'replace', value: { displayName: 'Whole New', name: { givenName: 'Whole', familyName: 'New' } } }]),
  );
  const got = await readUser(scim, user.id);
  expect(got.displayName).toBe('Whole New');
  expect(got.name).toMatchObject({ givenName: 'Whole', familyName: 'New' });
  expect(got.userName).toBe(user.userName);
});

test('replace on a sub-attribute changes only it', req('RFC-PATCH-REPLACE-SUBATTR'), async ({ scim, make }) => {
  const user = await make.user();
  expectPatchOk(await scim.patch(`/Users/${user.id}`, [{ op: 'replace', path: 'name.givenName', value: 'Solo' }]));
  const got = await readUser(scim, user.id);
  expect(got.name?.givenName).toBe('Solo');
  expect(got.name?.familyName).toBe(user.name?.familyName);
});

test('replace through a value path changes only the matching element', req('RFC-PATCH-REPLACE-VALUEPATH'), async ({ scim, make }) => {
  const home = { value: 'home@example.test', type: 'home' };
  const user = await make.user({ emails: [{ value: 'work@example.test', type: 'work', primary: true }, home] });
  expectPatchOk(await scim.patch(`/Users/${user.id}`, [{ op: 'replace', path: 'emails[type eq "work"].value', value: 'new-work@example.test' }]));
  const emails = (await readUser(scim, user.id)).emails ?? [];
  expect(emails.find((e) => e.type === 'work')?.value).toBe('new-work@example.test');
  expect(emails.find((e) => e.type === 'home')?.value).toBe(home.value);
});

test('replace on members replaces the whole list', req('RFC-PATCH-REPLACE-MEMBERS'), async ({ scim, make }) => {
  const [a, b, c] = [await make.user(), await make.user(), await make.user()];
  const group = await make.group({ members: [{ value: a.id }, { value: b.id }] });
  expectPatchOk(await scim.patch(`/Groups/${group.id}`, [{ op: 'replace', path: 'members', value: [{ value: c.id }] }]));
  expect(memberIds(await readGroup(scim, group.id))).toEqual([c.id]);
});

test('replace of active with false deactivates', req('RFC-PATCH-REPLACE-ACTIVE'), async ({ scim, make }) => {
  const user = await make.user();
  expectPatchOk(await scim.patch(`/Users/${user.id}`, [{ op: 'replace', path: 'active', value: false }]));
  expect((await readUser(scim, user.id)).active).toBe(false);
});

test('remove through members[value eq] removes only that member', req('RFC-PATCH-REMOVE-VALUEPATH'), async ({ scim, make }) => {
  const [a, b] = [await make.user(), await make.user()];
  const group = await make.group({ members: [{ value: a.id }, { value: b.id }] });
  expectPatchOk(await scim.patch(`/Groups/${group.id}`, [{ op: 'remove', path: `members[value eq "${a.id}"]` }]));
  expect(memberIds(await readGroup(scim, group.id))).toEqual([b.id]);
});

test('remove on members without a filter removes every member', req('RFC-PATCH-REMOVE-ALL'), async ({ scim, make }) => {
  const [a, b] = [await make.user(), await make.user()];
  const group = await make.group({ members: [{ value: a.id }, { value: b.id }] });
  expectPatchOk(await scim.patch(`/Groups/${group.id}`, [{ op: 'remove', path: 'members' }]));
  expect(memberIds(await readGroup(scim, group.id))).toEqual([]);
});

test('remove without a path answers 400 noTarget', req('RFC-PATCH-REMOVE-NOPATH'), async ({ scim, make }) => {
  const user = await make.user();
  await expectScimError(scim, await scim.patch(`/Users/${user.id}`, [{ op: 'remove' }]), 400, 'noTarget');
});

test('replace through a value filter that matches nothing answers 400 noTarget', req('RFC-PATCH-NOTARGET'), async ({ scim, make }) => {
  const user = await make.user({ emails: [{ value: 'only-work@example.test', type: 'work' }] });
  const res = await scim.patch(`/Users/${user.id}`, [{ op: 'replace', path: 'emails[type eq "other"].value', value: 'x@example.test' }]);
  await expectScimError(scim, res, 400, 'noTarget');
  expect(((await readUser(scim, user.id)).emails ?? []).map((e) => e.value)).toEqual(['only-work@example.test']);
});

test('a path prefixed with the extension URN resolves', req('RFC-PATCH-URN-PATH'), async ({ scim, make, capabilities }) => {
  test.skip(!capabilities.enterpriseUser, NOT_CLAIMED.enterpriseUser);
  const user = await make.user();
  expectPatchOk(await scim.patch(`/Users/${user.id}`, [{ op: 'add', path: `${URN.enterprise}:employeeNumber`, value: '90210' }]));
  const got = await readUser(scim, user.id);
  expect((got[URN.enterprise] as { employeeNumber?: string } | undefined)?.employeeNumber).toBe('90210');
});

test('a malformed PATCH path is refused with an error status and a SCIM error, and changes nothing', req('RFC-PATCH-INVALID-PATH'), async ({ scim, make }) => {
  const user = await make.user();
  await verify('RFC-PATCH-INVALID-PATH', async () => {
    // the quoted rule is about the answer to a request that fails: a server that reads a path leniently is not judged
    let refused = 0;
    for (const path of ['emails[type eq "work"', 'name..givenName']) {
      const res = await scim.patch(`/Users/${user.id}`, [{ op: 'replace', path, value: 'x' }]);
      if (res.status < 300) continue;
      refused += 1;
      await expectScimError(scim, res, [400, 404, 409, 422]);
      expect((await readUser(scim, user.id)).name, `a refused ${path} changed nothing`).toEqual(user.name);
    }
    if (refused === 0) notAssessed('the target accepted both malformed paths, so there was no refusal to judge');
  });
});

test('an unknown op answers 400 and changes nothing', req('RFC-PATCH-INVALID-OP'), async ({ scim, make }) => {
  const user = await make.user();
  await expectScimError(scim, await scim.patch(`/Users/${user.id}`, [{ op: 'merge', path: 'displayName', value: 'Nope' }]), 400, [
    'invalidSyntax',
    'invalidValue',
  ]);
  expect((await readUser(scim, user.id)).displayName).toBe(user.displayName);
});

test('replacing id with another value answers 400 mutability', req('RFC-PATCH-MUTABILITY'), async ({ scim, make }) => {
  const user = await make.user();
  await expectScimError(scim, await scim.patch(`/Users/${user.id}`, [{ op: 'replace', path: 'id', value: 'another-id' }]), 400, 'mutability');
  expect((await readUser(scim, user.id)).id).toBe(user.id);
});

test('a failing operation leaves the whole request unapplied', req('RFC-PATCH-ATOMIC'), async ({ scim, make }) => {
  const user = await make.user();
  const res = await scim.patch(`/Users/${user.id}`, [
    { op: 'replace', path: 'displayName', value: 'Should Not Stick' },
    { op: 'replace', path: 'emails[type eq "nonexistent"].value', value: 'x@example.test' },
  ]);
  expect(res.status, 'the second operation must fail').toBe(400);
  expect((await readUser(scim, user.id)).displayName).toBe(user.displayName);
});

test('operations apply in order', req('RFC-PATCH-ORDER'), async ({ scim, make }) => {
  const user = await make.user();
  expectPatchOk(
    await scim.patch(`/Users/${user.id}`, [
      { op: 'replace', path: 'displayName', value: 'First' },
      { op: 'replace', path: 'displayName', value: 'Second' },
      { op: 'add', path: 'title', value: 'Temp' },
      { op: 'remove', path: 'title' },
    ]),
  );
  const got = await readUser(scim, user.id);
  expect(got.displayName).toBe('Second');
  expect(got.title).toBeUndefined();
});
