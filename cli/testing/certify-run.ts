import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TENANT_SETUP_FAILED } from '../../fixtures/adapters/reference-connection.ts';
import { startEmbeddedServer } from '../../harness/embedded-server.ts';
import { runCli } from './run-cli.ts';

/** What a defect test reads back from one certify run. */
export interface DefectVerdicts {
  code: number | null;
  statuses: Record<string, string>;
  stderr: string;
  /** Report files that hold the demo's SCIM token or admin API key. */
  leaks: string[];
  /**
   * Failed requirements whose evidence says a fresh tenant could not be provisioned: such a failure shows that the
   * defect broke tenant set-up, not that the requirement's own check caught it.
   */
  setupFailures: string[];
}

/** Report files under `dir` whose bytes contain any of the secrets, or match `pattern`. */
export function filesContaining(dir: string, secrets: string[], pattern?: RegExp): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile())
    .filter((f) => {
      const text = readFileSync(f).toString('latin1');
      return secrets.some((s) => text.includes(s)) || (pattern?.test(text) ?? false);
    });
}

/**
 * Node-test helper for the defect tests: starts `serve --demo --defect ...` (nothing else: no `--smtp`), certifies it
 * over HTTP with only `--target --adapter reference --admin-url --admin-api-key` (token in env SCIMULATOR_TOKEN) plus
 * `args` (selection, waivers), and reads the verdicts from certificate.json. The demo key is an operator key, so the
 * adapter makes its fresh tenants over the admin API and their mail goes to the harness mailbox.
 * `serveArgs` go to `serve`; `secretPattern` also counts as a leak (e.g. any token the checks issued).
 */
export async function certifyAgainstDefects(
  defects: string[],
  args: string[],
  killAfterMs: number,
  opts: { serveArgs?: string[]; secretPattern?: RegExp } = {},
): Promise<DefectVerdicts> {
  const env = { SCIMULATOR_ALLOW_DEFECTS: '1', SCIMULATOR_LOG_LEVEL: 'silent' };
  const server = await startEmbeddedServer({ defects, env, extraArgs: opts.serveArgs ?? [] });
  // each run's report set is a few MB and what the callers assert on is read back here: it goes afterwards, unless
  // it leaked a secret (the leak paths then name files that still exist)
  const out = mkdtempSync(join(tmpdir(), 'scimulator-defect-'));
  let leaks: string[] = [];
  try {
    const { ready } = server;
    const run = await runCli(
      [
        'certify',
        '--target',
        ready.scimUrl,
        '--adapter',
        'reference',
        '--admin-url',
        ready.url,
        '--admin-api-key',
        ready.adminApiKey ?? '',
        '--workers',
        '2',
        '--out',
        out,
        ...args,
      ],
      { env: { SCIMULATOR_TOKEN: ready.token }, killAfterMs },
    );
    let statuses: Record<string, string> = {};
    let setupFailures: string[] = [];
    try {
      const cert = JSON.parse(readFileSync(join(out, 'certificate.json'), 'utf8')) as {
        requirements: Array<{ id: string; status: string; evidence?: Array<{ message?: string }> }>;
      };
      statuses = Object.fromEntries(cert.requirements.map((r) => [r.id, r.status]));
      setupFailures = cert.requirements
        .filter((r) => r.status === 'failed' && (r.evidence ?? []).some((e) => e.message?.includes(TENANT_SETUP_FAILED)))
        .map((r) => r.id);
    } catch {
      // no certificate: the callers' assertions report the exit code and output
    }
    leaks = filesContaining(out, [ready.token, ready.adminApiKey ?? ready.token], opts.secretPattern);
    return { code: run.code, statuses, setupFailures, stderr: run.stderr, leaks };
  } finally {
    await server.stop();
    if (leaks.length === 0) rmSync(out, { recursive: true, force: true });
  }
}
