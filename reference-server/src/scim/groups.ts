import type { FastifyInstance } from 'fastify';
import { ScimError } from '../errors.ts';
import { newResourceId } from '../store/ids.ts';
import type { Member, MemberChange } from '../store/groups.ts';
import type { Json, StoredResource } from '../store/resources.ts';
import type { ScimContext } from './auth.ts';
import { checkIfMatch, notModified } from './conditional.ts';
import type { ScimDeps } from './deps.ts';
import type { ListParams } from './list.ts';
import { isReturned, projected } from './projection.ts';
import { etagOf, groupResource } from './representation.ts';
import { GROUP } from './resource-types.ts';
import { readListQuery, readSearchBody, runList, type Lister } from './search.ts';
import { validateResource } from './validate.ts';

type Params = { id: string };

export function groupsLister(deps: ScimDeps): Lister {
  const groups = deps.store.groups;
  const lister: Lister = {
    kind: 'Group',
    fetch: (ctx, query) => groups.list(ctx.accountId, query),
    // A group read that excludes members never loads them (Entra always sends excludedAttributes=members).
    render: (ctx, stored, params) =>
      projected(
        'Group',
        groupResource(ctx.base, stored, isReturned('Group', params, 'members') ? groups.members(ctx.accountId, stored.id) : undefined),
        params,
      ),
  };
  return deps.seams.lister?.(lister) ?? lister;
}

/**
 * Resolves members as sent to rows: each must be a user or group of the account, a given `type` must match it,
 * and a group cannot contain itself. Duplicates collapse.
 */
export function resolveMembers(deps: ScimDeps, ctx: ScimContext, sent: { value: string; type?: string }[], groupId?: string): Member[] {
  const unique = new Map(sent.map((m) => [m.value, m]));
  const types = deps.store.groups.memberTypes(ctx.accountId, [...unique.keys()]);
  return [...unique.values()].map((m) => {
    const type = types.get(m.value);
    if (!type) throw new ScimError('invalidValue', `member ${m.value} is not a User or Group of this account`);
    if (m.type && m.type.toLowerCase() !== type.toLowerCase()) throw new ScimError('invalidValue', `member ${m.value} is a ${type}, not a ${m.type}`);
    if (m.value === groupId) throw new ScimError('invalidValue', 'a group cannot be a member of itself');
    return { id: m.value, type };
  });
}

export function groupRoutes(scope: FastifyInstance, deps: ScimDeps): void {
  const { store, events } = deps;
  const groups = store.groups;
  const lister = groupsLister(deps);
  const render = (ctx: ScimContext, stored: StoredResource, params: ListParams = {}) => lister.render(ctx, stored, params);

  const load = (ctx: ScimContext, id: string): StoredResource => {
    const stored = groups.get(ctx.accountId, id);
    if (!stored) throw new ScimError('notFound', `Group ${id} not found`);
    return stored;
  };

  /** Member rows changed; users carry `groups`, so their versions move too. */
  const applyMembers = (ctx: ScimContext, id: string, change: MemberChange) => {
    const delta = groups.changeMembers(ctx.accountId, id, change);
    store.users.touch(ctx.accountId, [...delta.added, ...delta.removed]);
    return delta;
  };

  scope.post('/Groups', async (request, reply) => {
    const ctx = request.scim!;
    const input = validateResource(GROUP, request.body, 'create');
    const id = newResourceId();
    const stored = store.tx(() => {
      const members = resolveMembers(deps, ctx, input.members ?? []);
      const created = groups.insert(ctx.accountId, id, input.data, members);
      store.users.touch(
        ctx.accountId,
        members.map((m) => m.id),
      );
      return created;
    });
    const body = render(ctx, stored);
    events.publish('group.created', { accountId: ctx.accountId, id, displayName: String(body.displayName), resource: body });
    return reply
      .code(201)
      .header('location', (body.meta as Json).location as string)
      .header('etag', etagOf(stored.version))
      .send(projected('Group', body, readListQuery(request)));
  });

  scope.get<{ Params: Params }>('/Groups/:id', async (request, reply) => {
    const ctx = request.scim!;
    const stored = load(ctx, request.params.id);
    reply.header('etag', etagOf(stored.version));
    if (notModified(request, stored.version)) return reply.code(304).send();
    return render(ctx, stored, readListQuery(request));
  });

  scope.put<{ Params: Params }>('/Groups/:id', async (request, reply) => {
    const ctx = request.scim!;
    const id = request.params.id;
    const input = validateResource(GROUP, request.body, 'replace');
    const { after, delta } = store.tx(() => {
      const current = load(ctx, id);
      checkIfMatch(request, current.version);
      validateResource(GROUP, request.body, 'replace', current.data);
      groups.update(ctx.accountId, id, input.data);
      const delta = applyMembers(ctx, id, { replaceAll: resolveMembers(deps, ctx, input.members ?? [], id) });
      return { after: load(ctx, id), delta };
    });
    const body = render(ctx, after);
    events.publish('group.updated', {
      accountId: ctx.accountId,
      id,
      displayName: String(body.displayName),
      resource: body,
      addedMembers: delta.added,
      removedMembers: delta.removed,
    });
    return reply.header('etag', etagOf(after.version)).send(projected('Group', body, readListQuery(request)));
  });

  scope.delete<{ Params: Params }>('/Groups/:id', async (request, reply) => {
    const ctx = request.scim!;
    const id = request.params.id;
    const last = store.tx(() => {
      const current = load(ctx, id);
      checkIfMatch(request, current.version);
      const memberIds = groups.memberIds(ctx.accountId, id);
      const body = groupResource(ctx.base, current, undefined);
      groups.delete(ctx.accountId, id);
      store.users.touch(ctx.accountId, memberIds);
      return { body, memberIds };
    });
    events.publish('group.deleted', {
      accountId: ctx.accountId,
      id,
      displayName: String(last.body.displayName),
      resource: last.body,
      removedMembers: last.memberIds,
    });
    return reply.code(204).send();
  });

  scope.get('/Groups', async (request) => runList(deps, lister, request.scim!, readListQuery(request)));
  scope.post('/Groups/.search', async (request, reply) => reply.code(200).send(runList(deps, lister, request.scim!, readSearchBody(request.body))));
}
