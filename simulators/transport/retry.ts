import { z } from 'zod';
import type { Failure } from '../core/types.ts';

/** What a retry policy sees after a failed attempt. `attempt` counts from 1. */
export interface RetryContext {
  attempt: number;
  failure: Failure;
  headers: Record<string, string>;
  now: number;
}

/** Per-IdP reaction to failures (docs/idp-patterns.md §2.6, §3.8, §4.5). */
export interface RetryPolicy {
  readonly name: string;
  /** Milliseconds to wait before trying the same request again, or undefined to give up. */
  retryDelay(ctx: RetryContext): number | undefined;
  /** Milliseconds to pause before the next request (SailPoint's rate-limit headers); 0 for none. */
  pauseBefore?(now: number): number;
  /** Sees every response's headers (SailPoint watches x-rate-limit-*). */
  observe?(headers: Record<string, string>, now: number): void;
}

/**
 * `Retry-After` as delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. A date is
 * read against the response's own `Date` when it has one: the server's clock, not ours (a simulated clock runs ahead).
 */
export function parseRetryAfter(value: string | undefined, now: number, serverDate?: string): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const date = Date.parse(v);
  if (Number.isNaN(date)) return undefined;
  const sent = serverDate === undefined ? Number.NaN : Date.parse(serverDate);
  return Math.max(0, date - (Number.isNaN(sent) ? now : sent));
}

/** Okta's retry options as the simulator's options schema checks them (each IdP's options type derives from its schema). */
export const oktaRetryShape = {
  /** 429s retried before the task is recorded as failed. */
  maxRateLimitRetries: z.number().int().min(0).max(100),
  /** Wait when a 429 carries no Retry-After [INF]. */
  defaultRetryAfterS: z.number().min(0).max(3600),
  /** Okta retries 5xx and timeouts only when the admin presses Retry; `retry_5xx=n` automates n of them. */
  retry5xx: z.number().int().min(0).max(100),
};
export type OktaRetryOptions = z.infer<z.ZodObject<typeof oktaRetryShape>>;

export const OKTA_RETRY_DEFAULTS: OktaRetryOptions = { maxRateLimitRetries: 5, defaultRetryAfterS: 60, retry5xx: 0 };

export function oktaRetry(opts: Partial<OktaRetryOptions> = {}): RetryPolicy {
  const o = { ...OKTA_RETRY_DEFAULTS, ...opts };
  return {
    name: 'okta',
    retryDelay({ attempt, failure, headers, now }) {
      if (failure.kind === 'rate_limited') {
        if (attempt > o.maxRateLimitRetries) return undefined;
        return parseRetryAfter(headers['retry-after'], now, headers.date) ?? o.defaultRetryAfterS * 1000;
      }
      if ((failure.kind === 'server_error' || failure.kind === 'timeout' || failure.kind === 'network') && attempt <= o.retry5xx) {
        return parseRetryAfter(headers['retry-after'], now, headers.date) ?? 1000 * attempt;
      }
      return undefined;
    },
  };
}

export const entraRetryShape = {
  /** What a 429 does: wait out its Retry-After in the cycle, or go to escrow for the next cycle. */
  on429: z.enum(['honor_retry_after', 'escrow_next_cycle']),
  maxRateLimitRetries: z.number().int().min(0).max(100),
  defaultRetryAfterS: z.number().min(0).max(3600),
};
export type EntraRetryOptions = z.infer<z.ZodObject<typeof entraRetryShape>>;

export const ENTRA_RETRY_DEFAULTS: EntraRetryOptions = { on429: 'honor_retry_after', maxRateLimitRetries: 5, defaultRetryAfterS: 60 };

/** Entra retries nothing else in-cycle: other failures go to escrow and are retried on a later cycle. */
export function entraRetry(opts: Partial<EntraRetryOptions> = {}): RetryPolicy {
  const o = { ...ENTRA_RETRY_DEFAULTS, ...opts };
  return {
    name: `entra:${o.on429}`,
    retryDelay({ attempt, failure, headers, now }) {
      if (failure.kind !== 'rate_limited' || o.on429 === 'escrow_next_cycle' || attempt > o.maxRateLimitRetries) return undefined;
      return parseRetryAfter(headers['retry-after'], now, headers.date) ?? o.defaultRetryAfterS * 1000;
    },
  };
}

export const sailpointRetryShape = {
  /** Reproduces the connector versions that do not retry 429 (Teleport #61511). */
  ignore429: z.boolean(),
  /** IIQ `retryableErrors`: status codes or message substrings an admin listed. Empty by default. */
  retryableErrors: z.array(z.union([z.number().int().min(100).max(599), z.string().min(1)])),
  maxRetries: z.number().int().min(0).max(100),
  retryWaitMs: z.number().int().min(0).max(600_000),
  /** Slow down once this share of the advertised limit is used (`maxApiCallsThresholdPercentage`). */
  thresholdPercent: z.number().min(1).max(100),
  /** `rateLimitHeaders` remapping, e.g. to names without the `x-` prefix. */
  headerNames: z.strictObject({ remaining: z.string().min(1), limit: z.string().min(1), reset: z.string().min(1), retryAfter: z.string().min(1) }),
  defaultRetryAfterS: z.number().min(0).max(3600),
};
export type SailPointRetryOptions = z.infer<z.ZodObject<typeof sailpointRetryShape>>;

export const SAILPOINT_RETRY_DEFAULTS: SailPointRetryOptions = {
  ignore429: false,
  retryableErrors: [],
  maxRetries: 3,
  retryWaitMs: 1000,
  thresholdPercent: 100,
  headerNames: {
    remaining: 'x-rate-limit-remaining',
    limit: 'x-rate-limit-limit',
    reset: 'x-rate-limit-reset',
    retryAfter: 'x-rate-limit-retry-after-seconds',
  },
  defaultRetryAfterS: 60,
};

export function sailpointRetry(opts: Partial<SailPointRetryOptions> = {}): RetryPolicy {
  const o = { ...SAILPOINT_RETRY_DEFAULTS, ...opts };
  let pauseUntil = 0;
  return {
    name: 'sailpoint',
    retryDelay({ attempt, failure, headers, now }) {
      if (attempt > o.maxRetries) return undefined;
      if (failure.kind === 'rate_limited') {
        if (o.ignore429) return undefined;
        const own = headers[o.headerNames.retryAfter];
        const seconds = own !== undefined && /^\d+$/.test(own.trim()) ? Number(own) * 1000 : undefined;
        return seconds ?? parseRetryAfter(headers['retry-after'], now, headers.date) ?? o.defaultRetryAfterS * 1000;
      }
      const text = `${failure.message} ${failure.detail ?? ''}`;
      const listed = o.retryableErrors.some((e) => (typeof e === 'number' ? e === failure.status : text.includes(e)));
      return listed ? o.retryWaitMs : undefined;
    },
    observe(headers, now) {
      const remaining = Number(headers[o.headerNames.remaining]);
      const limit = Number(headers[o.headerNames.limit]);
      const reset = headers[o.headerNames.reset];
      if (!Number.isFinite(remaining) || reset === undefined) return;
      const used = Number.isFinite(limit) && limit > 0 ? ((limit - remaining) / limit) * 100 : remaining <= 0 ? 100 : 0;
      if (used < o.thresholdPercent && remaining > 0) return;
      const r = Number(reset);
      if (!Number.isFinite(r)) return;
      // epoch seconds when it looks like one, else seconds from now
      pauseUntil = r > 1e9 ? r * 1000 : now + r * 1000;
    },
    pauseBefore(now) {
      return pauseUntil > now ? pauseUntil - now : 0;
    },
  };
}
