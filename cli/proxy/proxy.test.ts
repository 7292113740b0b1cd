import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startEmbeddedServer, type EmbeddedServer } from '../../harness/embedded-server.ts';
import { createSimulator, type IdpName } from '../../simulators/index.ts';
import { replay } from '../commands/replay.ts';
import { readHar } from './har.ts';
import { judgeExchange, type Judgement, type RecordedExchange } from './judges.ts';
import { writeLiveReports } from './report.ts';
import { startProxy } from './server.ts';

/**
 * The live proxy end to end: each simulator's full lifecycle goes through the proxy to a reference server; the live
 * certificate judges what it observed; a recording replays against a fresh server as recorded and against a broken
 * one with the differing exchanges named; no secret reaches a recording or report.
 */

const PLANTED_PASSWORD = 'Planted-Passw0rd-7f3a9c';
const PLANTED_SECRET = 'planted-client-secret-91b2e';

async function recordLifecycles(server: EmbeddedServer, idps: readonly IdpName[]) {
  const exchanges: RecordedExchange[] = [];
  const judgements = new Map<number, Judgement[]>();
  const proxy = await startProxy({
    upstream: server.ready.scimUrl,
    host: '127.0.0.1',
    port: 0,
    onExchange: (e) => {
      exchanges.push(e);
      judgements.set(e.seq, judgeExchange(e));
    },
  });
  const results: Record<string, boolean> = {};
  try {
    for (const [i, idp] of idps.entries()) {
      // a seed of its own per IdP: their directories must not share people
      const sim = createSimulator(idp, { target: { scimUrl: proxy.url, token: server.ready.token }, seed: 4200 + i * 17 });
      const run = await sim.run('full-lifecycle');
      results[idp] = run.ok;
      if (!run.ok) console.error(idp, JSON.stringify(run.steps.filter((s) => !s.ok).map((s) => [s.name, s.message])));
      await sim.close();
    }
    // secrets of every kind through the proxy: a password in a create and in a PATCH value, a token in the query
    const auth = { authorization: `Bearer ${server.ready.token}`, 'content-type': 'application/scim+json' };
    const created = await fetch(`${proxy.url}/Users`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'planted@example.test', password: PLANTED_PASSWORD }),
    });
    const id = ((await created.json()) as { id: string }).id;
    await (
      await fetch(`${proxy.url}/Users/${id}`, {
        method: 'PATCH',
        headers: auth,
        body: JSON.stringify({
          schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
          Operations: [{ op: 'replace', path: 'password', value: PLANTED_PASSWORD }],
        }),
      })
    ).text();
    await (await fetch(`${proxy.url}/Users?access_token=${PLANTED_SECRET}&count=1`, { headers: auth })).text();
    await (await fetch(`${proxy.url}/Users/${id}`, { method: 'DELETE', headers: auth })).text();
  } finally {
    await proxy.close();
  }
  return { exchanges, judgements, results };
}

function filesContaining(dir: string, secrets: string[]): string[] {
  return (readdirSync(dir) as string[]).filter((f) => secrets.some((s) => readFileSync(join(dir, f), 'utf8').includes(s)));
}

describe('scimulator proxy', () => {
  let good: EmbeddedServer;
  let broken: EmbeddedServer;
  before(async () => {
    [good, broken] = await Promise.all([
      startEmbeddedServer(),
      startEmbeddedServer({ defects: ['create-returns-200'], env: { SCIMULATOR_ALLOW_DEFECTS: '1' } }),
    ]);
  });
  after(async () => {
    await Promise.all([good?.stop(), broken?.stop()]);
  });

  test('every simulator full-lifecycle through the proxy: the live certificate passes what it observed, no secret is recorded, replay matches', async () => {
    const rec = await recordLifecycles(good, ['okta', 'entra', 'sailpoint']);
    assert.deepEqual(rec.results, { okta: true, entra: true, sailpoint: true }, 'the proxy forwards every exchange unchanged');
    assert.deepEqual(new Set(rec.exchanges.map((e) => e.idp)), new Set(['okta', 'entra', 'sailpoint', 'unknown']), 'each IdP is recognised');
    const out = mkdtempSync(join(tmpdir(), 'scimulator-live-'));
    const cert = writeLiveReports({ out, upstream: good.ready.scimUrl, startedAt: new Date(), exchanges: rec.exchanges, judgements: rec.judgements });
    const by = Object.fromEntries(cert.requirements.map((r) => [r.id, r.status]));
    assert.equal(
      cert.summary.failed,
      0,
      JSON.stringify(
        cert.requirements.filter((r) => r.status === 'failed'),
        null,
        2,
      ),
    );
    for (const id of ['RFC-USER-CREATE-201', 'RFC-USER-CREATE-LOCATION', 'RFC-LIST-SCHEMA', 'RFC-PATCH-RESPONSE', 'OKTA-LIST-NUMBERS', 'ENTRA-PATCH-OP-CASE'])
      assert.equal(by[id], 'passed', id);
    assert.deepEqual(readdirSync(out).sort(), ['certificate.json', 'certificate.md', 'junit.xml', 'recording.har']);
    assert.deepEqual(filesContaining(out, [good.ready.token, PLANTED_PASSWORD, PLANTED_SECRET]), [], 'no token, password or secret in a recording or report');

    const har = readHar(JSON.parse(readFileSync(join(out, 'recording.har'), 'utf8')));
    assert.ok('entries' in har && har.entries.length === rec.exchanges.length, 'the HAR holds every exchange');
    const fresh = await startEmbeddedServer();
    try {
      const same = await replay((har as { entries: Parameters<typeof replay>[0] }).entries, fresh.ready.scimUrl, fresh.ready.token, 15_000);
      assert.deepEqual(same.differing, [], 'a fresh reference server answers as recorded');
    } finally {
      await fresh.stop();
    }
  });

  test('against a server with a defect the live certificate fails the requirement it violates, and replay names the exchange', async () => {
    const rec = await recordLifecycles(broken, ['okta']);
    const out = mkdtempSync(join(tmpdir(), 'scimulator-live-'));
    const cert = writeLiveReports({ out, upstream: broken.ready.scimUrl, startedAt: new Date(), exchanges: rec.exchanges, judgements: rec.judgements });
    const failed = cert.requirements.filter((r) => r.status === 'failed').map((r) => r.id);
    assert.deepEqual(
      failed,
      ['RFC-USER-CREATE-201', 'RFC-GROUP-CREATE-201'],
      'the 200 on creates (the defect answers 200 to POST /Users and /Groups), and nothing else',
    );
    assert.ok(
      cert.requirements.find((r) => r.id === 'RFC-USER-CREATE-201')!.evidence.some((e) => (e.response as { status?: number } | undefined)?.status === 200),
      'the real exchange is the evidence',
    );

    const good2 = await recordLifecycles(good, ['okta']);
    const gout = mkdtempSync(join(tmpdir(), 'scimulator-live-'));
    writeLiveReports({ out: gout, upstream: good.ready.scimUrl, startedAt: new Date(), exchanges: good2.exchanges, judgements: good2.judgements });
    const har = readHar(JSON.parse(readFileSync(join(gout, 'recording.har'), 'utf8')));
    const other = await startEmbeddedServer({ defects: ['create-returns-200'], env: { SCIMULATOR_ALLOW_DEFECTS: '1' } });
    try {
      const diff = await replay((har as { entries: Parameters<typeof replay>[0] }).entries, other.ready.scimUrl, other.ready.token, 15_000);
      assert.ok(
        diff.differing.some((d) => d.method === 'POST' && d.differences.includes('status 200, recorded 201')),
        JSON.stringify(diff.differing),
      );
    } finally {
      await other.stop();
    }
  });
});
