import type { FastifyInstance } from 'fastify';
import { ScimError } from '../errors.ts';
import { newResourceId } from '../store/ids.ts';
import type { Json, StoredResource } from '../store/resources.ts';
import type { UserGroupRef } from '../store/users.ts';
import type { ScimContext } from './auth.ts';
import { checkIfMatch, notModified } from './conditional.ts';
import type { ScimDeps } from './deps.ts';
import type { ScimEventName } from './events.ts';
import type { ListParams } from './list.ts';
import { hashPassword } from './password.ts';
import { isReturned, projected } from './projection.ts';
import { etagOf, userResource } from './representation.ts';
import { USER } from './resource-types.ts';
import { readListQuery, readSearchBody, runList, type Lister } from './search.ts';
import { validateResource } from './validate.ts';

type Params = { id: string };

/** The event a committed user write publishes: a flip of `active` is a (de)activation, anything else an update. */
export function userChangeEvent(before: Json, after: Json): ScimEventName {
  const was = before.active !== false;
  const is = after.active !== false;
  if (was && !is) return 'user.deactivated';
  if (!was && is) return 'user.reactivated';
  return 'user.updated';
}

export function usersLister(deps: ScimDeps): Lister {
  const users = deps.store.users;
  // A page's groups in one query instead of one per user; render runs right after fetch, in the same tick.
  const pageGroups = new WeakMap<StoredResource, UserGroupRef[]>();
  const lister: Lister = {
    kind: 'User',
    fetch: (ctx, query) => {
      const result = users.list(ctx.accountId, query);
      if (result.items.length > 1) {
        const groups = users.groupsOfMany(
          ctx.accountId,
          result.items.map((u) => u.id),
        );
        for (const u of result.items) pageGroups.set(u, groups.get(u.id) ?? []);
      }
      return result;
    },
    render: (ctx, stored, params: ListParams) => {
      const groups = isReturned('User', params, 'groups') ? (pageGroups.get(stored) ?? users.groupsOf(ctx.accountId, stored.id)) : undefined;
      return projected('User', userResource(ctx.base, stored, groups), params);
    },
  };
  return deps.seams.lister?.(lister) ?? lister;
}

export function userRoutes(scope: FastifyInstance, deps: ScimDeps): void {
  const { store, events, seams } = deps;
  const users = store.users;
  const lister = usersLister(deps);
  const render = (ctx: ScimContext, stored: StoredResource, params: ListParams = {}) => lister.render(ctx, stored, params);

  const load = (ctx: ScimContext, id: string): StoredResource => {
    const stored = users.get(ctx.accountId, id);
    if (!stored) throw new ScimError('notFound', `User ${id} not found`);
    return stored;
  };

  const publish = (name: ScimEventName, ctx: ScimContext, resource: Json) =>
    events.publish(name, { accountId: ctx.accountId, id: String(resource.id), userName: String(resource.userName), resource });

  scope.post('/Users', async (request, reply) => {
    const ctx = request.scim!;
    const input = validateResource(USER, request.body, 'create');
    const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
    const stored = store.tx(() => users.insert(ctx.accountId, newResourceId(), input.data, passwordHash));
    const body = render(ctx, stored);
    publish('user.created', ctx, body);
    return reply
      .code(201)
      .header('location', (body.meta as Json).location as string)
      .header('etag', etagOf(stored.version))
      .send(projected('User', body, readListQuery(request)));
  });

  scope.get<{ Params: Params }>('/Users/:id', async (request, reply) => {
    const ctx = request.scim!;
    const stored = load(ctx, request.params.id);
    reply.header('etag', etagOf(stored.version));
    if (notModified(request, stored.version)) return reply.code(304).send();
    return render(ctx, stored, readListQuery(request));
  });

  scope.put<{ Params: Params }>('/Users/:id', async (request, reply) => {
    const ctx = request.scim!;
    const id = request.params.id;
    // Validate before hashing so a bad body costs no KDF time; immutables are checked against the row inside the tx.
    const input = validateResource(USER, request.body, 'replace');
    const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
    const { before, after } = store.tx(() => {
      const current = load(ctx, id);
      checkIfMatch(request, current.version);
      validateResource(USER, request.body, 'replace', current.data);
      return { before: current, after: users.update(ctx.accountId, id, input.data, passwordHash) };
    });
    const body = render(ctx, after);
    publish(userChangeEvent(before.data, after.data), ctx, body);
    return reply.header('etag', etagOf(after.version)).send(projected('User', body, readListQuery(request)));
  });

  scope.delete<{ Params: Params }>('/Users/:id', async (request, reply) => {
    const ctx = request.scim!;
    const id = request.params.id;
    const last = store.tx(() => {
      const current = load(ctx, id);
      checkIfMatch(request, current.version);
      const body = render(ctx, current);
      users.delete(ctx.accountId, id, { keepMemberships: seams.userDeleteKeepsMemberships ?? false });
      return body;
    });
    publish('user.deleted', ctx, last);
    return reply.code(204).send();
  });

  scope.get('/Users', async (request) => runList(deps, lister, request.scim!, readListQuery(request)));
  scope.post('/Users/.search', async (request, reply) => reply.code(200).send(runList(deps, lister, request.scim!, readSearchBody(request.body))));
}
