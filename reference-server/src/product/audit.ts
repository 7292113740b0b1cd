import type { Db } from '../store/db.ts';
import { now } from '../store/db.ts';

/** Who did something: a console admin, an admin API key, the SCIM client of an account, or the system itself. */
export interface Actor {
  kind: 'admin' | 'api-key' | 'scim' | 'system' | 'end-user';
  /** Stable readable label: an email, an API key's name and id, "SCIM client". Never a secret. */
  label: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  detail: string | null;
}

/** An append-only log of token, SSO, SCIM and console actions. Callers pass labels and ids, never secret values. */
export class AuditLog {
  private readonly insert;
  private readonly list;

  constructor(db: Db) {
    this.insert = db.prepare('INSERT INTO audit_log (account_id, at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)');
    this.list = db.prepare('SELECT id, at, actor, action, target, detail FROM audit_log WHERE account_id = ? ORDER BY id DESC LIMIT ?');
  }

  record(accountId: string, actor: Actor, action: string, target?: string, detail?: string): void {
    this.insert.run(accountId, now(), `${actor.kind}:${actor.label}`, action, target ?? null, detail ?? null);
  }

  recent(accountId: string, limit = 200): AuditEntry[] {
    return this.list.all(accountId, limit) as AuditEntry[];
  }
}
