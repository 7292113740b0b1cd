import { expect, req, test } from '../../fixtures/test.ts';
import { NOT_CLAIMED } from '../../harness/capabilities.ts';
import { URN } from '../../harness/scim-schemas.ts';
import { expectPatchOk, expectScimError, expectStatus, headerEtag } from '../checks/scim.ts';

// RFC 7644 §3.14: versions, If-Match and If-None-Match.

test.beforeEach(({ capabilities }) => {
  test.skip(!capabilities.etag, NOT_CLAIMED.etag);
});

test('reads carry an ETag equal to meta.version', req('RFC-ETAG-HEADER'), async ({ scim, make }) => {
  const user = await make.user();
  const res = await scim.getUser(user.id);
  const etag = headerEtag(res);
  expect(etag, 'ETag header').toBeTruthy();
  expect((await scim.user(res)).meta?.version).toBe(etag);
});

test('the version changes when the resource changes', req('RFC-ETAG-CHANGES'), async ({ scim, make }) => {
  const user = await make.user();
  const before = headerEtag(await scim.getUser(user.id));
  expectStatus(await scim.put(`/Users/${user.id}`, make.userBody({ userName: user.userName!, displayName: 'Changed' })), 200);
  const after = headerEtag(await scim.getUser(user.id));
  expect(after).toBeTruthy();
  expect(after).not.toBe(before);
});

test('If-None-Match with the current version answers 304', req('RFC-ETAG-IFNONEMATCH'), async ({ scim, make }) => {
  const user = await make.user();
  const etag = headerEtag(await scim.getUser(user.id))!;
  const res = await scim.get(`/Users/${user.id}`, undefined, { 'if-none-match': etag });
  expectStatus(res, 304);
  expect(res.text).toBe('');
  expectStatus(await scim.get(`/Users/${user.id}`, undefined, { 'if-none-match': 'W/"scimulator-other"' }), 200);
});

test('PUT with a stale If-Match answers 412 and changes nothing', req('RFC-ETAG-IFMATCH-PUT'), async ({ scim, make }) => {
  const user = await make.user();
  const stale = headerEtag(await scim.getUser(user.id))!;
  expectStatus(await scim.put(`/Users/${user.id}`, make.userBody({ userName: user.userName!, displayName: 'First' })), 200);
  const res = await scim.put(`/Users/${user.id}`, make.userBody({ userName: user.userName!, displayName: 'Second' }), { 'if-match': stale });
  await expectScimError(scim, res, 412);
  expect((await scim.user(await scim.getUser(user.id))).displayName).toBe('First');
});

test('PATCH with a stale If-Match answers 412 and changes nothing', req('RFC-ETAG-IFMATCH-PATCH'), async ({ scim, make, capabilities }) => {
  test.skip(!capabilities.patch, NOT_CLAIMED.patch);
  const user = await make.user();
  const stale = headerEtag(await scim.getUser(user.id))!;
  expectPatchOk(await scim.patch(`/Users/${user.id}`, [{ op: 'replace', path: 'displayName', value: 'First' }]));
  const res = await scim.patch(`/Users/${user.id}`, [{ op: 'replace', path: 'displayName', value: 'Second' }], { 'if-match': stale });
  await expectScimError(scim, res, 412);
  expect((await scim.user(await scim.getUser(user.id))).displayName).toBe('First');
});

test('DELETE with a stale If-Match answers 412 and deletes nothing', req('RFC-ETAG-IFMATCH-DELETE'), async ({ scim, make }) => {
  const group = await make.group();
  const stale = headerEtag(await scim.getGroup(group.id))!;
  expectStatus(await scim.put(`/Groups/${group.id}`, { schemas: [URN.group], displayName: `${group.displayName}-x` }), 200);
  await expectScimError(scim, await scim.delete(`/Groups/${group.id}`, { 'if-match': stale }), 412);
  expectStatus(await scim.getGroup(group.id), 200);
});

test('If-Match with the current version succeeds', req('RFC-ETAG-IFMATCH-CURRENT'), async ({ scim, make }) => {
  const user = await make.user();
  const current = headerEtag(await scim.getUser(user.id))!;
  const res = await scim.put(`/Users/${user.id}`, make.userBody({ userName: user.userName!, displayName: 'Matched' }), { 'if-match': current });
  expectStatus(res, 200);
  const next = headerEtag(await scim.getUser(user.id))!;
  expectStatus(await scim.delete(`/Users/${user.id}`, { 'if-match': next }), 204);
});
