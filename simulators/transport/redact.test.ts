import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { ManualClock } from '../core/clock.ts';
import { createAuth } from './auth.ts';
import { REDACTED, Redactor, redactJson } from './redact.ts';
import { oktaRetry } from './retry.ts';
import { Transport } from './transport.ts';

const SECRETS = {
  token: 'tok-sim-0123456789',
  password: 'Pw-sim-0123456789!',
  apiKey: 'key-sim-0123456789',
  clientSecret: 'cs-sim-0123456789',
  accessToken: 'at-sim-0123456789',
};
const leaks = (text: string) => Object.values(SECRETS).filter((s) => text.includes(s));

test('a simulator transcript records no planted secret: PATCH password value, query token, echoed body, form text', async () => {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () =>
      res.writeHead(200, { 'content-type': 'application/scim+json' }).end(JSON.stringify({ echoed: body, url: req.url, apiKey: SECRETS.apiKey })),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const clock = new ManualClock();
  const t = new Transport({
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`,
    auth: createAuth({ type: 'bearer', token: SECRETS.token }, clock),
    headers: { 'user-agent': 'test' },
    contentType: 'application/scim+json',
    timeoutMs: 2000,
    retry: oktaRetry(),
    clock,
  });
  try {
    await t.request({
      method: 'PATCH',
      path: `/Users/1?access_token=${SECRETS.accessToken}`,
      body: { Operations: [{ op: 'replace', path: 'password', value: SECRETS.password }] },
    });
    await t.request({ method: 'POST', path: '/Users', body: { userName: 'a', password: SECRETS.password, note: `client_secret=${SECRETS.clientSecret}` } });
    const transcript = JSON.stringify(t.log);
    assert.deepEqual(leaks(transcript), [], transcript);
    assert.match(transcript, /Bearer \[REDACTED\]/);
  } finally {
    await t.close();
    server.close();
  }
});

test('the Redactor and redactJson agree, and a hostile 10,000-level body does not overflow the stack', () => {
  const body = { Operations: [{ op: 'replace', path: 'password', value: SECRETS.password }], client_secret: SECRETS.clientSecret };
  assert.deepEqual(new Redactor().body(body), redactJson(body));
  assert.equal((redactJson(body) as { client_secret: string }).client_secret, REDACTED);
  let deep: unknown = { password: SECRETS.password };
  for (let i = 0; i < 10_000; i++) deep = [deep];
  assert.deepEqual(leaks(JSON.stringify(redactJson(deep))), []);
});
