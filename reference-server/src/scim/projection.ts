import { isReturned as engineIsReturned, project } from '../protocol/projection.ts';
import type { Json } from '../store/resources.ts';
import type { ListParams } from './list.ts';
import type { ResourceKind } from './resource-types.ts';

/** attributes / excludedAttributes through the projection engine; without either list the resource is unchanged. */
export function projected(kind: ResourceKind, resource: Json, params: ListParams): Json {
  if (!params.attributes && !params.excludedAttributes) return resource;
  return project(resource, kind, params);
}

/** Whether to load a derived attribute (`groups`, `members`) at all for this request. */
export function isReturned(kind: ResourceKind, params: ListParams, name: string): boolean {
  if (!params.attributes && !params.excludedAttributes) return true;
  return engineIsReturned(kind, params, name);
}
