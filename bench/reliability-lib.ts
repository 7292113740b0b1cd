/**
 * The probes behind `npm run reliability` (bench/reliability.ts), each bounded in time and on loopback only:
 * structure-aware fuzzing in process, slow-body and slow-header connections against a listening server, cross-tenant
 * reads between two accounts, a certify run of the security profile whose report files are searched for the secrets
 * planted in it, and the kill -9 durability test.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { buildApp } from '../reference-server/src/app.ts';
import { group, harness, PATCH_URN, user } from '../reference-server/src/scim/testing.ts';
import { requestArb, runCase, seed } from '../reference-server/test/fuzz-model.ts';
import { serve } from '../reference-server/test/serve-process.ts';

const ROOT = new URL('..', import.meta.url).pathname;

export interface FuzzFigures {
  cases: number;
  serverErrors: number;
  nonScimErrors: number;
  changedOnReject: number;
  roundTripFailures: number;
  examples: string[];
}

/** Runs `runs` generated requests and counts every property violation (no early stop). */
export async function fuzz(runs: number, seedValue: number): Promise<FuzzFigures> {
  const h = await harness();
  try {
    const ids = await seed(h);
    const out: FuzzFigures = { cases: 0, serverErrors: 0, nonScimErrors: 0, changedOnReject: 0, roundTripFailures: 0, examples: [] };
    // Generated 250 at a time: fc.sample materializes its cases, and 10,000 of them (some near 1 MiB) would make
    // the peak RSS measure the generator rather than the server.
    const arb = requestArb(ids);
    const chunks = function* () {
      for (let done = 0, i = 0; done < runs; done += 250, i++) yield* fc.sample(arb, { numRuns: Math.min(250, runs - done), seed: seedValue + i });
    };
    for (const req of chunks()) {
      const v = await runCase(h, req);
      out.cases++;
      if (v.serverError) out.serverErrors++;
      if (v.nonScimError) out.nonScimErrors++;
      if (v.changedOnReject) out.changedOnReject++;
      if (v.roundTripFailed) out.roundTripFailures++;
      if ((v.serverError || v.nonScimError || v.changedOnReject || v.roundTripFailed) && out.examples.length < 5) out.examples.push(v.detail);
    }
    return out;
  } finally {
    await h.app.close();
  }
}

/** Opens a connection that sends `head` and then one byte a second; resolves with how long the server let it live. */
function trickle(port: number, head: string, limitMs: number): Promise<{ closedAfterMs: number | undefined }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    const drip = setInterval(() => socket.writable && socket.write('a'), 1000);
    const done = (closed: boolean) => {
      clearInterval(drip);
      clearTimeout(guard);
      socket.destroy();
      resolve({ closedAfterMs: closed ? Date.now() - started : undefined });
    };
    const guard = setTimeout(() => done(false), limitMs);
    socket.on('close', () => done(true));
    socket.on('error', () => undefined);
    socket.write(head);
  });
}

export interface SlowFigures {
  probes: number;
  hung: number;
  /** Longest time a slow connection stayed open. */
  longestMs: number;
  /** A normal request answered while the slow ones were open. */
  servedMeanwhile: boolean;
  requestTimeoutMs: number;
}

/**
 * Slow bodies and slow headers against a listening server with the default timeouts of `serve`; a connection still
 * open after requestTimeout + 5 s counts as hung.
 */
export async function slowConnections(count = 6): Promise<SlowFigures> {
  const app = buildApp({ logLevel: 'silent' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const requestTimeoutMs = app.serverOptions.requestTimeoutMs;
  try {
    const port = (app.server.address() as AddressInfo).port;
    const account = app.store.accounts.create({ name: 'slow', ssoState: 'active' });
    const { token } = app.store.tokens.issueScimToken(account.id);
    const body = `POST /scim/v2/${account.id}/Users HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/scim+json\r\nContent-Length: 100000\r\n\r\n{"x":"`;
    const headers = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ';
    const limit = requestTimeoutMs + 5000;
    const probes = Array.from({ length: count }, (_, i) => trickle(port, i % 2 ? headers : body, limit));
    await new Promise((r) => setTimeout(r, 500));
    const health = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.status === 200,
      () => false,
    );
    const results = await Promise.all(probes);
    return {
      probes: count,
      hung: results.filter((r) => r.closedAfterMs === undefined).length,
      longestMs: Math.max(...results.map((r) => r.closedAfterMs ?? limit)),
      servedMeanwhile: health,
      requestTimeoutMs,
    };
  } finally {
    await app.close();
  }
}

/**
 * Two accounts; every way the first account's token could read the second's data. Counts answers that are 2xx on
 * the other account's base, or that carry the other account's ids or names.
 */
export async function crossTenantReads(): Promise<{ probes: number; leaks: number; examples: string[] }> {
  const a = await harness();
  try {
    const other = a.app.store.accounts.create({ name: 'tenant-b', ssoState: 'active' });
    const otherToken = a.app.store.tokens.issueScimToken(other.id).token;
    const asB = (method: string, path: string, body?: unknown) =>
      a.app.inject({
        method: method as 'GET',
        url: `/scim/v2/${other.id}/${path}`,
        headers: { authorization: `Bearer ${otherToken}`, 'content-type': 'application/scim+json' },
        ...(body ? { payload: JSON.stringify(body) } : {}),
      });
    const bUser = (await asB('POST', 'Users', user('secret-b-user@b.test'))).json().id as string;
    const bGroup = (await asB('POST', 'Groups', group('Secret B Group', [bUser]))).json().id as string;
    const aUser = (await a.req('POST', 'Users', user('a-user@a.test'))).body.id as string;
    const aGroup = (await a.req('POST', 'Groups', group('A Group', [aUser]))).body.id as string;
    const q = (f: string) => encodeURIComponent(f);
    const onOwnBase: [string, string, unknown?][] = [
      ['GET', `Users/${bUser}`],
      ['GET', `Groups/${bGroup}`],
      ['GET', `Users?filter=${q('userName eq "secret-b-user@b.test"')}`],
      ['GET', `Users?filter=${q(`id eq "${bUser}"`)}`],
      ['GET', `Groups?filter=${q(`members.value eq "${bUser}"`)}`],
      ['GET', `Groups?filter=${q('displayName sw "Secret"')}`],
      ['GET', 'Users?count=1000'],
      ['GET', 'Groups?count=1000'],
      ['POST', '.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: 'userName sw "secret"' }],
      ['PUT', `Users/${bUser}`, user('taken@a.test')],
      ['PATCH', `Users/${bUser}`, { schemas: [PATCH_URN], Operations: [{ op: 'replace', path: 'title', value: 'x' }] }],
      ['PATCH', `Groups/${aGroup}`, { schemas: [PATCH_URN], Operations: [{ op: 'add', path: 'members', value: [{ value: bUser }] }] }],
      ['POST', 'Groups', group('Steal', [bUser, bGroup])],
      ['DELETE', `Users/${bUser}`],
      [
        'POST',
        'Bulk',
        {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
          Operations: [
            { method: 'PATCH', path: `/Users/${bUser}`, data: { schemas: [PATCH_URN], Operations: [{ op: 'replace', path: 'title', value: 'x' }] } },
            { method: 'DELETE', path: `/Groups/${bGroup}` },
          ],
        },
      ],
      ['GET', `Users/${aUser}?attributes=groups`],
    ];
    const examples: string[] = [];
    let leaks = 0;
    const judge = (what: string, status: number, text: string, otherBase: boolean) => {
      const leaked =
        (otherBase && status < 300) ||
        text.includes('secret-b-user') ||
        text.includes('Secret B Group') ||
        (text.includes(bUser) && status < 300) ||
        (text.includes(bGroup) && status < 300);
      if (leaked) {
        leaks++;
        if (examples.length < 5) examples.push(`${what} -> ${status} ${text.slice(0, 160)}`);
      }
    };
    for (const [method, path, body] of onOwnBase) {
      const res = await a.req(method, path, body);
      // A Bulk answer repeats the operation's path; only a success would mean a read or write across accounts.
      const text =
        method === 'POST' && path === 'Bulk' ? JSON.stringify((res.body?.Operations ?? []).filter((o: { status: string }) => Number(o.status) < 300)) : res.raw;
      judge(`A's token: ${method} ${path}`, res.status, text, false);
    }
    for (const path of ['Users', `Users/${bUser}`, `Groups/${bGroup}`, 'ServiceProviderConfig']) {
      const res = await a.req('GET', `/scim/v2/${other.id}/${path}`);
      judge(`A's token on B's base: GET ${path}`, res.status, res.raw, true);
    }
    const stillThere = (await asB('GET', `Users/${bUser}`)).statusCode === 200 && (await asB('GET', `Groups/${bGroup}`)).statusCode === 200;
    if (!stillThere) {
      leaks++;
      examples.push("B's resources were changed or deleted by A's token");
    }
    return { probes: onOwnBase.length + 5, leaks, examples };
  } finally {
    await a.app.close();
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function run(cmd: string, args: string[], timeoutMs: number, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface SecretFigures {
  files: number;
  bytes: number;
  found: number;
  examples: string[];
  certifyExit: number | null;
}

/**
 * Starts `serve --demo` (so this script knows its token, operator key and admin passwords), runs
 * `certify --profile security` against it, and searches every report file for those secrets and for the
 * passwords the security specs give their test users (specs/security/secrets.spec.ts: `S3cret-...`, `Guess-...`).
 */
export async function secretsInReports(): Promise<SecretFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'scimulator-reliability-'));
  const served = await serve(['--demo', '--db', join(dir, 'data.db'), '--port', '0']);
  try {
    const ready = served.ready as Record<string, any>;
    const out = join(dir, 'reports');
    const certify = await run(
      process.execPath,
      [
        'cli/bin.js',
        'certify',
        '--profile',
        'security',
        '--target',
        ready.scimUrl,
        '--token',
        ready.token,
        '--adapter',
        'reference',
        '--admin-url',
        ready.adminApiUrl,
        '--admin-api-key',
        ready.adminApiKey,
        '--out',
        out,
        '--workers',
        '1',
      ],
      8 * 60_000,
    );
    const secrets: string[] = [
      ready.token,
      ready.adminApiKey,
      ...(ready.admins ?? []).map((a: { password: string }) => a.password),
      ready.sso?.clientSecret,
    ].filter((s): s is string => typeof s === 'string' && s.length >= 6);
    const generated = /\b(?:S3cret|Guess)-[A-Za-z0-9_-]{4,}/g;
    let files = 0;
    let bytes = 0;
    let found = 0;
    const examples: string[] = [];
    for (const file of filesUnder(out)) {
      const text = readFileSync(file).toString('latin1');
      files++;
      bytes += text.length;
      const hits = [...secrets.filter((s) => text.includes(s)).map(() => 'a server secret'), ...[...text.matchAll(generated)].map((m) => m[0])];
      found += hits.length;
      if (hits.length > 0 && examples.length < 5) examples.push(`${file.slice(out.length + 1)}: ${hits.slice(0, 3).join(', ')}`);
    }
    if (files === 0) examples.push(`certify wrote no report (exit ${certify.code}): ${certify.stderr.slice(-300)}`);
    return { files, bytes, found, examples, certifyExit: certify.code };
  } finally {
    served.child.kill('SIGTERM');
    await served.exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The kill -9 test (reference-server/test/durability.test.ts) as a child: acknowledged writes lost after SIGKILL. */
export async function durability(): Promise<{ lost: number | undefined; acknowledged: number | undefined; ok: boolean }> {
  const res = await run(process.execPath, ['--import', 'tsx', '--test', 'reference-server/test/durability.test.ts'], 120_000);
  const lost = /(\d+) of (\d+) acknowledged writes were lost/.exec(res.stdout);
  const acked = /acknowledged (\d+), present/.exec(res.stdout);
  if (lost) return { lost: Number(lost[1]), acknowledged: Number(lost[2]), ok: false };
  return { lost: res.code === 0 ? 0 : undefined, acknowledged: acked ? Number(acked[1]) : undefined, ok: res.code === 0 };
}
