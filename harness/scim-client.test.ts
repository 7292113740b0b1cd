import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { ScimClient } from './scim-client.ts';

/** A target answering each request with the next of `answers` (status, Retry-After), then 200. */
async function throttling(answers: Array<[number, string | undefined]>) {
  let seen = 0;
  const server = createServer((_req, res) => {
    const [status, retryAfter] = answers[seen++] ?? [200, undefined];
    if (retryAfter !== undefined) res.setHeader('retry-after', retryAfter);
    res.setHeader('content-type', 'application/scim+json');
    res.statusCode = status;
    res.end(status === 200 ? '{"totalResults":0,"Resources":[]}' : '{"status":"429"}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const client = new ScimClient({ baseUrl, authorization: async () => 'Bearer t', timeoutMs: 2000, secrets: ['t'] });
  return { client, requests: () => seen, close: () => server.close() };
}

test('a 429 or 503 with a short Retry-After is waited out and sent again', async () => {
  const t = await throttling([
    [429, '0'],
    [503, '0'],
  ]);
  try {
    const res = await t.client.get('/Users');
    assert.equal(res.status, 200);
    assert.equal(t.requests(), 3);
  } finally {
    t.close();
  }
});

test('a long, absent or unreadable Retry-After is the answer itself; retries are bounded', async () => {
  for (const [answers, requests] of [
    [[[429, '120']], 1],
    [[[429, undefined]], 1],
    [[[503, 'soon']], 1],
    [Array.from({ length: 10 }, () => [429, '0']), 4],
  ] as Array<[Array<[number, string | undefined]>, number]>) {
    const t = await throttling(answers);
    try {
      assert.equal((await t.client.get('/Users')).status, answers[0]![0]);
      assert.equal(t.requests(), requests, JSON.stringify(answers[0]));
    } finally {
      t.close();
    }
  }
});
