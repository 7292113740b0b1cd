import { z } from 'zod';
import { BaseSimulator, type SimulatorOptions } from '../core/base.ts';
import { RelaxedListResponseSchema, URN, patchOp, quote, resourceOf, type ScimResource } from '../core/scim.ts';
import { StepFailed } from '../core/session.ts';
import type { Failure, IdpName, Scenario, Step } from '../core/types.ts';
import { person, type DirectoryGroup, type Person } from '../directory/directory.ts';
import { formatTimestamp, ISO_MILLIS, isKnownZone } from './timestamp.ts';
import { SAILPOINT_RETRY_DEFAULTS, sailpointRetry, sailpointRetryShape } from '../transport/retry.ts';
import { formatIssues } from '../core/issues.ts';
import type { ScimResponse } from '../transport/transport.ts';

/** Update Account by PATCH (`usePatch=true`, default) or by PUT of the full object. */
export type SailPointMode = 'patch' | 'put';
export const SAILPOINT_MODES: readonly SailPointMode[] = ['patch', 'put'];

/** Every SailPoint option and how the edges (CLI `--option`, library callers) check it; the options type derives from it. */
const sailpointOptionsShape = {
  ...sailpointRetryShape,
  /** "Non-compliant Server?": skip the discovery endpoints and read lists under `resources` as well. */
  nonCompliant: z.boolean(),
  /** Page size for aggregation; null sends no `count` (paging off) [INF default 100]. */
  pageSize: z.number().int().min(1).max(10_000).nullable(),
  /** "Filter Condition For Accounts" / "For Groups", sent as `filter=`. */
  accountFilter: z.string().min(1).optional(),
  groupFilter: z.string().min(1).optional(),
  /** "Explicit Attribute Request": `attributes=a,b,c` on account aggregation. */
  explicitAttributes: z.array(z.string().min(1)).optional(),
  /** `updateGroupsViaUsers=true`: entitlements as add/remove on the User's `groups` (S4'/S5'). */
  updateGroupsViaUsers: z.boolean(),
  /** Remove Entitlement as a value list on `members` instead of a value filter. */
  legacyMemberRemove: z.boolean(),
  accept: z.string().min(1),
  contentType: z.string().min(1),
  userAgent: z.string().min(1).max(200),
  timeoutMs: z.number().int().min(1).max(600_000),
  concurrency: z.number().int().min(1).max(256),
  /** "Server Time Zone" of Delta Aggregation: an IANA zone, an abbreviation (GMT, PST) or an offset; default UTC. */
  serverTimeZone: z.string().min(1).max(64).refine(isKnownZone, 'an IANA time zone, GMT/UTC, PST-style abbreviation or an offset like +02:00'),
  /** "Server Timestamp Format" of Delta Aggregation, a Java date pattern (default: ISO-8601 with milliseconds). */
  serverTimestampFormat: z.string().min(1).max(64),
};
export type SailPointOptions = z.infer<z.ZodObject<typeof sailpointOptionsShape>>;

/** Checks options given at the edges: every key optional, unknown keys refused. */
export const SailPointOptionsSchema = z.strictObject(sailpointOptionsShape).partial();

export const SAILPOINT_DEFAULTS: SailPointOptions = {
  ...SAILPOINT_RETRY_DEFAULTS,
  nonCompliant: false,
  pageSize: 100,
  updateGroupsViaUsers: false,
  legacyMemberRemove: false,
  accept: 'application/scim+json',
  contentType: 'application/scim+json',
  userAgent: 'SailPoint-style-simulator/1.0',
  timeoutMs: 60_000,
  concurrency: 10,
  serverTimeZone: 'UTC',
  serverTimestampFormat: ISO_MILLIS,
};

/** The accounts and entitlement the scenarios act on: the directory's first one or two people and first group. */
function castOf(sp: SailPointSimulator): { a1: Person; a2: Person | undefined; g1: DirectoryGroup } {
  const [a1, a2] = sp.directory.people;
  const g1 = sp.directory.groups[0];
  if (!a1 || !g1) throw new Error('the SailPoint scenarios need at least one person and one group');
  return { a1, a2, g1 };
}

/** A scenario on the first account: Create Account, then the connector's operations on it in turn. */
function createThen(...operations: Array<'disableAccount' | 'enableAccount' | 'changePassword' | 'deleteAccount'>) {
  return async (sp: SailPointSimulator): Promise<void> => {
    const { key } = castOf(sp).a1;
    await sp.createAccount(key);
    for (const operation of operations) await sp[operation](key);
  };
}

/** SailPoint's scenarios: what `--help` lists and what each does. */
export const SAILPOINT_SCENARIOS: readonly Scenario<SailPointSimulator>[] = [
  {
    name: 'connect',
    summary:
      'Test Connection: discovery endpoints with /ResourceTypes/User, /ResourceTypes/Group and the core User schema (unless non-compliant), then GET /Users?startIndex=1&count=1',
    run: (sp) => sp.testConnection(),
  },
  { name: 'discover-schema', summary: 'Discover Schema: GET /Schemas and /ResourceTypes', run: (sp) => sp.discoverSchema() },
  {
    name: 'aggregate',
    summary: 'Account and Entitlement Aggregation (paged, optional filters), then Delta Aggregation by meta.lastModified',
    async run(sp) {
      await sp.aggregateAccounts();
      await sp.aggregateEntitlements();
      await sp.deltaAggregation();
    },
  },
  { name: 'create-account', summary: 'Create Account (S1)', run: (sp) => sp.createAccount(castOf(sp).a1.key) },
  {
    name: 'update-account',
    summary: "Create Account, then Update Account by PATCH (S2) or PUT (S2')",
    async run(sp) {
      const { a1 } = castOf(sp);
      await sp.createAccount(a1.key);
      await sp.updateAccount(a1.key, { title: 'Staff Engineer', department: 'Legal Operations' });
    },
  },
  { name: 'disable-account', summary: 'Create Account, Disable Account, Enable Account (S3)', run: createThen('disableAccount', 'enableAccount') },
  {
    name: 'entitlements',
    summary: 'Create Account, Add Entitlement (S4), Remove Entitlement (S5)',
    async run(sp) {
      const { a1, g1 } = castOf(sp);
      await sp.createAccount(a1.key);
      await sp.ensureEntitlement(g1.key);
      await sp.addEntitlement(a1.key, g1.key);
      await sp.removeEntitlement(a1.key, g1.key);
      await sp.deleteGroup(g1.key);
    },
  },
  { name: 'change-password', summary: 'Create Account, then Change Password (replace on password) [INF]', run: createThen('changePassword') },
  { name: 'delete-account', summary: 'Create Account, then Delete Account', run: createThen('deleteAccount') },
  {
    name: 'full-lifecycle',
    summary: 'connect, discover, aggregate, create, entitlements, update, disable, enable, account aggregation, a change, delta aggregation, delete',
    async run(sp) {
      const { a1, a2, g1 } = castOf(sp);
      await sp.testConnection();
      if (!sp.options.nonCompliant) await sp.discoverSchema();
      await sp.aggregateEntitlements();
      await sp.ensureEntitlement(g1.key);
      for (const p of sp.directory.people) await sp.createAccount(p.key);
      await sp.addEntitlement(a1.key, g1.key);
      if (a2) await sp.addEntitlement(a2.key, g1.key);
      await sp.updateAccount(a1.key, { title: 'Staff Engineer', department: 'Legal Operations' });
      await sp.disableAccount(a1.key);
      await sp.enableAccount(a1.key);
      await sp.removeEntitlement(a1.key, g1.key);
      await sp.aggregateAccounts();
      // a change after the aggregation, which the delta aggregation must bring back
      await sp.updateAccount((a2 ?? a1).key, { title: 'Principal Engineer' });
      await sp.deltaAggregation();
      for (const p of sp.directory.people) await sp.deleteAccount(p.key);
      await sp.deleteGroup(g1.key);
    },
  },
];

/**
 * What the connector reads when it connects to a compliant server. SailPoint: "requires the following endpoints with
 * valid response for connector execution: /ServiceProviderConfig /ResourceTypes /Schemas /ResourceTypes/User
 * /ResourceTypes/Group" (Prerequisites, SCIM 2.0 SaaS source); and the core User schema by its URI (RFC 7644 §4).
 */
const DISCOVERY_PATHS = ['/ServiceProviderConfig', '/ResourceTypes', '/Schemas', '/ResourceTypes/User', '/ResourceTypes/Group', `/Schemas/${URN.user}`];

/** SailPoint-style connector (docs/idp-patterns.md §4): aggregation-driven, RFC-canonical bodies, documented switches. */
export class SailPointSimulator extends BaseSimulator<SailPointMode> {
  readonly idp = 'sailpoint' as const;
  readonly scenarios = SAILPOINT_SCENARIOS;
  readonly options: SailPointOptions;
  /** Time of the last account aggregation: the delta aggregation's `meta.lastModified gt` bound. */
  lastAggregation: number | undefined;
  private readonly createdGroups = new Set<string>();

  constructor(opts: SimulatorOptions<SailPointMode, SailPointOptions>) {
    const o = { ...SAILPOINT_DEFAULTS, ...opts.options };
    super(
      opts.mode ?? 'patch',
      opts,
      {
        headers: { 'user-agent': o.userAgent, accept: o.accept },
        contentType: o.contentType,
        contentTypeOnGet: true,
        timeoutMs: o.timeoutMs,
        retry: sailpointRetry(o),
      },
      { users: 2, groups: 1 },
    );
    this.options = o;
  }

  protected idpName(): IdpName {
    return 'sailpoint';
  }

  /** Failures show on the access request or provisioning transaction as connector errors. */
  protected word(f: Failure, action: string): string {
    return `[ConnectorError] ${action} failed: ${f.message}`;
  }

  // ---- discovery and aggregation ----

  /** Compliant servers must answer the discovery endpoints; Non-Compliant skips them. */
  testConnection(): Promise<Step> {
    return this.session.step('Test Connection', async () => {
      if (!this.options.nonCompliant) {
        for (const path of DISCOVERY_PATHS) {
          const res = await this.request({ method: 'GET', path });
          if (res.status !== 200) this.fail(res, `Test Connection (${path})`);
        }
      }
      const users = await this.request({
        method: 'GET',
        path: '/Users',
        query: [
          ['startIndex', '1'],
          ['count', '1'],
        ],
      });
      if (users.status !== 200) this.fail(users, 'Test Connection');
      this.readList(users.body, 'Test Connection');
      return { ok: true, message: 'Test Connection successful', observed: { compliant: !this.options.nonCompliant } };
    });
  }

  discoverSchema(): Promise<Step> {
    return this.session.step('Discover Schema', async () => {
      const schemas = await this.request({ method: 'GET', path: '/Schemas' });
      if (schemas.status !== 200) this.fail(schemas, 'Discover Schema');
      const types = await this.request({ method: 'GET', path: '/ResourceTypes' });
      if (types.status !== 200) this.fail(types, 'Discover Schema');
      const ids = this.readList(schemas.body, 'Discover Schema').resources.map((r) => r.id);
      return { ok: true, message: `Discovered ${ids.length} schemas`, observed: { schemas: ids } };
    });
  }

  aggregateAccounts(): Promise<Step> {
    return this.session.step('Account Aggregation', async () => {
      const started = this.clock.now();
      const accounts = await this.pageAll('/Users', this.options.accountFilter, this.options.explicitAttributes, 'Account Aggregation');
      for (const a of accounts) {
        if (typeof a.userName !== 'string' && !a.id) throw new StepFailed('ResourceObject with null identity');
        const p = this.directory.people.find((x) => typeof a.userName === 'string' && x.userName.toLowerCase() === a.userName.toLowerCase());
        if (p) {
          this.userIds.set(p.key, a.id);
          this.lastSeen.set(p.key, a);
        }
      }
      this.lastAggregation = started;
      return { ok: true, message: `Aggregated ${accounts.length} accounts`, observed: { accounts: accounts.length } };
    });
  }

  aggregateEntitlements(): Promise<Step> {
    return this.session.step('Entitlement Aggregation', async () => {
      const groups = await this.pageAll('/Groups', this.options.groupFilter, undefined, 'Entitlement Aggregation');
      for (const g of groups) {
        const d = this.directory.groups.find((x) => x.displayName === g.displayName);
        if (d) this.groupIds.set(d.key, g.id);
      }
      return { ok: true, message: `Aggregated ${groups.length} entitlements`, observed: { entitlements: groups.length } };
    });
  }

  /**
   * Delta Aggregation: accounts changed since the last run, by `meta.lastModified gt` (and the admin filter, joined
   * by AND), the bound written in the server time zone and timestamp format the connector is configured with.
   */
  deltaAggregation(): Promise<Step> {
    return this.session.step('Delta Aggregation', async () => {
      if (this.lastAggregation === undefined) throw new StepFailed('Delta Aggregation needs a full Account Aggregation first');
      const bound = formatTimestamp(this.lastAggregation, this.options.serverTimestampFormat, this.options.serverTimeZone);
      const since = `meta.lastModified gt ${quote(bound)}`;
      const filter = this.options.accountFilter ? `${since} and ${this.options.accountFilter}` : since;
      const started = this.clock.now();
      const changed = await this.pageAll('/Users', filter, this.options.explicitAttributes, 'Delta Aggregation');
      for (const a of changed) {
        const p = this.directory.people.find((x) => typeof a.userName === 'string' && x.userName.toLowerCase() === a.userName.toLowerCase());
        if (p) this.lastSeen.set(p.key, a);
      }
      this.lastAggregation = started;
      return {
        ok: true,
        message: `Delta aggregation read ${changed.length} changed accounts`,
        observed: { changed: changed.length, accounts: changed.map((a) => a.userName), since: bound },
      };
    });
  }

  // ---- provisioning ----

  createAccount(key: string): Promise<Step> {
    const p = person(this.directory, key);
    return this.session.step('Create Account', async () => {
      const res = await this.request({ method: 'POST', path: '/Users', body: this.createBody(p) });
      if (res.status !== 201 && res.status !== 200) this.fail(res, `Create Account ${p.userName}`);
      const r = resourceOf(res.body);
      if (!r) throw new StepFailed(`Create Account ${p.userName} failed: the response has no id`);
      this.userIds.set(key, r.id);
      this.lastSeen.set(key, r);
      return { ok: true, message: `Created account ${p.userName}`, observed: { userId: r.id, active: r.active } };
    });
  }

  /** S2: one replace op per changed attribute (patch mode), or S2': PUT of the full object (put mode). */
  updateAccount(key: string, changes: Partial<Pick<Person, 'title' | 'department'>>): Promise<Step> {
    const p = person(this.directory, key);
    Object.assign(p, changes);
    return this.session.step('Update Account', async () => {
      const id = this.userId(key);
      const ops: Array<Record<string, unknown>> = [];
      if (changes.title !== undefined) ops.push({ op: 'replace', path: 'title', value: p.title });
      if (changes.department !== undefined) ops.push({ op: 'replace', path: `${URN.enterprise}:department`, value: p.department });
      const res =
        this.mode === 'patch'
          ? await this.request({ method: 'PATCH', path: `/Users/${id}`, body: patchOp(ops) })
          : await this.request({ method: 'PUT', path: `/Users/${id}`, body: this.fullObject(key, p) });
      if (res.status !== 200 && res.status !== 204) this.fail(res, `Update Account ${p.userName}`);
      this.remember(key, res.body);
      return { ok: true, message: `Updated account ${p.userName}`, observed: { userId: id, status: res.status } };
    });
  }

  disableAccount(key: string): Promise<Step> {
    return this.setActive(key, false, 'Disable Account');
  }

  enableAccount(key: string): Promise<Step> {
    return this.setActive(key, true, 'Enable Account');
  }

  /** Change Password [INF]: a replace on `password`. */
  changePassword(key: string): Promise<Step> {
    const p = person(this.directory, key);
    p.password = this.directory.faker.internet.password({ length: 16, prefix: 'Aa1!' });
    return this.session.step('Change Password', async () => {
      const id = this.userId(key);
      const res = await this.request({ method: 'PATCH', path: `/Users/${id}`, body: patchOp([{ op: 'replace', path: 'password', value: p.password }]) });
      if (res.status !== 200 && res.status !== 204) this.fail(res, `Change Password for ${p.userName}`);
      return { ok: true, message: `Changed the password of ${p.userName}`, observed: { userId: id } };
    });
  }

  deleteAccount(key: string): Promise<Step> {
    const p = person(this.directory, key);
    return this.session.step('Delete Account', async () => {
      const id = this.userId(key);
      const res = await this.request({ method: 'DELETE', path: `/Users/${id}` });
      if (res.status !== 204 && res.status !== 200) this.fail(res, `Delete Account ${p.userName}`);
      this.userIds.delete(key);
      p.status = 'deleted';
      return { ok: true, message: `Deleted account ${p.userName}`, observed: { userId: id, status: res.status } };
    });
  }

  /** Entitlement Aggregation found it, or IIQ account-group management creates it. */
  async ensureEntitlement(groupKey: string): Promise<Step | undefined> {
    if (this.groupIds.has(groupKey)) return undefined;
    const g = this.group(groupKey);
    return this.session.step('Create Group', async () => {
      const res = await this.request({ method: 'POST', path: '/Groups', body: { schemas: [URN.group], displayName: g.displayName } });
      if (res.status !== 201 && res.status !== 200) this.fail(res, `Create Group ${g.displayName}`);
      const r = resourceOf(res.body);
      if (!r) throw new StepFailed(`Create Group ${g.displayName} failed: the response has no id`);
      this.groupIds.set(groupKey, r.id);
      this.createdGroups.add(groupKey);
      return { ok: true, message: `Created group ${g.displayName}`, observed: { groupId: r.id } };
    });
  }

  /** Add Entitlement: S4 on the Group, or S4' on the User's `groups` (a strict server answers 400 mutability). */
  addEntitlement(key: string, groupKey: string): Promise<Step> {
    return this.entitlement(key, groupKey, 'add');
  }

  removeEntitlement(key: string, groupKey: string): Promise<Step> {
    return this.entitlement(key, groupKey, 'remove');
  }

  /** Add Entitlement for many accounts at once: one request per entitlement, all in flight together (§4.4). */
  async addEntitlementsInParallel(pairs: Array<{ key: string; groupKey: string }>): Promise<Step[]> {
    return Promise.all(pairs.map((x) => this.entitlement(x.key, x.groupKey, 'add')));
  }

  deleteGroup(groupKey: string): Promise<Step | undefined> {
    if (!this.createdGroups.has(groupKey)) return Promise.resolve(undefined);
    const g = this.group(groupKey);
    return this.session.step('Delete Group', async () => {
      const id = this.groupId(groupKey);
      const res = await this.request({ method: 'DELETE', path: `/Groups/${id}` });
      if (res.status !== 204 && res.status !== 200) this.fail(res, `Delete Group ${g.displayName}`);
      this.groupIds.delete(groupKey);
      this.createdGroups.delete(groupKey);
      return { ok: true, message: `Deleted group ${g.displayName}`, observed: { groupId: id } };
    });
  }

  // ---- bodies ----

  /** S1: RFC-canonical, from the Create Profile (userName is the email, as in the Teleport guide). */
  createBody(p: Person): Record<string, unknown> {
    return {
      schemas: [URN.user, URN.enterprise],
      userName: p.userName,
      name: { givenName: p.givenName, familyName: p.familyName },
      displayName: p.displayName,
      title: p.title,
      emails: [{ value: p.email, type: 'work', primary: true }],
      active: true,
      [URN.enterprise]: { department: p.department, employeeNumber: p.employeeNumber },
    };
  }

  /** S2': the account as last read, with SailPoint's attributes written over it. */
  private fullObject(key: string, p: Person, active?: boolean): Record<string, unknown> {
    const seen = this.lastSeen.get(key) ?? ({} as ScimResource);
    const { meta: _meta, groups: _groups, ...rest } = seen;
    const enterprise = (seen[URN.enterprise] && typeof seen[URN.enterprise] === 'object' ? seen[URN.enterprise] : {}) as Record<string, unknown>;
    const body: Record<string, unknown> = {
      ...rest,
      ...this.createBody(p),
      [URN.enterprise]: { ...enterprise, department: p.department, employeeNumber: p.employeeNumber },
      active: active ?? (seen.active === undefined ? true : seen.active),
    };
    return body;
  }

  private setActive(key: string, active: boolean, action: string): Promise<Step> {
    const p = person(this.directory, key);
    p.status = active ? 'active' : 'disabled';
    return this.session.step(action, async () => {
      const id = this.userId(key);
      const res =
        this.mode === 'patch'
          ? await this.request({ method: 'PATCH', path: `/Users/${id}`, body: patchOp([{ op: 'replace', path: 'active', value: active }]) })
          : await this.request({ method: 'PUT', path: `/Users/${id}`, body: this.fullObject(key, p, active) });
      if (res.status !== 200 && res.status !== 204) this.fail(res, `${action} ${p.userName}`);
      const r = this.remember(key, res.body);
      return { ok: true, message: `${action} ${p.userName}: done`, observed: { userId: id, active: r?.active, status: res.status } };
    });
  }

  private entitlement(key: string, groupKey: string, op: 'add' | 'remove'): Promise<Step> {
    const p = person(this.directory, key);
    const g = this.group(groupKey);
    if (op === 'add' && !g.memberKeys.includes(key)) g.memberKeys.push(key);
    if (op === 'remove') g.memberKeys = g.memberKeys.filter((k) => k !== key);
    const name = op === 'add' ? 'Add Entitlement' : 'Remove Entitlement';
    return this.session.step(name, async () => {
      const userId = this.userId(key);
      const groupId = this.groupId(groupKey);
      let res: ScimResponse;
      if (this.options.updateGroupsViaUsers) {
        const body =
          op === 'add'
            ? patchOp([{ op: 'add', path: 'groups', value: [{ value: groupId }] }])
            : patchOp([{ op: 'remove', path: `groups[value eq ${quote(groupId)}]` }]);
        res = await this.request({ method: 'PATCH', path: `/Users/${userId}`, body });
      } else {
        const body =
          op === 'add'
            ? patchOp([{ op: 'add', path: 'members', value: [{ value: userId }] }])
            : this.options.legacyMemberRemove
              ? patchOp([{ op: 'remove', path: 'members', value: [{ value: userId }] }])
              : patchOp([{ op: 'remove', path: `members[value eq ${quote(userId)}]` }]);
        res = await this.request({ method: 'PATCH', path: `/Groups/${groupId}`, body });
      }
      if (res.status !== 200 && res.status !== 204) this.fail(res, `${name} ${g.displayName} for ${p.userName}`);
      return { ok: true, message: `${name} ${g.displayName} for ${p.userName}: done`, observed: { userId, groupId, status: res.status } };
    });
  }

  private async pageAll(path: '/Users' | '/Groups', filter: string | undefined, attributes: string[] | undefined, action: string): Promise<ScimResource[]> {
    const out: ScimResource[] = [];
    const size = this.options.pageSize;
    for (let startIndex = 1, pages = 0; pages < 100_000; pages++) {
      const query: Array<[string, string]> = [];
      if (filter) query.push(['filter', filter]);
      if (attributes?.length) query.push(['attributes', attributes.join(',')]);
      if (size !== null) query.push(['startIndex', String(startIndex)], ['count', String(size)]);
      const res = await this.request({ method: 'GET', path, query });
      if (res.status !== 200) this.fail(res, action);
      const list = this.readList(res.body, action);
      out.push(...list.resources);
      if (size === null || list.resources.length === 0) break;
      startIndex += size;
      if (startIndex > list.totalResults) break;
    }
    return out;
  }

  /** `Resources`, or `resources` under Non-Compliant (the `aggregation_rootPath` workaround). */
  private readList(body: unknown, action: string): { totalResults: number; resources: ScimResource[] } {
    const parsed = RelaxedListResponseSchema.safeParse(body);
    if (!parsed.success) throw new StepFailed(`[ConnectorError] ${action} failed: not a ListResponse (${formatIssues(parsed.error, { root: '(root)' })})`);
    const resources = (parsed.data.Resources ?? (this.options.nonCompliant ? parsed.data.resources : undefined) ?? []) as ScimResource[];
    return { totalResults: parsed.data.totalResults, resources };
  }

  private group(key: string): DirectoryGroup {
    const g = this.directory.groups.find((x) => x.key === key);
    if (!g) throw new Error(`no group ${key} in the SailPoint directory`);
    return g;
  }
}
