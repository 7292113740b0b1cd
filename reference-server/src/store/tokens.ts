import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { now, type Db } from './db.ts';

/** Recognisable prefix, so leaked tokens are easy to find with secret scanners. */
export const SCIM_TOKEN_PREFIX = 'scim_';

export interface IssuedToken {
  /** The plaintext: returned once, never stored. */
  token: string;
  id: string;
  created: string;
}

export interface TokenInfo {
  id: string;
  created: string;
}

export interface TokensStore {
  /** Revokes the account's active token (if any) and issues a new one, in one transaction. */
  issueScimToken(accountId: string): IssuedToken;
  /** Returns whether a token was active. */
  revokeScimToken(accountId: string): boolean;
  verifyScimToken(accountId: string, token: string): boolean;
  activeScimToken(accountId: string): TokenInfo | undefined;
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

export function tokensStore(db: Db): TokensStore {
  const revoke = db.prepare('UPDATE scim_tokens SET revoked = ? WHERE account_id = ? AND revoked IS NULL');
  const insert = db.prepare('INSERT INTO scim_tokens (id, account_id, token_hash, created) VALUES (?, ?, ?, ?)');
  const active = db.prepare('SELECT id, created, token_hash FROM scim_tokens WHERE account_id = ? AND revoked IS NULL');
  const issue = db.transaction((accountId: string): IssuedToken => {
    const created = now();
    revoke.run(created, accountId);
    const token = SCIM_TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const id = randomUUID();
    insert.run(id, accountId, sha256(token).toString('hex'), created);
    return { token, id, created };
  });
  return {
    issueScimToken: (accountId) => issue(accountId),
    revokeScimToken: (accountId) => revoke.run(now(), accountId).changes > 0,
    verifyScimToken(accountId, token) {
      const row = active.get(accountId) as { token_hash: string } | undefined;
      // Hash first so both sides have the same length whatever was sent; compare the digests in constant time.
      const presented = sha256(token);
      const stored = row ? Buffer.from(row.token_hash, 'hex') : Buffer.alloc(32);
      return timingSafeEqual(presented, stored) && row !== undefined;
    },
    activeScimToken(accountId) {
      const row = active.get(accountId) as { id: string; created: string } | undefined;
      return row && { id: row.id, created: row.created };
    },
  };
}
