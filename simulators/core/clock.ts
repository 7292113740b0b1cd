/** Time as the simulators see it: injectable so retry waits and escrow schedules can be tested without waiting. */
export interface Clock {
  now(): number;
  /** Waits: a Retry-After, a rate-limit reset. */
  sleep(ms: number): Promise<void>;
  /**
   * Moves time on without waiting, when the clock can: the hours and days an IdP lets pass with nothing to send
   * (Entra's 40 minutes between cycles, its escrow retries hours later, its 30 days before a hard delete).
   */
  advance?(ms: number): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/** A clock that only moves when slept on or advanced; it records every wait it was asked for. */
export class ManualClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(private t = Date.parse('2026-01-01T00:00:00.000Z')) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += Math.max(0, ms);
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.t += Math.max(0, ms);
  }
}

/**
 * Wall-clock time that can be moved on: `sleep` really waits (a Retry-After against a real target is honoured), and
 * `advance` jumps ahead without waiting, so a run against a real target passes Entra's days of cycles in seconds.
 */
export class SimulatedClock implements Clock {
  private offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  sleep(ms: number): Promise<void> {
    return systemClock.sleep(ms);
  }
  advance(ms: number): void {
    this.offset += Math.max(0, ms);
  }
}

/** Lets `ms` pass with nothing to do: a clock that can be advanced is (no real wait); any other is slept on. */
export async function elapse(clock: Clock, ms: number): Promise<void> {
  if (ms <= 0) return;
  if (clock.advance) clock.advance(ms);
  else await clock.sleep(ms);
}
