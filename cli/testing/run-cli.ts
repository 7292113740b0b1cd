import { spawn, type ChildProcess } from 'node:child_process';

const ROOT = new URL('../..', import.meta.url).pathname;

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `node cli/bin.js ...args` as a user would, with a hard kill after `killAfterMs`. */
export function runCli(
  args: string[],
  // onSpawn: the child, for a test that signals it mid-run (e.g. SIGINT as Ctrl+C would)
  opts: { env?: NodeJS.ProcessEnv; killAfterMs?: number; onSpawn?: (child: ChildProcess) => void } = {},
): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`${ROOT}cli/bin.js`, ...args], {
      cwd: ROOT,
      env: { ...process.env, SCIMULATOR_LOG_LEVEL: 'silent', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    opts.onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const killer = setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs ?? 120_000);
    let code: number | null = null;
    let grace: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(killer);
      clearTimeout(grace);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    };
    // 'exit' can come before the last output is read: wait for the pipes to close, but not for ever, since a
    // Playwright child writes to the same stderr and may outlive a killed certify
    child.on('exit', (c) => {
      code = c;
      grace = setTimeout(done, 2_000);
    });
    child.on('close', done);
  });
}
