/** Shapes every simulator shares: the transcript of one HTTP exchange, a failure, a step, a scenario result. */

export type IdpName = 'okta' | 'entra' | 'sailpoint';
export const IDPS: readonly IdpName[] = ['okta', 'entra', 'sailpoint'];

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

export interface RecordedResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/**
 * One attempt on the wire, the one transcript shape of the project: a simulator records it, the harness's SCIM
 * client records it, and a verdict keeps it as evidence. `response` is null when no answer came (timeout, refused
 * connection).
 */
export interface Exchange {
  request: RecordedRequest;
  response: RecordedResponse | null;
  ms: number;
  /** Which try of the same request this was, 1 first (the simulators retry the way their IdP does). */
  attempt?: number;
  /** Who sent it: the harness's SCIM client, or the simulator (and its step) that replayed an IdP. */
  by?: string;
  error?: string;
}

/** An exchange that got an answer: what the harness's client returns with every response. */
export type AnsweredExchange = Exchange & { response: RecordedResponse };

export type FailureKind =
  | 'rate_limited'
  | 'server_error'
  | 'timeout'
  | 'network'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'precondition_failed'
  | 'bad_request'
  | 'client_error'
  | 'unexpected_response';

/** A failed request, classified; `message` is worded the way the simulated IdP reports it to its admin. */
export interface Failure {
  kind: FailureKind;
  status?: number;
  scimType?: string;
  detail?: string;
  message: string;
}

/** One lifecycle action, named in the IdP's own words ("Deactivate", "Disable (soft delete)", "Disable Account"). */
export interface Step {
  name: string;
  ok: boolean;
  message: string;
  exchanges: Exchange[];
  /** What the target answered that matters to the IdP (ids, active, member counts, totals...). */
  observed: Record<string, unknown>;
  /** Entra only: the step as its provisioning logs show it (action, and the import ... export steps). */
  log?: ProvisioningLog;
}

/** Microsoft Graph's provisioningAction values, as the Entra admin center lists them. */
export type ProvisioningAction = 'Create' | 'Update' | 'Delete' | 'Disable' | 'StagedDelete' | 'Other';

/** One provisioningStep (Microsoft Graph): import, scoping, matching, processing, referenceResolution, export. */
export interface ProvisioningLogStep {
  name: 'import' | 'scoping' | 'matching' | 'processing' | 'referenceResolution' | 'export';
  status: 'success' | 'failure' | 'skipped';
  description: string;
}

export interface ProvisioningLog {
  action: ProvisioningAction;
  steps: ProvisioningLogStep[];
  /** The provisioning cycle that logged it (Graph provisioningObjectSummary `cycleId`); none for Provision on demand. */
  cycleId?: string;
  /** When it happened on the simulator's clock (Graph `activityDateTime`), ISO 8601 UTC. */
  activityDateTime?: string;
}

export interface ScenarioResult {
  idp: IdpName;
  scenario: string;
  mode: string;
  seed: number;
  ok: boolean;
  steps: Step[];
}

export interface ScenarioInfo {
  name: string;
  summary: string;
}

/** One row of an IdP's scenario table: what `--help` lists and what the IdP does, side by side. */
export interface Scenario<Sim> extends ScenarioInfo {
  run(sim: Sim): Promise<unknown>;
}
