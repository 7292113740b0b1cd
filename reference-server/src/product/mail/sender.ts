import nodemailer, { type Transporter } from 'nodemailer';
import type { FastifyBaseLogger } from 'fastify';
import type { DeliveryScope, Outbox } from './outbox.ts';
import type { SmtpAddress } from './relays.ts';

export interface SenderOptions {
  /** The server-wide SMTP server (`--smtp`). Without it only accounts with a relay of their own get mail delivered. */
  smtp?: SmtpAddress | undefined;
  /** An account's own SMTP relay, which wins over `smtp` (MailRelays.get). */
  relayFor?: (accountId: string) => SmtpAddress | undefined;
  from: string;
  log: FastifyBaseLogger;
  /** First retry delay; doubles per attempt up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  maxAttempts?: number;
  pollMs?: number;
}

const LOOPBACK = /^(127\.|localhost$|::1$|\[::1\]$)/;

/**
 * Delivers the outbox in the background: nothing that enqueues a message waits for SMTP, and a failed delivery
 * is retried with exponential backoff until `maxAttempts`, then left in the outbox as `failed` with its error.
 * Each message goes to its account's relay if it has one, else to the server-wide SMTP server; one transport is
 * kept per SMTP address.
 */
export class MailSender {
  private readonly transports = new Map<string, Transporter>();
  private readonly scope: DeliveryScope;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxAttempts: number;
  private readonly pollMs: number;

  constructor(
    private readonly outbox: Outbox,
    private readonly opts: SenderOptions,
  ) {
    this.baseDelayMs = opts.baseDelayMs ?? 1000;
    this.maxDelayMs = opts.maxDelayMs ?? 60_000;
    this.maxAttempts = opts.maxAttempts ?? 8;
    this.pollMs = opts.pollMs ?? 1000;
    this.scope = opts.smtp ? 'all' : 'relayed';
  }

  /** Where a message of this account goes: its relay, else the server-wide server, else nowhere (it waits). */
  destination(accountId: string): SmtpAddress | undefined {
    return this.opts.relayFor?.(accountId) ?? this.opts.smtp;
  }

  private transportFor(smtp: SmtpAddress): Transporter {
    const key = `${smtp.host}|${smtp.port}`;
    let transport = this.transports.get(key);
    if (!transport) {
      transport = nodemailer.createTransport({
        host: smtp.host,
        port: smtp.port,
        secure: false,
        // A capture server on loopback offers STARTTLS with a self-signed certificate; elsewhere certificates are checked.
        tls: { rejectUnauthorized: !LOOPBACK.test(smtp.host) },
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 20_000,
      });
      this.transports.set(key, transport);
    }
    return transport;
  }

  start(): void {
    this.schedule(0);
  }

  /** Asks for a delivery round soon (after a message was enqueued). */
  kick(): void {
    if (!this.stopped && !this.running) this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    for (const transport of this.transports.values()) transport.close();
    this.transports.clear();
  }

  /** Resolves when nothing is due any more or the time is up (tests and graceful shutdown). */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.outbox.pendingCount(this.scope) === 0 && !this.running) return true;
      this.kick();
      await new Promise((r) => setTimeout(r, 25));
    }
    return this.outbox.pendingCount(this.scope) === 0;
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.round().finally(() => {
        this.running = undefined;
        this.schedule(this.pollMs);
      });
    }, delayMs);
    this.timer.unref();
  }

  private async round(): Promise<void> {
    for (const message of this.outbox.due(20, this.scope)) {
      if (this.stopped) return;
      const smtp = this.destination(message.accountId);
      // Only when the account went away between the query and now (its outbox row went with it).
      if (!smtp) continue;
      try {
        await this.transportFor(smtp).sendMail({ from: this.opts.from, to: message.to, subject: message.subject, text: message.text });
        this.outbox.markSent(message.id);
      } catch (err) {
        const attempts = message.attempts + 1;
        const retryAt = attempts >= this.maxAttempts ? null : new Date(Date.now() + Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempts - 1)));
        this.outbox.markFailed(message.id, (err as Error).message, retryAt);
        this.opts.log.warn({ outboxId: message.id, attempts, giveUp: retryAt === null, err: (err as Error).message }, 'mail delivery failed');
      }
    }
  }
}
