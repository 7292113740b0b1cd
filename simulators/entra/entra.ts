import { z } from 'zod';
import { BaseSimulator, type SimulatorOptions } from '../core/base.ts';
import { SimulatedClock, elapse } from '../core/clock.ts';
import { ListResponseSchema, URN, patchOp, quote, resourceOf, type ScimResource } from '../core/scim.ts';
import { ScenarioAborted, StepFailed } from '../core/session.ts';
import type { Exchange, Failure, IdpName, ProvisioningLog, Scenario, Step } from '../core/types.ts';
import { person, type DirectoryGroup, type Person } from '../directory/directory.ts';
import { ENTRA_RETRY_DEFAULTS, entraRetry, entraRetryShape } from '../transport/retry.ts';
import type { ScimResponse } from '../transport/transport.ts';
import { EntraEscrow, type QuarantineCause } from './escrow.ts';
import { provisioningLogOf } from './log.ts';
import { CYCLE_INTERVAL_MS, HARD_DELETE_AFTER_SOFT_DELETE_MS, QUARANTINED_CYCLE_INTERVAL_MS, QUARANTINE_DISABLES_JOB_AFTER_MS, nextSlot } from './schedule.ts';
import { formatIssues } from '../core/issues.ts';

/** `legacy` (no flag, default for non-gallery jobs), `compliant` (aadOptscim062020), `mixed` (the tutorial's "Replace" + boolean). */
export type EntraMode = 'legacy' | 'compliant' | 'mixed';
export const ENTRA_MODES: readonly EntraMode[] = ['legacy', 'compliant', 'mixed'];

/** Every Entra option and how the edges (CLI `--option`, library callers) check it; the options type derives from it. */
const entraOptionsShape = {
  ...entraRetryShape,
  /** The matching attribute ("Match objects using this attribute"). */
  matchOn: z.enum(['userName', 'externalId', 'emails']),
  /** E6: `documented` array of {$ref,value}; `urn-string` bare id on the URN path; `post-string` plain string in POST. */
  managerShape: z.enum(['documented', 'urn-string', 'post-string']),
  /** E7 value: mode default, or the lower-case string a Switch() mapping produces. */
  activeValue: z.enum(['string', 'string-lower', 'boolean']).optional(),
  /** Append `?aadOptscim062020` to the Tenant URL; defaults to on in `compliant` mode. */
  flagInUrl: z.boolean().optional(),
  /** Query `id eq … and manager eq …` before updating a manager (ENTRA-TUT Example 4). */
  checkManagerFirst: z.boolean(),
  /** Unconfirmed report (PostHog #47336): member changes as `Replace members` with a partial list. */
  partialMemberReplace: z.boolean(),
  userAgent: z.string().min(1).max(200),
  /** The random GUID of Test Connection; seeded when absent. */
  testConnectionGuid: z.string().min(1).max(100).optional(),
  /** Some gallery apps read `/Schemas` when the provisioning config is saved (ENTRA-TUT). */
  schemaDiscovery: z.boolean(),
  /**
   * Whether the admin mapped the manager attribute: Entra sends manager updates only for a mapping the app's schema
   * has (an admin removes the mapping for an app without the enterprise extension's manager).
   */
  mapManager: z.boolean(),
  /**
   * How the query string is encoded: `form` (default) writes a space as '+', as Entra's own logs show
   * (`Users?filter=PLACEHOLDER+eq+"..."`); `percent` writes %20.
   */
  queryEncoding: z.enum(['form', 'percent']),
  concurrency: z.number().int().min(1).max(256),
};
export type EntraOptions = z.infer<z.ZodObject<typeof entraOptionsShape>>;

/** Checks options given at the edges: every key optional, unknown keys refused. */
export const EntraOptionsSchema = z.strictObject(entraOptionsShape).partial();

export const ENTRA_DEFAULTS: EntraOptions = {
  ...ENTRA_RETRY_DEFAULTS,
  matchOn: 'userName',
  managerShape: 'documented',
  checkManagerFirst: false,
  partialMemberReplace: false,
  schemaDiscovery: false,
  mapManager: true,
  queryEncoding: 'form',
  userAgent: 'Entra-style-simulator/1.0 (Azure AD SCIM compatible)',
  concurrency: 8,
};

/** The users and group the scenarios act on: the directory's first three users and first group. */
function castOf(entra: EntraSimulator): { u1: Person; u2: Person; u3: Person; g1: DirectoryGroup } {
  const [u1, u2, u3] = entra.directory.people;
  const g1 = entra.directory.groups[0];
  if (!u1 || !u2 || !u3 || !g1) throw new Error('the Entra scenarios need a directory of at least 3 users and 1 group');
  return { u1, u2, u3, g1 };
}

/** A scenario of cycles: the initial cycle, then one incremental cycle for each list of changes, in turn. */
function cycles(changes: (cast: ReturnType<typeof castOf>, entra: EntraSimulator) => EntraChange[][]) {
  return async (entra: EntraSimulator): Promise<void> => {
    const people = castOf(entra);
    await entra.initialCycle();
    for (const batch of changes(people, entra)) await entra.incrementalCycle(batch);
  };
}

/** Entra's scenarios: what `--help` lists and what each does. */
export const ENTRA_SCENARIOS: readonly Scenario<EntraSimulator>[] = [
  {
    name: 'connect',
    summary: 'Test Connection: a random user and group (filters on a random GUID), each expects an empty ListResponse',
    async run(entra) {
      await entra.testConnection();
      if (entra.options.schemaDiscovery) await entra.discoverSchema();
    },
  },
  {
    name: 'initial-cycle',
    summary: 'Initial cycle: match each user and group, create, then managers and group members',
    run: (entra) => entra.initialCycle(),
  },
  {
    name: 'update',
    summary: 'Initial cycle, then an incremental cycle updating a user (op casing and paths per mode)',
    run: cycles(({ u1 }, entra) => [[{ type: 'update', key: u1.key, changes: entra.sampleChange(u1) }]]),
  },
  {
    name: 'disable',
    summary: 'Initial cycle, then Disable (soft delete) and the restore of a user',
    run: cycles(({ u1 }) => [[{ type: 'disable', key: u1.key, why: 'soft-deleted' }], [{ type: 'restore', key: u1.key }]]),
  },
  {
    name: 'hard-delete',
    summary: 'Initial cycle, then Delete (hard delete) of a user',
    run: cycles(({ u1 }) => [[{ type: 'hard-delete', key: u1.key }]]),
  },
  {
    name: 'soft-delete-30-days',
    summary: 'Initial cycle, Disable (soft delete) of a user; 30 days later the next incremental cycle sends Delete (hard delete)',
    async run(entra) {
      const { u1 } = castOf(entra);
      await entra.initialCycle();
      await entra.incrementalCycle([{ type: 'disable', key: u1.key, why: 'soft-deleted' }]);
      // nothing changes for 30 days; the cycles of those days send nothing, then Entra hard-deletes the user
      await elapse(entra.clock, HARD_DELETE_AFTER_SOFT_DELETE_MS);
      await entra.incrementalCycle([]);
    },
  },
  {
    name: 'provision-on-demand',
    summary: 'Provision on demand of one user: created, updated after a change, disabled after unassignment; old request shapes in every mode',
    async run(entra) {
      // an admin tests the configuration on one user: created, then updated after a change in Entra, then
      // disabled once unassigned ("On-demand provisioning supports disabling users that have been unassigned")
      const { u1 } = castOf(entra);
      await entra.provisionOnDemand(u1.key);
      Object.assign(u1, entra.sampleChange(u1));
      await entra.provisionOnDemand(u1.key);
      entra.directory.assigned.delete(u1.key);
      u1.status = 'disabled';
      await entra.provisionOnDemand(u1.key);
    },
  },
  {
    name: 'rename',
    summary: 'Initial cycle, then a UPN change: Replace on path userName',
    run: cycles(({ u2 }) => [[{ type: 'rename', key: u2.key, userName: renamedUpn(u2.userName) }]]),
  },
  {
    name: 'groups',
    summary: "Initial cycle, then a group rename and member add/remove in the mode's shape, then group delete",
    run: cycles(({ u2, u3, g1 }) => [
      [{ type: 'group', key: g1.key, rename: `${g1.displayName}-2`, add: [u3.key], remove: [u2.key] }],
      [{ type: 'delete-group', key: g1.key }],
    ]),
  },
  {
    name: 'full-lifecycle',
    summary:
      'connect, initial cycle, updates, group changes, a UPN change, disable (soft delete, unassign), re-enable (restore, re-assign: matched again), hard delete',
    async run(entra) {
      await entra.testConnection();
      await cycles(({ u1, u2, u3, g1 }) => [
        [
          { type: 'update', key: u1.key, changes: entra.sampleChange(u1) },
          { type: 'group', key: g1.key, rename: `${g1.displayName}-2`, add: [u3.key], remove: [u2.key] },
          { type: 'rename', key: u2.key, userName: renamedUpn(u2.userName) },
        ],
        [
          { type: 'disable', key: u1.key, why: 'soft-deleted' },
          { type: 'disable', key: u2.key, why: 'unassigned' },
        ],
        // u1 is restored (soft delete undone: its stored id), u2 assigned again (matched again while disabled)
        [
          { type: 'restore', key: u1.key },
          { type: 'restore', key: u2.key },
        ],
        [
          { type: 'hard-delete', key: u1.key },
          { type: 'hard-delete', key: u3.key },
          { type: 'delete-group', key: g1.key },
        ],
      ])(entra);
    },
  },
];

/** A change Entra picked up since the watermark, processed by the next incremental cycle. */
export type EntraChange =
  | { type: 'update'; key: string; changes: Partial<Pick<Person, 'familyName' | 'email' | 'department'>> }
  | { type: 'disable'; key: string; why: 'unassigned' | 'soft-deleted' }
  | { type: 'restore'; key: string }
  | { type: 'hard-delete'; key: string }
  | { type: 'rename'; key: string; userName: string }
  | { type: 'group'; key: string; rename?: string; add?: string[]; remove?: string[] }
  | { type: 'delete-group'; key: string };

type Op = Record<string, unknown>;

/** Entra-style provisioning job (docs/idp-patterns.md §3): cycles, matching queries, mode-dependent PATCH shapes, escrow. */
export class EntraSimulator extends BaseSimulator<EntraMode> {
  readonly idp = 'entra' as const;
  readonly scenarios = ENTRA_SCENARIOS;
  readonly options: EntraOptions;
  readonly escrow = new EntraEscrow();
  watermark: number | undefined;
  /** The cycle running or last run (Graph's provisioning-log `cycleId`), and when it started on the job's clock. */
  cycleId: string | undefined;
  lastCycleAt: number | undefined;
  private cycles = 0;
  /** Soft-deleted users still managed, and when: each is hard-deleted 30 days later (ENTRA-HOW). */
  readonly softDeletedAt = new Map<string, number>();
  /** "If the provisioning job stays in quarantine for more than four weeks, the provisioning job is disabled" (ENTRA-Q). */
  jobDisabled = false;
  private readonly retries = new Map<string, () => Promise<Step>>();

  constructor(opts: SimulatorOptions<EntraMode, EntraOptions>) {
    const mode = opts.mode ?? 'legacy';
    const o = { ...ENTRA_DEFAULTS, ...opts.options };
    const flag = o.flagInUrl ?? mode === 'compliant';
    super(
      mode,
      {
        ...opts,
        // the job's days pass without real waiting unless a clock is given (a Retry-After is still really waited)
        clock: opts.clock ?? new SimulatedClock(),
        target: { ...opts.target, scimUrl: flag ? withFlag(opts.target.scimUrl) : opts.target.scimUrl },
      },
      {
        headers: { 'user-agent': o.userAgent },
        contentType: 'application/scim+json; charset=utf-8',
        queryEncoding: o.queryEncoding,
        timeoutMs: 60_000,
        retry: entraRetry(o),
      },
      { users: 3, groups: 1 },
    );
    this.options = o;
  }

  protected idpName(): IdpName {
    return 'entra';
  }

  /** Entra's provisioning logs: the object goes to escrow and is retried on a later cycle. */
  protected word(f: Failure, action: string): string {
    const code =
      f.kind === 'unauthorized'
        ? 'SystemForCrossDomainIdentityManagementCredentialValidationUnavailable'
        : f.kind === 'conflict'
          ? 'SystemForCrossDomainIdentityManagementServiceConflict'
          : f.kind === 'rate_limited'
            ? 'SystemForCrossDomainIdentityManagementThrottled'
            : f.kind === 'timeout' || f.kind === 'network'
              ? 'SystemForCrossDomainIdentityManagementServiceUnavailable'
              : 'SystemForCrossDomainIdentityManagementBadResponse';
    return `${action} failed (${code}): ${f.message}`;
  }

  /** The change the scenarios make: a new family name and work email, and a department move. */
  sampleChange(p: Person): { familyName: string; email: string; department: string } {
    return { familyName: `${p.familyName}-Moreau`, email: `${p.mailNickname}.moreau@${this.directory.domain}`, department: 'Legal Operations' };
  }

  // ---- Test Connection ----

  /**
   * Test Connection: "queries the SCIM endpoint for a user that doesn't exist, using a random GUID as the matching
   * property", and "makes requests to fetch a random user and group" (ENTRA-TUT). The group is looked up as groups are
   * matched, by displayName without members [INF: the page does not show that request]; only with group provisioning.
   */
  testConnection(): Promise<Step> {
    const guid = this.testGuid();
    return this.session.step('Test Connection', async () => {
      await this.expectNoMatch('/Users', [['filter', `${this.matchAttribute()} eq ${quote(guid)}`]], 'Test Connection', 'users');
      if (this.directory.groups.length > 0) {
        await this.expectNoMatch(
          '/Groups',
          [
            ['excludedAttributes', 'members'],
            ['filter', `displayName eq ${quote(guid)}`],
          ],
          'Test Connection',
          'groups',
        );
      }
      return { ok: true, message: 'The supplied credentials are authorized to enable provisioning', observed: { totalResults: 0 } };
    });
  }

  private testGuid(): string {
    return this.options.testConnectionGuid ?? this.directory.faker.string.uuid();
  }

  /** A query on a random GUID: 200 with an empty ListResponse, or the step fails in `action`'s words. */
  private async expectNoMatch(path: string, query: Array<[string, string]>, action: string, what: string): Promise<void> {
    const res = await this.request({ method: 'GET', path, query });
    if (res.status !== 200) this.fail(res, action);
    const list = ListResponseSchema.safeParse(res.body);
    if (!list.success) throw new StepFailed(`${action} failed: the response is not a ListResponse (${formatIssues(list.error, { root: '(root)' })})`);
    if (list.data.totalResults !== 0) throw new StepFailed(`${action} failed: a filter on a random GUID matched ${list.data.totalResults} ${what}`);
  }

  /** Schema discovery: attributes found are added to the mapping list and never removed. */
  discoverSchema(): Promise<Step> {
    return this.session.step('Schema discovery', async () => {
      const res = await this.request({ method: 'GET', path: '/Schemas' });
      if (res.status !== 200) this.fail(res, 'Schema discovery');
      const list = this.list(res, 'Schema discovery');
      return { ok: true, message: `Discovered ${list.Resources?.length ?? 0} schemas`, observed: { schemas: (list.Resources ?? []).map((r) => r.id) } };
    });
  }

  // ---- cycles ----

  /** Initial cycle: every assigned user and group is matched and created, then references are resolved. */
  async initialCycle(): Promise<void> {
    const work: Array<() => Promise<unknown>> = [];
    for (const p of this.directory.people.filter((x) => this.directory.assigned.has(x.key) && x.status !== 'deleted'))
      work.push(() => this.provisionUser(p.key));
    for (const g of this.directory.groups) work.push(() => this.provisionGroup(g.key));
    if (this.options.mapManager && this.options.managerShape !== 'post-string') {
      // a manager that is not provisioned yet cannot be referenced; Entra resolves it on a later cycle
      for (const p of this.directory.people) {
        work.push(async () => (p.managerKey && this.userIds.has(p.key) && this.userIds.has(p.managerKey) ? this.updateManager(p.key) : undefined));
      }
    }
    for (const g of this.directory.groups) {
      work.push(async () => {
        const members = g.memberKeys.filter((k) => this.userIds.has(k));
        return members.length > 0 && this.groupIds.has(g.key) ? this.addMembers(g.key, members) : undefined;
      });
    }
    if (await this.cycle(work)) this.watermark = this.clock.now();
  }

  /**
   * Incremental cycle: escrowed retries that are due, the hard deletes of users soft-deleted 30 days ago, then the
   * changes since the watermark.
   */
  async incrementalCycle(changes: EntraChange[]): Promise<void> {
    const work: Array<() => Promise<unknown>> = [() => this.hardDeleteExpired()];
    for (const c of changes) {
      work.push(() => {
        switch (c.type) {
          case 'update':
            Object.assign(person(this.directory, c.key), c.changes);
            return this.updateUser(c.key, c.changes);
          case 'disable':
            return this.disable(c.key, c.why);
          case 'restore':
            return this.enable(c.key);
          case 'hard-delete':
            return this.hardDelete(c.key);
          case 'rename':
            return this.renameUser(c.key, c.userName);
          case 'group':
            return this.updateGroup(c.key, c);
          case 'delete-group':
            return this.deleteGroup(c.key);
        }
      });
    }
    if (await this.cycle(work)) this.watermark = this.clock.now();
  }

  /**
   * Runs one cycle on the job's clock: it starts on the next 40-minute slot after the last cycle (once a day in
   * quarantine), retries the escrowed objects that are due, then does its work in order. A quarantined job does
   * nothing more (one Quarantine step says why) unless a retry succeeds, which lifts the quarantine.
   */
  private async cycle(work: Array<() => Promise<unknown>>): Promise<boolean> {
    await this.startCycle();
    const q = this.escrow.quarantine;
    if (q && this.clock.now() - q.since > QUARANTINE_DISABLES_JOB_AFTER_MS) this.jobDisabled = true;
    if (this.jobDisabled) return this.stopQuarantined();
    await this.retryEscrow();
    for (const w of work) {
      if (this.escrow.quarantine) return this.stopQuarantined();
      await w();
    }
    if (this.escrow.quarantine) return this.stopQuarantined();
    return true;
  }

  /** Waits on the job's clock for the next cycle slot, then opens the cycle (its id goes on every log entry). */
  private async startCycle(): Promise<void> {
    if (this.lastCycleAt !== undefined) {
      const interval = this.escrow.quarantine ? QUARANTINED_CYCLE_INTERVAL_MS : CYCLE_INTERVAL_MS;
      await elapse(this.clock, nextSlot(this.lastCycleAt, interval, this.clock.now()) - this.clock.now());
    }
    this.lastCycleAt = this.clock.now();
    this.cycles++;
    this.cycleId = `cycle-${this.cycles}`;
  }

  private async stopQuarantined(): Promise<false> {
    const step = await this.quarantinedStep();
    if (this.session.abortOnFailure) throw new ScenarioAborted(step);
    return false;
  }

  /** Users soft-deleted 30 days ago or more are hard-deleted by Entra: DELETE on this cycle. */
  private async hardDeleteExpired(): Promise<void> {
    for (const [key, at] of [...this.softDeletedAt]) {
      if (this.clock.now() - at >= HARD_DELETE_AFTER_SOFT_DELETE_MS && this.userIds.has(key)) await this.hardDelete(key);
    }
  }

  // ---- user actions ----

  /** Match by the matching attribute, then Create (E1) or Update; the target id is cached either way. */
  provisionUser(key: string): Promise<Step> {
    const p = person(this.directory, key);
    return this.objectStep(key, 'Create', false, async () => {
      const found = await this.matchUser(p);
      if (found) {
        this.userIds.set(key, found);
        return { ok: true, message: `Matched ${p.userName} to the existing target user ${found}`, observed: { userId: found, matched: true } };
      }
      const r = await this.createUser(key, p);
      this.lastSeen.set(key, r);
      return { ok: true, message: `Created ${p.userName}`, observed: { userId: r.id, created: true } };
    });
  }

  updateUser(key: string, changes: Partial<Pick<Person, 'familyName' | 'email' | 'department'>>): Promise<Step> {
    const p = person(this.directory, key);
    return this.objectStep(key, 'Update', false, async () => {
      const id = await this.resolveUser(key, p);
      const res = await this.request({ method: 'PATCH', path: `/Users/${id}`, body: patchOp(this.updateOps(p, changes)) });
      if (res.status !== 200 && res.status !== 204) this.fail(res, `Update ${p.userName}`);
      this.remember(key, res.body);
      return { ok: true, message: `Updated ${p.userName}`, observed: { userId: id, status: res.status } };
    });
  }

  /** Reference attribute: the manager, in the shape the options pick (E6). */
  updateManager(key: string): Promise<Step> {
    const p = person(this.directory, key);
    return this.objectStep(`${key}#manager`, 'Update', true, async () => {
      const id = this.userId(key);
      const managerId = this.userId(p.managerKey ?? '');
      if (this.options.checkManagerFirst) {
        const check = await this.request({
          method: 'GET',
          path: '/Users',
          query: [
            ['attributes', 'id'],
            ['filter', `id eq ${quote(id)} and manager eq ${quote(managerId)}`],
          ],
        });
        if (check.status !== 200) this.fail(check, `Update manager of ${p.userName}`);
        const list = ListResponseSchema.safeParse(check.body);
        if (list.success && list.data.totalResults > 0)
          return { ok: true, message: `Manager of ${p.userName} already set`, observed: { userId: id, managerId } };
      }
      const op =
        this.options.managerShape === 'urn-string'
          ? { op: this.verb('add'), path: `${URN.enterprise}:manager`, value: managerId }
          : { op: this.verb('add'), path: 'manager', value: [{ $ref: this.transport.url(`/Users/${managerId}`).split('?')[0], value: managerId }] };
      const res = await this.request({ method: 'PATCH', path: `/Users/${id}`, body: patchOp([op]) });
      if (res.status !== 200 && res.status !== 204) this.fail(res, `Update manager of ${p.userName}`);
      return { ok: true, message: `Set the manager of ${p.userName}`, observed: { userId: id, managerId } };
    });
  }

  /** Disable = "soft delete": PATCH active in the mode's shape (E7). Sent once on unassignment. */
  disable(key: string, why: 'unassigned' | 'soft-deleted'): Promise<Step> {
    const p = person(this.directory, key);
    p.status = 'disabled';
    if (why === 'unassigned') this.directory.assigned.delete(key);
    // a soft-deleted user is hard-deleted 30 days later; an unassigned one is no longer managed (ENTRA-HOW)
    if (why === 'soft-deleted') {
      if (!this.softDeletedAt.has(key)) this.softDeletedAt.set(key, this.clock.now());
    } else this.softDeletedAt.delete(key);
    return this.objectStep(key, 'Disable', false, async () => {
      const id = await this.resolveUser(key, p);
      const res = await this.request({ method: 'PATCH', path: `/Users/${id}`, body: patchOp([this.activeOp(false)]) });
      if (res.status !== 200 && res.status !== 204) this.fail(res, `Disable ${p.userName}`);
      const r = this.remember(key, res.body);
      return { ok: true, message: `Disabled ${p.userName} (soft delete: ${why})`, observed: { userId: id, active: r?.active, status: res.status } };
    });
  }

  /**
   * Re-enable, recorded as an Update in the provisioning logs. A user assigned again is matched again by the matching
   * attribute (ENTRA-HOW: "When a user is assigned or in scope for provisioning, the service queries the target system
   * for a matching user"), so that query must find the disabled user; a restored soft-deleted user, still assigned,
   * is updated through the target id Entra stored.
   */
  enable(key: string): Promise<Step> {
    const p = person(this.directory, key);
    p.status = 'active';
    this.softDeletedAt.delete(key);
    const reassigned = !this.directory.assigned.has(key);
    this.directory.assigned.add(key);
    return this.objectStep(
      key,
      'Update',
      false,
      async () => {
        const id = reassigned ? await this.matchBackInScope(key, p) : await this.resolveUser(key, p);
        const res = await this.request({ method: 'PATCH', path: `/Users/${id}`, body: patchOp([this.activeOp(true)]) });
        if (res.status !== 200 && res.status !== 204) this.fail(res, `Enable ${p.userName}`);
        const r = this.remember(key, res.body);
        return { ok: true, message: `Re-enabled ${p.userName}`, observed: { userId: id, active: r?.active, status: res.status } };
      },
      () => this.enable(key),
    );
  }

  /** Hard delete (permanently deleted in Entra): DELETE; a 404 means it is already gone. */
  hardDelete(key: string): Promise<Step> {
    const p = person(this.directory, key);
    p.status = 'deleted';
    this.softDeletedAt.delete(key);
    return this.objectStep(key, 'Delete', false, async () => {
      const id = this.userId(key);
      const res = await this.request({ method: 'DELETE', path: `/Users/${id}` });
      if (res.status !== 204 && res.status !== 200 && res.status !== 404) this.fail(res, `Delete ${p.userName}`);
      this.userIds.delete(key);
      return { ok: true, message: `Deleted ${p.userName} (hard delete)`, observed: { userId: id, status: res.status } };
    });
  }

  /** A UPN change (the tutorial's single-valued update): Replace on path userName of the cached user. */
  renameUser(key: string, userName: string): Promise<Step> {
    const p = person(this.directory, key);
    const from = p.userName;
    return this.objectStep(
      key,
      'Update',
      false,
      async () => {
        const id = await this.resolveUser(key, p);
        const res = await this.request({
          method: 'PATCH',
          path: `/Users/${id}`,
          body: patchOp([{ op: this.verb('replace'), path: 'userName', value: userName }]),
        });
        if (res.status !== 200 && res.status !== 204) this.fail(res, `Update ${from}`);
        p.userName = userName;
        this.remember(key, res.body);
        return { ok: true, message: `Renamed ${from} to ${userName}`, observed: { userId: id, userName, status: res.status } };
      },
      () => this.renameUser(key, userName),
    );
  }

  // ---- Provision on demand ----

  /**
   * Provision on demand (ENTRA-POD, "On-demand provisioning in Microsoft Entra ID"): one user, at once, outside the
   * cycles. Its steps are the page's: Test connection ("a request for a 'test user'"; ENTRA-ECMA: a get-user call
   * for a dummy user "before performing on-demand provisioning"), Import user, Determine if user is in scope, Match
   * user between source and target, Perform action ("creating, updating, deleting, or skipping the user"); the log
   * records them as import, scoping, matching, processing, export. The aadOptscim062020 flag "currently doesn't work
   * with on-demand provisioning" (ENTRA-COMPAT), so the request shapes are the ones without the flag in every mode,
   * even with the flag on the Tenant URL: `"Add"`/`"Replace"` one op per path, `"False"`/`"True"`. A matched user
   * gets the attributes the target does not hold yet (Add) or holds otherwise (Replace); an unassigned user that
   * the target holds is disabled ("On-demand provisioning supports disabling users that have been unassigned").
   * Nothing is escrowed: the admin sees the outcome at once.
   */
  provisionOnDemand(key: string): Promise<Step> {
    const p = person(this.directory, key);
    const at = this.clock.now();
    const inScope = this.directory.assigned.has(key) && p.status !== 'deleted';
    let probe: Exchange | undefined;
    return this.session
      .step('Provision on demand', async () => {
        const mark = this.transport.mark();
        await this.expectNoMatch('/Users', [['filter', `${this.matchAttribute()} eq ${quote(this.testGuid())}`]], 'Test connection', 'users');
        probe = this.transport.since(mark)[0];
        const res = await this.request({ method: 'GET', path: '/Users', query: [['filter', `${this.matchAttribute()} eq ${quote(this.matchValue(p))}`]] });
        if (res.status !== 200) this.fail(res, `Match user ${p.userName}`);
        const match = this.list(res, `Match user ${p.userName}`).Resources?.[0] as Record<string, unknown> | undefined;
        const id = typeof match?.id === 'string' ? match.id : undefined;
        if (!id) {
          if (!inScope) return { ok: true, message: `Skipped ${p.userName}: out of scope and not in the target`, observed: { skipped: true } };
          const r = await this.createUser(key, p);
          this.lastSeen.set(key, r);
          return { ok: true, message: `Created ${p.userName} on demand`, observed: { userId: r.id, created: true } };
        }
        this.userIds.set(key, id);
        const ops = inScope ? this.onDemandOps(p, match ?? {}) : isActive(match?.active) ? [this.activeOp(false, 'legacy')] : [];
        if (ops.length === 0)
          return { ok: true, message: `Skipped ${p.userName}: the target user ${id} needs no change`, observed: { userId: id, skipped: true } };
        const res2 = await this.request({ method: 'PATCH', path: `/Users/${id}`, body: patchOp(ops) });
        if (res2.status !== 200 && res2.status !== 204) this.fail(res2, `${inScope ? 'Update' : 'Disable'} ${p.userName}`);
        this.remember(key, res2.body);
        return {
          ok: true,
          message: inScope ? `Updated ${p.userName} on demand` : `Disabled ${p.userName} on demand (unassigned)`,
          observed: { userId: id, status: res2.status, attributes: ops.map((o) => o.path) },
        };
      })
      .then((step) => {
        const log = provisioningLogOf(
          { ...step, exchanges: step.exchanges.filter((e) => e !== probe) },
          { kind: 'User', display: p.userName, reference: false, inScope },
        );
        step.log = { ...log, activityDateTime: new Date(at).toISOString() };
        return step;
      });
  }

  /**
   * The mapped attributes of `p` the target user lacks (`"Add"`) or holds otherwise (`"Replace"`), one op per path, in
   * the shapes without the aadOptscim062020 flag (ENTRA-COMPAT: `{"op":"Add","path":"nickName","value":"Babs"}`, and
   * for many attributes "one op per path").
   */
  onDemandOps(p: Person, target: Record<string, unknown>): Op[] {
    const name = (target.name ?? {}) as Record<string, unknown>;
    const enterprise = (target[URN.enterprise] ?? {}) as Record<string, unknown>;
    const emails = Array.isArray(target.emails) ? (target.emails as Array<Record<string, unknown>>) : [];
    const attrs: Array<[string, unknown, unknown]> = [
      ['externalId', p.mailNickname, target.externalId],
      ['emails[type eq "work"].value', p.email, emails.find((e) => e.type === 'work')?.value],
      ['name.givenName', p.givenName, name.givenName],
      ['name.familyName', p.familyName, name.familyName],
      ['name.formatted', `${p.givenName} ${p.familyName}`, name.formatted],
      [`${URN.enterprise}:department`, p.department, enterprise.department],
      [`${URN.enterprise}:employeeNumber`, p.employeeNumber, enterprise.employeeNumber],
    ];
    const ops: Op[] = attrs
      .filter(([, want, has]) => has === undefined || has === null || String(has) !== String(want))
      .map(([path, want, has]) => ({ op: this.verb(has === undefined || has === null ? 'add' : 'replace', 'legacy'), path, value: want }));
    if (p.status === 'active' && !isActive(target.active)) ops.push(this.activeOp(true, 'legacy'));
    return ops;
  }

  // ---- group actions ----

  provisionGroup(key: string): Promise<Step> {
    const g = this.group(key);
    return this.objectStep(key, 'Create', false, async () => {
      const found = await this.request({
        method: 'GET',
        path: '/Groups',
        query: [
          ['excludedAttributes', 'members'],
          ['filter', `displayName eq ${quote(g.displayName)}`],
        ],
      });
      if (found.status !== 200) this.fail(found, `Match group ${g.displayName}`);
      const list = this.list(found, `Match group ${g.displayName}`);
      const match = list.Resources?.[0];
      if (match) {
        this.groupIds.set(key, match.id);
        return { ok: true, message: `Matched group ${g.displayName}`, observed: { groupId: match.id, matched: true } };
      }
      const res = await this.request({
        method: 'POST',
        path: '/Groups',
        body: { schemas: [URN.group, URN.entraGroup], externalId: g.idpId, displayName: g.displayName, meta: { resourceType: 'Group' } },
      });
      if (res.status !== 201 && res.status !== 200) this.fail(res, `Create group ${g.displayName}`);
      const r = resourceOf(res.body);
      if (!r) throw new StepFailed(`Create group ${g.displayName} failed: the response has no id`);
      this.groupIds.set(key, r.id);
      return { ok: true, message: `Created group ${g.displayName}`, observed: { groupId: r.id, created: true } };
    });
  }

  addMembers(groupKey: string, memberKeys: string[]): Promise<Step> {
    const g = this.group(groupKey);
    return this.objectStep(`${groupKey}#members`, 'Update', true, async () => {
      const ids = memberKeys.map((k) => this.userId(k));
      await this.groupPatch(groupKey, [{ op: this.verb('add'), path: 'members', value: ids.map((value) => ({ $ref: null, value })) }]);
      return { ok: true, message: `Added ${ids.length} members to ${g.displayName}`, observed: { added: ids } };
    });
  }

  /** Group update: read without members, then rename (E9), add (E10) and remove (E11) in the mode's shapes. */
  updateGroup(groupKey: string, change: { rename?: string; add?: string[]; remove?: string[] }): Promise<Step> {
    const g = this.group(groupKey);
    return this.objectStep(groupKey, 'Update', false, async () => {
      const id = this.groupId(groupKey);
      const got = await this.request({ method: 'GET', path: `/Groups/${id}`, query: [['excludedAttributes', 'members']] });
      if (got.status !== 200) this.fail(got, `Update group ${g.displayName}`);
      if (change.rename) {
        g.displayName = change.rename;
        const op =
          this.mode === 'compliant'
            ? { op: 'replace', value: { displayName: change.rename } }
            : { op: this.verb('replace'), path: 'displayName', value: change.rename };
        await this.groupPatch(groupKey, [op]);
      }
      const add = (change.add ?? []).filter((k) => this.userIds.has(k));
      const remove = (change.remove ?? []).filter((k) => this.userIds.has(k));
      g.memberKeys = [...g.memberKeys.filter((k) => !remove.includes(k)), ...add.filter((k) => !g.memberKeys.includes(k))];
      if (this.options.partialMemberReplace && (add.length || remove.length)) {
        await this.groupPatch(groupKey, [{ op: this.verb('replace'), path: 'members', value: add.map((k) => ({ value: this.userId(k) })) }]);
      } else {
        if (add.length)
          await this.groupPatch(groupKey, [{ op: this.verb('add'), path: 'members', value: add.map((k) => ({ $ref: null, value: this.userId(k) })) }]);
        if (remove.length) await this.groupPatch(groupKey, this.removeMemberOps(remove.map((k) => this.userId(k))));
      }
      return {
        ok: true,
        message: `Updated group ${g.displayName}: +${add.length} -${remove.length}`,
        observed: { groupId: id, added: add.length, removed: remove.length },
      };
    });
  }

  deleteGroup(groupKey: string): Promise<Step> {
    const g = this.group(groupKey);
    return this.objectStep(groupKey, 'Delete', false, async () => {
      const id = this.groupId(groupKey);
      const res = await this.request({ method: 'DELETE', path: `/Groups/${id}` });
      if (res.status !== 204 && res.status !== 200 && res.status !== 404) this.fail(res, `Delete group ${g.displayName}`);
      this.groupIds.delete(groupKey);
      return { ok: true, message: `Deleted group ${g.displayName}`, observed: { groupId: id, status: res.status } };
    });
  }

  // ---- bodies and mode-dependent shapes ----

  /** E1: core + enterprise schemas, client `meta`, empty `roles`; manager only in the `post-string` shape. */
  createBody(p: Person): Record<string, unknown> {
    const enterprise: Record<string, unknown> = { department: p.department, employeeNumber: p.employeeNumber };
    const managerId = p.managerKey ? this.userIds.get(p.managerKey) : undefined;
    if (this.options.mapManager && this.options.managerShape === 'post-string' && managerId) enterprise.manager = managerId;
    return {
      schemas: [URN.user, URN.enterprise],
      externalId: p.mailNickname,
      userName: p.userName,
      active: true,
      emails: [{ primary: true, type: 'work', value: p.email }],
      meta: { resourceType: 'User' },
      name: { formatted: `${p.givenName} ${p.familyName}`, familyName: p.familyName, givenName: p.givenName },
      roles: [],
      [URN.enterprise]: enterprise,
    };
  }

  /** E3/E4 (one op per attribute with a path) or, in compliant mode, the emails path op plus one no-path op with dotted keys (E5). */
  updateOps(p: Person, changes: Partial<Pick<Person, 'familyName' | 'email' | 'department'>>): Op[] {
    const attrs: Array<[string, unknown]> = [];
    if (changes.familyName !== undefined) attrs.push(['name.familyName', p.familyName], ['name.formatted', `${p.givenName} ${p.familyName}`]);
    if (changes.department !== undefined) attrs.push([`${URN.enterprise}:department`, p.department]);
    const emailOp = changes.email !== undefined ? [{ op: this.verb('replace'), path: 'emails[type eq "work"].value', value: p.email }] : [];
    if (this.mode === 'compliant') return [...emailOp, ...(attrs.length ? [{ op: 'replace', value: Object.fromEntries(attrs) }] : [])];
    return [...emailOp, ...attrs.map(([path, value]) => ({ op: this.verb('replace'), path, value }))];
  }

  /** E7 per mode: legacy `"Replace"` + `"False"`, compliant `"replace"` + false, mixed `"Replace"` + false. */
  activeOp(active: boolean, mode: EntraMode = this.mode): Op {
    const kind = this.options.activeValue ?? (mode === 'legacy' ? 'string' : 'boolean');
    const value = kind === 'boolean' ? active : kind === 'string-lower' ? String(active) : active ? 'True' : 'False';
    return { op: this.verb('replace', mode), path: 'active', value };
  }

  /** E11: legacy and mixed send a value list on `members`; compliant a value-filter path per member. */
  removeMemberOps(ids: string[]): Op[] {
    if (this.mode === 'compliant') return ids.map((id) => ({ op: 'remove', path: `members[value eq ${quote(id)}]` }));
    return [{ op: 'Remove', path: 'members', value: ids.map((value) => ({ value })) }];
  }

  /** Legacy and mixed capitalise ops ("Add", "Replace", "Remove"); compliant sends them lower-case. */
  verb(op: 'add' | 'replace' | 'remove', mode: EntraMode = this.mode): string {
    return mode === 'compliant' ? op : `${op[0]?.toUpperCase()}${op.slice(1)}`;
  }

  // ---- plumbing ----

  /** Runs one object operation; a failure escrows the object instead of ending the cycle (quarantine ends it). */
  private async objectStep(
    objectKey: string,
    name: string,
    reference: boolean,
    fn: () => Promise<{ ok: boolean; message: string; observed?: Record<string, unknown> }>,
    retry?: () => Promise<Step>,
  ): Promise<Step> {
    this.escrow.countEvent(reference);
    const at = this.clock.now();
    const step = await this.session.step(name, fn, { continueOnFailure: true });
    step.log = { ...this.provisioningLog(objectKey, step), ...(this.cycleId ? { cycleId: this.cycleId } : {}), activityDateTime: new Date(at).toISOString() };
    if (step.ok) {
      this.escrow.resolve(objectKey);
      this.retries.delete(objectKey);
      return step;
    }
    const last = step.exchanges.at(-1);
    const failure: Failure = {
      kind: (step.observed.failure as Failure['kind'] | undefined) ?? 'unexpected_response',
      message: step.message,
      ...(last?.response ? { status: last.response.status } : {}),
    };
    const cause: QuarantineCause | undefined = failure.kind === 'unauthorized' ? 'credentials' : notFoundForQuery(last) ? 'scim-compliance' : undefined;
    const entry = this.escrow.record(objectKey, name, failure, this.clock.now(), {
      reference,
      nextCycle: failure.kind === 'rate_limited',
      ...(cause ? { cause } : {}),
    });
    if (this.escrow.entries.has(objectKey)) this.retries.set(objectKey, retry ?? (() => this.retryObject(objectKey, name)));
    else this.retries.delete(objectKey);
    step.observed = {
      ...step.observed,
      escrowed: this.escrow.entries.has(objectKey),
      attempts: entry.attempts,
      ...(Number.isFinite(entry.nextRetryAt) ? { nextRetryAt: new Date(entry.nextRetryAt).toISOString() } : { escrowRemoved: true }),
    };
    return step;
  }

  /** The job stopped by quarantine, as Graph's synchronizationQuarantine reports it (reason, seriesBegan, nextAttempt). */
  private async quarantinedStep(): Promise<Step> {
    const q = this.escrow.quarantine;
    const nextAttempt = (this.lastCycleAt ?? this.clock.now()) + QUARANTINED_CYCLE_INTERVAL_MS;
    const observed = {
      reason: q?.reason,
      detail: q?.detail,
      ...(q ? { seriesBegan: new Date(q.since).toISOString() } : {}),
      ...(this.cycleId ? { cycleId: this.cycleId } : {}),
      ...(this.jobDisabled ? { jobDisabled: true } : { nextAttempt: new Date(nextAttempt).toISOString() }),
    };
    const message = this.jobDisabled
      ? `Provisioning job disabled (stops running): in quarantine for more than four weeks (${q?.reason}: ${q?.detail})`
      : `Provisioning job quarantined (${q?.reason}: ${q?.detail}); cycles slow to once a day`;
    return this.session.step('Quarantine', async () => ({ ok: false, message, observed }), { continueOnFailure: true });
  }

  /**
   * The escrowed objects due for a retry. In quarantine a successful retry lifts it ("If any of the retries above gets
   * a successful response, the job is automatically put out of quarantine", ENTRA-Q); out of quarantine the retries
   * stop when one of them quarantines the job.
   */
  private async retryEscrow(): Promise<void> {
    const quarantinedBefore = this.escrow.quarantine !== undefined;
    for (const entry of this.escrow.due(this.clock.now())) {
      if (!quarantinedBefore && this.escrow.quarantine) return;
      const step = await this.retries.get(entry.objectKey)?.();
      if (step?.ok && this.escrow.quarantine) this.escrow.lift();
    }
  }

  private retryObject(objectKey: string, name: string): Promise<Step> {
    const [key = '', ref] = objectKey.split('#');
    if (ref === 'manager') return this.updateManager(key);
    if (ref === 'members') return this.addMembers(key, this.group(key).memberKeys);
    if (this.directory.groups.some((g) => g.key === key)) return name === 'Delete' ? this.deleteGroup(key) : this.provisionGroup(key);
    const p = person(this.directory, key);
    if (name === 'Create' && !this.userIds.has(key)) return this.provisionUser(key);
    if (name === 'Delete') return this.hardDelete(key);
    if (name === 'Disable') return this.disable(key, this.directory.assigned.has(key) ? 'soft-deleted' : 'unassigned');
    return this.updateUser(key, { familyName: p.familyName, email: p.email, department: p.department });
  }

  private matchAttribute(): string {
    return this.options.matchOn === 'emails' ? 'emails[type eq "work"].value' : this.options.matchOn;
  }

  private matchValue(p: Person): string {
    return this.options.matchOn === 'externalId' ? p.mailNickname : this.options.matchOn === 'emails' ? p.email : p.userName;
  }

  private async matchUser(p: Person): Promise<string | undefined> {
    const res = await this.request({ method: 'GET', path: '/Users', query: [['filter', `${this.matchAttribute()} eq ${quote(this.matchValue(p))}`]] });
    if (res.status !== 200) this.fail(res, `Match ${p.userName}`);
    return this.list(res, `Match ${p.userName}`).Resources?.[0]?.id;
  }

  /** Reads the cached id; a 404 means the link broke, so the user is matched again and created when absent [INF]. */
  private async resolveUser(key: string, p: Person): Promise<string> {
    const cached = this.userIds.get(key);
    if (cached) {
      const got = await this.request({ method: 'GET', path: `/Users/${cached}` });
      if (got.status === 200) return cached;
      if (got.status !== 404) this.fail(got, `Read ${p.userName}`);
    }
    return this.matchBackInScope(key, p);
  }

  // ---- matching a user back in scope, and the provisioning log (kept apart from the mapping code above) ----

  /** A user back in scope is matched by the matching attribute; not found, Entra creates it (a 409 then escrows it). */
  private async matchBackInScope(key: string, p: Person): Promise<string> {
    const found = await this.matchUser(p);
    if (found) {
      this.userIds.set(key, found);
      return found;
    }
    return (await this.createUser(key, p)).id;
  }

  /** POST /Users for this person; the target id is cached. */
  private async createUser(key: string, p: Person): Promise<ScimResource> {
    const res = await this.request({ method: 'POST', path: '/Users', body: this.createBody(p) });
    if (res.status !== 201 && res.status !== 200) this.fail(res, `Create ${p.userName}`);
    const r = resourceOf(res.body);
    if (!r) throw new StepFailed(`Create ${p.userName} failed: the response has no id`);
    this.userIds.set(key, r.id);
    return r;
  }

  /** The step as Entra's provisioning logs show it: the action and the import ... export steps (see log.ts). */
  private provisioningLog(objectKey: string, step: Step): ProvisioningLog {
    const [key = '', ref] = objectKey.split('#');
    const group = this.directory.groups.find((g) => g.key === key);
    const who = group ? group.displayName : person(this.directory, key).userName;
    return provisioningLogOf(step, {
      kind: group ? 'Group' : 'User',
      display: who,
      reference: ref !== undefined,
      inScope: group ? true : this.directory.assigned.has(key),
    });
  }

  private list(res: ScimResponse, action: string) {
    const list = ListResponseSchema.safeParse(res.body);
    if (!list.success)
      throw new StepFailed(`${action} failed (SystemForCrossDomainIdentityManagementServiceIncompatible): ${formatIssues(list.error, { root: '(root)' })}`);
    return list.data;
  }

  private group(key: string): DirectoryGroup {
    const g = this.directory.groups.find((x) => x.key === key);
    if (!g) throw new Error(`no group ${key} in the Entra directory`);
    return g;
  }

  private async groupPatch(groupKey: string, ops: Op[]): Promise<void> {
    const res = await this.request({ method: 'PATCH', path: `/Groups/${this.groupId(groupKey)}`, body: patchOp(ops) });
    if (res.status !== 204 && res.status !== 200) this.fail(res, `Update group ${this.group(groupKey).displayName}`);
  }
}

/** `active` as the target answered it: a boolean, or Entra's own string form. */
function isActive(v: unknown): boolean {
  return v === true || String(v).toLowerCase() === 'true';
}

/** A 404 on a query (GET /Users?filter=..., /Groups?filter=...), which must answer 200 even when nothing matches (ENTRA-TUT). */
function notFoundForQuery(e: Exchange | undefined): boolean {
  if (e?.response?.status !== 404 || e.request.method !== 'GET') return false;
  const url = new URL(e.request.url);
  return /\/(Users|Groups)$/.test(url.pathname) && url.searchParams.has('filter');
}

/** A UPN change that keeps the user's namespace: `ann@x.test` becomes `ann.renamed@x.test`. */
export function renamedUpn(userName: string): string {
  const at = userName.lastIndexOf('@');
  return at < 0 ? `${userName}.renamed` : `${userName.slice(0, at)}.renamed${userName.slice(at)}`;
}

/** The flag rides on the Tenant URL, so the server sees it on every request (ENTRA-COMPAT). */
function withFlag(url: string): string {
  if (/[?&]aadOptscim062020(=|&|$)/.test(url)) return url;
  return `${url}${url.includes('?') ? '&' : '?'}aadOptscim062020`;
}
