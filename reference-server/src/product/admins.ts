import { randomUUID } from 'node:crypto';
import type { Db } from '../store/db.ts';
import { now } from '../store/db.ts';
import type { Role } from './roles.ts';
import { hashPassword, randomSecret, sha256, verifyPassword } from './secrets.ts';

export interface ConsoleUser {
  id: string;
  accountId: string;
  email: string;
  name: string;
  role: Role;
  created: string;
}

export interface ApiKeyInfo {
  id: string;
  accountId: string;
  name: string;
  role: Role;
  createdBy: string;
  created: string;
  revoked: string | null;
  /** May create and delete accounts (README "Operator API"); only `serve --demo` makes such a key. */
  operator: boolean;
}

interface ConsoleUserRow {
  id: string;
  account_id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  created: string;
}

const toConsoleUser = (r: ConsoleUserRow): ConsoleUser => ({
  id: r.id,
  accountId: r.account_id,
  email: r.email,
  name: r.name,
  role: r.role,
  created: r.created,
});

const SESSION_TTL_MS = 8 * 60 * 60 * 1000;

/** Used when an email is unknown, so a failed sign-in costs the same scrypt work whether or not the admin exists. */
let decoyHash: Promise<string> | undefined;

/** Console admins, their sessions and the admin API keys: only hashes of passwords, session ids and keys are stored. */
export class AdminDirectory {
  constructor(private readonly db: Db) {}

  async create(input: { accountId: string; email: string; name: string; role: Role; password: string }): Promise<ConsoleUser> {
    const user: ConsoleUser = {
      id: randomUUID(),
      accountId: input.accountId,
      email: input.email,
      name: input.name,
      role: input.role,
      created: now(),
    };
    const hash = await hashPassword(input.password);
    this.db
      .prepare('INSERT INTO console_users (id, account_id, email, email_norm, name, role, password_hash, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(user.id, user.accountId, user.email, user.email.toLowerCase(), user.name, user.role, hash, user.created);
    return user;
  }

  findByEmail(email: string): ConsoleUser | undefined {
    const row = this.db.prepare('SELECT * FROM console_users WHERE email_norm = ?').get(email.toLowerCase()) as ConsoleUserRow | undefined;
    return row && toConsoleUser(row);
  }

  get(id: string): ConsoleUser | undefined {
    const row = this.db.prepare('SELECT * FROM console_users WHERE id = ?').get(id) as ConsoleUserRow | undefined;
    return row && toConsoleUser(row);
  }

  list(accountId: string): ConsoleUser[] {
    const rows = this.db.prepare('SELECT * FROM console_users WHERE account_id = ? ORDER BY created, email').all(accountId) as ConsoleUserRow[];
    return rows.map(toConsoleUser);
  }

  /** Master and Security Admins: the people told about token changes. */
  tokenRecipients(accountId: string): string[] {
    return this.db
      .prepare(`SELECT email FROM console_users WHERE account_id = ? AND role IN ('Master Admin', 'Security Admin') ORDER BY email`)
      .pluck()
      .all(accountId) as string[];
  }

  async setPassword(id: string, password: string): Promise<void> {
    this.db.prepare('UPDATE console_users SET password_hash = ? WHERE id = ?').run(await hashPassword(password), id);
    this.db.prepare('DELETE FROM console_sessions WHERE console_user_id = ?').run(id);
  }

  /** Checks a password; the same KDF work is done for unknown emails so timing does not reveal who has an account. */
  async authenticate(email: string, password: string): Promise<ConsoleUser | undefined> {
    const row = this.db.prepare('SELECT * FROM console_users WHERE email_norm = ?').get(email.toLowerCase()) as ConsoleUserRow | undefined;
    if (!row) {
      decoyHash ??= hashPassword(randomSecret('decoy'));
      await verifyPassword(password, await decoyHash);
      return undefined;
    }
    return (await verifyPassword(password, row.password_hash)) ? toConsoleUser(row) : undefined;
  }

  // Sessions ---------------------------------------------------------------------------------------------------

  /** Starts a session; the id goes to the cookie and only its hash is kept. */
  startSession(consoleUserId: string, csrfSecret: string): { sessionId: string; expires: Date } {
    this.db.prepare('DELETE FROM console_sessions WHERE expires <= ?').run(now());
    const sessionId = randomSecret('cs');
    const expires = new Date(Date.now() + SESSION_TTL_MS);
    this.db
      .prepare('INSERT INTO console_sessions (id_hash, console_user_id, csrf_secret, created, expires) VALUES (?, ?, ?, ?, ?)')
      .run(sha256(sessionId), consoleUserId, csrfSecret, now(), expires.toISOString());
    return { sessionId, expires };
  }

  session(sessionId: string): { user: ConsoleUser; csrfSecret: string } | undefined {
    const row = this.db
      .prepare(
        `SELECT u.*, s.csrf_secret, s.expires FROM console_sessions s JOIN console_users u ON u.id = s.console_user_id
         WHERE s.id_hash = ?`,
      )
      .get(sha256(sessionId)) as (ConsoleUserRow & { csrf_secret: string; expires: string }) | undefined;
    if (!row) return undefined;
    if (row.expires <= now()) {
      this.endSession(sessionId);
      return undefined;
    }
    return { user: toConsoleUser(row), csrfSecret: row.csrf_secret };
  }

  endSession(sessionId: string): void {
    this.db.prepare('DELETE FROM console_sessions WHERE id_hash = ?').run(sha256(sessionId));
  }

  // Admin API keys ----------------------------------------------------------------------------------------------

  createApiKey(input: { accountId: string; name: string; role: Role; createdBy: string; operator?: boolean }): { key: string; info: ApiKeyInfo } {
    const key = randomSecret('sk_admin');
    const info: ApiKeyInfo = { id: randomUUID(), ...input, created: now(), revoked: null, operator: input.operator === true };
    this.db
      .prepare('INSERT INTO admin_api_keys (id, account_id, name, role, key_hash, created_by, created, operator) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(info.id, info.accountId, info.name, info.role, sha256(key), info.createdBy, info.created, info.operator ? 1 : 0);
    return { key, info };
  }

  /** Looks a key up by its sha256 (an indexed equality on a digest of a 256-bit random value: nothing to time). */
  apiKey(key: string): ApiKeyInfo | undefined {
    const row = this.db.prepare('SELECT * FROM admin_api_keys WHERE key_hash = ? AND revoked IS NULL').get(sha256(key)) as ApiKeyRow | undefined;
    return row && toApiKey(row);
  }

  listApiKeys(accountId: string): ApiKeyInfo[] {
    const rows = this.db.prepare('SELECT * FROM admin_api_keys WHERE account_id = ? ORDER BY created').all(accountId) as ApiKeyRow[];
    return rows.map(toApiKey);
  }

  revokeApiKey(accountId: string, id: string): boolean {
    return this.db.prepare('UPDATE admin_api_keys SET revoked = ? WHERE account_id = ? AND id = ? AND revoked IS NULL').run(now(), accountId, id).changes > 0;
  }
}

interface ApiKeyRow {
  id: string;
  account_id: string;
  name: string;
  role: Role;
  created_by: string;
  created: string;
  revoked: string | null;
  operator: 0 | 1;
}

function toApiKey(r: ApiKeyRow): ApiKeyInfo {
  return {
    id: r.id,
    accountId: r.account_id,
    name: r.name,
    role: r.role,
    createdBy: r.created_by,
    created: r.created,
    revoked: r.revoked,
    operator: r.operator === 1,
  };
}
