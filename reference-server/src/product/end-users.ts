import type { Db } from '../store/db.ts';
import { now } from '../store/db.ts';
import { randomSecret, sha256 } from './secrets.ts';

const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
const FLOW_TTL_MS = 10 * 60 * 1000;

/**
 * End-user sessions of the app and the pending OIDC sign-in flows. Session ids and flow states are stored only as
 * hashes; ending a user's access deletes every session row of that user.
 */
export class EndUserSessions {
  constructor(private readonly db: Db) {}

  start(accountId: string, userId: string): { sessionId: string; expires: Date } {
    const sessionId = randomSecret('us');
    const expires = new Date(Date.now() + SESSION_TTL_MS);
    this.db
      .prepare('INSERT INTO app_sessions (id_hash, account_id, user_id, created, expires) VALUES (?, ?, ?, ?, ?)')
      .run(sha256(sessionId), accountId, userId, now(), expires.toISOString());
    return { sessionId, expires };
  }

  get(sessionId: string): { accountId: string; userId: string } | undefined {
    const row = this.db.prepare('SELECT account_id, user_id, expires FROM app_sessions WHERE id_hash = ?').get(sha256(sessionId)) as
      | { account_id: string; user_id: string; expires: string }
      | undefined;
    if (!row || row.expires <= now()) return undefined;
    return { accountId: row.account_id, userId: row.user_id };
  }

  end(sessionId: string): void {
    this.db.prepare('DELETE FROM app_sessions WHERE id_hash = ?').run(sha256(sessionId));
  }

  /** Ends every session of a person (deactivated, deleted or disabled by hand); returns how many ended. */
  endAllFor(accountId: string, userId: string): number {
    return this.db.prepare('DELETE FROM app_sessions WHERE account_id = ? AND user_id = ?').run(accountId, userId).changes;
  }

  count(accountId: string, userId: string): number {
    return this.db
      .prepare('SELECT count(*) FROM app_sessions WHERE account_id = ? AND user_id = ? AND expires > ?')
      .pluck()
      .get(accountId, userId, now()) as number;
  }

  saveFlow(state: string, flow: { accountId: string; codeVerifier: string; nonce: string }): void {
    this.db.prepare('DELETE FROM signin_flows WHERE expires <= ?').run(now());
    this.db
      .prepare('INSERT INTO signin_flows (state_hash, account_id, code_verifier, nonce, expires) VALUES (?, ?, ?, ?, ?)')
      .run(sha256(state), flow.accountId, flow.codeVerifier, flow.nonce, new Date(Date.now() + FLOW_TTL_MS).toISOString());
  }

  /** Returns the flow once and deletes it, so a state can be redeemed only once. */
  takeFlow(state: string): { accountId: string; codeVerifier: string; nonce: string } | undefined {
    const row = this.db.prepare('DELETE FROM signin_flows WHERE state_hash = ? RETURNING account_id, code_verifier, nonce, expires').get(sha256(state)) as
      | { account_id: string; code_verifier: string; nonce: string; expires: string }
      | undefined;
    if (!row || row.expires <= now()) return undefined;
    return { accountId: row.account_id, codeVerifier: row.code_verifier, nonce: row.nonce };
  }
}
