import { expect, given, notAssessed } from '../../fixtures/test.ts';
import type { UserStatus, WithCapabilities } from '../../harness/adapter.ts';
import type { ScimClient } from '../../harness/scim-client.ts';
import type { ScimGroup, ScimUser } from '../../harness/scim-schemas.ts';
import type { Exchange, Step } from '../../simulators/index.ts';

/**
 * Reusable checks for the IdP profiles: what a simulator step observed on the wire, and the target's state read
 * back over SCIM or through the adapter. No severity here: the requirement a test cites decides it.
 */

/** One line per exchange of a step, for failure messages. */
export function describeStep(step: Step): string {
  const lines = step.exchanges.map(
    (e) =>
      `${e.request.method} ${e.request.url} -> ${e.response?.status ?? e.error ?? 'no answer'}${e.response && e.response.status >= 300 ? ` ${JSON.stringify(e.response.body).slice(0, 300)}` : ''}`,
  );
  return `${step.name}: ${step.message}\n${lines.join('\n')}`;
}

/** The step went as the IdP expects (every answer it needed was what it accepts). */
export function expectStepOk(step: Step | undefined): asserts step is Step {
  expect(step, 'the simulator ran the step').toBeDefined();
  expect(step!.ok, describeStep(step!)).toBe(true);
}

export function expectStepsOk(steps: readonly Step[]): void {
  expect(steps.length, 'the simulator ran steps').toBeGreaterThan(0);
  for (const s of steps) expectStepOk(s);
}

/**
 * An IdP action a check builds on (assigning the user it then deactivates): it must go as the IdP expects, or the
 * check cannot reach its rule and its requirements are not assessed, blocked by this step (owned by `owner`).
 */
export function stepDone(action: Promise<Step | undefined>, what: string, owner?: string): Promise<Step> {
  return given(
    what,
    async () => {
      const step = await action;
      expectStepOk(step);
      return step;
    },
    owner,
  );
}

/** The step an action produced, failed or not (an action called on its own returns a failed step, never throws it). */
export async function stepOf(action: Promise<Step | undefined>): Promise<Step> {
  const step = await action;
  expect(step, 'the simulator ran the step').toBeDefined();
  return step!;
}

/** The exchanges of a step for one method (and a path pattern). */
export function exchangesOf(step: Step, method: string, path?: RegExp): Exchange[] {
  return step.exchanges.filter((e) => e.request.method === method && (!path || path.test(new URL(e.request.url).pathname)));
}

/** Ids of the resources in the ListResponses a step read. */
export function listedIds(step: Step): string[] {
  return exchangesOf(step, 'GET').flatMap((e) => ((e.response?.body as { Resources?: Array<{ id?: string }> } | null)?.Resources ?? []).map((r) => r.id ?? ''));
}

/** The paging fields of every ListResponse in a step are JSON numbers. */
export function expectNumericPaging(step: Step): void {
  const lists = exchangesOf(step, 'GET').filter((e) => e.response?.status === 200);
  expect(lists.length, 'list reads in the step').toBeGreaterThan(0);
  for (const e of lists) {
    const body = (e.response?.body ?? {}) as Record<string, unknown>;
    for (const field of ['totalResults', 'startIndex', 'itemsPerPage']) {
      expect(typeof body[field], `${field} of ${e.request.url} is ${JSON.stringify(body[field])}`).toBe('number');
    }
  }
}

export async function readUser(scim: ScimClient, id: string): Promise<ScimUser> {
  const res = await scim.getUser(id);
  expect(res.status, `GET /Users/${id}: ${res.safeText.slice(0, 300)}`).toBe(200);
  return scim.user(res);
}

export async function readGroup(scim: ScimClient, id: string): Promise<ScimGroup> {
  const res = await scim.getGroup(id);
  expect(res.status, `GET /Groups/${id}: ${res.safeText.slice(0, 300)}`).toBe(200);
  return scim.group(res);
}

/** The user reads back with this `active` value (an absent `active` counts as active). */
export async function expectActive(scim: ScimClient, id: string, active: boolean): Promise<ScimUser> {
  const user = await readUser(scim, id);
  if (active) expect(user.active, `active of ${user.userName}`).not.toBe(false);
  else expect(user.active, `active of ${user.userName}`).toBe(false);
  return user;
}

export async function expectUserGone(scim: ScimClient, id: string, userName: string): Promise<void> {
  expect((await scim.getUser(id)).status, `GET /Users/${id} after the delete`).toBe(404);
  expect(await usersNamed(scim, userName), `userName eq "${userName}" after the delete`).toEqual([]);
}

/** Ids the userName filter matches. */
export async function usersNamed(scim: ScimClient, userName: string): Promise<string[]> {
  const { res, list } = await scim.list('/Users', { filter: `userName eq "${userName}"` });
  expect(res.status).toBe(200);
  return (list.Resources ?? []).map((r) => r.id ?? '');
}

export async function memberIds(scim: ScimClient, groupId: string): Promise<string[]> {
  return ((await readGroup(scim, groupId)).members ?? []).map((m) => m.value ?? '').sort();
}

export async function expectMembers(scim: ScimClient, groupId: string, expected: Array<string | undefined>): Promise<void> {
  expect(await memberIds(scim, groupId), `members of group ${groupId}`).toEqual(expected.map((e) => e ?? '(unknown id)').sort());
}

/** The application's own view of the user (adapter `userStatus`, from `needs('userStatus')`). */
export async function expectAppStatus(adapter: WithCapabilities<'userStatus'>, userName: string, status: UserStatus): Promise<void> {
  await expect.poll(() => adapter.userStatus(userName), { message: `status of ${userName} in the application`, timeout: 5_000 }).toBe(status);
}

/** Region membership as the application shows it (adapter `userRegions`). */
export async function expectAppRegions(adapter: WithCapabilities<'userRegions'>, userName: string, has: string[], hasNot: string[] = []): Promise<void> {
  await expect
    .poll(
      async () => {
        const regions = await adapter.userRegions(userName);
        return { has: has.filter((r) => regions.includes(r)), hasNot: hasNot.filter((r) => regions.includes(r)) };
      },
      { message: `regions of ${userName} in the application`, timeout: 5_000 },
    )
    .toEqual({ has, hasNot: [] });
}

const casingRefused = new Map<string, Promise<boolean>>();

/**
 * Whether the target refuses Entra's capitalised PATCH op names ("Replace", "Add"), probed once per target on a User
 * of its own. ENTRA-PATCH-OP-CASE judges that; a check of another rule that can only be sent in Entra's casing is
 * not assessed on such a target instead of failing for it.
 */
export function entraOpCaseRefused(scim: ScimClient): Promise<boolean> {
  let known = casingRefused.get(scim.baseUrl);
  if (!known) {
    known = (async () => {
      const created = await scim.post('/Users', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: `scimu-casing-probe-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
        displayName: 'casing probe',
      });
      const id = (created.body as { id?: string } | undefined)?.id;
      if (!id) return false;
      try {
        const res = await scim.patch(`/Users/${id}`, [{ op: 'Replace', path: 'displayName', value: 'casing probe 2' }]);
        return res.status >= 400;
      } finally {
        await scim.delete(`/Users/${id}`);
      }
    })();
    casingRefused.set(scim.baseUrl, known);
  }
  return known;
}

/** Ends a check as not assessed when the target refuses Entra's op casing, which the check's requests carry. */
export async function unlessEntraCasingRefused(scim: ScimClient): Promise<void> {
  if (await entraOpCaseRefused(scim))
    notAssessed("the target refuses Entra's capitalised PATCH ops, which this check sends as Entra does (ENTRA-PATCH-OP-CASE fails for that)");
}
