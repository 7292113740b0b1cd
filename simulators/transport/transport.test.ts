import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ManualClock } from '../core/clock.ts';
import { createAuth } from './auth.ts';
import { Redactor } from './redact.ts';
import { oktaRetry, parseRetryAfter } from './retry.ts';
import { Transport } from './transport.ts';

test('Retry-After as seconds or an HTTP date; anything else is ignored', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(parseRetryAfter('12', now), 12_000);
  assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now), 30_000);
  assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now), 0);
  assert.equal(parseRetryAfter('soon', now), undefined);
  // against the response's Date (the server's clock), whatever our clock says: a simulated clock runs ahead
  assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now + 86_400_000, 'Thu, 01 Jan 2026 00:00:10 GMT'), 20_000);
  assert.equal(parseRetryAfter(undefined, now), undefined);
});

test('the redactor scrubs auth headers, secret keys at any depth and known secret values', () => {
  const r = new Redactor().add('tok-1234567');
  assert.deepEqual(r.headers({ Authorization: 'Bearer tok-1234567', 'x-trace': 'has tok-1234567 inside', accept: 'a' }), {
    Authorization: 'Bearer [REDACTED]',
    'x-trace': 'has [REDACTED] inside',
    accept: 'a',
  });
  assert.deepEqual(r.body({ Operations: [{ op: 'replace', value: { password: 'p@ss' } }], userName: 'u', client_secret: 's', note: null }), {
    Operations: [{ op: 'replace', value: { password: '[REDACTED]' } }],
    userName: 'u',
    client_secret: '[REDACTED]',
    note: null,
  });
  assert.deepEqual(
    r.body({
      Operations: [
        { op: 'replace', path: 'password', value: 'n3w' },
        { op: 'replace', path: 'title', value: 'x' },
      ],
    }),
    {
      Operations: [
        { op: 'replace', path: 'password', value: '[REDACTED]' },
        { op: 'replace', path: 'title', value: 'x' },
      ],
    },
  );
});

test('URLs: the base query (a bare flag) stays first and raw; values are percent-encoded with %20', () => {
  const t = new Transport({
    baseUrl: 'http://h.test/scim/v2/?aadOptscim062020',
    auth: createAuth({ type: 'bearer', token: 'x-token-1' }, new ManualClock()),
    headers: {},
    contentType: 'application/scim+json',
    timeoutMs: 1000,
    retry: oktaRetry(),
    clock: new ManualClock(),
  });
  assert.equal(t.url('/Users', [['filter', 'userName eq "a@b.test"']]), 'http://h.test/scim/v2/Users?aadOptscim062020&filter=userName%20eq%20%22a%40b.test%22');
  assert.equal(t.url('/Users/1'), 'http://h.test/scim/v2/Users/1?aadOptscim062020');
});

test('one keep-alive connection carries sequential requests; the transcript keeps every attempt', async () => {
  const sockets = new Set<unknown>();
  let n = 0;
  const server = createServer((req, res) => {
    sockets.add(req.socket);
    n++;
    if (n === 1) {
      res.writeHead(429, { 'retry-after': '1' }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/scim+json' }).end(JSON.stringify({ totalResults: 0 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const clock = new ManualClock();
  const t = new Transport({
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`,
    auth: createAuth({ type: 'bearer', token: 'keepalive-token' }, clock),
    headers: { 'user-agent': 'test' },
    contentType: 'application/scim+json',
    timeoutMs: 2000,
    retry: oktaRetry(),
    clock,
  });
  try {
    const first = await t.request({ method: 'GET', path: '/Users' });
    await t.request({ method: 'POST', path: '/Users', body: { userName: 'a', password: 'secret-pw' } });
    for (let i = 0; i < 5; i++) await t.request({ method: 'GET', path: '/Groups' });
    assert.equal(first.status, 200);
    assert.equal(first.exchanges.length, 2);
    assert.deepEqual(clock.sleeps, [1000]);
    assert.equal(t.retries, 1);
    // the socket of the 429 may not be back in the pool when the retry starts: at most two for eight requests
    assert.ok(sockets.size <= 2, `requests reuse keep-alive connections (${sockets.size} sockets)`);
    assert.equal(t.log.length, 8);
    assert.deepEqual(t.log[2]?.request.body, { userName: 'a', password: '[REDACTED]' });
    assert.equal(t.log[0]?.request.headers.authorization, 'Bearer [REDACTED]');
  } finally {
    await t.close();
    server.close();
  }
});

test('a refused connection is a network failure, not an exception', async () => {
  const clock = new ManualClock();
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const t = new Transport({
    baseUrl: `http://127.0.0.1:${port}/scim`,
    auth: createAuth({ type: 'bearer', token: 'refused-token' }, clock),
    headers: {},
    contentType: 'application/scim+json',
    timeoutMs: 2000,
    retry: oktaRetry(),
    clock,
  });
  const res = await t.request({ method: 'GET', path: '/Users' });
  await t.close();
  assert.equal(res.failure?.kind, 'network');
  assert.match(res.failure!.message, /connection failed: ECONNREFUSED/);
  assert.equal(res.exchanges[0]?.response, null);
});
