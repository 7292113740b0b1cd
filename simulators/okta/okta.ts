import { z } from 'zod';
import { BaseSimulator, type SimulatorOptions } from '../core/base.ts';
import { ListResponseSchema, URN, patchOp, quote, resourceOf, type ScimResource } from '../core/scim.ts';
import { StepFailed } from '../core/session.ts';
import type { Failure, IdpName, Scenario, Step } from '../core/types.ts';
import { person, type Person } from '../directory/directory.ts';
import { OKTA_RETRY_DEFAULTS, oktaRetry, oktaRetryShape } from '../transport/retry.ts';
import { formatIssues } from '../core/issues.ts';

/** `oin` (default) or `aiw` decide PUT versus PATCH (docs/idp-patterns.md §2.3). */
export type OktaMode = 'oin' | 'aiw';
export const OKTA_MODES: readonly OktaMode[] = ['oin', 'aiw'];

/** Every Okta option and how the edges (CLI `--option`, library callers) check it; the options type derives from it. */
const oktaOptionsShape = {
  ...oktaRetryShape,
  /** [INF] option: profile updates as one no-path PATCH replace instead of PUT (third-party reports, §2.3). */
  oinPatchProfile: z.boolean(),
  /** Send `application/json` instead of `application/scim+json; charset=utf-8` [INF]. */
  jsonContentType: z.boolean(),
  /** SCIM 1.1 behaviour: Test API Credentials also reads `/Groups`. */
  testCredentialsReadsGroups: z.boolean(),
  /** Older doc revision: Suspend also sends active=false (default off). */
  suspendSendsDeactivate: z.boolean(),
  /** Full push as the no-path form `{"op":"replace","value":{"members":[],"id","displayName"}}` (scimgateway #113). */
  noPathMemberReplace: z.boolean(),
  /** Provisioning concurrency for load replays [INF: default 4]. */
  concurrency: z.number().int().min(1).max(256),
  /** The app integration's name, as Okta's task messages quote it ("... to app <AppName> failed: ..."). */
  appName: z.string().min(1).max(200),
};
export type OktaOptions = z.infer<z.ZodObject<typeof oktaOptionsShape>>;

/** Checks options given at the edges: every key optional, unknown keys refused. */
export const OktaOptionsSchema = z.strictObject(oktaOptionsShape).partial();

export const OKTA_DEFAULTS: OktaOptions = {
  ...OKTA_RETRY_DEFAULTS,
  oinPatchProfile: false,
  jsonContentType: false,
  testCredentialsReadsGroups: false,
  suspendSendsDeactivate: false,
  noPathMemberReplace: false,
  concurrency: 4,
  appName: 'SCIM 2.0 Test App',
};

/** The first person of the directory, whom the single-user scenarios act on. */
function firstPerson(okta: OktaSimulator): Person {
  const [first] = okta.directory.people;
  if (!first) throw new Error('the Okta directory has no people');
  return first;
}

async function assignEveryone(okta: OktaSimulator): Promise<void> {
  for (const p of okta.directory.people) await okta.assign(p.key);
}

/** A scenario on the first person: assign, then Okta's actions on that user in turn. */
function assignThen(...actions: Array<'deactivate' | 'reactivate' | 'syncPassword' | 'suspend'>) {
  return async (okta: OktaSimulator): Promise<void> => {
    const { key } = firstPerson(okta);
    await okta.assign(key);
    for (const action of actions) await okta[action](key);
  };
}

/** Okta's scenarios: what `--help` lists and what each does. */
export const OKTA_SCENARIOS: readonly Scenario<OktaSimulator>[] = [
  { name: 'connect', summary: 'Test API Credentials: GET /Users?startIndex=1&count=2', run: (okta) => okta.testApiCredentials() },
  {
    name: 'assign',
    summary: 'Assign every user: existence check by userName filter, then create (POST) or link',
    run: assignEveryone,
  },
  {
    name: 'update-profile',
    summary: 'Assign, then Update User Attributes: GET then PUT of the full user',
    async run(okta) {
      const first = firstPerson(okta);
      await okta.assign(first.key);
      await okta.updateUserAttributes(first.key, { familyName: `${first.familyName}-Moreau` });
    },
  },
  { name: 'deactivate', summary: 'Assign, then Deactivate: PATCH no-path {"active":false} (oin) or PUT (aiw)', run: assignThen('deactivate') },
  { name: 'reactivate', summary: 'Assign, Deactivate, then Reactivate', run: assignThen('deactivate', 'reactivate') },
  { name: 'sync-password', summary: 'Assign, then Sync Password', run: assignThen('syncPassword') },
  { name: 'suspend', summary: 'Assign, then Suspend (sends nothing unless suspendSendsDeactivate)', run: assignThen('suspend') },
  { name: 'import', summary: 'Import Now: page /Users and /Groups with count=100', run: (okta) => okta.importNow() },
  {
    name: 'push-groups',
    summary:
      'Push Groups: displayName existence check, then create or link, rename op with id, membership deltas, full push, Push now on an empty group, unlink with delete',
    async run(okta) {
      const group = okta.directory.groups[0];
      if (!group) throw new Error('the Okta directory has no groups');
      await assignEveryone(okta);
      await okta.pushGroups(group.key);
    },
  },
  {
    name: 'full-lifecycle',
    summary:
      'connect, assign, update, sync password, push groups, deactivate, reactivate, import, unassign, then re-assign (the existence check finds the deactivated user)',
    async run(okta) {
      const first = firstPerson(okta);
      const group = okta.directory.groups[0];
      await okta.testApiCredentials();
      await assignEveryone(okta);
      await okta.updateUserAttributes(first.key, { familyName: `${first.familyName}-Moreau` });
      await okta.syncPassword(first.key);
      if (group) await okta.pushGroups(group.key);
      await okta.deactivate(first.key);
      await okta.reactivate(first.key);
      await okta.importNow();
      for (const p of okta.directory.people) await okta.unassign(p.key);
      // assigned again: the existence check must find the user Okta deactivated (OKTA-REF "whenever a user is assigned")
      await okta.assign(first.key);
    },
  },
];

const OKTA_USER_AGENT = 'Okta SCIM Client 1.0.0';
const PROVISIONING_TASK = 'Automatic provisioning of user';

/** Okta-style SCIM client (docs/idp-patterns.md §2): Okta's verbs, headers, bodies and retry behaviour. Never DELETEs users. */
export class OktaSimulator extends BaseSimulator<OktaMode> {
  readonly idp = 'okta' as const;
  readonly scenarios = OKTA_SCENARIOS;
  readonly options: OktaOptions;

  constructor(opts: SimulatorOptions<OktaMode, OktaOptions>) {
    const o = { ...OKTA_DEFAULTS, ...opts.options };
    super(
      opts.mode ?? 'oin',
      opts,
      {
        headers: {
          'user-agent': OKTA_USER_AGENT,
          accept: 'application/scim+json',
          'accept-charset': 'utf-8',
          'accept-encoding': 'gzip,deflate',
          connection: 'Keep-Alive',
        },
        contentType: o.jsonContentType ? 'application/json' : 'application/scim+json; charset=utf-8',
        timeoutMs: 60_000,
        retry: oktaRetry(o),
      },
      { users: 3, groups: 1 },
    );
    this.options = o;
  }

  protected idpName(): IdpName {
    return 'okta';
  }

  /**
   * Okta surfaces failures as admin tasks: "<Okta error message>: <third-party error message>" (Okta: Troubleshoot
   * provisioning). A user task carries Okta's own prefix (see provisioningTask); other actions are named as they are.
   */
  protected word(f: Failure, action: string): string {
    const answer = (() => {
      switch (f.kind) {
        case 'rate_limited':
          return `rate limit exceeded (${f.message}); Okta gave up after ${this.options.maxRateLimitRetries} retries and created a task`;
        case 'conflict':
          return `the app answered 409 ${f.detail ?? 'uniqueness'}; provisioning stopped`;
        case 'server_error':
        case 'timeout':
        case 'network':
          return `${f.message}; the task failed and can be retried from the Okta Admin Console`;
        default:
          return f.message;
      }
    })();
    return action.startsWith(PROVISIONING_TASK) ? `${action}: ${answer}` : `${action} failed: ${answer}`;
  }

  /**
   * Okta's task message for a user it provisions, as its SCIM reference quotes it: "Automatic provisioning of user
   * `userName` to app `AppName` failed: Error while creating user `displayName`: ...". `doing` names the operation.
   */
  provisioningTask(p: Person, doing: 'creating' | 'updating' | 'activating' | 'looking up'): string {
    return `${PROVISIONING_TASK} ${p.userName} to app ${this.options.appName} failed: Error while ${doing} user ${p.displayName}`;
  }

  /** Push Groups on one group, every action in turn: push, deltas, rename, Push now (also when empty), unlink with delete. */
  async pushGroups(groupKey: string): Promise<void> {
    const g = this.group(groupKey);
    const others = this.directory.people.filter((p) => !g.memberKeys.includes(p.key)).map((p) => p.key);
    await this.pushGroup(groupKey);
    const leaving = g.memberKeys.slice(-1);
    await this.pushMembershipDelta(groupKey, { add: others, remove: leaving });
    await this.renameGroup(groupKey, `${g.displayName} Team`);
    await this.pushNow(groupKey);
    g.memberKeys = [];
    await this.pushNow(groupKey);
    await this.unlinkPushedGroup(groupKey, { deleteInTarget: true });
  }

  // ---- actions, each one step named as Okta's admin console names it ----

  testApiCredentials(): Promise<Step> {
    return this.session.step('Test API Credentials', async () => {
      const res = await this.request({
        method: 'GET',
        path: '/Users',
        query: [
          ['startIndex', '1'],
          ['count', '2'],
        ],
      });
      if (res.status !== 200) this.fail(res, 'Test API Credentials');
      const list = ListResponseSchema.safeParse(res.body);
      if (!list.success)
        throw new StepFailed(`Test API Credentials failed: the ListResponse is not what Okta reads (${formatIssues(list.error, { root: '(root)' })})`);
      if (this.options.testCredentialsReadsGroups) {
        const groups = await this.request({
          method: 'GET',
          path: '/Groups',
          query: [
            ['startIndex', '1'],
            ['count', '100'],
          ],
        });
        if (groups.status !== 200) this.fail(groups, 'Test API Credentials');
      }
      return { ok: true, message: 'App integration verified: credentials accepted', observed: { totalResults: list.data.totalResults } };
    });
  }

  /**
   * Assign: existence check by userName, then create (B1) or link to the match and push the profile if it differs.
   * Assigning again a user Okta deactivated (unassigned, deactivated) finds it by the same check: Okta links to it and
   * activates it with the B4 request [INF: the reference lists activation among the PATCH operations, no example].
   */
  assign(key: string): Promise<Step> {
    const p = person(this.directory, key);
    this.directory.assigned.add(key);
    return this.session.step('Assign', async () => {
      const found = await this.request({
        method: 'GET',
        path: '/Users',
        query: [
          ['filter', `userName eq ${quote(p.userName)}`],
          ['startIndex', '1'],
          ['count', '100'],
        ],
      });
      let match: ScimResource | undefined;
      if (found.status === 200) {
        const list = ListResponseSchema.safeParse(found.body);
        if (!list.success)
          throw new StepFailed(`${this.provisioningTask(p, 'looking up')}: unreadable ListResponse (${formatIssues(list.error, { root: '(root)' })})`);
        match = list.data.Resources?.[0] as ScimResource | undefined;
      } else if (found.status !== 404) {
        this.fail(found, this.provisioningTask(p, 'looking up'));
      }
      if (match) return this.link(key, p, match);
      const created = await this.request({ method: 'POST', path: '/Users', body: this.createBody(p) });
      if (created.status !== 201 && created.status !== 200) this.fail(created, this.provisioningTask(p, 'creating'));
      const r = resourceOf(created.body);
      if (!r) throw new StepFailed(`${this.provisioningTask(p, 'creating')}: Create new user returned empty user.`, { status: created.status });
      this.userIds.set(key, r.id);
      this.lastSeen.set(key, r);
      return { ok: true, message: `Created ${p.userName} in the app`, observed: { userId: r.id, created: true, active: r.active } };
    });
  }

  /** The matched app user becomes this Okta user's: activated when Okta had deactivated it, its profile pushed when it differs. */
  private async link(key: string, p: Person, match: ScimResource) {
    this.userIds.set(key, match.id);
    this.lastSeen.set(key, match);
    p.status = 'active';
    const reactivated = match.active === false;
    if (reactivated) {
      const res =
        this.mode === 'oin'
          ? await this.request({ method: 'PATCH', path: `/Users/${match.id}`, body: patchOp([{ op: 'replace', value: { active: true } }]) })
          : await this.request({ method: 'PUT', path: `/Users/${match.id}`, body: { ...match, active: true } });
      if (res.status !== 200 && res.status !== 204) this.fail(res, this.provisioningTask(p, 'activating'));
      this.lastSeen.set(key, this.remember(key, res.body) ?? { ...match, active: true });
    }
    if (profileDiffers(match, p)) {
      const put = await this.request({ method: 'PUT', path: `/Users/${match.id}`, body: this.profilePut(this.lastSeen.get(key) ?? match, p) });
      if (put.status !== 200) this.fail(put, this.provisioningTask(p, 'updating'));
      this.remember(key, put.body);
    }
    const message = `Linked ${p.userName} to the existing app user ${match.id}${reactivated ? ' and activated it' : ''}`;
    return { ok: true, message, observed: { userId: match.id, linked: true, ...(reactivated ? { reactivated: true } : {}) } };
  }

  /** Update User Attributes: GET then PUT of the fetched object with mapped attributes changed (B2). */
  updateUserAttributes(key: string, changes: Partial<Pick<Person, 'givenName' | 'familyName' | 'email' | 'locale'>>): Promise<Step> {
    const p = person(this.directory, key);
    Object.assign(p, changes);
    p.displayName = `${p.givenName} ${p.familyName}`;
    return this.session.step('Update User Attributes', async () => {
      const id = this.userId(key);
      const got = await this.request({ method: 'GET', path: `/Users/${id}` });
      if (got.status !== 200) this.fail(got, this.provisioningTask(p, 'updating'));
      const current = resourceOf(got.body);
      if (!current) throw new StepFailed(`${this.provisioningTask(p, 'updating')}: GET returned no user`);
      const res =
        this.options.oinPatchProfile && this.mode === 'oin'
          ? await this.request({
              method: 'PATCH',
              path: `/Users/${id}`,
              body: patchOp([{ op: 'replace', value: { name: { givenName: p.givenName, familyName: p.familyName }, displayName: p.displayName } }]),
            })
          : await this.request({ method: 'PUT', path: `/Users/${id}`, body: this.profilePut(current, p) });
      if (res.status !== 200 && res.status !== 204) this.fail(res, this.provisioningTask(p, 'updating'));
      const r = this.remember(key, res.body);
      const name = r?.name as { familyName?: string } | undefined;
      return { ok: true, message: `Pushed profile of ${p.userName}`, observed: { userId: id, familyName: name?.familyName } };
    });
  }

  deactivate(key: string): Promise<Step> {
    return this.setActive(key, false, 'Deactivate');
  }

  /** Unassigning a user from the app is a deactivation too (§2.1); nothing is deleted. */
  unassign(key: string): Promise<Step> {
    this.directory.assigned.delete(key);
    return this.setActive(key, false, 'Unassign');
  }

  reactivate(key: string): Promise<Step> {
    return this.setActive(key, true, 'Reactivate');
  }

  /** Suspend sends nothing under the current reference; an option restores the older active=false behaviour. */
  suspend(key: string): Promise<Step> {
    if (this.options.suspendSendsDeactivate) return this.setActive(key, false, 'Suspend');
    person(this.directory, key).status = 'suspended';
    return this.session.step('Suspend', async () => ({ ok: true, message: 'Suspended in Okta; no request is sent to the app', observed: {} }));
  }

  syncPassword(key: string): Promise<Step> {
    const p = person(this.directory, key);
    p.password = this.directory.faker.internet.password({ length: 16, prefix: 'Aa1!' });
    return this.session.step('Sync Password', async () => {
      const id = this.userId(key);
      const res =
        this.mode === 'oin'
          ? await this.request({ method: 'PATCH', path: `/Users/${id}`, body: patchOp([{ op: 'replace', value: { password: p.password } }]) })
          : await this.request({ method: 'PUT', path: `/Users/${id}`, body: { ...(await this.known(key)), password: p.password } });
      if (res.status !== 200 && res.status !== 204) this.fail(res, this.provisioningTask(p, 'updating'));
      this.remember(key, res.body);
      return { ok: true, message: `Password pushed for ${p.userName}`, observed: { userId: id, status: res.status } };
    });
  }

  /** Import Now: pages of 100 from startIndex 1 until totalResults, users then groups. */
  importNow(): Promise<Step> {
    return this.session.step('Import Now', async () => {
      const users = await this.pageAll('/Users');
      const groups = await this.pageAll('/Groups');
      return { ok: true, message: `Imported ${users} users and ${groups} groups`, observed: { users, groups } };
    });
  }

  /**
   * Push Groups (first push): the existence check by displayName, then POST with empty members (B6) or a link to the
   * group found, then the rename op carrying the id (B7) and adds (B8). OKTA-REF: "Okta checks that the Group object
   * exists on the SCIM server through a GET method request with the filter=displayName eq "${groupName}" path parameter."
   */
  pushGroup(groupKey: string): Promise<Step> {
    const g = this.group(groupKey);
    return this.session.step('Push Groups', async () => {
      const existing = await this.findGroup(g.displayName);
      let groupId: string;
      if (existing) {
        groupId = existing.id;
      } else {
        const created = await this.request({ method: 'POST', path: '/Groups', body: { schemas: [URN.group], displayName: g.displayName, members: [] } });
        if (created.status !== 201 && created.status !== 200) this.fail(created, `Push group ${g.displayName}`);
        const r = resourceOf(created.body);
        if (!r) throw new StepFailed(`Push group ${g.displayName} failed: the create answer has no id`);
        groupId = r.id;
      }
      this.groupIds.set(groupKey, groupId);
      const members = this.pushable(g.memberKeys);
      if (this.mode === 'aiw') {
        await this.groupPut(groupKey, members);
      } else {
        await this.groupRenameOp(groupKey);
        if (members.length > 0) await this.groupPatch(groupKey, [{ op: 'add', path: 'members', value: members.map(memberRef) }]);
      }
      const how = existing ? `Linked ${g.displayName} to the existing app group ${groupId}` : `Pushed ${g.displayName}`;
      return {
        ok: true,
        message: `${how} with ${members.length} members`,
        observed: { groupId, members: members.length, ...(existing ? { linked: true } : { created: true }) },
      };
    });
  }

  /** The group existence check: a 404 Error counts as "not found", as for users. */
  private async findGroup(displayName: string): Promise<ScimResource | undefined> {
    const res = await this.request({
      method: 'GET',
      path: '/Groups',
      query: [
        ['filter', `displayName eq ${quote(displayName)}`],
        ['startIndex', '1'],
        ['count', '100'],
      ],
    });
    if (res.status === 404) return undefined;
    if (res.status !== 200) this.fail(res, `Push group ${displayName}`);
    const list = ListResponseSchema.safeParse(res.body);
    if (!list.success) throw new StepFailed(`Push group ${displayName} failed: unreadable ListResponse (${formatIssues(list.error, { root: '(root)' })})`);
    return list.data.Resources?.[0] as ScimResource | undefined;
  }

  /** A membership delta (B7 then B8 with removes and adds in one request; AIW: PUT with the full list). */
  pushMembershipDelta(groupKey: string, delta: { add: string[]; remove: string[] }): Promise<Step> {
    const g = this.group(groupKey);
    const removed = this.pushable(delta.remove);
    g.memberKeys = [...g.memberKeys.filter((k) => !delta.remove.includes(k)), ...delta.add.filter((k) => !g.memberKeys.includes(k))];
    const added = this.pushable(delta.add);
    return this.session.step('Push Groups', async () => {
      this.groupId(groupKey);
      if (this.mode === 'aiw') {
        await this.groupPut(groupKey, this.pushable(g.memberKeys));
      } else {
        await this.groupRenameOp(groupKey);
        const ops: Array<Record<string, unknown>> = removed.map((m) => ({ op: 'remove', path: `members[value eq ${quote(m.id)}]` }));
        if (added.length > 0) ops.push({ op: 'add', path: 'members', value: added.map(memberRef) });
        if (ops.length > 0) await this.groupPatch(groupKey, ops);
      }
      return { ok: true, message: `Membership update pushed: +${added.length} -${removed.length}`, observed: { added: added.length, removed: removed.length } };
    });
  }

  /** Rename groups: the B7 op with the new name (AIW: PUT). */
  renameGroup(groupKey: string, displayName: string): Promise<Step> {
    const g = this.group(groupKey);
    g.displayName = displayName;
    return this.session.step('Push Groups', async () => {
      if (this.mode === 'aiw') await this.groupPut(groupKey, this.pushable(g.memberKeys));
      else await this.groupRenameOp(groupKey);
      return { ok: true, message: `Renamed the pushed group to ${displayName}`, observed: { displayName } };
    });
  }

  /** Push now: a full membership push (B9), `value: []` when the group is empty; AIW: PUT (B10). */
  pushNow(groupKey: string): Promise<Step> {
    const g = this.group(groupKey);
    return this.session.step('Push now', async () => {
      const members = this.pushable(g.memberKeys);
      if (this.mode === 'aiw') {
        await this.groupPut(groupKey, members);
      } else if (this.options.noPathMemberReplace) {
        await this.groupPatch(groupKey, [
          { op: 'replace', value: { members: members.map(memberRef), id: this.groupId(groupKey), displayName: g.displayName } },
        ]);
      } else {
        await this.groupRenameOp(groupKey);
        await this.groupPatch(groupKey, [{ op: 'replace', path: 'members', value: members.map(memberRef) }]);
      }
      return { ok: true, message: `Pushed all ${members.length} members of ${g.displayName}`, observed: { members: members.length } };
    });
  }

  /** Unlink pushed group: "Delete the group in the target app" sends DELETE; "Leave the group" sends nothing. */
  unlinkPushedGroup(groupKey: string, opts: { deleteInTarget: boolean }): Promise<Step> {
    const g = this.group(groupKey);
    return this.session.step('Unlink pushed group', async () => {
      const id = this.groupId(groupKey);
      this.groupIds.delete(groupKey);
      if (!opts.deleteInTarget) return { ok: true, message: `Unlinked ${g.displayName}; the group was left in the app`, observed: { groupId: id } };
      const res = await this.request({ method: 'DELETE', path: `/Groups/${id}` });
      if (res.status !== 204 && res.status !== 200) this.fail(res, `Delete the group ${g.displayName} in the target app`);
      return { ok: true, message: `Unlinked ${g.displayName} and deleted it in the app`, observed: { groupId: id, status: res.status } };
    });
  }

  // ---- request bodies ----

  /** B1: core schema only, password always present, externalId = Okta user id, groups empty. */
  createBody(p: Person): Record<string, unknown> {
    return {
      schemas: [URN.user],
      userName: p.userName,
      name: { givenName: p.givenName, familyName: p.familyName },
      emails: [{ primary: true, value: p.email, type: 'work' }],
      displayName: p.displayName,
      locale: p.locale,
      externalId: p.idpId,
      groups: [],
      password: p.password,
      active: true,
    };
  }

  /** B2: the object Okta last fetched, with its mapped attributes changed. */
  profilePut(current: ScimResource, p: Person): Record<string, unknown> {
    const name = (current.name && typeof current.name === 'object' ? current.name : {}) as Record<string, unknown>;
    return {
      ...current,
      userName: p.userName,
      name: { ...name, givenName: p.givenName, familyName: p.familyName },
      emails: [{ primary: true, value: p.email, type: 'work' }],
      displayName: p.displayName,
      locale: p.locale,
    };
  }

  private setActive(key: string, active: boolean, action: string): Promise<Step> {
    const p = person(this.directory, key);
    p.status = active ? 'active' : 'disabled';
    return this.session.step(action, async () => {
      const id = this.userId(key);
      const res =
        this.mode === 'oin'
          ? await this.request({ method: 'PATCH', path: `/Users/${id}`, body: patchOp([{ op: 'replace', value: { active } }]) })
          : await this.request({ method: 'PUT', path: `/Users/${id}`, body: { ...(await this.known(key)), active } });
      if (res.status !== 200 && res.status !== 204) this.fail(res, `${action} ${p.userName}`);
      const r = this.remember(key, res.body);
      return { ok: true, message: `${PAST[action] ?? action} ${p.userName}`, observed: { userId: id, active: r ? r.active : undefined, status: res.status } };
    });
  }

  /** AIW PUTs the representation Okta last saw; without one it reads the user first. */
  private async known(key: string): Promise<ScimResource> {
    const seen = this.lastSeen.get(key);
    if (seen) return seen;
    const got = await this.request({ method: 'GET', path: `/Users/${this.userId(key)}` });
    if (got.status !== 200) this.fail(got, 'Read the app user');
    const r = this.remember(key, got.body);
    if (!r) throw new StepFailed('GET returned no user');
    return r;
  }

  private async pageAll(path: '/Users' | '/Groups'): Promise<number> {
    let seen = 0;
    for (let startIndex = 1, pages = 0; pages < 100_000; pages++) {
      const res = await this.request({
        method: 'GET',
        path,
        query: [
          ['startIndex', String(startIndex)],
          ['count', '100'],
        ],
      });
      if (res.status !== 200) this.fail(res, `Import ${path.slice(1)}`);
      const list = ListResponseSchema.safeParse(res.body);
      if (!list.success)
        throw new StepFailed(
          `Import failed: ${path} page at ${startIndex} is not a ListResponse Okta can read (${formatIssues(list.error, { root: '(root)' })})`,
        );
      const n = list.data.Resources?.length ?? 0;
      seen += n;
      startIndex += 100;
      if (n === 0 || startIndex > list.data.totalResults) break;
    }
    return seen;
  }

  private group(key: string) {
    const g = this.directory.groups.find((x) => x.key === key);
    if (!g) throw new Error(`no group ${key} in the Okta directory`);
    return g;
  }

  /** Members are pushed only when assigned to the app and linked to a target user (§2.5). */
  private pushable(keys: string[]): Array<{ id: string; display: string }> {
    return keys
      .filter((k) => this.directory.assigned.has(k) && this.userIds.has(k))
      .map((k) => ({ id: this.userIds.get(k) as string, display: person(this.directory, k).userName }));
  }

  private async groupRenameOp(groupKey: string): Promise<void> {
    const g = this.group(groupKey);
    await this.groupPatch(groupKey, [{ op: 'replace', value: { id: this.groupId(groupKey), displayName: g.displayName } }]);
  }

  private async groupPatch(groupKey: string, ops: Array<Record<string, unknown>>): Promise<void> {
    const res = await this.request({ method: 'PATCH', path: `/Groups/${this.groupId(groupKey)}`, body: patchOp(ops) });
    if (res.status !== 200 && res.status !== 204) this.fail(res, `Push group ${this.group(groupKey).displayName}`);
  }

  private async groupPut(groupKey: string, members: Array<{ id: string; display: string }>): Promise<void> {
    const g = this.group(groupKey);
    const res = await this.request({
      method: 'PUT',
      path: `/Groups/${this.groupId(groupKey)}`,
      body: { schemas: [URN.group], displayName: g.displayName, members: members.map(memberRef) },
    });
    if (res.status !== 200 && res.status !== 204) this.fail(res, `Push group ${g.displayName}`);
  }
}

const PAST: Record<string, string> = { Deactivate: 'Deactivated', Unassign: 'Unassigned', Reactivate: 'Reactivated', Suspend: 'Suspended' };

/** Okta's member objects: `value` and `display`, no `type`, no `$ref` (SCIM-SDK #419). */
function memberRef(m: { id: string; display: string }): { value: string; display: string } {
  return { value: m.id, display: m.display };
}

function profileDiffers(r: ScimResource, p: Person): boolean {
  const name = (r.name ?? {}) as Record<string, unknown>;
  return name.givenName !== p.givenName || name.familyName !== p.familyName || r.displayName !== p.displayName;
}
