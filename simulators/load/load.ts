import type { Clock } from '../core/clock.ts';
import type { Exchange, FailureKind, IdpName, Step } from '../core/types.ts';
import { createDirectory } from '../directory/directory.ts';
import type { AuthConfig } from '../transport/auth.ts';
import { createSimulator, type AnySimulator } from '../create.ts';
import { EntraSimulator } from '../entra/entra.ts';
import { OktaSimulator } from '../okta/okta.ts';
import { SailPointSimulator } from '../sailpoint/sailpoint.ts';

export interface LoadOptions {
  idp: IdpName;
  users: number;
  groups?: number;
  /** Defaults to the IdP's own: Okta 4, Entra 8, SailPoint 10 [INF]. */
  concurrency?: number;
  target: { scimUrl: string; auth: AuthConfig };
  mode?: string;
  seed: number;
  options?: Record<string, unknown>;
  timeoutMs?: number;
  clock?: Clock;
  /** Called after each finished object (user, group, membership). */
  onProgress?: (done: number, total: number) => void;
}

/** The `scimulator load --json` object of docs/contracts.md, plus a few extra figures. */
export interface LoadReport {
  idp: IdpName;
  mode: string;
  users: number;
  groups: number;
  concurrency: number;
  durationS: number;
  /** Completed HTTP exchanges per second. */
  throughput: number;
  usersPerSecond: number;
  requests: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  errors: { total: number; byKind: Partial<Record<FailureKind, number>>; samples: string[] };
  retries: number;
}

/**
 * Replays an IdP's initial sync of many users at that IdP's concurrency: Okta assigns (existence check, create),
 * Entra runs an initial cycle (match, create), SailPoint creates accounts; then groups and their memberships.
 */
export async function runLoad(opts: LoadOptions): Promise<LoadReport> {
  const groups = opts.groups ?? 0;
  const latencies: number[] = [];
  const onExchange = (e: Exchange) => {
    if (e.response) latencies.push(e.ms);
  };
  const directory = createDirectory(opts.idp, { seed: opts.seed, users: opts.users, groups });
  directory.groups = directory.groups.slice(0, groups);
  const sim = createSimulator(opts.idp, {
    target: opts.target,
    ...(opts.mode ? { mode: opts.mode } : {}),
    seed: opts.seed,
    directory,
    ...(opts.clock ? { clock: opts.clock } : {}),
    options: opts.options ?? {},
    transportOptions: { record: false, onExchange, connections: 64, ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) },
  });
  const concurrency = opts.concurrency ?? (sim.options as { concurrency: number }).concurrency;
  const errors = { total: 0, byKind: {} as Partial<Record<FailureKind, number>>, samples: [] as string[] };
  const memberships = groups > 0 ? directory.groups.reduce((n, g) => n + g.memberKeys.length, 0) : 0;
  const total = opts.users + groups + (sim instanceof SailPointSimulator ? memberships : sim instanceof EntraSimulator ? groups : 0);
  let done = 0;
  const tally = (step: Step | undefined) => {
    done++;
    if (step && !step.ok) {
      errors.total++;
      const kind = (step.observed.failure as FailureKind | undefined) ?? 'unexpected_response';
      errors.byKind[kind] = (errors.byKind[kind] ?? 0) + 1;
      if (errors.samples.length < 5) errors.samples.push(`${step.name}: ${step.message}`);
    }
    // steps are tallied here; keeping 10,000 of them would only cost memory
    sim.session.reset();
    opts.onProgress?.(done, total);
  };
  const started = performance.now();
  try {
    await pool(
      directory.people.map((p) => () => provisionUser(sim, p.key)),
      concurrency,
      tally,
    );
    await pool(
      directory.groups.map((g) => () => provisionGroup(sim, g.key)),
      concurrency,
      tally,
    );
    if (sim instanceof SailPointSimulator) {
      const pairs = directory.groups.flatMap((g) => g.memberKeys.map((key) => ({ key, groupKey: g.key })));
      await pool(
        pairs.map((x) => () => sim.addEntitlement(x.key, x.groupKey)),
        concurrency,
        tally,
      );
    } else if (sim instanceof EntraSimulator) {
      await pool(
        directory.groups.map((g) => () => pushMembers(sim, g.key)),
        concurrency,
        tally,
      );
    }
  } finally {
    await sim.close();
  }
  const durationS = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    idp: opts.idp,
    mode: sim.mode,
    users: opts.users,
    groups,
    concurrency,
    durationS: round(durationS, 3),
    throughput: round(latencies.length / durationS, 1),
    usersPerSecond: round(opts.users / durationS, 1),
    requests: latencies.length,
    latencyMs: { p50: pct(latencies, 50), p95: pct(latencies, 95), p99: pct(latencies, 99), max: latencies.at(-1) ?? 0 },
    errors,
    retries: sim.transport.retries,
  };
}

function provisionUser(sim: AnySimulator, key: string): Promise<Step | undefined> {
  if (sim instanceof OktaSimulator) return sim.assign(key);
  if (sim instanceof EntraSimulator) return sim.provisionUser(key);
  return sim.createAccount(key);
}

function provisionGroup(sim: AnySimulator, key: string): Promise<Step | undefined> {
  if (sim instanceof OktaSimulator) return sim.pushGroup(key);
  if (sim instanceof EntraSimulator) return sim.provisionGroup(key);
  return sim.ensureEntitlement(key);
}

/** Entra adds members as a reference update once users exist (Okta pushed them with the group already). */
async function pushMembers(sim: EntraSimulator, key: string): Promise<Step | undefined> {
  const g = sim.directory.groups.find((x) => x.key === key);
  const members = (g?.memberKeys ?? []).filter((k) => sim.userIds.has(k));
  return members.length ? sim.addMembers(key, members) : undefined;
}

async function pool<T>(tasks: Array<() => Promise<T>>, concurrency: number, each: (r: T) => void): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++] as () => Promise<T>;
      each(await task());
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, tasks.length)) }, worker));
}

/** Nearest-rank percentile of sorted values. */
export function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return round(sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? 0, 2);
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
