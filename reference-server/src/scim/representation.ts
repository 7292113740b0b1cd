import type { UserGroupRef } from '../store/users.ts';
import type { MemberView } from '../store/groups.ts';
import type { Json, StoredResource } from '../store/resources.ts';
import { ENTERPRISE_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from './resource-types.ts';

/** Weak ETag of a stored version (RFC 7644 §3.14); the same string is `meta.version`. */
export const etagOf = (version: number): string => `W/"${version}"`;

function meta(resourceType: string, stored: StoredResource, location: string): Json {
  return { resourceType, created: stored.created, lastModified: stored.lastModified, location, version: etagOf(stored.version) };
}

/** Puts `externalId` first after `id`, as clients read it, then the rest of `data`. */
function ordered(stored: StoredResource): Json {
  const { externalId, ...rest } = stored.data;
  return externalId === undefined ? rest : { externalId, ...rest };
}

/**
 * The full User representation: `groups` derived from membership, the manager returned as `{value,$ref}`,
 * the enterprise schema listed only when the extension holds data.
 */
export function userResource(base: string, stored: StoredResource, groups: UserGroupRef[] | undefined): Json {
  const body: Json = { schemas: [USER_SCHEMA], id: stored.id, ...ordered(stored) };
  const ext = stored.data[ENTERPRISE_SCHEMA] as Json | undefined;
  if (ext) {
    body.schemas = [USER_SCHEMA, ENTERPRISE_SCHEMA];
    const manager = ext.manager as Json | undefined;
    if (manager && typeof manager.value === 'string') {
      body[ENTERPRISE_SCHEMA] = { ...ext, manager: { value: manager.value, $ref: `${base}/Users/${manager.value}` } };
    }
  }
  if (groups && groups.length > 0) {
    body.groups = groups.map((g) => ({ value: g.id, $ref: `${base}/Groups/${g.id}`, display: g.displayName, type: 'direct' }));
  }
  body.meta = meta('User', stored, `${base}/Users/${stored.id}`);
  return body;
}

/** The Group representation; `members` undefined means they were not loaded (excluded by the request). */
export function groupResource(base: string, stored: StoredResource, members: MemberView[] | undefined): Json {
  const body: Json = { schemas: [GROUP_SCHEMA], id: stored.id, ...ordered(stored) };
  if (members && members.length > 0) {
    body.members = members.map((m) => {
      const member: Json = { value: m.id, $ref: `${base}/${m.type === 'User' ? 'Users' : 'Groups'}/${m.id}`, type: m.type };
      if (m.display !== null) member.display = m.display;
      return member;
    });
  }
  body.meta = meta('Group', stored, `${base}/Groups/${stored.id}`);
  return body;
}
