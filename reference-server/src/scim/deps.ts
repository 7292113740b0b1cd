import type { ServerOptions } from '../config.ts';
import type { Defects } from '../defects/index.ts';
import type { Store } from '../store/index.ts';
import type { ScimEvents } from './events.ts';

/** What the optional Bulk route reports in /ServiceProviderConfig once it is registered. */
export interface BulkCapability {
  supported: boolean;
  maxOperations: number;
  maxPayloadSize: number;
}

/** Shared by every SCIM route module. */
export interface ScimDeps {
  store: Store;
  events: ScimEvents;
  defects: Defects;
  options: ServerOptions;
  /** Filled in by the Bulk route when it registers; read by /ServiceProviderConfig. */
  capabilities: { bulk: BulkCapability };
}
