/** Route-level checks for IdP quirks that only show across requests (docs/idp-patterns.md §4.6). */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { group, harness, PATCH_URN, user, type Harness } from './testing.ts';

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_URN], Operations });

async function burst(h: Harness, n: number) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await h.req('POST', 'Users', user(`burst${i}@x.test`))).body.id);
  const g = (await h.req('POST', 'Groups', group('Burst'))).body;
  // SailPoint sends one request per entitlement, in parallel (Teleport #61511).
  const adds = await Promise.all(ids.map((id) => h.req('PATCH', `Groups/${g.id}`, patch({ op: 'add', path: 'members', value: [{ value: id }] }))));
  return { ids, g, statuses: adds.map((r) => r.status) };
}

let h: Harness;
before(async () => {
  h = await harness();
});
after(async () => {
  await h.app.close();
});

test('SailPoint §4.6 parallel per-member adds and removes lose no update', async () => {
  const { ids, g, statuses } = await burst(h, 20);
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

test('with the patch-add-members-replaces defect the same burst loses members (the check can fail)', async () => {
  const broken = await harness({ defects: ['patch-add-members-replaces'] });
  try {
    const { g } = await burst(broken, 5);
    const full = await broken.req('GET', `Groups/${g.id}`);
    assert.equal(full.body.members.length, 1);
  } finally {
    await broken.app.close();
  }
});
