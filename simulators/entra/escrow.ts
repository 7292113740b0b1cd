import type { Failure } from '../core/types.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// Figures from Microsoft's "Application provisioning in quarantine status" (ENTRA-Q,
// https://learn.microsoft.com/en-us/entra/identity/app-provisioning/application-provisioning-quarantine-status;
// docs/idp-patterns.md §3.8). Microsoft adds: "This logic is subject to change, but works
// roughly as described below".

/**
 * Retries after a failure, counted from the first failure (ENTRA-Q, "Retry duration"): "After the failure, the first
 * retry will happen in 6 hours. The second retry happens 12 hours after the first failure. The third retry happens 24
 * hours after the first failure."
 */
export const ESCROW_RETRIES_AFTER_FIRST_FAILURE: readonly number[] = [6 * HOUR, 12 * HOUR, 24 * HOUR];
/** "There will be retries every 24 hours after the 3rd retry." */
export const ESCROW_RETRY_INTERVAL_AFTER_THIRD = DAY;
/** "The retries will go on for 28 days after the first failure after which the escrow entry is removed". */
export const ESCROW_RETRY_PERIOD = 28 * DAY;

/**
 * "5,000 failures are the minimum to start evaluating whether to quarantine because of too many failures. For example,
 * a job with 4,000 failures wouldn't go into quarantine. But, a job with 5,000 failures would trigger an evaluation."
 * The page leaves reference failures out of the 40 % and 40,000 figures only, so this minimum counts every failure.
 */
export const QUARANTINE_EVALUATION_MIN_FAILURES = 5_000;
/** "If more than 40% of provisioning events fail ... the provisioning job will go into quarantine." Reference failures excluded. */
export const QUARANTINE_FAILED_PROPORTION = 0.4;
/** "... or there are more than 40,000 failures". Reference failures excluded. */
export const QUARANTINE_MAX_FAILURES = 40_000;
/** "There's an absolute threshold of 60,000 failures that accounts for both reference and non-reference failures" (61,000 "exceeds the 60,000 limit"). */
export const QUARANTINE_ABSOLUTE_MAX_FAILURES = 60_000;

export interface EscrowEntry {
  objectKey: string;
  action: string;
  failure: Failure;
  firstFailureAt: number;
  attempts: number;
  nextRetryAt: number;
  /** Manager and group-member failures: escrowed but not counted toward the 40 % and 40,000 thresholds. */
  reference: boolean;
}

/** Microsoft Graph's quarantineReason values the documented causes map to (ENTRA-Q). */
export type QuarantineReason = 'EncounteredQuarantineException' | 'EncounteredEscrowProportionThreshold';

export interface Quarantine {
  reason: QuarantineReason;
  /** ENTRA-Q's words for the cause ("Invalid credentials", "SCIM Compliance issue", the threshold crossed). */
  detail: string;
  since: number;
}

/** Why one failure quarantines the job on its own: "regardless of failure counts for issues such as admin credentials or SCIM compliance". */
export type QuarantineCause = 'credentials' | 'scim-compliance';

/** The nth retry (1-based) as an offset from the first failure: 6 h, 12 h, 24 h, then every 24 h. */
export function retryOffset(n: number): number {
  const fixed = ESCROW_RETRIES_AFTER_FIRST_FAILURE;
  const last = fixed[fixed.length - 1] ?? 0;
  return n <= fixed.length ? (fixed[n - 1] ?? last) : last + (n - fixed.length) * ESCROW_RETRY_INTERVAL_AFTER_THIRD;
}

/** The first retry time strictly after `now` for an object that first failed at `firstFailureAt`; undefined past 28 days. */
export function nextRetryAfter(firstFailureAt: number, now: number): number | undefined {
  for (let n = 1; ; n++) {
    const offset = retryOffset(n);
    if (offset > ESCROW_RETRY_PERIOD) return undefined;
    if (firstFailureAt + offset > now) return firstFailureAt + offset;
  }
}

/**
 * Entra's escrow and quarantine bookkeeping: failed objects wait for a retry on a later cycle, and the job is
 * quarantined on bad credentials, on a 404 where a 200 was expected, or when failures cross Microsoft's thresholds.
 * Counts run from the job's start (or a Restart provisioning, which "clears escrows").
 */
export class EntraEscrow {
  readonly entries = new Map<string, EscrowEntry>();
  /** Provisioning events (object operations, retries included), reference operations excluded. */
  events = 0;
  /** Failed events, reference operations excluded. */
  failures = 0;
  /** Failed manager and group-member updates. */
  referenceFailures = 0;
  quarantine: Quarantine | undefined;

  /** Counts one attempted object operation (a provisioning event). */
  countEvent(reference: boolean): void {
    if (!reference) this.events++;
  }

  /**
   * Escrows a failed object. `nextCycle`: retry on the very next cycle (the `escrow_next_cycle` reaction to 429).
   * `cause`: a failure that quarantines the job whatever the counts.
   */
  record(
    objectKey: string,
    action: string,
    failure: Failure,
    now: number,
    opts: { reference?: boolean; nextCycle?: boolean; cause?: QuarantineCause } = {},
  ): EscrowEntry {
    const previous = this.entries.get(objectKey);
    const firstFailureAt = previous?.firstFailureAt ?? now;
    const reference = opts.reference ?? false;
    const next = opts.nextCycle ? now : nextRetryAfter(firstFailureAt, now);
    const entry: EscrowEntry = {
      objectKey,
      action,
      failure,
      firstFailureAt,
      attempts: (previous?.attempts ?? 0) + 1,
      nextRetryAt: next ?? Number.POSITIVE_INFINITY,
      reference,
    };
    if (next === undefined) this.entries.delete(objectKey);
    else this.entries.set(objectKey, entry);
    if (reference) this.referenceFailures++;
    else this.failures++;
    this.evaluate(now, opts.cause ?? (failure.kind === 'unauthorized' ? 'credentials' : undefined));
    return entry;
  }

  resolve(objectKey: string): void {
    this.entries.delete(objectKey);
  }

  due(now: number): EscrowEntry[] {
    return [...this.entries.values()].filter((e) => e.nextRetryAt <= now);
  }

  /** "If any of the retries above gets a successful response, the job is automatically put out of quarantine". */
  lift(): void {
    this.quarantine = undefined;
  }

  /** Restart provisioning: "clears escrows, removes the app from quarantine" (ENTRA-Q). */
  clear(): void {
    this.entries.clear();
    this.events = 0;
    this.failures = 0;
    this.referenceFailures = 0;
    this.quarantine = undefined;
  }

  /** The threshold the counts cross now, in ENTRA-Q's words, or undefined (below 5,000 failures nothing is evaluated). */
  thresholdCrossed(): string | undefined {
    const all = this.failures + this.referenceFailures;
    if (all < QUARANTINE_EVALUATION_MIN_FAILURES) return undefined;
    if (all > QUARANTINE_ABSOLUTE_MAX_FAILURES) return `${all} failures exceed the absolute threshold of 60,000 failures`;
    if (this.failures > QUARANTINE_MAX_FAILURES) return `${this.failures} failures exceed the 40,000 failures threshold`;
    if (this.events > 0 && this.failures / this.events > QUARANTINE_FAILED_PROPORTION)
      return `more than 40% of provisioning events failed (${this.failures} of ${this.events})`;
    return undefined;
  }

  private evaluate(now: number, cause: QuarantineCause | undefined): void {
    if (this.quarantine) return;
    if (cause === 'credentials') {
      this.quarantine = { reason: 'EncounteredQuarantineException', detail: 'Invalid credentials', since: now };
      return;
    }
    if (cause === 'scim-compliance') {
      this.quarantine = {
        reason: 'EncounteredQuarantineException',
        detail: 'SCIM Compliance issue: An HTTP/404 Not Found response was returned rather than the expected HTTP/200 OK response',
        since: now,
      };
      return;
    }
    const crossed = this.thresholdCrossed();
    if (crossed) this.quarantine = { reason: 'EncounteredEscrowProportionThreshold', detail: crossed, since: now };
  }
}
