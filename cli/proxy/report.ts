import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findRequirement } from '../../catalog/index.ts';
import type { TestOutcome } from '../../harness/reporting/results.ts';
import type { Certificate } from '../certify/certificate.ts';
import { writeCertificate, type RunContext } from '../certify/run.ts';
import { toHar } from './har.ts';
import { OBSERVABLE, type Judgement, type RecordedExchange } from './judges.ts';

/**
 * The live report set: the same certificate as certify (signed, one verdict per requirement, the real exchanges as
 * evidence), JUnit for CI test views, and the HAR recording. Playwright-free: nothing ran a browser.
 */

const NOT_OBSERVED = 'not observed: the recorded traffic had no exchange this requirement can be judged on';

/** One "test" per exchange, judging the requirements that exchange showed (the certificate's judge() does the rest). */
function outcomes(exchanges: readonly RecordedExchange[], judgements: ReadonlyMap<number, Judgement[]>): TestOutcome[] {
  return exchanges
    .filter((e) => (judgements.get(e.seq) ?? []).length > 0)
    .map((e) => {
      const js = judgements.get(e.seq)!;
      const evidence = {
        request: e.request,
        response: e.response ?? { status: 0 },
        ms: e.ms,
        by: `${e.idp === 'unknown' ? 'the IdP' : e.idp} (recorded exchange ${e.seq})`,
      };
      const failed = js.some((j) => !j.passed);
      return {
        testId: `exchange-${e.seq}`,
        title: `${e.request.method} ${new URL(e.request.url).pathname} (exchange ${e.seq})`,
        project: 'live',
        file: 'recording.har',
        status: failed ? 'failed' : 'passed',
        requirements: [...new Set(js.map((j) => j.id))],
        errors: js.filter((j) => !j.passed).map((j) => `${j.id}: ${j.message}`),
        evidence: [],
        verdicts: js.map((j) => ({
          id: j.id,
          status: j.passed ? 'passed' : 'failed',
          ...(j.passed ? {} : { message: j.message }),
          exchanges: j.passed ? [] : [evidence],
        })),
        durationMs: e.ms,
      } satisfies TestOutcome;
    });
}

function xml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

function junit(cert: Certificate): string {
  const byProfile = new Map<string, Certificate['requirements']>();
  for (const r of cert.requirements) byProfile.set(r.profile, [...(byProfile.get(r.profile) ?? []), r]);
  const suites = [...byProfile].map(([profile, rs]) => {
    const cases = rs.map((r) => {
      const inner =
        r.status === 'failed'
          ? `<failure message="${xml(r.reason ?? 'failed')}"/>`
          : r.status === 'passed'
            ? ''
            : `<skipped message="${xml(r.reason ?? r.status)}"/>`;
      return `    <testcase classname="live.${profile}" name="${xml(`${r.id}: ${r.title}`)}">${inner}</testcase>`;
    });
    const failures = rs.filter((r) => r.status === 'failed').length;
    const skipped = rs.filter((r) => r.status !== 'failed' && r.status !== 'passed').length;
    return `  <testsuite name="live ${profile}" tests="${rs.length}" failures="${failures}" skipped="${skipped}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="scimulator proxy">\n${suites.join('\n')}\n</testsuites>\n`;
}

export function writeLiveReports(p: {
  out: string;
  upstream: string;
  startedAt: Date;
  exchanges: readonly RecordedExchange[];
  judgements: ReadonlyMap<number, Judgement[]>;
  signingKey?: string;
}): Certificate {
  const spc = p.exchanges.find(
    (e) => e.request.method === 'GET' && /\/ServiceProviderConfig$/.test(new URL(e.request.url).pathname) && e.response?.status === 200,
  );
  const profiles = [...new Set(OBSERVABLE.map((id) => findRequirement(id)!.profile))];
  const ctx: RunContext = {
    scimUrl: p.upstream,
    serviceProviderConfig: spc?.response?.body ?? null,
    config: { profiles, only: [...OBSERVABLE], waivers: [], readOnly: true, seed: 0 },
    startedAt: p.startedAt.toISOString(),
    shard: null,
  };
  const cert = writeCertificate(p.out, ctx, outcomes(p.exchanges, p.judgements), Date.now() - p.startedAt.getTime(), p.signingKey, NOT_OBSERVED);
  writeFileSync(join(p.out, 'junit.xml'), junit(cert));
  writeFileSync(join(p.out, 'recording.har'), `${JSON.stringify(toHar(p.exchanges, p.judgements), null, 2)}\n`);
  return cert;
}
