import { z } from 'zod';
import type { Db } from '../../store/db.ts';

export interface SmtpAddress {
  host: string;
  port: number;
}

/**
 * `HOST:PORT` as the operator API takes it: a DNS name or IPv4 address, or an IPv6 address in brackets, and a port
 * 1..65535. Parsed to `{host, port}` (brackets dropped, as nodemailer wants the bare address).
 */
export const smtpAddressInput = z
  .string()
  .max(300)
  .regex(/^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|\[[0-9A-Fa-f:.]{2,45}\]):\d{1,5}$/, 'must be HOST:PORT (an IPv6 host in brackets)')
  .transform((s) => {
    const cut = s.lastIndexOf(':');
    return { host: s.slice(0, cut).replace(/^\[(.*)\]$/, '$1'), port: Number(s.slice(cut + 1)) };
  })
  .pipe(z.object({ host: z.string().min(1), port: z.number().int().min(1, 'port must be 1..65535').max(65535, 'port must be 1..65535') }));

/** Per-account SMTP relays ("custom SMTP relay"): an account's notification emails go here instead of `--smtp`. */
export class MailRelays {
  private readonly byAccount;
  private readonly insert;

  constructor(db: Db) {
    this.byAccount = db.prepare('SELECT host, port FROM account_mail_relays WHERE account_id = ?');
    this.insert = db.prepare('INSERT INTO account_mail_relays (account_id, host, port) VALUES (?, ?, ?)');
  }

  get(accountId: string): SmtpAddress | undefined {
    return this.byAccount.get(accountId) as SmtpAddress | undefined;
  }

  set(accountId: string, relay: SmtpAddress): void {
    this.insert.run(accountId, relay.host, relay.port);
  }
}
