// The Entra provisioning job's clock: when cycles run and when a soft-deleted user is hard-deleted. Sources are the
// Microsoft pages keyed in the table "Sources" of docs/idp-patterns.md (title and URL; see §3.1, §3.3, §3.7, §3.8).

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * Incremental cycles follow each other about every 40 minutes: "The process runs every 40 minutes" (ENTRA-HOW),
 * "syncs, which occur approximately every 40 minutes" (ENTRA-TUT); the interval cannot be configured (ENTRA-KI).
 */
export const CYCLE_INTERVAL_MS = 40 * MINUTE;

/** In quarantine "The frequency of incremental cycles is gradually reduced to once per day" (ENTRA-Q); modelled at once a day. */
export const QUARANTINED_CYCLE_INTERVAL_MS = DAY;

/** "If the provisioning job stays in quarantine for more than four weeks, the provisioning job is disabled (stops running)" (ENTRA-Q). */
export const QUARANTINE_DISABLES_JOB_AFTER_MS = 28 * DAY;

/** Soft-deleted users are "hard-deleted 30 days after they're soft-deleted" (ENTRA-HOW); the next cycle then sends DELETE. */
export const HARD_DELETE_AFTER_SOFT_DELETE_MS = 30 * DAY;

/** The first cycle start at or after `now` on the grid `from + k * interval` (cycles nobody watched still ran on time). */
export function nextSlot(from: number, interval: number, now: number): number {
  if (now <= from + interval) return from + interval;
  return from + Math.ceil((now - from) / interval) * interval;
}
