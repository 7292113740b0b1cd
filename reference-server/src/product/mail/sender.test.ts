import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { migrate, openDatabase, type Db } from '../../store/db.ts';
import { PRODUCT_MIGRATIONS } from '../migrations.ts';
import { startMailbox } from '../testing/mailbox.ts';
import { Outbox } from './outbox.ts';
import { MailSender } from './sender.ts';

const log = pino({ level: 'silent' });
const message = { accountId: 'acc', kind: 'test', to: ['a@example.test'], subject: 'Hello', text: 'Body' };

describe('background mail delivery', () => {
  let db: Db;
  before(() => {
    db = openDatabase(':memory:');
    migrate(db, PRODUCT_MIGRATIONS);
  });
  after(() => db.close());

  it('retries a refused delivery with backoff and records the attempts', async () => {
    const mailbox = await startMailbox({ failFirst: 2 });
    const outbox = new Outbox(db);
    const sender = new MailSender(outbox, { smtp: mailbox, from: 'app@example.test', log, baseDelayMs: 20, pollMs: 10 });
    sender.start();
    const id = outbox.enqueue(message);
    assert.equal(await sender.drain(5000), true);
    const row = outbox.list('acc').find((m) => m.id === id)!;
    assert.deepEqual([row.status, row.attempts, row.lastError], ['sent', 3, null]);
    assert.equal(mailbox.messages.length, 1);
    assert.equal(mailbox.messages[0]!.subject, 'Hello');
    await sender.stop();
    await mailbox.close();
  });

  it('keeps the message with its error and gives up after maxAttempts when nothing listens', async () => {
    const outbox = new Outbox(db);
    // Port 1 on loopback: connection refused at once.
    const sender = new MailSender(outbox, { smtp: { host: '127.0.0.1', port: 1 }, from: 'app@example.test', log, baseDelayMs: 5, pollMs: 5, maxAttempts: 3 });
    const started = Date.now();
    const id = outbox.enqueue({ ...message, subject: 'Nobody home' });
    sender.start();
    await sender.drain(5000);
    const row = outbox.list('acc').find((m) => m.id === id)!;
    assert.equal(row.status, 'failed');
    assert.equal(row.attempts, 3);
    assert.match(row.lastError ?? '', /ECONNREFUSED|connect/i);
    assert.ok(Date.now() - started < 5000);
    await sender.stop();
  });
});
