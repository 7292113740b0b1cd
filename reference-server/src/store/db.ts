import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/** One schema change. Ids sort as strings: the store uses `0xx`, the product `1xx`. */
export interface Migration {
  id: string;
  sql: string;
}

/**
 * Opens the database with the durability settings every 2xx relies on: WAL so readers never block the writer,
 * `synchronous=FULL` so a commit is on disk before better-sqlite3 returns from it.
 */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

/** Applies, in id order and each in its own transaction, the migrations not yet recorded. Returns the ids applied. */
export function migrate(db: Db, migrations: readonly Migration[]): string[] {
  db.exec('CREATE TABLE IF NOT EXISTS migrations (id TEXT PRIMARY KEY, applied TEXT NOT NULL)');
  const done = new Set(db.prepare('SELECT id FROM migrations').pluck().all() as string[]);
  const applied: string[] = [];
  const record = db.prepare('INSERT INTO migrations (id, applied) VALUES (?, ?)');
  for (const m of [...migrations].sort((a, b) => a.id.localeCompare(b.id))) {
    if (done.has(m.id)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.id, new Date().toISOString());
    })();
    applied.push(m.id);
  }
  return applied;
}

/** ISO-8601 UTC with milliseconds: string order is time order (docs/decisions/0001). */
export function now(): string {
  return new Date().toISOString();
}

/**
 * SQL for a new `last_modified`: the given time, but always at least 1 ms after the previous value, so every new
 * version has a strictly later lastModified even when two writes land in the same millisecond.
 */
export function nextModified(param: string): string {
  return `MAX(${param}, strftime('%Y-%m-%dT%H:%M:%fZ', last_modified, '+0.001 seconds'))`;
}

export type Statement = Database.Statement;

/**
 * Prepared statements by SQL text, for queries whose text varies (filtered lists, `IN (?, ?, ...)` lists of a
 * given length): preparing costs more than running a short query. Least recently used first out.
 */
export function statementCache(db: Db, max = 256): (sql: string, mode?: 'pluck') => Statement {
  const cache = new Map<string, Statement>();
  return (sql, mode) => {
    const key = mode ? `${mode}:${sql}` : sql;
    let stmt = cache.get(key);
    if (stmt) {
      cache.delete(key);
    } else {
      stmt = db.prepare(sql);
      if (mode === 'pluck') stmt.pluck();
      if (cache.size >= max) cache.delete(cache.keys().next().value!);
    }
    cache.set(key, stmt);
    return stmt;
  };
}
