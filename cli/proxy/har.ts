import { z } from 'zod';
import { version } from '../version.ts';
import type { Judgement, RecordedExchange } from './judges.ts';

/** Recordings as HAR 1.2 (readable by browsers' dev tools and HAR viewers); scimulator's own fields start with `_`. */

const nv = (h: Record<string, string>) => Object.entries(h).map(([name, value]) => ({ name, value }));

function bodyText(side: { body?: unknown; bodyText?: string }): string | undefined {
  if (side.body !== undefined) return JSON.stringify(side.body);
  return side.bodyText;
}

export function toHar(exchanges: readonly RecordedExchange[], judgements: ReadonlyMap<number, Judgement[]>): unknown {
  return {
    log: {
      version: '1.2',
      creator: { name: 'scimulator proxy', version: version() },
      entries: exchanges.map((e) => {
        const reqText = bodyText(e.request);
        const resText = e.response ? bodyText(e.response) : undefined;
        const url = new URL(e.request.url);
        return {
          startedDateTime: e.startedAt,
          time: e.ms,
          request: {
            method: e.request.method,
            url: e.request.url,
            httpVersion: 'HTTP/1.1',
            cookies: [],
            headers: nv(e.request.headers),
            queryString: [...url.searchParams].map(([name, value]) => ({ name, value })),
            ...(reqText !== undefined ? { postData: { mimeType: e.request.headers['content-type'] ?? 'application/scim+json', text: reqText } } : {}),
            headersSize: -1,
            bodySize: reqText === undefined ? 0 : Buffer.byteLength(reqText),
          },
          response: {
            status: e.response?.status ?? 0,
            statusText: e.response ? '' : (e.error ?? 'no answer'),
            httpVersion: 'HTTP/1.1',
            cookies: [],
            headers: nv(e.response?.headers ?? {}),
            content: {
              size: resText === undefined ? 0 : Buffer.byteLength(resText),
              mimeType: e.response?.headers['content-type'] ?? '',
              ...(resText !== undefined ? { text: resText } : {}),
            },
            redirectURL: e.response?.headers.location ?? '',
            headersSize: -1,
            bodySize: resText === undefined ? 0 : Buffer.byteLength(resText),
          },
          cache: {},
          timings: { send: 0, wait: e.ms, receive: 0 },
          _scimulator: { seq: e.seq, idp: e.idp, judgements: judgements.get(e.seq) ?? [] },
        };
      }),
    },
  };
}

const harSchema = z.object({
  log: z
    .object({
      version: z.string(),
      entries: z.array(
        z
          .object({
            startedDateTime: z.string(),
            time: z.number(),
            request: z.object({
              method: z.string(),
              url: z.string(),
              headers: z.array(z.object({ name: z.string(), value: z.string() })),
              postData: z.object({ mimeType: z.string().optional(), text: z.string().optional() }).optional(),
            }),
            response: z.object({
              status: z.number(),
              headers: z.array(z.object({ name: z.string(), value: z.string() })),
              content: z.object({ text: z.string().optional() }).loose(),
            }),
            _scimulator: z.object({ seq: z.number(), idp: z.string() }).loose().optional(),
          })
          .loose(),
      ),
    })
    .loose(),
});

export interface HarEntry {
  idp: string;
  request: { method: string; url: string; headers: Record<string, string>; body?: string };
  response: { status: number; headers: Record<string, string>; body?: string };
}

/** The entries of a HAR file (ours or any other tool's), in recorded order; undefined with the reason if it is none. */
export function readHar(json: unknown): { entries: HarEntry[] } | { error: string } {
  const parsed = harSchema.safeParse(json);
  if (!parsed.success)
    return {
      error: parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; '),
    };
  const obj = (list: Array<{ name: string; value: string }>) => Object.fromEntries(list.map((h) => [h.name.toLowerCase(), h.value]));
  return {
    entries: parsed.data.log.entries.map((e) => ({
      idp: e._scimulator?.idp ?? 'unknown',
      request: {
        method: e.request.method,
        url: e.request.url,
        headers: obj(e.request.headers),
        ...(e.request.postData?.text !== undefined ? { body: e.request.postData.text } : {}),
      },
      response: {
        status: e.response.status,
        headers: obj(e.response.headers),
        ...(e.response.content.text !== undefined ? { body: e.response.content.text } : {}),
      },
    })),
  };
}
