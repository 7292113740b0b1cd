import { z } from 'zod';
import { BaseSimulator, type OptionsSchemaOf, type SimulatorOptions } from '../core/base.ts';
import { ListResponseSchema, URN, describeZodError, patchOp, quote, resourceOf } from '../core/scim.ts';
import { ScenarioAborted, StepFailed } from '../core/session.ts';
import type { Failure, IdpName, ProvisioningLog, ScenarioInfo, Step } from '../core/types.ts';
import { person, type DirectoryGroup, type Person } from '../directory/directory.ts';
import { entraRetry, type EntraRetryOptions } from '../transport/retry.ts';
import type { ScimResponse } from '../transport/transport.ts';
import { EntraEscrow } from './escrow.ts';
import { provisioningLogOf } from './log.ts';

/** `legacy` (no flag, default for non-gallery jobs), `compliant` (aadOptscim062020), `mixed` (the tutorial's "Replace" + boolean). */
export type EntraMode = 'legacy' | 'compliant' | 'mixed';
export const ENTRA_MODES: readonly EntraMode[] = ['legacy', 'compliant', 'mixed'];

export interface EntraOptions extends EntraRetryOptions {
  /** The matching attribute ("Match objects using this attribute"). */
  matchOn: 'userName' | 'externalId' | 'emails';
  /** E6: `documented` array of {$ref,value}; `urn-string` bare id on the URN path; `post-string` plain string in POST. */
  managerShape: 'documented' | 'urn-string' | 'post-string';
  /** E7 value: mode default, or the lower-case string a Switch() mapping produces. */
  activeValue?: 'string' | 'string-lower' | 'boolean';
  /** Append `?aadOptscim062020` to the Tenant URL; defaults to on in `compliant` mode. */
  flagInUrl?: boolean;
  /** Query `id eq … and manager eq …` before updating a manager (ENTRA-TUT Example 4). */
  checkManagerFirst: boolean;
  /** Unconfirmed report (PostHog #47336): member changes as `Replace members` with a partial list. */
  partialMemberReplace: boolean;
  userAgent: string;
  /** The random GUID of Test Connection; seeded when absent. */
  testConnectionGuid?: string;
  /** Some gallery apps read `/Schemas` when the provisioning config is saved (ENTRA-TUT). */
  schemaDiscovery: boolean;
  /**
   * Whether the admin mapped the manager attribute: Entra sends manager updates only for a mapping the app's schema
   * has (an admin removes the mapping for an app without the enterprise extension's manager).
   */
  mapManager: boolean;
  concurrency: number;
  /**
   * How the query string is encoded: `form` (default) writes a space as '+', as Entra's own logs show
   * (`Users?filter=PLACEHOLDER+eq+"..."`); `percent` writes %20.
   */
  queryEncoding: 'form' | 'percent';
}

export const ENTRA_DEFAULTS: EntraOptions = {
  on429: 'honor_retry_after',
  maxRateLimitRetries: 5,
  defaultRetryAfterS: 60,
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

export const EntraOptionsSchema = z
  .strictObject({
    on429: z.enum(['honor_retry_after', 'escrow_next_cycle']),
    maxRateLimitRetries: z.number().int().min(0).max(100),
    defaultRetryAfterS: z.number().min(0).max(3600),
    matchOn: z.enum(['userName', 'externalId', 'emails']),
    managerShape: z.enum(['documented', 'urn-string', 'post-string']),
    activeValue: z.enum(['string', 'string-lower', 'boolean']),
    flagInUrl: z.boolean(),
    checkManagerFirst: z.boolean(),
    partialMemberReplace: z.boolean(),
    userAgent: z.string().min(1).max(200),
    testConnectionGuid: z.string().min(1).max(100),
    schemaDiscovery: z.boolean(),
    mapManager: z.boolean(),
    queryEncoding: z.enum(['form', 'percent']),
    concurrency: z.number().int().min(1).max(256),
  })
  .partial() satisfies OptionsSchemaOf<EntraOptions>;

export const ENTRA_SCENARIOS: readonly ScenarioInfo[] = [
  { name: 'connect', summary: 'Test Connection: GET /Users?filter=userName eq "<random GUID>", expects an empty ListResponse' },
  { name: 'initial-cycle', summary: 'Initial cycle: match each user and group, create, then managers and group members' },
  { name: 'update', summary: 'Initial cycle, then an incremental cycle updating a user (op casing and paths per mode)' },
  { name: 'disable', summary: 'Initial cycle, then Disable (soft delete) and the restore of a user' },
  { name: 'hard-delete', summary: 'Initial cycle, then Delete (hard delete) of a user' },
  { name: 'rename', summary: 'Initial cycle, then a UPN change: Replace on path userName' },
  { name: 'groups', summary: "Initial cycle, then a group rename and member add/remove in the mode's shape, then group delete" },
  {
    name: 'full-lifecycle',
    summary:
      'connect, initial cycle, updates, group changes, a UPN change, disable (soft delete, unassign), re-enable (restore, re-assign: matched again), hard delete',
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
  private readonly retries = new Map<string, () => Promise<Step>>();

  constructor(opts: SimulatorOptions<EntraMode, EntraOptions>) {
    const mode = opts.mode ?? 'legacy';
    const o = { ...ENTRA_DEFAULTS, ...opts.options };
    const flag = o.flagInUrl ?? mode === 'compliant';
    super(
      mode,
      { ...opts, target: { ...opts.target, scimUrl: flag ? withFlag(opts.target.scimUrl) : opts.target.scimUrl } },
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

  protected async runScenario(name: string): Promise<void> {
    const [u1, u2, u3] = this.directory.people;
    const g1 = this.directory.groups[0];
    if (!u1 || !u2 || !u3 || !g1) throw new Error('the Entra scenarios need a directory of at least 3 users and 1 group');
    switch (name) {
      case 'connect':
        await this.testConnection();
        if (this.options.schemaDiscovery) await this.discoverSchema();
        return;
      case 'initial-cycle':
        await this.initialCycle();
        return;
      case 'update':
        await this.initialCycle();
        await this.incrementalCycle([{ type: 'update', key: u1.key, changes: this.sampleChange(u1) }]);
        return;
      case 'disable':
        await this.initialCycle();
        await this.incrementalCycle([{ type: 'disable', key: u1.key, why: 'soft-deleted' }]);
        await this.incrementalCycle([{ type: 'restore', key: u1.key }]);
        return;
      case 'hard-delete':
        await this.initialCycle();
        await this.incrementalCycle([{ type: 'hard-delete', key: u1.key }]);
        return;
      case 'rename':
        await this.initialCycle();
        await this.incrementalCycle([{ type: 'rename', key: u2.key, userName: renamedUpn(u2.userName) }]);
        return;
      case 'groups':
        await this.initialCycle();
        await this.incrementalCycle([{ type: 'group', key: g1.key, rename: `${g1.displayName}-2`, add: [u3.key], remove: [u2.key] }]);
        await this.incrementalCycle([{ type: 'delete-group', key: g1.key }]);
        return;
      case 'full-lifecycle':
        await this.testConnection();
        await this.initialCycle();
        await this.incrementalCycle([
          { type: 'update', key: u1.key, changes: this.sampleChange(u1) },
          { type: 'group', key: g1.key, rename: `${g1.displayName}-2`, add: [u3.key], remove: [u2.key] },
          { type: 'rename', key: u2.key, userName: renamedUpn(u2.userName) },
        ]);
        await this.incrementalCycle([
          { type: 'disable', key: u1.key, why: 'soft-deleted' },
          { type: 'disable', key: u2.key, why: 'unassigned' },
        ]);
        // u1 is restored (soft delete undone: its stored id), u2 assigned again (matched again while disabled)
        await this.incrementalCycle([
          { type: 'restore', key: u1.key },
          { type: 'restore', key: u2.key },
        ]);
        await this.incrementalCycle([
          { type: 'hard-delete', key: u1.key },
          { type: 'hard-delete', key: u3.key },
          { type: 'delete-group', key: g1.key },
        ]);
        return;
    }
  }

  /** The change the scenarios make: a new family name and work email, and a department move. */
  sampleChange(p: Person): { familyName: string; email: string; department: string } {
    return { familyName: `${p.familyName}-Moreau`, email: `${p.mailNickname}.moreau@${this.directory.domain}`, department: 'Legal Operations' };
  }

  // ---- Test Connection ----

  testConnection(): Promise<Step> {
    const guid = this.options.testConnectionGuid ?? this.directory.faker.string.uuid();
    return this.session.step('Test Connection', async () => {
      const res = await this.request({ method: 'GET', path: '/Users', query: [['filter', `${this.matchAttribute()} eq ${quote(guid)}`]] });
      if (res.status !== 200) this.fail(res, 'Test Connection');
      const list = ListResponseSchema.safeParse(res.body);
      if (!list.success) throw new StepFailed(`Test Connection failed: the response is not a ListResponse (${describeZodError(list.error)})`);
      if (list.data.totalResults !== 0) throw new StepFailed(`Test Connection failed: a filter on a random GUID matched ${list.data.totalResults} users`);
      return { ok: true, message: 'The supplied credentials are authorized to enable provisioning', observed: { totalResults: 0 } };
    });
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
    const work: Array<() => Promise<unknown>> = [() => this.retryEscrow()];
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

  /** Incremental cycle: escrowed retries that are due, then the changes since the watermark. */
  async incrementalCycle(changes: EntraChange[]): Promise<void> {
    const work: Array<() => Promise<unknown>> = [() => this.retryEscrow()];
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

  /** Runs a cycle's work in order; a quarantined job does nothing more (one Quarantine step says why). */
  private async cycle(work: Array<() => Promise<unknown>>): Promise<boolean> {
    for (const w of work) {
      if (this.escrow.quarantine) {
        const step = await this.quarantinedStep();
        if (this.session.abortOnFailure) throw new ScenarioAborted(step);
        return false;
      }
      await w();
    }
    return true;
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
      const res = await this.request({ method: 'POST', path: '/Users', body: this.createBody(p) });
      if (res.status !== 201 && res.status !== 200) this.fail(res, `Create ${p.userName}`);
      const r = resourceOf(res.body);
      if (!r) throw new StepFailed(`Create ${p.userName} failed: the response has no id`);
      this.userIds.set(key, r.id);
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
  activeOp(active: boolean): Op {
    const kind = this.options.activeValue ?? (this.mode === 'legacy' ? 'string' : 'boolean');
    const value = kind === 'boolean' ? active : kind === 'string-lower' ? String(active) : active ? 'True' : 'False';
    return { op: this.verb('replace'), path: 'active', value };
  }

  /** E11: legacy and mixed send a value list on `members`; compliant a value-filter path per member. */
  removeMemberOps(ids: string[]): Op[] {
    if (this.mode === 'compliant') return ids.map((id) => ({ op: 'remove', path: `members[value eq ${quote(id)}]` }));
    return [{ op: 'Remove', path: 'members', value: ids.map((value) => ({ value })) }];
  }

  /** Legacy and mixed capitalise ops ("Add", "Replace", "Remove"); compliant sends them lower-case. */
  verb(op: 'add' | 'replace' | 'remove'): string {
    return this.mode === 'compliant' ? op : `${op[0]?.toUpperCase()}${op.slice(1)}`;
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
    this.escrow.countCall(reference);
    const step = await this.session.step(name, fn, { continueOnFailure: true });
    step.log = this.provisioningLog(objectKey, step);
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
    const entry = this.escrow.record(objectKey, name, failure, this.clock.now(), { reference, nextCycle: failure.kind === 'rate_limited' });
    this.retries.set(objectKey, retry ?? (() => this.retryObject(objectKey, name)));
    step.observed = { ...step.observed, escrowed: true, attempts: entry.attempts, nextRetryAt: new Date(entry.nextRetryAt).toISOString() };
    return step;
  }

  private async quarantinedStep(): Promise<Step> {
    const q = this.escrow.quarantine;
    return this.session.step(
      'Quarantine',
      async () => ({ ok: false, message: `Provisioning job quarantined (${q?.reason}); cycles slow to once a day`, observed: { reason: q?.reason } }),
      { continueOnFailure: true },
    );
  }

  private async retryEscrow(): Promise<void> {
    for (const entry of this.escrow.due(this.clock.now())) await this.retries.get(entry.objectKey)?.();
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
    const found = await this.matchUser(p);
    if (found) {
      this.userIds.set(key, found);
      return found;
    }
    const res = await this.request({ method: 'POST', path: '/Users', body: this.createBody(p) });
    if (res.status !== 201 && res.status !== 200) this.fail(res, `Create ${p.userName}`);
    const r = resourceOf(res.body);
    if (!r) throw new StepFailed(`Create ${p.userName} failed: the response has no id`);
    this.userIds.set(key, r.id);
    return r.id;
  }

  // ---- matching a user back in scope, and the provisioning log (kept apart from the mapping code above) ----

  /** A user back in scope is matched by the matching attribute; not found, Entra creates it (a 409 then escrows it). */
  private async matchBackInScope(key: string, p: Person): Promise<string> {
    const found = await this.matchUser(p);
    if (found) {
      this.userIds.set(key, found);
      return found;
    }
    const res = await this.request({ method: 'POST', path: '/Users', body: this.createBody(p) });
    if (res.status !== 201 && res.status !== 200) this.fail(res, `Create ${p.userName}`);
    const r = resourceOf(res.body);
    if (!r) throw new StepFailed(`Create ${p.userName} failed: the response has no id`);
    this.userIds.set(key, r.id);
    return r.id;
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
    if (!list.success) throw new StepFailed(`${action} failed (SystemForCrossDomainIdentityManagementServiceIncompatible): ${describeZodError(list.error)}`);
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
