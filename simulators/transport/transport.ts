import { Agent, type Dispatcher } from 'undici';
import type { Clock } from '../core/clock.ts';
import type { Exchange, Failure } from '../core/types.ts';
import { AuthError, type AuthProvider } from './auth.ts';
import { httpFailure, transportFailure } from './failure.ts';
import { Redactor } from './redact.ts';
import type { RetryPolicy } from './retry.ts';

export interface TransportOptions {
  /** SCIM base URL. A query string on it (Entra's `?aadOptscim062020`) is carried onto every request. */
  baseUrl: string;
  auth: AuthProvider;
  /** The IdP's fixed request headers (User-Agent, Accept, ...). */
  headers: Record<string, string>;
  /** Content-Type sent with bodies. */
  contentType: string;
  /** SailPoint sends its configured Content-Type on every request; Okta and Entra only on bodies. */
  contentTypeOnGet?: boolean;
  /**
   * How query values go on the wire: `percent` (RFC 3986, a space is %20: Okta's examples) or `form`
   * (application/x-www-form-urlencoded, a space is '+': what Entra's own logs show).
   */
  queryEncoding?: QueryEncoding;
  timeoutMs: number;
  retry: RetryPolicy;
  clock: Clock;
  /** Shared keep-alive pool; one is created (and owned) when absent. */
  dispatcher?: Dispatcher;
  connections?: number;
  /** Keep full exchanges in `log`; load mode turns this off and only counts. */
  record?: boolean;
  onExchange?: (e: Exchange) => void;
  redactor?: Redactor;
}

export type QueryEncoding = 'percent' | 'form';

/** One `key=value` pair of a query string in the given encoding. */
export function encodeQueryPair(key: string, value: string, encoding: QueryEncoding = 'percent'): string {
  if (encoding === 'form') return new URLSearchParams([[key, value]]).toString();
  return `${encodeURIComponent(key)}=${encodeURIComponent(value)}`;
}

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below the base URL, e.g. `/Users/abc`. */
  path: string;
  query?: Array<[string, string]>;
  body?: unknown;
}

export interface ScimResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** Set for any non-2xx final answer or when no answer came; callers decide what the IdP makes of it. */
  failure?: Failure;
  exchanges: Exchange[];
  retries: number;
}

/**
 * The one HTTP client every simulator uses: global fetch over a keep-alive undici Agent (msw can intercept it),
 * a timeout per attempt, the IdP's retry policy on an injectable clock, and a redacted transcript.
 */
export class Transport {
  readonly log: Exchange[] = [];
  retries = 0;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly base: URL;
  private readonly redactor: Redactor;

  constructor(private readonly opts: TransportOptions) {
    this.base = new URL(opts.baseUrl);
    this.ownsDispatcher = !opts.dispatcher;
    this.dispatcher = opts.dispatcher ?? new Agent({ keepAliveTimeout: 30_000, connections: opts.connections ?? 16 });
    this.redactor = opts.redactor ?? new Redactor();
  }

  get clock(): Clock {
    return this.opts.clock;
  }

  /** Index into `log`; `since(mark)` returns what was exchanged after it (one step's exchanges). */
  mark(): number {
    return this.log.length;
  }

  since(mark: number): Exchange[] {
    return this.log.slice(mark);
  }

  url(path: string, query: Array<[string, string]> = []): string {
    const u = new URL(this.base.href);
    u.pathname = `${u.pathname.replace(/\/+$/, '')}${path}`;
    // the base's own query keeps its raw form: a bare flag like `aadOptscim062020` must stay without '='
    const parts = u.search ? [u.search.slice(1)] : [];
    for (const [k, v] of query) parts.push(encodeQueryPair(k, v, this.opts.queryEncoding));
    u.search = '';
    return `${u.href}${parts.length ? `?${parts.join('&')}` : ''}`;
  }

  async request(spec: RequestSpec): Promise<ScimResponse> {
    const url = this.url(spec.path, spec.query);
    const exchanges: Exchange[] = [];
    let retries = 0;
    let authRetried = false;
    for (let attempt = 1; ; attempt++) {
      const pause = this.opts.retry.pauseBefore?.(this.opts.clock.now()) ?? 0;
      if (pause > 0) await this.opts.clock.sleep(pause);
      let authHeaders: Record<string, string>;
      try {
        authHeaders = await this.opts.auth.headers((u, h, form) => this.tokenPost(u, h, form, exchanges));
      } catch (err) {
        const message = err instanceof AuthError ? err.message : `token request failed: ${(err as Error).message}`;
        return { status: 0, headers: {}, body: null, failure: { kind: 'unauthorized', message }, exchanges, retries };
      }
      const headers: Record<string, string> = { ...this.opts.headers, ...authHeaders };
      const hasBody = spec.body !== undefined;
      if (hasBody || (this.opts.contentTypeOnGet && spec.method === 'GET')) headers['content-type'] = this.opts.contentType;
      const payload = hasBody ? JSON.stringify(spec.body) : undefined;
      const one = await this.send(spec.method, url, headers, payload, spec.body, attempt);
      exchanges.push(one.exchange);
      if (one.exchange.response) this.opts.retry.observe?.(one.exchange.response.headers, this.opts.clock.now());
      if (!one.failure) return { status: one.status, headers: one.headers, body: one.body, exchanges, retries };
      if (one.failure.kind === 'unauthorized' && !authRetried && this.opts.auth.invalidate()) {
        authRetried = true;
        continue;
      }
      const delay = this.opts.retry.retryDelay({ attempt, failure: one.failure, headers: one.headers, now: this.opts.clock.now() });
      if (delay === undefined) return { status: one.status, headers: one.headers, body: one.body, failure: one.failure, exchanges, retries };
      retries++;
      this.retries++;
      await this.opts.clock.sleep(delay);
    }
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  private async send(method: string, url: string, headers: Record<string, string>, payload: string | undefined, body: unknown, attempt: number) {
    const started = performance.now();
    const request = {
      method,
      url: this.redactor.add(...this.opts.auth.secrets()).text(url),
      headers: this.redactor.headers(headers),
      body: this.redactor.body(body ?? null),
    };
    // a ref'd timer rather than AbortSignal.timeout(): the pending request must keep the process alive until it fires
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new DOMException('request timed out', 'TimeoutError')), this.opts.timeoutMs);
    try {
      const res = await fetch(url, {
        method,
        headers,
        ...(payload !== undefined ? { body: payload } : {}),
        signal: abort.signal,
        // undici's own option: Node's fetch accepts it, the DOM typing does not know it
        ...({ dispatcher: this.dispatcher } as Record<string, unknown>),
      });
      const text = await res.text();
      clearTimeout(timer);
      const resHeaders = Object.fromEntries(res.headers.entries());
      const parsed = parseBody(text);
      const ms = Math.round((performance.now() - started) * 100) / 100;
      const exchange: Exchange = {
        request,
        response: { status: res.status, headers: this.redactor.headers(resHeaders), body: this.redactor.body(parsed) },
        ms,
        attempt,
      };
      this.keep(exchange);
      const ok = res.status < 300 || res.status === 304;
      return { status: res.status, headers: resHeaders, body: parsed, exchange, ...(ok ? {} : { failure: httpFailure(res.status, parsed) }) };
    } catch (err) {
      clearTimeout(timer);
      const e = err as Error & { cause?: { code?: string; message?: string } };
      const timedOut = abort.signal.aborted;
      const failure = timedOut
        ? transportFailure('timeout', `no response within ${this.opts.timeoutMs} ms`)
        : transportFailure('network', `connection failed: ${e.cause?.code ?? e.cause?.message ?? e.message}`);
      const ms = Math.round((performance.now() - started) * 100) / 100;
      const exchange: Exchange = { request, response: null, ms, attempt, error: failure.message };
      this.keep(exchange);
      return { status: 0, headers: {} as Record<string, string>, body: null, exchange, failure };
    }
  }

  private async tokenPost(url: string, headers: Record<string, string>, form: string, exchanges: Exchange[]) {
    const one = await this.send('POST', url, headers, form, Object.fromEntries(new URLSearchParams(form)), 1);
    exchanges.push(one.exchange);
    if (one.failure && one.status === 0) throw new AuthError(`token endpoint ${url}: ${one.failure.message}`);
    return { status: one.status, body: one.body };
  }

  private keep(e: Exchange): void {
    if (this.opts.record !== false) this.log.push(e);
    this.opts.onExchange?.(e);
  }
}

function parseBody(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
