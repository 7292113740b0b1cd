import type { Failure } from '../core/types.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Retry schedule after a failure (ENTRA-Q): ~6 h, then 12 h, then 24 h, then every 24 h; dropped after 28 days. */
const SCHEDULE = [6 * HOUR, 12 * HOUR, 24 * HOUR];
const GIVE_UP_AFTER = 28 * DAY;

export interface EscrowEntry {
  objectKey: string;
  action: string;
  failure: Failure;
  firstFailureAt: number;
  attempts: number;
  nextRetryAt: number;
  /** Manager and group-member failures: escrowed but not counted toward quarantine. */
  reference: boolean;
}

export type QuarantineReason = 'EncounteredQuarantineException' | 'EncounteredEscrowProportionThreshold';

/**
 * Entra's escrow and quarantine bookkeeping (docs/idp-patterns.md §3.8): failed objects wait for a later cycle,
 * and the job is quarantined on bad credentials or when failures cross Microsoft's published thresholds.
 */
export class EntraEscrow {
  readonly entries = new Map<string, EscrowEntry>();
  calls = 0;
  failures = 0;
  quarantine: { reason: QuarantineReason; since: number } | undefined;

  /** Counts one attempted object operation (reference operations excluded, as Entra excludes them). */
  countCall(reference: boolean): void {
    if (!reference) this.calls++;
  }

  /** `nextCycle`: retry on the very next cycle (the `escrow_next_cycle` reaction to 429). */
  record(objectKey: string, action: string, failure: Failure, now: number, opts: { reference?: boolean; nextCycle?: boolean } = {}): EscrowEntry {
    const previous = this.entries.get(objectKey);
    const attempts = (previous?.attempts ?? 0) + 1;
    const firstFailureAt = previous?.firstFailureAt ?? now;
    const wait = opts.nextCycle ? 0 : (SCHEDULE[attempts - 1] ?? DAY);
    const entry: EscrowEntry = { objectKey, action, failure, firstFailureAt, attempts, nextRetryAt: now + wait, reference: opts.reference ?? false };
    if (now - firstFailureAt >= GIVE_UP_AFTER) this.entries.delete(objectKey);
    else this.entries.set(objectKey, entry);
    if (!entry.reference) this.failures++;
    this.evaluate(failure, now);
    return entry;
  }

  resolve(objectKey: string): void {
    this.entries.delete(objectKey);
  }

  due(now: number): EscrowEntry[] {
    return [...this.entries.values()].filter((e) => e.nextRetryAt <= now);
  }

  private evaluate(failure: Failure, now: number): void {
    if (this.quarantine) return;
    if (failure.kind === 'unauthorized') {
      this.quarantine = { reason: 'EncounteredQuarantineException', since: now };
      return;
    }
    const overProportion = this.calls >= 5000 && this.failures / this.calls > 0.4;
    if (overProportion || this.failures > 40_000 || this.failures + this.referenceFailures() >= 60_000) {
      this.quarantine = { reason: 'EncounteredEscrowProportionThreshold', since: now };
    }
  }

  private referenceFailures(): number {
    return [...this.entries.values()].filter((e) => e.reference).length;
  }
}
