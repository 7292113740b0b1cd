/**
 * The load driver of `npm run bench`: a fixed number of requests at a fixed concurrency over one undici Pool
 * (keep-alive sockets, one per concurrent request), with latency percentiles and the server's CPU time and RSS
 * read from /proc/<pid> around the run (Linux only).
 */
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';

export interface Request {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  /** The status a correct answer has; anything else aborts the bench. */
  expect: number;
}

export interface RunResult {
  name: string;
  ops: number;
  opsPerS: number;
  p50: number;
  p95: number;
  p99: number;
  /** Server CPU (user + system) per request, ms. */
  cpuMsPerOp: number;
  rssMb: number;
}

const TICKS_PER_S = 100; // USER_HZ on Linux

/** utime + stime of a process in ms, from /proc/<pid>/stat (fields 14 and 15, after the parenthesised name). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_S;
}

export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

export class Driver {
  readonly pool: Pool;

  constructor(
    origin: string,
    private readonly headers: Record<string, string>,
    readonly concurrency: number,
  ) {
    this.pool = new Pool(origin, { connections: concurrency, pipelining: 1 });
  }

  async send(req: Request): Promise<unknown> {
    const res = await this.pool.request({
      method: req.method,
      path: req.path,
      headers: req.body === undefined ? this.headers : { ...this.headers, 'content-type': 'application/scim+json' },
      ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
    });
    const text = await res.body.text();
    if (res.statusCode !== req.expect) throw new Error(`${req.method} ${req.path} answered ${res.statusCode}, expected ${req.expect}: ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : undefined;
  }

  /** Sends `make(0) ... make(count - 1)`, `concurrency` at a time, and measures the run against server `pid`. */
  async run(name: string, pid: number, count: number, make: (i: number) => Request): Promise<RunResult> {
    const latencies: number[] = new Array(count);
    let next = 0;
    const cpu0 = cpuMs(pid);
    const t0 = performance.now();
    const worker = async () => {
      while (next < count) {
        const i = next++;
        const started = performance.now();
        await this.send(make(i));
        latencies[i] = performance.now() - started;
      }
    };
    await Promise.all(Array.from({ length: this.concurrency }, worker));
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cpuMs(pid) - cpu0;
    latencies.sort((a, b) => a - b);
    return {
      name,
      ops: count,
      opsPerS: count / seconds,
      p50: percentile(latencies, 0.5),
      p95: percentile(latencies, 0.95),
      p99: percentile(latencies, 0.99),
      cpuMsPerOp: cpu / count,
      rssMb: rssMb(pid),
    };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
