import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { startEmbeddedServer } from '../../fixtures/embedded-server.ts';
import { runCli } from '../../cli/testing/run-cli.ts';
import { findRequirement } from '../catalog/index.ts';

/**
 * Node-test helper for the IdP profiles: certify a `serve --demo --defect NAME` server with `--profile <idp>
 * --only <ids>` and read the verdicts from certificate.json. The server is reached over HTTP, like any target.
 */
interface Verdicts {
  code: number | null;
  statuses: Record<string, string>;
  stderr: string;
}

async function certifyAgainst(profile: string, defects: string[], only: string[]): Promise<Verdicts> {
  const server = await startEmbeddedServer({ defects, env: { SCIMULATOR_ALLOW_DEFECTS: '1', SCIMULATOR_LOG_LEVEL: 'silent' } });
  try {
    const out = mkdtempSync(join(tmpdir(), `scimulator-${profile}-defect-`));
    const { ready } = server;
    const run = await runCli(
      ['certify', '--target', ready.scimUrl, '--adapter', 'reference', '--admin-url', ready.url, '--reference-db', server.db, '--profile', profile, '--only', only.join(','), '--workers', '2', '--out', out],
      { env: { SCIMULATOR_TOKEN: ready.token, SCIMULATOR_ADMIN_API_KEY: ready.adminApiKey ?? '' }, killAfterMs: 240_000 },
    );
    let statuses: Record<string, string> = {};
    try {
      const cert = JSON.parse(readFileSync(join(out, 'certificate.json'), 'utf8')) as { requirements: Array<{ id: string; status: string }> };
      statuses = Object.fromEntries(cert.requirements.map((r) => [r.id, r.status]));
    } catch {
      // no certificate: the assertions report the exit code and output
    }
    return { code: run.code, statuses, stderr: run.stderr };
  } finally {
    await server.stop();
  }
}

/** Registers: the mapped ids pass without defects, and each defect alone fails exactly its ids. */
export function defectSuite(profile: string, mapping: Record<string, string[]>): void {
  test(`${profile}: without defects the mapped requirements pass`, async () => {
    const all = [...new Set(Object.values(mapping).flat())];
    const v = await certifyAgainst(profile, [], all);
    assert.equal(v.code, 0, v.stderr.slice(-2000));
    for (const id of all) assert.equal(v.statuses[id], 'passed', id);
  });
  // each case starts its own server and certify run; two at a time on two cores
  describe(`${profile}: certify against each defect`, { concurrency: 2 }, () => {
    for (const [defect, ids] of Object.entries(mapping)) {
      test(`defect ${defect} fails ${ids.join(', ')}`, async () => {
        const v = await certifyAgainst(profile, [defect], ids);
        // exit 1 only when a MUST failed; a failed SHOULD or MAY is reported, not fatal
        const must = ids.some((id) => findRequirement(id)?.severity === 'MUST');
        assert.equal(v.code, must ? 1 : 0, `exit code; output:\n${v.stderr.slice(-2000)}`);
        for (const id of ids) assert.equal(v.statuses[id], 'failed', `${id} under ${defect}`);
      });
    }
  });
}
