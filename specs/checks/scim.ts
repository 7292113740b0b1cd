import { expect } from '../../fixtures/test.ts';
import type { ScimClient, ScimResponse } from '../../harness/scim-client.ts';
import { URN, type ListResponse } from '../../harness/scim-schemas.ts';

/**
 * Reusable checks. A check asserts one protocol rule and knows nothing of severity: the requirement a
 * test cites decides how bad its failure is.
 */

export function explain(res: ScimResponse): string {
  return `${res.exchange.request.method} ${res.exchange.request.url} answered ${res.status}: ${res.safeText.slice(0, 400)}`;
}

export function expectStatus(res: ScimResponse, ...expected: number[]): void {
  expect(expected, explain(res)).toContain(res.status);
}

/** The SCIM media type on a response with a body (RFC 7644 §3.1, §8.1). */
export function expectScimContentType(res: ScimResponse): void {
  expect(res.headers['content-type'] ?? '(none)', `content type of ${res.exchange.request.method} ${res.exchange.request.url}`).toMatch(
    /^application\/scim\+json\s*(;|$)/i,
  );
}

/**
 * A SCIM error body (RFC 7644 §3.12) with the HTTP status and, when given, one of the scimTypes (undefined in the list
 * accepts an error without one: scimType is optional outside Table 9's cases).
 */
export async function expectScimError(
  scim: ScimClient,
  res: ScimResponse,
  status: number | number[],
  scimType?: string | Array<string | undefined>,
): Promise<void> {
  expectStatus(res, ...[status].flat());
  const body = await scim.error(res);
  expect(body.schemas, 'error schemas').toContain(URN.error);
  expect(body.status, 'error body status is the HTTP status as a string').toBe(String(res.status));
  if (scimType !== undefined) expect([scimType].flat(), `scimType of ${explain(res)}`).toContain(body.scimType);
}

export function resourceIds(list: ListResponse): string[] {
  return (list.Resources ?? []).map((r) => r.id ?? '');
}

/** Runs a filter and returns the ids it matched (one page of up to 200). */
export async function filterIds(scim: ScimClient, path: '/Users' | '/Groups', filter: string): Promise<string[]> {
  const { list } = await scim.list(path, { filter, count: 200 });
  return resourceIds(list);
}

/** The filter's matches, among a known set, are exactly `expected` (others in the tenant are ignored). */
export async function expectFilterSelects(
  scim: ScimClient,
  path: '/Users' | '/Groups',
  filter: string,
  universe: Array<{ id: string }>,
  expected: Array<{ id: string }>,
): Promise<void> {
  const got = new Set(await filterIds(scim, path, filter));
  const selected = universe
    .filter((u) => got.has(u.id))
    .map((u) => u.id)
    .sort();
  expect(selected, `filter ${filter}`).toEqual(expected.map((e) => e.id).sort());
}

export function headerEtag(res: ScimResponse): string | undefined {
  return res.headers.etag;
}

/** A PATCH answered 200 with the resource or 204 without a body (RFC 7644 §3.5.2). */
export function expectPatchOk(res: ScimResponse): void {
  expectStatus(res, 200, 204);
  if (res.status === 204) expect(res.text, '204 has no body').toBe('');
}

/**
 * Streams a JSON body of `bytes` to `url` and returns the status the server answered with, also when it answers
 * early and closes the connection (fetch reports that as a write error and loses the status), or 'no answer'.
 */
export async function postOversized(url: string, bytes: number, authorization: string | undefined, timeoutMs: number): Promise<number | string> {
  const { request } = await import(url.startsWith('https:') ? 'node:https' : 'node:http');
  return new Promise((resolve) => {
    let settled = false;
    const done = (v: number | string) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        req.destroy();
        resolve(v);
      }
    };
    const timer = setTimeout(() => done(`no answer within ${timeoutMs} ms`), timeoutMs);
    const head = Buffer.from('{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"scimulator-oversized","title":"');
    const tail = Buffer.from('"}');
    const req = request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/scim+json',
        'content-length': String(head.length + bytes + tail.length),
        // lets a server refuse on the declared length before any body byte is sent
        expect: '100-continue',
        ...(authorization ? { authorization } : {}),
      },
    });
    req.on('response', (res: import('node:http').IncomingMessage) => {
      res.resume();
      done(res.statusCode ?? 'no status');
    });
    req.on('error', (err: Error) => setTimeout(() => done(`connection error: ${err.message}`), 200));
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let sent = 0;
    // a server that refuses on Content-Length answers right after (or instead of) 100 Continue: give it a moment
    let started = false;
    const begin = () => {
      if (started || settled) return;
      started = true;
      req.write(head, () => setImmediate(pump));
    };
    req.on('continue', () => setTimeout(begin, 300));
    // a server that ignores Expect gets the body anyway (RFC 9110 §10.1.1)
    setTimeout(begin, 1500);
    req.flushHeaders();
    // small writes with a turn of the event loop between them, so an early answer is read before the server resets
    const pump = () => {
      if (settled) return;
      if (sent >= bytes) return void req.end(tail);
      const n = Math.min(chunk.length, bytes - sent);
      sent += n;
      req.write(n === chunk.length ? chunk : chunk.subarray(0, n), () => setImmediate(pump));
    };
  });
}
