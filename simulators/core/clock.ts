/** Time as the simulators see it: injectable so retry waits and escrow schedules can be tested without waiting. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
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
    this.t += ms;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.t += Math.max(0, ms);
  }
}
