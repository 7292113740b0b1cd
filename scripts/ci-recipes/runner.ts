// Runs the shell steps of the CI recipes in docs/ci/ on this machine, as the CI would, for
// scripts/ci-recipes.test.ts: the GitHub workflow's jobs with GITHUB_ENV, GITHUB_STEP_SUMMARY and the artifact
// actions emulated, the GitLab pipeline's job scripts in one shell each. Install steps (npm ci, apt-get) are left
// out: the workspace links this checkout as its node_modules/scimulator, as `npm ci` of a vendor repository would.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

export const ROOT = new URL('../..', import.meta.url).pathname;

export type Yaml = Record<string, any>;

export function readRecipe(name: 'github-actions.yml' | 'gitlab-ci.yml'): Yaml {
  return parse(readFileSync(join(ROOT, 'docs/ci', name), 'utf8')) as Yaml;
}

/** A vendor's repository as `npm ci` leaves it: scimulator in node_modules, its bin on npx's path. */
export function makeWorkspace(): string {
  const ws = mkdtempSync(join(tmpdir(), 'scimulator-ci-'));
  writeFileSync(join(ws, 'package.json'), JSON.stringify({ name: 'service-under-test', private: true, devDependencies: { scimulator: '*' } }));
  mkdirSync(join(ws, 'node_modules/.bin'), { recursive: true });
  symlinkSync(ROOT.replace(/\/$/, ''), join(ws, 'node_modules/scimulator'));
  symlinkSync('../scimulator/cli/bin.js', join(ws, 'node_modules/.bin/scimulator'));
  return ws;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Stops the stand-in service a job left running (its process group, by the id the recipe wrote). */
export function stopService(ws: string): void {
  const file = join(ws, 'service.pid');
  if (!existsSync(file)) return;
  const pid = Number(readFileSync(file, 'utf8').trim());
  rmSync(file);
  try {
    if (pid > 1) process.kill(-pid, 'SIGTERM');
  } catch {
    // already gone (the recipe stopped it)
  }
}

export interface StepRun {
  name: string;
  code: number;
  output: string;
}

function bash(script: string, cwd: string, env: NodeJS.ProcessEnv): { code: number; output: string } {
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
    cwd,
    env,
    encoding: 'utf8',
    timeout: 300_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status ?? 1, output: `${r.stdout}${r.stderr}` };
}

const expand = (value: unknown, matrix: Record<string, unknown>): string =>
  String(value).replace(/\$\{\{\s*matrix\.(\w+)\s*\}\}/g, (_, k: string) => String(matrix[k]));

/** GitHub steps run by this emulation, or skipped because the workspace is set up already. */
const GITHUB_SKIPPED_USES = /^actions\/(checkout|setup-node)@v\d+$/;
export const GITHUB_INSTALL_STEP = 'Install';

/**
 * One job of the GitHub workflow: run steps through bash -eo pipefail (GitHub's default shell), GITHUB_ENV read after
 * each step, artifacts copied to and from `artifacts/`. A failed step skips the rest except `if: always()` ones.
 */
export function runGithubJob(ws: string, workflow: Yaml, jobId: string, matrix: Record<string, unknown>, overrides: Record<string, string>): StepRun[] {
  const job = workflow.jobs[jobId] as Yaml;
  const artifacts = join(ws, '.artifacts');
  const envFile = join(ws, '.github-env');
  const summary = join(ws, 'step-summary.md');
  writeFileSync(envFile, '');
  const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true', GITHUB_ENV: envFile, GITHUB_STEP_SUMMARY: summary, SCIMULATOR_LOG_LEVEL: 'warn' };
  for (const [k, v] of Object.entries({ ...workflow.env, ...job.env })) env[k] = expand(v, matrix);
  Object.assign(env, overrides);
  const runs: StepRun[] = [];
  let failed = false;
  for (const step of job.steps as Yaml[]) {
    const name = expand(step.name ?? step.uses, matrix);
    if (failed && step.if !== 'always()') continue;
    const w = Object.fromEntries(Object.entries((step.with ?? {}) as Yaml).map(([k, v]) => [k, expand(v, matrix)]));
    let result = { code: 0, output: '' };
    if (step.run !== undefined) {
      if (name === GITHUB_INSTALL_STEP) continue;
      result = bash(step.run as string, ws, env);
      for (const line of readFileSync(envFile, 'utf8').split('\n').filter(Boolean)) {
        const at = line.indexOf('=');
        env[line.slice(0, at)] = line.slice(at + 1);
      }
      writeFileSync(envFile, '');
    } else if (GITHUB_SKIPPED_USES.test(step.uses)) {
      continue;
    } else if (/^actions\/upload-artifact@v\d+$/.test(step.uses)) {
      const paths = String(w.path)
        .split('\n')
        .map((p) => p.trim())
        .filter(Boolean);
      for (const p of paths) {
        if (!existsSync(join(ws, p))) continue;
        // one path: its content is the artifact's root, as upload-artifact stores it
        cpSync(join(ws, p), paths.length === 1 ? join(artifacts, w.name!) : join(artifacts, w.name!, p), { recursive: true });
      }
    } else if (/^actions\/download-artifact@v\d+$/.test(step.uses)) {
      if (w.name) cpSync(join(artifacts, w.name), join(ws, w.path!), { recursive: true });
      const pattern = w.pattern ? new RegExp(`^${w.pattern.replace(/\*/g, '.*')}$`) : undefined;
      for (const a of pattern ? readdirSync(artifacts).filter((n) => pattern.test(n)) : [])
        cpSync(join(artifacts, a), join(ws, w.path!, a), { recursive: true });
    } else if (/^mikepenz\/action-junit-report@v\d+$/.test(step.uses)) {
      const file = join(ws, w.report_paths!);
      result = existsSync(file) && /<testsuites[\s>]/.test(readFileSync(file, 'utf8')) ? result : { code: 1, output: `no JUnit report at ${w.report_paths}` };
    } else {
      throw new Error(`the local run does not know the action ${step.uses}`);
    }
    runs.push({ name, ...result });
    if (result.code !== 0) failed = true;
  }
  stopService(ws);
  return runs;
}

/** One GitLab job: its script entries in one shell, as the runner does (before_script, the install, left out). */
export function runGitlabJob(ws: string, pipeline: Yaml, jobId: string, matrix: Record<string, string>, overrides: Record<string, string>): StepRun {
  const job = pipeline[jobId] as Yaml;
  const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true', SCIMULATOR_LOG_LEVEL: 'warn', ...pipeline.variables, ...job.variables, ...matrix, ...overrides };
  const result = bash((job.script as string[]).join('\n'), ws, env);
  stopService(ws);
  return { name: `${jobId}${Object.keys(matrix).length ? ` ${JSON.stringify(matrix)}` : ''}`, ...result };
}
