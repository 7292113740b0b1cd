import assert from 'node:assert/strict';
import { connect, type AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { buildApp } from '../src/app.ts';
import { collectRefs, substituteRefs } from '../src/protocol/bulk.ts';
import { group, harness, PATCH_URN, user, USER_URN, type Harness } from '../src/scim/testing.ts';

/**
 * Reproductions of the hardening findings: each failed on the code before the fix (deep nesting 500, no request
 * timeout, Fastify-shaped pre-route errors, unbounded strings, PATCH of meta/schemas ignored, /Me logged as an error).
 */
const ERROR_URN = 'urn:ietf:params:scim:api:messages:2.0:Error';
const BULK_URN = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

let h: Harness;
let ann: string;
before(async () => {
  h = await harness();
  ann = (await h.req('POST', 'Users', user('ann@x.test'))).body.id;
});
after(async () => {
  await h.app.close();
});

function assertScimError(res: { status: number; headers: Record<string, unknown>; body: any; raw: string }, status: number, scimType?: string): void {
  assert.equal(res.status, status, res.raw.slice(0, 300));
  assert.match(String(res.headers['content-type']), /^application\/scim\+json/);
  assert.deepEqual(res.body?.schemas, [ERROR_URN], res.raw.slice(0, 300));
  assert.equal(res.body.status, String(status));
  assert.equal(res.body.scimType, scimType);
}

const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

test('a Bulk DELETE whose data nests 5,000 levels is 400 invalidSyntax, not a stack overflow 500', async () => {
  const raw = `{"schemas":["${BULK_URN}"],"Operations":[{"method":"DELETE","path":"/Users/${ann}","data":${deep(5000)}}]}`;
  assertScimError(await h.req('POST', 'Bulk', raw, { 'content-type': 'application/scim+json' }), 400, 'invalidSyntax');
  assert.equal((await h.req('GET', `Users/${ann}`)).status, 200, 'the user was not deleted');
});

test('a Bulk operation whose data is a 400,000-element array is answered, not a 500', async () => {
  const raw = `{"schemas":["${BULK_URN}"],"Operations":[{"method":"DELETE","path":"/Users/no-such-user","data":[${Array(400_000).fill(0).join(',')}]}]}`;
  const res = await h.req('POST', 'Bulk', raw, { 'content-type': 'application/scim+json' });
  assert.equal(res.status, 200, res.raw.slice(0, 200));
  assert.equal(res.body.Operations[0].status, '404');
});

test('any deeply nested SCIM body is refused before a handler runs (400 invalidSyntax)', async () => {
  for (const [method, path] of [
    ['POST', 'Users'],
    ['PUT', `Users/${ann}`],
    ['PATCH', `Users/${ann}`],
    ['POST', '.search'],
  ] as const) {
    const raw = `{"schemas":["${USER_URN}"],"userName":"d@x.test","x":${deep(200)}}`;
    assertScimError(await h.req(method, path, raw, { 'content-type': 'application/scim+json' }), 400, 'invalidSyntax');
  }
  // 64 levels of objects is within the limit and still a valid (ignored) extra attribute
  const nested = JSON.parse(`${'{"a":'.repeat(60)}1${'}'.repeat(60)}`);
  assert.equal((await h.req('POST', 'Users', user('ok-nesting@x.test', { ignored: nested }))).status, 201);
});

test('the bulkId walkers are iterative: a 100,000-level value neither throws nor loses a reference', () => {
  let v: unknown = 'bulkId:deep';
  for (let i = 0; i < 100_000; i++) v = i % 2 ? [v] : { k: v };
  assert.deepEqual([...collectRefs(v)], ['deep']);
  let out = substituteRefs(v, new Map([['deep', 'id-1']])) as unknown;
  for (let i = 0; i < 100_000; i++) out = Array.isArray(out) ? out[0] : (out as { k: unknown }).k;
  assert.equal(out, 'id-1');
  assert.deepEqual(substituteRefs({ members: [{ value: 'bulkId:a' }], n: 1, b: null }, new Map([['a', 'X']])), { members: [{ value: 'X' }], n: 1, b: null });
  const wide = Array.from({ length: 500_000 }, (_, i) => (i === 499_999 ? 'bulkId:last' : 0));
  assert.deepEqual([...collectRefs(wide)], ['last'], 'a wide array is walked too');
  assert.equal((substituteRefs(wide, new Map([['last', 'L']])) as unknown[])[499_999], 'L');
});

/** Raw HTTP over a loopback socket: inject() bypasses Node's parser and timeouts. */
function rawExchange(
  port: number,
  request: string,
  opts: { trickle?: string; timeoutMs?: number } = {},
): Promise<{ text: string; ms: number; closed: boolean }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let timer: NodeJS.Timeout | undefined;
    const guard = setTimeout(() => finish(false), opts.timeoutMs ?? 10_000);
    const finish = (closed: boolean) => {
      clearTimeout(guard);
      clearInterval(timer);
      socket.destroy();
      resolve({ text, ms: Date.now() - started, closed });
    };
    socket.on('data', (d) => (text += d.toString('latin1')));
    socket.on('close', () => finish(true));
    socket.on('error', () => undefined);
    socket.write(request);
    if (opts.trickle) {
      let i = 0;
      timer = setInterval(() => {
        if (i < opts.trickle!.length && socket.writable) socket.write(opts.trickle![i++]!);
      }, 250);
    }
  });
}

function scimBody(text: string): { status: number; contentType: string; body: any } {
  const [head = '', payload = ''] = text.split('\r\n\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
  const contentType = /\r\ncontent-type:\s*([^\r]+)/i.exec(head)?.[1] ?? '';
  let body: any;
  try {
    body = JSON.parse(payload);
  } catch {
    body = undefined;
  }
  return { status, contentType, body };
}

test('over a real socket: a slow body is cut off within the request timeout while other requests are served', { timeout: 30_000 }, async () => {
  const app = buildApp({ logLevel: 'silent', requestTimeoutMs: 1500, headersTimeoutMs: 1000 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const port = (app.server.address() as AddressInfo).port;
    const account = app.store.accounts.create({ name: 'slow', ssoState: 'active' });
    const { token } = app.store.tokens.issueScimToken(account.id);
    const slow = rawExchange(
      port,
      `POST /scim/v2/${account.id}/Users HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/scim+json\r\nContent-Length: 1000\r\n\r\n{`,
      { trickle: '"userName":"slow@x.test"'.repeat(40), timeoutMs: 12_000 },
    );
    // Meanwhile the server answers others.
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(health.status, 200);
    assert.ok(Date.now() - t0 < 1000, 'a concurrent request was served promptly');
    const result = await slow;
    assert.ok(result.closed, `the slow connection was closed (after ${result.ms} ms)`);
    assert.ok(result.ms < 6000, `closed after ${result.ms} ms`);
    if (result.text) {
      const r = scimBody(result.text);
      assert.equal(r.status, 408);
      assert.deepEqual(r.body?.schemas, [ERROR_URN]);
    }
    // Headers that never finish: cut off too.
    const headers = await rawExchange(port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ', { trickle: 'a'.repeat(40), timeoutMs: 12_000 });
    assert.ok(headers.closed && headers.ms < 6000, `slow headers closed after ${headers.ms} ms`);
  } finally {
    await app.close();
  }
});

test('errors raised before any route runs are SCIM errors: 431, unknown method, not found outside an account', { timeout: 20_000 }, async () => {
  const app = buildApp({ logLevel: 'silent' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const port = (app.server.address() as AddressInfo).port;
    const base = `/scim/v2/${h.accountId}`;
    const bigHeader = await rawExchange(port, `GET ${base}/Users HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    const longUrl = await rawExchange(port, `GET ${base}/Users?filter=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    for (const [what, r] of [
      ['header', bigHeader],
      ['URL', longUrl],
    ] as const) {
      const res = scimBody(r.text);
      assert.equal(res.status, 431, `${what}: ${r.text.slice(0, 200)}`);
      assert.match(res.contentType, /^application\/scim\+json/, what);
      assert.deepEqual(res.body?.schemas, [ERROR_URN], what);
      assert.equal(res.body.status, '431');
    }
    for (const method of ['FOO', 'PROPFIND', 'TRACE']) {
      const r = scimBody((await rawExchange(port, `${method} ${base}/Users HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`)).text);
      assert.ok(r.status >= 400 && r.status < 500, `${method}: ${r.status}`);
      assert.match(r.contentType, /^application\/scim\+json/, method);
      assert.deepEqual(r.body?.schemas, [ERROR_URN], method);
      assert.equal(r.body.status, String(r.status));
    }
  } finally {
    await app.close();
  }
  for (const url of ['/scim/v2', '/scim/v2/', '/scim/nope', '/scim/v2/no-such-account/Users']) {
    const res = await h.req('GET', url);
    assert.ok(res.status === 404 || res.status === 401, `${url}: ${res.status}`);
    assert.match(String(res.headers['content-type']), /^application\/scim\+json/, url);
    assert.deepEqual(res.body?.schemas, [ERROR_URN], url);
  }
  assertScimError(await h.req('POST', 'Users', '{"userName":', { 'content-type': 'application/json' }), 400, 'invalidSyntax');
  const media = await h.req('POST', 'Users', 'x', { 'content-type': 'text/csv' });
  assertScimError(media, 415);
});

test('string attributes have length limits: 400 invalidValue beyond, advertised in /Schemas', async () => {
  const long = (n: number) => `${'a'.repeat(n - 7)}@x.test`;
  assert.equal((await h.req('POST', 'Users', user(long(256)))).status, 201, '256 characters is allowed');
  assertScimError(await h.req('POST', 'Users', user(long(257))), 400, 'invalidValue');
  assertScimError(await h.req('POST', 'Users', user('huge@x.test', { displayName: 'x'.repeat(1_000_000 - 100) })), 400, 'invalidValue');
  assertScimError(await h.req('POST', 'Users', user('t@x.test', { title: 'x'.repeat(2049) })), 400, 'invalidValue');
  assertScimError(await h.req('POST', 'Users', user('n@x.test', { name: { givenName: 'x'.repeat(257) } })), 400, 'invalidValue');
  assertScimError(
    await h.req('POST', 'Users', user('e@x.test', { emails: Array.from({ length: 101 }, (_, i) => ({ value: `e${i}@x.test` })) })),
    400,
    'invalidValue',
  );
  assertScimError(await h.req('POST', 'Groups', group('g'.repeat(257))), 400, 'invalidValue');
  assertScimError(await h.req('PUT', `Users/${ann}`, user('ann@x.test', { nickName: 'x'.repeat(5000) })), 400, 'invalidValue');
  const patch = await h.req('PATCH', `Users/${ann}`, { schemas: [PATCH_URN], Operations: [{ op: 'replace', path: 'displayName', value: 'x'.repeat(300) }] });
  assertScimError(patch, 400, 'invalidValue');
  const schema = await h.req('GET', `Schemas/${USER_URN}`);
  const userName = schema.body.attributes.find((a: { name: string }) => a.name === 'userName');
  assert.match(userName.description, /256 characters/);
});

test('PATCH of the readOnly meta, or of schemas, with another value is 400; the same value is ignored', async () => {
  const current = (await h.req('GET', `Users/${ann}`)).body;
  const op = (o: Record<string, unknown>) => ({ schemas: [PATCH_URN], Operations: [o] });
  assertScimError(await h.req('PATCH', `Users/${ann}`, op({ op: 'replace', path: 'meta', value: { junk: true } })), 400, 'mutability');
  assertScimError(await h.req('PATCH', `Users/${ann}`, op({ op: 'replace', path: 'meta.resourceType', value: 'Group' })), 400, 'mutability');
  assertScimError(await h.req('PATCH', `Users/${ann}`, op({ op: 'replace', value: { meta: 'junk' } })), 400, 'mutability');
  assertScimError(await h.req('PATCH', `Users/${ann}`, op({ op: 'remove', path: 'meta' })), 400, 'mutability');
  assertScimError(await h.req('PATCH', `Users/${ann}`, op({ op: 'replace', path: 'schemas', value: ['urn:junk'] })), 400, 'invalidValue');
  assertScimError(await h.req('PATCH', `Users/${ann}`, op({ op: 'replace', value: { schemas: 'junk' } })), 400, 'invalidValue');
  assert.equal((await h.req('PATCH', `Users/${ann}`, op({ op: 'replace', value: { meta: current.meta, title: 'same-meta' } }))).status, 200);
  assert.equal((await h.req('PATCH', `Users/${ann}`, op({ op: 'replace', value: { meta: { resourceType: 'User' }, schemas: current.schemas } }))).status, 200);
  assert.equal((await h.req('GET', `Users/${ann}`)).body.title, 'same-meta');
});

test('/Me answers 501 without an error-level log line or a stack trace', async () => {
  const lines: string[] = [];
  const app = buildApp({ logLevel: 'trace' }, { logDestination: { write: (s: string) => void lines.push(s) } });
  await app.ready();
  try {
    const account = app.store.accounts.create({ name: 'me', ssoState: 'active' });
    const { token } = app.store.tokens.issueScimToken(account.id);
    const res = await app.inject({ method: 'GET', url: `/scim/v2/${account.id}/Me`, headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.statusCode, 501);
    const logged = lines.map((l) => JSON.parse(l) as { level: number; err?: { stack?: string } });
    assert.ok(logged.length > 0, 'the request was logged');
    assert.deepEqual(
      logged.filter((l) => l.level > 30),
      [],
      'nothing above info',
    );
    assert.deepEqual(
      logged.filter((l) => l.err?.stack),
      [],
      'no stack trace',
    );
  } finally {
    await app.close();
  }
});

test('console and sign-in pages carry helmet headers with a CSP that allows only their own script', async () => {
  for (const url of ['/console/signin', '/signin?account=x']) {
    const res = await h.app.inject({ method: 'GET', url });
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /default-src 'self'/, url);
    assert.match(csp, /script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/, url);
    assert.match(csp, /frame-ancestors 'none'/, url);
    assert.doesNotMatch(csp, /upgrade-insecure-requests/, 'not over plain http');
    assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
    assert.equal(res.headers['strict-transport-security'], undefined, 'no HSTS over plain http');
  }
});

test('console sign-in is rate limited per address and email (429); cookies are Secure when the public URL is https', async () => {
  const app = buildApp({ logLevel: 'silent', publicUrl: 'https://app.example.test' });
  await app.ready();
  try {
    const account = app.store.accounts.create({ name: 'cookies' });
    await app.product.admins.create({ accountId: account.id, email: 'admin@x.test', name: 'A', role: 'Master Admin', password: 'Correct-Horse-1' });
    const signin = (email: string, password: string) =>
      app.inject({
        method: 'POST',
        url: '/console/signin',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ email, password }).toString(),
      });
    const ok = await signin('admin@x.test', 'Correct-Horse-1');
    assert.equal(ok.statusCode, 303);
    assert.match(String(ok.headers['set-cookie']), /;\s*Secure/i);
    assert.match(String(ok.headers['strict-transport-security']), /max-age=/);
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await signin('guess@x.test', `wrong-${i}`)).statusCode);
    assert.deepEqual([...new Set(statuses.slice(0, 30))], [401]);
    assert.equal(statuses[30], 429);
    assert.equal((await signin('admin@x.test', 'Correct-Horse-1')).statusCode, 303, 'another email is not locked out by the guesses');
  } finally {
    await app.close();
  }
});

test('--scim-rate-limit: past N requests a minute per token, 429 with Retry-After and a SCIM error; other tokens unaffected', async () => {
  const app = buildApp({ logLevel: 'silent', scimRateLimit: 3 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/scim/v2`;
    const [one, two] = [
      app.store.accounts.create({ name: 'limited-1', ssoState: 'active' }),
      app.store.accounts.create({ name: 'limited-2', ssoState: 'active' }),
    ];
    const tokens = new Map([
      [one.id, app.store.tokens.issueScimToken(one.id).token],
      [two.id, app.store.tokens.issueScimToken(two.id).token],
    ]);
    const get = (accountId: string) => fetch(`${base}/${accountId}/Users`, { headers: { authorization: `Bearer ${tokens.get(accountId)}` } });
    for (let i = 0; i < 3; i++) assert.equal((await get(one.id)).status, 200);
    const limited = await get(one.id);
    assert.equal(limited.status, 429);
    assert.match(String(limited.headers.get('retry-after')), /^\d+$/);
    assert.match(String(limited.headers.get('content-type')), /^application\/scim\+json/);
    const body = (await limited.json()) as { schemas: string[]; status: string };
    assert.deepEqual(body.schemas, [ERROR_URN]);
    assert.equal(body.status, '429');
    assert.equal((await get(two.id)).status, 200, 'another token has its own budget');
    const inProcess = await app.inject({ method: 'GET', url: `/scim/v2/${one.id}/Users`, headers: { authorization: `Bearer ${tokens.get(one.id)}` } });
    assert.equal(inProcess.statusCode, 200, "the server's own requests (Bulk operations) are not counted");
  } finally {
    await app.close();
  }
});

test('a write with a malformed query (?count=abc) is refused before it creates or changes anything', async () => {
  const created = await h.req('POST', 'Users?count=99999999999999999999', user('query-trick@x.test'));
  assertScimError(created, 400, 'invalidValue');
  const found = await h.req('GET', `Users?filter=${encodeURIComponent('userName eq "query-trick@x.test"')}`);
  assert.equal(found.body.totalResults, 0, 'the refused POST created no user');
  const put = await h.req('PUT', `Users/${ann}?attributes=a&attributes=b`, user('ann@x.test', { title: 'changed-by-refused-put' }));
  assertScimError(put, 400, 'invalidValue');
  assert.notEqual((await h.req('GET', `Users/${ann}`)).body.title, 'changed-by-refused-put');
});
