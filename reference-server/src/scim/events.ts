import { EventEmitter } from 'node:events';
import type { FastifyBaseLogger } from 'fastify';

export type ScimEventName =
  | 'user.created'
  | 'user.updated'
  | 'user.deactivated'
  | 'user.reactivated'
  | 'user.deleted'
  | 'group.created'
  | 'group.updated'
  | 'group.deleted';

/**
 * What listeners receive. One event per committed write: a write that flips `active` is reported as
 * `user.deactivated` / `user.reactivated` (not also as `user.updated`). `resource` is the SCIM representation after
 * the write (before it, for deletions); group updates name the member ids that joined or left.
 */
export interface ScimEvent {
  accountId: string;
  id: string;
  resource: Record<string, unknown>;
  userName?: string;
  displayName?: string;
  addedMembers?: string[];
  removedMembers?: string[];
}

/**
 * `app.scimEvents`: the product listens here for emails, sessions and audit. Events are published after the commit,
 * on a later tick, and every listener is isolated: a throwing or rejecting listener is logged, never seen by SCIM.
 */
export class ScimEvents extends EventEmitter {
  /**
   * `atomically` wraps each listener call (the app passes `store.tx`): a listener's synchronous writes then join
   * the store's group commit instead of each committing, and waiting for an fsync, on its own.
   */
  constructor(
    private readonly log?: FastifyBaseLogger,
    private readonly atomically: (fn: () => unknown) => unknown = (fn) => fn(),
  ) {
    super({ captureRejections: false });
  }

  publish(name: ScimEventName, event: ScimEvent): void {
    setImmediate(() => {
      for (const listener of this.listeners(name)) {
        try {
          let result: unknown;
          // The listener's result stays outside: a transaction function must not return a promise (better-sqlite3).
          this.atomically(() => {
            result = listener.call(this, event);
          });
          if (result instanceof Promise) result.catch((err: unknown) => this.log?.error({ err, event: name }, 'scim event listener failed'));
        } catch (err) {
          this.log?.error({ err, event: name }, 'scim event listener failed');
        }
      }
    });
  }
}
