import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { Agent, request } from 'undici';
import { Redactor } from '../../simulators/transport/redact.ts';
import { recogniseIdp, type Idp, type RecordedExchange } from './judges.ts';

/**
 * The recording reverse proxy: every request that reaches it is forwarded unchanged to the upstream SCIM base (the
 * body streamed both ways, never buffered whole), and a bounded copy of each side is kept, secrets redacted, as a
 * RecordedExchange for the judges and the HAR file.
 */

export interface ProxyOptions {
  /** The upstream SCIM base URL; a request to `<proxy>/<path>` goes to `<upstream>/<path>`. */
  upstream: string;
  host: string;
  port: number;
  /** Pin the IdP instead of recognising it per request. */
  idp?: Exclude<Idp, 'unknown'>;
  /** PEM CA bundle for the upstream's certificate, or accept any certificate. */
  ca?: string;
  insecure?: boolean;
  /** Serve TLS towards the IdP with this certificate and key (PEM). */
  tls?: { cert: string; key: string };
  /** How much of each body is kept for judging and the recording (the rest is forwarded, not kept). */
  maxBodyBytes?: number;
  onExchange(e: RecordedExchange): void;
}

export interface RunningProxy {
  url: string;
  redactor: Redactor;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host', 'content-length']);

function flatHeaders(h: IncomingMessage['headers'] | Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  return out;
}

/** A capped copy of a stream's bytes as it flows past. */
class Capture {
  private chunks: Buffer[] = [];
  private size = 0;
  truncated = 0;
  constructor(private readonly max: number) {}
  add(chunk: Buffer): void {
    const room = this.max - this.size;
    if (room > 0) {
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      this.chunks.push(part);
      this.size += part.length;
    }
    if (chunk.length > room) this.truncated += chunk.length - Math.max(room, 0);
  }
  text(): string | undefined {
    if (this.size === 0) return undefined;
    const t = Buffer.concat(this.chunks).toString('utf8');
    return this.truncated > 0 ? `${t}... [${this.truncated} more bytes not recorded]` : t;
  }
}

/** Text that is not JSON (a form post, a body cut at the recording limit) still hides secret-named fields. */
function maskText(redactor: Redactor, text: string): string {
  return redactor
    .text(text)
    .replace(/("(?:password|client_secret|secret|token|access_token|refresh_token)"\s*:\s*")[^"]*"/gi, '$1[REDACTED]"')
    .replace(/((?:^|[&?])(?:password|client_secret|access_token|refresh_token|token)=)[^&\s]*/gi, '$1[REDACTED]');
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Secrets the IdP sends (its bearer token, Basic credentials) join the redactor as soon as they are seen. */
function learnSecrets(redactor: Redactor, headers: Record<string, string>): void {
  const auth = headers.authorization;
  if (!auth) return;
  const m = /^(\w+)\s+(.+)$/.exec(auth);
  if (!m) {
    redactor.add(auth);
    return;
  }
  redactor.add(m[2]);
  if (m[1]!.toLowerCase() === 'basic') {
    const decoded = Buffer.from(m[2]!, 'base64').toString('utf8');
    redactor.add(decoded, decoded.split(':').slice(1).join(':'));
  }
}

export async function startProxy(o: ProxyOptions): Promise<RunningProxy> {
  const base = o.upstream.replace(/\/+$/, '');
  const dispatcher = new Agent({ keepAliveTimeout: 10_000, connect: { ...(o.ca ? { ca: o.ca } : {}), ...(o.insecure ? { rejectUnauthorized: false } : {}) } });
  const redactor = new Redactor();
  const max = o.maxBodyBytes ?? 1024 * 1024;
  let seq = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const n = ++seq;
    const started = Date.now();
    const reqHeaders = flatHeaders(req.headers);
    learnSecrets(redactor, reqHeaders);
    const target = `${base}${req.url ?? '/'}`;
    const reqCapture = new Capture(max);
    // the body flows on to the upstream through `forward` while a bounded copy is kept
    const forward = new PassThrough();
    req.on('data', (c: Buffer) => reqCapture.add(c));
    req.pipe(forward);
    const forwardHeaders = Object.fromEntries(Object.entries(reqHeaders).filter(([k]) => !HOP_BY_HOP.has(k)));
    const hasBody = !['GET', 'HEAD'].includes(req.method ?? 'GET');
    const record = (response: RecordedExchange['response'], error?: string) => {
      const reqText = reqCapture.text();
      const reqBody = parseJson(reqText);
      const shownUrl = maskText(redactor, target);
      const request = {
        method: req.method ?? 'GET',
        url: shownUrl,
        headers: redactor.headers(reqHeaders),
        ...(reqBody !== undefined ? { body: redactor.body(reqBody) } : reqText ? { bodyText: maskText(redactor, reqText) } : {}),
      };
      const idp = o.idp ?? recogniseIdp({ method: request.method, url: target, headers: reqHeaders, body: reqBody });
      o.onExchange({
        seq: n,
        startedAt: new Date(started).toISOString(),
        ms: Date.now() - started,
        idp,
        request,
        response,
        ...(error ? { error: redactor.text(error) } : {}),
      });
    };
    try {
      const upstream = await request(target, {
        method: (req.method ?? 'GET') as 'GET',
        headers: forwardHeaders,
        body: hasBody ? forward : null,
        dispatcher,
        headersTimeout: 120_000,
        bodyTimeout: 120_000,
      });
      const resHeaders = flatHeaders(upstream.headers);
      res.writeHead(upstream.statusCode, Object.fromEntries(Object.entries(resHeaders).filter(([k]) => !HOP_BY_HOP.has(k) || k === 'content-length')));
      const resCapture = new Capture(max);
      for await (const chunk of upstream.body) {
        resCapture.add(chunk as Buffer);
        if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
      }
      res.end();
      const text = resCapture.text();
      const body = parseJson(text);
      record({
        status: upstream.statusCode,
        headers: redactor.headers(resHeaders),
        ...(body !== undefined ? { body: redactor.body(body) } : text ? { bodyText: maskText(redactor, text) } : {}),
      });
    } catch (err) {
      const message = (err as Error).message;
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'application/scim+json' });
        res.end(
          JSON.stringify({
            schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
            status: '502',
            detail: `scimulator proxy: the upstream did not answer: ${message}`,
          }),
        );
      } else {
        res.destroy();
      }
      record(null, message);
    }
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => void handle(req, res);
  const server: Server = o.tls ? createHttpsServer({ cert: o.tls.cert, key: o.tls.key }, listener) : createHttpServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `${o.tls ? 'https' : 'http'}://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}`;
  return {
    url,
    redactor,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await dispatcher.close();
    },
  };
}
