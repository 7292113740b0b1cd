import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { formatIssues } from './issues.ts';

const schema = z.object({ a: z.object({ b: z.number() }), c: z.string() }).strict();
const error = (input: unknown) => {
  const r = schema.safeParse(input);
  assert.equal(r.success, false);
  return r.error!;
};

test('formatIssues joins path and message per issue', () => {
  assert.equal(
    formatIssues(error({ a: { b: 'x' }, c: 1 })),
    'a.b: Invalid input: expected number, received string; c: Invalid input: expected string, received number',
  );
});

test('a root issue is named by `root`, or by its message alone', () => {
  const root = error('nope');
  assert.equal(formatIssues(root, { root: '(root)' }), '(root): Invalid input: expected object, received string');
  assert.equal(formatIssues(root), 'Invalid input: expected object, received string');
});

test('paths: false keeps the messages only', () => {
  assert.equal(formatIssues(error({ a: { b: 1 } }), { paths: false }), 'Invalid input: expected string, received undefined');
});
