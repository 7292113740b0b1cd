/** Starts `scimulator serve` as a child process and reads its ready line (for the process-level tests). */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../cli/bin.js', import.meta.url));

export interface Ready {
  event: 'ready';
  url: string;
  scimUrl?: string;
  token?: string;
  accountId?: string;
  [key: string]: unknown;
}

export interface Served {
  child: ChildProcess;
  ready: Ready;
  /** Every stdout line after the ready line (there must be none). */
  extraStdout: string[];
  exited: Promise<number | null>;
}

export function serve(args: string[], timeoutMs = 20_000): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], {
    env: { ...process.env, SCIMULATOR_LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const extraStdout: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no ready line within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    let ready: Ready | undefined;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (ready) {
        extraStdout.push(line);
        return;
      }
      clearTimeout(timer);
      try {
        ready = JSON.parse(line) as Ready;
        resolve({ child, ready, extraStdout, exited });
      } catch {
        reject(new Error(`first stdout line is not JSON: ${line}`));
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`serve exited with ${code} before ready; stderr: ${stderr}`));
    });
  });
}
