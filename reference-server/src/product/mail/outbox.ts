import type { Db } from '../../store/db.ts';
import { now } from '../../store/db.ts';

export interface OutgoingMessage {
  accountId: string;
  /** What the message is about, for the console and tests: `scim-token.created`, `scim-token.revoked`, `user.welcome`. */
  kind: string;
  to: string[];
  subject: string;
  text: string;
}

/**
 * Which pending messages a sender can deliver: every one (a server-wide SMTP server is set) or only those of accounts
 * with a relay of their own; the others wait in the outbox, undelivered, as the console says.
 */
export type DeliveryScope = 'all' | 'relayed';

const IN_SCOPE = `(? = 'all' OR account_id IN (SELECT account_id FROM account_mail_relays))`;

export interface OutboxRow {
  id: number;
  accountId: string;
  kind: string;
  to: string[];
  subject: string;
  text: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  created: string;
  sent: string | null;
}

interface RawRow {
  id: number;
  account_id: string;
  kind: string;
  recipients: string;
  subject: string;
  body: string;
  status: OutboxRow['status'];
  attempts: number;
  last_error: string | null;
  created: string;
  sent: string | null;
}

function fromRow(r: RawRow): OutboxRow {
  return {
    id: r.id,
    accountId: r.account_id,
    kind: r.kind,
    to: JSON.parse(r.recipients) as string[],
    subject: r.subject,
    text: r.body,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    created: r.created,
    sent: r.sent,
  };
}

/** Every message the product sends is written here first (in the caller's transaction), then delivered by the sender. */
export class Outbox {
  constructor(private readonly db: Db) {}

  enqueue(message: OutgoingMessage): number {
    const at = now();
    const info = this.db
      .prepare(
        `INSERT INTO outbox (account_id, kind, recipients, subject, body, status, attempts, next_attempt, created)
         VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?)`,
      )
      .run(message.accountId, message.kind, JSON.stringify(message.to), message.subject, message.text, at, at);
    return Number(info.lastInsertRowid);
  }

  list(accountId: string, limit = 200): OutboxRow[] {
    const rows = this.db.prepare('SELECT * FROM outbox WHERE account_id = ? ORDER BY id DESC LIMIT ?').all(accountId, limit) as RawRow[];
    return rows.map(fromRow);
  }

  due(limit: number, scope: DeliveryScope = 'all'): OutboxRow[] {
    const rows = this.db
      .prepare(`SELECT * FROM outbox WHERE status = 'pending' AND next_attempt <= ? AND ${IN_SCOPE} ORDER BY id LIMIT ?`)
      .all(now(), scope, limit) as RawRow[];
    return rows.map(fromRow);
  }

  pendingCount(scope: DeliveryScope = 'all'): number {
    return this.db.prepare(`SELECT count(*) FROM outbox WHERE status = 'pending' AND ${IN_SCOPE}`).pluck().get(scope) as number;
  }

  markSent(id: number): void {
    this.db.prepare(`UPDATE outbox SET status = 'sent', attempts = attempts + 1, sent = ?, last_error = NULL WHERE id = ?`).run(now(), id);
  }

  /** Records a failed attempt: retried at `retryAt`, or given up on (status `failed`) when `retryAt` is null. */
  markFailed(id: number, error: string, retryAt: Date | null): void {
    this.db
      .prepare(`UPDATE outbox SET attempts = attempts + 1, last_error = ?, status = ?, next_attempt = ? WHERE id = ?`)
      .run(error.slice(0, 500), retryAt ? 'pending' : 'failed', (retryAt ?? new Date()).toISOString(), id);
  }
}
