/**
 * The scale measurement used by `bench/scale.ts`: builds the reference server on a temporary SQLite file,
 * bulk-loads users and one large group straight through the store (in transactions, not HTTP), then times through
 * `app.inject` (the whole SCIM stack: auth, filter compiler, store, rendering) a userName filter, an Entra-style
 * email filter, a page of 100 at the start / middle / end / a random startIndex, and a PATCH adding 100 members.
 * Medians of `runs`.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../reference-server/src/app.ts';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const BATCH = 5_000;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

export const userData = (i: number) => ({
  userName: `user${i}@bench.test`,
  name: { givenName: `Given${i}`, familyName: `Family${i % 997}` },
  displayName: `User ${i}`,
  active: true,
  emails: [{ value: `user${i}@bench.test`, type: 'work', primary: true }],
});

export type Metrics = Record<string, number>;

export interface ScaleResult {
  size: number;
  /** Median wall ms per case. */
  metrics: Metrics;
  /** Median CPU ms of this process per case (process.cpuUsage: user + system, all threads). */
  cpu: Metrics;
  /** Resident set size after the load and after every case ran, MB. */
  rssMb: { loaded: number; end: number };
  groupSize: number;
  loadS: number;
}

/** Loads `size` users and the big group into a fresh server on a temporary file, then times each case. */
export async function measure(size: number, runs: number, opts: { fsync?: boolean } = {}): Promise<ScaleResult> {
  const dir = mkdtempSync(join(tmpdir(), 'scimulator-bench-'));
  const app = buildApp({ db: join(dir, 'bench.db'), logLevel: 'silent', maxResults: 1000 });
  try {
    await app.ready();
    const { store } = app;
    if (opts.fsync === false) store.db.pragma('synchronous = OFF');
    const account = store.accounts.create({ name: 'bench', ssoState: 'active' });
    const { token } = store.tokens.issueScimToken(account.id);
    const base = `/scim/v2/${account.id}`;

    const t0 = performance.now();
    const ids: string[] = [];
    for (let start = 0; start < size; start += BATCH) {
      store.tx(() => {
        for (let i = start; i < Math.min(size, start + BATCH); i++) {
          const id = randomUUID();
          store.users.insert(account.id, id, userData(i));
          ids.push(id);
        }
      });
    }
    // The big group holds half the users (50,000 at 100,000); each PATCH adds 100 of the others.
    const groupSize = Math.min(50_000, Math.floor(size / 2));
    const groupId = randomUUID();
    store.tx(() =>
      store.groups.insert(
        account.id,
        groupId,
        { displayName: 'Everyone' },
        ids.slice(0, groupSize).map((id) => ({ id, type: 'User' as const })),
      ),
    );
    // No ANALYZE / PRAGMA optimize: a live server runs on the fixed statistics of store migration 004.
    const loadS = (performance.now() - t0) / 1000;

    let lastCpuMs = 0;
    const call = async (method: 'GET' | 'PATCH', url: string, body?: unknown, expect = 200) => {
      const started = performance.now();
      const cpu0 = process.cpuUsage();
      const res = await app.inject({
        method,
        url: `${base}${url}`,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/scim+json' } : {}) },
        ...(body ? { payload: JSON.stringify(body) } : {}),
      });
      const ms = performance.now() - started;
      const used = process.cpuUsage(cpu0);
      lastCpuMs = (used.user + used.system) / 1000;
      if (res.statusCode !== expect) throw new Error(`${method} ${url} answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
      return { ms, body: res.body ? (JSON.parse(res.body) as Record<string, unknown>) : undefined };
    };

    const outsiders = ids.slice(groupSize, groupSize + 100).map((value) => ({ value }));
    const cases: Record<string, () => Promise<number>> = {
      'filter userName eq': async () => {
        const i = Math.floor(Math.random() * size);
        const r = await call('GET', `/Users?filter=${encodeURIComponent(`userName eq "USER${i}@bench.test"`)}`);
        if ((r.body!.totalResults as number) !== 1) throw new Error('filter did not find exactly one user');
        return r.ms;
      },
      // Entra's match: answered from the user_emails index (store migration 004).
      'filter emails[type eq "work"].value eq': async () => {
        const i = Math.floor(Math.random() * size);
        const r = await call('GET', `/Users?filter=${encodeURIComponent(`emails[type eq "work"].value eq "user${i}@bench.test"`)}`);
        if ((r.body!.totalResults as number) !== 1) throw new Error('email filter did not find exactly one user');
        return r.ms;
      },
      'page of 100, startIndex 1': async () => (await call('GET', '/Users?startIndex=1&count=100')).ms,
      'page of 100, middle': async () => (await call('GET', `/Users?startIndex=${Math.floor(size / 2)}&count=100`)).ms,
      'page of 100, end': async () => {
        const r = await call('GET', `/Users?startIndex=${size - 99}&count=100`);
        if ((r.body!.Resources as unknown[]).length !== 100) throw new Error('last page is not full');
        return r.ms;
      },
      // A fresh offset every run: no page is timed twice, so nothing rides on a page cached by an earlier run.
      'page of 100, random startIndex': async () => {
        const startIndex = 1 + Math.floor(Math.random() * (size - 99));
        const r = await call('GET', `/Users?startIndex=${startIndex}&count=100`);
        if ((r.body!.Resources as unknown[]).length !== 100) throw new Error(`page at ${startIndex} is not full`);
        return r.ms;
      },
      'PATCH add 100 members': async () => {
        const { ms } = await call('PATCH', `/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: outsiders }] }, 204);
        const members = store.groups.members(account.id, groupId).length;
        if (members !== groupSize + 100) throw new Error(`group has ${members} members, expected ${groupSize + 100}`);
        // Untimed: take them out again so every run adds the same 100 to a group of the same size.
        store.tx(() => store.groups.changeMembers(account.id, groupId, { remove: outsiders.map((m) => m.value) }));
        return ms;
      },
    };

    const loadedRss = process.memoryUsage().rss / 2 ** 20;
    const metrics: Metrics = {};
    const cpu: Metrics = {};
    for (const [name, fn] of Object.entries(cases)) {
      await fn();
      await fn();
      const samples: number[] = [];
      const cpuSamples: number[] = [];
      for (let k = 0; k < runs; k++) {
        samples.push(await fn());
        cpuSamples.push(lastCpuMs);
      }
      metrics[name] = median(samples);
      cpu[name] = median(cpuSamples);
    }
    return { size, metrics, cpu, rssMb: { loaded: loadedRss, end: process.memoryUsage().rss / 2 ** 20 }, groupSize, loadS };
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
