import assert from 'node:assert/strict';
import { test } from 'node:test';
import { measure } from './scale-lib.ts';

test('the scale bench runs end to end on a small data set and reports every case', async () => {
  const r = await measure(300, 1, { fsync: false });
  assert.equal(r.groupSize, 150);
  assert.deepEqual(Object.keys(r.metrics), [
    'filter userName eq',
    'filter emails[type eq "work"].value eq',
    'page of 100, startIndex 1',
    'page of 100, middle',
    'page of 100, end',
    'page of 100, random startIndex',
    'PATCH add 100 members',
  ]);
  for (const ms of Object.values(r.metrics)) assert.ok(Number.isFinite(ms) && ms > 0);
  assert.deepEqual(Object.keys(r.cpu), Object.keys(r.metrics));
  for (const ms of Object.values(r.cpu)) assert.ok(Number.isFinite(ms) && ms >= 0);
  assert.ok(r.rssMb.loaded > 0 && r.rssMb.end > 0);
});
