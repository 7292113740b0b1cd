import type { Transport } from '../transport/transport.ts';
import type { Failure, Step } from './types.ts';

export interface StepOutcome {
  ok: boolean;
  message: string;
  observed?: Record<string, unknown>;
}

/** Thrown inside a step to fail it with the IdP's message. */
export class StepFailed extends Error {
  constructor(
    message: string,
    readonly observed: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'StepFailed';
  }
}

/** Thrown by `Session.step` after a failed step: the IdP stops the scenario there, as its task would stop. */
export class ScenarioAborted extends Error {
  constructor(readonly step: Step) {
    super(`${step.name}: ${step.message}`);
    this.name = 'ScenarioAborted';
  }
}

/**
 * Records named steps, each with the exchanges the transport made while it ran. Inside a scenario run a failed step
 * ends the scenario (`abortOnFailure`); an action called on its own just returns its failed step.
 */
export class Session {
  readonly steps: Step[] = [];
  abortOnFailure = false;

  constructor(private readonly transport: Transport) {}

  async step(name: string, fn: () => Promise<StepOutcome>, opts: { continueOnFailure?: boolean } = {}): Promise<Step> {
    const mark = this.transport.mark();
    let outcome: StepOutcome;
    try {
      outcome = await fn();
    } catch (err) {
      if (!(err instanceof StepFailed)) throw err;
      outcome = { ok: false, message: err.message, observed: err.observed };
    }
    const step: Step = { name, ok: outcome.ok, message: outcome.message, exchanges: this.transport.since(mark), observed: outcome.observed ?? {} };
    this.steps.push(step);
    if (!step.ok && !opts.continueOnFailure && this.abortOnFailure) throw new ScenarioAborted(step);
    return step;
  }

  reset(): void {
    this.steps.length = 0;
  }
}

export type FailureWording = (failure: Failure, action: string) => string;
