import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScimError } from '../errors.ts';
import { BULK_REQUEST_SCHEMA, BulkPlanner, collectRefs, parseBulkRequest, substituteRefs } from './bulk.ts';

const req = (Operations: unknown[]) => parseBulkRequest({ schemas: [BULK_REQUEST_SCHEMA], Operations }, { maxOperations: 10 });

test('references are found in paths, member values and $refs', () => {
  const refs = collectRefs(['/Groups/bulkId:g1', { members: [{ value: 'bulkId:u1', $ref: 'https://x/Users/bulkId:u2' }] }]);
  assert.deepEqual([...refs].sort(), ['g1', 'u1', 'u2']);
});

test('substitution replaces known references and leaves unknown ones', () => {
  const ids = new Map([['u1', 'id-1']]);
  assert.deepEqual(substituteRefs({ members: [{ value: 'bulkId:u1' }, { value: 'bulkId:zz' }] }, ids), {
    members: [{ value: 'id-1' }, { value: 'bulkId:zz' }],
  });
});

test('the planner runs referenced POSTs first and keeps request order otherwise', () => {
  const plan = new BulkPlanner(
    req([
      { method: 'POST', path: '/Groups', bulkId: 'g', data: { members: [{ value: 'bulkId:u' }] } },
      { method: 'DELETE', path: '/Users/abc' },
      { method: 'POST', path: '/Users', bulkId: 'u', data: {} },
    ]),
  );
  const order: number[] = [];
  for (let op = plan.next(); op; op = plan.next()) {
    order.push(op.index);
    plan.settle(op, op.method === 'POST' ? `id-${op.bulkId}` : undefined);
  }
  assert.deepEqual(order, [1, 2, 0]);
  assert.equal(plan.ids().get('u'), 'id-u');
});

test('a cycle leaves its operations pending', () => {
  const plan = new BulkPlanner(
    req([
      { method: 'POST', path: '/Groups', bulkId: 'a', data: { members: [{ value: 'bulkId:b' }] } },
      { method: 'POST', path: '/Groups', bulkId: 'b', data: { members: [{ value: 'bulkId:a' }] } },
    ]),
  );
  assert.equal(plan.next(), undefined);
  assert.equal(plan.remaining.length, 2);
});

test('a failed reference blocks with 409, an undefined one with 400', () => {
  const r = req([
    { method: 'POST', path: '/Users', bulkId: 'u', data: {} },
    { method: 'PATCH', path: '/Users/bulkId:u', data: {} },
    { method: 'PATCH', path: '/Users/bulkId:nope', data: {} },
  ]);
  const plan = new BulkPlanner(r);
  plan.settle(r.operations[0]!, undefined);
  assert.equal(plan.blocked(r.operations[1]!)?.status, 409);
  assert.equal(plan.blocked(r.operations[2]!)?.status, 400);
});

test('too many operations is 413 before anything else is looked at', () => {
  assert.throws(
    () => parseBulkRequest({ schemas: [BULK_REQUEST_SCHEMA], Operations: Array(11).fill({}) }, { maxOperations: 10 }),
    (e: unknown) => e instanceof ScimError && e.status === 413,
  );
});
