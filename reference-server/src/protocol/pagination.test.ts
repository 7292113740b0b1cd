import assert from 'node:assert/strict';
import { test } from 'node:test';
import { paginate } from './pagination.ts';

const CASES: [string, { startIndex?: number; count?: number }, { startIndex: number; offset: number; limit: number }][] = [
  ['defaults: first page of maxResults', {}, { startIndex: 1, offset: 0, limit: 100 }],
  ['startIndex below 1 is 1', { startIndex: 0 }, { startIndex: 1, offset: 0, limit: 100 }],
  ['negative startIndex is 1', { startIndex: -5, count: 10 }, { startIndex: 1, offset: 0, limit: 10 }],
  ['negative count is 0', { count: -1 }, { startIndex: 1, offset: 0, limit: 0 }],
  ['count=0 asks for totalResults only', { count: 0 }, { startIndex: 1, offset: 0, limit: 0 }],
  ['count is capped at maxResults', { count: 5000 }, { startIndex: 1, offset: 0, limit: 100 }],
  ['Okta paging: startIndex 101, count 100', { startIndex: 101, count: 100 }, { startIndex: 101, offset: 100, limit: 100 }],
];

for (const [title, req, expected] of CASES) {
  test(`RFC 7644 §3.4.2.4: ${title}`, () => assert.deepEqual(paginate(req, 100), expected));
}
