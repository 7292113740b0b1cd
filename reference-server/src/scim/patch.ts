import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ScimError } from '../errors.ts';
import { applyPatch, type PatchResult } from '../protocol/patch/apply.ts';
import type { Json, StoredResource } from '../store/resources.ts';
import type { ScimContext } from './auth.ts';
import { checkIfMatch } from './conditional.ts';
import type { ScimDeps } from './deps.ts';
import { groupsLister, resolveMembers } from './groups.ts';
import { hashPassword } from './password.ts';
import { projected } from './projection.ts';
import { etagOf, groupResource, userResource } from './representation.ts';
import { GROUP, USER, type ResourceSpec } from './resource-types.ts';
import { readListQuery } from './search.ts';
import { userChangeEvent, usersLister } from './users.ts';
import { validateResource } from './validate.ts';

type Params = { id: string };

/** Keys of a resource's JSON that are not stored in `data` (docs/decisions/0001). */
const NOT_DATA = new Set(['id', 'schemas', 'meta', 'groups', 'members']);

/**
 * The JSON the PATCH engine works on: `data` plus the readOnly `id` (Okta repeats it) and `meta` as the client saw
 * them, so a PATCH repeating them changes nothing and one changing them is 400 mutability; for users also the
 * derived `groups`.
 */
function patchable(stored: StoredResource, shown: Json, extra: Json = {}): Json {
  return { id: stored.id, ...stored.data, meta: shown.meta, ...extra };
}

/** The engine's result back to stored `data`, checked by the same schema rules as POST and PUT. */
function toData(spec: ResourceSpec, resource: Json): Json {
  const body: Json = {};
  for (const [k, v] of Object.entries(resource)) if (!NOT_DATA.has(k)) body[k] = v;
  return validateResource(spec, body, 'replace').data;
}

/** RFC 7644 §3.5.2: 200 with the resource, or 204. Groups answer 204 unless the request asks for attributes. */
function wantsBody(request: FastifyRequest): boolean {
  const q = readListQuery(request);
  return q.attributes !== undefined || q.excludedAttributes !== undefined;
}

export function patchRoutes(scope: FastifyInstance, deps: ScimDeps): void {
  const { store, events, seams } = deps;
  const users = usersLister(deps);
  const groups = groupsLister(deps);

  const loadUser = (ctx: ScimContext, id: string) => {
    const stored = store.users.get(ctx.accountId, id);
    if (!stored) throw new ScimError('notFound', `User ${id} not found`);
    return stored;
  };
  const loadGroup = (ctx: ScimContext, id: string) => {
    const stored = store.groups.get(ctx.accountId, id);
    if (!stored) throw new ScimError('notFound', `Group ${id} not found`);
    return stored;
  };

  scope.patch<{ Params: Params }>('/Users/:id', async (request, reply) => {
    const ctx = request.scim!;
    const id = request.params.id;
    const run = () => {
      const current = loadUser(ctx, id);
      checkIfMatch(request, current.version);
      const groupRefs = store.users.groupsOf(ctx.accountId, id).map((g) => ({ value: g.id, display: g.displayName, type: 'direct' }));
      const shown = userResource(ctx.base, current, undefined);
      const result = applyPatch(patchable(current, shown, groupRefs.length > 0 ? { groups: groupRefs } : {}), request.body, { ...seams.patch, kind: 'User' });
      return { current, result };
    };
    // A new password is hashed off the event loop first; the patch is then re-applied to the row inside the transaction.
    const first = run();
    const passwordHash = first.result.password === undefined ? undefined : await hashPassword(first.result.password);
    const { current, after } = store.tx(() => {
      const { current, result } = run();
      if (!result.changed) return { current, after: current };
      return { current, after: store.users.update(ctx.accountId, id, toData(USER, result.resource), result.password === undefined ? undefined : passwordHash) };
    });
    const body = users.render(ctx, after, {});
    if (after.version !== current.version) {
      events.publish(userChangeEvent(current.data, after.data), { accountId: ctx.accountId, id, userName: String(after.data.userName), resource: body });
    }
    return reply.header('etag', etagOf(after.version)).send(projected('User', body, readListQuery(request)));
  });

  scope.patch<{ Params: Params }>('/Groups/:id', async (request, reply) => {
    const ctx = request.scim!;
    const id = request.params.id;
    const outcome = store.tx(() => {
      const current = loadGroup(ctx, id);
      checkIfMatch(request, current.version);
      const result: PatchResult = applyPatch(patchable(current, groupResource(ctx.base, current, undefined)), request.body, {
        ...seams.patch,
        kind: 'Group',
        loadMembers: () =>
          store.groups.members(ctx.accountId, id).map((m) => ({ value: m.id, type: m.type, ...(m.display === null ? {} : { display: m.display }) })),
      });
      if (!result.changed) return { before: current, after: current, added: [] as string[], removed: [] as string[] };
      const data = toData(GROUP, result.resource);
      if (JSON.stringify(data) !== JSON.stringify(current.data)) store.groups.update(ctx.accountId, id, data);
      let added: string[] = [];
      let removed: string[] = [];
      const delta = result.members;
      if (delta) {
        const change = store.groups.changeMembers(ctx.accountId, id, {
          removeAll: delta.removeAll,
          replaceAll: delta.replaceAll && resolveMembers(deps, ctx, delta.replaceAll, id),
          remove: delta.remove,
          add: resolveMembers(deps, ctx, delta.add, id),
        });
        store.users.touch(ctx.accountId, [...change.added, ...change.removed]);
        ({ added, removed } = change);
      }
      return { before: current, after: loadGroup(ctx, id), added, removed };
    });
    const { before, after, added, removed } = outcome;
    const params = readListQuery(request);
    const body = wantsBody(request) ? groups.render(ctx, after, params) : undefined;
    if (after.version !== before.version) {
      events.publish('group.updated', {
        accountId: ctx.accountId,
        id,
        displayName: String(after.data.displayName),
        resource: body ?? groups.render(ctx, after, { excludedAttributes: ['members'] }),
        addedMembers: added,
        removedMembers: removed,
      });
    }
    reply.header('etag', etagOf(after.version));
    if (!body) return reply.code(204).send();
    return body;
  });
}
