import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startEmbeddedServer } from '../../harness/embedded-server.ts';
import { certificateFileSchemaErrors } from '../testing/certificate-json-schema.ts';
import { runCli } from '../testing/run-cli.ts';

const SELECTION = ['--profile', 'okta', '--only', 'OKTA-ASSIGN-CREATE,OKTA-CONNECT-LIST', '--workers', '1'];

test('diff of a correct run and a create-returns-200 run names OKTA-ASSIGN-CREATE and exits 1', { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'scimulator-diff-e2e-'));
  try {
    const good = await runCli(['certify', ...SELECTION, '--out', join(dir, 'good')], { killAfterMs: 140_000 });
    assert.equal(good.code, 0, good.stderr.slice(-2000));

    const server = await startEmbeddedServer({ defects: ['create-returns-200'], env: { SCIMULATOR_ALLOW_DEFECTS: '1', SCIMULATOR_LOG_LEVEL: 'silent' } });
    let bad;
    try {
      bad = await runCli(['certify', '--target', server.ready.scimUrl, ...SELECTION, '--out', join(dir, 'bad')], {
        env: { SCIMULATOR_TOKEN: server.ready.token },
        killAfterMs: 140_000,
      });
    } finally {
      await server.stop();
    }
    assert.equal(bad.code, 1, bad.stderr.slice(-2000));

    // what the suite writes is what the shipped JSON Schema describes
    for (const run of ['good', 'bad']) assert.deepEqual(certificateFileSchemaErrors(join(dir, run, 'certificate.json')), [], run);

    const diff = await runCli(['diff', join(dir, 'good/certificate.json'), join(dir, 'bad/certificate.json')]);
    assert.equal(diff.code, 1, diff.stderr);
    assert.match(diff.stdout, /New failures \(1\):\n {2}OKTA-ASSIGN-CREATE \(MUST\) passed -> failed/);
    assert.match(diff.stdout, /201/);
    assert.doesNotMatch(diff.stdout, /OKTA-CONNECT-LIST/);
    assert.match(diff.stdout, /REGRESSION: 1 requirement\(s\) passed before and fail now/);

    // the other way round it is a fix, and no regression
    const back = await runCli(['diff', join(dir, 'bad/certificate.json'), join(dir, 'good/certificate.json')]);
    assert.equal(back.code, 0, back.stdout);
    assert.match(back.stdout, /Fixed \(1\):\n {2}OKTA-ASSIGN-CREATE \(MUST\) failed -> passed/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
