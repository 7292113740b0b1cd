import type { Migration } from '../store/db.ts';

/**
 * The product's own tables (ids `1xx`, docs/decisions/0001). They refer to the store's accounts and users by id
 * without foreign keys, so the SCIM core can delete a user without knowing the product exists; the product
 * cleans up after the `user.deleted` event and ignores rows whose user is gone.
 */
export const PRODUCT_MIGRATIONS: readonly Migration[] = [
  {
    id: '100-console-users',
    sql: `
      CREATE TABLE console_users (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        email TEXT NOT NULL,
        email_norm TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('Master Admin', 'Security Admin', 'Viewer')),
        password_hash TEXT NOT NULL,
        created TEXT NOT NULL
      );
      CREATE INDEX console_users_account ON console_users (account_id);
      CREATE TABLE console_sessions (
        id_hash TEXT PRIMARY KEY,
        console_user_id TEXT NOT NULL REFERENCES console_users (id) ON DELETE CASCADE,
        csrf_secret TEXT NOT NULL,
        created TEXT NOT NULL,
        expires TEXT NOT NULL
      );
      CREATE TABLE admin_api_keys (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('Master Admin', 'Security Admin', 'Viewer')),
        key_hash TEXT NOT NULL UNIQUE,
        created_by TEXT NOT NULL,
        created TEXT NOT NULL,
        revoked TEXT
      );`,
  },
  {
    id: '101-sso-settings',
    // The client secret has to be presented to the IdP, so it cannot be hashed; it is never rendered or logged.
    sql: `
      CREATE TABLE sso_settings (
        account_id TEXT PRIMARY KEY,
        issuer TEXT NOT NULL,
        client_id TEXT NOT NULL,
        client_secret TEXT NOT NULL,
        updated TEXT NOT NULL
      );`,
  },
  {
    id: '102-outbox-audit',
    sql: `
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        account_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        recipients TEXT NOT NULL,
        subject TEXT NOT NULL,
        body TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt TEXT NOT NULL,
        last_error TEXT,
        created TEXT NOT NULL,
        sent TEXT
      );
      CREATE INDEX outbox_due ON outbox (status, next_attempt);
      CREATE INDEX outbox_account ON outbox (account_id, id);
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        account_id TEXT NOT NULL,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT,
        detail TEXT
      );
      CREATE INDEX audit_account ON audit_log (account_id, id);`,
  },
  {
    id: '103-users-signin',
    sql: `
      CREATE TABLE manual_users (
        account_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        PRIMARY KEY (account_id, user_id)
      );
      CREATE TABLE app_sessions (
        id_hash TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        created TEXT NOT NULL,
        expires TEXT NOT NULL
      );
      CREATE INDEX app_sessions_user ON app_sessions (account_id, user_id);
      CREATE TABLE signin_flows (
        state_hash TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        code_verifier TEXT NOT NULL,
        nonce TEXT NOT NULL,
        expires TEXT NOT NULL
      );`,
  },
  {
    // The operator API (README "Operator API"): only `serve --demo`'s key carries operator = 1; an account may name
    // its own SMTP relay for notification emails (set by the operator at creation, used instead of `--smtp`).
    id: '104-operator-mail-relay',
    sql: `
      ALTER TABLE admin_api_keys ADD COLUMN operator INTEGER NOT NULL DEFAULT 0 CHECK (operator IN (0, 1));
      CREATE TABLE account_mail_relays (
        account_id TEXT PRIMARY KEY,
        host TEXT NOT NULL,
        port INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535)
      );`,
  },
];
