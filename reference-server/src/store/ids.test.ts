import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newResourceId } from './ids.ts';

test('resource ids are UUIDv7 and sort in creation order, within one millisecond too', () => {
  const ids = Array.from({ length: 5000 }, () => newResourceId(1_700_000_000_000));
  for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.deepEqual([...ids].sort(), ids, 'string order is creation order');
  assert.equal(new Set(ids).size, ids.length);
  const later = newResourceId();
  assert.ok(later > ids.at(-1)!);
  assert.equal(parseInt(later.replace(/-/g, '').slice(0, 12), 16) <= Date.now(), true, 'the time field is the clock');
});
