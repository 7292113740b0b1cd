/**
 * Group commit. With `synchronous=FULL` under WAL every COMMIT waits for an fsync of the WAL, and that flush (not
 * CPU) is what a single write costs. Here the writes of one event-loop turn share one SQLite transaction: the
 * first `tx` of a turn opens it (BEGIN IMMEDIATE), each `tx` runs inside it as a SAVEPOINT (better-sqlite3 nests
 * `db.transaction` that way, so a failing write rolls back only itself), and a `setImmediate` commits it once the
 * turn's callbacks have run. Nothing is acknowledged early: `durable()` resolves only when what has been written
 * so far is committed, and the HTTP layer awaits it before any answer leaves (app.ts), reads included, since a
 * read on this connection can see the open transaction's rows. See https://www.sqlite.org/lang_savepoint.html
 * and https://www.sqlite.org/wal.html (sync behaviour of WAL commits).
 *
 * A holder (`held`, used by Bulk) keeps the batch open across its awaits so that many operations share one commit;
 * answers sent inside the holder's async context (its in-process sub-requests) do not wait for a commit that only
 * the holder's end can bring, and the holder commits early once the batch is older than `maxHoldMs` so other
 * clients' answers are not delayed much.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db } from './db.ts';

interface Batch {
  openedAt: number;
  done: Promise<void>;
  resolve: () => void;
  reject: (err: Error) => void;
}

export interface GroupCommit {
  /** Runs `fn` as one atomic unit inside the turn's shared transaction; commits later (see `durable`). */
  tx<T>(fn: () => T): T;
  /** Resolves once everything written so far is committed; undefined when nothing is pending (no await needed). */
  durable(): Promise<void> | undefined;
  /** Runs `fn` with the shared transaction kept open across its awaits, then resolves after the commit. */
  held<T>(fn: () => Promise<T>): Promise<T>;
  /** Inside `held`: commits now if the batch has been open longer than `maxHoldMs`. */
  commitIfOld(): void;
  /** Commits the open batch now (synchronously). */
  flush(): void;
  /** Shared transactions committed so far (for tests and the bench). */
  readonly commits: number;
}

/** Default longest time a holder keeps other clients' answers waiting before it commits what it has. */
export const MAX_HOLD_MS = 50;

export function groupCommit(db: Db, maxHoldMs = MAX_HOLD_MS): GroupCommit {
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const holding = new AsyncLocalStorage<true>();
  let batch: Batch | undefined;
  let holds = 0;
  let scheduled = false;
  let commits = 0;

  const open = (): Batch => {
    begin.run();
    let resolve!: () => void;
    let reject!: (err: Error) => void;
    const done = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // A rejected batch is observed by the answers waiting on it; one nobody waits on must not crash the process.
    done.catch(() => {});
    return { openedAt: performance.now(), done, resolve, reject };
  };

  function flush(): void {
    const b = batch;
    if (!b) return;
    batch = undefined;
    try {
      if (!db.inTransaction) throw new Error('SQLite rolled the shared transaction back (I/O error or full disk)');
      commit.run();
      commits++;
      b.resolve();
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK');
      b.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  const schedule = () => {
    if (scheduled || holds > 0) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      if (holds === 0) flush();
    });
  };

  return {
    tx<T>(fn: () => T): T {
      // A transaction opened by someone else (a direct `db.transaction`) is theirs: nest in it as before.
      if (db.inTransaction && !batch) return db.transaction(fn)();
      if (batch && !db.inTransaction) flush(); // rejects the lost batch's waiters; a new one opens below
      if (!batch) batch = open();
      schedule();
      return db.transaction(fn)();
    },
    durable() {
      if (!batch || holding.getStore()) return undefined;
      return batch.done;
    },
    async held<T>(fn: () => Promise<T>): Promise<T> {
      holds++;
      let out: T;
      try {
        out = await holding.run(true, fn);
      } finally {
        holds--;
      }
      const pending = batch?.done;
      if (holds === 0) flush();
      if (pending) await pending;
      return out;
    },
    commitIfOld() {
      if (batch && performance.now() - batch.openedAt > maxHoldMs) flush();
    },
    flush,
    get commits() {
      return commits;
    },
  };
}
