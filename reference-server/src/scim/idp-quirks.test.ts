/** Route-level checks for IdP quirks that only show across requests (docs/idp-patterns.md §4.6). */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { harness, memberBurst, patch, type Harness } from './testing.ts';

let h: Harness;
before(async () => {
  h = await harness();
});
after(async () => {
  await h.app.close();
});

test('SailPoint §4.6 parallel per-member adds and removes lose no update', async () => {
  const { ids, g, statuses } = await memberBurst(h, 20);
  assert.ok(
    statuses.every((s) => s === 204),
    statuses.join(','),
  );
  const full = await h.req('GET', `Groups/${g.id}`);
  assert.deepEqual(full.body.members.map((m: { value: string }) => m.value).sort(), [...ids].sort());
  const removes = await Promise.all(ids.slice(0, 10).map((id) => h.req('PATCH', `Groups/${g.id}`, patch({ op: 'remove', path: `members[value eq "${id}"]` }))));
  assert.ok(removes.every((r) => r.status === 204));
  const after = await h.req('GET', `Groups/${g.id}`);
  assert.deepEqual(after.body.members.map((m: { value: string }) => m.value).sort(), ids.slice(10).sort());
});
