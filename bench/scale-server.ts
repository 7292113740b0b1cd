/**
 * The server-process half of `npm run bench:scale`: a SQLite file with `size` users and a group of half of them
 * (up to 50,000) is written through the store, then `scimulator serve` runs on it as a child process and the
 * undici driver sends pages of 100, userName and email filters and group PATCHes adding 100 members at fixed
 * concurrency. Reports the child's CPU per request (/proc/<pid>/stat) and its RSS, as a deployed server has them.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../reference-server/src/app.ts';
import { Driver, rssMb, type RunResult } from './driver.ts';
import { userData } from './scale-lib.ts';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const BIN = fileURLToPath(new URL('../cli/bin.js', import.meta.url));

export interface ServerScale {
  size: number;
  groupSize: number;
  results: RunResult[];
  rssMb: number;
}

export async function measureServer(size: number, concurrency = 16, runs = 300): Promise<ServerScale> {
  const dir = mkdtempSync(join(tmpdir(), 'scimulator-bench-scale-'));
  const db = join(dir, 'bench.db');
  try {
    const app = buildApp({ db, logLevel: 'silent' });
    await app.ready();
    const { store } = app;
    const account = store.accounts.create({ name: 'bench', ssoState: 'active' });
    const { token } = store.tokens.issueScimToken(account.id);
    const ids: string[] = [];
    for (let start = 0; start < size; start += 5000) {
      store.tx(() => {
        for (let i = start; i < Math.min(size, start + 5000); i++) {
          const id = randomUUID();
          store.users.insert(account.id, id, userData(i));
          ids.push(id);
        }
      });
    }
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
    await app.close();

    const child = spawn(process.execPath, [BIN, 'serve', '--db', db, '--port', '0'], {
      env: { ...process.env, SCIMULATOR_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      const ready = await new Promise<{ url: string }>((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
        createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as { url: string }));
      });
      const driver = new Driver(ready.url, { authorization: `Bearer ${token}` }, concurrency);
      const base = `/scim/v2/${account.id}`;
      const pid = child.pid!;
      const at = (i: number) => (i * 7919) % size;
      await driver.run('warm-up', pid, 200, (i) => ({ method: 'GET', path: `${base}/Users?startIndex=${1 + at(i)}&count=10`, expect: 200 }));
      const results: RunResult[] = [];
      results.push(
        await driver.run('page of 100 (random startIndex)', pid, runs, (i) => ({
          method: 'GET',
          path: `${base}/Users?startIndex=${1 + (at(i) % (size - 100))}&count=100`,
          expect: 200,
        })),
      );
      results.push(
        await driver.run('filter userName eq', pid, runs, (i) => ({
          method: 'GET',
          path: `${base}/Users?filter=${encodeURIComponent(`userName eq "user${at(i)}@bench.test"`)}`,
          expect: 200,
        })),
      );
      results.push(
        await driver.run('filter emails[type eq "work"].value eq', pid, runs, (i) => ({
          method: 'GET',
          path: `${base}/Users?filter=${encodeURIComponent(`emails[type eq "work"].value eq "user${at(i)}@bench.test"`)}`,
          expect: 200,
        })),
      );
      // Each PATCH adds 100 users not yet in the group: the group grows by 100 per request (50,000 -> 53,000).
      const outsiders = ids.slice(groupSize);
      const patches = Math.min(30, Math.floor(outsiders.length / 100));
      results.push(
        await driver.run(`group PATCH +100 members (${groupSize}-member group)`, pid, patches, (i) => ({
          method: 'PATCH',
          path: `${base}/Groups/${groupId}`,
          body: {
            schemas: [PATCH_OP],
            Operations: [{ op: 'add', path: 'members', value: outsiders.slice(i * 100, i * 100 + 100).map((value) => ({ value })) }],
          },
          expect: 204,
        })),
      );
      const rss = rssMb(pid);
      await driver.close();
      return { size, groupSize, results, rssMb: rss };
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
