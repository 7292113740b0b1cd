import type { Exchange, ProvisioningAction, ProvisioningLog, ProvisioningLogStep, Step } from '../core/types.ts';

/**
 * One object operation as Entra's provisioning logs record it: the action (Microsoft Graph provisioningAction: Create,
 * Update, Delete, Disable, StagedDelete, Other) and the steps of its provisioningStep list (import, scoping, matching,
 * processing, referenceResolution, export), each with a status. Read from the requests the step really sent.
 * Microsoft: provisioningStep resource type <https://learn.microsoft.com/en-us/graph/api/resources/provisioningstep>.
 */
export interface LoggedObject {
  kind: 'User' | 'Group';
  /** The UPN or group name. */
  display: string;
  /** A manager or member update (resolved after the objects themselves). */
  reference: boolean;
  /** Assigned or in scope; an unassigned user is disabled out of scope. */
  inScope: boolean;
}

const path = (e: Exchange) => new URL(e.request.url).pathname;
const isWrite = (e: Exchange) => e.request.method !== 'GET';
const isQuery = (e: Exchange) => e.request.method === 'GET' && /\/(Users|Groups)$/.test(path(e)) && new URL(e.request.url).searchParams.has('filter');

/** The action the writes of a step amount to: a create, a delete, a disable (active set false) or an update. */
export function actionOf(exchanges: readonly Exchange[]): ProvisioningAction {
  const writes = exchanges.filter(isWrite);
  if (writes.some((e) => e.request.method === 'POST')) return 'Create';
  if (writes.some((e) => e.request.method === 'DELETE')) return 'Delete';
  if (writes.some((e) => setsInactive(e.request.body))) return 'Disable';
  return writes.length > 0 ? 'Update' : 'Other';
}

function setsInactive(body: unknown): boolean {
  const ops = (body as { Operations?: Array<{ path?: string; value?: unknown }> } | null)?.Operations ?? [];
  return ops.some((o) => o.path?.toLowerCase() === 'active' && String(o.value).toLowerCase() === 'false');
}

const PAST: Record<ProvisioningAction, string> = {
  Create: 'created',
  Update: 'updated',
  Delete: 'deleted',
  Disable: 'disabled',
  StagedDelete: 'deleted (staged)',
  Other: 'left unchanged',
};

export function provisioningLogOf(step: Step, object: LoggedObject): ProvisioningLog {
  const action = actionOf(step.exchanges);
  const { kind, display } = object;
  const steps: ProvisioningLogStep[] = [
    { name: 'import', status: 'success', description: `Received ${kind} '${display}' from Microsoft Entra ID` },
    {
      name: 'scoping',
      status: 'success',
      description: object.inScope ? `${kind} '${display}' is in scope` : `${kind} '${display}' is out of scope (unassigned)`,
    },
  ];
  const query = step.exchanges.find(isQuery);
  if (object.reference) {
    steps.push({ name: 'referenceResolution', status: step.ok ? 'success' : 'failure', description: `Resolved the references of ${kind} '${display}'` });
  } else if (query) {
    const total = (query.response?.body as { totalResults?: unknown } | null)?.totalResults;
    const status = query.response?.status === 200 ? 'success' : 'failure';
    const found = typeof total === 'number' && total > 0;
    steps.push({
      name: 'matching',
      status,
      description:
        status === 'failure'
          ? `The matching query for ${kind} '${display}' was answered ${query.response?.status ?? 'with nothing'}`
          : found
            ? `Found a ${kind} in the target matching '${display}'`
            : `No ${kind} in the target matches '${display}'`,
    });
  } else {
    steps.push({ name: 'matching', status: 'skipped', description: `Used the target id Entra stored for ${kind} '${display}'` });
  }
  steps.push({
    name: 'processing',
    status: 'success',
    description: action === 'Other' ? `${kind} '${display}' needs no change in the target` : `Determined that ${kind} '${display}' is to be ${PAST[action]}`,
  });
  const writes = step.exchanges.filter(isWrite);
  const failed = writes.find((e) => !e.response || e.response.status >= 300);
  steps.push(
    writes.length === 0
      ? { name: 'export', status: step.ok ? 'skipped' : 'failure', description: step.ok ? 'Nothing was sent to the target' : step.message }
      : failed || !step.ok
        ? { name: 'export', status: 'failure', description: step.message }
        : { name: 'export', status: 'success', description: `${kind} '${display}' was ${PAST[action]} in the target` },
  );
  return { action, steps };
}
