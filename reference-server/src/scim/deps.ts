import type { FastifyInstance } from 'fastify';
import type { ServerOptions } from '../config.ts';
import type { PatchEngineOptions } from '../protocol/patch/apply.ts';
import type { Store } from '../store/index.ts';
import type { ScimEvents } from './events.ts';
import type { Lister, ListQueryOptions } from './query.ts';

/** What the optional Bulk route reports in /ServiceProviderConfig once it is registered. */
export interface BulkCapability {
  supported: boolean;
  maxOperations: number;
  maxPayloadSize: number;
}

/**
 * Where the SCIM service can be changed from outside, each named for what it changes; none is set in the correct
 * service (the deliberate defects of reference-server/src/defects/ use them).
 */
export interface ScimSeams {
  /** Adds Fastify hooks to the SCIM scope, right after authentication's. */
  hooks?: (scope: FastifyInstance) => void;
  /** How list filters compile. */
  listQuery?: ListQueryOptions;
  /** How the PATCH engine reads and applies operations. */
  patch?: PatchEngineOptions;
  /** Wraps each resource type's lister (how resources are fetched and rendered). */
  lister?: (lister: Lister) => Lister;
  /** DELETE /Users/:id leaves the user's group membership rows in place. */
  userDeleteKeepsMemberships?: boolean;
}

/** Shared by every SCIM route module. */
export interface ScimDeps {
  store: Store;
  events: ScimEvents;
  seams: ScimSeams;
  options: ServerOptions;
  /** Filled in by the Bulk route when it registers; read by /ServiceProviderConfig. */
  capabilities: { bulk: BulkCapability };
}
