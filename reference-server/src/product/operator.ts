import { z } from 'zod';
import type { Db } from '../store/db.ts';
import { ProductError } from './errors.ts';
import { MailRelays, smtpAddressInput } from './mail/relays.ts';
import type { Principal, ProductService } from './service.ts';
import { formatIssues } from '../issues.ts';

export const newAccountInput = z
  .object({
    name: z.string().trim().min(1, 'name is required').max(100, 'name must be at most 100 characters'),
    mailRelay: smtpAddressInput.optional(),
  })
  .strict();

/** `GET /accounts?namePrefix=`: an exact, case-sensitive name prefix no longer than a name can be. */
export const listAccountsQuery = z
  .object({ namePrefix: z.string().min(1, 'namePrefix must not be empty').max(100, 'namePrefix must be at most 100 characters').optional() })
  .strict();

export interface ListedAccount {
  id: string;
  name: string;
  createdAt: string;
}

/** Who calls: the request's principal and whether it authenticated with an operator key (web/auth.ts). */
export interface OperatorCaller {
  principal: Principal;
  operator: boolean;
}

export interface CreatedAccount {
  accountId: string;
  name: string;
  scimUrl: string;
  adminApiUrl: string;
  /** A Master Admin key of the new account (never an operator key): the only time its plaintext exists. */
  adminApiKey: string;
}

/** Every table that holds rows of an account (an `account_id` column), including ones later migrations add. */
function accountTables(db: Db): string[] {
  return db
    .prepare(
      `SELECT m.name FROM sqlite_master m
       WHERE m.type = 'table' AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) c WHERE c.name = 'account_id')
       ORDER BY m.name`,
    )
    .pluck()
    .all() as string[];
}

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  throw new ProductError('invalid_request', formatIssues(result.error));
}

const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/**
 * The operator API: making and removing whole accounts, which no account admin can do. Only a principal from an
 * operator admin API key passes (`serve --demo`'s key; demo mode is a sandbox for testing). What the new account
 * needs next (SSO, a SCIM token) its own key does through the ordinary API, under the ordinary rules.
 */
export class Operator {
  readonly relays: MailRelays;

  constructor(private readonly service: ProductService) {
    this.relays = new MailRelays(service.store.db);
  }

  createAccount(caller: OperatorCaller, input: unknown): CreatedAccount {
    const p = this.requireOperator(caller);
    const { name, mailRelay } = parse(newAccountInput, input);
    const { store, admins, audit } = this.service;
    const created = store.tx(() => {
      const account = store.accounts.create({ name });
      if (mailRelay) this.relays.set(account.id, mailRelay);
      const { key, info } = admins.createApiKey({ accountId: account.id, name: 'initial', role: 'Master Admin', createdBy: `operator ${p.actor.label}` });
      const relayNote = mailRelay ? `; mail relay ${mailRelay.host}:${mailRelay.port}` : '';
      audit.record(account.id, p.actor, 'account.created', account.id, `by the operator of account ${p.accountId}${relayNote}`);
      audit.record(account.id, p.actor, 'api-key.created', `${info.name} (${info.id})`, info.role);
      audit.record(p.accountId, p.actor, 'account.created', account.id, `${name}${relayNote}`);
      return { account, key };
    });
    const base = this.service.config.baseUrl();
    return {
      accountId: created.account.id,
      name: created.account.name,
      scimUrl: this.service.scimUrl(created.account.id),
      adminApiUrl: `${base}/api/v1`,
      adminApiKey: created.key,
    };
  }

  /**
   * Every account of the server, oldest first, optionally only those whose name starts with `namePrefix` (compared
   * as is, not as a LIKE pattern): how a harness finds the accounts an interrupted run of its own left behind.
   */
  listAccounts(caller: OperatorCaller, query: unknown): { accounts: ListedAccount[] } {
    this.requireOperator(caller);
    const { namePrefix } = parse(listAccountsQuery, query);
    const accounts = this.service.store.accounts.list().filter((a) => namePrefix === undefined || a.name.startsWith(namePrefix));
    return { accounts: accounts.map((a) => ({ id: a.id, name: a.name, createdAt: a.created })) };
  }

  /** Removes the account and every row it owns in one transaction; the operator's own account is refused. */
  deleteAccount(caller: OperatorCaller, accountId: string): { rowsRemoved: number } {
    const p = this.requireOperator(caller);
    if (accountId === p.accountId) throw new ProductError('own_account', 'An operator key cannot delete its own account');
    const { store, audit } = this.service;
    const db = store.db;
    const rowsRemoved = store.tx(() => {
      const account = store.accounts.get(accountId);
      if (!account) throw new ProductError('not_found', 'No such account');
      // Sessions refer to their console user, not the account; remove them before their users.
      let removed = db
        .prepare('DELETE FROM console_sessions WHERE console_user_id IN (SELECT id FROM console_users WHERE account_id = ?)')
        .run(accountId).changes;
      for (const table of accountTables(db)) {
        removed += db.prepare(`DELETE FROM ${quoteIdent(table)} WHERE account_id = ?`).run(accountId).changes;
      }
      removed += db.prepare('DELETE FROM accounts WHERE id = ?').run(accountId).changes;
      audit.record(p.accountId, p.actor, 'account.deleted', accountId, `${account.name}; ${removed} rows removed`);
      return removed;
    });
    this.service.rp.forget(accountId);
    return { rowsRemoved };
  }

  private requireOperator(caller: OperatorCaller): Principal {
    if (caller.operator) return caller.principal;
    throw new ProductError('forbidden', 'Only an operator admin API key (the one `serve --demo` prints) may list, create or delete accounts');
  }
}
